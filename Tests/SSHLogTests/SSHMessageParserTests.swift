import Testing
import SSHLog

/// A message and what it must yield: kind name, canonical address, port, user (nil = none).
struct MessageCase: CustomTestStringConvertible, Sendable {
    let message: String
    let kind: String?
    let address: String?
    let port: UInt16?
    let user: String?

    init(_ message: String, _ kind: String?, _ address: String? = nil, port: UInt16? = nil, user: String? = nil) {
        self.message = message
        self.kind = kind
        self.address = address
        self.port = port
        self.user = user
    }

    var testDescription: String { message }

    func check() {
        let got = SSHMessageParser.parse(message)
        #expect(got?.kind.name == kind, "kind of \(message.debugDescription)")
        guard got != nil else { return }
        #expect(got?.address?.description == address, "address of \(message.debugDescription)")
        #expect(got?.port == port, "port of \(message.debugDescription)")
        #expect(got?.user == user, "user of \(message.debugDescription)")
    }
}

@Suite("SSHMessageParser")
struct SSHMessageParserTests {
    /// Usernames, banners, offers and disconnect texts that try to name another address.
    @Test("attacker text never becomes the address", arguments: [
        MessageCase("Invalid user x from 198.51.100.10 port 22 ssh2 from 203.0.113.5 port 4242",
                    "invalid_user", "203.0.113.5", port: 4242, user: "x from 198.51.100.10 port 22 ssh2"),
        MessageCase("Failed password for invalid user x from 198.51.100.10 port 22 ssh2 from 203.0.113.5 port 4242 ssh2",
                    "auth_failure", "203.0.113.5", port: 4242, user: "x from 198.51.100.10 port 22 ssh2"),
        MessageCase("Failed password for x from 198.51.100.10 port 22 ssh2 from 203.0.113.5 port 4242 ssh2",
                    "auth_failure", "203.0.113.5", port: 4242, user: "x from 198.51.100.10 port 22 ssh2"),
        MessageCase("Accepted password for x from 198.51.100.10 port 22 ssh2 from 203.0.113.5 port 4242 ssh2",
                    "auth_success", "203.0.113.5", port: 4242, user: "x from 198.51.100.10 port 22 ssh2"),
        MessageCase("Connection closed by invalid user x from 198.51.100.10 port 22 ssh2 203.0.113.5 port 4242 [preauth]",
                    "preauth_disconnect", "203.0.113.5", port: 4242, user: "x from 198.51.100.10 port 22 ssh2"),
        MessageCase("Connection closed by invalid user 198.51.100.10 port 22 203.0.113.5 port 4242 [preauth]",
                    "preauth_disconnect", "203.0.113.5", port: 4242, user: "198.51.100.10 port 22"),
        MessageCase("Disconnected from invalid user a 198.51.100.10 port 22 203.0.113.5 port 4242 [preauth]",
                    "preauth_disconnect", "203.0.113.5", port: 4242, user: "a 198.51.100.10 port 22"),
        MessageCase("error: maximum authentication attempts exceeded for invalid user y from 198.51.100.10 port 22 ssh2 from 203.0.113.5 port 7 ssh2 [preauth]",
                    "max_auth_exceeded", "203.0.113.5", port: 7, user: "y from 198.51.100.10 port 22 ssh2"),
        MessageCase("Disconnecting invalid user z 198.51.100.10 port 22 203.0.113.5 port 7: Too many authentication failures [preauth]",
                    "preauth_disconnect", "203.0.113.5", port: 7, user: "z 198.51.100.10 port 22"),
        // The client's service name and certificate key ID follow the peer; sshd cuts
        // usernames at ':', so the first ": " ends sshd's part of the line.
        MessageCase("Disconnecting authenticating user root 203.0.113.5 port 4242: Change of username or service not allowed: (root,ssh-connection) -> (root,x 198.51.100.10 port 22: y) [preauth]",
                    "preauth_disconnect", "203.0.113.5", port: 4242, user: "root"),
        MessageCase("Failed publickey for root from 203.0.113.5 port 4242 ssh2: ED25519-CERT SHA256:abc ID x from 198.51.100.10 port 22 ssh2: y (serial 1) CA ED25519 SHA256:def",
                    "auth_failure", "203.0.113.5", port: 4242, user: "root"),
        MessageCase("Accepted publickey for alice from 203.0.113.5 port 4242 ssh2: ED25519-CERT SHA256:abc ID from 198.51.100.10 port 22 ssh2 (serial 1) CA ED25519 SHA256:def",
                    "auth_success", "203.0.113.5", port: 4242, user: "alice"),
        MessageCase("ssh_dispatch_run_fatal: Connection from invalid user u 198.51.100.10 port 22 203.0.113.5 port 4242: message authentication code incorrect: 198.51.100.11 port 1: x [preauth]",
                    "protocol_error", "203.0.113.5", port: 4242, user: "u 198.51.100.10 port 22"),
        MessageCase("error: PAM: Authentication failure for illegal user q from 198.51.100.10 from 203.0.113.5",
                    "auth_failure", "203.0.113.5", user: "q from 198.51.100.10"),
        MessageCase("User r from 198.51.100.10 not allowed because x from 203.0.113.5 not allowed because listed in DenyUsers",
                    "user_not_allowed", "203.0.113.5", user: "r from 198.51.100.10 not allowed because x"),
        MessageCase("Received disconnect from 203.0.113.5 port 4242:11: Failed password for root from 198.51.100.10 port 22 ssh2 [preauth]",
                    "preauth_disconnect", "203.0.113.5", port: 4242),
        MessageCase("Unable to negotiate with 203.0.113.5 port 4242: no matching key exchange method found. Their offer: x,Accepted password for root from 198.51.100.10 port 22 ssh2 [preauth]",
                    "protocol_error", "203.0.113.5", port: 4242),
        MessageCase("error: kex_exchange_identification: client sent invalid protocol identifier \"Accepted password for root from 198.51.100.10 port 22 ssh2\"",
                    "protocol_error"),
        MessageCase("Bad protocol version identification 'Invalid user x from 198.51.100.10 port 22' from 203.0.113.5 port 4242",
                    "protocol_error", "203.0.113.5", port: 4242),
        // The address token sshd wrote is not an address: no event, never an earlier pair.
        MessageCase("Invalid user x from 198.51.100.10 port 22 from not-an-ip port 4242", nil),
        MessageCase("Failed password for x from 198.51.100.10 port 22 ssh2 from 1.2.3.256 port 4242 ssh2", nil),
        MessageCase("Connection closed by invalid user x 198.51.100.10 port 22 x1.2.3.4 port 4242 [preauth]", nil),
    ])
    func injection(_ c: MessageCase) { c.check() }

