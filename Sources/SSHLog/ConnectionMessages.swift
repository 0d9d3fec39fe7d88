// Messages about connections that end before authentication and protocol-level errors.

extension MessageScanner {
    /// `error: ...`: PAM failures, max tries, and identification/kex errors.
    func errorMessage() -> SSHMessage? {
        guard let i = b.skip("error: ", at: lo, end: end), i < end else { return nil }
        switch b[i] {
        case UInt8(ascii: "P"):
            if let userStart = b.skip("PAM: Authentication failure for ", at: i, end: end)
                ?? b.skip("PAM: User not known to the underlying authentication module for ", at: i, end: end) {
                return pamAuthenticationFailure(userStart: userStart)
            }
            return hasText(after: "Protocol major versions differ: ", at: i) ? SSHMessage(kind: .protocolError) : nil
        case UInt8(ascii: "m"):
            guard let userStart = b.skip("maximum authentication attempts exceeded for ", at: i, end: end),
                  let peer = fromPeer(userStart: userStart, tail: .ssh2) else { return nil }
            return event(.maxAuthExceeded, peer, user: dropping("invalid user ", from: peer.user))
        case UInt8(ascii: "k"):
            let known = hasText(after: "kex_exchange_identification: ", at: i) || hasText(after: "kex_protocol_error: ", at: i)
            return known ? SSHMessage(kind: .protocolError) : nil
        case UInt8(ascii: "B"):
            return hasText(after: "Bad remote protocol version identification: ", at: i) ? SSHMessage(kind: .protocolError) : nil
        case UInt8(ascii: "R"):
            return receivedDisconnect(at: i)
        default:
            return nil
        }
    }

    /// `[illegal user ]USER from IP` at the end of an `error: PAM: ...` message (no port).
    private func pamAuthenticationFailure(userStart: Int) -> SSHMessage? {
        let ipStart = b.tokenStart(endingAt: end, lo: userStart)
        guard ipStart < end, ipStart - 6 >= userStart, b.has(" from ", at: ipStart - 6, end: end) else { return nil }
        let user = dropping("illegal user ", from: userStart..<(ipStart - 6))
        var message = event(.authFailure, PeerMatch(user: nil, address: ipStart..<end, port: nil), user: user)
        message?.isRepeat = true
        return message
    }

    /// `Received disconnect from IP port N:CODE: <client text> [preauth]`. The client text is
    /// the attacker's, so the peer is read from the front. Without [preauth] it is a normal
    /// logout, not an event.
    func receivedDisconnect(at i: Int) -> SSHMessage? {
        guard preauth, let start = b.skip("Received disconnect from ", at: i, end: end),
              let (peer, next) = leadingPeer(at: start),
              let code = b.skip(":", at: next, end: end) else { return nil }
        let codeEnd = b.digitsEnd(from: code, end: end)
        guard codeEnd > code, b.has(":", at: codeEnd, end: end) else { return nil }
        return event(.preauthDisconnect, peer)
    }

    /// `Connection closed|reset by [authenticating|invalid user USER ]IP port N`
    func connectionClosed() -> SSHMessage? {
        guard let start = b.skip("Connection closed by ", at: lo, end: end)
            ?? b.skip("Connection reset by ", at: lo, end: end),
            let peer = whoPeer(start: start, endingAt: end, whoRequired: false) else { return nil }
        return event(.preauthDisconnect, peer)
    }

    /// `Disconnected from authenticating|invalid user USER IP port N [preauth]`; the same
    /// words without [preauth] end a normal session.
    func disconnected() -> SSHMessage? {
        guard preauth, let start = b.skip("Disconnected from ", at: lo, end: end),
              let peer = whoPeer(start: start, endingAt: end, whoRequired: false) else { return nil }
        return event(.preauthDisconnect, peer)
    }

    /// `Disconnecting authenticating|invalid user USER IP port N: <reason>`
    func disconnecting() -> SSHMessage? {
        guard let start = b.skip("Disconnecting ", at: lo, end: end),
              let peer = whoPeerWithDetails(start: start, whoRequired: true) else { return nil }
        var message = event(.preauthDisconnect, peer)
        let tooMany: StaticString = ": Too many authentication failures"
        let n = tooMany.utf8CodeUnitCount
        message?.isRepeat = end - lo >= n && b.has(tooMany, at: end - n, end: end)
        return message
    }

    /// `Did not receive identification string from IP[ port N]` (OpenSSH before 7.x/8.x).
    func noIdentification() -> SSHMessage? {
        guard let start = b.skip("Did not receive identification string from ", at: lo, end: end),
              let peer = trailingPeer(at: start) else { return nil }
        return event(.protocolError, peer)
    }

