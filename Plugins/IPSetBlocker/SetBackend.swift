import SSHLog

/// One address to put in a set, with how long the kernel keeps it.
struct SetEntry: Sendable {
    let address: IPAddress
    let timeout: BanTimeout
}

/// A change to one address that the kernel refused.
struct SetFailure: Sendable, CustomStringConvertible {
    let address: IPAddress
    let message: String
    var description: String { "\(address): \(message)" }
}

/// What the firewall needs from the kernel's ipsets. `IPSetSession` does it
/// through libipset; `DryRunSets` only logs the equivalent ipset commands.
/// Every change is idempotent (`-exist`): adding a present address refreshes
/// its timeout, deleting an absent one is not an error.
protocol SetBackend: AnyObject {
    /// Creates a `hash:ip` set whose entries can carry timeouts; no-op when an
    /// identical set exists. Throws when the set exists with other options.
    func create(_ name: String, family: IPFamily, hashsize: UInt32, maxelem: UInt32) throws
    /// Adds entries (batched); returns the ones that failed.
    func add(_ entries: [SetEntry], to set: String) -> [SetFailure]
    /// Removes addresses (batched); returns the ones that failed.
    func delete(_ addresses: [IPAddress], from set: String) -> [SetFailure]
    /// Empties the set.
    func flush(_ set: String) throws
    /// The set's members, or nil when they cannot be known (dry run).
    func members(of set: String) throws -> [IPAddress]?
    /// Releases the kernel session; later calls open a new one.
    func close()
}
