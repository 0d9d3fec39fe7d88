/// An IPv4 or IPv6 address, stored inline as 128 bits (no heap).
///
/// IPv4 addresses are kept in their IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so an address
/// that arrives as `::ffff:198.51.100.7` and one that arrives as `198.51.100.7` are the same
/// value: equal, same hash, same `description`, same `family`.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The high 64 bits in network order (the first 8 bytes of the IPv6 form).
    public let hi: UInt64
    /// The low 64 bits in network order (the last 8 bytes of the IPv6 form).
    public let lo: UInt64

    static let mappedPrefix: UInt64 = 0x0000_FFFF_0000_0000

    /// An address from its 128 bits; `::ffff:a.b.c.d` becomes the IPv4 address a.b.c.d.
    public init(hi: UInt64, lo: UInt64) {
        self.hi = hi
        self.lo = lo
    }

    /// The IPv4 address whose 32 bits, most significant first, are `ipv4`.
    public init(ipv4: UInt32) {
        self.init(hi: 0, lo: Self.mappedPrefix | UInt64(ipv4))
    }

    /// Parses the text form: dotted quad, or any RFC 4291 IPv6 form with an optional `%zone`
    /// (dropped). Returns nil for anything else, including surrounding spaces, brackets,
    /// prefixes and IPv4 parts with leading zeros (ambiguous: octal to some parsers).
    public init?(_ text: some StringProtocol) {
        let parsed: IPAddress? = text.utf8.withContiguousStorageIfAvailable { IPAddress(bytes: $0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { IPAddress(bytes: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses the text form from bytes (see `init?(_:)`).
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard let parsed = IPAddressParser.parse(bytes, 0, bytes.count) else { return nil }
        self = parsed
    }

    /// 4 for IPv4 (including IPv4-mapped IPv6), 6 otherwise.
    public var family: UInt8 {
        isIPv4 ? 4 : 6
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool {
        hi == 0 && (lo >> 32) == 0xFFFF
    }

    /// The 32 bits of an IPv4 address, nil for IPv6.
    public var ipv4: UInt32? {
        isIPv4 ? UInt32(truncatingIfNeeded: lo) : nil
    }

    /// Calls `body` with the address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var words = (hi.bigEndian, lo.bigEndian)
        return try Swift.withUnsafeBytes(of: &words) { raw in
            try body(isIPv4 ? UnsafeRawBufferPointer(rebasing: raw[12..<16]) : raw)
        }
    }

    /// Dotted quad for IPv4; RFC 5952 for IPv6 (lowercase, no leading zeros, the first
    /// longest run of two or more zero groups written as `::`).
    public var description: String {
        IPAddressFormatter.format(self)
    }

    /// The length of the longest `description`: eight groups of four digits and seven colons.
    public static var maxTextLength: Int { IPAddressFormatter.maxLength }

    /// Writes the bytes of `description` to the start of `out`, which has room for
    /// `maxTextLength`, and returns how many: for text built on bytes without a String
    /// per address (check-log --json).
    public func writeText(into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(out.count >= Self.maxTextLength, "no room for the longest address")
        return IPAddressFormatter.write(self, into: out)
    }

    /// IPv4 sorts before IPv6; within a family, numeric order.
    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        let fa = a.family, fb = b.family
        if fa != fb { return fa < fb }
        return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo
    }
}
