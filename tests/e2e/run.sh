#!/bin/bash
# run.sh - end-to-end proof of mini-siem against a real OpenSSH sshd.
#
# Usage (as root, Debian/Ubuntu):
#   tests/e2e/run.sh [BUILD_DIR]      full test; BUILD_DIR defaults to `swift build --show-bin-path`
#   tests/e2e/run.sh --lab-only       only the lab (sshd, rsyslog, attacks, probes), no daemon
#   tests/e2e/run.sh --clean-stale    remove namespaces/user/dirs left by a killed run of this test
# Environment: E2E_USEPAM=yes|no (sshd UsePAM, default yes), E2E_LOGFORMAT=traditional|rfc3339,
#   E2E_KEEP=1 (keep $LAB for inspection).
#
# The lab (lab.sh): sshd in netns msiem-srv, attackers in msiem-atk (198.51.100.66),
# msiem-atk2 (.77), msiem-atk3 (.88), msiem-atk6 (2001:db8:51::66), and msiem-trusted
# (198.51.100.10, 2001:db8:51::10, whitelisted). The real `mini-siem run` and the real
# plugins run inside msiem-srv, so the ipset sets and iptables rules they create live
# only there. Everything is removed on exit, also on failure.
#
# Each step prints `== STEP n: ...` then `ok` or `FAIL: reasons`. Exit 0 when all pass.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
. "$HERE/lab.sh"

MODE=full BUILD_DIR=
for a in "$@"; do
    case $a in
        --lab-only) MODE=lab ;;
        --clean-stale) MODE=clean ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        -*) die "unknown option $a" ;;
        *) BUILD_DIR=$a ;;
    esac
done

[ "$(id -u)" = 0 ] || die "run as root (namespaces, sshd, ipset)"
# One run at a time on a machine (scripts/test.sh may start one while you do):
# the lab's names are fixed. Wait for another run to finish, then go on.
LOCK=/run/lock/msiem-e2e.lock; [ -d /run/lock ] || LOCK=/tmp/msiem-e2e-lock
exec 9>"$LOCK"
if ! flock -n 9; then
    [ $MODE = clean ] && die "another run of this test is active (lock $LOCK): not cleaning"
    say "another run of this test holds $LOCK: waiting (up to 15 min)"
    flock -w 900 9 || die "lock $LOCK still held after 15 min"
fi
if [ $MODE = clean ]; then lab_clean_stale; exit 0; fi

