import SSHLog

/// A `SetBackend` that changes nothing and logs, for each change, the ipset
/// command that would make it. Used with `dry_run: true` or without root.
final class DryRunSets: SetBackend {
    /// Bulk changes (a reconcile) log this many commands, then a count.
    private static let maxLinesPerBatch = 100
    private let log: (String) -> Void

    init(log: @escaping (String) -> Void) { self.log = log }

    func create(_ name: String, family: IPFamily, hashsize: UInt32, maxelem: UInt32) throws {
        would("ipset create \(name) hash:ip family \(family.ipsetName) hashsize \(hashsize) maxelem \(maxelem) timeout 0 -exist")
    }

    func add(_ entries: [SetEntry], to set: String) -> [SetFailure] {
        logBatch(entries.map { "ipset add \(set) \($0.address) timeout \($0.timeout.kernelValue) -exist" })
        return []
    }

    func delete(_ addresses: [IPAddress], from set: String) -> [SetFailure] {
        logBatch(addresses.map { "ipset del \(set) \($0) -exist" })
        return []
    }

    func flush(_ set: String) throws { would("ipset flush \(set)") }

    func members(of set: String) throws -> [IPAddress]? { nil }

    func close() {}

    private func would(_ command: String) { log("dry-run: would run: " + command) }

    private func logBatch(_ commands: [String]) {
        commands.prefix(Self.maxLinesPerBatch).forEach(would)
        if commands.count > Self.maxLinesPerBatch {
            log("dry-run: ... and \(commands.count - Self.maxLinesPerBatch) more commands like these")
        }
    }
}
