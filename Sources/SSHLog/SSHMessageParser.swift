/// What the message part of one sshd line (the text after `sshd[pid]: `) reports.
public struct SSHMessage: Sendable, Equatable {
    /// The event.
    public var kind: SSHEventKind
    /// The peer address that sshd itself appended, normalized; nil when the line has none.
    public var address: IPAddress?
    /// The peer port; nil when the line has none.
    public var port: UInt16?
    /// The username exactly as logged (sshd's escapes and truncation kept); nil when the line
    /// names none. For `rootRefused` it is "root".
    public var user: String?
    /// The line repeats a failure that another line of the same attempt already reports:
    /// PAM's own failure lines echo sshd's `Failed ...`, and `Disconnecting ...: Too many
    /// authentication failures` echoes `maximum authentication attempts exceeded`. Such lines
    /// are events (stored, shown) but are not counted again towards a block.
    public var isRepeat: Bool

    /// A message from its parts.
    public init(kind: SSHEventKind, address: IPAddress? = nil, port: UInt16? = nil, user: String? = nil,
                isRepeat: Bool = false) {
        self.kind = kind
        self.address = address
        self.port = port
        self.user = user
        self.isRepeat = isRepeat
    }
}

/// Classifies sshd messages into security events.
///
/// The patterns are a byte-level port of the reference rules in
/// Tests/SSHLogTests/Fixtures/sshd/derive-expected.py, plus messages of other OpenSSH versions
/// that fail2ban's and sshguard's filters know. A trailing " [preauth]" is removed once, then
/// each pattern must match the whole message.
public enum SSHMessageParser {
    /// Classifies one sshd message (no syslog header). nil = not a security event.
    public static func parse(_ message: UnsafeBufferPointer<UInt8>) -> SSHMessage? {
        parse(message, in: 0..<message.count)
    }

    /// Classifies one sshd message (no syslog header). nil = not a security event.
    public static func parse(_ message: String) -> SSHMessage? {
        var text = message
        return text.withUTF8 { parse($0) }
    }

    /// Classifies the message that occupies `range` of `buffer`.
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> SSHMessage? {
        guard range.lowerBound >= 0, range.upperBound <= buffer.count, !range.isEmpty else { return nil }
        var end = range.upperBound
        let preauth = buffer.hasSuffix(" [preauth]", lo: range.lowerBound, end: end)
        if preauth { end -= 10 }
        guard end > range.lowerBound else { return nil }
        return MessageScanner(b: buffer, lo: range.lowerBound, end: end, preauth: preauth).classify()
    }
}

/// One message being classified: `b[lo..<end]` with any " [preauth]" already removed.
struct MessageScanner {
    let b: Bytes
    let lo: Int
    let end: Int
    let preauth: Bool

    // Dispatch on the first byte keeps non-event messages to one or two comparisons.
    func classify() -> SSHMessage? {
        switch b[lo] {
        case UInt8(ascii: "A"): return accepted()
        case UInt8(ascii: "F"): return failed()
        case UInt8(ascii: "e"): return errorMessage()
        case UInt8(ascii: "p"): return pamUnixFailure()
        case UInt8(ascii: "P"): return pamMoreFailures()
        case UInt8(ascii: "I"): return invalidUser()
        case UInt8(ascii: "U"): return userNotAllowed() ?? unableToNegotiate(at: lo)
        case UInt8(ascii: "R"): return rootRefused() ?? receivedDisconnect(at: lo)
        case UInt8(ascii: "C"): return connectionClosed()
        case UInt8(ascii: "D"): return disconnected() ?? disconnecting() ?? noIdentification()
        case UInt8(ascii: "d"): return droppedPastMaxStartups()
        case UInt8(ascii: "T"): return timeoutBeforeAuthentication(at: lo)
        case UInt8(ascii: "f"): return fatalMessage()
        case UInt8(ascii: "b"): return bannerExchange()
        case UInt8(ascii: "B"): return badPacketLength() ?? badProtocolVersion()
        case UInt8(ascii: "s"): return dispatchRunFatal()
        default: return nil
        }
    }

    /// Builds the event; nil when the address token is not an address.
    func event(_ kind: SSHEventKind, _ peer: PeerMatch?, user: Range<Int>? = nil) -> SSHMessage? {
        var address: IPAddress?
        if let peer {
            guard let parsed = IPAddressParser.parse(b, peer.address.lowerBound, peer.address.upperBound) else {
                return nil
            }
            address = parsed
        }
        let port = peer?.port.flatMap { b.port($0.lowerBound, $0.upperBound) }
        let userRange = user ?? peer?.user
        return SSHMessage(kind: kind, address: address, port: port,
                          user: userRange.map { b.string($0.lowerBound, $0.upperBound) })
    }

    /// Whether at least one byte follows `literal` at `i` (the `: .+` of many patterns).
    func hasText(after literal: StaticString, at i: Int) -> Bool {
        guard let next = b.skip(literal, at: i, end: end) else { return false }
        return next < end
    }

    /// Drops `prefix` from the front of a user range when the range starts with it.
    func dropping(_ prefix: StaticString, from user: Range<Int>?) -> Range<Int>? {
        guard let user, let start = b.skip(prefix, at: user.lowerBound, end: user.upperBound) else { return user }
        return start..<user.upperBound
    }
}