# ---------------------------------------------------------------- step bookkeeping
STEP_N= STEP_ERRS=() PASSED=() FAILED=()
step() { STEP_N=$1; shift; STEP_ERRS=(); echo; echo "== STEP $STEP_N: $*"; }
err()  { STEP_ERRS+=("$*"); info "! $*"; }
end_step() {
    if [ ${#STEP_ERRS[@]} = 0 ]; then echo "ok"; PASSED+=("$STEP_N")
    else
        local IFS=';'; echo "FAIL: ${STEP_ERRS[*]}"; FAILED+=("$STEP_N")
        show_daemon_tail
    fi
}

# ---------------------------------------------------------------- the daemon
DAEMON_PID= DAEMON_BIN= CFG= CFG_SHORT=
SET4=mini_siem_v4 SET6=mini_siem_v6

show_daemon_tail() {
    [ -n "$LAB" ] || return 0
    if [ -s "$LAB/daemon.stderr" ]; then
        echo "   --- daemon stderr (last 25 lines) ---"; tail -n 25 "$LAB/daemon.stderr" | sed 's/^/   | /'
    elif [ -s "$LAB/logs/siem.log" ]; then
        echo "   --- $LAB/logs/siem.log (last 25 lines) ---"; tail -n 25 "$LAB/logs/siem.log" | sed 's/^/   | /'
    fi
    if [ -s "$LAB/logs/security.log" ]; then
        echo "   --- $LAB/logs/security.log (last 8 lines) ---"; tail -n 8 "$LAB/logs/security.log" | sed 's/^/   | /'
    fi
    if [ -s "$LAB/cli.stderr" ]; then
        echo "   --- CLI stderr (last 5 lines) ---"; tail -n 5 "$LAB/cli.stderr" | sed 's/^/   | /'
    fi
}

# find_build: BUILD_DIR holds the binary and both plugins (before the lab is built)
find_build() {
    if [ -z "$BUILD_DIR" ]; then
        BUILD_DIR=$(cd "$REPO" && swift build --show-bin-path 2>/dev/null) || die "swift build --show-bin-path failed; pass the build dir"
    fi
    have_build() { local f; for f in mini-siem libssh_source.so libipset_blocker.so; do [ -f "$BUILD_DIR/$f" ] || return 1; done; }
    have_build && return 0
    say "waiting up to 60 s for mini-siem, libssh_source.so, libipset_blocker.so in $BUILD_DIR (a build running?)"
    wait_for 60 have_build || die "$BUILD_DIR lacks mini-siem, libssh_source.so or libipset_blocker.so (run: swift build)"
}

daemon_prepare() {
    find_build
    # copies: a rebuild in the checkout must not swap the binary under a running test
    install -d -o root -g root -m 0755 "$LAB/bin" "$LAB/plugins" "$LAB/logs"
    install -o root -g root -m 0755 "$BUILD_DIR/mini-siem" "$LAB/bin/mini-siem"
    install -o root -g root -m 0644 "$BUILD_DIR/libssh_source.so" "$BUILD_DIR/libipset_blocker.so" "$LAB/plugins/"
    DAEMON_BIN=$LAB/bin/mini-siem
    CFG=$LAB/config.yaml CFG_SHORT=$LAB/config-short.yaml
    write_config 600 >"$CFG"
    write_config 5 >"$CFG_SHORT"
    info "binary $BUILD_DIR/mini-siem, config $CFG"
}

write_config() {  # block_seconds
    cat <<EOF
failures_threshold: 5
window_seconds: 180
block_seconds: $1
auth_logs: [ $LAB/auth.log ]
whitelist:      # block style: libyaml refuses a plain ::1/128 inside [ ]
  - 127.0.0.1/32
  - ::1/128
  - $TRUSTED4/32
  - $TRUSTED6/128
database: $LAB/mini_siem.db
log_dir: $LAB/logs
control_socket: $LAB/control.sock
plugin_dir: $LAB/plugins
plugins:
  ssh_source: { mode: files }
  ipset_blocker: { set_v4: $SET4, set_v6: $SET6 }
EOF
}

# siem ARGS...: the CLI, inside the server namespace, bounded
siem() { in_ns $NS_SRV timeout 20 "$DAEMON_BIN" "$@"; }

daemon_start() {  # config
    echo "=== daemon start $(date -u +%FT%TZ) --config $1" >>"$LAB/daemon.stderr"
    ip netns exec $NS_SRV "$DAEMON_BIN" run --config "$1" --plugin-dir "$LAB/plugins" \
        >>"$LAB/daemon.stdout" 2>>"$LAB/daemon.stderr" 9>&- &
    DAEMON_PID=$!
    alive_and_listening() { kill -0 "$DAEMON_PID" 2>/dev/null && test -S "$LAB/control.sock"; }
    if ! wait_for 30 alive_and_listening; then
        if kill -0 "$DAEMON_PID" 2>/dev/null; then
            info "! daemon (pid $DAEMON_PID) running but no control socket $LAB/control.sock after 30 s"
        else
            wait "$DAEMON_PID"; info "! daemon exited with status $? at start"; DAEMON_PID=
        fi
        show_daemon_tail
        return 1
    fi
    wait_for 10 in_ns $NS_SRV ipset list -n $SET4 || info "(no ipset set $SET4 yet, 10 s after start)"
    sleep 1   # let the source open the log and seek to its end before we attack
    info "daemon pid $DAEMON_PID ready (control socket up)"
}

daemon_stop() {
    [ -n "$DAEMON_PID" ] || return 0
    local rc=0
    stop_pid "$DAEMON_PID" mini-siem || rc=1
    echo "=== daemon stopped $(date -u +%FT%TZ)" >>"$LAB/daemon.stderr"
    DAEMON_PID=
    [ -e "$LAB/control.sock" ] && info "(control socket left behind after stop)"
    return $rc
}

daemon_alive() { [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; }

in_set()  { in_ns $NS_SRV ipset test "$1" "$2" >/dev/null 2>&1; }   # set addr
set_for() { case $1 in *:*) echo $SET6 ;; *) echo $SET4 ;; esac; }
is_blocked_fw() { in_set "$(set_for "$1")" "$1"; }

# blocked_json_has ADDR: `mini-siem blocked --json` lists ADDR (rc 2 if the CLI fails)
blocked_json_has() {
    local out
    out=$(siem blocked --config "$CFG" --json 2>>"$LAB/cli.stderr") || return 2
    printf '%s' "$out" | python3 -c '
import json, sys
want = sys.argv[1]
rows = json.load(sys.stdin)
sys.exit(0 if any(isinstance(r, dict) and r.get("address") == want for r in rows) else 1)' "$1"
}
blocked_json_lacks() { blocked_json_has "$1"; [ $? = 1 ]; }

# events_for ADDR: how many of the last 500 events have address == ADDR
events_for() {
    siem events --config "$CFG" --json --limit 500 2>>"$LAB/cli.stderr" | python3 -c '
import json, sys
want = sys.argv[1]
try: rows = json.load(sys.stdin)
except Exception: print(-1); sys.exit(0)
print(sum(1 for r in rows if isinstance(r, dict) and want in (r.get("address"), r.get("ip"))))' "$1"
}
events_at_least() { local n; n=$(events_for "$1"); [ "${n:--1}" -ge "$2" ]; }

# action_seen ACTION ADDR: `mini-siem actions --json` has that action for ADDR (the audit trail)
action_seen() {
    siem actions --config "$CFG" --json --limit 500 2>>"$LAB/cli.stderr" | python3 -c '
import json, sys
act, addr = sys.argv[1], sys.argv[2]
try: rows = json.load(sys.stdin)
except Exception: sys.exit(2)
hits = [r for r in rows if isinstance(r, dict) and r.get("action") == act and r.get("address") == addr]
if hits: print("origin=%s" % hits[0].get("origin"))
sys.exit(0 if hits else 1)' "$1" "$2"
}
audit_has() {  # ACTION ADDR: bounded wait, then an info line or an error
    if wait_for 15 action_seen "$1" "$2"; then info "audit trail: $1 $2 ($(action_seen "$1" "$2"))"
    else err "no '$1' action for $2 in 'mini-siem actions --json' after 15 s"; fi
}

# attack_until_blocked NS SRVADDR SELF USER...: wrong passwords from NS until SELF
# is in the ipset set: 6 attempts, then up to 2 more rounds of 3; bounded waits.
attack_until_blocked() {
    local ns=$1 srv=$2 self=$3; shift 3
    local round n=6
    STOP_ADDR=$self
    for round in 1 2 3; do
        fail_logins "$ns" "$srv" $n "$@"
        if wait_for 20 is_blocked_fw "$self"; then
            info "$self is in $(set_for "$self") (round $round)"; STOP_ADDR=; return 0
        fi
        daemon_alive || { err "the daemon is not running (died? see its stderr below)"; return 1; }
        n=3
    done
    STOP_ADDR=
    return 1
}
# fail_logins (lab.sh) asks this between attempts: stop once STOP_ADDR is blocked
STOP_ADDR= STOP_FILE=
should_stop() {
    { [ -n "$STOP_ADDR" ] && is_blocked_fw "$STOP_ADDR"; } || { [ -n "$STOP_FILE" ] && [ -e "$STOP_FILE" ]; }
}

first_input_rule_is_ours() {  # iptables|ip6tables
    local first
    first=$(in_ns $NS_SRV "$1" -S INPUT | grep -m1 '^-A INPUT')
    info "$1 first INPUT rule: ${first:-<none>}"
    case $first in *mini-siem*DROP*|*DROP*mini-siem*) return 0 ;; esac
    return 1
}

