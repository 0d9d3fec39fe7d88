import PluginKit
#if canImport(Glibc)
import Glibc
#endif

/// What a finished command did.
struct CommandResult: Sendable {
    /// The exit status, or 128 + signal number when a signal ended it.
    let status: Int32
    /// stdout and stderr together, at most `ProcessRunner.maxOutput` bytes.
    let output: String
}

/// Runs a program with an argument vector through posix_spawn: no shell ever
/// parses anything, so no value can become a command. Used only for the
/// iptables rules; addresses never reach a command line.
enum ProcessRunner {
    static let maxOutput = 16_384
    /// Searched in this order instead of $PATH: a root daemon must not run
    /// whatever an environment variable points at.
    static let searchDirs = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
    /// The child's whole environment; C locale keeps messages stable.
    private static let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"]

    /// The absolute path of `name` in `searchDirs`, or nil.
    static func find(_ name: String) -> String? {
        searchDirs.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// Runs `path` with `arguments`, waits for it, and returns its status and output.
    static func run(_ path: String, _ arguments: [String]) throws -> CommandResult {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw systemError(path, "pipe", errno) }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        // pipe2(O_CLOEXEC) is not visible to Swift; the child gets the write
        // end through dup2 onto 1 and 2, which clears the flag there.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        defer { close(readEnd) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
        close(writeEnd)
        guard rc == 0 else { throw systemError(path, "posix_spawn", rc) }

        let output = readBounded(readEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw systemError(path, "waitpid", errno) }
        }
        // WIFEXITED/WEXITSTATUS are C macros Swift cannot import.
        let signal = status & 0x7f
        let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return CommandResult(status: code, output: output)
    }

    /// Reads until EOF, keeping the first `maxOutput` bytes; draining the
    /// rest keeps a chatty child from blocking on a full pipe.
    private static func readBounded(_ fd: Int32) -> String {
        var kept: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            kept.append(contentsOf: buffer[0..<min(n, max(0, maxOutput - kept.count))])
        }
        return String(decoding: kept, as: UTF8.self).trimmingTrailingNewlines()
    }
}

extension String {
    /// The text without its final line breaks, for one-line log messages.
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last.isNewline { s = s.dropLast() }
        return String(s)
    }
}
