import Testing
import SSHLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("IPAddress")
struct IPAddressTests {
    @Test("canonical text", arguments: [
        ("198.51.100.7", "198.51.100.7", 4),
        ("0.0.0.0", "0.0.0.0", 4),
        ("255.255.255.255", "255.255.255.255", 4),
        ("::ffff:198.51.100.7", "198.51.100.7", 4),
        ("::FFFF:c633:6407", "198.51.100.7", 4),
        ("0:0:0:0:0:ffff:198.51.100.7", "198.51.100.7", 4),
        ("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1", 6),
        ("2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1", 6),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", 6),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1", 6),
        ("2001:db8::0:1", "2001:db8::1", 6),
        ("fe80::1%eth0", "fe80::1", 6),
        ("2001:db8:51::66", "2001:db8:51::66", 6),
        ("::", "::", 6),
        ("::1", "::1", 6),
        ("1::", "1::", 6),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", 6),
        ("::1.2.3.4", "::102:304", 6),
        ("64:ff9b::198.51.100.7", "64:ff9b::c633:6407", 6),
    ])
    func canonicalText(input: String, canonical: String, family: Int) throws {
        let address = try #require(IPAddress(input), "\(input) should parse")
        #expect(address.description == canonical)
        #expect(Int(address.family) == family)
        #expect(IPAddress(canonical) == address, "canonical text parses back to the same address")
    }

    @Test("invalid text is rejected", arguments: [
        "", "1.2.3.256", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "01.2.3.4", "1.2.3.4 ",
        " 1.2.3.4", "1.2.3.4%eth0", "1.2.3.-4", "1234.1.1.1", "a.b.c.d", "1:2:3:4:5:6:7:8:9", ":::",
        "1::2::3", "12345::", ":1", "1:", "1:2:3:4:5:6:7", "::ffff:1.2.3", "::ffff:1.2.3.256",
        "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "fe80::1%", "g::1", "[::1]", "::1/128",
        "2001:db8::1 port", "localhost",
    ])
    func rejected(input: String) {
        #expect(IPAddress(input) == nil, "\(input.debugDescription) must not parse")
    }

    @Test("::ffff: folding makes the same value")
    func folding() throws {
        let mapped = try #require(IPAddress("::ffff:198.51.100.7"))
        let plain = try #require(IPAddress("198.51.100.7"))
        #expect(mapped == plain)
        #expect(mapped.hashValue == plain.hashValue)
        #expect(plain.ipv4 == 0xC633_6407)
        #expect(IPAddress(ipv4: 0xC633_6407) == plain)
        #expect(plain.withUnsafeBytes { Array($0) } == [198, 51, 100, 7])
        let v6 = try #require(IPAddress("2001:db8::1"))
        #expect(v6.ipv4 == nil)
        #expect(v6.withUnsafeBytes { Array($0) } == [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1])
    }

    @Test("ordering puts IPv4 first, then numeric")
    func ordering() throws {
        let sorted = ["2001:db8::2", "10.0.0.1", "2001:db8::1", "9.255.255.255", "::1"].compactMap { IPAddress($0) }.sorted()
        #expect(sorted.map(\.description) == ["9.255.255.255", "10.0.0.1", "::1", "2001:db8::1", "2001:db8::2"])
    }

    /// glibc's inet_ntop follows RFC 5952 except that it writes some addresses with a dotted
    /// tail; everything else must come out byte for byte the same.
    @Test("formatting agrees with inet_ntop on random addresses")
    func formattingAgreesWithLibc() {
        var random = SplitMix64(seed: 5952)
        for _ in 0..<20_000 {
            var bytes = [UInt8](repeating: 0, count: 16)
            // Mostly zero groups, so that runs of every length and position occur.
            for group in 0..<8 where random.next() % 3 == 0 {
                let value = random.next() % 4 == 0 ? UInt16(random.next() % 16) : UInt16(truncatingIfNeeded: random.next())
                bytes[2 * group] = UInt8(value >> 8)
                bytes[2 * group + 1] = UInt8(value & 0xFF)
            }
            let hi = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let lo = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let address = IPAddress(hi: hi, lo: lo)
            var buffer = [CChar](repeating: 0, count: 64)
            guard inet_ntop(AF_INET6, bytes, &buffer, 64) != nil else {
                Issue.record("inet_ntop failed")
                return
            }
            let libc = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if address.isIPv4 || libc.contains(".") { continue }
            #expect(address.description == libc, "\(bytes)")
            #expect(IPAddress(libc) == address)
        }
    }

    /// `writeText` writes exactly the bytes of `description`, and nothing past them.
    @Test("writeText agrees with description")
    func writeTextAgreesWithDescription() throws {
        let edges = [
            "::", "::1", "1::", "::ffff:0.0.0.0", "::ffff:255.255.255.255", "::ffff:0:0", "::ffff:0:1",
            "::fffe:1.2.3.4", "::1:ffff:1.2.3.4", "::1.2.3.4", "64:ff9b::1.2.3.4", "1:0:0:1:0:0:0:1",
            "1:0:0:1:0:0:1:1", "0:0:1:0:0:1:0:0", "1:0:1:0:1:0:1:0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "1234:5678:9abc:def0:1234:5678:9abc:def0", "fe80::", "2001:db8::", "0.0.0.0", "9.9.9.9",
            "10.100.1.0", "255.255.255.255",
        ]
        var addresses = try edges.map { try #require(IPAddress($0), "\($0)") }
        var random = SplitMix64(seed: 39)
        for _ in 0..<20_000 {
            var groups = (0..<8).map { _ in random.next() % 3 == 0 ? UInt64(truncatingIfNeeded: random.next()) & 0xFFFF : 0 }
            if random.next() % 4 == 0 { groups[0...5] = [0, 0, 0, 0, 0, 0xFFFF] }  // IPv4-mapped
            let hi = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | $1 }
            let lo = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | $1 }
            addresses.append(IPAddress(hi: hi, lo: lo))
            addresses.append(IPAddress(hi: random.next(), lo: random.next()))
        }
        let guardByte: UInt8 = 0xAA
        var longest = 0
        for address in addresses {
            var buffer = [UInt8](repeating: guardByte, count: IPAddress.maxTextLength + 8)
            let count = buffer.withUnsafeMutableBufferPointer { all in
                address.writeText(into: UnsafeMutableBufferPointer(rebasing: all[4...]))
            }
            #expect(Array(buffer[4..<(4 + count)]) == Array(address.description.utf8))
            #expect(buffer[..<4].allSatisfy { $0 == guardByte } && buffer[(4 + count)...].allSatisfy { $0 == guardByte })
            longest = max(longest, count)
        }
        #expect(longest == IPAddress.maxTextLength)
    }

    /// Acceptance agrees with inet_pton on random strings built from address-like pieces.
    @Test("parsing agrees with inet_pton on random strings")
    func parsingAgreesWithLibc() {
        var random = SplitMix64(seed: 4291)
        let pieces = ["0", "1", "00", "ff", "FFFF", "db8", "12345", "255", "256", "0255", ":", "::", ".", "a", "g", "1.2.3.4"]
        var accepted = 0
        for _ in 0..<50_000 {
            var text = ""
            for _ in 0..<(1 + random.next() % 12) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            let family = text.contains(":") ? AF_INET6 : AF_INET
            var storage = [UInt8](repeating: 0, count: 16)
            let libc = inet_pton(family, text, &storage) == 1
            let ours = IPAddress(text)
            #expect((ours != nil) == libc, "\(text.debugDescription): ours \(String(describing: ours)), libc \(libc)")
            if libc, let ours {
                accepted += 1
                let expected = family == AF_INET6 ? Array(storage) : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + storage[0..<4]
                let hi = expected[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let lo = expected[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                #expect(ours == IPAddress(hi: hi, lo: lo), "\(text)")
            }
        }
        #expect(accepted > 500, "the generator produces enough valid addresses")
    }
}

/// A small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