# ---------------------------------------------------------------- the steps
step1() {
    step 1 "atk $ATK4 fails passwords past the threshold and gets blocked; trusted $TRUSTED4 is not"
    # below the threshold first: one guess is 2-3 weighted lines, not 5
    fail_logins $NS_ATK $SRV4 1 || err "atk's first wrong password did not reach sshd"
    if wait_for 20 events_at_least $ATK4 2; then
        is_blocked_fw $ATK4 && err "$ATK4 blocked after a single wrong password ($(events_for $ATK4) events)" \
            || info "after 1 wrong password ($(events_for $ATK4) events) $ATK4 is not blocked yet"
    else
        err "the daemon recorded no events for $ATK4 within 20 s (events --json: $(events_for $ATK4))"
    fi
    if attack_until_blocked $NS_ATK $SRV4 $ATK4; then
        tcp_dropped $NS_ATK $SRV4 && info "atk's TCP connect to $SRV4:22 times out" \
            || err "$ATK4 is in $SET4 but its TCP connect to port 22 is not dropped"
        first_input_rule_is_ours iptables || err "no mini-siem DROP rule at the top of INPUT in $NS_SRV"
        audit_has block $ATK4
    else
        err "$ATK4 not in $SET4 after 12 wrong passwords and 60 s (ipset test in $NS_SRV)"
    fi
    auth_log_has "Failed password for $LAB_USER from $ATK4 port" || err "auth.log has no 'Failed password ... from $ATK4'"
    fail_logins $NS_TRUSTED $SRV4 7
    wait_for 20 events_at_least $TRUSTED4 7 \
        && info "the daemon recorded trusted's failures: $(events_for $TRUSTED4) events" \
        || { info "(events for $TRUSTED4: $(events_for $TRUSTED4); waited 20 s)"; }
    is_blocked_fw $TRUSTED4 && err "whitelisted $TRUSTED4 is in $SET4"
    if login_ok $NS_TRUSTED $SRV4; then info "trusted logged in with the right password"
    else err "trusted could not log in after its failures (sshpass rc $?)"; fi
    end_step
}

