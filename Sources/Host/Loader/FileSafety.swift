import Foundation

/// What a root daemon checks before it runs code from a file.
enum FileSafety {
    /// nil when root owns the path and neither group nor others can write it.
    static func problem(path: String, isDirectory: Bool) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return "cannot stat: \(String(cString: strerror(errno)))" }
        let what = isDirectory ? "directory" : "file"
        if !isDirectory && (st.st_mode & S_IFMT) != S_IFREG { return "not a regular file" }
        if st.st_uid != 0 { return "unsafe ownership: \(what) owned by uid \(st.st_uid), not root" }
        if st.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            return "unsafe permissions: \(what) is writable by group or others (mode \(String(st.st_mode & 0o7777, radix: 8)))"
        }
        return nil
    }

    static func isELF(path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let magic = (try? h.read(upToCount: 4)) ?? Data()
        return magic == Data([0x7f, 0x45, 0x4c, 0x46])
    }
}
