import SSHLog

/// Counts weighted attempts per address in a sliding window and says when an
/// address reaches the threshold. Memory is bounded: addresses whose window
/// has passed are evicted, and at most `maxTracked` are kept.
///
/// One attempt is one event of a kind with a non-zero weight (config
/// `event_weights`); its weight is what it adds. sshd writes several lines
/// for one password guess (`Failed password` and a pam_unix line), and each
/// line is counted: that is what fail2ban and sshguard do too.
public struct ThresholdStage {
    public let threshold: Double
    public let windowNs: Int64
    public let weights: [String: Double]
    public let maxTracked: Int

    /// Recent attempts of one address, oldest first, each packed into one
    /// word (milliseconds << 16 | weight in 1/256ths) to keep memory per
    /// tracked address small.
    struct Track {
        var attempts: [UInt64] = []
        var sum: Float = 0

        var last: Int64 { attempts.last.map(Track.timeNs) ?? 0 }

        static func pack(timeNs: Int64, weight: Double) -> UInt64 {
            UInt64(max(0, timeNs / 1_000_000)) << 16 | UInt64(min(65_535, (weight * 256).rounded()))
        }
        static func timeNs(_ packed: UInt64) -> Int64 { Int64(packed >> 16) * 1_000_000 }
        static func weight(_ packed: UInt64) -> Float { Float(packed & 0xffff) / 256 }
    }

    private(set) var tracks: [IPAddress: Track] = [:]
    private var lastSweep: Int64 = 0

    public init(threshold: Double, windowSeconds: Int64, weights: [String: Double], maxTracked: Int) {
        self.threshold = threshold
        windowNs = windowSeconds * 1_000_000_000
        self.weights = weights
        self.maxTracked = maxTracked
    }

    public var trackedCount: Int { tracks.count }

    /// Adds one event; returns the weighted count when it reaches the
    /// threshold (the address is then forgotten: the ban takes over).
    public mutating func record(kind: String, address: IPAddress, timeNs: Int64) -> Double? {
        guard let w = weights[kind], w > 0 else { return nil }
        sweepIfDue(now: timeNs)
        var t = tracks.removeValue(forKey: address) ?? Track()
        let start = timeNs - windowNs
        var drop = 0
        while drop < t.attempts.count && Track.timeNs(t.attempts[drop]) <= start {
            t.sum -= Track.weight(t.attempts[drop])
            drop += 1
        }
        if drop > 0 { t.attempts.removeFirst(drop) }
        if t.attempts.isEmpty { t.sum = 0 }  // no float drift across windows
        let packed = Track.pack(timeNs: timeNs, weight: w)
        t.attempts.append(packed)
        t.sum += Track.weight(packed)
        if Double(t.sum) + 1e-3 >= threshold { return Double(t.sum) }
        if tracks.count >= maxTracked { evictOldest() }
        tracks[address] = t
        return nil
    }

    /// Forgets an address (after an unblock, so old failures do not re-ban it).
    public mutating func forget(_ address: IPAddress) { tracks[address] = nil }

    /// Drops addresses whose newest attempt is older than the window.
    public mutating func sweep(now: Int64) {
        let start = now - windowNs
        tracks = tracks.filter { $0.value.last > start }
        lastSweep = now
    }

    private mutating func sweepIfDue(now: Int64) {
        if now - lastSweep >= windowNs / 4 || now < lastSweep { sweep(now: now) }
    }

    private mutating func evictOldest() {
        // Rare (only at the cap): drop the oldest tenth in one pass.
        let keep = tracks.sorted { $0.value.last > $1.value.last }.prefix(maxTracked * 9 / 10)
        tracks = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