step2() {
    step 2 "mini-siem blocked lists $ATK4 and not $TRUSTED4"
    local out
    out=$(siem blocked --config "$CFG" 2>&1); info "rc $? 'mini-siem blocked':"; printf '%s\n' "$out" | head -n 10 | sed 's/^/   | /'
    printf '%s\n' "$out" | grep -qF "$ATK4" || err "plain 'blocked' output does not mention $ATK4"
    blocked_json_has $ATK4; case $? in 0) ;; 1) err "'blocked --json' lacks $ATK4" ;; *) err "'blocked --json' failed or is not JSON" ;; esac
    blocked_json_lacks $TRUSTED4 || err "'blocked --json' lists $TRUSTED4 (or failed)"
    end_step
}

step3() {
    step 3 "log injection: usernames naming $TRUSTED4 and $NAMED4 get the sender $ATK2_4 blocked, never the named addresses"
    local u1="x from $TRUSTED4 port 22 ssh2" u2="x from $NAMED4 port 22 ssh2" u3="admin from $NAMED4 port 22"
    # the .99 names first: atk2 is blocked after ~2 connections, and a parser that
    # fell for them would then already have 5 weighted lines against .99
    attack_until_blocked $NS_ATK2 $SRV4 $ATK2_4 "$u2" "$u3" "$u1" \
        || err "the sender $ATK2_4 was not blocked"
    auth_log_has "Failed password for invalid user $u2 from $ATK2_4 port" \
        || err "auth.log lacks the injection line (lab problem)"
    sleep 2   # anything wrongly decided from the same lines would be applied by now
    is_blocked_fw $NAMED4 && err "$NAMED4 (named in a username) is in $SET4"
    is_blocked_fw $TRUSTED4 && err "$TRUSTED4 (named in a username) is in $SET4"
    blocked_json_lacks $NAMED4 || err "'blocked --json' lists $NAMED4 (or failed)"
    local n; n=$(events_for $NAMED4)
    [ "$n" = 0 ] || err "events --json has $n events with address $NAMED4 (-1: CLI failed)"
    info "events for $ATK2_4: $(events_for $ATK2_4), for $NAMED4: $n"
    end_step
}

