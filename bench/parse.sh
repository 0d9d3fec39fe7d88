#!/usr/bin/env bash
# Parse + classify only, on the same generated file:
#   wc -l (the floor) | mini-siem check-log --json > /dev/null | mini-siem check-log --summary
#   | sshguard's sshg-parser | fail2ban-regex with Debian's sshd filter (on the first
#   BENCH_F2B_LINES lines: it is ~20x slower).
# Each tool's own count of recognized events and distinct addresses is
# recorded next to its speed. Writes bench/out/results/parse.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -x "$MS" ] || build_release
[ -x "$PEER_ROOT/usr/libexec/sshguard/sshg-parser" ] || bash "$BENCH/peers.sh"
F=$(gen_log "$BENCH_LINES")
LINES=$(wc -l < "$F")
R=parse
rm -f "$RESULTS/$R"
result $R file "${F#$ROOT/}" lines "$LINES"
wait_quiet

row() { # tool lines wall rss events distinct note   (uses T_CPU)
  result $R "$1.lines" "$2" "$1.wall" "$3" "$1.cpu" "$T_CPU" "$1.rss_kb" "$4" "$1.events" "$5" "$1.distinct" "$6" "$1.note" "${7:-}"
  log "$(printf '%-11s %9s lines %7.2fs wall %10s lines/s (%s lines/cpu-s) %7s MiB  events %-9s addrs %s %s' "$1" "$2" "$3" "$(rate "$2" "$3")" "$(rate "$2" "$T_CPU")" "$(mib "$4")" "$5" "$6" "${7:-}")"
}

# The floor: reading the file and counting newlines.
timed_median wc -l "$F"
row wc "$LINES" "$T_WALL" "$T_RSS_KB" - - "reads the file, classifies nothing"

# mini-siem: JSON lines to /dev/null (the timed runs), then one run counted.
timed_median "$MS" check-log "$F" --json
[ "$T_RC" = 0 ] || die "check-log --json failed"
W=$T_WALL; K=$T_RSS_KB; C=$T_CPU
"$MS" check-log "$F" --json > "$OUT/parse-ms.jsonl"
EV=$(wc -l < "$OUT/parse-ms.jsonl")
DI=$(grep -o '"ip":"[^"]*"' "$OUT/parse-ms.jsonl" | sort -u | wc -l)
T_CPU=$C row ms_json "$LINES" "$W" "$K" "$EV" "$DI" "one JSON object per event"
MSDI=$DI
rm -f "$OUT/parse-ms.jsonl"

# mini-siem --summary: parse, classify and the threshold stage, no per-event output.
T_STDOUT=$OUT/parse-ms-summary.txt timed_median "$MS" check-log "$F" --summary
[ "$T_RC" = 0 ] || die "check-log --summary failed"
SEV=$(sed -n 's/^[0-9]* lines, \([0-9]*\) events.*/\1/p' "$OUT/parse-ms-summary.txt" | head -1)
SBL=$(sed -n 's/.*, \([0-9]*\) address(es) would be blocked.*/\1/p' "$OUT/parse-ms-summary.txt" | head -1)
row ms_summary "$LINES" "$T_WALL" "$T_RSS_KB" "${SEV:-?}" "$MSDI" "also runs the threshold stage (${SBL:-0} addresses would be blocked)"

# sshguard's parser: one line per attack on stdout ("service address family dangerousness").
SG=$PEER_ROOT/usr/libexec/sshguard/sshg-parser
T_STDOUT=$OUT/parse-sg.out timed_median bash -c "\"$SG\" < \"$F\""
[ "$T_RC" = 0 ] || die "sshg-parser failed"
EV=$(wc -l < "$OUT/parse-sg.out"); DI=$(awk '{print $2}' "$OUT/parse-sg.out" | sort -u | wc -l)
row sshguard "$LINES" "$T_WALL" "$T_RSS_KB" "$EV" "$DI" "attacks it reports"
rm -f "$OUT/parse-sg.out"

# fail2ban-regex with the sshd filter (mode normal), printing the address of each failure.
F2=$F; N2=$LINES
if [ "$BENCH_F2B_LINES" -lt "$LINES" ]; then F2=$(head_log "$F" "$BENCH_F2B_LINES"); N2=$BENCH_F2B_LINES; fi
F2B_NOTE=""; [ "$N2" -lt "$LINES" ] && F2B_NOTE="first $N2 lines of the same file (too slow for all)"
T_STDOUT=$OUT/parse-f2b.out BENCH_REPEAT=1 timed env PYTHONPATH="$PEER_ROOT/usr/lib/python3/dist-packages" \
  "$PYTHON" "$PEER_ROOT/usr/bin/fail2ban-regex" -r -o ip "$F2" "$PEER_ROOT/etc/fail2ban/filter.d/sshd.conf"
[ "$T_RC" = 0 ] || die "fail2ban-regex failed"
EV=$(wc -l < "$OUT/parse-f2b.out"); DI=$(sort -u "$OUT/parse-f2b.out" | wc -l)
row fail2ban "$N2" "$T_WALL" "$T_RSS_KB" "$EV" "$DI" "$F2B_NOTE"
rm -f "$OUT/parse-f2b.out"
# mini-siem on the same smaller file, so the event counts can be compared.
if [ "$N2" -lt "$LINES" ]; then
  EV=$("$MS" check-log "$F2" --json | wc -l)
  result $R ms_json_small.events "$EV" ms_json_small.lines "$N2"
fi

# The same messages with RFC 3339 time stamps (rsyslog's RSYSLOG_FileFormat).
if [ "${BENCH_PARSE_RFC3339:-1}" = 1 ] && [ "$BENCH_FORMAT" = classic ]; then
  FR=$(gen_log "$BENCH_LINES" rfc3339)
  T_STDOUT=$OUT/parse-ms-summary.txt timed_median "$MS" check-log "$FR" --summary
  SEV=$(sed -n 's/^[0-9]* lines, \([0-9]*\) events.*/\1/p' "$OUT/parse-ms-summary.txt" | head -1)
  row ms_summary_rfc "$LINES" "$T_WALL" "$T_RSS_KB" "${SEV:-?}" "$MSDI" "RFC 3339 time stamps"
  T_STDOUT=$OUT/parse-sg.out timed_median bash -c "\"$SG\" < \"$FR\""
  EV=$(wc -l < "$OUT/parse-sg.out"); DIS=$(awk '{print $2}' "$OUT/parse-sg.out" | sort -u | wc -l)
  row sshguard_rfc "$LINES" "$T_WALL" "$T_RSS_KB" "$EV" "$DIS" "RFC 3339 time stamps"
  rm -f "$OUT/parse-sg.out"
fi
rm -f "$OUT/parse-ms-summary.txt"
