# Shared helpers for the benchmark scripts; sourced, not run.
# Everything lands in bench/out/ (gitignored). Sizes come from the environment.

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
OUT=${BENCH_OUT:-$BENCH/out}
PEERS=$OUT/peers
PEER_ROOT=$PEERS/root
BUILD=${BENCH_BUILD:-$OUT/build}
MS=$BUILD/release/mini-siem
RESULTS=$OUT/results          # one key=value file per benchmark, gathered by report.sh
PYTHON=${BENCH_PYTHON:-/usr/bin/python3}   # Debian's python3, which fail2ban is packaged for

BENCH_SEED=${BENCH_SEED:-1}
BENCH_LINES=${BENCH_LINES:-1000000}              # parse + pipeline file
BENCH_FORMAT=${BENCH_FORMAT:-classic}
BENCH_F2B_LINES=${BENCH_F2B_LINES:-200000}       # fail2ban-regex is slow: smaller file
BENCH_CROWDSEC_LINES=${BENCH_CROWDSEC_LINES:-100000}  # CrowdSec replay is slower still
BENCH_MEM_ADDRESSES=${BENCH_MEM_ADDRESSES:-1000000}
BENCH_FLAT_LINES=${BENCH_FLAT_LINES:-10000000}  # RSS sampled across this run
BENCH_BANS=${BENCH_BANS:-100000}
BENCH_LATENCY_N=${BENCH_LATENCY_N:-1000}

mkdir -p "$OUT" "$RESULTS"

log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# Waits (politely) while someone else on this machine compiles Swift, so the
# numbers are not taken on a machine at 100 % of its cores. BENCH_NO_WAIT=1 skips.
wait_quiet() {
  [ "${BENCH_NO_WAIT:-0}" = 1 ] && return 0
  local waited=0
  while pgrep -f 'swift-build|swift-frontend' >/dev/null 2>&1 && [ $waited -lt "${BENCH_WAIT_MAX:-600}" ]; do
    [ $waited = 0 ] && log "another Swift build is running; waiting up to ${BENCH_WAIT_MAX:-600}s for it to finish"
    sleep 5; waited=$((waited + 5))
  done
  [ $waited -gt 0 ] && log "waited ${waited}s for other builds"
  return 0
}

# Builds mini-siem in release mode into its own scratch directory. Other people
# edit and build this checkout at the same time, so the build works on a
# snapshot of the working tree (tracked and untracked, not ignored files) in
# bench/out/src, refreshed file by file (unchanged files keep their inode and
# mtime, so the build stays incremental). BENCH_SNAPSHOT=0 builds in place.
snapshot_src() {
  local src=$OUT/src f
  mkdir -p "$src"
  (cd "$ROOT" && git ls-files -co --exclude-standard | grep -v '^bench/') > "$OUT/src.files"
  [ -f "$ROOT/Package.resolved" ] && echo Package.resolved >> "$OUT/src.files"
  while IFS= read -r f; do
    [ -f "$ROOT/$f" ] || continue
    if ! cmp -s "$ROOT/$f" "$src/$f"; then
      mkdir -p "$(dirname "$src/$f")"; cp -p "$ROOT/$f" "$src/$f"
    fi
  done < "$OUT/src.files"
  # Files gone from the checkout go from the snapshot too.
  (cd "$src" && find . -path ./.build -prune -o -type f -print | sed 's|^\./||') | sort > "$OUT/src.have"
  sort "$OUT/src.files" | comm -23 "$OUT/src.have" - | while IFS= read -r f; do rm -f "$src/$f"; done
  (cd "$ROOT" && echo "$(git rev-parse --short HEAD)$(git status --porcelain --untracked-files=no -- . ':!bench' | grep -q . && echo '+uncommitted changes')") > "$OUT/src.rev"
}

