# lab.sh - the lab half of the end-to-end test, sourced by run.sh.
#
# A real sshd in network namespace msiem-srv (bridge 198.51.100.1/24,
# 2001:db8:51::1/64), clients in msiem-atk/-atk2/-atk3/-atk6/-trusted on veth
# pairs, sshd logging through a private rsyslogd into $LAB/auth.log.  Only
# documentation addresses, only namespaces this file creates; the machine's own
# firewall, /dev/log and login records are never touched (see labdev.sh).

HERE=${HERE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}

NS_SRV=msiem-srv
NS_ATK=msiem-atk            # 198.51.100.66       main brute-forcer (steps 1, 2, 4)
NS_ATK2=msiem-atk2          # 198.51.100.77       log-injection usernames (steps 3, 6)
NS_ATK3=msiem-atk3          # 198.51.100.88       short ban that expires (step 5)
NS_ATK6=msiem-atk6          # 2001:db8:51::66     IPv6 attacker (step 7)
NS_TRUSTED=msiem-trusted    # 198.51.100.10, 2001:db8:51::10 (whitelisted)
CLIENT_NS="$NS_ATK $NS_ATK2 $NS_ATK3 $NS_ATK6 $NS_TRUSTED"
ALL_NS="$NS_SRV $CLIENT_NS"

SRV4=198.51.100.1
SRV6=2001:db8:51::1
ATK4=198.51.100.66
ATK2_4=198.51.100.77
ATK3_4=198.51.100.88
ATK6=2001:db8:51::66
TRUSTED4=198.51.100.10
TRUSTED6=2001:db8:51::10
NAMED4=198.51.100.99        # named inside an injection username, never attacks

LAB_USER=${E2E_USER:-msiemlab}
LAB_PASS='E2e-lab-Pa55!'
LAB_USER_GECOS="mini-siem e2e lab user"   # marks a user left behind by this test
USE_PAM=${E2E_USEPAM:-yes}
LOG_FORMAT=${E2E_LOGFORMAT:-traditional}  # or rfc3339

LAB=                       # mktemp -d, set by lab_setup
RSYSLOG_PID= ; SSHD_PID= ; CREATED_USER=0 ; CREATED_NS=""
EXTRA_PIDS=""              # anything else we start in the background

say()  { printf '[%(%H:%M:%S)T] %s\n' -1 "$*"; }
info() { printf '   %s\n' "$*"; }
die()  { say "FATAL: $*"; exit 2; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }
# run a host program with the lab's private /dev/log (see labdev.sh)
with_lablog() { unshare --mount --propagation slave bash "$HERE/labdev.sh" "$LAB" "$@"; }

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds or time is up
wait_for() {
    local end=$((SECONDS + $1)); shift
    while :; do
        "$@" >/dev/null 2>&1 && return 0
        [ "$SECONDS" -ge "$end" ] && return 1
        sleep 0.2
    done
}

# stop_pid PID [NAME]: SIGTERM, wait up to 10 s, then SIGKILL; 0 if it exited on TERM
stop_pid() {
    local pid=$1 name=${2:-process} i
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }; sleep 0.2; done
    say "$name (pid $pid) ignored SIGTERM for 10 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    return 1
}

# ---------------------------------------------------------------- preflight
lab_preflight() {
    [ "$(id -u)" = 0 ] || die "run as root (namespaces, sshd, ipset)"
    local b missing=""
    for b in /usr/sbin/sshd ssh ssh-keygen sshpass rsyslogd ipset iptables ip6tables ip unshare python3 timeout flock; do
        command -v "$b" >/dev/null || missing="$missing $b"
    done
    [ -z "$missing" ] || die "missing:$missing - apt-get install -y openssh-server openssh-client sshpass rsyslog ipset iptables iproute2 python3 util-linux coreutils"
    local ns
    for ns in $ALL_NS; do
        ns_exists "$ns" && die "network namespace $ns already exists (a previous run? '$0 --clean-stale' removes this test's leftovers)"
    done
    id "$LAB_USER" >/dev/null 2>&1 && die "user $LAB_USER already exists (a previous run? '$0 --clean-stale')"
    return 0
}

