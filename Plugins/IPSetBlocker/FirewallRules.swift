import PluginKit

/// One DROP rule for the packets whose source is in `set`.
struct DropRule: Sendable, CustomStringConvertible {
    let family: IPFamily
    let chain: String
    let set: String

    /// Match and target exactly as `iptables -S` prints them after `-A CHAIN`,
    /// so `-C` finds the rule that `-I` made (and setup.sh makes).
    var spec: [String] {
        ["-m", "set", "--match-set", set, "src", "-m", "comment", "--comment", FirewallDefaults.ruleComment, "-j", "DROP"]
    }

    var description: String { "\(family.ruleTool) \(chain) DROP src in \(set)" }
}

/// Puts the DROP rules in place with iptables/ip6tables (nft or legacy
/// backend alike), run as programs with argument vectors.
final class FirewallRules {
    /// `-w`: wait up to this many seconds for the legacy backend's xtables
    /// lock instead of failing while another tool holds it (nft ignores it).
    private static let lockWait = ["-w", "10"]
    private let dryRun: Bool
    private let log: BlockerLog

    init(dryRun: Bool, log: BlockerLog) {
        self.dryRun = dryRun
        self.log = log
    }

    /// Inserts `rule` at the top of its chain unless `-C` finds it already:
    /// running this twice leaves one rule.
    func ensure(_ rule: DropRule) throws {
        let check = Self.lockWait + ["-C", rule.chain] + rule.spec
        let insert = Self.lockWait + ["-I", rule.chain, "1"] + rule.spec
        if dryRun {
            log.info("dry-run: would run: \(commandLine(rule.family, check)) || \(commandLine(rule.family, insert))")
            return
        }
        let found = try run(rule.family, check)
        switch found.status {
        case 0:
            log.debug("rule present: \(rule)")
        case 1:
            let inserted = try run(rule.family, insert)
            guard inserted.status == 0 else { throw failure(rule.family, insert, inserted) }
            log.info("added rule: \(commandLine(rule.family, insert))")
        default:
            throw failure(rule.family, check, found)
        }
    }

    /// Whether `chain` exists in the filter table (DOCKER-USER only exists
    /// where Docker runs); nil in a dry run, which cannot look.
    func chainExists(_ family: IPFamily, _ chain: String) throws -> Bool? {
        let list = Self.lockWait + ["-S", chain]
        if dryRun {
            log.info("dry-run: would run: \(commandLine(family, list)) and add the rule there if the chain exists")
            return nil
        }
        let result = try run(family, list)
        switch result.status {
        case 0: return true
        case 1: return false
        default: throw failure(family, list, result)
        }
    }

    private func run(_ family: IPFamily, _ arguments: [String]) throws -> CommandResult {
        guard let path = ProcessRunner.find(family.ruleTool) else {
            throw PluginError("\(family.ruleTool) not found in \(ProcessRunner.searchDirs.joined(separator: ", ")) (install the iptables package)")
        }
        return try ProcessRunner.run(path, arguments)
    }

    private func commandLine(_ family: IPFamily, _ arguments: [String]) -> String {
        ([family.ruleTool] + arguments).joined(separator: " ")
    }

    private func failure(_ family: IPFamily, _ arguments: [String], _ result: CommandResult) -> PluginError {
        let output = result.output.split(whereSeparator: \.isNewline).joined(separator: "; ")
        return PluginError("\(commandLine(family, arguments)) exited \(result.status): \(output)")
    }
}
