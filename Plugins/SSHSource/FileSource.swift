import PluginABI
import PluginKit

/// What every tailer of one file source shares. Used by the reader thread only
/// (after `start()` built it on the main thread).
final class TailContext {
    let host: HostAPI
    let inotify: Inotify
    let maxLineBytes: Int
    /// Receives each complete line and the configured path it came from.
    let onLine: (UnsafeBufferPointer<UInt8>, String) -> Void
    /// True once the plugin is stopping: long reads give up between chunks.
    let shouldStop: () -> Bool
    /// The one read buffer: reads are sequential on the reader thread.
    var buffer = [UInt8](repeating: 0, count: FileSource.chunkBytes)

    init(host: HostAPI, inotify: Inotify, maxLineBytes: Int,
         onLine: @escaping (UnsafeBufferPointer<UInt8>, String) -> Void, shouldStop: @escaping () -> Bool) {
        self.host = host
        self.inotify = inotify
        self.maxLineBytes = maxLineBytes
        self.onLine = onLine
        self.shouldStop = shouldStop
    }

    func log(_ level: siem_log_level, _ message: String) { host.log(level, message) }
}

/// Reads the configured log files on one thread: an inotify loop over every
/// path, with a slow timer that re-examines them in case an event was missed
/// (a directory that did not exist yet, a watch that could not be added).
final class FileSource {
    /// Bytes per read(): large, so a backlog is read in few system calls.
    static let chunkBytes = 64 * 1024
    /// Milliseconds between re-examinations without any event.
    static let safetyIntervalMs: Int32 = 5_000

    private let context: TailContext
    private let tailers: [FileTailer]
    private let stop: StopSignal
    private var thread: ReaderThread?

    init(paths: [String], maxLineBytes: Int, host: HostAPI, stop: StopSignal,
         onLine: @escaping (UnsafeBufferPointer<UInt8>, String) -> Void) throws(SystemError) {
        let context = TailContext(host: host, inotify: try Inotify(), maxLineBytes: maxLineBytes,
                                  onLine: onLine, shouldStop: { stop.isSignaled })
        self.context = context
        tailers = paths.map { FileTailer(path: $0, context: context) }
        self.stop = stop
    }

    /// Fixes each file's starting point now, then reads on a thread of its own.
    func start(readFromStart: Bool) throws(SystemError) {
        for tailer in tailers { tailer.begin(readFromStart: readFromStart) }
        // The thread is the only user of the tailers from here on.
        nonisolated(unsafe) let unsafeSelf = self
        thread = try ReaderThread(name: "ssh_source-file") { unsafeSelf.run() }
    }

    /// Waits for the thread after `StopSignal.signal()`, then closes the files.
    func join() {
        thread?.join()
        thread = nil
        for tailer in tailers { tailer.close() }
    }

    private func run() {
        repeat {
            for tailer in tailers where !stop.isSignaled { tailer.poll() }
            guard stop.wait(for: context.inotify.fd, timeoutMs: Self.safetyIntervalMs) else { break }
            do {
                _ = try context.inotify.drain()
            } catch {
                context.log(SIEM_LOG_ERROR, "\(error); following by re-checking every \(Self.safetyIntervalMs / 1000) s")
                // A broken inotify descriptor would make poll() return at once forever.
                _ = stop.wait(for: -1, timeoutMs: Self.safetyIntervalMs)
            }
        } while !stop.isSignaled
    }
}
