import Foundation

/// A FIFO of fixed capacity shared between threads. `put` waits for room
/// (back-pressure), `offer` refuses when full (the caller counts the drop).
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ring: [Element?]
    private var head = 0
    private var count = 0
    private var closed = false

    init(capacity: Int) { ring = Array(repeating: nil, count: max(1, capacity)) }

    var depth: Int { condition.withLock { count } }

    /// Waits while full. Returns false once the queue is closed.
    @discardableResult
    func put(_ e: Element) -> Bool {
        condition.withLock {
            while count == ring.count && !closed { condition.wait() }
            guard !closed else { return false }
            append(e)
            return true
        }
    }

    /// Adds without waiting; false when full or closed.
    func offer(_ e: Element) -> Bool {
        condition.withLock {
            guard count < ring.count && !closed else { return false }
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
            // Only a full queue can have producers waiting in `put`.
            let wasFull = count == ring.count
            var out: [Element] = []
            out.reserveCapacity(min(max, count))
            while count > 0 && out.count < max {
                out.append(ring[head]!)
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

    private func append(_ e: Element) {
        ring[(head + count) % ring.count] = e
        count += 1
        // Only an empty queue can have a consumer waiting in `take`: waking it once per
        // element would cost a futex call per event.
        if count == 1 { condition.broadcast() }
    }
}

