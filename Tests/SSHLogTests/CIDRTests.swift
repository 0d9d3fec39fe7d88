import Testing
import SSHLog

@Suite("CIDR")
struct CIDRTests {
    @Test("parsing and canonical text", arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("10.1.2.3/8", "10.0.0.0/8"),
        ("198.51.100.7", "198.51.100.7/32"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("2001:db8::/32", "2001:db8::/32"),
        ("2001:DB8:51::66/64", "2001:db8:51::/64"),
        ("2001:db8::1", "2001:db8::1/128"),
        ("::/0", "::/0"),
        ("::ffff:10.0.0.0/104", "10.0.0.0/8"),
        ("::ffff:198.51.100.7", "198.51.100.7/32"),
        ("fe80::1%eth0/64", "fe80::/64"),
        ("192.168.1.255/23", "192.168.0.0/23"),
    ])
    func parsing(input: String, canonical: String) throws {
        let block = try #require(CIDR(input), "\(input) should parse")
        #expect(block.description == canonical)
        #expect(CIDR(canonical) == block)
    }

    @Test("garbage is rejected", arguments: [
        "", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/ 8", " 10.0.0.0/8",
        "10.0.0.0/8 ", "::/129", "::/1000", "10.0.0/8", "1.2.3.256/32", "::ffff:10.0.0.0/64", "host/8", "10.0.0.0/0x8",
    ])
    func rejected(input: String) {
        #expect(CIDR(input) == nil, "\(input.debugDescription) must not parse")
    }

    @Test("contains")
    func contains() throws {
        let lab = try #require(CIDR("198.51.100.0/24"))
        #expect(lab.contains(try #require(IPAddress("198.51.100.66"))))
        #expect(lab.contains(try #require(IPAddress("::ffff:198.51.100.66"))))
        #expect(!lab.contains(try #require(IPAddress("198.51.101.1"))))
        #expect(!lab.contains(try #require(IPAddress("2001:db8:51::66"))))

        let mappedBlock = try #require(CIDR("::ffff:198.51.100.0/120"))
        #expect(mappedBlock == lab)
        #expect(mappedBlock.contains(try #require(IPAddress("198.51.100.200"))))

        let v6 = try #require(CIDR("2001:db8:51::/64"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:51::66"))))
        #expect(v6.contains(try #require(IPAddress("2001:db8:51:0:ffff:ffff:ffff:ffff"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db8:52::1"))))
        #expect(!v6.contains(try #require(IPAddress("198.51.100.66"))))

        let everythingV4 = try #require(CIDR("0.0.0.0/0"))
        #expect(everythingV4.contains(try #require(IPAddress("255.255.255.255"))))
        #expect(!everythingV4.contains(try #require(IPAddress("::1"))))
        let everythingV6 = try #require(CIDR("::/0"))
        #expect(everythingV6.contains(try #require(IPAddress("ffff::1"))))
        #expect(!everythingV6.contains(try #require(IPAddress("10.0.0.1"))))

        let single = try #require(CIDR("10.0.0.1"))
        #expect(single.contains(try #require(IPAddress("10.0.0.1"))))
        #expect(!single.contains(try #require(IPAddress("10.0.0.2"))))
    }

    @Test("contains agrees with a bit-by-bit comparison")
    func containsMatchesBitComparison() {
        var random = SplitMix64(seed: 24)
        for _ in 0..<10_000 {
            let v4 = random.next() % 2 == 0
            let a = v4 ? IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next()))
                       : IPAddress(hi: random.next(), lo: random.next())
            var b = a
            let width = v4 ? 32 : 128
            let length = Int(random.next() % UInt64(width + 1))
            // Flip one bit somewhere, sometimes inside the prefix, sometimes after it.
            let flip = Int(random.next() % UInt64(width))
            let bit = (v4 ? 96 : 0) + flip
            b = bit < 64 ? IPAddress(hi: a.hi ^ (1 << UInt64(63 - bit)), lo: a.lo)
                         : IPAddress(hi: a.hi, lo: a.lo ^ (1 << UInt64(127 - bit)))
            guard let block = CIDR(network: a, prefixLength: length) else {
                Issue.record("/\(length) rejected")
                continue
            }
            #expect(block.contains(a))
            #expect(block.contains(b) == (flip >= length), "\(a) /\(length) flip \(flip)")
        }
    }
}
