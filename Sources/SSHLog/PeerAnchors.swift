// Finding the peer that sshd itself wrote into a message.
//
// Usernames, banners, KEX offers and disconnect texts are attacker-controlled and may contain
// "from 10.9.8.7 port 22 ssh2". sshd appends the real peer after the username, so these
// matchers work from the END of the message: the user is taken greedily and the address is
// the last "<ip> port <n>" that completes the message. The address token is the whole run of
// non-space bytes there; if it is not an address, the line yields no event at all rather than
// falling back to some earlier, attacker-written pair.
//
// Some messages go on after the peer with ": <details>", and the details can hold client text
// too (a certificate's key ID, the service name in "Change of username or service not allowed:
// (...) -> (user,<service>)"). There the peer is anchored at the FIRST ": " instead: sshd cuts
// every username at its first ':' (auth style) and addresses never contain ": ", so the first
// ": " is the one sshd wrote right after the port.

/// Byte ranges of a matched peer inside the message buffer.
struct PeerMatch {
    var user: Range<Int>?
    var address: Range<Int>
    var port: Range<Int>?
}

/// What may follow `from IP port N` in the `Failed`/`Accepted`-style messages.
enum PeerTail {
    /// Nothing: the port ends the message.
    case none
    /// Exactly " ssh2".
    case ssh2
    /// " ssh2", optionally followed by ": <details>" (key type and fingerprint).
    case ssh2Details
    /// " port N" may be missing (OpenSSH before 7.5 logged no port).
    case optionalPort
}

extension MessageScanner {
    /// `USER from IP port N<tail>` where USER starts at `userStart` and may be empty.
    func fromPeer(userStart: Int, tail: PeerTail) -> PeerMatch? {
        switch tail {
        case .none:
            return fromPeer(userStart: userStart, endingAt: end)
        case .ssh2:
            guard b.hasSuffix(" ssh2", lo: userStart, end: end) else { return nil }
            return fromPeer(userStart: userStart, endingAt: end - 5)
        case .ssh2Details:
            let detailsStart = b.firstIndex(of: ": ", lo: userStart, end: end) ?? end
            guard b.hasSuffix(" ssh2", lo: userStart, end: detailsStart) else { return nil }
            return fromPeer(userStart: userStart, endingAt: detailsStart - 5)
        case .optionalPort:
            if let match = fromPeer(userStart: userStart, endingAt: end) { return match }
            let ipStart = b.tokenStart(endingAt: end, lo: userStart)
            guard ipStart < end, ipStart - 6 >= userStart, b.has(" from ", at: ipStart - 6, end: end) else { return nil }
            return PeerMatch(user: userStart..<(ipStart - 6), address: ipStart..<end, port: nil)
        }
    }

    /// `USER from IP port N` ending exactly at `e`.
    func fromPeer(userStart: Int, endingAt e: Int) -> PeerMatch? {
        let portStart = b.digitsStart(endingAt: e, lo: userStart)
        guard portStart < e, portStart - 6 >= userStart, b.has(" port ", at: portStart - 6, end: e) else { return nil }
        let ipEnd = portStart - 6
        let ipStart = b.tokenStart(endingAt: ipEnd, lo: userStart)
        guard ipStart < ipEnd, ipStart - 6 >= userStart, b.has(" from ", at: ipStart - 6, end: ipEnd) else { return nil }
        return PeerMatch(user: userStart..<(ipStart - 6), address: ipStart..<ipEnd, port: portStart..<e)
    }

    /// `[WHO ]IP port N` ending exactly at `e`, where WHO is
    /// `authenticating user USER` or `invalid user USER` (the preamble sshd puts before the
    /// peer in pre-auth connection messages).
    func whoPeer(start: Int, endingAt e: Int, whoRequired: Bool) -> PeerMatch? {
        let portStart = b.digitsStart(endingAt: e, lo: start)
        guard portStart < e, portStart - 6 >= start, b.has(" port ", at: portStart - 6, end: e) else { return nil }
        let ipEnd = portStart - 6
        let ipStart = b.tokenStart(endingAt: ipEnd, lo: start)
        guard ipStart < ipEnd else { return nil }
        if ipStart == start {
            return whoRequired ? nil : PeerMatch(user: nil, address: ipStart..<ipEnd, port: portStart..<e)
        }
        // The preamble ends with the user and then the single space before the address.
        let whoEnd = ipStart - 1
        let userStart = b.skip("authenticating user ", at: start, end: whoEnd + 1)
            ?? b.skip("invalid user ", at: start, end: whoEnd + 1)
        guard let userStart, userStart <= whoEnd else { return nil }
        return PeerMatch(user: userStart..<whoEnd, address: ipStart..<ipEnd, port: portStart..<e)
    }

    /// `[WHO ]IP port N: DETAILS` with non-empty DETAILS, anchored at the first ": ".
    func whoPeerWithDetails(start: Int, whoRequired: Bool) -> PeerMatch? {
        guard let detailsStart = b.firstIndex(of: ": ", lo: start, end: end), detailsStart + 2 < end else { return nil }
        return whoPeer(start: start, endingAt: detailsStart, whoRequired: whoRequired)
    }

    /// `IP port N` starting at `i`, for messages where the peer comes first and attacker text
    /// (an offer, a disconnect reason) follows it. Returns the match and the index after N.
    func leadingPeer(at i: Int) -> (PeerMatch, next: Int)? {
        let ipEnd = b.tokenEnd(from: i, end: end)
        guard ipEnd > i, let portStart = b.skip(" port ", at: ipEnd, end: end) else { return nil }
        let portEnd = b.digitsEnd(from: portStart, end: end)
        guard portEnd > portStart else { return nil }
        return (PeerMatch(user: nil, address: i..<ipEnd, port: portStart..<portEnd), portEnd)
    }

    /// `IP` or `IP port N` from `i` to the end of the message.
    func trailingPeer(at i: Int) -> PeerMatch? {
        let ipEnd = b.tokenEnd(from: i, end: end)
        guard ipEnd > i else { return nil }
        if ipEnd == end { return PeerMatch(user: nil, address: i..<end, port: nil) }
        guard let (peer, next) = leadingPeer(at: i), next == end else { return nil }
        return peer
    }
}
