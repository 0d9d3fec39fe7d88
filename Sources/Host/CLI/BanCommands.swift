import ArgumentParser
import Foundation
import SSHLog

/// `mini-siem unblock ADDR`: lifts a ban in the store and the firewall.
struct UnblockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock",
        abstract: "Lift the block on an address (through the running daemon, or in the store when it is stopped).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The address to unblock.") var address: String
    @Option(help: "Why, for the audit trail.") var reason = "unblocked from the CLI"

    func validate() throws {
        guard IPAddress(address) != nil else { throw ValidationError("not an IP address: \(address)") }
    }

    func run() throws {
        let config = try global.loadConfig()
        let request = ControlRequest(command: "unblock", address: address, reason: reason)
        try BanChange.send(request, config: config, global: global)
    }
}

/// `mini-siem block ADDR`: blocks by hand (fail2ban's `banip`).
struct BlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block", abstract: "Block an address by hand (the whitelist still applies).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The address to block.") var address: String
    @Option(help: "Seconds (default: block_seconds, escalated for repeat offenders).") var duration: Int64?
    @Option(help: "Why, for the audit trail.") var reason = "blocked from the CLI"

    func validate() throws {
        guard IPAddress(address) != nil else { throw ValidationError("not an IP address: \(address)") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
    }

    func run() throws {
        let config = try global.loadConfig()
        let request = ControlRequest(command: "block", address: address, durationSeconds: duration, reason: reason)
        try BanChange.send(request, config: config, global: global)
    }
}

/// Sends a ban change to the daemon; with the daemon stopped, changes the
/// store, which the firewall is reconciled to at the next start.
enum BanChange {
    static func send(_ request: ControlRequest, config: Config, global: GlobalOptions) throws {
        do {
            let reply = try ControlClient.send(request, socket: config.controlSocket)
            print(reply.message)
            if !reply.ok { throw ExitCode.failure }
        } catch let offline as ControlUnavailable {
            let outcome = try offlineChange(request, config: config, global: global)
            print("\(outcome.message) (\(offline); changed the store only; the firewall follows at the next start)")
            if !outcome.ok { throw ExitCode.failure }
        }
    }

    private static func offlineChange(_ r: ControlRequest, config: Config, global: GlobalOptions) throws -> DecisionOutcome {
        let engine = try Engine(config: config, store: try global.openStore(config, readOnly: false))
        let action = r.command == "block" ? 1 : 2 as UInt32
        return engine.apply(DecisionRequest(action: action, address: r.address ?? "", durationSeconds: r.durationSeconds ?? 0,
                                            reason: r.reason ?? r.command, origin: "cli"))
    }
}

/// The CLI side of the control socket.
enum ControlClient {
    static func send(_ request: ControlRequest, socket: String) throws -> ControlReply {
        let fd = try UnixSocket.connect(socket)
        defer { close(fd) }
        // A stuck daemon must not hang the CLI forever.
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        UnixSocket.writeAll(fd, JSONText.encode(request) + "\n")
        guard let line = UnixSocket.readLine(fd, max: 1 << 20),
              let reply = try? JSONDecoder().decode(ControlReply.self, from: Data(line.utf8)) else {
            throw HostError("no valid reply from the daemon at \(socket)")
        }
        return reply
    }
}
