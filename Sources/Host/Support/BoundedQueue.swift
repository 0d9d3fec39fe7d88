import Foundation

/// A FIFO of fixed capacity shared between threads. `put` waits for room
/// (back-pressure), `offer` refuses when full (the caller counts the drop).
/// Room is counted in elements, or in `weight` units when given (the audit
/// writer's queue: a run of 4 096 events weighs 4 096, a ban 1); an element
/// heavier than the whole capacity still goes into an empty queue.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ring: [Element?]
    private var head = 0
    private var count = 0
    private var closed = false
    private let capacity: Int
    private let weight: ((Element) -> Int)?
    private var load = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        weight = nil
        ring = Array(repeating: nil, count: self.capacity)
    }

    /// A queue of at most `capacity` weight units.
    init(capacity: Int, weight: @escaping (Element) -> Int) {
        self.capacity = max(1, capacity)
        self.weight = weight
        ring = Array(repeating: nil, count: 16)
    }

    var depth: Int { condition.withLock { count } }

    /// Waits while full. Returns false once the queue is closed.
    @discardableResult
    func put(_ e: Element) -> Bool {
        let w = weight?(e) ?? 1
        return condition.withLock {
            while isFull(adding: w) && !closed { condition.wait() }
            guard !closed else { return false }
            append(e)
            return true
        }
    }

    /// Adds without waiting; false when full or closed.
    func offer(_ e: Element) -> Bool {
        let w = weight?(e) ?? 1
        return condition.withLock {
            guard !isFull(adding: w) && !closed else { return false }
            append(e)
            return true
        }
    }

    /// Takes up to `max` elements, waiting until at least one is there or the
    /// deadline passes (nil: no deadline). Empty once closed and drained.
    func take(max: Int, until deadline: Date? = nil) -> [Element] {
        condition.withLock {
            while count == 0 && !closed {
                // NSCondition.wait(until: .distantFuture) traps on Linux.
                if let deadline {
                    if !condition.wait(until: deadline) { break }
                } else {
                    condition.wait()
                }
            }
            // Only a full queue can have producers waiting in `put` (for a weighted one,
            // full for the element they hold, which may be heavy: wake them always).
            let wasFull = weight != nil || count == capacity
            var out: [Element] = []
            out.reserveCapacity(min(max, count))
            while count > 0 && out.count < max {
                let e = ring[head]!
                load -= weight?(e) ?? 1
                out.append(e)
                ring[head] = nil
                head = (head + 1) % ring.count
                count -= 1
            }
            if wasFull && !out.isEmpty { condition.broadcast() }
            return out
        }
    }

    /// Wakes every waiter; later `put`/`offer` fail, `take` drains what is left.
    func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    /// True once `close()` was called.
    var isClosed: Bool { condition.withLock { closed } }

    /// True once `close()` was called and nothing is left to take.
    var isClosedAndEmpty: Bool { condition.withLock { closed && count == 0 } }

    /// Whether an element of weight `w` must wait. Elements only: at capacity. Weighted:
    /// when it would overflow, unless the queue is empty.
    private func isFull(adding w: Int) -> Bool {
        weight == nil ? count == capacity : count > 0 && load + w > capacity
    }

    private func append(_ e: Element) {
        if count == ring.count { grow() }
        ring[(head + count) % ring.count] = e
        count += 1
        load += weight?(e) ?? 1
        // Only an empty queue can have a consumer waiting in `take`: waking it once per
        // element would cost a futex call per event.
        if count == 1 { condition.broadcast() }
    }

    /// Weighted queues hold any number of elements: the ring doubles, in order.
    private func grow() {
        var bigger = [Element?](repeating: nil, count: ring.count * 2)
        for i in 0..<count { bigger[i] = ring[(head + i) % ring.count] }
        ring = bigger
        head = 0
    }
}

