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

    /// Recent attempts of one address, oldest first.
    struct Track {
        var times: [Int64] = []
        var weights: [Float] = []
        var sum: Double = 0
        var last: Int64 = 0
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
        while drop < t.times.count && t.times[drop] <= start {
            t.sum -= Double(t.weights[drop])
            drop += 1
        }
        if drop > 0 {
            t.times.removeFirst(drop)
            t.weights.removeFirst(drop)
        }
        t.times.append(timeNs)
        t.weights.append(Float(w))
        t.sum += w
        t.last = max(t.last, timeNs)
        if t.sum + 1e-9 >= threshold { return t.sum }
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
