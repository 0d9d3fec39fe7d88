import Foundation
import Testing
@testable import Host

// MARK: Helpers shared by the Store*Tests files

/// Runs `body` with a fresh directory under the system temp dir, removed afterwards.
/// A closure whose only `try`s sit inside #expect must say `throws in` itself: closure
/// inference does not see into the macro.
func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
    let directory = NSTemporaryDirectory() + "mini-siem-store-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try body(directory)
}

/// Runs `body` with a new store in a temporary directory.
func withTemporaryStore(_ body: (Store) throws -> Void) throws {
    try withTemporaryDirectory { directory in
        try body(Store(path: directory + "/siem.db"))
    }
}

/// Nanoseconds for a number of seconds: keeps fake times readable.
func seconds(_ value: Int64) -> Int64 { value * 1_000_000_000 }

/// The text of whatever `body` throws, or nil if it does not throw.
func thrownDescription(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return "\(error)"
    }
}

// MARK: Opening, schema and failures

@Suite("Store opening and schema")
struct StoreTests {
    @Test func createsParentDirectoriesPrivately() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/a/b/siem.db"
            let store = try Store(path: path)
            #expect(store.schemaVersion == Store.latestSchemaVersion)
            #expect(FileManager.default.fileExists(atPath: path))
            for created in [directory + "/a", directory + "/a/b"] {
                #expect(try permissions(created) == 0o700)
            }
        }
    }

    /// Also shows WAL mode is on: the -wal and -shm files exist.
    @Test func databaseAndItsWriteAheadLogAreOwnerOnly() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/siem.db"
            let store = try Store(path: path)
            try store.insertEvents([StoredEvent(timeNs: 1, kind: "auth_failure", user: "hunter2")])
            for file in [path, path + "-wal", path + "-shm"] {
                #expect(try permissions(file) == 0o600)
            }
        }
    }

    private func permissions(_ path: String) throws -> Int? {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test func reopeningKeepsDataAndSchemaVersion() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/siem.db"
            do {
                let store = try Store(path: path)
                try store.insertEvents([StoredEvent(timeNs: seconds(1), kind: "auth_failure", address: "192.0.2.1")])
                try store.recordAction(StoredAction(timeNs: seconds(2), action: "block", address: "192.0.2.1", origin: "cli"))
                try store.upsertBan(StoredBan(address: "192.0.2.1", sinceNs: seconds(2), untilNs: seconds(100),
                                              reason: "test", count: 1, origin: "cli"))
                try store.setState(plugin: "ssh_source", key: "cursor", value: "s=abc")
            }
            let store = try Store(path: path)
            #expect(store.schemaVersion == Store.latestSchemaVersion)
            #expect(try store.events(EventFilter()).map(\.address) == ["192.0.2.1"])
            #expect(try store.actions().map(\.action) == ["block"])
            #expect(try store.activeBan(address: "192.0.2.1", now: seconds(50))?.count == 1)
            #expect(try store.state(plugin: "ssh_source", key: "cursor") == "s=abc")
        }
    }

    @Test func refusesDatabaseFromNewerSchema() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/siem.db"
            do {
                let store = try Store(path: path)
                try store.execute("PRAGMA user_version = \(Store.latestSchemaVersion + 1)")
            }
            let expected = StoreError.newerSchema(path: path, found: Store.latestSchemaVersion + 1,
                                                  supported: Store.latestSchemaVersion)
            #expect(throws: expected) { try Store(path: path) }
            #expect(throws: expected) { try Store(path: path, readOnly: true) }
            #expect(expected.description.contains(path))
        }
    }

    @Test func corruptFileIsAClearError() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/siem.db"
            let garbage = Data((0..<8192).map { _ in UInt8.random(in: 0...255) })
            try garbage.write(to: URL(fileURLWithPath: path))
            for readOnly in [false, true] {
                let message = thrownDescription { _ = try Store(path: path, readOnly: readOnly) }
                #expect(message?.contains(path) == true)
                #expect(message?.contains("not a database") == true)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        }
    }

    @Test func unwritableLocationIsAClearError() throws {
        // Tests may run as root, which ignores permission bits: a regular file standing where a
        // directory should be fails for everyone.
        try withTemporaryDirectory { directory in
            let file = directory + "/x-file"
            try Data("not a directory".utf8).write(to: URL(fileURLWithPath: file))
            for path in [file + "/db", file + "/sub/db"] {
                let message = thrownDescription { _ = try Store(path: path) }
                #expect(message?.contains(path) == true)
                #expect(message?.contains("not a directory") == true)
            }
        }
    }

    @Test func readOnlyOpenOfMissingFileFailsWithoutCreatingIt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/missing/siem.db"
            let message = thrownDescription { _ = try Store(path: path, readOnly: true) }
            #expect(message?.contains(path) == true)
            #expect(!FileManager.default.fileExists(atPath: directory + "/missing"))
        }
    }

    @Test func readOnlyOpenOfUnmigratedFileIsRefused() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/siem.db"
            try Data().write(to: URL(fileURLWithPath: path))
            #expect(throws: StoreError.outdatedSchema(path: path, found: 0, required: Store.latestSchemaVersion)) {
                try Store(path: path, readOnly: true)
            }
        }
    }

    @Test func readOnlyStoreRejectsWrites() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/siem.db"
            _ = try Store(path: path)
            let reader = try Store(path: path, readOnly: true)
            let message = thrownDescription { try reader.setState(plugin: "p", key: "k", value: "v") }
            #expect(message?.contains("readonly") == true)
            #expect(message?.contains(path) == true)
        }
    }
}
