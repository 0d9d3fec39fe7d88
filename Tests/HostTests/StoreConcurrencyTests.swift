import Foundation
import Synchronization
import Testing
@testable import Host

@Suite("Store concurrency")
struct StoreConcurrencyTests {
    @Test func readerInAnotherConnectionSeesOnlyCommittedBatches() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/siem.db"
            let writer = try Store(path: path)
            let reader = try Store(path: path, readOnly: true)
            let batches = 40, batchSize = 250
            let done = Atomic<Bool>(false)

            let writing = DispatchGroup()
            DispatchQueue.global().async(group: writing) {
                for batch in 0..<batches {
                    let events = (0..<batchSize).map {
                        StoredEvent(timeNs: Int64(batch * batchSize + $0), kind: "auth_failure", address: "192.0.2.1")
                    }
                    _ = try? writer.insertEvents(events)
                }
                done.store(true, ordering: .releasing)
            }

            // Read while writing: every count is a whole number of batches and never goes back.
            var seen: [Int64] = []
            repeat {
                seen.append(try reader.stats(now: 0).events)
            } while !done.load(ordering: .acquiring)
            writing.wait()

            #expect(seen.allSatisfy { $0 % Int64(batchSize) == 0 })
            #expect(seen == seen.sorted())
            #expect(try reader.stats(now: 0).events == Int64(batches * batchSize))
            #expect(try reader.events(EventFilter(limit: 1)).first?.timeNs == Int64(batches * batchSize - 1))
        }
    }

    @Test func oneStoreIsSafeFromManyThreads() throws {
        try withTemporaryStore { store throws in
            let failures = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                do {
                    for round in 0..<50 {
                        try store.insertEvents([StoredEvent(timeNs: Int64(round), kind: "k\(worker)")])
                        try store.setState(plugin: "w\(worker)", key: "round", value: "\(round)")
                        _ = try store.events(EventFilter(limit: 5, kind: "k\(worker)"))
                        _ = try store.stats(now: 0)
                    }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
            #expect(failures.load(ordering: .relaxed) == 0)
            #expect(try store.stats(now: 0).events == 400)
            #expect(try store.state(plugin: "w3", key: "round") == "49")
        }
    }
}
