#!/usr/bin/env bash
# Sets mini-siem up on a Debian 12 host. Every action is idempotent.
#
#   sudo scripts/setup.sh --ensure-firewall   ipset sets + iptables/ip6tables DROP rules
#   sudo scripts/setup.sh --remove-firewall   those rules and sets, gone
#   sudo scripts/setup.sh --install-service [--bin-dir DIR]
#        builds release (or takes mini-siem and the plugin .so files from DIR),
#        installs binary, plugins, config template (if absent), this script
#        and the systemd unit, then reloads systemd
#   sudo scripts/setup.sh --uninstall         stops the service, removes the
#        firewall rules and sets and the installed files; keeps
#        /etc/mini_siem (config) and /var/lib/mini_siem (the database)
#
# DESTDIR=/some/root installs into (or uninstalls from) that staging root and
# leaves the running system alone: no systemctl, no firewall.
# Actions can be combined; they run in the order given.
set -euo pipefail

# The firewall names and options. The ipset_blocker plugin keeps the same
# defaults in one place, Plugins/IPSetBlocker/BlockerConfig.swift
# (FirewallDefaults); change both together. These environment variables
# override them, for a plugin config that changed set_v4/set_v6.
SET_V4=${MINI_SIEM_SET_V4:-mini_siem_v4}
SET_V6=${MINI_SIEM_SET_V6:-mini_siem_v6}
MAXELEM=1048576
HASHSIZE=65536
RULE_COMMENT=mini-siem
# Only INPUT here; the plugin adds its config's other chains (and
# DOCKER-USER with docker_user: true) when the daemon starts.
CHAIN=INPUT

# Where things are installed (under $DESTDIR).
BIN=/usr/local/bin/mini-siem
LIBDIR=/usr/local/lib/mini-siem
PLUGIN_DIR=$LIBDIR/plugins
PLUGINS=(libssh_source.so libipset_blocker.so)
CONFIG=/etc/mini_siem/config.yaml
UNIT=/etc/systemd/system/mini-siem.service

repo=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
DESTDIR=${DESTDIR%/}

say() { printf 'setup.sh: %s\n' "$*"; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "$1 needs root"; }

# ---------------------------------------------------------------- firewall

# The rule's match and target exactly as `iptables -S` prints them, so -C
# finds the rule the plugin inserted, and the other way round.
rule_spec() { printf '%s\n' -m set --match-set "$1" src -m comment --comment "$RULE_COMMENT" -j DROP; }

has_ipv6() { [ -e /proc/net/if_inet6 ] && [ "${MINI_SIEM_IPV6:-1}" != 0 ]; }

# families: "iptables SET_V4 inet" and, when the kernel has IPv6, the same for ip6tables.
families() {
  echo "iptables $SET_V4 inet"
  if has_ipv6; then echo "ip6tables $SET_V6 inet6"; fi
}

ensure_firewall() {
  need_root --ensure-firewall
  command -v ipset >/dev/null || die "ipset not found (apt-get install ipset)"
  has_ipv6 || say "no IPv6 in this kernel (or MINI_SIEM_IPV6=0): IPv6 set and rule skipped"
  local tool set family spec
  while read -r tool set family; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install iptables)"
    # -exist: no error when an identical set exists; `timeout 0` lets each
    # entry carry its own timeout.
    ipset create "$set" hash:ip family "$family" hashsize "$HASHSIZE" maxelem "$MAXELEM" timeout 0 -exist
    mapfile -t spec < <(rule_spec "$set")
    if "$tool" -w 10 -C "$CHAIN" "${spec[@]}" 2>/dev/null; then
      say "$tool: rule for $set already in $CHAIN"
    else
      "$tool" -w 10 -I "$CHAIN" 1 "${spec[@]}"
      say "$tool: inserted DROP rule for $set at the top of $CHAIN"
    fi
  done < <(families)
}

