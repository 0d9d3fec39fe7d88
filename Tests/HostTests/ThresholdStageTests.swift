import SSHLog
import Testing
@testable import Host

/// The sliding-window threshold stage on its own, with made-up times.
@Suite("Threshold stage")
struct ThresholdStageTests {
    static let a = IPAddress("203.0.113.1")!
    static let b = IPAddress("203.0.113.2")!

    /// The n-th address of a /16, for tests that need many.
    static func address(_ n: Int) -> IPAddress { IPAddress(ipv4: 0xC633_0000 | UInt32(n)) }

    @Test func attemptsOlderThanTheWindowDoNotCount() {
        var stage = ThresholdStage(threshold: 3, windowSeconds: 10, weights: ["auth_failure": 1], maxTracked: 100)
        #expect(stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(0)) == nil)
        #expect(stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(5)) == nil)
        // 0 has left the window by 11: two attempts in it, not three.
        #expect(stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(11)) == nil)
        // 5, 11 and 12 are within ten seconds.
        #expect(stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(12)) == 3)
    }

    @Test func reachingTheThresholdForgetsTheAddress() {
        var stage = ThresholdStage(threshold: 2, windowSeconds: 60, weights: ["auth_failure": 1], maxTracked: 100)
        #expect(stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(1)) == nil)
        #expect(stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(2)) == 2)
        #expect(stage.trackedCount == 0)
        // Counting starts again from zero.
        #expect(stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(3)) == nil)
    }

    @Test func addressesAreCountedApart() {
        var stage = ThresholdStage(threshold: 2, windowSeconds: 60, weights: ["auth_failure": 1], maxTracked: 100)
        #expect(stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(1)) == nil)
        #expect(stage.record(kind: "auth_failure", address: Self.b, timeNs: nanos(2)) == nil)
        #expect(stage.trackedCount == 2)
        #expect(stage.record(kind: "auth_failure", address: Self.b, timeNs: nanos(3)) == 2)
    }

    @Test func defaultWeightsCountPreauthDisconnectAsHalf() {
        var stage = ThresholdStage(threshold: 5, windowSeconds: 180, weights: Config.defaultWeights, maxTracked: 100)
        #expect(Config.defaultWeights["preauth_disconnect"] == 0.5)
        for i in 0..<9 {
            #expect(stage.record(kind: "preauth_disconnect", address: Self.a, timeNs: nanos(Int64(i))) == nil)
        }
        #expect(stage.record(kind: "preauth_disconnect", address: Self.a, timeNs: nanos(9)) == 5)

        // Mixed: 4 failures and 2 half-weight events make 5.
        for i in 0..<4 { _ = stage.record(kind: "auth_failure", address: Self.b, timeNs: nanos(Int64(i))) }
        #expect(stage.record(kind: "preauth_disconnect", address: Self.b, timeNs: nanos(5)) == nil)
        #expect(stage.record(kind: "preauth_disconnect", address: Self.b, timeNs: nanos(6)) == 5)
    }

    @Test func kindsWithoutWeightAreNotAttemptsAndNotTracked() {
        var stage = ThresholdStage(threshold: 1, windowSeconds: 60, weights: Config.defaultWeights, maxTracked: 100)
        #expect(Config.defaultWeights["auth_success"] == nil)
        #expect(stage.record(kind: "auth_success", address: Self.a, timeNs: nanos(1)) == nil)
        #expect(stage.record(kind: "possible_compromise", address: Self.a, timeNs: nanos(1)) == nil)
        #expect(stage.trackedCount == 0)
    }

    @Test func manyAddressesStayWithinMaxTracked() {
        let cap = 50
        var stage = ThresholdStage(threshold: 5, windowSeconds: 3_600, weights: ["auth_failure": 1], maxTracked: cap)
        var peak = 0
        for n in 0..<5_000 {
            _ = stage.record(kind: "auth_failure", address: Self.address(n), timeNs: nanos(Int64(n)) / 10)
            peak = max(peak, stage.trackedCount)
        }
        #expect(peak <= cap)
        #expect(stage.trackedCount > 0)
        // Eviction drops the least recently seen, not the newest.
        #expect(stage.tracks[Self.address(4_999)] != nil)
        #expect(stage.tracks[Self.address(0)] == nil)
    }

    @Test func sweepAfterTheWindowEmptiesTheMap() {
        var stage = ThresholdStage(threshold: 5, windowSeconds: 60, weights: ["auth_failure": 1], maxTracked: 10_000)
        for n in 0..<200 { _ = stage.record(kind: "auth_failure", address: Self.address(n), timeNs: nanos(1)) }
        #expect(stage.trackedCount == 200)
        stage.sweep(now: nanos(30))
        #expect(stage.trackedCount == 200)
        stage.sweep(now: nanos(62))
        #expect(stage.trackedCount == 0)
    }

    @Test func recordingLaterSweepsExpiredAddressesByItself() {
        var stage = ThresholdStage(threshold: 5, windowSeconds: 60, weights: ["auth_failure": 1], maxTracked: 10_000)
        for n in 0..<200 { _ = stage.record(kind: "auth_failure", address: Self.address(n), timeNs: nanos(1)) }
        _ = stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(1_000))
        #expect(stage.trackedCount == 1)
    }

    @Test func forgetDropsAnAddressCount() {
        var stage = ThresholdStage(threshold: 2, windowSeconds: 60, weights: ["auth_failure": 1], maxTracked: 100)
        _ = stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(1))
        stage.forget(Self.a)
        #expect(stage.trackedCount == 0)
        #expect(stage.record(kind: "auth_failure", address: Self.a, timeNs: nanos(2)) == nil)
    }
}
