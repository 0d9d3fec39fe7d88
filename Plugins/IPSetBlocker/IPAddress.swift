import SSHLog

/// The two address families the blocker keeps a set for.
enum IPFamily: Sendable, CaseIterable, CustomStringConvertible {
    case v4, v6

    /// libipset's family number (NFPROTO_IPV4 / NFPROTO_IPV6).
    var nfproto: UInt8 { self == .v4 ? 2 : 10 }
    /// The family word ipset prints and parses (`family inet`).
    var ipsetName: String { self == .v4 ? "inet" : "inet6" }
    /// The rule tool that filters this family.
    var ruleTool: String { self == .v4 ? "iptables" : "ip6tables" }
    var description: String { self == .v4 ? "IPv4" : "IPv6" }
}

/// The blocker's view of the project's address type (SSHLog.IPAddress, the
/// one strict parser). Only addresses that passed `init?(blockable:)` ever
/// reach libipset or a log line as an address, so nothing an attacker wrote
/// into a log can end up in a kernel request.
extension IPAddress {
    /// Parses `text` with SSHLog's strict parser (no surrounding spaces, no
    /// CIDR suffix, no leading zeros in IPv4 parts; `::ffff:a.b.c.d` becomes
    /// the IPv4 address, which is how such a client reaches netfilter) and
    /// also refuses a `%zone`, which SSHLog would drop: a hash:ip set cannot
    /// hold a zone, so a scoped address would be banned on every interface.
    /// The host sends canonical addresses, never zones.
    init?(blockable text: String) {
        guard !text.utf8.contains(UInt8(ascii: "%")) else { return nil }
        self.init(text)
    }

    /// The family whose set holds this address.
    var ipFamily: IPFamily { family == 4 ? .v4 : .v6 }

    /// The 16-byte `union nf_inet_addr` libipset expects (IPv4 in the first 4).
    var nfInetAddr: [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes { raw in
            for (i, byte) in raw.enumerated() { out[i] = byte }
        }
        return out
    }
}

/// `text` made safe for one log line: printable ASCII kept, anything else
/// shown as `\xNN`, at most 80 characters. Used for values that failed
/// validation, which may be attacker-controlled. Text that is already safe
/// (the usual case) is returned as it is.
func logSafe(_ text: String) -> String {
    func isSafe(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\\") }
    if text.utf8.count <= 80 && text.utf8.allSatisfy(isSafe) { return text }
    var out = ""
    for byte in text.utf8.prefix(80) {
        if isSafe(byte) {
            out.unicodeScalars.append(UnicodeScalar(byte))
        } else {
            out += "\\x" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
        }
    }
    return text.utf8.count > 80 ? out + "..." : out
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
