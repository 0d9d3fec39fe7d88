/// How long a ban lasts: the base duration, multiplied by `factor` for each
/// earlier ban of the same address, capped (fail2ban's bantime.increment).
public struct BanPolicy: Sendable {
    public let baseSeconds: Int64
    public let factor: Double
    public let maxSeconds: Int64

    public init(baseSeconds: Int64, factor: Double, maxSeconds: Int64) {
        self.baseSeconds = baseSeconds
        self.factor = factor
        self.maxSeconds = maxSeconds
    }

    /// Duration of the `count`-th ban (1 = first).
    public func duration(count: Int, requested: Int64 = 0) -> Int64 {
        let base = requested > 0 ? requested : baseSeconds
        var d = Double(base)
        for _ in 1..<max(count, 1) {
            d *= factor
            if d >= Double(maxSeconds) { break }
        }
        // Compare as Double first: converting a product beyond Int64.max would trap.
        let cap = max(maxSeconds, base)
        return d >= Double(cap) ? cap : Int64(d)
    }
}
