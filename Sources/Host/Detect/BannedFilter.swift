import SSHLog

/// A Bloom filter of the addresses that have a row in the ban ledger. Most addresses that
/// reach the threshold were never banned before, and the filter says so without a query
/// (which, on a store the writer keeps changing, re-reads pages on every call). "Maybe"
/// sends the engine to the store as before. Fixed size: 1 MiB, about 1 % false "maybe"s
/// at a million banned addresses.
struct BannedFilter {
    private static let bits = 1 << 23
    private var words = [UInt64](repeating: 0, count: BannedFilter.bits / 64)

    mutating func insert(_ address: IPAddress) {
        let (h1, h2) = Self.hashes(address)
        for i in 0..<4 {
            let bit = (h1 &+ i &* h2) & (Self.bits - 1)
            words[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    /// False only for an address never inserted.
    func mayContain(_ address: IPAddress) -> Bool {
        let (h1, h2) = Self.hashes(address)
        for i in 0..<4 {
            let bit = (h1 &+ i &* h2) & (Self.bits - 1)
            if words[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        }
        return true
    }

    /// Two hashes from one 64-bit mix of the address; four positions by double hashing.
    private static func hashes(_ a: IPAddress) -> (Int, Int) {
        var h = a.hi &* 0x9E37_79B9_7F4A_7C15 ^ a.lo
        h ^= h >> 31
        h &*= 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        return (Int(truncatingIfNeeded: h & 0xFFFF_FFFF), Int(truncatingIfNeeded: h >> 32) | 1)
    }
}
