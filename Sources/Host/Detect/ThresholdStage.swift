import SSHLog

/// Counts weighted attempts per address in a sliding window and says when an
/// address reaches the threshold. Memory is bounded: addresses whose window
/// has passed are evicted, and at most `maxTracked` are kept.
///
/// One attempt is one event of a kind with a non-zero weight (config
/// `event_weights`); its weight is what it adds. Lines that only repeat
/// another (PAM's echo of `Failed password`) never reach this stage.
public struct ThresholdStage {
    public let threshold: Double
    public let windowNs: Int64
    public let weights: [String: Double]
    public let maxTracked: Int

    private(set) var tracks: [IPAddress: AttemptTrack] = [:]
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
        var t = tracks.removeValue(forKey: address) ?? AttemptTrack()
        t.drop(upTo: timeNs - windowNs)
        t.append(AttemptTrack.pack(timeNs: timeNs, weight: w))
        let sum = t.sum
        if sum + 1e-3 >= threshold { return sum }
        if tracks.count >= maxTracked { evictOldest() }
        tracks[address] = t
        return nil
    }

    /// Forgets an address (after an unblock, so old failures do not re-ban it).
    public mutating func forget(_ address: IPAddress) { tracks[address] = nil }

    /// Drops addresses whose newest attempt is older than the window.
    public mutating func sweep(now: Int64) {
        let start = now - windowNs
        // Collect, then remove: a filtered copy (or mutating while iterating,
        // which copies too) would double the table at its largest.
        let stale = tracks.compactMap { $0.value.lastNs <= start ? $0.key : nil }
        for address in stale { tracks[address] = nil }
        lastSweep = now
    }

    private mutating func sweepIfDue(now: Int64) {
        if now - lastSweep >= windowNs / 4 || now < lastSweep { sweep(now: now) }
    }

    private mutating func evictOldest() {
        // Rare (only at the cap): drop the oldest tenth in one pass.
        let keep = tracks.sorted { $0.value.lastNs > $1.value.lastNs }.prefix(maxTracked * 9 / 10)
        tracks = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
