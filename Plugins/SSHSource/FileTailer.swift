import PluginABI

/// Follows one configured log path across rotations.
///
/// `current` is the file the path names; `retired` are files it named before
/// a rename rotation. A syslog daemon keeps writing to the renamed file until
/// it is told to reopen (logrotate's postrotate HUP), so retired files are
/// still read until they have been idle for `retiredIdleSeconds`. Only
/// `current`'s position is persisted, under `file:<path>`.
///
/// Not thread-safe: built on the main thread in `start()`, then used only by
/// the file source's reader thread.
final class FileTailer {
    let path: String
    private let directory: String
    private let context: TailContext
    private var current: OpenLogFile?
    private var retired: [OpenLogFile] = []
    private var directoryWatch: Int32?
    /// The position stored by the previous run, until a file is opened with it.
    private var saved: FilePosition?
    private var lastProblem: String?

    /// How long a rotated file may stay silent before it is closed.
    static let retiredIdleSeconds = 30.0
    /// Rotated files kept open at most (each holds a descriptor and a watch).
    static let maxRetired = 4

    init(path: String, context: TailContext) {
        self.path = path
        self.context = context
        let slash = path.lastIndex(of: "/")
        directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        if let text = context.host.state(FilePosition.stateKey(for: path)) {
            saved = FilePosition(stateValue: text)
            if saved == nil { context.log(SIEM_LOG_WARNING, "ignoring malformed saved position '\(text)' for \(path)") }
        }
    }

    /// Fixes where reading starts, before the reader thread runs, so that lines
    /// written after `start()` returns are never taken for old ones.
    func begin(readFromStart: Bool) {
        watchDirectory()
        let previous = saved
        if let previous { resumeRotatedFile(previous) }
        guard identityIfPresent(path) != nil else {
            context.log(SIEM_LOG_INFO, "\(path) does not exist yet; waiting for it")
            return
        }
        openCurrent { [path, context] id in
            guard let previous else { return readFromStart ? 0 : id.size }
            guard previous.isSameFile(as: id) else { return 0 } // rotated while stopped: all of it is new
            if previous.offset <= id.size { return previous.offset }
            context.log(SIEM_LOG_NOTICE, "\(path) shrank while stopped (truncated); reading it from the start")
            return 0
        }
    }

    /// Reads whatever is new, following rotation and truncation. Called after
    /// every inotify wake-up and on the safety timer.
    func poll() {
        readRetired()
        if directoryWatch.map({ !context.inotify.isActive($0) }) ?? true { watchDirectory() }

        var now: FileIdentity?
        do {
            now = try SystemCalls.identity(of: path)
        } catch where !error.isNotFound {
            // Cannot tell whether the path still names our file: keep reading it.
            report(error)
            if let current { readCurrent(current) }
            return
        } catch {
            now = nil // not there: renamed away or deleted, handled below
        }
        if let file = current {
            if let now, file.isSameFile(as: now) {
                readCurrent(file)
                return
            }
            // The path names another file, or none: finish this one, then keep
            // it readable for a writer that has not reopened yet.
            readCurrent(file)
            retire(file)
            current = nil
        }
        guard now != nil else { return }
        openCurrent { [saved] id in
            // A file that appears while running is new: read it all, unless it
            // is the very file the previous run was reading.
            if let saved, saved.isSameFile(as: id), saved.offset <= id.size { return saved.offset }
            return 0
        }
    }

    /// Closes everything (at stop).
    func close() {
        // An unfinished line in `current` is not lost: the saved position is its start.
        for file in retired + [current].compactMap({ $0 }) { release(file, warnUnfinished: false) }
        retired.removeAll()
        current = nil
        if let directoryWatch { context.inotify.unwatch(directoryWatch) }
        directoryWatch = nil
    }

    // MARK: - Steps

    private func openCurrent(startOffset: (FileIdentity) -> Int64) {
        let file: OpenLogFile
        do {
            file = try OpenLogFile(path: path, maxLineBytes: context.maxLineBytes, startOffset: startOffset)
            try file.skipPartialLineBeforeOffset()
        } catch {
            report(error)
            return
        }
        saved = nil
        lastProblem = nil
        file.watch = watch(path, mask: Inotify.fileMask)
        current = file
        context.log(SIEM_LOG_INFO, "reading \(path) (inode \(file.inode)) from offset \(file.offset)")
        persist(file)
        readCurrent(file)
    }

