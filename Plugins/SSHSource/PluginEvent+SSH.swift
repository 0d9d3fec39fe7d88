import PluginABI
import PluginKit
import SSHLog

extension PluginEvent {
    /// An event from one line of a log file.
    init(_ event: SSHLogEvent, raw: String, source: String) {
        self.init(kind: event.kind, timeNs: event.timeNs, address: event.address, port: event.port, user: event.user,
                  isRepeat: event.isRepeat)
        service = event.process
        host = event.host
        pid = event.pid ?? 0
        self.raw = raw
        self.source = source
    }

    /// An event from one journal entry, whose MESSAGE was classified as `message`.
    init(_ message: SSHMessage, entry: JournalEntry, raw: String) {
        self.init(kind: message.kind, timeNs: Int64(clamping: entry.realtimeUsec) &* 1000,
                  address: message.address, port: message.port, user: message.user, isRepeat: message.isRepeat)
        service = entry.identifier ?? entry.command
        host = entry.hostname
        pid = entry.pid ?? 0
        self.raw = raw
        source = "journal"
    }

    private init(kind: SSHEventKind, timeNs: Int64, address: IPAddress?, port: UInt16?, user: String?, isRepeat: Bool) {
        self.init(kind: kind.rawValue, timeNs: timeNs)
        self.address = address?.description
        family = address.map { UInt32($0.family) } ?? 0
        self.port = port.map(UInt32.init) ?? 0
        self.user = user
        // A success is worth recording but is not an attack by itself.
        severity = kind == .authSuccess ? SIEM_SEVERITY_INFO.rawValue : SIEM_SEVERITY_LOW.rawValue
        flags = isRepeat ? SIEM_EVENT_FLAG_REPEAT.rawValue : 0
    }
}
