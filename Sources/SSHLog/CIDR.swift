/// An address block such as `10.0.0.0/8` or `2001:db8::/32`.
///
/// IPv4 blocks match IPv4 addresses and IPv6 blocks IPv6 addresses. Because `IPAddress`
/// folds `::ffff:a.b.c.d` to IPv4, an IPv4-mapped client matches the IPv4 block it belongs to,
/// and `::ffff:10.0.0.0/104` is read as `10.0.0.0/8`.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the block (host bits cleared).
    public let network: IPAddress
    /// Prefix length within the family: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int

    /// A block from an address and a prefix length of its family; host bits are cleared.
    /// Nil when the length is out of range.
    public init?(network: IPAddress, prefixLength: Int) {
        let maximum = network.isIPv4 ? 32 : 128
        guard (0...maximum).contains(prefixLength) else { return nil }
        let masked = Self.value(network) & Self.mask(network.isIPv4 ? prefixLength + 96 : prefixLength)
        self.network = IPAddress(hi: UInt64(truncatingIfNeeded: masked >> 64), lo: UInt64(truncatingIfNeeded: masked))
        self.prefixLength = prefixLength
    }

    /// Parses `address/length` or a bare address (a single-address block). Host bits are
    /// accepted and cleared; a length beyond the family's width, an empty or non-decimal
    /// length, spaces and any other garbage are refused.
    public init?(_ text: some StringProtocol) {
        let parsed: CIDR? = text.utf8.withContiguousStorageIfAvailable { CIDR(bytes: $0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { CIDR(bytes: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses the text form from bytes (see `init?(_:)`).
    public init?(bytes b: UnsafeBufferPointer<UInt8>) {
        let end = b.count
        let slash = b.index(of: ASCII.slash, from: 0, end: end)
        guard let address = IPAddressParser.parse(b, 0, slash) else { return nil }
        guard slash < end else {
            self.init(network: address, prefixLength: address.isIPv4 ? 32 : 128)
            return
        }
        // Three digits are enough for 128; longer runs are garbage, not a huge prefix.
        guard end - (slash + 1) <= 3, let length = b.decimal(slash + 1, end, limit: 128) else { return nil }
        var prefix = Int(length)
        let writtenAsIPv6 = b.index(of: ASCII.colon, from: 0, end: slash) < slash
        if address.isIPv4 && writtenAsIPv6 {
            // An IPv4-mapped block: only lengths inside the mapped /96 name IPv4 addresses.
            guard prefix >= 96 else { return nil }
            prefix -= 96
        }
        self.init(network: address, prefixLength: prefix)
    }

    /// Whether `address` lies inside this block (same family and same leading bits).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.isIPv4 == network.isIPv4 else { return false }
        let bits = network.isIPv4 ? prefixLength + 96 : prefixLength
        return Self.value(address) & Self.mask(bits) == Self.value(network)
    }

    /// `network/prefixLength`, the network in canonical form.
    public var description: String {
        "\(network)/\(prefixLength)"
    }

    private static func value(_ a: IPAddress) -> UInt128 {
        UInt128(a.hi) << 64 | UInt128(a.lo)
    }

    private static func mask(_ bits: Int) -> UInt128 {
        bits == 0 ? 0 : ~UInt128(0) << (128 - bits)
    }
}
