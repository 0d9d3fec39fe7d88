import ArgumentParser
import Foundation
import SSHLog

/// `mini-siem replay`: the full pipeline (parse, detect, decide, SQLite audit,
/// action plugins) over log files, as fast as it goes. For benchmarks and for
/// trying a config on old logs; point `database` at a scratch file and set
/// the blocker's `dry_run: true` unless you mean it.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run log files through the whole pipeline (store, detectors, action plugins) and exit.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Plugin directory (overrides `plugin_dir`).") var pluginDir: String?
    @Argument(help: "Log files; - reads standard input.") var files: [String]

    func run() throws {
        var config = try global.loadConfig()
        if let pluginDir { config.pluginDir = pluginDir }
        LogSetup.bootstrap(config: config, files: false)
        let daemon = try Daemon(config: config)
        try daemon.start(replay: true)
        let parser = SSHLogLineParser(reference: Timestamp.nowNs())
        let started = Timestamp.nowNs()
        var lines = 0
        for file in files {
            let fd = file == "-" ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw HostError("cannot open \(file): \(String(cString: strerror(errno)))") }
            defer { if fd != STDIN_FILENO { close(fd) } }
            try LineReader(fd: fd).forEachLine { bytes, _ in
                lines += 1
                guard let e = parser.parse(bytes) else { return }
                daemon.feed(EventBridge.stored(e, raw: bytes, source: file))
            }
        }
        daemon.stop()
        let seconds = Double(Timestamp.nowNs() - started) / 1e9
        let c = daemon.engine.counters.withLock { $0 }
        print("""
            replayed \(lines) lines in \(String(format: "%.2f", seconds))s (\(Int(Double(lines) / max(seconds, 1e-9))) lines/s)
            events stored \(c.eventsStored), blocks \(c.blocks), whitelist hits \(c.whitelistHits), possible compromises \(c.compromises)
            """)
    }
}