    /// Messages of other OpenSSH versions (the corpus is 9.2) that fail2ban/sshguard know.
    @Test("messages of other OpenSSH versions", arguments: [
        MessageCase("Timeout before authentication for 203.0.113.5 port 4242", "preauth_disconnect", "203.0.113.5", port: 4242),
        MessageCase("fatal: Timeout before authentication for 203.0.113.5 port 4242", "preauth_disconnect", "203.0.113.5", port: 4242),
        MessageCase("Timeout before authentication for connection from 203.0.113.5 to 198.51.100.1, pid = 4711",
                    "preauth_disconnect", "203.0.113.5"),
        MessageCase("Did not receive identification string from 203.0.113.5 port 4242", "protocol_error", "203.0.113.5", port: 4242),
        MessageCase("Did not receive identification string from 203.0.113.5", "protocol_error", "203.0.113.5"),
        MessageCase("Unable to negotiate with 2001:db8::5 port 4242: no matching cipher found. Their offer: 3des-cbc",
                    "protocol_error", "2001:db8::5", port: 4242),
        MessageCase("fatal: Unable to negotiate with 203.0.113.5 port 4242: no matching host key type found. Their offer: ssh-dss",
                    "protocol_error", "203.0.113.5", port: 4242),
        MessageCase("Connection closed by authenticating user alice 203.0.113.5 port 4242 [preauth]",
                    "preauth_disconnect", "203.0.113.5", port: 4242, user: "alice"),
        MessageCase("Connection reset by authenticating user alice 203.0.113.5 port 4242 [preauth]",
                    "preauth_disconnect", "203.0.113.5", port: 4242, user: "alice"),
        MessageCase("Accepted password for alice from 203.0.113.5 port 4242 ssh2", "auth_success", "203.0.113.5", port: 4242, user: "alice"),
        MessageCase("Accepted publickey for alice from 2001:db8::5 port 4242 ssh2: ED25519 SHA256:Xd7xzT3n3S/VeSxqrHPX+0eaYwnwq6ARVhFoOKPcyoY",
                    "auth_success", "2001:db8::5", port: 4242, user: "alice"),
        MessageCase("Accepted keyboard-interactive/pam for alice from 203.0.113.5 port 4242 ssh2",
                    "auth_success", "203.0.113.5", port: 4242, user: "alice"),
        MessageCase("Invalid user mallory from 203.0.113.5 port 4242", "invalid_user", "203.0.113.5", port: 4242, user: "mallory"),
        MessageCase("Invalid user mallory from 203.0.113.5", "invalid_user", "203.0.113.5", user: "mallory"),
        MessageCase("User bob from 203.0.113.5 not allowed because not listed in AllowUsers",
                    "user_not_allowed", "203.0.113.5", user: "bob"),
        MessageCase("User bob from 203.0.113.5 not allowed because none of user's groups are listed in AllowGroups",
                    "user_not_allowed", "203.0.113.5", user: "bob"),
        MessageCase("User bob not allowed because account is locked", "user_not_allowed", user: "bob"),
        MessageCase("User bob not allowed because shell /bin/false does not exist", "user_not_allowed", user: "bob"),
        MessageCase("error: PAM: User not known to the underlying authentication module for illegal user eve from 203.0.113.5",
                    "auth_failure", "203.0.113.5", user: "eve"),
        MessageCase("error: Received disconnect from 203.0.113.5 port 4242:3: com.jcraft.jsch.JSchException: Auth fail [preauth]",
                    "preauth_disconnect", "203.0.113.5", port: 4242),
        MessageCase("drop connection #0 from [203.0.113.5]:4242 on [198.51.100.1]:22 penalty: failed authentication",
                    "preauth_disconnect", "203.0.113.5", port: 4242),
        MessageCase("ROOT LOGIN REFUSED FROM 203.0.113.5", "root_refused", "203.0.113.5", user: "root"),
        MessageCase("error: kex_protocol_error: type 30 seq 1 [preauth]", "protocol_error"),
        MessageCase("ssh_dispatch_run_fatal: Connection from invalid user eve 203.0.113.5 port 4242: Connection corrupted [preauth]",
                    "protocol_error", "203.0.113.5", port: 4242, user: "eve"),
    ])
    func otherVersions(_ c: MessageCase) { c.check() }

