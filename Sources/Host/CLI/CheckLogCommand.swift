import ArgumentParser
import Foundation
import SSHLog

/// `mini-siem check-log`: a dry run like fail2ban-regex. Parses log files and
/// prints every recognized event, then which addresses the config would block.
struct CheckLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-log",
        abstract: "Parse sshd log files (or - for stdin) and show what mini-siem recognizes and would block.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "One JSON object per recognized line: line, file, kind, ip, port, user, time, process.")
    var json = false
    @Flag(name: .long, help: "Print only the summary (counts and the addresses that would be blocked).")
    var summary = false
    @Argument(help: "Log files; - reads standard input.") var files: [String]

    func validate() throws {
        if json && summary { throw ValidationError("--json and --summary exclude each other") }
    }

    func run() throws {
        let config = try global.loadConfig()
        var replay = ThresholdReplay(config: config)
        let parser = SSHLogLineParser(reference: Timestamp.nowNs())
        var out = OutputBuffer()
        var table: [[String]] = []
        var lines = 0
        // Read once: the flags' property wrappers cost more per line than the JSON.
        let json = self.json, summary = self.summary
        for file in files {
            let fd = file == "-" ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw HostError("cannot open \(file): \(String(cString: strerror(errno)))") }
            defer { if fd != STDIN_FILENO { close(fd) } }
            let name = file == "-" ? "<stdin>" : file
            let jsonLine = CheckLogJSON(file: name)
            try LineReader(fd: fd).forEachLine { bytes, number in
                lines = number
                guard let e = parser.parse(bytes) else { return }
                // --json prints no report, so it skips the threshold stage.
                if json { return jsonLine.append(e, number: number, to: &out) }
                replay.record(e)
                if !summary {
                    table.append(["\(name):\(number)", Timestamp.iso8601(e.timeNs), e.kind.name,
                                  e.address?.description ?? "-", e.user ?? "-"])
                }
            }
            replay.linesRead += lines
        }
        if json { return out.flush() }
        if !summary { print(Table.render(["LINE", "TIME", "KIND", "ADDRESS", "USER"], table)) }
        print(replay.report())
    }
}

/// Runs the threshold stage and whitelist over parsed events, as the daemon would.
struct ThresholdReplay {
    let config: Config
    var stage: ThresholdStage
    let whitelist: Whitelist
    var linesRead = 0
    var events = 0
    var byKind: [String: Int] = [:]
    var blocks: [(address: String, time: Int64, count: Double)] = []
    var whitelisted: Set<String> = []
    var blocked: Set<IPAddress> = []

    init(config: Config) {
        self.config = config
        stage = ThresholdStage(threshold: config.failuresThreshold, windowSeconds: config.windowSeconds,
                               weights: config.eventWeights, maxTracked: config.maxTrackedAddresses)
        whitelist = Whitelist(config.whitelist)
    }

    mutating func record(_ e: SSHLogEvent) {
        events += 1
        byKind[e.kind.name, default: 0] += 1
        guard let a = e.address, !e.isRepeat, !blocked.contains(a) else { return }
        guard let count = stage.record(kind: e.kind.name, address: a, timeNs: e.timeNs) else { return }
        if whitelist.match(a) != nil {
            whitelisted.insert(a.description)
        } else {
            blocked.insert(a)
            blocks.append((a.description, e.timeNs, count))
        }
    }

    func report() -> String {
        var s = "\n\(linesRead) lines, \(events) events"
        s += byKind.isEmpty ? "\n" : " (" + byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")\n"
        s += "With failures_threshold \(Engine.format(config.failuresThreshold)) in \(config.windowSeconds)s, "
        if blocks.isEmpty {
            s += "no address would be blocked."
        } else {
            s += "\(blocks.count) address(es) would be blocked:\n"
            s += Table.render(["ADDRESS", "AT", "ATTEMPTS"], blocks.map { [$0.address, Timestamp.iso8601($0.time), Engine.format($0.count)] })
        }
        if !whitelisted.isEmpty {
            s += "\nReached the threshold but whitelisted: \(whitelisted.sorted().joined(separator: ", "))"
        }
        return s
    }
}
