import Testing
@testable import Host

@Suite("Store plugin state")
struct StoreStateTests {
    @Test func setGetOverwriteAndDelete() throws {
        try withTemporaryStore { store in
            #expect(try store.state(plugin: "ssh_source", key: "cursor") == nil)
            try store.setState(plugin: "ssh_source", key: "cursor", value: "s=1;i=2")
            try store.setState(plugin: "ssh_source", key: "/var/log/auth.log", value: "ino=5 off=1024")
            try store.setState(plugin: "other", key: "cursor", value: "theirs")
            #expect(try store.state(plugin: "ssh_source", key: "cursor") == "s=1;i=2")

            try store.setState(plugin: "ssh_source", key: "cursor", value: "s=1;i=3")
            #expect(try store.state(plugin: "ssh_source", key: "cursor") == "s=1;i=3")
            #expect(try store.state(plugin: "other", key: "cursor") == "theirs")

            try store.setState(plugin: "ssh_source", key: "cursor", value: nil)
            #expect(try store.state(plugin: "ssh_source", key: "cursor") == nil)
            #expect(try store.state(plugin: "ssh_source", key: "/var/log/auth.log") == "ino=5 off=1024")
            try store.setState(plugin: "ssh_source", key: "never-set", value: nil)
        }
    }

    @Test func emptyAndHostileTextIsStoredVerbatim() throws {
        try withTemporaryStore { store in
            try store.setState(plugin: "p'; --", key: "", value: "")
            #expect(try store.state(plugin: "p'; --", key: "") == "")
        }
    }
}