# Remove what an earlier, killed run of THIS test left: only our exact
# namespace names, and the lab user only if it carries our GECOS marker.
lab_clean_stale() {
    local ns p
    for ns in $ALL_NS; do
        ns_exists "$ns" || continue
        for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
        sleep 0.5
        ip netns del "$ns" && say "removed stale namespace $ns"
    done
    if getent passwd "$LAB_USER" | cut -d: -f5 | grep -qx "$LAB_USER_GECOS"; then
        userdel -r "$LAB_USER" 2>/dev/null; say "removed stale user $LAB_USER"
    elif id "$LAB_USER" >/dev/null 2>&1; then
        say "user $LAB_USER exists but is not ours (GECOS differs): left alone"
    fi
    ls -d /tmp/msiem-e2e.* 2>/dev/null | while read -r d; do rm -rf "$d" && say "removed $d"; done
}

lab_cleanup() {
    set +e
    local ns p
    [ -n "$LAB" ] || return 0
    stop_pid "$SSHD_PID" sshd; SSHD_PID=
    for p in $EXTRA_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; EXTRA_PIDS=""
    for ns in $CREATED_NS; do      # leftovers inside our own namespaces only
        for p in $(ip netns pids "$ns" 2>/dev/null); do [ "$p" = "$RSYSLOG_PID" ] || kill "$p" 2>/dev/null; done
    done
    sleep 0.5
    for ns in $CREATED_NS; do
        for p in $(ip netns pids "$ns" 2>/dev/null); do [ "$p" = "$RSYSLOG_PID" ] || kill -KILL "$p" 2>/dev/null; done
    done
    if [ "$CREATED_USER" = 1 ]; then
        with_lablog userdel -r "$LAB_USER" 2>/dev/null || userdel -r "$LAB_USER" 2>/dev/null
        CREATED_USER=0
    fi
    stop_pid "$RSYSLOG_PID" rsyslogd; RSYSLOG_PID=
    for ns in $CREATED_NS; do ip netns del "$ns" 2>/dev/null; done; CREATED_NS=""
    if [ -n "${E2E_KEEP:-}" ]; then say "E2E_KEEP set: lab files kept in $LAB"
    else rm -rf "$LAB"; fi
    LAB=
}

# ---------------------------------------------------------------- setup
lab_network() {
    local ns
    for ns in $ALL_NS; do
        ip netns add "$ns" || die "ip netns add $ns"
        CREATED_NS="$CREATED_NS $ns"
        ip -n "$ns" link set lo up
    done
    ip -n $NS_SRV link add br0 type bridge
    ip -n $NS_SRV link set br0 up
    ip -n $NS_SRV addr add $SRV4/24 dev br0
    ip -n $NS_SRV addr add $SRV6/64 dev br0 nodad
    for ns in $CLIENT_NS; do
        ip link add eth0 netns "$ns" type veth peer name "v-${ns#msiem-}" netns $NS_SRV || die "veth for $ns"
        ip -n $NS_SRV link set "v-${ns#msiem-}" master br0 up
        ip -n "$ns" link set eth0 up
    done
    ip -n $NS_ATK addr add $ATK4/24 dev eth0
    ip -n $NS_ATK2 addr add $ATK2_4/24 dev eth0
    ip -n $NS_ATK3 addr add $ATK3_4/24 dev eth0
    ip -n $NS_ATK6 addr add $ATK6/64 dev eth0 nodad
    ip -n $NS_TRUSTED addr add $TRUSTED4/24 dev eth0
    ip -n $NS_TRUSTED addr add $TRUSTED6/64 dev eth0 nodad
    # "connection refused" from the closed port 9 proves each path works
    reachable() { in_ns "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/9" 2>&1 | grep -q refused; }
    wait_for 10 reachable $NS_ATK $SRV4 && wait_for 5 reachable $NS_ATK2 $SRV4 \
        && wait_for 5 reachable $NS_ATK3 $SRV4 && wait_for 5 reachable $NS_ATK6 $SRV6 \
        && wait_for 5 reachable $NS_TRUSTED $SRV4 && wait_for 5 reachable $NS_TRUSTED $SRV6 \
        || die "no connectivity inside the lab"
}

