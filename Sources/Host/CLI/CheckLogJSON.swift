import SSHLog

/// The JSON line `check-log --json` prints for one event, built by hand:
/// JSONEncoder per line would dominate the run time.
enum CheckLogJSON {
    static func line(_ e: SSHLogEvent, number: Int, file: String) -> String {
        var s = "{\"line\":\(number),\"file\":"
        JSONText.quote(file, into: &s)
        s += ",\"kind\":\"\(e.kind.name)\",\"ip\":"
        if let a = e.address { s += "\"\(a)\"" } else { s += "null" }
        s += ",\"port\":" + (e.port.map(String.init) ?? "null")
        s += ",\"user\":"
        if let u = e.user { JSONText.quote(u, into: &s) } else { s += "null" }
        s += ",\"time\":\"\(Timestamp.iso8601(e.timeNs))\",\"process\":"
        JSONText.quote(e.process, into: &s)
        return s + "}"
    }
}
