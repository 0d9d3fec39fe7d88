#!/usr/bin/env bash
# Ban latency with the real daemon and the real IPSetBlocker, in a network
# namespace of our own: the time from appending the line that crosses the
# threshold to the watched log until its address is in the kernel set
# (bench/latency_probe.c polls the set in-process with libipset).
# BENCH_LATENCY_N addresses (10 % IPv6), twice: with the two shipped plugins, and
# with bench_slow, an action plugin that sleeps BENCH_SLOW_MS (default 200 ms)
# in every decision. Writes bench/out/results/latency.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -x "$MS" ] || build_release
build_tools
R=latency
rm -f "$RESULTS/$R"
NS=msiem-bench-lat-$$
W=$OUT/latency; rm -rf "$W"; mkdir -p "$W"
trap 'daemon_stop; ns_delete' EXIT
ns_create

# N distinct addresses: 198.18.0.0/15 and, every tenth, 2001:db8::/32.
python3 - "$BENCH_LATENCY_N" > "$W/addresses" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    if i % 10 == 9:
        print("2001:db8:1a7:%x::%x" % (i >> 16, (i & 0xffff) | 1))
    else:
        print("198.%d.%d.%d" % (18 + (i >> 16), (i >> 8) & 0xff, (i & 0xff) % 254 + 1))
PY
wait_quiet

run_case() { # name plugin_dir extra_config
  local name=$1 dir=$2
  rm -rf "$W/mini_siem.db"* "$W/logs" "$W/auth.log" "$W/control.sock"
  ns ipset destroy bench_v4 2>/dev/null || true   # rules first: simplest is a fresh namespace
  daemon_config "${3:-}"
  daemon_start "$dir"
  sleep 1   # the source opens the log and seeks to its end
  ns "$OUT/tools/latency_probe" "$W/auth.log" bench_v4 bench_v6 5 5000 < "$W/addresses" > "$W/$name.raw"
  daemon_stop
  awk '$2 != "timeout" {print $2 / 1000}' "$W/$name.raw" > "$W/$name.ms"
  local n to p50 p99 mx
  n=$(wc -l < "$W/$name.ms"); to=$(grep -c timeout "$W/$name.raw" || true)
  p50=$(pct "$W/$name.ms" 50); p99=$(pct "$W/$name.ms" 99); mx=$(pct "$W/$name.ms" 100)
  result $R "$name.n" "$n" "$name.timeouts" "$to" "$name.p50_ms" "$p50" "$name.p99_ms" "$p99" "$name.max_ms" "$mx" \
    "$name.ready_s" "$DAEMON_READY_S"
  log "$name: $n bans, p50 ${p50} ms, p99 ${p99} ms, max ${mx} ms, $to timeouts (daemon ready in ${DAEMON_READY_S}s)"
  # A fresh namespace for the next case (sets and rules go with it).
  ns_delete; ns_create
}

run_case plain "$(plugin_dir plugins-latency)"
SLOW_MS=${BENCH_SLOW_MS:-200}
run_case slow "$(plugin_dir plugins-latency-slow "$OUT/tools/bench_slow.so")" "  bench_slow: { delay_ms: $SLOW_MS }"
result $R slow.delay_ms "$SLOW_MS" addresses "$BENCH_LATENCY_N"