step4() {
    step 4 "mini-siem unblock $ATK4 restores atk's access"
    local out
    out=$(siem unblock $ATK4 --config "$CFG" 2>&1); local rc=$?
    info "rc $rc 'mini-siem unblock $ATK4': $(printf '%s' "$out" | head -n 3 | tr '\n' ' ')"
    [ $rc = 0 ] || err "unblock exited $rc"
    wait_for 10 bash -c "! ip netns exec $NS_SRV ipset test $SET4 $ATK4" || err "$ATK4 still in $SET4 10 s after unblock"
    wait_for 10 tcp_open $NS_ATK $SRV4 || err "atk's TCP connect still fails after unblock"
    if login_ok $NS_ATK $SRV4; then info "atk logged in with the right password"
    else err "atk cannot log in after unblock (sshpass rc $?)"; fi
    blocked_json_lacks $ATK4 || err "'blocked --json' still lists $ATK4 (or failed)"
    audit_has unblock $ATK4
    end_step
}

step5() {
    step 5 "expiry: restart with block_seconds 5; atk3 $ATK3_4 gets blocked, then access returns by itself"
    daemon_stop || err "daemon needed SIGKILL to stop"
    daemon_start "$CFG_SHORT" || { err "daemon did not start with $CFG_SHORT"; end_step; return; }
    # the ban lasts 5 s: watch the set in the background so a short ban is not missed
    ( end=$((SECONDS + 90)); while [ $SECONDS -lt $end ]; do
          ip netns exec $NS_SRV ipset test $SET4 $ATK3_4 >/dev/null 2>&1 && { date +%s >"$LAB/atk3.seen"; exit 0; }
          sleep 0.1; done ) &
    local watcher=$!; EXTRA_PIDS="$EXTRA_PIDS $watcher"
    local i
    for i in 1 2 3; do
        STOP_FILE=$LAB/atk3.seen fail_logins $NS_ATK3 $SRV4 $([ $i = 1 ] && echo 6 || echo 3)
        wait_for 20 test -e "$LAB/atk3.seen" && break
    done
    if [ -e "$LAB/atk3.seen" ]; then
        local t0; t0=$(cat "$LAB/atk3.seen")
        info "$ATK3_4 seen in $SET4"
        wait_for 60 bash -c "! ip netns exec $NS_SRV ipset test $SET4 $ATK3_4" \
            || err "$ATK3_4 still in $SET4 60 s after the 5 s ban began"
        wait_for 30 tcp_open $NS_ATK3 $SRV4 || err "atk3's TCP connect still fails"
        info "access back after ~$(( $(date +%s) - t0 )) s"
        login_ok $NS_ATK3 $SRV4 && info "atk3 logged in with the right password" || err "atk3 cannot log in after expiry"
        wait_for 30 blocked_json_lacks $ATK3_4 || err "'blocked --json' still lists $ATK3_4 30 s after expiry"
        audit_has expire $ATK3_4
    else
        err "$ATK3_4 never appeared in $SET4"
    fi
    kill $watcher 2>/dev/null; wait $watcher 2>/dev/null
    end_step
}

