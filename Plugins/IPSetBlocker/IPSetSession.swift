import CIPSet
import PluginKit
import SSHLog
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's ipsets through libipset's data API, in-process: no `ipset`
/// process, no command line, and many adds or deletes per netlink message.
///
/// libipset keeps global state (its type list and set cache) and is not
/// thread-safe: callers serialize every call (the plugin holds one lock).
final class IPSetSession: SetBackend {
    /// Commands aggregated into one commit; libipset also commits on its own
    /// when its one-page message buffer fills.
    private static let batchSize = 512
    /// libipset must know its set types before the first command; once per process.
    private static let typesLoaded: Void = ipset_load_types()

    private var session: OpaquePointer?

    deinit { close() }

    func create(_ name: String, family: IPFamily, hashsize: UInt32, maxelem: UInt32) throws {
        let s = try open()
        let d = ipset_session_data(s)
        reset(s)
        var nfproto = family.nfproto
        var size = hashsize, max = maxelem, noTimeout: UInt32 = 0
        ipset_data_set(d, IPSET_SETNAME, name)
        ipset_data_set(d, IPSET_OPT_TYPENAME, "hash:ip")
        ipset_data_set(d, IPSET_OPT_FAMILY, &nfproto)
        guard ipset_type_get(s, IPSET_CMD_CREATE) != nil else {
            throw PluginError("create \(name): \(report(s))")
        }
        ipset_data_set(d, IPSET_OPT_HASHSIZE, &size)
        ipset_data_set(d, IPSET_OPT_MAXELEM, &max)
        // `timeout 0`: no default timeout, but every entry may carry its own.
        ipset_data_set(d, IPSET_OPT_TIMEOUT, &noTimeout)
        if ipset_cmd(s, IPSET_CMD_CREATE, 0) < 0 {
            throw PluginError("create \(name) (hash:ip family \(family.ipsetName) maxelem \(maxelem) timeout 0): \(report(s))"
                + " -- if the set exists with other options, remove its rules and destroy it, or pick another name")
        }
    }

    func add(_ entries: [SetEntry], to set: String) -> [SetFailure] {
        batched(IPSET_CMD_ADD, entries.map { ($0.address, $0.timeout) }, set)
    }

    func delete(_ addresses: [IPAddress], from set: String) -> [SetFailure] {
        batched(IPSET_CMD_DEL, addresses.map { ($0, nil) }, set)
    }

    func flush(_ set: String) throws {
        let s = try open()
        reset(s)
        ipset_data_set(ipset_session_data(s), IPSET_SETNAME, set)
        if ipset_cmd(s, IPSET_CMD_FLUSH, 0) < 0 { throw PluginError("flush \(set): \(report(s))") }
    }

