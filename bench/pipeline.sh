#!/usr/bin/env bash
# The full pipeline on the same generated file:
#   mini-siem replay (parse, detect, decide, SQLite audit of every event and
#   action, ipset_blocker loaded with dry_run: true)
#   vs CrowdSec's time-machine mode: crowdsec -dsn file://F -type syslog -no-api,
#   pushing its alerts to its own local API on 127.0.0.1 (a second crowdsec
#   process, -no-cs -no-capi), on the first BENCH_CROWDSEC_LINES lines.
# Writes bench/out/results/pipeline.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -x "$MS" ] || build_release
"$MS" replay --help >/dev/null 2>&1 || die "this mini-siem has no 'replay' command yet"
F=$(gen_log "$BENCH_LINES")
LINES=$(wc -l < "$F")
R=pipeline
rm -f "$RESULTS/$R"
result $R file "${F#$ROOT/}" lines "$LINES"
W=$OUT/pipeline; rm -rf "$W"; mkdir -p "$W"
PLUG=$(plugin_dir)

replay_config "$W" "$PLUG"
wait_quiet

# --- mini-siem replay (median of BENCH_REPEAT runs, each on a new database) ---
runs=(); rss=0
for ((i = 0; i < ${BENCH_REPEAT:-3}; i++)); do
  rm -rf "$W/mini_siem.db"* "$W/logs"
  # The daemon's own stderr log (info level, as shipped) goes to a file.
  T_STDOUT=$W/replay.out timed "$MS" replay "$F" --config "$W/config.yaml" 2> "$W/replay.err"
  [ "$T_RC" = 0 ] || { cat "$W/replay.out" "$W/replay.err" >&2; die "mini-siem replay failed"; }
  runs+=("$T_WALL $T_CPU"); [ "$T_RSS_KB" -gt "$rss" ] && rss=$T_RSS_KB
  log "replay run $((i + 1)): ${T_WALL}s, $(mib "$T_RSS_KB") MiB: $(tr '\n' ' ' < "$W/replay.out")"