    /// `drop connection #N from [IP]:P on [IP]:P past MaxStartups|penalty: <reason>`
    func droppedPastMaxStartups() -> SSHMessage? {
        guard let count = b.skip("drop connection #", at: lo, end: end) else { return nil }
        let countEnd = b.digitsEnd(from: count, end: end)
        guard countEnd > count, let remote = b.skip(" from ", at: countEnd, end: end),
              let (peer, afterRemote) = bracketedPeer(at: remote),
              let local = b.skip(" on ", at: afterRemote, end: end),
              let (_, afterLocal) = bracketedPeer(at: local) else { return nil }
        let pastMaxStartups = b.has(" past MaxStartups", at: afterLocal, end: end) && afterLocal + 17 == end
        guard pastMaxStartups || hasText(after: " penalty: ", at: afterLocal) else { return nil }
        return event(.preauthDisconnect, peer)
    }

    /// `[IP]:P` at `i`; the match and the index after P.
    private func bracketedPeer(at i: Int) -> (PeerMatch, next: Int)? {
        guard i < end, b[i] == ASCII.openBracket else { return nil }
        let ipEnd = b.index(of: ASCII.closeBracket, from: i + 1, end: end)
        guard ipEnd < end, ipEnd > i + 1, let port = b.skip("]:", at: ipEnd, end: end) else { return nil }
        let portEnd = b.digitsEnd(from: port, end: end)
        guard portEnd > port else { return nil }
        return (PeerMatch(user: nil, address: (i + 1)..<ipEnd, port: port..<portEnd), portEnd)
    }

    /// `Timeout before authentication for IP[ port N]`, or, from the OpenSSH >= 9.8 listener,
    /// `Timeout before authentication for connection from IP to IP, pid = N`.
    func timeoutBeforeAuthentication(at i: Int) -> SSHMessage? {
        guard let start = b.skip("Timeout before authentication for ", at: i, end: end) else { return nil }
        if let from = b.skip("connection from ", at: start, end: end) {
            let ipEnd = b.tokenEnd(from: from, end: end)
            guard ipEnd > from, hasText(after: " to ", at: ipEnd) else { return nil }
            return event(.preauthDisconnect, PeerMatch(user: nil, address: from..<ipEnd, port: nil))
        }
        guard let peer = trailingPeer(at: start) else { return nil }
        return event(.preauthDisconnect, peer)
    }

    /// `fatal: Timeout before authentication ...` and `fatal: Unable to negotiate ...`
    func fatalMessage() -> SSHMessage? {
        guard let i = b.skip("fatal: ", at: lo, end: end) else { return nil }
        return timeoutBeforeAuthentication(at: i) ?? unableToNegotiate(at: i)
    }

    /// `Unable to negotiate with IP port N: no matching ... Their offer: <client offer>`.
    /// The offer is the attacker's, so the peer is read from the front.
    func unableToNegotiate(at i: Int) -> SSHMessage? {
        guard let start = b.skip("Unable to negotiate with ", at: i, end: end),
              let (peer, next) = leadingPeer(at: start), b.has(": ", at: next, end: end) else { return nil }
        return event(.protocolError, peer)
    }

    /// `banner exchange: Connection from IP port N: <reason>`
    func bannerExchange() -> SSHMessage? {
        guard let start = b.skip("banner exchange: Connection from ", at: lo, end: end),
              let (peer, next) = leadingPeer(at: start), hasText(after: ": ", at: next) else { return nil }
        return event(.protocolError, peer)
    }

    /// `Bad packet length N.`
    func badPacketLength() -> SSHMessage? {
        guard let digits = b.skip("Bad packet length ", at: lo, end: end) else { return nil }
        let digitsEnd = b.digitsEnd(from: digits, end: end)
        guard digitsEnd > digits, digitsEnd + 1 == end, b[digitsEnd] == ASCII.dot else { return nil }
        return SSHMessage(kind: .protocolError)
    }

    /// `Bad protocol version identification '<client banner>' from IP port N` (old OpenSSH).
    func badProtocolVersion() -> SSHMessage? {
        guard let start = b.skip("Bad protocol version identification ", at: lo, end: end),
              var peer = fromPeer(userStart: start, tail: .none) else { return nil }
        peer.user = nil
        return event(.protocolError, peer)
    }

    /// `ssh_dispatch_run_fatal: Connection from [WHO ]IP port N: <error>`
    func dispatchRunFatal() -> SSHMessage? {
        guard let start = b.skip("ssh_dispatch_run_fatal: Connection from ", at: lo, end: end),
              let peer = whoPeerWithDetails(start: start, whoRequired: false) else { return nil }
        return event(.protocolError, peer)
    }
}
