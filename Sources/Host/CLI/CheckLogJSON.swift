import SSHLog

/// The JSON line `check-log --json` prints for one event, built on bytes:
/// JSONEncoder or String appends per line would cost more than the parsing.
enum CheckLogJSON {
    static func append(_ e: SSHLogEvent, number: Int, file: String, to out: inout [UInt8]) {
        func text(_ s: String) { out.append(contentsOf: s.utf8) }
        text("{\"line\":\(number),\"file\":")
        JSONText.quote(file, into: &out)
        text(",\"kind\":\"\(e.kind.name)\",\"ip\":")
        if let a = e.address { text("\"\(a)\"") } else { text("null") }
        text(",\"port\":")
        if let p = e.port { text(String(p)) } else { text("null") }
        text(",\"user\":")
        if let u = e.user { JSONText.quote(u, into: &out) } else { text("null") }
        text(",\"time\":\"")
        out.append(contentsOf: repeatElement(0, count: 24))
        out.withUnsafeMutableBufferPointer { Timestamp.writeISO8601(e.timeNs, into: $0.baseAddress! + $0.count - 24) }
        text("\",\"process\":")
        JSONText.quote(e.process, into: &out)
        text("}\n")
    }
}
