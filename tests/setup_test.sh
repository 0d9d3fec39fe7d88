#!/usr/bin/env bash
# scripts/setup.sh and packaging/mini-siem.service, without touching this
# machine: --install-service/--uninstall into a DESTDIR staging root,
# systemd-analyze verify on the installed tree, and --ensure-firewall /
# --remove-firewall inside a network namespace of its own.
#   sudo tests/setup_test.sh [BIN_DIR]    (default: swift build --show-bin-path)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/lib/testlib.sh"
require_root

bin=${1:-$(cd "$root" && swift build --show-bin-path)}
setup=$root/scripts/setup.sh
NS=msiem-setup-$$
tmp=$(mktemp -d)
dest=$tmp/root
cleanup() {
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
ns() { ip netns exec "$NS" "$@"; }
mode() { stat -c '%a %U:%G' "$1"; }

step "install into DESTDIR=$dest with the artifacts from $bin"
for f in mini-siem libssh_source.so libipset_blocker.so; do
  [ -f "$bin/$f" ] || fail "$bin/$f missing: run swift build first"
done
DESTDIR=$dest "$setup" --install-service --bin-dir "$bin" >"$tmp/log1"
cat "$tmp/log1"
assert_contains "systemd left alone" "systemd not reloaded" "$tmp/log1"
assert_eq "binary" "755 root:root" "$(mode "$dest/usr/local/bin/mini-siem")"
assert_eq "plugin directory" "755 root:root" "$(mode "$dest/usr/local/lib/mini-siem/plugins")"
for so in libssh_source.so libipset_blocker.so; do
  assert_eq "$so" "644 root:root" "$(mode "$dest/usr/local/lib/mini-siem/plugins/$so")"
  cmp -s "$bin/$so" "$dest/usr/local/lib/mini-siem/plugins/$so" || fail "$so differs from the build"
done
assert_eq "setup.sh for ExecStartPre" "755 root:root" "$(mode "$dest/usr/local/lib/mini-siem/setup.sh")"
assert_eq "config template" "644 root:root" "$(mode "$dest/etc/mini_siem/config.yaml")"
cmp -s "$root/config/config.yaml" "$dest/etc/mini_siem/config.yaml" || fail "config is not the template"
assert_eq "unit" "644 root:root" "$(mode "$dest/etc/systemd/system/mini-siem.service")"
cmp -s "$root/packaging/mini-siem.service" "$dest/etc/systemd/system/mini-siem.service" || fail "unit differs"
ok "installed files match their sources"

step "second install is idempotent and keeps an edited config"
echo "failures_threshold: 9  # edited" >>"$dest/etc/mini_siem/config.yaml"
(cd "$dest" && find . -type f ! -name config.yaml -exec sha256sum {} + | sort) >"$tmp/sums1"
DESTDIR=$dest "$setup" --install-service --bin-dir "$bin" >"$tmp/log2"
assert_contains "says the config is kept" "config.yaml exists: left as it is" "$tmp/log2"
assert_contains "edit survived" "failures_threshold: 9  # edited" "$dest/etc/mini_siem/config.yaml"
(cd "$dest" && find . -type f ! -name config.yaml -exec sha256sum {} + | sort) >"$tmp/sums2"
diff -u "$tmp/sums1" "$tmp/sums2" >&2 || fail "second install changed files"
ok "same files, same contents"

step "systemd-analyze verify accepts the installed unit (real paths, inside the staging root)"
# --root needs systemd's own units (sysinit.target, ...) in the root.
mkdir -p "$dest/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$dest/usr/lib/systemd/"
verify() { SYSTEMD_LOG_COLOR=0 systemd-analyze verify --root="$dest" mini-siem.service >"$tmp/verify" 2>&1; }
verify || { cat "$tmp/verify" >&2; fail "systemd-analyze verify failed"; }
[ ! -s "$tmp/verify" ] || { cat "$tmp/verify" >&2; fail "systemd-analyze verify printed warnings"; }
ok "verify: no errors, no warnings"
mv "$dest/usr/local/bin/mini-siem" "$tmp/mini-siem.away"
! verify || fail "verify passed without the binary: it is not checking ExecStart"
assert_contains "and it does check ExecStart" "/usr/local/bin/mini-siem is not executable" "$tmp/verify"
mv "$tmp/mini-siem.away" "$dest/usr/local/bin/mini-siem"
rm -rf "$dest/usr/lib/systemd"

step "uninstall from DESTDIR removes what was installed, keeps config, twice is fine"
DESTDIR=$dest "$setup" --uninstall >"$tmp/log3"
assert_contains "firewall not touched under DESTDIR" "DESTDIR set: firewall left alone" "$tmp/log3"
for f in usr/local/bin/mini-siem usr/local/lib/mini-siem etc/systemd/system/mini-siem.service; do
  [ ! -e "$dest/$f" ] || fail "$f still there"
done
ok "binary, plugins, setup.sh and unit gone"
[ -f "$dest/etc/mini_siem/config.yaml" ] || fail "config removed"
ok "config kept"
DESTDIR=$dest "$setup" --uninstall >/dev/null
ok "second uninstall succeeded"

step "--ensure-firewall in namespace $NS: sets and rules, twice leaves one rule"
ip netns add "$NS"
ns "$setup" --ensure-firewall
ns "$setup" --ensure-firewall >"$tmp/log4"
assert_contains "second run finds the rule" "rule for mini_siem_v4 already in INPUT" "$tmp/log4"
for t in "iptables mini_siem_v4 inet" "ip6tables mini_siem_v6 inet6"; do
  read -r tool set family <<<"$t"
  assert_eq "$tool INPUT rule 1" "-A INPUT -m set --match-set $set src -m comment --comment mini-siem -j DROP" \
    "$(ns "$tool" -S INPUT | sed -n 2p)"
  assert_eq "$tool mini-siem rules" 1 "$(ns "$tool" -S | grep -c -- '--comment mini-siem')"
  ns ipset list -t "$set" >"$tmp/header"
  assert_contains "$set options" "Header: family $family hashsize 65536 maxelem 1048576 timeout 0" "$tmp/header"
done

step "the plugin accepts what setup.sh made: same names, options and rule"
if [ -f "$bin/libipset_blocker.so" ] && command -v "${CC:-cc}" >/dev/null; then
  ${CC:-cc} -std=c11 -Wall -Wextra -Werror -I "$root/Sources/PluginABI/include" \
    "$root/tests/fixtures/plugin_driver.c" -o "$tmp/plugin_driver" -ldl
  ns "$tmp/plugin_driver" "$bin/libipset_blocker.so" '{}' </dev/null >"$tmp/out" 2>"$tmp/logs" ||
    { cat "$tmp/out" "$tmp/logs" >&2; fail "plugin start failed on setup.sh's firewall"; }
  assert_eq "iptables rules after the plugin's ensure" 1 "$(ns iptables -S | grep -c -- '--comment mini-siem')"
  assert_eq "ip6tables rules after the plugin's ensure" 1 "$(ns ip6tables -S | grep -c -- '--comment mini-siem')"
else
  echo "    skipped: no $bin/libipset_blocker.so or C compiler"
fi

step "--remove-firewall removes every mini-siem rule and both sets; twice is fine"
ns iptables -N DOCKER-USER
ns iptables -A DOCKER-USER -m set --match-set mini_siem_v4 src -m comment --comment mini-siem -j DROP
ns "$setup" --remove-firewall
ns "$setup" --remove-firewall
assert_eq "iptables rules left" 0 "$(ns iptables -S | grep -c -- '--comment mini-siem' || true)"
assert_eq "ip6tables rules left" 0 "$(ns ip6tables -S | grep -c -- '--comment mini-siem' || true)"
assert_eq "sets left" "" "$(ns ipset list -n)"

echo
echo "setup_test: all steps passed"
