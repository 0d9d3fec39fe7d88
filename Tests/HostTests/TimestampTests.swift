import Foundation
import Testing
@testable import Host

/// The hand-written ISO 8601 formatter agrees with Foundation's.
@Suite("timestamps")
struct TimestampTests {
    @Test func iso8601AgreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var rng = SystemRandomNumberGenerator()
        let samples: [Int64] = [0, 999_999, 1_795_694_400_123_456_789, -1, -1_000_000_001, 4_102_444_799_999_000_000,
                               // Leap days, a century that is not a leap year, and near Int64's ends.
                               951_782_400_000_000_000, 1_709_164_799_999_999_999, 4_107_542_400_000_000_000,
                               4_107_455_999_000_000_000, -9_000_000_000_000_000_000, 9_000_000_000_000_000_000]
            + (0..<2_000).map { _ in Int64.random(in: -2_000_000_000_000_000_000...4_000_000_000_000_000_000, using: &rng) }
        for ns in samples {
            let millis = ns.floorDiv(1_000_000)
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            #expect(Timestamp.iso8601(ns) == formatter.string(from: date), "ns \(ns)")
        }
    }
}
