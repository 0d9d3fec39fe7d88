import SSHLog

/// Addresses that are never blocked. `::ffff:a.b.c.d` is folded to IPv4 when
/// parsed, so an IPv4 entry covers both spellings.
public struct Whitelist: Sendable {
    public let entries: [CIDR]

    public init(_ entries: [CIDR]) { self.entries = entries }

    /// The entry that covers `address`, or nil.
    public func match(_ address: IPAddress) -> CIDR? {
        entries.first { $0.contains(address) }
    }
}
