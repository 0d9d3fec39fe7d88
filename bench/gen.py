#!/usr/bin/env python3
"""Deterministic generator of realistic sshd auth logs for the mini-siem benchmarks.

The same --seed and options always give the same bytes.

Profiles:
  mix     (default) what a busy internet-facing host sees: failed passwords for
          valid and invalid users, invalid users, preauth disconnects, max-auth,
          kex/banner failures, successes, ~15 % unrelated lines (CRON, sudo,
          systemd-logind, su). A heavy-tailed attacker population: the attacker
          of each connection is drawn from a Zipf (s=1) law over --attackers
          addresses, so a few addresses make thousands of attempts and most make
          one to three.
  unique  --addresses distinct addresses, each with 1 or 2 "Failed password"
          lines (below the default threshold of 5): the memory benchmark.
  bans    --addresses distinct addresses, each with --failures "Failed password"
          lines in a row (at the default threshold, every address is banned).

Addresses: IPv4 from the documentation ranges (192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24; 203.0.113.0/27 is kept for the "trusted" hosts that log in)
then from the benchmarking range 198.18.0.0/15 (RFC 2544); IPv6 from
2001:db8::/32. When more IPv4 addresses are needed than these ranges hold,
the rest are IPv6 (said on stderr).

Line rate: log time advances by --rate lines per second on average (default 50,
a busy host), from --start (epoch seconds, default 2026-06-01T00:00:00Z; "now"
for the current time). Keep the whole file in the past of the machine that reads it:
the classic format has no year, and a reader dates a line that lies more than a day
after its clock to the previous year (as sshd's real logs require), so a file that
runs into the future jumps back a year in the middle (10 M lines span 55 h).
"""
import argparse
import random
import signal
import sys
import time

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DEFAULT_START = 1780272000  # 2026-06-01T00:00:00Z

INVALID_USERS = (
    "admin test user ubuntu oracle postgres git guest support pi ftpuser deploy "
    "minecraft jenkins hadoop nagios mysql tomcat www ts3 steam es elastic centos "
    "debian ansible odoo vagrant dev developer user1 test1 alex john david info "
    "sales backup server ftp teamspeak zabbix redis docker kafka solr"
).split()
VALID_USERS = ["root"] * 8 + ["ubuntu", "admin", "www-data", "postgres"]
TRUSTED_USERS = ["deploy", "alice", "bob"]
KEX_OFFERS = [
    "no matching key exchange method found. Their offer: diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1",
    "no matching key exchange method found. Their offer: diffie-hellman-group14-sha1,ext-info-c,kex-strict-c-v00@openssh.com",
    "no matching host key type found. Their offer: ssh-rsa,ssh-dss",
    "no matching cipher found. Their offer: aes128-cbc,3des-cbc,aes256-cbc",
]
BANNERS = ['GET / HTTP/1.1', '\\026\\003\\001', 'SSH-1.5-Nmap-SSH1-Hostkey']
SUDO_CMDS = ["/usr/bin/apt update", "/usr/bin/systemctl restart nginx", "/usr/bin/journalctl -u ssh",
             "/usr/bin/tail -f /var/log/auth.log", "/usr/sbin/ipset list"]
FINGERPRINTS = ["SHA256:Xd7xzT3n3S/VeSxqrHPX+0eaYwnwq6ARVhFoOKPcyoY",
                "SHA256:k1b2NQv8e0pXq7m3bLQ4hX6JrE8tZs1yW5cO9uVfDgA",
                "SHA256:9pQmZ2vB7wXc4rT1nL6hK8sD3fG5jY0uI2oA7eR4tWq"]


def v4_pool(n, rng):
    """n distinct IPv4 addresses: documentation ranges first, then 198.18.0.0/15."""
    out = []
    for net, lo in (("192.0.2.", 1), ("198.51.100.", 1), ("203.0.113.", 32)):
        for i in range(lo, 255):
            out.append(net + str(i))
    rng.shuffle(out)  # heavy hitters spread over the three ranges
    if n <= len(out):
        return out[:n]
    need = n - len(out)
    bench = []
    # 198.18.0.0/15 without the .0 and .255 of each /24 (looks like real hosts)
    for i in range(131072):
        if i & 0xFF in (0, 255):
            continue
        bench.append("198.%d.%d.%d" % (18 + (i >> 16), (i >> 8) & 0xFF, i & 0xFF))
        if len(bench) >= need:
            break
    rng.shuffle(bench)
    return out + bench


def v6_pool(n, rng):
    """n distinct addresses in 2001:db8::/32 (compressed, as sshd prints them)."""
    out = []
    seen = set()
    while len(out) < n:
        a = rng.getrandbits(16)
        b = rng.getrandbits(16)
        c = rng.getrandbits(16) | 1
        key = (a, b, c)
        if key in seen:
            continue
        seen.add(key)
        out.append("2001:db8:%x:%x::%x" % (a, b, c))
    return out


