import SSHLog

/// The JSON line `check-log --json` prints for one event, written field by
/// field into the output buffer: String interpolation or JSONEncoder per line
/// would cost more than the parsing.
struct CheckLogJSON {
    /// `,"file":"<name>"`, the same on every line of a file.
    private let fileField: [UInt8]

    init(file: String) {
        var field = Array(#","file":"#.utf8)
        JSONText.quote(file, into: &field)
        fileField = field
    }

    func append(_ e: SSHLogEvent, number: Int, to out: inout OutputBuffer) {
        let maxCount = Self.maxFixedCount + fileField.count
            + JSONText.maxQuotedCount(e.user ?? "") + JSONText.maxQuotedCount(e.process)
        out.append(maxCount: maxCount) { w in
            w.append(#"{"line":"#)
            w.append(decimal: number)
            w.append(fileField)
            w.append(#","kind":""#)
            w.append(Self.kindNames[Int(e.kind.rawValue)])
            w.append(#"","ip":"#)
            if let a = e.address {
                w.append(UInt8(ascii: "\""))
                w.append(maxCount: IPAddress.maxTextLength) { a.writeText(into: $0) }
                w.append(UInt8(ascii: "\""))
            } else {
                w.append("null")
            }
            w.append(#","port":"#)
            if let p = e.port { w.append(decimal: Int(p)) } else { w.append("null") }
            w.append(#","user":"#)
            if let u = e.user { JSONText.quote(u, into: &w) } else { w.append("null") }
            w.append(#","time":""#)
            w.append(maxCount: 24) { time in
                Timestamp.writeISO8601(e.timeNs, into: time.baseAddress!)
                return 24
            }
            w.append(#"","process":"#)
            JSONText.quote(e.process, into: &w)
            w.append("}\n")
        }
    }

    /// Everything but the file, user and process at its longest (175 bytes with
    /// a 20-character line number, the longest kind and address), rounded up.
    private static let maxFixedCount = 256

    /// `kind.name` as bytes, indexed by the kind's raw value: no String per line.
    private static let kindNames: [[UInt8]] = {
        var names = [[UInt8]](repeating: [], count: Int(SSHEventKind.allCases.map(\.rawValue).max()!) + 1)
        for kind in SSHEventKind.allCases { names[Int(kind.rawValue)] = Array(kind.name.utf8) }
        return names
    }()
}
