#!/usr/bin/env bash
# Memory of the full pipeline (mini-siem replay, audit on, dry-run blocker):
#  1. bytes per tracked address: BENCH_MEM_ADDRESSES distinct attacking addresses
#     (1 or 2 failures each, below the threshold, all inside one detection
#     window so that every one of them is tracked at the end), peak RSS minus
#     the peak RSS of the same run with 1000 addresses, divided by the difference.
#  2. RSS sampled every 0.5 s across a BENCH_FLAT_LINES-line run of the mixed
#     log: it must stay flat.
# Writes bench/out/results/memory and bench/out/memory/rss-flat.tsv.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -x "$MS" ] || build_release
"$MS" replay --help >/dev/null 2>&1 || die "this mini-siem has no 'replay' command yet"
R=memory
rm -f "$RESULTS/$R"
W=$OUT/memory; rm -rf "$W"; mkdir -p "$W"
PLUG=$(plugin_dir)
replay_config "$W" "$PLUG"

unique_log() { # addresses -> path (20 000 lines/s of log time: 1 M addresses fit in 180 s)
  local n=$1 f=$OUT/logs/unique-s$BENCH_SEED-$1.log
  mkdir -p "$OUT/logs"
  if [ ! -s "$f" ]; then
    log "generating $n distinct addresses with 1-2 failures each"
    python3 "$BENCH/gen.py" --seed "$BENCH_SEED" --profile unique --addresses "$n" --rate 20000 -o "$f.tmp" 2>/dev/null && mv "$f.tmp" "$f"
  fi
  echo "$f"
}

replay_rss() { # file -> sets RUN_RSS_KB RUN_WALL RUN_OUT
  rm -rf "$W/mini_siem.db"* "$W/logs"
  T_STDOUT=$W/replay.out timed "$MS" replay "$1" --config "$W/config.yaml" 2> "$W/replay.err"
  [ "$T_RC" = 0 ] || { tail "$W/replay.err" >&2; die "replay failed on $1"; }
  RUN_RSS_KB=$T_RSS_KB; RUN_WALL=$T_WALL; RUN_OUT=$(tr '\n' ' ' < "$W/replay.out")
}

wait_quiet
# --- 1. bytes per tracked address ---------------------------------------------
SMALL=$(unique_log 1000)
BIG=$(unique_log "$BENCH_MEM_ADDRESSES")
replay_rss "$SMALL"; BASE=$RUN_RSS_KB
log "1000 addresses: peak RSS $(mib "$BASE") MiB"
replay_rss "$BIG"; PEAK=$RUN_RSS_KB
BIGLINES=$(wc -l < "$BIG")
PER=$(awk -v a="$PEAK" -v b="$BASE" -v n="$BENCH_MEM_ADDRESSES" 'BEGIN { printf "%.0f", (a - b) * 1024 / (n - 1000) }')
log "$BENCH_MEM_ADDRESSES addresses ($BIGLINES lines): peak RSS $(mib "$PEAK") MiB in ${RUN_WALL}s -> $PER bytes per tracked address ($RUN_OUT)"
result $R addresses "$BENCH_MEM_ADDRESSES" lines "$BIGLINES" base_rss_kb "$BASE" peak_rss_kb "$PEAK" \
  bytes_per_address "$PER" wall "$RUN_WALL" out "$RUN_OUT"
# The same through check-log --summary: the same ThresholdStage, no SQLite (whose
# page cache, up to cache_size, is in the replay's figure), no plugins.
timed "$MS" check-log "$SMALL" --summary --config "$W/config.yaml"; CBASE=$T_RSS_KB
timed "$MS" check-log "$BIG" --summary --config "$W/config.yaml"; CPEAK=$T_RSS_KB
CPER=$(awk -v a="$CPEAK" -v b="$CBASE" -v n="$BENCH_MEM_ADDRESSES" 'BEGIN { printf "%.0f", (a - b) * 1024 / (n - 1000) }')
log "threshold stage alone (check-log --summary): $(mib "$CBASE") -> $(mib "$CPEAK") MiB: $CPER bytes per tracked address"
result $R stage_base_rss_kb "$CBASE" stage_peak_rss_kb "$CPEAK" stage_bytes_per_address "$CPER"

