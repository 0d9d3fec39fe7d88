import ArgumentParser
import Foundation
import SSHLog

/// `mini-siem events`: recorded security events, newest first.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Show recorded security events.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "How many events to show.") var limit = 20
    @Option(help: "Only events from this address.") var ip: String?
    @Option(help: "Only events of this kind (auth_failure, invalid_user, ...).") var kind: String?
    @Option(help: "Only events after this time: 2026-11-26, 2026-11-26T08:00:00Z, or an age like 30m, 2h, 7d.")
    var since: String?

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
        if let ip, IPAddress(ip) == nil { throw ValidationError("--ip: not an IP address: \(ip)") }
        if let since, Timestamp.parse(since) == nil { throw ValidationError("--since: cannot read time \(since)") }
    }

    func run() throws {
        let config = try global.loadConfig()
        let filter = EventFilter(limit: limit, address: ip.flatMap { IPAddress($0)?.description }, kind: kind,
                                 sinceNs: since.flatMap { Timestamp.parse($0) })
        let events = try global.openStore(config).events(filter)
        if output.json { return print(JSONText.encode(events, pretty: true)) }
        print(Table.render(["TIME", "KIND", "ADDRESS", "PORT", "USER", "SERVICE"], events.map {
            [Timestamp.iso8601($0.timeNs), $0.kind, $0.address ?? "-", $0.port.map(String.init) ?? "-",
             $0.user ?? "-", $0.service ?? "-"]
        }))
    }
}

/// `mini-siem actions`: the audit trail of blocks, unblocks and expiries.
struct ActionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "actions", abstract: "Show the audit trail of actions.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "How many actions to show.") var limit = 20

    func run() throws {
        let config = try global.loadConfig()
        let actions = try global.openStore(config).actions(limit: limit)
        if output.json { return print(JSONText.encode(actions, pretty: true)) }
        print(Table.render(["TIME", "ACTION", "ADDRESS", "DURATION", "ORIGIN", "REASON"], actions.map {
            [Timestamp.iso8601($0.timeNs), $0.action, $0.address ?? "-", $0.durationSeconds.map { "\($0)s" } ?? "-",
             $0.origin, $0.reason ?? "-"]
        }))
    }
}

/// `mini-siem blocked`: addresses blocked now.
struct BlockedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "blocked", abstract: "List the addresses blocked now.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let config = try global.loadConfig()
        let now = Timestamp.nowNs()
        let bans = try global.openStore(config).activeBans(now: now)
        if output.json { return print(JSONText.encode(bans, pretty: true)) }
        if bans.isEmpty { return print("No address is blocked.") }
        print(Table.render(["ADDRESS", "SINCE", "UNTIL", "LEFT", "BANS", "REASON"], bans.map {
            [$0.address, Timestamp.iso8601($0.sinceNs), Timestamp.iso8601($0.untilNs),
             "\(max(0, ($0.untilNs - now) / 1_000_000_000))s", "\($0.count)", $0.reason]
        }))
    }
}
