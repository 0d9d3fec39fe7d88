/// The text columns of a run of events, copied into one buffer, so that SQLite can bind them
/// without copies of its own (SQLITE_STATIC): its malloc and copy per text column cost more
/// than the B-tree insert. The pipeline thread builds it; the audit writer only binds.
public struct EventText: Sendable {
    /// Text columns per event, and each one's parameter offset in an event's bindings
    /// (see `Store.bind(_:at:)`): kind, address, user, service, host, source, raw, attributes.
    static let parameterOffsets: [Int32] = [2, 3, 5, 6, 7, 10, 11, 12]

    private var bytes: [UInt8] = []
    /// Per event and column: offset into `bytes` and length; a negative length is NULL.
    private var spans: [(offset: Int, count: Int)] = []

    public init(_ events: [StoredEvent]) {
        bytes.reserveCapacity(events.count * 160)
        spans.reserveCapacity(events.count * Self.parameterOffsets.count)
        for e in events {
            for text in [e.kind, e.address, e.user, e.service, e.host, e.source, e.raw, e.attributesJSON] {
                append(text)
            }
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

    /// Runs `body` with a binder for the texts, valid for the call: the statement must be
    /// stepped inside it.
    func withBinder<T>(_ body: (Binder) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            // An empty array may have no address; any valid pointer will do for zero bytes.
            try body(Binder(base: UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!), spans: spans))
        }
    }

    struct Binder {
        let base: UnsafeRawPointer
        let spans: [(offset: Int, count: Int)]

        /// Binds event `index`'s texts to `statement`, its parameters starting at `firstIndex`.
        func bind(event index: Int, firstIndex: Int32, to statement: SQLiteStatement) throws {
            let first = index * EventText.parameterOffsets.count
            for (column, offset) in EventText.parameterOffsets.enumerated() {
                let span = spans[first + column]
                let parameter = firstIndex + offset
                if span.count < 0 {
                    try statement.bindNull(at: parameter)
                } else {
                    try statement.bindStatic((base + span.offset).assumingMemoryBound(to: CChar.self),
                                             count: span.count, at: parameter)
                }
            }
        }
    }
}
