import PluginABI
import SSHLog

/// A `SetBackend` that changes nothing and logs, for each change, the ipset
/// command that would make it. Used with `dry_run: true` or without root.
final class DryRunSets: SetBackend {
    /// Bulk changes (a reconcile) log this many commands, then a count.
    private static let maxLinesPerBatch = 100
    /// Every command is logged at info level.
    private let log: BlockerLog

    init(log: BlockerLog) { self.log = log }

    func create(_ name: String, family: IPFamily, hashsize: UInt32, maxelem: UInt32) throws {
        would("ipset create \(name) hash:ip family \(family.ipsetName) hashsize \(hashsize) maxelem \(maxelem) timeout 0 -exist")
    }

    func add(_ entries: [SetEntry], to set: String) -> [SetFailure] {
        logBatch(entries.count) { "ipset add \(set) \(entries[$0].address) timeout \(entries[$0].timeout.kernelValue) -exist" }
        return []
    }

    func delete(_ addresses: [IPAddress], from set: String) -> [SetFailure] {
        logBatch(addresses.count) { "ipset del \(set) \(addresses[$0]) -exist" }
        return []
    }

    func flush(_ set: String) throws { would("ipset flush \(set)") }

    func members(of set: String) throws -> [IPAddress]? { nil }

    func close() {}

    private func would(_ command: @autoclosure () -> String) { log.info("dry-run: would run: " + command()) }

    /// Logs `count` commands (at most `maxLinesPerBatch`, then a count of the
    /// rest); `command(i)` is the i-th. Nothing is built when the host drops
    /// info lines.
    private func logBatch(_ count: Int, _ command: (Int) -> String) {
        guard count > 0, log.isLogged(SIEM_LOG_INFO) else { return }
        for i in 0..<min(count, Self.maxLinesPerBatch) { would(command(i)) }
        if count > Self.maxLinesPerBatch {
            log.info("dry-run: ... and \(count - Self.maxLinesPerBatch) more commands like these")
        }
    }
}