lab_rsyslog() {
    local tmpl=RSYSLOG_TraditionalFileFormat
    [ "$LOG_FORMAT" = rfc3339 ] && tmpl=RSYSLOG_FileFormat
    mkdir -p "$LAB/rsyslog-spool"
    cat >"$LAB/rsyslog.conf" <<EOF
global(workDirectory="$LAB/rsyslog-spool" localHostname="bastion")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$LAB/run/log.sock" RateLimit.Interval="0")
auth,authpriv.*  action(type="omfile" file="$LAB/auth.log" template="$tmpl" fileCreateMode="0640")
EOF
    rsyslogd -N1 -f "$LAB/rsyslog.conf" >"$LAB/rsyslog.check" 2>&1 || { cat "$LAB/rsyslog.check"; die "rsyslog config"; }
    # inside the server namespace, so it has no network at all
    ip netns exec $NS_SRV rsyslogd -n -f "$LAB/rsyslog.conf" -i "$LAB/run/rsyslogd.pid" >"$LAB/rsyslogd.out" 2>&1 9>&- &
    RSYSLOG_PID=$!
    wait_for 10 test -S "$LAB/run/log.sock" || die "rsyslogd did not create $LAB/run/log.sock"
    chmod 666 "$LAB/run/log.sock"      # post-auth sshd children log as the user
}

lab_user() {
    with_lablog useradd -m -s /bin/sh -c "$LAB_USER_GECOS" "$LAB_USER" || die "useradd $LAB_USER"
    CREATED_USER=1
    echo "$LAB_USER:$LAB_PASS" | with_lablog chpasswd || die chpasswd
}

lab_sshd() {
    local t f="$LAB/sshd_config"
    mkdir -p "$LAB/hostkeys"
    for t in ed25519 ecdsa rsa; do ssh-keygen -q -t $t -N '' -C '' -f "$LAB/hostkeys/ssh_host_${t}_key"; done
    {
        echo "# lab sshd config - generated by tests/e2e/lab.sh"
        echo "Port 22"
        echo "ListenAddress 0.0.0.0"
        echo "ListenAddress ::"
        for t in ed25519 ecdsa rsa; do echo "HostKey $LAB/hostkeys/ssh_host_${t}_key"; done
        echo "PidFile $LAB/run/sshd.pid"
        echo "SyslogFacility AUTH"
        echo "LogLevel INFO"
        echo "PasswordAuthentication yes"
        echo "PubkeyAuthentication no"
        echo "KbdInteractiveAuthentication no"
        echo "UsePAM $USE_PAM"
        echo "PermitRootLogin no"
        echo "MaxAuthTries 3"
        echo "MaxStartups 50:30:100"
        echo "LoginGraceTime 30"
        echo "UseDNS no"
        echo "PrintMotd no"
        echo "PrintLastLog no"
    } >"$f"
    ip netns exec $NS_SRV bash "$HERE/labdev.sh" "$LAB" /usr/sbin/sshd -t -f "$f" || die "sshd config $f"
    ip netns exec $NS_SRV bash "$HERE/labdev.sh" "$LAB" /usr/sbin/sshd -D -f "$f" 2>>"$LAB/sshd.stderr" 9>&- &
    SSHD_PID=$!          # ip netns exec and labdev.sh both exec: this is sshd
    # (no probe connections: they would put attacker addresses into the log early)
    listening() { in_ns $NS_SRV ss -Hltn 'sport = :22' | grep -q "$1"; }
    wait_for 10 listening '0.0.0.0:22' && wait_for 5 listening '\[::\]:22' || die "sshd not listening on port 22"
    wait_for 10 grep -q 'Server listening on :: port 22' "$LAB/auth.log" || die "sshd does not log to $LAB/auth.log"
}

