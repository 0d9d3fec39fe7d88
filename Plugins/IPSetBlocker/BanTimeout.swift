#if canImport(Glibc)
import Glibc
#endif

/// How long the kernel keeps a set entry.
enum BanTimeout: Equatable, Sendable, CustomStringConvertible {
    /// Removed by the kernel after this many seconds (1...maxSeconds).
    case seconds(UInt32)
    /// No kernel timeout: removed by an UNBLOCK/EXPIRE decision or the next reconcile.
    case permanent

    /// The kernel's largest entry timeout (IPSET_MAX_TIMEOUT, about 24.8 days);
    /// it silently clamps anything larger, which would lift a long ban early.
    static let maxSeconds: UInt32 = 2_147_483

    /// The timeout for a ban ending at `untilNs` (ns since the epoch), or
    /// lasting `durationSeconds` when the host left `untilNs` at 0. Both 0
    /// means the host set no end: permanent. A ban already over still gets
    /// 1 s, so the kernel, not a race, removes it. A ban longer than the
    /// kernel allows is stored without a timeout, so it is never lifted early.
    static func forBan(untilNs: Int64, durationSeconds: Int64, nowNs: Int64) -> BanTimeout {
        let seconds: Int64
        if untilNs > 0 {
            let remainingNs = untilNs > nowNs ? untilNs - nowNs : 0
            seconds = (remainingNs + 999_999_999) / 1_000_000_000
        } else if durationSeconds > 0 {
            seconds = durationSeconds
        } else {
            return .permanent
        }
        if seconds > Int64(maxSeconds) { return .permanent }
        return .seconds(UInt32(max(1, seconds)))
    }

    /// The value of ipset's `timeout` option (0 = no timeout).
    var kernelValue: UInt32 {
        switch self {
        case .seconds(let s): return s
        case .permanent: return 0
        }
    }

    var description: String {
        switch self {
        case .seconds(let s): return "for \(s) s"
        case .permanent: return "with no kernel timeout (until unblock, expiry or reconcile)"
        }
    }
}

/// Wall-clock time in ns since the epoch; bans are stored in that clock.
func realtimeNowNs() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}