done
read -r WALL CPU < <(printf '%s\n' "${runs[@]}" | sort -g | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')
EV=$(sed -n 's/.*events stored \([0-9]*\).*/\1/p' "$W/replay.out")
BL=$(sed -n 's/.*blocks \([0-9]*\).*/\1/p' "$W/replay.out")
DI=$(sqlite3 "$W/mini_siem.db" "SELECT COUNT(DISTINCT address) FROM events WHERE address IS NOT NULL")
NB=$(sqlite3 "$W/mini_siem.db" "SELECT COUNT(*) FROM bans")
NE=$(sqlite3 "$W/mini_siem.db" "SELECT COUNT(*) FROM events")
NA=$(sqlite3 "$W/mini_siem.db" "SELECT COUNT(*) FROM actions")
DBSIZE=$(du -k "$W/mini_siem.db" | cut -f1)
result $R ms.lines "$LINES" ms.wall "$WALL" ms.cpu "$CPU" ms.rss_kb "$rss" ms.events "$EV" ms.distinct "$DI" \
  ms.blocks "$BL" ms.banned "$NB" ms.db_events "$NE" ms.db_actions "$NA" ms.db_kb "$DBSIZE" \
  ms.note "events in the audit: $NE, actions: $NA, database $(mib "$DBSIZE") MiB"
log "mini-siem replay: $(rate "$LINES" "$WALL") lines/s, $(mib "$rss") MiB, $EV events, $DI addresses, $NB banned"

# The same with log_level: warning (no info line per event in security.log/stderr):
# how much of the time the per-event log lines take.
sed 's|^plugins:|log_level: warning\nplugins:|' "$W/config.yaml" > "$W/config-warning.yaml"
rm -rf "$W/mini_siem.db"* "$W/logs"
T_STDOUT=$W/replay-warning.out timed "$MS" replay "$F" --config "$W/config-warning.yaml" 2> "$W/replay-warning.err"
[ "$T_RC" = 0 ] || { cat "$W/replay-warning.out" "$W/replay-warning.err" >&2; die "mini-siem replay (warning) failed"; }
result $R msw.lines "$LINES" msw.wall "$T_WALL" msw.cpu "$T_CPU" msw.rss_kb "$T_RSS_KB" \
  msw.events "$(sed -n 's/.*events stored \([0-9]*\).*/\1/p' "$W/replay-warning.out")" msw.distinct "$DI" \
  msw.banned "$(sqlite3 "$W/mini_siem.db" 'SELECT COUNT(*) FROM bans')"
log "mini-siem replay, log_level warning: $(rate "$LINES" "$T_WALL") lines/s, $(mib "$T_RSS_KB") MiB"

# --- CrowdSec -------------------------------------------------------------
if [ "${BENCH_SKIP_CROWDSEC:-0}" = 1 ]; then result $R cs.note "skipped (BENCH_SKIP_CROWDSEC=1)"; exit 0; fi
[ -x "$PEER_ROOT/usr/bin/crowdsec" ] || bash "$BENCH/peers.sh"
CS=$PEERS/crowdsec
CSCFG=$CS/etc/config.yaml
CS_PORT=$(sed -n 's|.*listen_uri: 127.0.0.1:\([0-9]*\)|\1|p' "$CSCFG")
PROM_PORT=$(sed -n 's|.*listen_port: \([0-9]*\)|\1|p' "$CSCFG")
grep -q 'listen_uri: 127.0.0.1:' "$CSCFG" || die "CrowdSec's LAPI must listen on loopback"
grep -q 'online_client' "$CSCFG" && die "CrowdSec config has an online_client"
# Prometheus on loopback only, for the agent's own count of parsed sshd lines.
sed -i 's/^  enabled: false/  enabled: true/; s/^  listen_addr: .*/  listen_addr: 127.0.0.1/' "$CSCFG"
CSF=$F; CSN=$LINES
if [ "$BENCH_CROWDSEC_LINES" -lt "$LINES" ]; then CSF=$(head_log "$F" "$BENCH_CROWDSEC_LINES"); CSN=$BENCH_CROWDSEC_LINES; fi
CSBIN=$PEER_ROOT/usr/bin/crowdsec
CSCLI=( "$PEER_ROOT/usr/bin/cscli" -c "$CSCFG" )
# The LAPI process gets the same config without Prometheus (the port is the agent's).
sed '/^prometheus:/,$ s/^  enabled: true/  enabled: false/' "$CSCFG" > "$CS/etc/config-lapi.yaml"

(exec 3<>"/dev/tcp/127.0.0.1/$CS_PORT") 2>/dev/null && die "127.0.0.1:$CS_PORT is in use: set BENCH_CROWDSEC_PORT and run peers.sh --force"
"$CSBIN" -c "$CS/etc/config-lapi.yaml" -no-cs -no-capi > "$CS/log/lapi.out" 2>&1 &
LAPI=$!
trap 'stop_pid $LAPI' EXIT
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$CS_PORT") 2>/dev/null && break
  kill -0 $LAPI 2>/dev/null || { cat "$CS/log/lapi.out" >&2; die "CrowdSec LAPI did not start"; }
  sleep 0.2
done
"${CSCLI[@]}" --error alerts delete --all >/dev/null 2>&1 || true

# The agent, timed; its metrics scraped every 0.2 s (the last scrape has the totals:
# the agent takes ~2 s to shut down after its acquisition ends).
rm -f "$W/cs-metrics"*
(
  while true; do
    curl -s -m 1 "http://127.0.0.1:$PROM_PORT/metrics" > "$W/cs-metrics.tmp" 2>/dev/null \
      && [ -s "$W/cs-metrics.tmp" ] && mv "$W/cs-metrics.tmp" "$W/cs-metrics"
    sleep 0.2
  done
) &
SCRAPER=$!
(exec 3<>"/dev/tcp/127.0.0.1/$PROM_PORT") 2>/dev/null && die "127.0.0.1:$PROM_PORT (CrowdSec's Prometheus port) is in use"
T_STDOUT=$W/cs-agent.out timed "$CSBIN" -c "$CSCFG" -dsn "file://$CSF" -type syslog -no-api 2> "$W/cs-agent.err"
{ kill $SCRAPER; wait $SCRAPER; } 2>/dev/null || true
[ "$T_RC" = 0 ] || log "crowdsec agent exited with $T_RC"
CSWALL=$T_WALL; CSRSS=$T_RSS_KB; CSCPU=$T_CPU
LAPI_RSS=$(vmhwm $LAPI)
metric() { awk -v k="$1" 'index($0, k) == 1 {s += $NF} END {printf "%d", s}' "$W/cs-metrics" 2>/dev/null; }
CSREAD=$(metric 'cs_filesource_hits_total')
CSEV=$(metric 'cs_node_hits_ok_total{name="crowdsecurity/sshd-logs"')
sleep 1
"${CSCLI[@]}" alerts list -o json -l 0 2>/dev/null > "$W/cs-alerts.json" || true
read -r CSAL CSDI < <(python3 -c '
import json, sys
try: a = json.load(open(sys.argv[1])) or []
except Exception: a = []
print(len(a), len({x["source"].get("ip") for x in a if x.get("source")}))' "$W/cs-alerts.json")
stop_pid $LAPI; trap - EXIT
CSNOTE="agent on the first $CSN lines"; [ "$CSN" = "$LINES" ] && CSNOTE="agent"
CSNOTE="$CSNOTE; read $CSREAD lines; alerts $CSAL; LAPI peak RSS $(mib "$LAPI_RSS") MiB"
result $R cs.lines "$CSN" cs.wall "$CSWALL" cs.cpu "$CSCPU" cs.rss_kb "$CSRSS" cs.events "$CSEV" cs.distinct "$CSDI" \
  cs.alerts "$CSAL" cs.lapi_rss_kb "$LAPI_RSS" cs.read "$CSREAD" cs.note "$CSNOTE"
log "crowdsec: $CSN lines in ${CSWALL}s = $(rate "$CSN" "$CSWALL") lines/s, $(mib "$CSRSS") MiB, sshd lines parsed $CSEV, alerts $CSAL from $CSDI addresses"

# mini-siem on the same smaller file, for the counts.
if [ "$CSN" -lt "$LINES" ]; then
  rm -rf "$W/mini_siem.db"* "$W/logs"
  T_STDOUT=$W/replay-small.out timed "$MS" replay "$CSF" --config "$W/config.yaml" 2> "$W/replay-small.err"
  result $R ms_small.lines "$CSN" ms_small.wall "$T_WALL" ms_small.cpu "$T_CPU" ms_small.rss_kb "$T_RSS_KB" \
    ms_small.events "$(sed -n 's/.*events stored \([0-9]*\).*/\1/p' "$W/replay-small.out")" \
    ms_small.banned "$(sqlite3 "$W/mini_siem.db" 'SELECT COUNT(*) FROM bans')"
fi
