#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// The fields of one journal entry that make an sshd event, copied out of
/// sd-journal (whose pointers only live until the next call).
struct JournalEntry {
    /// MESSAGE, as bytes: it need not be UTF-8.
    var message: [UInt8]?
    /// Why MESSAGE could not be read (a negative errno), when it could not.
    var messageError: Int32?
    var identifier: String?
    /// _COMM: set by journald from the kernel, so a client cannot forge it.
    var command: String?
    var pid: Int64?
    var hostname: String?
    /// Microseconds since the epoch, when journald received the entry.
    var realtimeUsec: UInt64 = 0

    /// Reads the current entry of `journal`.
    init(_ journal: OpaquePointer) {
        switch Self.data(journal, "MESSAGE") {
        case .success(let bytes): message = bytes
        case .failure(let error): messageError = error.rc
        }
        identifier = Self.text(journal, "SYSLOG_IDENTIFIER")
        command = Self.text(journal, "_COMM")
        pid = (Self.text(journal, "_PID") ?? Self.text(journal, "SYSLOG_PID")).flatMap { Int64($0) }
        hostname = Self.text(journal, "_HOSTNAME")
        var usec: UInt64 = 0
        if sd_journal_get_realtime_usec(journal, &usec) >= 0 { realtimeUsec = usec }
    }

    /// Whether the entry really comes from sshd. Anyone may log with
    /// SYSLOG_IDENTIFIER=sshd (`logger -t sshd "Failed password for root from
    /// <victim> ..."` would get any address blocked), but _COMM is the
    /// process's own name: when journald recorded it, it must be sshd's.
    var isFromSSHD: Bool {
        if let command { return JournalReader.sshdNames.contains(command) }
        return identifier.map(JournalReader.sshdNames.contains) ?? false
    }

    /// A field's value; -ENOENT when the entry has no such field.
    private static func data(_ journal: OpaquePointer, _ name: String) -> Result<[UInt8], JournalError> {
        var data: UnsafeRawPointer?
        var length = 0
        let rc = sd_journal_get_data(journal, name, &data, &length)
        guard rc >= 0, let data else { return .failure(JournalError(rc: rc < 0 ? rc : -ENODATA)) }
        // sd-journal returns "NAME=value".
        let prefix = name.utf8.count + 1
        guard length >= prefix else { return .failure(JournalError(rc: -EBADMSG)) }
        return .success(Array(UnsafeRawBufferPointer(start: data + prefix, count: length - prefix)))
    }

    /// A field as text, or nil when absent or unreadable (only MESSAGE's absence is worth a word).
    private static func text(_ journal: OpaquePointer, _ name: String) -> String? {
        try? data(journal, name).map { String(decoding: $0, as: UTF8.self) }.get()
    }
}

/// A negative errno from sd-journal.
struct JournalError: Error {
    let rc: Int32
}