step6() {
    step 6 "ipset flush by hand, restart: the daemon puts the still-active ban of $ATK2_4 back"
    if ! is_blocked_fw $ATK2_4; then
        info "($ATK2_4 not banned (step 3 failed?): banning it now)"
        attack_until_blocked $NS_ATK2 $SRV4 $ATK2_4 || { err "could not get $ATK2_4 banned"; end_step; return; }
    fi
    in_ns $NS_SRV ipset flush $SET4 || err "ipset flush $SET4 failed"
    is_blocked_fw $ATK2_4 && err "$ATK2_4 still in $SET4 after flush"
    wait_for 5 tcp_open $NS_ATK2 $SRV4 && info "after the flush atk2 reaches port 22 again"
    daemon_stop || err "daemon needed SIGKILL to stop"
    daemon_start "$CFG" || { err "daemon did not restart"; end_step; return; }
    if wait_for 20 is_blocked_fw $ATK2_4; then info "$ATK2_4 is back in $SET4"
    else err "$ATK2_4 not back in $SET4 20 s after restart (reconcile)"; fi
    tcp_dropped $NS_ATK2 $SRV4 || err "atk2's TCP connect is not dropped after restart"
    blocked_json_has $ATK2_4 || err "'blocked --json' does not list $ATK2_4 after restart"
    is_blocked_fw $ATK4 && err "the unblocked $ATK4 came back into $SET4"
    is_blocked_fw $ATK3_4 && err "the expired $ATK3_4 came back into $SET4"
    end_step
}

step7() {
    step 7 "IPv6: atk6 $ATK6 fails past the threshold and is blocked via ip6tables"
    if attack_until_blocked $NS_ATK6 $SRV6 $ATK6; then
        tcp_dropped $NS_ATK6 $SRV6 && info "atk6's TCP connect to [$SRV6]:22 times out" \
            || err "$ATK6 is in $SET6 but its TCP connect is not dropped"
        first_input_rule_is_ours ip6tables || err "no mini-siem DROP rule at the top of ip6tables INPUT"
        blocked_json_has $ATK6 || err "'blocked --json' does not list $ATK6"
    else
        err "$ATK6 not in $SET6 after 12 wrong passwords"
    fi
    auth_log_has "Failed password for $LAB_USER from $ATK6 port" || err "auth.log has no IPv6 failure line"
    login_ok $NS_TRUSTED $SRV6 && info "trusted still logs in over IPv6" || err "trusted cannot log in over IPv6"
    end_step
}

# ---------------------------------------------------------------- lab self-test (no daemon)
lab_selftest() {
    step L1 "lab: wrong passwords from atk reach sshd and the log"
    fail_logins $NS_ATK $SRV4 6 || err "no attempt was rejected by sshd"
    wait_for 5 auth_log_has "Failed password for $LAB_USER from $ATK4 port" || err "no 'Failed password ... from $ATK4' in auth.log"
    end_step

    step L2 "lab: trusted fails, then logs in (v4 and v6)"
    fail_logins $NS_TRUSTED $SRV4 2
    login_ok $NS_TRUSTED $SRV4 || err "v4 login failed"
    login_ok $NS_TRUSTED $SRV6 || err "v6 login failed"
    grep -q e2e-login-ok "$LAB/clients.out" || err "the login command produced no output"
    wait_for 5 auth_log_has "Accepted password for $LAB_USER from $TRUSTED4 port" || err "no 'Accepted password' from $TRUSTED4"
    wait_for 5 auth_log_has "Accepted password for $LAB_USER from $TRUSTED6 port" || err "no 'Accepted password' from $TRUSTED6"
    end_step

    step L3 "lab: injection usernames from atk2 appear verbatim in the log"
    fail_logins $NS_ATK2 $SRV4 2 "x from $TRUSTED4 port 22 ssh2" "x from $NAMED4 port 22 ssh2"
    wait_for 5 auth_log_has "Failed password for invalid user x from $NAMED4 port 22 ssh2 from $ATK2_4 port" \
        || err "injection line missing"
    auth_log_has "Invalid user x from $TRUSTED4 port 22 ssh2 from $ATK2_4 port" || err "'Invalid user' injection line missing"
    end_step

    step L4 "lab: IPv6 failures from atk6, atk3 reaches sshd"
    fail_logins $NS_ATK6 $SRV6 2 || err "no v6 attempt rejected"
    fail_logins $NS_ATK3 $SRV4 1 || err "atk3 not rejected"
    wait_for 5 auth_log_has "Failed password for $LAB_USER from $ATK6 port" || err "no v6 failure line"
    end_step

    step L5 "lab: a hand-made ipset+iptables block in $NS_SRV drops atk (what the probes see)"
    in_ns $NS_SRV ipset create e2e_probe4 hash:ip timeout 0 && in_ns $NS_SRV ipset create e2e_probe6 hash:ip family inet6 timeout 0 \
      && in_ns $NS_SRV iptables -I INPUT -m set --match-set e2e_probe4 src -m comment --comment mini-siem -j DROP \
      && in_ns $NS_SRV ip6tables -I INPUT -m set --match-set e2e_probe6 src -m comment --comment mini-siem -j DROP \
      || err "could not build the probe firewall"
    in_ns $NS_SRV ipset add e2e_probe4 $ATK4 timeout 15; in_ns $NS_SRV ipset add e2e_probe6 $ATK6
    first_input_rule_is_ours iptables || err "first_input_rule_is_ours iptables"
    tcp_dropped $NS_ATK $SRV4 || err "tcp_dropped atk"
    tcp_dropped $NS_ATK6 $SRV6 || err "tcp_dropped atk6"
    tcp_open $NS_TRUSTED $SRV4 || err "trusted blocked"
    login_ok $NS_TRUSTED $SRV4 || err "trusted login"
    wait_for 20 bash -c "! ip netns exec $NS_SRV ipset test e2e_probe4 $ATK4" || err "ipset timeout did not expire"
    tcp_open $NS_ATK $SRV4 || err "atk not back after the timeout"
    in_ns $NS_SRV ipset del e2e_probe6 $ATK6; tcp_open $NS_ATK6 $SRV6 || err "atk6 not back"
    in_ns $NS_SRV iptables -D INPUT -m set --match-set e2e_probe4 src -m comment --comment mini-siem -j DROP
    in_ns $NS_SRV ip6tables -D INPUT -m set --match-set e2e_probe6 src -m comment --comment mini-siem -j DROP
    in_ns $NS_SRV ipset destroy e2e_probe4; in_ns $NS_SRV ipset destroy e2e_probe6
    end_step
}

