#!/usr/bin/env bash
# The one command: builds mini-siem in release mode, fetches the peers from
# Debian's packages (unpacked, never installed), runs every benchmark on the
# same generated files, prints the tables and writes bench/RESULTS.md.
#
#   sudo bench/run.sh                 # everything (~15 min on 2 cores)
#   sudo bench/run.sh parse pipeline  # some stages: parse pipeline memory bans latency profile
#
# Sizes (environment): BENCH_LINES=1000000 (parse and pipeline file),
# BENCH_F2B_LINES=200000, BENCH_CROWDSEC_LINES=100000 (the slow peers run on the
# first lines of the same file), BENCH_MEM_ADDRESSES=1000000,
# BENCH_FLAT_LINES=10000000, BENCH_BANS=100000, BENCH_LATENCY_N=1000,
# BENCH_REPEAT=3, BENCH_SEED=1, BENCH_FORMAT=classic|rfc3339,
# BENCH_PROFILE_LINES=30000. BENCH_SKIP_BUILD=1 reuses the last build.
# Needs root for the network-namespace stages (bans, latency, part of profile),
# python3, sqlite3, ipset, gcc and libipset-dev, valgrind for the profiles.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ALL=(parse pipeline memory bans latency profile)
STAGES=("$@"); [ ${#STAGES[@]} = 0 ] && STAGES=("${ALL[@]}")
for s in "${STAGES[@]}"; do
  case " ${ALL[*]} " in *" $s "*) ;; *) die "unknown stage $s (stages: ${ALL[*]})" ;; esac
done
for tool in python3 sqlite3 cc curl; do command -v $tool >/dev/null || die "$tool is needed"; done

START=$(date +%s)
CMD="bench/run.sh${*:+ $*}"
for v in $(env | grep -o '^BENCH_[A-Z0-9_]*' | sort); do CMD="$v=${!v} $CMD"; done

build_release
bash "$BENCH/peers.sh"

# What the report needs to know about this run. A run of some stages keeps the
# other stages' results and the full run's header, and is listed as a rerun.
META=(loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" seed "$BENCH_SEED" lines "$BENCH_LINES" format "$BENCH_FORMAT" \
  ms_version "$("$MS" --version 2>/dev/null)" src_rev "$(cat "$OUT/src.rev" 2>/dev/null || git -C "$ROOT" rev-parse --short HEAD)" \
  swift "$(swift --version 2>/dev/null | head -1 | sed 's/ (.*//')" python "$("$PYTHON" --version 2>&1 | cut -d' ' -f2)" \
  valgrind "$(valgrind --version 2>/dev/null || echo 'no valgrind')" ipset "$(ipset version 2>/dev/null | head -1 | awk '{print $2}' | tr -d ,)" \
  sqlite "$(sqlite3 --version | cut -d' ' -f1)")
if [ ${#STAGES[@]} = ${#ALL[@]} ] || [ ! -f "$RESULTS/meta" ]; then
  rm -f "$RESULTS/meta"
  result meta date "$(date -u '+%Y-%m-%d %H:%M UTC')" command "$CMD" "${META[@]}"
else
  prev=$(sed -n 's/^reruns=//p' "$RESULTS/meta")
  result meta reruns "${prev:+$prev; }$(date -u '+%H:%M UTC'): \`$CMD\`"
  [ "$(sed -n 's/^src_rev=//p' "$RESULTS/meta")" = "$(cat "$OUT/src.rev" 2>/dev/null)" ] \
    || result meta src_rev_rerun "$(cat "$OUT/src.rev" 2>/dev/null)"
fi

failed=()
for s in "${STAGES[@]}"; do
  case $s in bans|latency) [ "$(id -u)" = 0 ] || { log "skipping $s: needs root"; continue; } ;; esac
  log "=== $s"
  if ! bash "$BENCH/$s.sh"; then failed+=("$s"); log "stage $s FAILED"; fi
done

python3 "$BENCH/report.py"
log "bench/RESULTS.md written in $(( $(date +%s) - START )) s${failed:+; failed stages: ${failed[*]}}"
[ ${#failed[@]} = 0 ]
