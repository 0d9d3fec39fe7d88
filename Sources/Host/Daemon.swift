import Foundation
import Logging
import PluginABI

/// The daemon: loads plugins, runs the pipeline, serves the control socket,
/// and shuts down cleanly on SIGTERM/SIGINT.
public final class Daemon {
    let config: Config
    let logger = Logger(label: "daemon")
    let engine: Engine
    private(set) var started: [PluginInstance] = []
    private var control: ControlServer?

    /// Opens the store; throws a clear error when it cannot. `securityLog`
    /// receives a line per recognized event when `log_level` is info or lower.
    public init(config: Config, securityLog: RotatingFile? = nil) throws {
        self.config = config
        engine = try Engine(config: config, store: try Store(path: config.database))
        if let securityLog, ["trace", "debug", "info"].contains(config.logLevel) {
            engine.eventLog = EventLog(file: securityLog)
        }
    }

    /// Loads, creates and starts the plugins. Failures are logged, one line
    /// per plugin, and the daemon goes on with the rest.
    /// `replay` skips source plugins and the control socket: events come
    /// from `feed(_:)` instead.
    public func start(replay: Bool = false) throws {
        let found = PluginLoader.load(directory: config.pluginDir)
        for refusal in found.refused { logger.error("\(refusal)") }
        var created: [PluginInstance] = []
        for file in found.plugins {
            if replay && file.has(SIEM_KIND_SOURCE) { continue }
            if config.disabledPlugins.contains(file.name) {
                logger.notice("plugin disabled by config", metadata: ["plugin": "\(file.name)", "file": "\(file.path)"])
                continue
            }
            let p = PluginInstance(file: file, engine: engine, config: config)
            if file.has(SIEM_KIND_ACTION) || file.has(SIEM_KIND_UI) {
                p.worker = PluginWorker(plugin: p, capacity: config.queueCapacity)
            }
            do {
                try p.create(configJSON: config.pluginSections[file.name] ?? "{}")
                created.append(p)
            } catch {
                logger.error("\(error)")
            }
        }
        for section in config.unusedPluginSections(installed: found.plugins) {
            logger.warning("config has a section for a plugin that is not installed", metadata: ["plugin": "\(section)"])
        }
        engine.enrichers = created.filter { $0.file.has(SIEM_KIND_ENRICHER) }
        engine.detectors = created.filter { $0.file.has(SIEM_KIND_DETECTOR) }
        engine.workers = created.compactMap(\.worker)
        engine.workers.forEach { $0.start() }
        try engine.start()
        // Consumers first, sources last, so nothing is emitted into a void.
        for p in created.sorted(by: { Self.startRank($0) < Self.startRank($1) }) {
            do {
                try p.start()
                started.append(p)
                logger.info("plugin started", metadata: ["plugin": "\(p.name)", "version": "\(p.file.version)"])
            } catch {
                logger.error("\(error)")
            }
        }
        if replay { return }
        let server = ControlServer(path: config.controlSocket, engine: engine)
        do {
            try server.start()
            control = server
        } catch {
            logger.error("control socket unavailable; `mini-siem unblock` will edit the store only", metadata: ["error": "\(error)"])
        }
        logger.notice("mini-siem running", metadata: [
            "plugins": "\(started.map(\.name).joined(separator: ","))", "database": "\(config.database)",
        ])
    }

    /// Replay: hands one parsed event to the pipeline (waits when it is full).
    func feed(_ event: IncomingEvent) {
        engine.inbox.put(.event(event))
    }

    /// Sources stop first; then the pipeline drains, then each worker within
    /// `deadline`; then the rest stop in reverse order of start.
    public func stop(deadline: TimeInterval = 5) {
        logger.notice("shutting down")
        control?.stop()
        let sources = started.filter { $0.file.has(SIEM_KIND_SOURCE) }
        for p in sources.reversed() { p.stop() }
        engine.stop()
        let end = Date(timeIntervalSinceNow: deadline)
        var stuck: Set<String> = []
        for w in engine.workers where !w.drain(deadline: end) {
            stuck.insert(w.plugin.name)
            logger.error("plugin did not finish its queue in time; not stopping it", metadata: [
                "plugin": "\(w.plugin.name)", "queue.depth": "\(w.stats.depth)",
            ])
        }
        for p in started.reversed() where !p.file.has(SIEM_KIND_SOURCE) && !stuck.contains(p.name) { p.stop() }
        for p in started.reversed() where !stuck.contains(p.name) { p.destroy() }
        started.removeAll()
    }

    /// Blocks SIGTERM/SIGINT in every thread and waits for one. Call before
    /// `start()` so the threads it creates inherit the mask.
    public static func blockSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    public static func waitForSignal() -> Int32 {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        var sig: Int32 = 0
        sigwait(&set, &sig)
        return sig
    }

    private static func startRank(_ p: PluginInstance) -> Int {
        if p.file.has(SIEM_KIND_SOURCE) { return 3 }
        if p.file.has(SIEM_KIND_DETECTOR) { return 2 }
        if p.file.has(SIEM_KIND_ENRICHER) { return 1 }
        return 0
    }
}
