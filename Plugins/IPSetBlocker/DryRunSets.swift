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
        logBatch(entries.count) { i, line in
            line.append("ipset add ")
            line.append(set)
            line.append(" ")
            line.append(entries[i].address)
            line.append(" timeout ")
            line.append(decimal: UInt64(entries[i].timeout.kernelValue))
            line.append(" -exist")
        }
        return []
    }

    func delete(_ addresses: [IPAddress], from set: String) -> [SetFailure] {
        logBatch(addresses.count) { i, line in
            line.append("ipset del ")
            line.append(set)
            line.append(" ")
            line.append(addresses[i])
            line.append(" -exist")
        }
        return []
    }

    func flush(_ set: String) throws { would("ipset flush \(set)") }

    func members(of set: String) throws -> [IPAddress]? { nil }

    func close() {}

    private func would(_ command: @autoclosure () -> String) { log.info("dry-run: would run: " + command()) }

    /// Logs `count` commands (at most `maxLinesPerBatch`, then a count of the
    /// rest); `command(i, &line)` appends the i-th. Nothing is built when the
    /// host drops info lines.
    private func logBatch(_ count: Int, _ command: (Int, inout LineBuffer) -> Void) {
        guard count > 0, log.isLogged(SIEM_LOG_INFO) else { return }
        for i in 0..<min(count, Self.maxLinesPerBatch) {
            var line = LineBuffer()
            line.append("dry-run: would run: ")
            command(i, &line)
            log.sink(SIEM_LOG_INFO, line.string)
        }
        if count > Self.maxLinesPerBatch {
            log.info("dry-run: ... and \(count - Self.maxLinesPerBatch) more commands like these")
        }
    }
}
