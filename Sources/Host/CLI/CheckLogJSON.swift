import SSHLog

/// The JSON line `check-log --json` prints for one event, built by hand:
/// JSONEncoder per line would dominate the run time.
enum CheckLogJSON {
    static func line(_ e: SSHLogEvent, number: Int, file: String) -> String {
        var s = "{\"line\":\(number),\"file\":"
        quote(file, into: &s)
        s += ",\"kind\":\"\(e.kind.name)\",\"ip\":"
        if let a = e.address { s += "\"\(a)\"" } else { s += "null" }
        s += ",\"port\":" + (e.port.map(String.init) ?? "null")
        s += ",\"user\":"
        if let u = e.user { quote(u, into: &s) } else { s += "null" }
        s += ",\"time\":\"\(Timestamp.iso8601(e.timeNs))\",\"process\":"
        quote(e.process, into: &s)
        return s + "}"
    }

    /// JSON string escaping (RFC 8259): quotes, backslash, control characters.
    static func quote(_ text: String, into s: inout String) {
        s += "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            case _ where u.value < 0x20:
                s += "\\u00" + String(u.value, radix: 16).leftPad(2)
            default: s.unicodeScalars.append(u)
            }
        }
        s += "\""
    }
}