def address_pool(n, ipv6_share, rng):
    n6 = int(round(n * ipv6_share))
    n4 = n - n6
    v4 = v4_pool(n4, rng)
    if len(v4) < n4:
        print("gen.py: only %d IPv4 benchmark/documentation addresses; %d more are IPv6"
              % (len(v4), n4 - len(v4)), file=sys.stderr)
        n6 += n4 - len(v4)
    v6 = v6_pool(n6, rng)
    # Interleave so that IPv6 addresses appear at every rank of the heavy tail.
    pool = []
    i4 = i6 = 0
    for k in range(n):
        take6 = i6 < len(v6) and (i4 >= len(v4) or (k + 5) * n6 // n > i6)
        if take6:
            pool.append(v6[i6]); i6 += 1
        else:
            pool.append(v4[i4]); i4 += 1
    return pool


class Clock:
    """Log time and the syslog header, cached per second."""

    def __init__(self, start, fmt, host, rate, rng):
        self.t = float(start)
        self.fmt = fmt
        self.host = host
        self.mean_gap = 1.0 / rate
        self.rng = rng
        self._sec = None
        self._prefix = ""

    def advance(self, lines=1):
        # Exponential gaps: bursts and lulls like a real log.
        self.t += self.rng.expovariate(1.0) * self.mean_gap * lines

    def header(self, prog):
        sec = int(self.t)
        if sec != self._sec:
            self._sec = sec
            tm = time.gmtime(sec)
            if self.fmt == "classic":
                self._prefix = "%s %2d %02d:%02d:%02d %s " % (
                    MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, self.host)
            else:
                self._prefix = "%04d-%02d-%02dT%02d:%02d:%02d." % (
                    tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)
        if self.fmt == "classic":
            return self._prefix + prog
        micros = int((self.t - self._sec) * 1e6)
        return "%s%06d+00:00 %s %s" % (self._prefix, micros, self.host, prog)


class MixGenerator:
    """Connections of a busy internet-facing host, line by line."""

    def __init__(self, args, rng):
        self.rng = rng
        self.args = args
        self.clock = Clock(args.start, args.format, args.host, args.rate, rng)
        self.pool = address_pool(args.attackers, args.ipv6_share, rng)
        self.trusted = ["203.0.113.%d" % i for i in range(10, 20)] + ["2001:db8:cafe::10"]
        self.pid = 20000
        self.cron_pid = 900000
        self.session = 100
        self.lnM = args.attackers
        # Connection kinds and their weights (per connection, not per line).
        self.kinds = [
            (self.invalid_user, 34),
            (self.failed_valid, 24),
            (self.max_auth, 4),
            (self.preauth, 16),
            (self.kex, 12),
            (self.not_allowed, 2),
            (self.success, 5),
        ]
        self.choices = []
        for fn, w in self.kinds:
            self.choices += [fn] * w

    def attacker(self):
        # Zipf (s=1) over the pool: P(rank k) ~ 1/k.
        k = int(self.lnM ** self.rng.random()) - 1
        return self.pool[k]

    def next_pid(self):
        self.pid += self.rng.randint(1, 7)
        if self.pid > 4000000:
            self.pid = 20000
        return self.pid

    def port(self):
        return self.rng.randint(1025, 65535)

    # Each method yields (program, message) pairs; the caller stamps them.
    def invalid_user(self):
        ip, port, pid = self.attacker(), self.port(), self.next_pid()
        u = self.rng.choice(INVALID_USERS)
        s = "sshd[%d]: " % pid
        out = [s + "Invalid user %s from %s port %d" % (u, ip, port),
               s + "pam_unix(sshd:auth): check pass; user unknown",
               s + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s " % ip,
               s + "Failed password for invalid user %s from %s port %d ssh2" % (u, ip, port)]
        r = self.rng.random()
        if r < 0.5:
            out.append(s + "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (ip, port))
            out.append(s + "Disconnected from invalid user %s %s port %d [preauth]" % (u, ip, port))
        else:
            out.append(s + "Connection closed by invalid user %s %s port %d [preauth]" % (u, ip, port))
        return out

    def failed_valid(self):
        ip, port, pid = self.attacker(), self.port(), self.next_pid()
        u = self.rng.choice(VALID_USERS)
        s = "sshd[%d]: " % pid
        out = [s + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (ip, u)]
        tries = self.rng.choice((1, 1, 1, 2, 3))
        for _ in range(tries):
            out.append(s + "Failed password for %s from %s port %d ssh2" % (u, ip, port))
        if tries > 1:
            out.append(s + "PAM %d more authentication failure%s; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s"
                       % (tries - 1, "s" if tries > 2 else "", ip, u))
        if self.rng.random() < 0.6:
            out.append(s + "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (ip, port))
            out.append(s + "Disconnected from authenticating user %s %s port %d [preauth]" % (u, ip, port))
        else:
            out.append(s + "Connection closed by authenticating user %s %s port %d [preauth]" % (u, ip, port))
        return out

    def max_auth(self):
        ip, port, pid = self.attacker(), self.port(), self.next_pid()
        s = "sshd[%d]: " % pid
        u = "root"
        out = [s + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (ip, u)]
        for _ in range(6):
            out.append(s + "Failed password for %s from %s port %d ssh2" % (u, ip, port))
        out.append(s + "error: maximum authentication attempts exceeded for %s from %s port %d ssh2 [preauth]" % (u, ip, port))
        out.append(s + "Disconnecting authenticating user %s %s port %d: Too many authentication failures [preauth]" % (u, ip, port))
        out.append(s + "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (ip, u))
        return out

    def preauth(self):
        ip, port, pid = self.attacker(), self.port(), self.next_pid()
        s = "sshd[%d]: " % pid
        r = self.rng.random()
        if r < 0.45:
            return [s + "Connection closed by %s port %d [preauth]" % (ip, port)]
        if r < 0.65:
            return [s + "Connection reset by %s port %d [preauth]" % (ip, port)]
        if r < 0.85:
            return [s + "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (ip, port),
                    s + "Disconnected from %s port %d [preauth]" % (ip, port)]
        return [s + "Connection closed by authenticating user root %s port %d [preauth]" % (ip, port)]

    def kex(self):
        ip, port, pid = self.attacker(), self.port(), self.next_pid()
        s = "sshd[%d]: " % pid
        r = self.rng.random()
        if r < 0.35:
            return [s + "Unable to negotiate with %s port %d: %s [preauth]" % (ip, port, self.rng.choice(KEX_OFFERS))]
        if r < 0.6:
            return [s + "error: kex_exchange_identification: Connection closed by remote host",
                    s + "Connection closed by %s port %d" % (ip, port)]
        if r < 0.75:
            return [s + "error: kex_exchange_identification: read: Connection reset by peer",
                    s + "Connection reset by %s port %d" % (ip, port)]
        if r < 0.9:
            return [s + 'error: kex_exchange_identification: client sent invalid protocol identifier "%s"' % self.rng.choice(BANNERS),
                    s + "banner exchange: Connection from %s port %d: invalid format" % (ip, port)]
        return [s + "ssh_dispatch_run_fatal: Connection from %s port %d: message authentication code incorrect [preauth]" % (ip, port)]

    def not_allowed(self):
        ip, port, pid = self.attacker(), self.port(), self.next_pid()
        s = "sshd[%d]: " % pid
        u = self.rng.choice(("daemon", "nobody", "www-data", "backup"))
        return [s + "User %s from %s not allowed because not listed in AllowUsers" % (u, ip),
                s + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (ip, u),
                s + "Failed password for invalid user %s from %s port %d ssh2" % (u, ip, port),
                s + "Connection closed by invalid user %s %s port %d [preauth]" % (u, ip, port)]

    def success(self):
        ip, port, pid = self.rng.choice(self.trusted), self.port(), self.next_pid()
        s = "sshd[%d]: " % pid
        u = self.rng.choice(TRUSTED_USERS)
        uid = 1000 + TRUSTED_USERS.index(u)
        self.session += 1
        n = self.session
        if self.rng.random() < 0.7:
            acc = "Accepted publickey for %s from %s port %d ssh2: ED25519 %s" % (u, ip, port, self.rng.choice(FINGERPRINTS))
        else:
            acc = "Accepted password for %s from %s port %d ssh2" % (u, ip, port)
        out = [s + acc,
               s + "pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)" % (u, uid),
               "systemd-logind[512]: New session %d of user %s." % (n, u)]
        if self.rng.random() < 0.4:
            out.append("sudo: %8s : TTY=pts/0 ; PWD=/home/%s ; USER=root ; COMMAND=%s" % (u, u, self.rng.choice(SUDO_CMDS)))
            out.append("sudo: pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%d)" % (u, uid))
            out.append("sudo: pam_unix(sudo:session): session closed for user root")
        s2 = "sshd[%d]: " % (pid + 2)
        out += [s2 + "Received disconnect from %s port %d:11: disconnected by user" % (ip, port),
                s2 + "Disconnected from user %s %s port %d" % (u, ip, port),
                s + "pam_unix(sshd:session): session closed for user %s" % u,
                "systemd-logind[512]: Session %d logged out. Waiting for processes to exit." % n,
                "systemd-logind[512]: Removed session %d." % n]
        return out

    def unrelated(self):
        r = self.rng.random()
        if r < 0.7:
            self.cron_pid += self.rng.randint(1, 40)
            if self.cron_pid > 4000000:
                self.cron_pid = 900000
            c = "CRON[%d]: " % self.cron_pid
            u = "root" if self.rng.random() < 0.8 else "www-data"
            uid = 0 if u == "root" else 33
            return [c + "pam_unix(cron:session): session opened for user %s(uid=%d) by (uid=0)" % (u, uid),
                    c + "pam_unix(cron:session): session closed for user %s" % u]
        if r < 0.9:
            u = self.rng.choice(TRUSTED_USERS)
            uid = 1000 + TRUSTED_USERS.index(u)
            return ["sudo: %8s : TTY=pts/1 ; PWD=/home/%s ; USER=root ; COMMAND=%s" % (u, u, self.rng.choice(SUDO_CMDS)),
                    "sudo: pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%d)" % (u, uid),
                    "sudo: pam_unix(sudo:session): session closed for user root"]
        p = self.rng.randint(3000, 3999000)
        return ["su[%d]: (to postgres) root on pts/0" % p,
                "su[%d]: pam_unix(su-l:session): session opened for user postgres(uid=110) by root(uid=0)" % p,
                "su[%d]: pam_unix(su-l:session): session closed for user postgres" % p]

    def lines(self, total, unrelated_share):
        """Yields batches of finished lines until `total` lines were produced."""
        done = 0
        unrel = 0
        rng = self.rng
        clock = self.clock
        choices = self.choices
        batch = []
        while done < total:
            # Keep the unrelated share on target, counted in lines.
            if unrel < unrelated_share * (done + 1):
                group = self.unrelated()
            else:
                group = rng.choice(choices)()
            for body in group:
                if not body.startswith("sshd["):
                    unrel += 1
            for body in group:
                clock.advance()
                batch.append(clock.header(body))
            done += len(group)
            if len(batch) >= 8192:
                yield batch
                batch = []
        if batch:
            yield batch


def fixed_lines(args, rng):
    """The unique and bans profiles: per address, n failed passwords in a row."""
    clock = Clock(args.start, args.format, args.host, args.rate, rng)
    pool = address_pool(args.addresses, args.ipv6_share, rng)
    pid = 20000
    batch = []
    for ip in pool:
        n = args.failures if args.profile == "bans" else rng.choice((1, 2))
        pid += 3
        if pid > 4000000:
            pid = 20000
        port = rng.randint(1025, 65535)
        msg = "sshd[%d]: Failed password for root from %s port %d ssh2" % (pid, ip, port)
        for _ in range(n):
            clock.advance()
            batch.append(clock.header(msg))
        if len(batch) >= 8192:
            yield batch
            batch = []
    if batch:
        yield batch


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `gen.py | head` ends quietly
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--lines", type=int, default=1_000_000, help="lines to write (mix profile)")
    p.add_argument("--format", choices=("classic", "rfc3339"), default="classic")
    p.add_argument("--ipv6-share", type=float, default=0.10)
    p.add_argument("--unrelated-share", type=float, default=0.15)
    p.add_argument("--attackers", type=int, default=0,
                   help="size of the attacker population (mix; default min(100000, max(2000, lines/10)))")
    p.add_argument("--profile", choices=("mix", "unique", "bans"), default="mix")
    p.add_argument("--addresses", type=int, default=1_000_000, help="distinct addresses (unique, bans)")
    p.add_argument("--failures", type=int, default=5, help="failures per address (bans)")
    p.add_argument("--rate", type=float, default=50.0, help="mean log lines per second of log time")
    p.add_argument("--start", default=str(DEFAULT_START), help="epoch seconds of the first line, or 'now'")
    p.add_argument("--host", default="bastion")
    p.add_argument("-o", "--output", default="-")
    args = p.parse_args()
    args.start = int(time.time()) if args.start == "now" else int(args.start)
    if args.attackers <= 0:
        args.attackers = min(100_000, max(2_000, args.lines // 10))
    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="ascii", newline="\n")
    if args.profile == "mix":
        batches = MixGenerator(args, rng).lines(args.lines, args.unrelated_share)
    else:
        batches = fixed_lines(args, rng)
    written = 0
    limit = args.lines if args.profile == "mix" else None
    for batch in batches:
        if limit is not None and written + len(batch) > limit:
            batch = batch[:limit - written]
        out.write("\n".join(batch))
        out.write("\n")
        written += len(batch)
    out.flush()
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
