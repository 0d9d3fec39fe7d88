import Foundation
import Testing
@testable import Host

@Suite("Bounded queue")
struct BoundedQueueTests {
    @Test func countsElementsAndRefusesWhenFull() {
        let q = BoundedQueue<Int>(capacity: 2)
        #expect(q.offer(1) && q.offer(2))
        #expect(!q.offer(3))
        #expect(q.take(max: 10) == [1, 2])
        #expect(q.offer(3))
    }

    @Test func weightedRoomIsCountedInWeightAndAHeavyElementStillFitsAnEmptyQueue() throws {
        let q = BoundedQueue<Int>(capacity: 10) { $0 }
        #expect(q.offer(6))
        #expect(!q.offer(6))          // 12 > 10
        #expect(q.offer(1) && q.offer(3))
        #expect(q.take(max: 10) == [6, 1, 3])
        #expect(q.offer(25))          // heavier than the capacity, but the queue is empty
        #expect(!q.offer(1))
        #expect(q.take(max: 10) == [25])
        // Many light elements: the ring grows and keeps their order.
        for i in 1...10 { #expect(q.offer(1), "element \(i)") }
        #expect(q.take(max: 100) == Array(repeating: 1, count: 10))
    }

    @Test func aProducerWaitingForRoomForAHeavyElementIsWoken() throws {
        let q = BoundedQueue<Int>(capacity: 10) { $0 }
        #expect(q.offer(9))
        let put = DispatchSemaphore(value: 0)
        let t = Thread {
            q.put(8)  // waits: 9 + 8 > 10
            put.signal()
        }
        t.start()
        #expect(put.wait(timeout: .now() + 0.1) == .timedOut)
        #expect(q.take(max: 1) == [9])
        #expect(put.wait(timeout: .now() + 10) == .success)
        #expect(q.take(max: 1) == [8])
    }
}
