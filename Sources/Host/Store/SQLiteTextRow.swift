import CSQLite

/// The text parameters of one row, copied into one reusable buffer and bound without
/// SQLite's own copy (SQLITE_STATIC): on the hot insert path SQLite's malloc and copy per
/// text column cost more than the B-tree insert.
struct SQLiteTextRow {
    private var bytes: [UInt8] = []
    /// Parameter index, offset into `bytes`, and length; a negative length binds NULL.
    private var spans: [(index: Int32, offset: Int, count: Int)] = []

    init() { bytes.reserveCapacity(4096) }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
    }

    mutating func append(_ value: String?, at index: Int32) {
        guard let value else { return spans.append((index, 0, -1)) }
        let offset = bytes.count
        // A native string hands over its buffer: one memcpy, where appending `utf8` goes
        // through the generic sequence path. Others (bridged) take that path.
        if value.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: value.utf8)
        }
        spans.append((index, offset, bytes.count - offset))
    }

    /// Binds the texts to `statement` and runs `body` (the step) while they are valid.
    func bind<T>(to statement: SQLiteStatement, _ body: () throws -> T) throws -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            // An empty array may have no address; any valid pointer will do for zero bytes.
            let base = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            for span in spans {
                if span.count < 0 {
                    try statement.bindNull(at: span.index)
                } else {
                    try statement.bindStatic((base + span.offset).assumingMemoryBound(to: CChar.self),
                                             count: span.count, at: span.index)
                }
            }
            return try body()
        }
    }
}
