import Foundation
import Logging
import Synchronization
import Testing
@testable import Host

// Helpers shared by the loader, pipeline, engine and CLI tests. (The Store*Tests files have
// their own; the names here are distinct on purpose.)

/// The tests that check file ownership need root, as the daemon does.
let runningAsRoot = geteuid() == 0

/// Nanoseconds for whole seconds.
func nanos(_ seconds: Int64) -> Int64 { seconds * 1_000_000_000 }

/// A fresh directory (mode 0755) for one test, removed afterwards.
func withScratchDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "mini-siem-host-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o755])
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass. The timeout only
/// bounds a failing test; it is never what a test asserts.
@discardableResult
func waitUntil(timeout: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date(timeIntervalSinceNow: timeout)
    while Date() < end {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// The lines of a text file; empty when it does not exist (yet).
func lines(ofFile path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
}

func writeText(_ text: String, to path: String, mode: Int = 0o644) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
}

func makeDirectory(_ path: String, mode: Int = 0o755) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    // Explicitly, so the umask does not decide.
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
}

// MARK: C plugin fixtures

/// Builds the plain-C plugins in Fixtures/plugins with the system C compiler.
enum PluginFixture {
    /// The package root, found from this file's path (Tests/HostTests/ThisFile.swift).
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let sourceDirectory = repositoryRoot + "/Tests/HostTests/Fixtures/plugins"
    static let abiInclude = repositoryRoot + "/Sources/PluginABI/include"

    /// Compiles `Fixtures/plugins/<source>` to `<directory>/<output>` (mode 0644) and
    /// returns the output's path.
    @discardableResult
    static func build(_ source: String, into directory: String, as output: String) throws -> String {
        let path = directory + "/" + output
        let result = try runProgram("/usr/bin/env", [
            "cc", "-shared", "-fPIC", "-O1", "-pthread", "-I", abiInclude,
            "-o", path, sourceDirectory + "/" + source,
        ])
        guard result.status == 0 else {
            throw HostError("cc \(source) failed (\(result.status)): \(result.stderr)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        return path
    }

    /// Copies a built plugin under another name, with `mode`.
    @discardableResult
    static func copy(_ path: String, to newPath: String, mode: Int = 0o644) throws -> String {
        try FileManager.default.copyItem(atPath: path, toPath: newPath)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: newPath)
        return newPath
    }
}

/// The exit status and output of a finished program.
struct ProgramResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion; output goes through files, so neither pipe can fill up.
func runProgram(_ executable: String, _ arguments: [String], input: String? = nil) throws -> ProgramResult {
    let scratch = NSTemporaryDirectory() + "mini-siem-run-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let outPath = scratch + "/out", errPath = scratch + "/err", inPath = scratch + "/in"
    for p in [outPath, errPath] { _ = FileManager.default.createFile(atPath: p, contents: nil) }
    _ = FileManager.default.createFile(atPath: inPath, contents: Data((input ?? "").utf8))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let inp = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
    defer { try? out.close(); try? err.close(); try? inp.close() }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inp
    try process.run()
    process.waitUntilExit()
    return ProgramResult(status: process.terminationStatus,
                         stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
                         stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
}

// MARK: Daemon

/// A config whose every path lies inside `root`.
func daemonConfig(root: String, pluginDir: String) -> Config {
    var config = Config()
    config.database = root + "/siem.db"
    config.logDir = root + "/logs"
    config.controlSocket = root + "/control.sock"
    config.pluginDir = pluginDir
    return config
}

/// Lets a non-Sendable value cross to a helper thread the test waits for.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
}

/// Calls `daemon.stop(deadline:)` on another thread and says whether it returned within
/// `bound` seconds, so a hanging shutdown fails the test instead of hanging the run.
func stopReturns(_ daemon: Daemon, deadline: TimeInterval = 5, within bound: Double = 60) -> Bool {
    let box = Unchecked(value: daemon)
    let returned = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        box.value.stop(deadline: deadline)
        returned.signal()
    }
    return returned.wait(timeout: .now() + bound) == .success
}

// MARK: Log capture

/// Collects every log line of the test process (swift-log allows one backend per process),
/// so a test can look for the lines that name its own temporary paths.
final class LogCapture: Sendable {
    static let shared: LogCapture = {
        let capture = LogCapture()
        LoggingSystem.bootstrap { label in CapturingLogHandler(label: label, capture: capture) }
        return capture
    }()

    private let stored = Mutex<[String]>([])

    func append(_ line: String) {
        stored.withLock { lines in
            if lines.count < 200_000 { lines.append(line) }
        }
    }

    /// Lines that contain every one of `parts`.
    func lines(containing parts: String...) -> [String] {
        stored.withLock { lines in lines.filter { line in parts.allSatisfy { line.contains($0) } } }
    }
}

/// One line per message: `level label: message key=value ...`.
struct CapturingLogHandler: LogHandler {
    let label: String
    let capture: LogCapture
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = "\(event.level) \(label): \(event.message)"
        for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
        capture.append(line)
    }
}

/// One control-socket request, like `ControlClient.send` but with a receive timeout, so a
/// wedged pipeline fails the test instead of hanging it.
func controlRequest(_ request: ControlRequest, socket: String, timeout: Int = 30) throws -> ControlReply {
    let fd = try UnixSocket.connect(socket)
    defer { close(fd) }
    var limit = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    UnixSocket.writeAll(fd, JSONText.encode(request) + "\n")
    guard let line = UnixSocket.readLine(fd, max: 1 << 20) else {
        throw HostError("no reply from \(socket) within \(timeout)s to \(request.command)")
    }
    return try JSONDecoder().decode(ControlReply.self, from: Data(line.utf8))
}
