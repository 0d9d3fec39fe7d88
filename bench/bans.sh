#!/usr/bin/env bash
# Ban throughput and reconcile, with the real daemon and the real IPSetBlocker in
# a network namespace of our own:
#  1. bans/s: BENCH_BANS distinct addresses x 5 failures appended at once to the
#     watched log; time until all of them are in the kernel sets. The kernel's own
#     floor for comparison: `ipset restore` of as many adds into an empty set.
#  2. reconcile: the store filled with BENCH_BANS active bans (sqlite3), the sets
#     emptied; time from `mini-siem run` until the sets hold them all.
# Writes bench/out/results/bans.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -x "$MS" ] || build_release
R=bans
rm -f "$RESULTS/$R"
NS=msiem-bench-bans-$$
W=$OUT/bans; rm -rf "$W"; mkdir -p "$W"
trap 'daemon_stop; ns_delete' EXIT
ns_create
PLUG=$(plugin_dir plugins-bans)
N=$BENCH_BANS
STALL_S=${BENCH_STALL_S:-20}

# wait_count TARGET START: polls the sets every 50 ms until TARGET entries, or no
# progress for STALL_S s. Sets GOT and ELAPSED (s since START).
wait_count() {
  local target=$1 start=$2 last=-1 last_t; last_t=$(now)
  while :; do
    GOT=$(set_count)
    ELAPSED=$(calc "$(now) - $start" 3)
    [ "$GOT" -ge "$target" ] && return 0
    if [ "$GOT" != "$last" ]; then last=$GOT; last_t=$(now)
    elif awk -v a="$(now)" -v b="$last_t" -v s="$STALL_S" 'BEGIN { exit !(a - b > s) }'; then
      ELAPSED=$(calc "$last_t - $start" 3); return 1
    fi
    sleep 0.05
  done
}

# --- kernel floor: ipset restore ------------------------------------------------
python3 - "$N" > "$W/restore.txt" <<'PY'
import sys
n = int(sys.argv[1])
print("create floor_v4 hash:ip family inet hashsize 65536 maxelem 1048576 timeout 0")
for i in range(n):
    print("add floor_v4 198.%d.%d.%d timeout 86400" % (18 + (i >> 16), (i >> 8) & 0xff, i & 0xff))
PY
T0=$(now); ns ipset restore < "$W/restore.txt"; FLOOR=$(calc "$(now) - $T0" 3)
ns ipset destroy floor_v4
result $R floor_s "$FLOOR" floor_rate "$(rate "$N" "$FLOOR")"
log "kernel floor: ipset restore of $N adds in ${FLOOR}s ($(rate "$N" "$FLOOR") adds/s)"

wait_quiet
# --- 1. ban throughput -----------------------------------------------------------
F=$OUT/logs/bans-s$BENCH_SEED-$N.log
log "generating $N addresses x 5 failures (time stamps: now)"
python3 "$BENCH/gen.py" --seed "$BENCH_SEED" --profile bans --addresses "$N" --failures 5 \
  --rate 20000 --start now -o "$F" 2>/dev/null
LINES=$(wc -l < "$F")
daemon_config
daemon_start "$PLUG"
sleep 1
T0=$(now)
cat "$F" >> "$W/auth.log"
if wait_count "$N" "$T0"; then OK=1; else OK=0; fi
BANS=$GOT; SECS=$ELAPSED
STORED=$(sqlite3 "$W/mini_siem.db" "SELECT COUNT(*) FROM bans WHERE lifted_ns IS NULL" 2>/dev/null || echo "?")
DROPS=$(grep -o 'drop[^"]*' "$W/daemon.err" | head -3 | tr '\n' ' ' || true)
daemon_stop
result $R lines "$LINES" bans "$BANS" bans_s "$SECS" bans_rate "$(rate "$BANS" "$SECS")" bans_complete "$OK" \
  bans_stored "$STORED" queue_capacity "${BENCH_QUEUE_CAPACITY:-4096}" bans_drops "${DROPS:-none logged}"
log "ban throughput: $BANS of $N addresses in the kernel sets ${SECS}s after appending $LINES lines: $(rate "$BANS" "$SECS") bans/s (store: $STORED active bans)"

# --- 2. reconcile at start ---------------------------------------------------------
# The store gets exactly N active bans (a day long), the sets are emptied.
NOW_NS=$(date +%s%N)
sqlite3 "$W/mini_siem.db" <<SQL
BEGIN;
DELETE FROM bans;
WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < $N - 1)
INSERT INTO bans (address, since_ns, until_ns, reason, count, origin, lifted_ns)
SELECT CASE WHEN n % 10 = 9
            THEN printf('2001:db8:bad:%x::%x', n / 65536, n % 65536 + 1)
            ELSE printf('198.%d.%d.%d', 18 + n / 65536, (n / 256) % 256, n % 256) END,
       $NOW_NS, $NOW_NS + 86400000000000, 'benchmark', 1, 'threshold', NULL
FROM i;
COMMIT;
SQL
ACTIVE=$(sqlite3 "$W/mini_siem.db" "SELECT COUNT(*) FROM bans WHERE lifted_ns IS NULL")
ns ipset flush bench_v4; ns ipset flush bench_v6
[ "$(set_count)" = 0 ] || die "sets not empty"
T0=$(now)
daemon_start "$PLUG"
if wait_count "$ACTIVE" "$T0"; then OK=1; else OK=0; fi
RECON=$ELAPSED; GOTR=$GOT
RLINE=$(grep -i 'reconcil' "$W/daemon.err" | tail -2 | sed 's/^[^ ]* //' | tr '\n' ' ' | cut -c1-300)
daemon_stop
result $R reconcile_bans "$ACTIVE" reconcile_in_set "$GOTR" reconcile_s "$RECON" reconcile_complete "$OK" \
  reconcile_log "$RLINE"
log "reconcile: $GOTR of $ACTIVE stored bans in the empty sets ${RECON}s after starting the daemon"