    /// At start: if the path was rotated while we were stopped, the rest of the
    /// file we were reading is now `<path>.1`.
    private func resumeRotatedFile(_ saved: FilePosition) {
        if let id = identityIfPresent(path), saved.isSameFile(as: id) { return }
        let rotated = path + ".1"
        guard let id = identityIfPresent(rotated), saved.isSameFile(as: id), saved.offset <= id.size else {
            context.log(SIEM_LOG_NOTICE, "\(path) was replaced while stopped and \(rotated) is not the file read before; lines written to it in between are not read")
            return
        }
        do {
            let file = try OpenLogFile(path: rotated, maxLineBytes: context.maxLineBytes) { _ in saved.offset }
            file.watch = watch(rotated, mask: Inotify.fileMask)
            retired.append(file)
            self.saved = nil
            context.log(SIEM_LOG_INFO, "\(path) was rotated while stopped; reading the rest of \(rotated) first")
        } catch {
            report(error)
        }
    }

    private func readCurrent(_ file: OpenLogFile) {
        do {
            let id = try file.identity()
            if id.size < file.offset {
                let offset = file.offset
                let lost = file.restartAfterTruncation()
                context.log(SIEM_LOG_NOTICE, "\(path) was truncated (size \(id.size) < offset \(offset)); reading it from the start"
                    + (lost > 0 ? ", dropping \(lost) bytes of an unfinished line" : ""))
                persist(file)
            }
            try read(file) { persist(file) }
        } catch {
            report(error)
        }
    }

    private func readRetired() {
        let now = monotonicSeconds()
        retired.removeAll { file in
            do throws(SystemError) {
                try read(file) {}
            } catch {
                report(error)
            }
            guard now - file.lastData > Self.retiredIdleSeconds else { return false }
            release(file, warnUnfinished: true)
            return true
        }
    }

    private func read(_ file: OpenLogFile, afterChunk: () -> Void) throws(SystemError) {
        let source = path
        let drops = try file.readToEnd(
            buffer: &context.buffer, shouldStop: context.shouldStop,
            onLine: { context.onLine($0, source) }, afterChunk: afterChunk)
        if drops > 0 {
            context.log(SIEM_LOG_WARNING, "dropped \(drops) line(s) longer than \(context.maxLineBytes) bytes in \(file.path) (\(file.splitter.droppedLines) so far)")
        }
    }

    private func retire(_ file: OpenLogFile) {
        let rest = file.splitter.partialLength
        if rest > 0 {
            // Kept: the writer may still finish the line before it reopens.
            context.log(SIEM_LOG_DEBUG, "\(path) rotated with \(rest) bytes of an unfinished line")
        }
        retired.append(file)
        while retired.count > Self.maxRetired { release(retired.removeFirst(), warnUnfinished: true) }
    }

    private func release(_ file: OpenLogFile, warnUnfinished: Bool) {
        if warnUnfinished && file.splitter.partialLength > 0 {
            context.log(SIEM_LOG_WARNING, "closing rotated \(file.path) with an unfinished last line (\(file.splitter.partialLength) bytes dropped)")
        }
        if let wd = file.watch { context.inotify.unwatch(wd) }
        file.watch = nil
    }

    private func persist(_ file: OpenLogFile) {
        let position = file.position
        guard position != file.persisted else { return }
        let rc = context.host.setState(FilePosition.stateKey(for: path), position.stateValue)
        if rc == SIEM_OK {
            file.persisted = position
        } else {
            context.log(SIEM_LOG_WARNING, "cannot save the position in \(path) (rc \(rc.rawValue)); a restart may read lines again")
        }
    }

    /// The identity of `target`, or nil when it does not exist (other errors are reported).
    private func identityIfPresent(_ target: String) -> FileIdentity? {
        do {
            return try SystemCalls.identity(of: target)
        } catch {
            if !error.isNotFound { report(error) }
            return nil
        }
    }

    private func watchDirectory() {
        if let directoryWatch { context.inotify.unwatch(directoryWatch) }
        directoryWatch = watch(directory, mask: Inotify.directoryMask)
    }

    private func watch(_ target: String, mask: UInt32) -> Int32? {
        do {
            return try context.inotify.watch(target, mask: mask)
        } catch {
            // The safety timer re-examines the path, so this is degraded, not broken.
            report(error)
            return nil
        }
    }

    /// Logs a problem once, not on every wake-up while it lasts.
    private func report(_ error: SystemError) {
        let text = error.description
        guard text != lastProblem else { return }
        lastProblem = text
        context.log(SIEM_LOG_WARNING, "\(text) (will retry)")
    }
}
