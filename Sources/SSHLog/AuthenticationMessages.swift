// Messages about authentication attempts: successes, failures, refused and unknown users.

extension MessageScanner {
    /// `Accepted <method> for USER from IP port N ssh2[: <key>]`
    func accepted() -> SSHMessage? {
        guard let userStart = afterMethod("Accepted "),
              let peer = fromPeer(userStart: userStart, tail: .ssh2Details) else { return nil }
        return event(.authSuccess, peer)
    }

    /// `Failed <method> for [invalid user ]USER from IP port N ssh2[: <key>]`
    func failed() -> SSHMessage? {
        guard let userStart = afterMethod("Failed "),
              let peer = fromPeer(userStart: userStart, tail: .ssh2Details) else { return nil }
        return event(.authFailure, peer, user: dropping("invalid user ", from: peer.user))
    }

    /// The index after `<verb><method> for `, where the method is one non-empty word.
    private func afterMethod(_ verb: StaticString) -> Int? {
        guard let methodStart = b.skip(verb, at: lo, end: end) else { return nil }
        let methodEnd = b.tokenEnd(from: methodStart, end: end)
        guard methodEnd > methodStart else { return nil }
        return b.skip(" for ", at: methodEnd, end: end)
    }

    /// `Invalid user USER from IP port N` (the port is missing before OpenSSH 7.5).
    func invalidUser() -> SSHMessage? {
        guard let userStart = b.skip("Invalid user ", at: lo, end: end),
              let peer = fromPeer(userStart: userStart, tail: .optionalPort) else { return nil }
        return event(.invalidUser, peer)
    }

    /// `User USER from IP not allowed because <reason>`, or, for the reasons sshd logs
    /// without a peer, `User USER not allowed because account is locked|shell ...`.
    func userNotAllowed() -> SSHMessage? {
        guard let start = b.skip("User ", at: lo, end: end) else { return nil }
        let phrase: StaticString = " not allowed because "
        let phraseLength = phrase.utf8CodeUnitCount
        var limit = end
        while let k = b.lastIndex(of: phrase, lo: start, end: limit) {
            let ipStart = b.tokenStart(endingAt: k, lo: start)
            if k + phraseLength < end, ipStart < k, ipStart - 6 >= start, b.has(" from ", at: ipStart - 6, end: k) {
                return event(.userNotAllowed, PeerMatch(user: start..<(ipStart - 6), address: ipStart..<k, port: nil))
            }
            limit = k + phraseLength - 1
        }
        limit = end
        while let k = b.lastIndex(of: phrase, lo: start, end: limit) {
            let reason = k + phraseLength
            if b.has("account is locked", at: reason, end: end) && reason + 17 == end
                || hasText(after: "shell ", at: reason) {
                return event(.userNotAllowed, nil, user: start..<k)
            }
            limit = k + phraseLength - 1
        }
        return nil
    }

    /// `ROOT LOGIN REFUSED FROM IP port N` (no port in old versions); the user is root.
    func rootRefused() -> SSHMessage? {
        guard let start = b.skip("ROOT LOGIN REFUSED FROM ", at: lo, end: end),
              let peer = trailingPeer(at: start),
              var message = event(.rootRefused, peer) else { return nil }
        message.user = "root"
        return message
    }

    /// `pam_unix(<service>:auth): authentication failure; logname=... rhost=IP [user=USER]`
    func pamUnixFailure() -> SSHMessage? {
        guard let service = b.skip("pam_unix(", at: lo, end: end) else { return nil }
        let colon = b.index(of: ASCII.colon, from: service, end: end)
        guard colon > service, b.tokenEnd(from: service, end: colon) == colon,
              let tail = b.skip(":auth): authentication failure; ", at: colon, end: end) else { return nil }
        return pamFailureFields(at: tail)
    }

    /// `PAM N more authentication failure[s]; logname=... rhost=IP [user=USER]`
    func pamMoreFailures() -> SSHMessage? {
        guard let count = b.skip("PAM ", at: lo, end: end) else { return nil }
        let countEnd = b.digitsEnd(from: count, end: end)
        guard countEnd > count, var i = b.skip(" more authentication failure", at: countEnd, end: end) else { return nil }
        if i < end && b[i] == UInt8(ascii: "s") { i += 1 }
        guard let tail = b.skip("; ", at: i, end: end) else { return nil }
        return pamFailureFields(at: tail)
    }

    /// `logname=\S* uid=\d+ euid=\d+ tty=\S* ruser=\S* rhost=\S+( +user=\S+)? *` to the end.
    /// rhost is a host name when sshd resolves names (UseDNS); the event then has no address.
    private func pamFailureFields(at start: Int) -> SSHMessage? {
        guard let logname = b.skip("logname=", at: start, end: end),
              let uid = numberField(" uid=", at: b.tokenEnd(from: logname, end: end)),
              let euid = numberField(" euid=", at: uid),
              let tty = wordField(" tty=", at: euid),
              let ruser = wordField(" ruser=", at: tty),
              let rhost = b.skip(" rhost=", at: ruser, end: end) else { return nil }
        let rhostEnd = b.tokenEnd(from: rhost, end: end)
        guard rhostEnd > rhost else { return nil }
        let i = skipSpaces(from: rhostEnd)
        var user: Range<Int>?
        if i < end {
            guard i > rhostEnd, let value = b.skip("user=", at: i, end: end) else { return nil }
            let valueEnd = b.tokenEnd(from: value, end: end)
            guard valueEnd > value, skipSpaces(from: valueEnd) == end else { return nil }
            user = value..<valueEnd
        }
        let address = IPAddressParser.parse(b, rhost, rhostEnd)
        return SSHMessage(kind: .authFailure, address: address, port: nil,
                          user: user.map { b.string($0.lowerBound, $0.upperBound) }, isRepeat: true)
    }

    /// The index after `<field><digits>`, at least one digit.
    private func numberField(_ field: StaticString, at i: Int) -> Int? {
        guard let digits = b.skip(field, at: i, end: end) else { return nil }
        let digitsEnd = b.digitsEnd(from: digits, end: end)
        return digitsEnd > digits ? digitsEnd : nil
    }

    /// The index after `<field><word>`, the word possibly empty.
    private func wordField(_ field: StaticString, at i: Int) -> Int? {
        b.skip(field, at: i, end: end).map { b.tokenEnd(from: $0, end: end) }
    }

    private func skipSpaces(from i: Int) -> Int {
        var k = i
        while k < end && b[k] == ASCII.space { k += 1 }
        return k
    }
}
