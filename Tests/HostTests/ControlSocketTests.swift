import Foundation
import Testing
@testable import Host

/// The control socket on its own: one JSON line in, one out, and a client that goes away
/// early must not take the daemon with it.
@Suite("Control socket")
struct ControlSocketTests {
    static func withServer(_ body: (_ socket: String, _ engine: Engine) throws -> Void) throws {
        _ = LogCapture.shared
        try withScratchDirectory { root in
            let config = daemonConfig(root: root, pluginDir: root + "/plugins")
            let engine = try Engine(config: config, store: try Store(path: config.database))
            try engine.start()
            let server = ControlServer(path: config.controlSocket, engine: engine)
            try server.start()
            defer {
                server.stop()
                engine.stop()
            }
            try body(config.controlSocket, engine)
        }
    }

    @Test func answersPingStatsAndRefusesGarbage() throws {
        try Self.withServer { socket, _ in
            #expect(try controlRequest(ControlRequest(command: "ping"), socket: socket).message == "pong")
            let stats = try controlRequest(ControlRequest(command: "stats"), socket: socket)
            #expect(stats.ok)
            let decoded = try JSONDecoder().decode(HostStats.self, from: Data(try #require(stats.detail).utf8))
            #expect(decoded.store.events == 0)
            let unknown = try controlRequest(ControlRequest(command: "reboot"), socket: socket)
            #expect(!unknown.ok)
            #expect(unknown.message.contains("unknown command reboot"))
            let noAddress = try controlRequest(ControlRequest(command: "block"), socket: socket)
            #expect(!noAddress.ok)
        }
    }

    @Test func socketIsOnlyForItsOwner() throws {
        try Self.withServer { socket, _ in
            var st = stat()
            #expect(stat(socket, &st) == 0)
            #expect(st.st_mode & 0o077 == 0)
        }
    }

    @Test func clientThatStopsReadingDoesNotKillTheProcess() throws {
        try Self.withServer { socket, _ in
            // The reply goes to a peer that will not read: without MSG_NOSIGNAL the write
            // raises SIGPIPE, which ends the whole process (the daemon, here the test run).
            let fd = try UnixSocket.connect(socket)
            shutdown(fd, Int32(SHUT_RD))
            UnixSocket.writeAll(fd, JSONText.encode(ControlRequest(command: "ping")) + "\n")
            // The server handles one connection at a time: this answer comes after that write.
            let reply = try controlRequest(ControlRequest(command: "ping"), socket: socket)
            close(fd)
            #expect(reply.message == "pong")
        }
    }
}