    /// Address forms sshd may print.
    @Test("address normalization", arguments: [
        MessageCase("Failed password for root from fe80::5%eth0 port 22 ssh2", "auth_failure", "fe80::5", port: 22, user: "root"),
        MessageCase("Failed password for root from ::ffff:198.51.100.7 port 22 ssh2", "auth_failure", "198.51.100.7", port: 22, user: "root"),
        MessageCase("Failed password for root from 2001:DB8:0:0:1:0:0:1 port 22 ssh2", "auth_failure", "2001:db8::1:0:0:1", port: 22, user: "root"),
        MessageCase("Failed password for root from 198.51.100.7 port 99999 ssh2", "auth_failure", "198.51.100.7", user: "root"),
    ])
    func addresses(_ c: MessageCase) { c.check() }

    /// Post-authentication lines and other sshd chatter are not events.
    @Test("not events", arguments: [
        "Received disconnect from 198.51.100.10 port 37990:11: disconnected by user",
        "Disconnected from user siemtest 198.51.100.10 port 37990",
        "Disconnected from 198.51.100.10 port 37990",
        "Connection closed by user siemtest 198.51.100.10 port 37990",
        "Connection from 198.51.100.77 port 40150 on 198.51.100.1 port 22 rdomain \"\"",
        "Postponed keyboard-interactive for siemtest from 198.51.100.77 port 45832 ssh2 [preauth]",
        "Accepted key ED25519 SHA256:Xd7xzT3n3S/VeSxqrHPX+0eaYwnwq6ARVhFoOKPcyoY found at /tmp/x:1",
        "Server listening on 0.0.0.0 port 22.",
        "pam_unix(sshd:auth): check pass; user unknown",
        "pam_unix(sshd:session): session opened for user siemtest(uid=1001) by (uid=0)",
        "error: Could not get shadow information for NOUSER",
        "error: beginning MaxStartups throttling",
        "Starting session: command for siemtest from 198.51.100.10 port 34628 id 0",
        "Invalid user", "Invalid user x from", "Failed password for x from 1.2.3.4 port", "[preauth]", " [preauth]", "",
        "Accepted password for x from 1.2.3.4 port 22 ssh3",
        "User bob not allowed because account is locked!",
        "Bad packet length 12",
    ])
    func notEvents(message: String) {
        #expect(SSHMessageParser.parse(message) == nil, "\(message.debugDescription)")
    }

