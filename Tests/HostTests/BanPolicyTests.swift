import Testing
@testable import Host

/// Ban durations: base, times the factor per earlier ban, capped.
@Suite("Ban policy")
struct BanPolicyTests {
    @Test func eachRepeatMultipliesByTheFactor() {
        let policy = BanPolicy(baseSeconds: 600, factor: 2, maxSeconds: 86_400)
        #expect(policy.duration(count: 1) == 600)
        #expect(policy.duration(count: 2) == 1_200)
        #expect(policy.duration(count: 3) == 2_400)
        #expect(policy.duration(count: 5) == 600 * 16)
    }

    @Test func durationIsCappedAndHugeCountsDoNotOverflow() {
        let policy = BanPolicy(baseSeconds: 600, factor: 2, maxSeconds: 3_000)
        #expect(policy.duration(count: 3) == 2_400)
        #expect(policy.duration(count: 4) == 3_000)
        #expect(policy.duration(count: 10_000) == 3_000)
        let steep = BanPolicy(baseSeconds: 86_400, factor: 1_000, maxSeconds: Int64.max / 2)
        #expect(steep.duration(count: 100) == Int64.max / 2)
    }

    @Test func fractionalFactorAndFactorOne() {
        #expect(BanPolicy(baseSeconds: 100, factor: 1.5, maxSeconds: 10_000).duration(count: 3) == 225)
        #expect(BanPolicy(baseSeconds: 100, factor: 1, maxSeconds: 10_000).duration(count: 50) == 100)
    }

    @Test func requestedDurationReplacesTheBase() {
        let policy = BanPolicy(baseSeconds: 600, factor: 2, maxSeconds: 86_400)
        #expect(policy.duration(count: 1, requested: 120) == 120)
        #expect(policy.duration(count: 2, requested: 120) == 240)
        #expect(policy.duration(count: 1, requested: 0) == 600)
        // A longer ban asked for by hand is honoured, not cut to the cap.
        #expect(policy.duration(count: 1, requested: 200_000) == 200_000)
    }

    @Test func countBelowOneIsTheFirstBan() {
        let policy = BanPolicy(baseSeconds: 600, factor: 2, maxSeconds: 86_400)
        #expect(policy.duration(count: 0) == 600)
    }
}
