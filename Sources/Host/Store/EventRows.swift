/// A run of events as the insert binds them: numbers in arrays, text copied into one buffer,
/// so that SQLite binds without copies of its own (SQLITE_STATIC: its malloc and copy per
/// text column cost more than the B-tree insert). The pipeline thread builds it and lets go
/// of the events; the audit writer only binds, and a queued run holds half the memory the
/// events did.
public struct EventRows: Sendable {
    /// Each text column's parameter offset in an event's bindings: kind, address, user,
    /// service, host, source, raw, attributes (see `Store.insertEventSQL`).
    static let textOffsets: [Int32] = [2, 3, 5, 6, 7, 10, 11, 12]

    /// 0: not numbered, the store picks the id.
    private(set) var ids: [Int64] = []
    private var numbers: [(timeNs: Int64, port: Int?, pid: Int64?, severity: Int)] = []
    private var bytes: [UInt8] = []
    /// Per event and text column: offset into `bytes` and length; a negative length is NULL.
    private var spans: [(offset: Int, count: Int)] = []

    public var count: Int { ids.count }

    public init(_ events: [StoredEvent]) {
        ids.reserveCapacity(events.count)
        numbers.reserveCapacity(events.count)
        bytes.reserveCapacity(events.count * 160)
        spans.reserveCapacity(events.count * Self.textOffsets.count)
        for e in events {
            ids.append(e.id)
            numbers.append((e.timeNs, e.port, e.pid, e.severity))
            append(e.kind)
            append(e.address)
            append(e.user)
            append(e.service)
            append(e.host)
            append(e.source)
            append(e.raw)
            append(e.attributesJSON)
        }
    }

    private mutating func append(_ value: String?) {
        guard let value else { return spans.append((0, -1)) }
        let offset = bytes.count
        // A native string hands over its buffer: one memcpy, where appending `utf8` goes
        // through the generic sequence path. Others (bridged) take that path.
        if value.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: value.utf8)
        }
        spans.append((offset, bytes.count - offset))
    }

    /// Runs `body` with a binder valid for the call: statements must be stepped inside it.
    func withBinder<T>(_ body: (Binder) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            // An empty array may have no address; any valid pointer will do for zero bytes.
            try body(Binder(rows: self, base: UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)))
        }
    }

    struct Binder {
        let rows: EventRows
        let base: UnsafeRawPointer

        /// Binds row `index` to `statement`, its parameters starting at `first`. Every
        /// parameter is bound, so no stale value can leak from a previous use.
        func bind(row index: Int, at first: Int32, to statement: SQLiteStatement) throws {
            let id = rows.ids[index], n = rows.numbers[index]
            try statement.bind(id == 0 ? nil : id, at: first)
            try statement.bind(n.timeNs, at: first + 1)
            try statement.bind(n.port, at: first + 4)
            try statement.bind(n.pid, at: first + 8)
            try statement.bind(n.severity, at: first + 9)
            let firstSpan = index * EventRows.textOffsets.count
            for (column, offset) in EventRows.textOffsets.enumerated() {
                let span = rows.spans[firstSpan + column]
                if span.count < 0 {
                    try statement.bindNull(at: first + offset)
                } else {
                    try statement.bindStatic((base + span.offset).assumingMemoryBound(to: CChar.self),
                                             count: span.count, at: first + offset)
                }
            }
        }
    }
}
