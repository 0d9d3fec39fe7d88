#if canImport(Glibc)
import Glibc
#endif

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

/// An address that passed `inet_pton`, in canonical (`inet_ntop`) text form.
///
/// Only values of this type ever reach libipset or a log line as an address,
/// so nothing an attacker wrote into a log can end up in a kernel request.
struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    let family: IPFamily
    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    let bytes: [UInt8]
    /// Canonical text, e.g. `198.51.100.7` or `2001:db8::1`.
    let text: String

    var description: String { text }

    /// Parses `text` strictly (no surrounding spaces, no CIDR suffix, no
    /// leading zeros in IPv4 octets). An IPv4-mapped IPv6 address
    /// (`::ffff:198.51.100.7`) becomes the IPv4 address: such a client reaches
    /// netfilter as IPv4, so only the IPv4 set can stop it.
    init?(_ text: String) {
        // inet_pton would stop at an embedded NUL and accept the prefix.
        guard !text.isEmpty, text.utf8.count <= 64, !text.utf8.contains(0) else { return nil }
        var v6 = [UInt8](repeating: 0, count: 16)
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(family: .v4, bytes: v4)
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
            if Array(v6[0..<12]) == mappedPrefix {
                self.init(family: .v4, bytes: Array(v6[12..<16]))
            } else {
                self.init(family: .v6, bytes: v6)
            }
        } else {
            return nil
        }
    }

    private init(family: IPFamily, bytes: [UInt8]) {
        self.family = family
        self.bytes = bytes
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let af = family == .v4 ? AF_INET : AF_INET6
        _ = inet_ntop(af, bytes, &buffer, socklen_t(buffer.count))
        self.text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The 16-byte `union nf_inet_addr` libipset expects (IPv4 in the first 4).
    var nfInetAddr: [UInt8] { bytes + [UInt8](repeating: 0, count: 16 - bytes.count) }
}

/// `text` made safe for one log line: printable ASCII kept, anything else
/// shown as `\xNN`, at most 80 characters. Used for values that failed
/// validation, which may be attacker-controlled.
func logSafe(_ text: String) -> String {
    var out = ""
    for byte in text.utf8.prefix(80) {
        if byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\\") {
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
