#!/usr/bin/env bash
# The ipset_blocker plugin against the real kernel, inside a network namespace
# of its own (the machine's firewall is never touched): the built .so is
# loaded through the C ABI by tests/fixtures/plugin_driver.c, a stand-in host.
#   sudo tests/ipset_blocker_test.sh [BIN_DIR]    (default: swift build --show-bin-path)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/lib/testlib.sh"
require_root

bin=${1:-$(cd "$root" && swift build --show-bin-path)}
so=$bin/libipset_blocker.so
[ -f "$so" ] || fail "$so not found: build first (swift build --product ipset_blocker)"

NS=msiem-ipset-$$
tmp=$(mktemp -d)
cleanup() {
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

ns() { ip netns exec "$NS" "$@"; }
out=$tmp/stdout   # the driver's report: loaded/started/decision .../stopped
logs=$tmp/logs    # the plugin's log lines
rule_v4="-A INPUT -m set --match-set mini_siem_v4 src -m comment --comment mini-siem -j DROP"
rule_v6="-A INPUT -m set --match-set mini_siem_v6 src -m comment --comment mini-siem -j DROP"

# drive CONFIG [COMMANDS] [ENV=VALUE...]: runs the plugin once (create, start,
# the decisions in COMMANDS, stop) in the namespace; exit status in $rc.
drive() {
  local config=$1 commands=${2:-}
  shift 2 || shift $#
  rc=0
  printf '%s' "$commands" | ns env "$@" "$driver" "$so" "$config" >"$out" 2>"$logs" || rc=$?
}
# members SET: its addresses, sorted. timeout_of SET ADDRESS: the entry's timeout.
members() { ns ipset save "$1" | awk '$1 == "add" { print $3 }' | sort; }
timeout_of() {
  ns ipset save "$1" | awk -v a="$2" '$1 == "add" && $3 == a { for (i = 4; i < NF; i++) if ($i == "timeout") print $(i + 1) }'
}
# rules TOOL CHAIN: how many mini-siem rules the chain has.
rules() { ns "$1" -S "$2" | grep -c -- "--comment mini-siem" || true; }
in_set() { ns ipset test "$1" "$2" >/dev/null 2>&1; }
show() { printf '      | %s\n' "--- driver" >&2; sed 's/^/      | /' "$out" "$logs" >&2; }

step "build the stand-in host (tests/fixtures/plugin_driver.c)"
driver=$tmp/plugin_driver
${CC:-cc} -std=c11 -Wall -Wextra -Werror -I "$root/Sources/PluginABI/include" \
  "$root/tests/fixtures/plugin_driver.c" -o "$driver" -ldl
ok "compiled $driver"

step "create network namespace $NS (all firewall changes stay in it)"
ip netns add "$NS"
ns iptables -A INPUT -s 192.0.2.1 -j ACCEPT   # a rule that was there first
ok "namespace ready"

step "first start creates both sets and a DROP rule at the top of INPUT"
drive '{}'
[ "$rc" = 0 ] || { show; fail "driver exited $rc"; }
assert_contains "plugin loaded through the ABI" "loaded ipset_blocker" "$out"
for fam in v4:inet v6:inet6; do
  set=mini_siem_${fam%%:*}
  ns ipset list -t "$set" >"$tmp/header"
  assert_contains "$set is hash:ip" "Type: hash:ip" "$tmp/header"
  assert_contains "$set options" "Header: family ${fam#*:} hashsize 65536 maxelem 1048576 timeout 0" "$tmp/header"
done
assert_eq "iptables INPUT rule 1" "$rule_v4" "$(ns iptables -S INPUT | sed -n 2p)"
assert_eq "ip6tables INPUT rule 1" "$rule_v6" "$(ns ip6tables -S INPUT | sed -n 2p)"

step "ensure is idempotent: a second start leaves exactly one rule per family"
drive '{}'
[ "$rc" = 0 ] || { show; fail "driver exited $rc"; }
assert_eq "iptables mini-siem rules" 1 "$(rules iptables INPUT)"
assert_eq "ip6tables mini-siem rules" 1 "$(rules ip6tables INPUT)"
assert_eq "sets" "mini_siem_v4 mini_siem_v6" "$(ns ipset list -n | sort | xargs)"

step "block adds the address with a kernel timeout no longer than the ban"
drive '{}' $'block 198.51.100.7 300\nblock 2001:db8::7 120\nblock ::ffff:198.51.100.9 60\n'
assert_contains "block accepted" "decision block 198.51.100.7 rc=0" "$out"
assert_contains "logged with the address" "blocked 198.51.100.7 in mini_siem_v4 for 300 s" "$logs"
in_set mini_siem_v4 198.51.100.7 || fail "198.51.100.7 not in mini_siem_v4"
t=$(timeout_of mini_siem_v4 198.51.100.7)
[ "$t" -le 300 ] && [ "$t" -ge 290 ] || fail "timeout $t not in 290..300"
ok "198.51.100.7 in mini_siem_v4, timeout $t"
in_set mini_siem_v6 2001:db8::7 || fail "2001:db8::7 not in mini_siem_v6"
t=$(timeout_of mini_siem_v6 2001:db8::7)
[ "$t" -le 120 ] && [ "$t" -ge 110 ] || fail "IPv6 timeout $t not in 110..120"
ok "IPv6: 2001:db8::7 in mini_siem_v6 (ip6tables rule), timeout $t"
in_set mini_siem_v4 198.51.100.9 || fail "::ffff:198.51.100.9 did not go to the IPv4 set"
ok "IPv4-mapped ::ffff:198.51.100.9 went to mini_siem_v4"

step "no end (duration 0, until 0) and bans beyond the kernel's 24.8-day limit get no kernel timeout"
drive '{}' $'block 198.51.100.8 0\nblock 198.51.100.10 3000000\n'
assert_contains "permanent ban logged" "[debug] blocked 198.51.100.8 in mini_siem_v4 with no kernel timeout (until unblock, expiry or reconcile) (reason: plugin_driver, origin: test, action id 1)" "$logs"
assert_eq "permanent entry timeout" 0 "$(timeout_of mini_siem_v4 198.51.100.8)"
assert_eq "long ban not clamped to 24.8 days" 0 "$(timeout_of mini_siem_v4 198.51.100.10)"

step "unblock and expire remove entries; removing an absent one is fine"
drive '{}' $'unblock 198.51.100.7\nexpire 198.51.100.8\nunblock 2001:db8::7\nunblock 203.0.113.200\n'
! in_set mini_siem_v4 198.51.100.7 || fail "198.51.100.7 still blocked after unblock"
! in_set mini_siem_v4 198.51.100.8 || fail "198.51.100.8 still blocked after expire"
! in_set mini_siem_v6 2001:db8::7 || fail "2001:db8::7 still blocked after unblock"
assert_contains "absent address: no error" "decision unblock 203.0.113.200 rc=0" "$out"
assert_contains "removal logged" "[debug] removed 198.51.100.7 from mini_siem_v4 (unblock) (reason: plugin_driver, origin: test, action id 1)" "$logs"
assert_contains "expiry logged" "[debug] removed 198.51.100.8 from mini_siem_v4 (expire) (reason: plugin_driver, origin: test, action id 1)" "$logs"

step "report lines: the decision's reason made safe for the log; nothing built below the host's log_level"
long=$(printf 'x%.0s' {1..70})
drive '{}' $'block 198.51.100.12 300\nunblock 198.51.100.12\n' SIEM_TEST_REASON=$'tab\there\\ caf\xc3\xa9 '"$long"
assert_contains "escaped, cut at 80 bytes" "[debug] blocked 198.51.100.12 in mini_siem_v4 for 300 s (reason: tab\x09here\x5c caf\xc3\xa9 ${long:0:64}..., origin: test, action id 1)" "$logs"
drive '{}' $'block 198.51.100.13 300\nunblock 198.51.100.13\n' SIEM_TEST_LOG_LEVEL='"info"'
assert_contains "block done" "decision block 198.51.100.13 rc=0" "$out"
assert_contains "unblock done" "decision unblock 198.51.100.13 rc=0" "$out"
assert_not_contains "no debug line sent to a host at info" "[debug]" "$logs"
drive '{"dry_run": true}' $'block 198.51.100.14 300\n' SIEM_TEST_LOG_LEVEL='"info"'
assert_contains "info lines still sent" "[info] dry-run: would have blocked 198.51.100.14 in mini_siem_v4 for 300 s (reason: plugin_driver, origin: test, action id 1)" "$logs"
drive '{"dry_run": true}' $'block 198.51.100.14 300\n' SIEM_TEST_LOG_LEVEL='"warning"'
assert_contains "warning still sent" "[warning] DRY RUN (dry_run: true in the config)" "$logs"
assert_not_contains "no info line sent to a host at warning" "[info]" "$logs"

step "invalid addresses and unknown actions are refused and change nothing"
members mini_siem_v4 >"$tmp/before"; members mini_siem_v6 >>"$tmp/before"
junk=("198.51.100.300" "198.51.100.7 -j ACCEPT" "not-an-ip" "198.51.100.0/24" "0198.51.100.7" "2001:db8::1%eth0" "198.51.100.7;reboot")
commands=""
for j in "${junk[@]}"; do commands+="block $j 60"$'\n'; done
drive '{}' "$commands"$'action 9 198.51.100.11\n'
for j in "${junk[@]}"; do
  assert_contains "refused [$j]" "decision block $j rc=2" "$out"
done
assert_contains "clear log line" 'refused block decision: "198.51.100.7 -j ACCEPT" is not an IPv4 or IPv6 address; firewall unchanged' "$logs"
assert_contains "unknown action refused" "refused decision with unknown action 9" "$logs"
members mini_siem_v4 >"$tmp/after"; members mini_siem_v6 >>"$tmp/after"
diff -u "$tmp/before" "$tmp/after" >&2 || fail "set members changed"
ok "set members unchanged"

step "a set and rule deleted by hand are recreated at the next start"
ns iptables -D ${rule_v4#-A }
ns ipset destroy mini_siem_v4
drive '{}'
[ "$rc" = 0 ] || { show; fail "driver exited $rc"; }
assert_eq "rule back at the top" "$rule_v4" "$(ns iptables -S INPUT | sed -n 2p)"
ns ipset list -t mini_siem_v4 >"$tmp/header"
assert_contains "set back with its options" "hashsize 65536 maxelem 1048576 timeout 0" "$tmp/header"

step "a set destroyed while the plugin runs is recreated by the next block"
: >"$out"
{
  for _ in $(seq 100); do grep -q '^started' "$out" && break; sleep 0.1; done
  ns iptables -D ${rule_v4#-A }
  ns ipset destroy mini_siem_v4
  echo "block 198.51.100.20 60"
} | ns "$driver" "$so" '{}' >"$out" 2>"$logs" || { show; fail "driver failed"; }
assert_contains "block succeeded after repair" "decision block 198.51.100.20 rc=0" "$out"
assert_contains "repair logged" "re-running firewall setup and retrying once" "$logs"
in_set mini_siem_v4 198.51.100.20 || fail "198.51.100.20 not blocked after repair"
assert_eq "rule back at the top" "$rule_v4" "$(ns iptables -S INPUT | sed -n 2p)"

step "reconcile at start: the store's active bans are added, stale entries removed"
ns ipset flush mini_siem_v4
ns ipset add mini_siem_v4 192.0.2.99 timeout 1000          # stale: no active ban
ns ipset add mini_siem_v4 198.51.100.7 timeout 5           # active, wrong timeout
ns ipset add mini_siem_v6 2001:db8::99                     # stale
now=$(date +%s%N)
cat >"$tmp/bans.json" <<JSON
[{"address":"203.0.113.5","sinceNs":$now,"untilNs":$((now + 600000000000)),"reason":"threshold 5/180s","count":1,"origin":"threshold"},
 {"address":"198.51.100.7","sinceNs":$now,"untilNs":$((now + 100000000000)),"reason":"cli","count":2,"origin":"cli"},
 {"address":"2001:db8::5","sinceNs":$now,"untilNs":$((now + 100000000000)),"reason":"threshold","count":1,"origin":"threshold"},
 {"address":"bogus","sinceNs":$now,"untilNs":$((now + 100000000000)),"reason":"x","count":1,"origin":"threshold"}]
JSON
drive '{}' '' SIEM_TEST_BANS_FILE="$tmp/bans.json"
[ "$rc" = 0 ] || { show; fail "driver exited $rc"; }
assert_eq "IPv4 members" "198.51.100.7 203.0.113.5" "$(members mini_siem_v4 | xargs)"
assert_eq "IPv6 members" "2001:db8::5" "$(members mini_siem_v6 | xargs)"
t=$(timeout_of mini_siem_v4 203.0.113.5)
[ "$t" -le 600 ] && [ "$t" -ge 590 ] || fail "missing ban added with timeout $t, not its remaining ~600 s"
t=$(timeout_of mini_siem_v4 198.51.100.7)
[ "$t" -le 100 ] && [ "$t" -ge 90 ] || fail "present ban's timeout $t not refreshed to its remaining ~100 s"
ok "remaining times applied (203.0.113.5, 198.51.100.7 refreshed to $t s)"
assert_contains "summary logged" "reconcile mini_siem_v4: 2 active bans, 1 of them were missing; 1 stale entries removed" "$logs"
assert_contains "invalid stored ban reported" 'stored ban "bogus" is not an IPv4 or IPv6 address' "$logs"

step "an unreadable store removes nothing"
ns ipset add mini_siem_v4 192.0.2.77 timeout 1000
drive '{}' '' SIEM_TEST_QUERY_FAIL=1
in_set mini_siem_v4 192.0.2.77 || fail "entry removed although the store could not be read"
assert_contains "reconcile skipped, said why" "reconcile skipped: cannot read active bans from the store" "$logs"

step "no active bans: reconcile empties the sets"
drive '{}' '' SIEM_TEST_BANS='[]'
assert_eq "IPv4 members" "" "$(members mini_siem_v4 | xargs)"
assert_eq "IPv6 members" "" "$(members mini_siem_v6 | xargs)"
assert_contains "summary logged" "reconcile mini_siem_v4: 0 active bans, 0 of them were missing; 3 stale entries removed" "$logs"
ns ipset add mini_siem_v4 192.0.2.77 timeout 1000   # for the dry run below

step "dry run (not root, and dry_run: true) changes nothing and logs each command"
ns ipset destroy mini_siem_v6 2>/dev/null || { ns ip6tables -D ${rule_v6#-A }; ns ipset destroy mini_siem_v6; }
snapshot() { ns ipset save | grep -v '^create' | awk '{print $1, $2, $3}' | sort; ns iptables -S; ns ip6tables -S; ns ipset list -n | sort; }
snapshot >"$tmp/snap-before"
chmod 0755 "$tmp"
nobody_so=$so
if ! setpriv --reuid=nobody --regid=nogroup --clear-groups test -r "$so"; then
  cp "$so" "$tmp/" && chmod 0644 "$tmp/libipset_blocker.so" && nobody_so=$tmp/libipset_blocker.so
fi
printf 'block 198.51.100.30 300\nunblock 192.0.2.77\nblock 2001:db8::30 60\n' |
  ns setpriv --reuid=nobody --regid=nogroup --clear-groups "$driver" "$nobody_so" '{}' >"$out" 2>"$logs" ||
  { show; fail "dry run as nobody failed"; }
assert_contains "warned once" "DRY RUN (not running as root (euid" "$logs"
assert_eq "warning count" 1 "$(grep -c 'DRY RUN' "$logs")"
assert_contains "would-be add" "dry-run: would run: ipset add mini_siem_v4 198.51.100.30 timeout 300 -exist" "$logs"
assert_contains "would-be del" "dry-run: would run: ipset del mini_siem_v4 192.0.2.77 -exist" "$logs"
assert_contains "would-be rule" "dry-run: would run: ip6tables -w 10 -C INPUT" "$logs"
drive '{"dry_run": true}' $'block 198.51.100.31 300\n'
assert_contains "dry_run: true warned" "DRY RUN (dry_run: true in the config)" "$logs"
assert_contains "decision answered" "decision block 198.51.100.31 rc=0" "$out"
snapshot >"$tmp/snap-after"
diff -u "$tmp/snap-before" "$tmp/snap-after" >&2 || fail "dry run changed the firewall"
ok "firewall unchanged (missing IPv6 set still missing)"
drive '{}'   # recreate the IPv6 set for the next steps
[ "$rc" = 0 ] || { show; fail "driver exited $rc"; }

step "config: custom names and sizes, ipv6: false"
drive '{"set_v4":"msiem_t4","set_v6":"msiem_t6","maxelem":1000,"hashsize":1024,"ipv6":false}' $'block 198.51.100.40 60\nblock 2001:db8::40 60\n'
[ "$rc" = 0 ] || { show; fail "driver exited $rc"; }
ns ipset list -t msiem_t4 >"$tmp/header"
assert_contains "custom set options" "family inet hashsize 1024 maxelem 1000 timeout 0" "$tmp/header"
! ns ipset list -n | grep -qx msiem_t6 || fail "msiem_t6 created although ipv6 is false"
in_set msiem_t4 198.51.100.40 || fail "198.51.100.40 not in msiem_t4"
assert_contains "IPv6 decision ignored, said why" "ipv6 is off (ipv6: false): block of 2001:db8::40 ignored" "$logs"
assert_contains "IPv6 decision not an error" "decision block 2001:db8::40 rc=0" "$out"
ns iptables -D INPUT -m set --match-set msiem_t4 src -m comment --comment mini-siem -j DROP
ns ipset destroy msiem_t4

step "docker_user: true adds the rule to DOCKER-USER where that chain exists, once"
ns iptables -N DOCKER-USER
drive '{"docker_user":true}'
drive '{"docker_user":true}'
[ "$rc" = 0 ] || { show; fail "driver exited $rc"; }
assert_eq "DOCKER-USER rules" 1 "$(rules iptables DOCKER-USER)"
assert_eq "INPUT rules" 1 "$(rules iptables INPUT)"
assert_contains "missing ip6tables chain noted" "ip6tables has no DOCKER-USER chain" "$logs"

step "failing paths: bad config refused at create, missing chain fails start"
drive '{"set_v5":"x"}'
assert_eq "unknown key: create fails" 3 "$rc"
assert_contains "names the key" "unknown key 'set_v5'" "$out"
drive '{"chains":["INPUT","-F"]}'
assert_eq "option-like chain: create fails" 3 "$rc"
assert_contains "names the key" "chains: '-F' is not a valid chain name" "$out"
drive '{"maxelem":"big"}'
assert_eq "wrong type: create fails" 3 "$rc"
assert_contains "names the key" "maxelem" "$out"
drive '{"chains":["NOPE"]}'
assert_eq "missing chain: start fails" 4 "$rc"
assert_contains "says which chain" "iptables NOPE" "$out"

echo
echo "ipset_blocker_test: all steps passed"
