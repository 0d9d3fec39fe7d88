import Testing
@testable import Host

/// Attempts move from the inline slots into the array and back in order.
@Suite("attempt track")
struct AttemptTrackTests {
    static func at(_ second: Int64, _ weight: Double = 1) -> UInt64 {
        AttemptTrack.pack(timeNs: second * 1_000_000_000, weight: weight)
    }

    @Test func keepsOrderAcrossInlineSlotsAndArray() {
        var t = AttemptTrack()
        #expect(t.isEmpty && t.sum == 0)
        for s in 1...5 { t.append(Self.at(Int64(s), s == 3 ? 0.5 : 1)) }
        #expect(t.sum == 4.5)
        #expect(t.lastNs == 5_000_000_000)
        t.drop(upTo: 2_000_000_000)  // attempts at 1 s and 2 s leave
        #expect(t.sum == 2.5)
        #expect(t.lastNs == 5_000_000_000)
        t.append(Self.at(6))
        t.drop(upTo: 5_000_000_000)
        #expect(t.sum == 1 && t.lastNs == 6_000_000_000)
        t.drop(upTo: 6_000_000_000)
        #expect(t.isEmpty && t.sum == 0)
    }
}