    func members(of set: String) throws -> [IPAddress]? {
        let s = try open()
        let text = try savedText(of: set, session: s)
        // Save format: "create NAME ..." then one "add NAME ADDRESS [timeout N]" per entry.
        return text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ", maxSplits: 3)
            guard words.count >= 3, words[0] == "add", words[1] == set else { return nil }
            return IPAddress(blockable: String(words[2]))
        }
    }

    func close() {
        if let session { ipset_session_fini(session) }
        session = nil
    }

    // MARK: - libipset plumbing

    private func open() throws -> OpaquePointer {
        if let session { return session }
        _ = Self.typesLoaded
        // NULL print function: libipset's own, which writes to the session's
        // output stream; only `members` produces output and redirects it.
        guard let s = ipset_session_init(nil, nil) else { throw PluginError("cannot start a libipset session (out of memory)") }
        // Like `ipset -exist`: add refreshes a present entry's timeout, del of
        // an absent entry and create of an identical set are not errors.
        ipset_envopt_set(s, IPSET_ENV_EXIST)
        session = s
        return s
    }

    private func reset(_ s: OpaquePointer) {
        ipset_session_report_reset(s)
        ipset_data_reset(ipset_session_data(s))
    }

    /// libipset's last error or warning, on one line.
    private func report(_ s: OpaquePointer) -> String {
        let text = String(cString: ipset_session_report_msg(s))
            .split(whereSeparator: \.isNewline).joined(separator: "; ")
        ipset_session_report_reset(s)
        return text.isEmpty ? "libipset failed without a message" : text
    }

    /// Adds or deletes in batches: a nonzero line number makes libipset
    /// aggregate consecutive commands on one set into one netlink message.
    /// The kernel stops a message at its first error, so a failed batch is
    /// replayed one address at a time (safe: every command is idempotent) to
    /// find and report exactly the addresses that failed.
    private func batched(_ cmd: ipset_cmd, _ items: [(IPAddress, BanTimeout?)], _ set: String) -> [SetFailure] {
        guard !items.isEmpty else { return [] }
        let s: OpaquePointer
        do { s = try open() } catch { return items.map { SetFailure(address: $0.0, message: "\(error)") } }
        var failures: [SetFailure] = []
        var start = 0
        while start < items.count {
            let chunk = items[start..<min(start + Self.batchSize, items.count)]
            start += chunk.count
            var ok = true
            for (i, item) in chunk.enumerated() where ok {
                ok = (try? one(cmd, item.0, item.1, set, lineno: UInt32(i + 1), s)) != nil
            }
            ok = ipset_commit(s) >= 0 && ok
            guard !ok else { continue }
            for item in chunk {
                do { try one(cmd, item.0, item.1, set, lineno: 0, s) } catch {
                    failures.append(SetFailure(address: item.0, message: "\(error)"))
                }
            }
        }
        return failures
    }

    /// Queues (lineno > 0) or runs (lineno 0) one add or delete.
    private func one(_ cmd: ipset_cmd, _ address: IPAddress, _ timeout: BanTimeout?, _ set: String,
                     lineno: UInt32, _ s: OpaquePointer) throws {
        let d = ipset_session_data(s)
        reset(s)
        ipset_data_set(d, IPSET_SETNAME, set)
        guard ipset_type_get(s, cmd) != nil else { throw PluginError(report(s)) }
        guard ipset_data_family(d) == address.ipFamily.nfproto else {
            ipset_data_reset(d)
            throw PluginError("set \(set) does not hold \(address.ipFamily) addresses")
        }
        var ip = address.nfInetAddr
        ipset_data_set(d, IPSET_OPT_IP, &ip)
        if let timeout {
            var seconds = timeout.kernelValue
            ipset_data_set(d, IPSET_OPT_TIMEOUT, &seconds)
        }
        if ipset_cmd(s, cmd, lineno) < 0 { throw PluginError(report(s)) }
    }

    /// The set in ipset's save format. libipset prints lists only through its
    /// print function (a C variadic, which Swift cannot implement), so its
    /// output stream is pointed at an anonymous memory file and read back.
    private func savedText(of set: String, session s: OpaquePointer) throws -> String {
        let fd = try anonymousMemoryFile(what: "list \(set)")
        defer { Glibc.close(fd) }
        reset(s)
        guard ipset_session_io_full(s, "/proc/self/fd/\(fd)", IPSET_IO_OUTPUT) >= 0 else {
            throw PluginError("list \(set): \(report(s))")
        }
        ipset_session_output(s, IPSET_LIST_SAVE)
        ipset_data_set(ipset_session_data(s), IPSET_SETNAME, set)
        let rc = ipset_cmd(s, IPSET_CMD_SAVE, 0)
        ipset_session_io_close(s, IPSET_IO_OUTPUT)  // flushes into the memory file
        ipset_session_output(s, IPSET_LIST_NONE)
        if rc < 0 { throw PluginError("list \(set): \(report(s))") }
        return try readAll(fd, what: "list \(set)")
    }

    /// A memfd. Swift's Glibc module does not declare `memfd_create` (it is
    /// behind _GNU_SOURCE), so it is looked up in the C library at run time.
    private func anonymousMemoryFile(what: String) throws -> Int32 {
        typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
        let mfdCloexec: UInt32 = 1
        guard let symbol = dlsym(nil, "memfd_create") else {
            throw PluginError("\(what): this C library has no memfd_create (glibc 2.27 or later is needed)")
        }
        let fd = unsafeBitCast(symbol, to: MemfdCreate.self)("mini-siem-ipset-save", mfdCloexec)
        guard fd >= 0 else { throw systemError(what, "memfd_create", errno) }
        return fd
    }

    private func readAll(_ fd: Int32, what: String) throws -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var offset: off_t = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw systemError(what, "pread", errno) }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
            offset += off_t(n)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