# ---------------------------------------------------------------- main
on_exit() {
    local rc=$?
    set +e
    trap '' PIPE INT TERM HUP     # nothing may interrupt the cleanup
    [ -n "$DAEMON_PID" ] && daemon_stop >/dev/null
    lab_cleanup
    exit $rc
}
lab_preflight
[ $MODE = full ] && find_build
trap on_exit EXIT
trap 'exit 130' INT TERM HUP
trap 'exit 141' PIPE             # stdout closed (| head): still clean up
lab_setup

if [ $MODE = lab ]; then
    lab_selftest
else
    daemon_prepare
    if daemon_start "$CFG"; then
        step1; step2; step3; step4; step5; step6; step7
    else
        echo "FAIL: the daemon did not start; no daemon step can run"
        FAILED+=(start)
    fi
    if [ -n "$DAEMON_PID" ]; then
        echo
        echo "== daemon shutdown (SIGTERM)"
        if ! daemon_alive; then
            wait "$DAEMON_PID" 2>/dev/null; echo "FAIL: the daemon died during the run (status $?)"; FAILED+=(alive); DAEMON_PID=
            show_daemon_tail
        elif daemon_stop; then echo "ok"
        else echo "FAIL: the daemon ignored SIGTERM for 10 s"; FAILED+=(shutdown); show_daemon_tail; fi
    fi
fi

echo
echo "--- auth.log: $(wc -l <"$LAB/auth.log") lines; sshd lines by kind:"
grep -oE 'sshd\[[0-9]+\]: (Failed password|Accepted password|Invalid user|Connection closed|pam_unix\(sshd:auth\): authentication failure|Disconnected|Received disconnect|error: maximum)' "$LAB/auth.log" \
    | sed 's/sshd\[[0-9]*\]: //' | sort | uniq -c | sed 's/^/   /'
echo "passed: ${PASSED[*]:-none}"
echo "failed: ${FAILED[*]:-none}"
[ ${#FAILED[@]} = 0 ]