# Deletes every rule carrying our comment (whatever chain: INPUT, DOCKER-USER,
# ...), then the sets. Rules first: a set in use cannot be destroyed.
remove_firewall() {
  need_root --remove-firewall
  local tool set line
  for tool in iptables ip6tables; do
    command -v "$tool" >/dev/null || continue
    while read -r line; do
      [ -n "$line" ] || continue
      # shellcheck disable=SC2086 # iptables -S prints shell-safe words
      "$tool" -w 10 -D ${line#-A }
      say "$tool: removed ${line}"
    done < <("$tool" -w 10 -S 2>/dev/null | grep -- "--comment $RULE_COMMENT " || true)
  done
  command -v ipset >/dev/null || return 0
  for set in "$SET_V4" "$SET_V6"; do
    if ipset list -n 2>/dev/null | grep -qx -- "$set"; then
      ipset destroy "$set"
      say "destroyed set $set"
    fi
  done
}

# ---------------------------------------------------------------- service

systemd_running() { [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; }

install_service() {
  need_root --install-service
  local bin_dir=$1
  if [ -z "$bin_dir" ]; then
    say "building release (swift build -c release)"
    (cd "$repo" && swift build -c release)
    bin_dir=$(cd "$repo" && swift build -c release --show-bin-path)
  fi
  local f
  for f in mini-siem "${PLUGINS[@]}"; do
    [ -f "$bin_dir/$f" ] || die "$bin_dir/$f not found (build first, or pass --bin-dir)"
  done
  # The daemon refuses plugins anyone but root could have written: root:root,
  # 0644 files in a 0755 directory.
  install -d -m 0755 -o root -g root "$DESTDIR/usr/local/bin" "$DESTDIR$LIBDIR" "$DESTDIR$PLUGIN_DIR" \
    "$DESTDIR/etc/mini_siem" "$DESTDIR/etc/systemd/system"
  install -m 0755 -o root -g root "$bin_dir/mini-siem" "$DESTDIR$BIN"
  for f in "${PLUGINS[@]}"; do
    install -m 0644 -o root -g root "$bin_dir/$f" "$DESTDIR$PLUGIN_DIR/$f"
  done
  # The unit's ExecStartPre runs this script from here.
  install -m 0755 -o root -g root "$repo/scripts/setup.sh" "$DESTDIR$LIBDIR/setup.sh"
  if [ -e "$DESTDIR$CONFIG" ]; then
    say "$CONFIG exists: left as it is"
  else
    install -m 0644 -o root -g root "$repo/config/config.yaml" "$DESTDIR$CONFIG"
    say "installed config template $CONFIG"
  fi
  install -m 0644 -o root -g root "$repo/packaging/mini-siem.service" "$DESTDIR$UNIT"
  say "installed $BIN, ${PLUGINS[*]} in $PLUGIN_DIR, $LIBDIR/setup.sh, $UNIT"
  if systemd_running; then
    systemctl daemon-reload
    say "next: systemctl enable --now mini-siem.service"
  else
    say "systemd not reloaded (DESTDIR set or systemd not running)"
  fi
}

uninstall() {
  need_root --uninstall
  if systemd_running; then
    systemctl disable --now mini-siem.service 2>/dev/null || true   # not installed: nothing to stop
  fi
  if [ -z "$DESTDIR" ]; then
    remove_firewall
  else
    say "DESTDIR set: firewall left alone"
  fi
  local f
  for f in "${PLUGINS[@]}"; do rm -f "$DESTDIR$PLUGIN_DIR/$f"; done
  rmdir "$DESTDIR$PLUGIN_DIR" 2>/dev/null || true   # kept when it holds other plugins
  rm -f "$DESTDIR$LIBDIR/setup.sh" "$DESTDIR$BIN" "$DESTDIR$UNIT"
  rmdir "$DESTDIR$LIBDIR" 2>/dev/null || true
  if systemd_running; then systemctl daemon-reload; fi
  say "uninstalled; kept /etc/mini_siem and /var/lib/mini_siem (remove them by hand if wanted)"
}

# ---------------------------------------------------------------- main

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

[ $# -gt 0 ] || { usage >&2; exit 2; }
actions=()
bin_dir=
while [ $# -gt 0 ]; do
  case $1 in
    --ensure-firewall|--remove-firewall|--install-service|--uninstall) actions+=("$1") ;;
    --bin-dir) [ $# -ge 2 ] || die "--bin-dir needs a directory"; bin_dir=$(cd "$2" && pwd); shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
  shift
done
for action in "${actions[@]}"; do
  case $action in
    --ensure-firewall) ensure_firewall ;;
    --remove-firewall) remove_firewall ;;
    --install-service) install_service "$bin_dir" ;;
    --uninstall) uninstall ;;
  esac
done
