import Foundation
import Testing
@testable import SSHSource

/// Classic syslog lines have no year: the classifier must date them from the
/// clock, near now, and keep doing so as the clock moves on.
@Suite("line classifier")
struct LineClassifierTests {
    /// A classic sshd line stamped with `ns` in the local zone.
    static func line(at ns: Int64) -> [UInt8] {
        var seconds = time_t(ns / 1_000_000_000)
        var tm = tm()
        localtime_r(&seconds, &tm)
        var buf = [CChar](repeating: 0, count: 32)
        strftime(&buf, buf.count, "%b %e %H:%M:%S", &tm)
        let stamp = buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return Array("\(stamp) host sshd[42]: Failed password for root from 198.51.100.7 port 4242 ssh2".utf8)
    }

    @Test func classicTimestampsGetTheCurrentYear() throws {
        var now: Int64 = 1_795_694_400 * 1_000_000_000  // 2026-11-26T08:00Z
        var classifier = LineClassifier(clock: { now })
        for step in 0..<3 {
            let line = Self.line(at: now)
            let event = try #require(line.withUnsafeBufferPointer { classifier.parse($0) })
            #expect(abs(event.timeNs - now) < 1_000_000_000, "step \(step): \(event.timeNs) vs \(now)")
            now += 400 * 86_400 * 1_000_000_000  // more than a year later: the year must follow
        }
    }
}
