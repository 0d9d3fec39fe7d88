#!/usr/bin/env bash
# Where the time goes: valgrind --tool=callgrind on
#   json     mini-siem check-log --json           (parse + classify + JSON out)
#   replay   mini-siem replay, log_level info      (the full pipeline, as shipped)
#   replay_w mini-siem replay, log_level warning   (the same without per-event log lines)
#   bans     mini-siem run in a network namespace, BENCH_PROFILE_BANS addresses banned
# on BENCH_PROFILE_LINES lines of the benchmark file. Valgrind 3.19 cannot read
# the DWARF 5 that Swift emits, so it runs copies with the debug info stripped
# (the symbol tables stay: function names are intact). Writes the top inclusive
# costs per run to bench/out/results/profile-NAME.txt (demangled).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null || { log "valgrind not installed: no profiles"; exit 0; }
[ -x "$MS" ] || build_release
N=${BENCH_PROFILE_LINES:-30000}
NB=${BENCH_PROFILE_BANS:-2000}
P=$OUT/profile; rm -rf "$P"; mkdir -p "$P/plugins"
objcopy --strip-debug "$MS" "$P/mini-siem"
for so in libssh_source.so libipset_blocker.so; do objcopy --strip-debug "$BUILD/release/$so" "$P/plugins/$so"; done
chown -R root:root "$P/plugins"; chmod 0755 "$P/plugins"; chmod 0644 "$P/plugins"/*.so
F=$(head_log "$(gen_log "$BENCH_LINES")" "$N")
demangle() { if command -v swift >/dev/null; then swift demangle --simplified; else cat; fi; }

# top NAME: the 40 largest inclusive costs, without thread/runtime plumbing.
top() {
  local out=$RESULTS/profile-$1.txt total
  total=$(callgrind_annotate "$P/cg.$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  {
    echo "# $2"
    echo "# total instructions: $total (${3:-}); inclusive cost per function, top 40"
    callgrind_annotate --inclusive=yes "$P/cg.$1" 2>/dev/null | sed -n '/file:function/,$p' | sed 1,2d | demangle \
      | grep -vE 'start_thread|NSThreadStart|Thread\.main|below main|libc_start|ld-linux|MiniSiem_main|partial apply|protocol witness|@objc|withUnsafePointer|^ *$' \
      | sed -E 's/ \[[^]]*\]$//; s/\?\?\?://; s/\.\/[^:]*://' | cut -c1-160 | head -40 || true
  } > "$out"
}

log "callgrind: check-log --json on $N lines"
valgrind --tool=callgrind --callgrind-out-file="$P/cg.json" "$P/mini-siem" check-log "$F" --json > /dev/null 2> "$P/json.err"
top json "mini-siem check-log --json, $N lines" "$N lines"

replay_config "$P" "$P/plugins"
sed 's|^plugins:|log_level: warning\nplugins:|' "$P/config.yaml" > "$P/config-warning.yaml"
log "callgrind: replay on $N lines (log_level info, then warning)"
rm -f "$P/mini_siem.db"*
valgrind --tool=callgrind --callgrind-out-file="$P/cg.replay" "$P/mini-siem" replay "$F" --config "$P/config.yaml" > "$P/replay.out" 2> "$P/replay.err"
top replay "mini-siem replay (log_level: info, the default), $N lines" "$(head -2 "$P/replay.out" | tail -1)"
rm -f "$P/mini_siem.db"*
valgrind --tool=callgrind --callgrind-out-file="$P/cg.replay_w" "$P/mini-siem" replay "$F" --config "$P/config-warning.yaml" > "$P/replay_w.out" 2> "$P/replay_w.err"
top replay_w "mini-siem replay (log_level: warning), $N lines" "$(head -2 "$P/replay_w.out" | tail -1)"

# The daemon banning NB addresses (5 failures each) in a namespace of our own.
if [ "$(id -u)" = 0 ]; then
  NS=msiem-bench-prof-$$
  W=$P/bans; mkdir -p "$W"
  ns_create
  trap 'stop_pid ${VG:-0}; ns_delete' EXIT
  daemon_config
  python3 "$BENCH/gen.py" --seed "$BENCH_SEED" --profile bans --addresses "$NB" --failures 5 --rate 20000 --start now -o "$W/bans.log" 2>/dev/null
  : > "$W/auth.log"
  log "callgrind: the daemon banning $NB addresses in namespace $NS"
  ip netns exec "$NS" valgrind --tool=callgrind --callgrind-out-file="$P/cg.bans" "$P/mini-siem" run \
    --config "$W/config.yaml" --plugin-dir "$P/plugins" > "$W/daemon.out" 2> "$W/daemon.err" &
  VG=$!
  for _ in $(seq 1 120); do [ -S "$W/control.sock" ] && break; sleep 0.5; done
  sleep 2
  cat "$W/bans.log" >> "$W/auth.log"
  for _ in $(seq 1 600); do [ "$(set_count)" -ge "$NB" ] && break; sleep 0.5; done
  GOT=$(set_count)
  stop_pid $VG; VG=
  top bans "mini-siem run banning $NB addresses (5 failures each, real ipset in a namespace)" "$GOT in the sets"
  ns_delete; trap - EXIT
fi
log "profiles in ${RESULTS#$ROOT/}/profile-*.txt"
