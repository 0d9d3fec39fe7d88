import Foundation
import Logging
import PluginABI

/// Serves the CLI on a Unix socket (mode 0600), one request per connection,
/// so `mini-siem unblock` changes store and firewall together.
final class ControlServer: @unchecked Sendable {
    let path: String
    unowned let engine: Engine
    private let logger = Logger(label: "control")
    private var fd: Int32 = -1
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    init(path: String, engine: Engine) {
        self.path = path
        self.engine = engine
    }

    func start() throws {
        fd = try UnixSocket.listen(path)
        let t = Thread { [self] in
            acceptLoop()
            finished.signal()
        }
        t.name = "control"
        thread = t
        t.start()
    }

    /// Wakes the accept loop, waits for it, then closes the socket (closing
    /// first could let a new file reuse the number under a blocked accept).
    func stop() {
        guard fd >= 0 else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        finished.wait()
        close(fd)
        fd = -1
        unlink(path)
    }

    private func acceptLoop() {
        let listener = fd
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return  // closed by stop()
            }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let reply = handle(UnixSocket.readLine(client, max: controlMaxRequestBytes))
            UnixSocket.writeAll(client, JSONText.encode(reply) + "\n")
            close(client)
        }
    }

    func handle(_ line: String?) -> ControlReply {
        guard let line, let request = try? JSONDecoder().decode(ControlRequest.self, from: Data(line.utf8)) else {
            return ControlReply(ok: false, message: "malformed request (expected one JSON object per line)")
        }
        switch request.command {
        case "ping":
            return ControlReply(ok: true, message: "pong")
        case "stats":
            engine.audit.sync()
            let stats = engine.onPipeline { e in Result { try e.stats(now: e.clock()) } }
            guard let stats, case .success(let s) = stats else { return ControlReply(ok: false, message: "stats unavailable") }
            return ControlReply(ok: true, message: "stats", detail: JSONText.encode(s))
        case "block", "unblock":
            guard let address = request.address else { return ControlReply(ok: false, message: "address missing") }
            let action = request.command == "block" ? SIEM_ACTION_BLOCK : SIEM_ACTION_UNBLOCK
            let decision = DecisionRequest(
                action: action.rawValue, address: address, durationSeconds: request.durationSeconds ?? 0,
                reason: request.reason ?? "\(request.command) from the CLI", origin: "cli")
            guard let outcome = engine.onPipeline({ $0.apply(decision) }) else {
                return ControlReply(ok: false, message: "daemon is shutting down")
            }
            // The CLI reads the store next: answer once the change is in it.
            engine.audit.sync()
            logger.info("control \(request.command)", metadata: ["client.ip": "\(address)", "ok": "\(outcome.ok)"])
            return ControlReply(ok: outcome.ok, message: outcome.message)
        default:
            return ControlReply(ok: false, message: "unknown command \(request.command) (known: block, unblock, stats, ping)")
        }
    }
}
