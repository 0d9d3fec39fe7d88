import Foundation
import PluginABI
import PluginKit
import SSHLog

/// Converts between the C event and the host's `StoredEvent`.
enum EventBridge {
    /// Kind names by `siem_event_kind` value.
    static func kindName(_ raw: UInt32) -> String {
        if let k = SSHEventKind(rawValue: raw) { return k.name }
        return raw == SIEM_EVENT_POSSIBLE_COMPROMISE.rawValue ? "possible_compromise" : "other"
    }

    static func kindValue(_ name: String) -> UInt32 {
        if let k = SSHEventKind(name: name) { return k.rawValue }
        return name == "possible_compromise" ? SIEM_EVENT_POSSIBLE_COMPROMISE.rawValue : SIEM_EVENT_OTHER.rawValue
    }

    /// Copies a borrowed C event. Throws when its address is not an address.
    static func stored(_ c: UnsafePointer<siem_event>) throws -> IncomingEvent {
        let e = c.pointee
        func s(_ p: UnsafePointer<CChar>?) -> String? { p.map { String(cString: $0) } }
        var address: IPAddress?
        if let text = e.address {
            guard let a = IPAddress(String(cString: text)) else {
                throw HostError("event address is not an IP address: \(String(cString: text))")
            }
            address = a
        }
        let event = StoredEvent(
            timeNs: e.time_ns, kind: kindName(e.kind), address: address?.description,
            port: e.port == 0 ? nil : Int(e.port), user: s(e.user), service: s(e.service), host: s(e.host),
            pid: e.pid == 0 ? nil : e.pid, severity: Int(e.severity), source: s(e.source), raw: s(e.raw),
            attributesJSON: s(e.attributes_json))
        return IncomingEvent(event: event, address: address, counts: e.flags & SIEM_EVENT_FLAG_REPEAT.rawValue == 0)
    }

    /// An event parsed in the host itself (replay, check-log).
    static func stored(_ e: SSHLogEvent, raw: UnsafeBufferPointer<UInt8>, source: String) -> IncomingEvent {
        let event = StoredEvent(
            timeNs: e.timeNs, kind: e.kind.name, address: e.address?.description, port: e.port.map(Int.init),
            user: e.user, service: e.process, host: e.host, pid: e.pid,
            severity: e.kind == .authSuccess ? 0 : 1, source: source, raw: String(decoding: raw, as: UTF8.self))
        return IncomingEvent(event: event, address: e.address, counts: !e.isRepeat)
    }

    /// Calls `body` with a C view of `e` valid for the call (PluginKit does
    /// the C side, as for Swift plugins).
    static func withCEvent<R>(_ e: StoredEvent, _ body: (UnsafePointer<siem_event>) -> R) -> R {
        var p = PluginEvent(kind: kindValue(e.kind), timeNs: e.timeNs)
        p.id = e.id
        p.address = e.address
        p.family = e.address.map { $0.contains(":") ? 6 : 4 } ?? 0
        p.port = UInt32(e.port ?? 0)
        p.user = e.user
        p.service = e.service
        p.host = e.host
        p.pid = e.pid ?? 0
        p.severity = UInt32(e.severity)
        p.raw = e.raw
        p.source = e.source
        p.attributesJSON = e.attributesJSON
        return p.withCEvent(body)
    }
}
