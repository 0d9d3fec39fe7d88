/// One line per recognized event in security.log, e.g.
/// `2026-11-26T08:22:23.412Z info event: auth_failure client.ip=198.51.100.7 user=root service=sshd`.
/// Built on bytes and written once per batch: through swift-log this line
/// cost more than storing the event.
struct EventLog {
    let file: RotatingFile
    private var buffer: [UInt8] = []

    init(file: RotatingFile) { self.file = file }

    mutating func append(_ e: StoredEvent) {
        buffer.append(contentsOf: repeatElement(0, count: 24))
        buffer.withUnsafeMutableBufferPointer { Timestamp.writeISO8601(e.timeNs, into: $0.baseAddress! + $0.count - 24) }
        buffer.append(contentsOf: " info event: ".utf8)
        buffer.append(contentsOf: e.kind.utf8)
        field(" client.ip=", e.address)
        field(" user=", e.user)
        field(" service=", e.service)
        buffer.append(UInt8(ascii: "\n"))
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        file.write(bytes: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Values with spaces, quotes or control characters become JSON strings,
    /// as in every other log line (`LogText`).
    private mutating func field(_ name: String, _ value: String?) {
        buffer.append(contentsOf: name.utf8)
        guard let value else { return buffer.append(UInt8(ascii: "-")) }
        if LogText.needsQuotes(value) {
            JSONText.quote(value, into: &buffer)
        } else {
            buffer.append(contentsOf: value.utf8)
        }
    }
}
