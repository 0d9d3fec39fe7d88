#if canImport(Glibc)
import Glibc
#endif
import CSystemd
import PluginABI
import PluginKit

/// Reads sshd's entries from the systemd journal with sd-journal, on a thread
/// of its own, resuming after the cursor saved in `journal_cursor`.
///
/// An sd_journal object is not thread-safe: it is opened and positioned on the
/// main thread in `start`, then used only by the reader thread.
final class JournalReader {
    /// The names sshd logs under: OpenSSH < 9.8, >= 9.8, and >= 10.0.
    static let sshdNames = ["sshd", "sshd-session", "sshd-auth"]
    static let cursorKey = "journal_cursor"
    /// Entries read between saves of the cursor while catching up on a backlog.
    static let entriesPerSave = 512

    private let host: HostAPI
    private let stop: StopSignal
    private let onEntry: (JournalEntry) -> Void
    private let journal: OpaquePointer
    private let journalFD: Int32
    private let origin: String
    /// The saved cursor's own entry, which was handled before the restart.
    private var skipCursor: String?
    private var thread: ReaderThread?

    /// Opens the system journal, or the journal files in `directory`.
    init(directory: String?, host: HostAPI, stop: StopSignal, onEntry: @escaping (JournalEntry) -> Void) throws {
        var j: OpaquePointer?
        let rc = directory.map { sd_journal_open_directory(&j, $0, 0) }
            ?? sd_journal_open(&j, Int32(SD_JOURNAL_LOCAL_ONLY))
        origin = directory.map { "journal directory \($0)" } ?? "the system journal"
        guard rc >= 0, let j else { throw PluginError("cannot open \(origin): \(errnoText(rc))") }
        journal = j
        // Asked for before the first wait, as sd_journal_get_fd(3) recommends,
        // so that files added later (rotation, a new boot) are watched too.
        let fd = sd_journal_get_fd(j)
        guard fd >= 0 else {
            sd_journal_close(j)
            throw PluginError("cannot follow \(origin): \(errnoText(fd))")
        }
        journalFD = fd
        self.host = host
        self.stop = stop
        self.onEntry = onEntry
        do {
            try addMatches()
        } catch {
            sd_journal_close(j)
            throw error
        }
    }

    deinit { sd_journal_close(journal) }

    /// Positions the journal now (after the saved cursor, at the tail, or at
    /// the head), then follows it on a thread of its own.
    func start(readFromStart: Bool) throws {
        if let cursor = host.state(Self.cursorKey), seekAfter(cursor) {
            host.log(SIEM_LOG_INFO, "reading \(origin) after the saved cursor")
        } else if readFromStart {
            try check(sd_journal_seek_head(journal), "sd_journal_seek_head")
            host.log(SIEM_LOG_INFO, "reading \(origin) from its start")
        } else {
            // The last sshd entry counts as read; its cursor is saved so that a
            // restart resumes here rather than at a later tail.
            try check(sd_journal_seek_tail(journal), "sd_journal_seek_tail")
            if sd_journal_previous(journal) > 0 { saveCursor() }
            host.log(SIEM_LOG_INFO, "following \(origin) from its end")
        }
        nonisolated(unsafe) let unsafeSelf = self
        thread = try ReaderThread(name: "ssh_source-jrnl") { unsafeSelf.run() }
    }

    /// Waits for the thread after `StopSignal.signal()`.
    func join() {
        thread?.join()
        thread = nil
    }

    /// Seeks to `cursor`; its entry is skipped when read. False (and logged)
    /// when sd-journal refuses the cursor, e.g. a malformed saved value.
    private func seekAfter(_ cursor: String) -> Bool {
        let rc = sd_journal_seek_cursor(journal, cursor)
        guard rc >= 0 else {
            host.log(SIEM_LOG_WARNING, "ignoring the saved cursor for \(origin) (\(errnoText(rc))): \(cursor)")
            return false
        }
        skipCursor = cursor
        return true
    }

    // MARK: - Reader thread

    private func run() {
        while !stop.isSignaled {
            let rc = readAvailable()
            if rc < 0 {
                host.log(SIEM_LOG_ERROR, "reading \(origin): \(errnoText(rc)); retrying in 5 s")
                _ = stop.wait(for: -1, timeoutMs: 5_000)
                continue
            }
            let events = sd_journal_get_events(journal)
            guard stop.wait(for: journalFD, events: events > 0 ? Int16(events) : Int16(POLLIN),
                            timeoutMs: waitTimeoutMs()) else { break }
            // Lets sd-journal notice appended entries and new or removed files.
            let processed = sd_journal_process(journal)
            if processed < 0 { host.log(SIEM_LOG_WARNING, "sd_journal_process: \(errnoText(processed))") }
        }
        saveCursor()
    }

    /// Handles entries until the end of the journal; returns the last result
    /// of sd_journal_next (0 at the end, negative on error).
    private func readAvailable() -> Int32 {
        var sinceSave = 0
        defer { if sinceSave > 0 { saveCursor() } }
        while !stop.isSignaled {
            let rc = sd_journal_next(journal)
            guard rc > 0 else { return rc }
            if let skip = skipCursor {
                skipCursor = nil
                if sd_journal_test_cursor(journal, skip) > 0 { continue }
            }
            onEntry(JournalEntry(journal))
            sinceSave += 1
            if sinceSave >= Self.entriesPerSave {
                saveCursor()
                sinceSave = 0
            }
        }
        return 0
    }

    /// sd-journal may need to be called back before a deadline (absolute,
    /// CLOCK_MONOTONIC); otherwise a few seconds, in case an event is missed.
    private func waitTimeoutMs() -> Int32 {
        var deadline: UInt64 = 0
        guard sd_journal_get_timeout(journal, &deadline) >= 0, deadline != UInt64.max else { return 5_000 }
        let now = UInt64(monotonicSeconds() * 1_000_000)
        return deadline <= now ? 0 : Int32(min((deadline - now + 999) / 1000, 5_000))
    }

    private func saveCursor() {
        var cursor: UnsafeMutablePointer<CChar>?
        let rc = sd_journal_get_cursor(journal, &cursor)
        guard rc >= 0, let cursor else { return } // no current entry yet: nothing read, nothing to save
        defer { free(cursor) }
        host.setState(Self.cursorKey, String(cString: cursor))
    }

    /// Matches any of sshd's names as SYSLOG_IDENTIFIER, or as _COMM (the
    /// kernel's name for the process, which a client cannot choose).
    private func addMatches() throws {
        for (index, field) in ["SYSLOG_IDENTIFIER", "_COMM"].enumerated() {
            if index > 0 { try check(sd_journal_add_disjunction(journal), "sd_journal_add_disjunction") }
            for name in Self.sshdNames {
                try check(sd_journal_add_match(journal, "\(field)=\(name)", 0), "sd_journal_add_match")
            }
        }
    }

    private func check(_ rc: Int32, _ call: String) throws {
        guard rc >= 0 else { throw PluginError("\(call) on \(origin): \(errnoText(rc))") }
    }
}

/// The text of a negative errno result, as sd-journal returns them.
func errnoText(_ rc: Int32) -> String { String(cString: strerror(-rc)) }