# --- 2. RSS across a long run -------------------------------------------------
F=$(gen_log "$BENCH_FLAT_LINES")
rm -rf "$W/mini_siem.db"* "$W/logs"
START=$(now)
"$MS" replay "$F" --config "$W/config.yaml" > "$W/flat.out" 2> "$W/flat.err" &
PID=$!
trap 'stop_pid $PID' EXIT
printf 'seconds\trss_kb\tlog_offset\tloadavg1\n' > "$W/rss-flat.tsv"
SIZE=$(stat -c %s "$F")
LOGFD=
while kill -0 $PID 2>/dev/null; do
  r=$(vmrss $PID)
  # How far the replay has read (the log's file offset): its speed over the run.
  if [ -z "$LOGFD" ]; then
    for fd in /proc/$PID/fd/*; do [ "$(readlink "$fd" 2>/dev/null)" = "$F" ] && LOGFD=${fd##*/} && break; done
  fi
  pos=$( [ -n "$LOGFD" ] && awk '/^pos:/ {print $2}' "/proc/$PID/fdinfo/$LOGFD" 2>/dev/null || echo 0)
  [ -n "$r" ] && [ "$r" != 0 ] && printf '%s\t%s\t%s\t%s\n' "$(calc "$(now) - $START" 1)" "$r" "${pos:-0}" "$(cut -d' ' -f1 /proc/loadavg)" >> "$W/rss-flat.tsv"
  sleep 0.5
done
wait $PID || die "replay of the long file failed"
trap - EXIT
WALL=$(calc "$(now) - $START" 2)
# Flat: RSS growth from 20 % of the run (past the warm-up: caches filling) to its end.
read -r N R10 R50 RMAX RLAST < <(awk -F'\t' 'NR > 1 {t[++n] = $2} END {
  m = 0; for (i = 1; i <= n; i++) if (t[i] > m) m = t[i];
  i10 = int(n * 0.2); if (i10 < 1) i10 = 1; i50 = int(n * 0.5); if (i50 < 1) i50 = 1;
  print n, t[i10], t[i50], m, t[n] }' "$W/rss-flat.tsv")
GROWTH=$(awk -v a="$RLAST" -v b="$R10" 'BEGIN { if (b == 0) b = 1; printf "%.1f", (a - b) * 100 / b }')
# Reading speed (MB of log per second) in the first and the last fifth of the file, and
# the machine's mean 1-minute load average during the run (others' builds show there).
read -r SPEED1 SPEED5 LOADAVG < <(awk -F'\t' -v size="$SIZE" 'NR > 1 && $3 > 0 {t[++n] = $1; p[n] = $3; l += $4; m++} END {
  for (i = 1; i <= n; i++) { if (!a && p[i] >= size * 0.2) a = i; if (!b && p[i] >= size * 0.8) b = i }
  s1 = (a > 1) ? p[a] / t[a] : 0; s5 = (b && n > b) ? (p[n] - p[b]) / (t[n] - t[b]) : 0
  printf "%.1f %.1f %.2f\n", s1 / 1e6, s5 / 1e6, (m ? l / m : 0) }' "$W/rss-flat.tsv")
log "reading speed: first fifth $SPEED1 MB/s, last fifth $SPEED5 MB/s; mean load average $LOADAVG"
log "$BENCH_FLAT_LINES lines in ${WALL}s: RSS at 20 % $(mib "$R10") MiB, 50 % $(mib "$R50") MiB, end $(mib "$RLAST") MiB, max $(mib "$RMAX") MiB (growth from 20 % to end: $GROWTH %)"
result $R flat_lines "$BENCH_FLAT_LINES" flat_wall "$WALL" flat_samples "$N" flat_rss10_kb "$R10" \
  flat_rss50_kb "$R50" flat_rss_end_kb "$RLAST" flat_rss_max_kb "$RMAX" flat_growth_pct "$GROWTH" \
  flat_speed_first_mbs "$SPEED1" flat_speed_last_mbs "$SPEED5" flat_loadavg "$LOADAVG" flat_bytes "$SIZE" \
  flat_out "$(tr '\n' ' ' < "$W/flat.out")" flat_db_kb "$(du -k "$W/mini_siem.db" | cut -f1)"
rm -f "$W/mini_siem.db"*   # gigabytes
