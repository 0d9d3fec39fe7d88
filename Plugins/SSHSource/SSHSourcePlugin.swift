#if canImport(Glibc)
import Glibc
#endif
import PluginABI
import PluginKit
import SSHLog

/// The plugin's only exported symbol; the linker version script hides the rest.
@_cdecl("siem_plugin_entry")
public func siem_plugin_entry(_ major: UInt32, _ minor: UInt32) -> UnsafePointer<siem_plugin_descriptor>? {
    PluginExport.descriptor(for: SSHSourcePlugin.self, hostMajor: major, hostMinor: minor)
}

/// `ssh_source`: turns sshd's log lines, from log files or the journal, into events.
final class SSHSourcePlugin: SiemPlugin {
    typealias Config = SourceConfig

    static let name = "ssh_source"
    static let version = "0.1.0"
    static let summary = "sshd events from auth.log/secure (inotify) and the systemd journal"
    static let kinds: PluginKinds = .source
    static let configSchema: String? = """
        {"type":"object","additionalProperties":false,"properties":{\
        "mode":{"enum":["auto","files","journal","both"],"default":"auto"},\
        "read_from_start":{"type":"boolean","default":false},\
        "journal_directory":{"type":"string"},\
        "max_line_bytes":{"type":"integer","minimum":256,"maximum":1048576,"default":16384}}}
        """

    private let host: HostAPI
    private let config: SourceConfig
    private let paths: [String]
    private let stopSignal: StopSignal
    private var files: FileSource?
    private var journal: JournalReader?

    /// Checks the config; nothing is opened until `start`.
    init(host: HostAPI, config: SourceConfig) throws {
        self.host = host
        self.config = config
        paths = try AuthLogs.paths(fromJSON: host.config("auth_logs"))
        stopSignal = try StopSignal()
    }

    func start() throws {
        do {
            try startSources()
        } catch {
            stop() // a source that did start must not outlive a failed start
            throw error
        }
    }

    private func startSources() throws {
        let (useFiles, useJournal) = chooseSources()
        if useJournal {
            let journal = try JournalReader(directory: config.journalDirectory, host: host, stop: stopSignal) {
                [host] entry in Self.emit(entry, to: host)
            }
            try journal.start(readFromStart: config.readFromStart)
            self.journal = journal
        }
        if useFiles {
            var classifier = LineClassifier() // used by the file thread only
            let files = try FileSource(paths: paths, maxLineBytes: config.maxLineBytes, host: host,
                                       stop: stopSignal) { [host] line, path in
                guard let event = classifier.parse(line) else { return }
                Self.send(PluginEvent(event, raw: String(decoding: line, as: UTF8.self), source: path), to: host)
            }
            try files.start(readFromStart: config.readFromStart)
            self.files = files
        }
    }

    /// The host calls `stop` first; this only guards against a host that does not.
    deinit { stop() }

    /// Wakes the reader threads and waits for them; no event is emitted after.
    func stop() {
        stopSignal.signal()
        journal?.join()
        files?.join()
        journal = nil
        files = nil
    }

    /// In `auto` mode, files win when one of them exists now: then the journal's
    /// sshd lines would only repeat them.
    private func chooseSources() -> (files: Bool, journal: Bool) {
        switch config.mode {
        case .files: return (true, false)
        case .journal: return (false, true)
        case .both: return (true, true)
        case .auto:
            let existing = paths.filter { access($0, F_OK) == 0 }
            if existing.isEmpty {
                host.log(SIEM_LOG_INFO, "none of \(paths.joined(separator: ", ")) exists: reading the journal")
                return (false, true)
            }
            host.log(SIEM_LOG_INFO, "reading \(existing.joined(separator: ", ")) (mode auto)")
            return (true, false)
        }
    }

    private static func emit(_ entry: JournalEntry, to host: HostAPI) {
        guard let message = entry.message else {
            host.log(SIEM_LOG_WARNING, "skipping a journal entry whose MESSAGE cannot be read: \(errnoText(entry.messageError ?? -ENODATA))")
            return
        }
        guard entry.isFromSSHD else {
            host.log(SIEM_LOG_DEBUG, "ignoring an entry named \(entry.identifier ?? "?") but sent by \(entry.command ?? "?")")
            return
        }
        let parsed = message.withUnsafeBufferPointer { SSHMessageParser.parse($0) }
        guard let parsed else { return }
        send(PluginEvent(parsed, entry: entry, raw: String(decoding: message, as: UTF8.self)), to: host)
    }

    private static func send(_ event: PluginEvent, to host: HostAPI) {
        let rc = host.emit(event)
        if rc != SIEM_OK {
            host.log(SIEM_LOG_WARNING, "host refused an event (rc \(rc.rawValue)): \(event.raw ?? "")")
        }
    }
}
