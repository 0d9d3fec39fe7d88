/// How far a log file has been read: which file (device and inode, because a
/// path names a different file after every rotation) and the offset of the
/// first byte not yet consumed (always the start of a line).
///
/// Stored in the host's plugin state as `file:<path>` = `<dev>:<ino>:<offset>`.
struct FilePosition: Equatable {
    var device: UInt64
    var inode: UInt64
    var offset: Int64

    /// The state key for the file configured as `path`.
    static func stateKey(for path: String) -> String { "file:\(path)" }

    /// Parses the stored form; nil for anything malformed (the caller then
    /// treats the file as never read and says so).
    init?(stateValue: String) {
        let parts = stateValue.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
              let offset = Int64(parts[2]), offset >= 0
        else { return nil }
        self.init(device: device, inode: inode, offset: offset)
    }

    init(device: UInt64, inode: UInt64, offset: Int64) {
        self.device = device
        self.inode = inode
        self.offset = offset
    }

    /// The stored form, `<dev>:<ino>:<offset>`.
    var stateValue: String { "\(device):\(inode):\(offset)" }

    /// True when `identity` names the same file.
    func isSameFile(as identity: FileIdentity) -> Bool {
        device == identity.device && inode == identity.inode
    }
}

/// A file's identity and size, from `stat`/`fstat`.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
}
