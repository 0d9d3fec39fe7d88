#if canImport(Glibc)
import Glibc
#endif
import SSHLog

/// Classifies log file lines. Classic syslog timestamps have neither year nor
/// zone, so the parser needs "now" and the local UTC offset (rsyslog writes
/// local time); both are refreshed once a second rather than per line.
struct LineClassifier {
    private var parser = SSHLogLineParser(reference: 0)
    /// When `parser` was made; nil before the first line.
    private var refreshedAt: Int64?
    private let clock: () -> Int64

    init(clock: @escaping () -> Int64 = nowNs) { self.clock = clock }

    /// The sshd event on `line`, or nil.
    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) -> SSHLogEvent? {
        let now = clock()
        if refreshedAt.map({ now - $0 >= 1_000_000_000 || now < $0 }) ?? true {
            parser = SSHLogLineParser(reference: now, timeZoneOffsetSeconds: Self.localOffsetSeconds(at: now))
            refreshedAt = now
        }
        return parser.parse(line)
    }

    /// Seconds east of UTC of local time at `ns` (follows DST, from /etc/localtime or TZ).
    static func localOffsetSeconds(at ns: Int64) -> Int {
        var seconds = time_t(ns / 1_000_000_000)
        var tm = tm()
        guard localtime_r(&seconds, &tm) != nil else { return 0 } // only for absurd times: UTC then
        return Int(tm.tm_gmtoff)
    }
}

/// Now, in nanoseconds since the epoch.
func nowNs() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}
