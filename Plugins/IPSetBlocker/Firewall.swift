import PluginKit
import SSHLog

/// The blocker's firewall, as sshguard's backend verbs: init (`ensure`),
/// block, release, flush, fini. Every verb is idempotent. Not thread-safe:
/// the plugin serializes all calls (libipset requires it anyway).
final class Firewall {
    let config: BlockerConfig
    let sets: SetBackend
    let log: BlockerLog
    private let rules: FirewallRules

    init(config: BlockerConfig, dryRun: Bool, log: BlockerLog) {
        self.config = config
        self.log = log
        self.sets = dryRun ? DryRunSets(log: log) : IPSetSession()
        self.rules = FirewallRules(dryRun: dryRun, log: log)
    }

    /// Whether this firewall blocks `family` at all (`ipv6: false` turns IPv6 off).
    func handles(_ family: IPFamily) -> Bool { config.families.contains(family) }

    /// init: creates each set that is missing, then each DROP rule that is
    /// missing (a rule needs its set). Running it twice changes nothing. Goes
    /// as far as it can, logs every problem, then throws one summary.
    func ensure() throws {
        var problems: [String] = []
        for family in config.families {
            let set = config.setName(family)
            do {
                try sets.create(set, family: family, hashsize: config.hashsize, maxelem: config.maxelem)
            } catch {
                problems.append("set \(set): \(error)")
                continue
            }
            for chain in chains(for: family, problems: &problems) {
                do { try rules.ensure(DropRule(family: family, chain: chain, set: set)) } catch {
                    problems.append("\(family.ruleTool) \(chain): \(error)")
                }
            }
        }
        guard problems.isEmpty else {
            problems.forEach { log.error("firewall setup: " + $0) }
            throw PluginError("firewall setup incomplete: " + problems.joined(separator: " | "))
        }
    }

    /// block: puts `address` in its family's set for `timeout`.
    func block(_ address: IPAddress, for timeout: BanTimeout) throws {
        try repairingOnce("block \(address)") {
            if let failure = sets.add([SetEntry(address: address, timeout: timeout)], to: config.setName(address.ipFamily)).first {
                throw PluginError(failure.message)
            }
        }
    }

    /// release: takes `address` out of its set; absent is fine.
    func release(_ address: IPAddress) throws {
        try repairingOnce("unblock \(address)") {
            if let failure = sets.delete([address], from: config.setName(address.ipFamily)).first {
                throw PluginError(failure.message)
            }
        }
    }

    /// flush: empties the set of `family` in one kernel call (rules stay).
    func flush(_ family: IPFamily) throws {
        try sets.flush(config.setName(family))
    }

    /// fini: closes the kernel session. The sets and rules stay on purpose:
    /// bans must outlast a daemon restart, and the kernel's timeouts keep
    /// working meanwhile. `scripts/setup.sh --uninstall` removes everything.
    func fini() { sets.close() }

    /// The chains that get a rule for `family`: the configured ones, plus
    /// DOCKER-USER when asked for and it exists.
    private func chains(for family: IPFamily, problems: inout [String]) -> [String] {
        let docker = FirewallDefaults.dockerUserChain
        guard config.dockerUser, !config.chains.contains(docker) else { return config.chains }
        do {
            switch try rules.chainExists(family, docker) {
            case true?: return config.chains + [docker]
            case false?: log.notice("docker_user: \(family.ruleTool) has no \(docker) chain (Docker not running?); no rule added there")
            case nil: break
            }
        } catch {
            problems.append("\(family.ruleTool) \(docker): \(error)")
        }
        return config.chains
    }

    /// Runs `change`; when it fails (say, someone destroyed the set or removed
    /// its rule by hand), re-runs `ensure` and tries once more.
    private func repairingOnce(_ what: String, _ change: () throws -> Void) throws {
        do {
            try change()
        } catch let first {
            log.warning("\(what) failed (\(first)); re-running firewall setup and retrying once")
            try? ensure()  // ensure logs its own problems; the retry below reports the outcome
            do { try change() } catch {
                throw PluginError("\(what) failed: \(error)")
            }
        }
    }
}