lab_setup() {
    LAB=$(mktemp -d /tmp/msiem-e2e.XXXXXX) || die mktemp
    chmod 755 "$LAB"
    mkdir -p "$LAB/run" "$LAB/run/varlog"
    chmod 755 "$LAB/run"
    lab_network
    lab_rsyslog
    lab_user
    lab_sshd
    say "lab up: $LAB (sshd pid $SSHD_PID, rsyslogd pid $RSYSLOG_PID, UsePAM $USE_PAM, $LOG_FORMAT log)"
}

# ---------------------------------------------------------------- clients
SSHO=(-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
      -o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=4
      -o IdentityAgent=none -o IdentitiesOnly=yes -o PubkeyAuthentication=no
      -o KbdInteractiveAuthentication=no -o PreferredAuthentications=password
      -o NumberOfPasswordPrompts=1)

# tcp_open NS ADDR: a TCP connect to ADDR:22 succeeds (within 4 s)
tcp_open() { in_ns "$1" timeout 4 bash -c "exec 3<>/dev/tcp/$2/22" 2>/dev/null; }
# tcp_dropped NS ADDR: the connect times out (a DROP rule), not refused
tcp_dropped() { in_ns "$1" timeout 4 bash -c "exec 3<>/dev/tcp/$2/22" 2>/dev/null; [ $? = 124 ]; }

# ssh_pw NS ADDR USER PASS [CMD]: one password attempt (one prompt), rc of sshpass/ssh:
# 0 logged in; 255 and "Permission denied" in $LAB/last-client.out: wrong password
ssh_pw() {
    local ns=$1 addr=$2 user=$3 pass=$4; shift 4
    local rc
    in_ns "$ns" timeout 20 sshpass -p "$pass" ssh "${SSHO[@]}" -l "$user" "$addr" "${@:-true}" \
        >"$LAB/last-client.out" 2>&1; rc=$?
    { echo "# $ns -> $user@$addr rc $rc"; cat "$LAB/last-client.out"; } >>"$LAB/clients.out"
    return $rc
}
# login_ok NS ADDR: the lab user logs in with the right password and runs a command
login_ok() { ssh_pw "$1" "$2" "$LAB_USER" "$LAB_PASS" "echo e2e-login-ok"; }

# fail_logins NS ADDR N [USER...]: N single-attempt connections with a wrong
# password, cycling through USERs (default: the lab user). Prints a summary;
# fails when sshd rejected none of them (all timed out or ssh errors).
fail_logins() {
    local ns=$1 addr=$2 n=$3; shift 3
    local users=("$@"); [ ${#users[@]} -gt 0 ] || users=("$LAB_USER")
    local i rejected=0 other=0
    for ((i = 0; i < n; i++)); do
        # run.sh may define should_stop (e.g. "the sender is blocked now")
        if [ $i -gt 0 ] && declare -F should_stop >/dev/null && should_stop; then
            info "$ns: stopped after $i connections (should_stop)"; n=$i; break
        fi
        ssh_pw "$ns" "$addr" "${users[i % ${#users[@]}]}" "wrong-$i-$RANDOM"
        if grep -q 'Permission denied' "$LAB/last-client.out"; then rejected=$((rejected + 1)); else other=$((other + 1)); fi
    done
    info "$ns -> $addr: $n wrong-password connections ($rejected rejected by sshd, $other other: timeout/ssh error)"
    [ $rejected -gt 0 ]
}

# auth_log_has FIXED-STRING: the lab's auth.log has a line containing it
auth_log_has() { grep -qF -- "$1" "$LAB/auth.log"; }
