#!/usr/bin/env bash
# End-to-end test of the ssh_source plugin with real files, inotify and journal
# files, through tests/fixtures/source_driver.c (a minimal host).
#
#   tests/ssh_source_test.sh [BUILD_DIR]     # BUILD_DIR defaults to `swift build --show-bin-path`
#
# Run as root after `swift build` (the journal step may apt-get install
# systemd-journal-remote). Needs cc and perl (Essential on Debian).
# No step asserts a duration: every wait polls for a condition, up to $WAIT s.
# A negative claim ("nothing old was emitted") is checked after a later line
# was emitted, since the plugin reads in order.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$repo/tests/lib/testlib.sh"
bin=${1:-$(cd "$repo" && swift build --show-bin-path)}
plugin=$bin/libssh_source.so
fixtures=${SSH_SOURCE_FIXTURES:-$repo/Tests/SSHLogTests/Fixtures/sshd}
corpus=$fixtures/openssh-debian12-traditional.log
expected=$fixtures/openssh-debian12-expected.jsonl
WAIT=${WAIT:-30}

tmp=$(mktemp -d /tmp/ssh_source_test.XXXXXX)
pids=()
driver_pid=""
driver_err=""

cleanup() {
    local status=$? pid
    if [ "$status" -ne 0 ] && [ -n "$driver_err" ] && [ -f "$driver_err" ]; then
        echo "    driver stderr ($driver_err), last lines:" >&2
        tail -n 20 "$driver_err" | sed 's/^/      | /' >&2
    fi
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

[ -f "$plugin" ] || fail "no plugin at $plugin (run swift build first)"
[ -f "$corpus" ] || fail "no corpus at $corpus"
[ -f "$expected" ] || fail "no expected labels at $expected"
command -v perl >/dev/null || fail "perl is required"

driver=$tmp/source_driver
cc -Wall -I "$repo/Sources/PluginABI/include" -o "$driver" "$repo/tests/fixtures/source_driver.c" -ldl -lpthread \
    || fail "cannot compile the driver"

# ---- helpers ---------------------------------------------------------------

# wait_until DESCRIPTION COMMAND...: polls COMMAND every 0.1 s for up to $WAIT s.
wait_until() {
    local what=$1 i
    shift
    for ((i = 0; i < WAIT * 10; i++)); do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    fail "timed out after ${WAIT}s waiting for: $what"
}

# start_driver OUT ERR STATE AUTH_LOGS_JSON CONFIG_JSON: starts the driver, waits
# until its start() returned. OUT and ERR are appended to across restarts.
start_driver() {
    local out=$1 err=$2 before
    before=$(started_count "$err")
    driver_err=$err
    SIEM_TEST_STATE=$3 SIEM_TEST_AUTH_LOGS=$4 SIEM_TEST_CONFIG=$5 "$driver" "$plugin" >>"$out" 2>>"$err" &
    driver_pid=$!
    pids+=("$driver_pid")
    wait_until "driver start" driver_started "$err" "$before"
}
started_count() { if [ -f "$1" ]; then grep -c '^driver: started' "$1" || true; else echo 0; fi; }
driver_started() {
    kill -0 "$driver_pid" 2>/dev/null || fail "driver exited: $(tail -n 3 "$1")"
    [ "$(started_count "$1")" -gt "$2" ]
}

stop_driver() {
    kill -TERM "$driver_pid"
    local rc=0
    wait "$driver_pid" || rc=$?
    forget_pid "$driver_pid"
    driver_pid=""
    [ "$rc" -eq 0 ] || fail "driver exited with $rc on SIGTERM"
}
# forget_pid PID: once reaped, a PID may be reused; cleanup must not signal it.
forget_pid() {
    local keep=() pid
    for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || keep+=("$pid"); done
    pids=("${keep[@]}")
}

# tsv FIELDS FILE: the given fields of each JSON line, tab-separated, unescaped.
tsv() {
    perl -e '
        my @fields = split /,/, shift;
        my %esc = (n => "\n", t => "\t", r => "\r", b => "\b", f => "\f");
        while (my $line = <>) {
            my @out;
            for my $k (@fields) {
                if ($line =~ /"\Q$k\E":\s*(null|-?\d+|"((?:[^"\\]|\\.)*)")/) {
                    my $v = defined $2 ? $2 : $1;
                    $v =~ s{\\(u[0-9a-fA-F]{4}|.)}{length($1) > 1 ? chr(hex(substr($1, 1))) : ($esc{$1} // $1)}ge;
                    push @out, $v;
                } else {
                    push @out, "MISSING";
                }
            }
            print join("\t", @out), "\n";
        }' "$1" "$2"
}

count_lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
has_at_least() { [ "$(count_lines "$2")" -ge "$1" ]; }
# emitted_port N OUT: an event with port N was emitted.
emitted_port() { grep -q "\"port\":$1," "$2"; }
ports() { tsv port "$1" | sort -n; }
no_duplicate_ports() {
    local dups
    dups=$(ports "$1" | uniq -d | head -n 5 | tr '\n' ' ')
    [ -z "$dups" ] || fail "$2: emitted twice: $dups"
}

stamp=$(LC_ALL=C date '+%b %e %H:%M:%S')
# sshd_line N: a recognised sshd line whose port (and pid) is N, so N identifies it.
sshd_line() {
    printf '%s bastion sshd[%d]: Failed password for invalid user test%d from 198.51.100.66 port %d ssh2\n' \
        "$stamp" "$1" "$1" "$1"
}
# numbers_in FILES...: the port numbers of the sshd_lines in FILES.
numbers_in() { cat "$@" 2>/dev/null | sed -n 's/.* port \([0-9]*\) ssh2$/\1/p' | sort -n; }

# writer LOG FIRST LEDGER: appends sshd_line FIRST, FIRST+1, ... to LOG through
# one descriptor in append mode, as a syslog daemon does; reopens LOG on SIGHUP
# (logrotate's postrotate). Each number is also recorded in LEDGER. SIGTERM
# ends it after a whole iteration, so LEDGER and LOG agree.
writer() {
    local log=$1 i=$2 ledger=$3 stopping=""
    exec 3>>"$log"
    trap 'exec 3>>"$log"' HUP
    trap 'stopping=1' TERM
    while [ -z "$stopping" ]; do
        sshd_line "$i" >&3
        echo "$i" >>"$ledger"
        i=$((i + 1))
        sleep 0.002
    done
}
start_writer() {
    writer "$@" &
    writer_pid=$!
    pids+=("$writer_pid")
}
stop_writer() {
    kill -TERM "$writer_pid"
    local rc=0
    wait "$writer_pid" || rc=$?
    forget_pid "$writer_pid"
    [ "$rc" -eq 0 ] || fail "the writer exited with $rc"
}

# ---- 0. config --------------------------------------------------------------
step "0. an unknown config key is refused, by name"
d=$tmp/s0 && mkdir -p "$d"
if SIEM_TEST_AUTH_LOGS='["/nonexistent"]' SIEM_TEST_CONFIG='{"mode":"files","mdoe":"x"}' \
    "$driver" "$plugin" 1 >"$d/out" 2>"$d/err"; then
    fail "a config with an unknown key was accepted"
fi
grep -q "mdoe" "$d/err" || fail "the error does not name the unknown key: $(cat "$d/err")"
ok "$(grep -o "unknown key.*" "$d/err" | head -n 1)"

# ---- 1. appended lines --------------------------------------------------------
step "1. lines appended in odd-sized chunks are emitted, in order, with kind and address"
d=$tmp/s1 && mkdir -p "$d"
log=$d/auth.log
echo "$stamp bastion sshd[1]: Failed password for root from 198.51.100.99 port 1 ssh2" >"$log" # old: must not be emitted
start_driver "$d/out" "$d/err" "$d/state" "[\"$log\"]" '{}' # mode auto: the file exists
size=$(wc -c <"$corpus")
sizes=(1 7 300 4096 13 1000 2 65537 9)
off=0 i=0
while [ "$off" -lt "$size" ]; do
    n=${sizes[$((i % ${#sizes[@]}))]}
    dd if="$corpus" iflag=skip_bytes,count_bytes skip="$off" count="$n" status=none >>"$log"
    off=$((off + n)) i=$((i + 1))
    if [ $((i % 10)) -eq 0 ]; then sleep 0.01; fi # let some chunks be read separately
done
# What expected.jsonl labels as events, in the driver's terms.
perl -e '
    my %kind = (auth_failure => 1, invalid_user => 2, user_not_allowed => 3, root_refused => 4,
                max_auth_exceeded => 5, preauth_disconnect => 6, protocol_error => 7, auth_success => 8);
    while (<STDIN>) {
        my ($event, $ip, $text) = split /\t/, $_, 3;
        next if $event eq "null";
        chomp $text;
        my $family = $ip eq "null" ? 0 : ($ip =~ /:/ ? 6 : 4);
        my $severity = $event eq "auth_success" ? 0 : 1;
        print join("\t", $kind{$event}, $ip, $family, $severity, $ARGV[0], $text), "\n";
    }' "$log" < <(tsv event,ip,text "$expected") >"$d/want"
want=$(count_lines "$d/want")
[ "$want" -gt 300 ] || fail "expected.jsonl gave only $want events"
wait_until "$want events" has_at_least "$want" "$d/out"
tsv kind,address,family,severity,source,raw "$d/out" >"$d/got"
diff "$d/want" "$d/got" >"$d/diff" || fail "emitted events differ from expected.jsonl: $(head -n 6 "$d/diff")"
stop_driver
ok "$want events, as labelled"

# ---- 2. rename rotation ---------------------------------------------------------
step "2. rotation by rename (+create, +HUP) under continuous writes: no line lost, none twice"
d=$tmp/s2 && mkdir -p "$d"
log=$d/auth.log
: >"$log"
start_driver "$d/out" "$d/err" "$d/state" "[\"$log\"]" '{"mode":"files"}'
start_writer "$log" 1000 "$d/ledger"
wait_until "first lines" has_at_least 20 "$d/out"
for r in 1 2 3; do
    [ -f "$log.1" ] && mv "$log.1" "$log.2.$r"
    mv "$log" "$log.1"
    # Like logrotate: the writer keeps writing into the renamed file until HUP.
    # Rotation 2 lets the writer create the new file itself (no "create").
    if [ "$r" -ne 2 ]; then : >"$log"; fi
    sleep 0.3
    kill -HUP "$writer_pid"
    wait_until "lines after rotation $r" has_at_least $(($(count_lines "$d/out") + 200)) "$d/out"
done
stop_writer
numbers_in "$log"* >"$d/written"
[ "$(count_lines "$d/written")" -eq "$(count_lines "$d/ledger")" ] || fail "the files lost lines by themselves?"
all_emitted() { [ "$(count_lines "$d/out")" -ge "$(count_lines "$d/written")" ]; }
wait_until "all $(count_lines "$d/written") lines" all_emitted
stop_driver # joins the reader: anything emitted late is in the output now
no_duplicate_ports "$d/out" "rename rotation"
ports "$d/out" >"$d/got"
diff "$d/written" "$d/got" >"$d/diff" || fail "rename rotation: emitted != written: $(head -n 6 "$d/diff")"
ok "$(count_lines "$d/written") lines over 3 rotations, each once"

# ---- 3. copytruncate -------------------------------------------------------------
step "3. copytruncate under continuous writes"
# copytruncate copies the file, then truncates it. A line written after the
# reader's last read and before the truncation is gone from the file before
# anyone can read it (it may or may not be in the copy, which the plugin does
# not read). So this step asserts: no line twice; nothing invented; every line
# written after a truncation is emitted; and every lost line lies in such a
# window, i.e. all lines from it up to the truncation are lost too (a lost
# line followed by an emitted one in the same generation would be a bug).
d=$tmp/s3 && mkdir -p "$d"
log=$d/auth.log
: >"$log"
start_driver "$d/out" "$d/err" "$d/state" "[\"$log\"]" '{"mode":"files"}'
start_writer "$log" 20000 "$d/ledger"
wait_until "first lines" has_at_least 20 "$d/out"
for r in 1 2 3; do
    cp "$log" "$d/copy.$r"
    truncate -s 0 "$log"
    wait_until "lines after truncation $r" has_at_least $(($(count_lines "$d/out") + 200)) "$d/out"
done
stop_writer
sort -n "$d/ledger" >"$d/written"
numbers_in "$log" >"$d/final"
emitted_all_final() { [ -z "$(ports "$d/out" | comm -13 - "$d/final")" ]; }
wait_until "every line of the final generation" emitted_all_final
stop_driver
no_duplicate_ports "$d/out" "copytruncate"
ports "$d/out" >"$d/got"
invented=$(comm -13 "$d/written" "$d/got" | head -n 3 | tr '\n' ' ')
[ -z "$invented" ] || fail "copytruncate: emitted lines never written: $invented"
# Generation starts: the first number in each copy after the first, and in the final file.
{ for r in 2 3; do numbers_in "$d/copy.$r" | head -n 1; done; head -n 1 "$d/final"; } >"$d/starts"
lost=$(comm -23 "$d/written" "$d/got")
for n in $lost; do
    next=$(awk -v n="$n" '$1 > n { print; exit }' "$d/starts")
    [ -n "$next" ] || fail "copytruncate: line $n lost after the last truncation"
    awk -v n="$n" -v e="$next" '$1 > n && $1 < e { found = 1 } END { exit !found }' "$d/got" \
        && fail "copytruncate: line $n lost, but a later line of the same generation was emitted"
done
ok "$(count_lines "$d/got") of $(count_lines "$d/written") lines emitted once; $(echo "$lost" | grep -c . || true) lost at truncation instants"

# ---- 4. restart -----------------------------------------------------------------
step "4. restart: exactly the lines written while stopped, also across a rotation while stopped"
d=$tmp/s4 && mkdir -p "$d"
log=$d/auth.log
for i in $(seq 1 50); do sshd_line "$i"; done >"$log"
start_driver "$d/out1" "$d/err" "$d/state" "[\"$log\"]" '{"mode":"files","read_from_start":true}'
wait_until "the first 50" has_at_least 50 "$d/out1"
stop_driver
for i in $(seq 51 60); do sshd_line "$i"; done >>"$log"
start_driver "$d/out2" "$d/err" "$d/state" "[\"$log\"]" '{"mode":"files","read_from_start":true}'
wait_until "line 60" emitted_port 60 "$d/out2"
[ "$(ports "$d/out2" | tr '\n' ' ')" = "$(seq 51 60 | tr '\n' ' ')" ] || fail "restart: got $(ports "$d/out2" | tr '\n' ' ')"
stop_driver
for i in $(seq 61 70); do sshd_line "$i"; done >>"$log"
mv "$log" "$log.1"
for i in $(seq 71 80); do sshd_line "$i"; done >"$log"
start_driver "$d/out3" "$d/err" "$d/state" "[\"$log\"]" '{"mode":"files","read_from_start":true}'
wait_until "line 80" emitted_port 80 "$d/out3"
[ "$(ports "$d/out3" | tr '\n' ' ')" = "$(seq 61 80 | tr '\n' ' ')" ] \
    || fail "restart after rotation: got $(ports "$d/out3" | tr '\n' ' ')"
stop_driver
ok "51-60 after a restart; 61-70 from auth.log.1 and 71-80 from the new file after a rotation while stopped"

# ---- 5. files that appear later -----------------------------------------------------
step "5. a file (and a directory) that do not exist at start are read when they appear"
d=$tmp/s5 && mkdir -p "$d"
log=$d/auth.log
later=$d/later/secure
start_driver "$d/out" "$d/err" "$d/state" "[\"$log\",\"$later\"]" '{"mode":"files"}'
for i in 1 2 3; do sshd_line "$i"; done >"$log"
wait_until "lines of the new file" emitted_port 3 "$d/out"
mkdir -p "$d/later" # found by the safety re-check: there was no directory to watch
for i in 4 5; do sshd_line "$i"; done >"$later"
wait_until "lines of the file in the new directory" emitted_port 5 "$d/out"
sshd_line 6 >>"$later"
wait_until "a line appended to it" emitted_port 6 "$d/out"
[ "$(ports "$d/out" | tr '\n' ' ')" = "1 2 3 4 5 6 " ] || fail "got $(ports "$d/out" | tr '\n' ' ')"
grep -q "$(printf 'source":"%s"' "$later")" "$d/out" || fail "source is not the path of the second file"
stop_driver
ok "both files read from their first line"

# ---- 6. partial lines -----------------------------------------------------------------
step "6. a partial last line is emitted once, when completed (also across a restart); an overlong line is dropped"
d=$tmp/s6 && mkdir -p "$d"
log=$d/auth.log
marker=$d/marker.log
: >"$log" && : >"$marker"
start_driver "$d/out" "$d/err" "$d/state" "[\"$log\",\"$marker\"]" '{"mode":"files"}'
line=$(sshd_line 7001)
printf '%s' "${line:0:50}" >>"$log"
sshd_line 1 >>"$marker" # both files are polled on every wake-up, the log first
wait_until "the marker" emitted_port 1 "$d/out"
emitted_port 7001 "$d/out" && fail "a partial line was emitted"
printf '%s\n' "${line:50}" >>"$log"
wait_until "the completed line" emitted_port 7001 "$d/out"
[ "$(tsv raw "$d/out" | grep -c 'port 7001 ssh2$')" -eq 1 ] || fail "the completed line is not there exactly once, whole"
line=$(sshd_line 7002)
printf '%s' "${line:0:30}" >>"$log"
sshd_line 2 >>"$marker"
wait_until "the second marker" emitted_port 2 "$d/out"
stop_driver
printf '%s\n' "${line:30}" >>"$log"
start_driver "$d/out" "$d/err" "$d/state" "[\"$log\",\"$marker\"]" '{"mode":"files"}'
wait_until "the line completed while stopped" emitted_port 7002 "$d/out"
{ printf 'x%.0s' $(seq 20000); echo; sshd_line 7003; } >>"$log"
wait_until "the line after an overlong one" emitted_port 7003 "$d/out"
wait_until "the overlong line reported" grep -q "dropped 1 line" "$d/err" # logged after the chunk's lines
[ "$(ports "$d/out" | tr '\n' ' ')" = "1 2 7001 7002 7003 " ] || fail "got $(ports "$d/out" | tr '\n' ' ')"
[ "$(tsv raw "$d/out" | grep -c 'port 7002 ssh2$')" -eq 1 ] || fail "the line completed while stopped is not whole"
stop_driver
ok "each line once and whole; the 20000-byte line dropped and reported"

# ---- 7. first start ------------------------------------------------------------------
step "7. first start begins at the end of an existing file; read_from_start reads it all"
d=$tmp/s7 && mkdir -p "$d"
log=$d/auth.log
cp "$corpus" "$log"
start_driver "$d/out1" "$d/err" "$d/state1" "[\"$log\"]" '{}'
sshd_line 9001 >>"$log"
wait_until "the new line" emitted_port 9001 "$d/out1"
[ "$(count_lines "$d/out1")" -eq 1 ] || fail "old lines were emitted on first start: $(count_lines "$d/out1") events"
stop_driver
start_driver "$d/out2" "$d/err" "$d/state2" "[\"$log\"]" '{"read_from_start":true}'
wait_until "line 9001" emitted_port 9001 "$d/out2"
[ "$(count_lines "$d/out2")" -eq $((want + 1)) ] || fail "read_from_start: $(count_lines "$d/out2") events, want $((want + 1))"
stop_driver
ok "1 event from the end; $((want + 1)) with read_from_start"

# ---- 8. journal -------------------------------------------------------------------
step "8. the journal: read, follow new files, resume from the cursor, ignore other and forged senders"
remote=""
for c in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
    [ -x "$c" ] && remote=$c && break
done
if [ -z "$remote" ]; then
    apt-get install -y systemd-journal-remote >/dev/null || fail "cannot install systemd-journal-remote"
    remote=/lib/systemd/systemd-journal-remote
fi
d=$tmp/s8 && mkdir -p "$d/journal"
usec=$(($(date +%s) * 1000000))
entries=$d/entries
# entry IDENT COMM PORT: queues one export-format entry; the port identifies it.
entry() {
    usec=$((usec + 1000))
    {
        printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=0123456789abcdef0123456789abcdef\n' "$usec" "$usec"
        printf 'SYSLOG_IDENTIFIER=%s\n_COMM=%s\n_PID=%s\nSYSLOG_PID=%s\n_HOSTNAME=bastion\n' "$1" "$2" "$3" "$3"
        printf 'MESSAGE=Failed password for root from 198.51.100.9 port %s ssh2\n\n' "$3"
    } >>"$entries"
}
# journal_file NAME: writes the queued entries into journal file NAME with journal-remote.
journal_file() {
    "$remote" --output="$d/journal/$1.journal" - <"$entries" >/dev/null 2>"$d/remote.err" \
        || fail "systemd-journal-remote: $(cat "$d/remote.err")"
    : >"$entries"
}
entry sshd sshd 101
entry sshd-session sshd-session 102
entry cron cron 103
entry sshd logger 104 # forged: any local user may pick SYSLOG_IDENTIFIER
entry sshd-auth sshd-auth 105
journal_file a
jconfig="{\"mode\":\"journal\",\"journal_directory\":\"$d/journal\",\"read_from_start\":true}"
start_driver "$d/out" "$d/err" "$d/state" '["/nonexistent"]' "$jconfig"
wait_until "the existing sshd entries" emitted_port 105 "$d/out"
entry sshd-session sshd-session 106
journal_file b
wait_until "an entry in a new journal file" emitted_port 106 "$d/out"
entry sshd-session sshd-session 107
journal_file b
wait_until "an entry appended to that file" emitted_port 107 "$d/out"
stop_driver
entry sshd sshd 108
entry sshd-session sshd-session 109
journal_file c
start_driver "$d/out" "$d/err" "$d/state" '["/nonexistent"]' "$jconfig"
wait_until "entries written while stopped" emitted_port 109 "$d/out"
stop_driver
[ "$(ports "$d/out" | tr '\n' ' ')" = "101 102 105 106 107 108 109 " ] \
    || fail "journal: got ports $(ports "$d/out" | tr '\n' ' '), want 101 102 105 106 107 108 109 (103: cron, 104: forged by logger)"
tsv source,service,pid,address "$d/out" | head -n 1 | grep -q "^journal	sshd	101	198.51.100.9$" \
    || fail "journal event fields: $(tsv source,service,pid,address "$d/out" | head -n 1)"
# First start without read_from_start follows from the tail.
start_driver "$d/out2" "$d/err" "$d/state2" '["/nonexistent"]' "{\"mode\":\"journal\",\"journal_directory\":\"$d/journal\"}"
entry sshd sshd 110
journal_file d
wait_until "a new entry after a tail start" emitted_port 110 "$d/out2"
[ "$(ports "$d/out2" | tr '\n' ' ')" = "110 " ] || fail "tail start emitted old entries: $(ports "$d/out2" | tr '\n' ' ')"
stop_driver
ok "ports 101 102 105-109 once each (cron and forged entries ignored); a tail start emits only 110"

printf '\nssh_source: all steps passed\n'