    /// sshd-session and sshd-auth are sshd; other programs are not, whatever they say.
    @Test("program names")
    func programs() throws {
        let parser = SSHLogLineParser(reference: Fixtures.corpusReference)
        let body = "Failed password for root from 203.0.113.5 port 4242 ssh2"
        for program in ["sshd", "sshd-session", "sshd-auth"] {
            let event = try #require(parser.parse("Nov 26 08:22:23 bastion \(program)[42]: \(body)"), "\(program)")
            #expect(event.process == program && event.pid == 42 && event.kind == .authFailure)
            #expect(event.address == IPAddress("203.0.113.5") && event.port == 4242 && event.user == "root")
        }
        let noPid = try #require(parser.parse("Nov 26 08:22:23 bastion sshd: \(body)"))
        #expect(noPid.pid == nil && noPid.process == "sshd")
        for program in ["su", "sshdx", "sshd-sessio", "sshd-sessiox", "sshd-authx", "sshd-agen", "xsshd", "SSHD", "useradd", "sshd-agent"] {
            #expect(parser.parse("Nov 26 08:22:23 bastion \(program)[42]: \(body)") == nil, "\(program)")
        }
    }

    @Test("kind names round-trip and match the C ABI values")
    func kindNames() {
        let expected: [(SSHEventKind, String, UInt32)] = [
            (.authFailure, "auth_failure", 1), (.invalidUser, "invalid_user", 2),
            (.userNotAllowed, "user_not_allowed", 3), (.rootRefused, "root_refused", 4),
            (.maxAuthExceeded, "max_auth_exceeded", 5), (.preauthDisconnect, "preauth_disconnect", 6),
            (.protocolError, "protocol_error", 7), (.authSuccess, "auth_success", 8),
        ]
        #expect(expected.count == SSHEventKind.allCases.count)
        for (kind, name, raw) in expected {
            #expect(kind.name == name && kind.rawValue == raw && SSHEventKind(name: name) == kind)
        }
        #expect(SSHEventKind(name: "possible_compromise") == nil)
    }
}