build_release() {
  if [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && [ -x "$MS" ]; then return 0; fi
  local dir=$ROOT
  if [ "${BENCH_SNAPSHOT:-1}" = 1 ]; then snapshot_src; dir=$OUT/src; fi
  log "swift build -c release in ${dir#$ROOT/} (scratch path ${BUILD#$ROOT/})"
  local i
  for i in 1 2 3; do
    # A file edited by someone else during the build fails it: take a new snapshot, try again.
    if (cd "$dir" && swift build -c release --scratch-path "$BUILD" > "$OUT/build.log" 2>&1); then
      [ -x "$MS" ] || die "no $MS after the build"
      return 0
    fi
    tail -5 "$OUT/build.log" >&2
    [ "${BENCH_SNAPSHOT:-1}" = 1 ] && snapshot_src
  done
  die "release build failed (see ${OUT#$ROOT/}/build.log)"
}

# A root-owned plugin directory (0755, files 0644) with the release plugins,
# as the loader demands.
plugin_dir() { # [name] [extra .so files...] -> path
  local dir=$OUT/${1:-plugins}; shift || true
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$BUILD/release/libssh_source.so" "$BUILD/release/libipset_blocker.so" "$@" "$dir/"
  chown -R root:root "$dir"; chmod 0755 "$dir"; chmod 0644 "$dir"/*.so
  echo "$dir"
}

# The generated log for a size and format, made once per seed and kept.
gen_log() { # lines [format] [extra gen.py args...] -> prints the path
  local lines=$1 format=${2:-$BENCH_FORMAT}; shift 2 || shift $#
  local f="$OUT/logs/mix-s$BENCH_SEED-$format-$lines.log"
  mkdir -p "$OUT/logs"
  if [ ! -s "$f" ]; then
    log "generating $lines lines ($format, seed $BENCH_SEED) -> ${f#$ROOT/}"
    local t0; t0=$(now)
    python3 "$BENCH/gen.py" --seed "$BENCH_SEED" --lines "$lines" --format "$format" "$@" -o "$f.tmp" && mv "$f.tmp" "$f"
    result gen "$format-$lines.seconds" "$(calc "$(now) - $t0" 2)" "$format-$lines.bytes" "$(stat -c %s "$f")"
  fi
  echo "$f"
}

# The first n lines of a generated file (peers that are too slow for the whole file).
head_log() { # file n -> path
  local f=$1 n=$2 g="${1%.log}-head$2.log"
  [ -s "$g" ] || head -n "$n" "$f" > "$g"
  echo "$g"
}

# Runs a command under /usr/bin/time; sets T_WALL (s), T_CPU (user+sys s),
# T_RSS_KB (peak RSS), T_RC. stdout goes to $T_STDOUT (default /dev/null).
# On a shared machine the CPU time is the steadier figure; both are reported.
timed() {
  local tf u s; tf=$(mktemp)
  set +e
  /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" > "${T_STDOUT:-/dev/null}"
  T_RC=$?
  set -e
  read -r T_WALL u s T_RSS_KB < <(tail -n 1 "$tf")
  T_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  rm -f "$tf"
}

# n runs (BENCH_REPEAT, default 3) of a command; sets T_WALL and T_CPU to the
# run with the median wall time, T_RSS_KB (max), T_RC (last).
timed_median() {
  local n=${BENCH_REPEAT:-3} runs=() rss=0 i
  for ((i = 0; i < n; i++)); do
    timed "$@"
    runs+=("$T_WALL $T_CPU")
    [ "$T_RSS_KB" -gt "$rss" ] && rss=$T_RSS_KB
  done
  read -r T_WALL T_CPU < <(printf '%s\n' "${runs[@]}" | sort -g | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')
  T_RSS_KB=$rss
}

# Arithmetic with floats.
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t <= 0) t = 0.001; printf "%.0f", n / t }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# Records a result: result FILE key value ...
result() {
  local f=$RESULTS/$1; shift
  while [ $# -ge 2 ]; do
    if [ -f "$f" ] && grep -q "^$1=" "$f"; then
      grep -v "^$1=" "$f" > "$f.tmp"; mv "$f.tmp" "$f"
    fi
    printf '%s=%s\n' "$1" "$2" >> "$f"
    shift 2
  done
}

# Peak RSS of a running process, sampled: vmhwm PID -> kB
vmhwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
vmrss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Kills a process we started (by PID) and waits for it.
stop_pid() { # pid [signal]
  local pid=$1 sig=${2:-TERM} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Time in seconds with nanoseconds.
now() { date +%s.%N; }

# --- The real daemon in a network namespace of our own ------------------------
# Every ipset set and iptables rule the daemon makes lives in that namespace and
# goes with it. NS and W (a work directory) must be set by the caller.
ns() { ip netns exec "$NS" "$@"; }
ns_create() {
  [ "$(id -u)" = 0 ] || die "needs root (network namespace, ipset)"
  ip netns add "$NS" || die "cannot create network namespace $NS"
  ns ip link set lo up
}
ns_delete() { ip netns del "$NS" 2>/dev/null || true; }

# replay_config DIR PLUGIN_DIR: DIR/config.yaml for `mini-siem replay` with the
# audit on and a dry-run blocker, everything it writes inside DIR.
replay_config() {
  cat > "$1/config.yaml" <<EOC
# mini-siem benchmark: replay with the audit on and a dry-run blocker.
database: $1/mini_siem.db
log_dir: $1/logs
control_socket: $1/control.sock
plugin_dir: $2
retention_days: 0   # the generated logs are months old: keep what is replayed
plugins:
  ipset_blocker:
    dry_run: true
EOC
}

# daemon_config EXTRA_PLUGIN_YAML: the daemon's config in $W/config.yaml, following $W/auth.log.
daemon_config() {
  cat > "$W/config.yaml" <<EOC
auth_logs: [ $W/auth.log ]
database: $W/mini_siem.db
log_dir: $W/logs
control_socket: $W/control.sock
queue_capacity: ${BENCH_QUEUE_CAPACITY:-4096}
plugins:
  ssh_source: { mode: files, read_from_start: false }
  ipset_blocker: { set_v4: bench_v4, set_v6: bench_v6, dry_run: false }
${1:-}
EOC
}

# daemon_start PLUGIN_DIR: starts `mini-siem run` in the namespace; waits for its
# control socket and sets. Sets DAEMON (pid) and DAEMON_READY_S (start to ready).
daemon_start() {
  local t0 i; t0=$(now)
  : >> "$W/auth.log"
  ip netns exec "$NS" "$MS" run --config "$W/config.yaml" --plugin-dir "$1" \
    >> "$W/daemon.out" 2>> "$W/daemon.err" &
  DAEMON=$!
  for i in $(seq 1 300); do
    kill -0 "$DAEMON" 2>/dev/null || { tail -20 "$W/daemon.err" >&2; die "the daemon exited at start"; }
    [ -S "$W/control.sock" ] && ns ipset list -n bench_v4 >/dev/null 2>&1 && break
    sleep 0.05
  done
  [ -S "$W/control.sock" ] || { tail -20 "$W/daemon.err" >&2; die "no control socket after 15 s"; }
  DAEMON_READY_S=$(calc "$(now) - $t0" 3)
}
daemon_stop() { [ -n "${DAEMON:-}" ] && stop_pid "$DAEMON"; DAEMON=; }

# Entries in the benchmark's sets (both families).
set_count() {
  local n=0 c s
  for s in bench_v4 bench_v6; do
    c=$(ns ipset list -t "$s" 2>/dev/null | awk -F': ' '/^Number of entries/ {print $2}')
    n=$((n + ${c:-0}))
  done
  echo "$n"
}

# Percentiles of a column of numbers: pct FILE P -> value (nearest rank).
pct() { sort -g "$1" | awk -v p="$2" '{a[NR] = $1} END { if (NR == 0) { print "-"; exit } i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; print a[i] }'; }

# Compiles the C helpers (latency probe, slow plugin) into $OUT/tools.
build_tools() {
  mkdir -p "$OUT/tools"
  cc -O2 -Wall -o "$OUT/tools/latency_probe" "$BENCH/latency_probe.c" -lipset || die "cannot build latency_probe (libipset-dev?)"
  cc -shared -fPIC -O2 -Wall -I "$ROOT/Sources/PluginABI/include" -Wl,--version-script="$ROOT/Plugins/plugin.exports" \
    -o "$OUT/tools/bench_slow.so" "$BENCH/slow_plugin.c" || die "cannot build bench_slow.so"
}
