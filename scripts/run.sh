#!/usr/bin/env bash
# Installs what mini-siem needs, builds it in release mode and runs the daemon
# in the foreground with the plugins from this checkout.
#   sudo scripts/run.sh [--config FILE] [other `mini-siem run` options]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run.sh: run as root (it manages ipset/iptables)" >&2; exit 1; }
scripts/install-deps.sh run
swift build -c release
bin=$(swift build -c release --show-bin-path)
# The loader refuses plugins that anyone but root could have written.
plugins=.build/plugins
install -d -m 0755 -o root -g root "$plugins"
install -m 0644 -o root -g root "$bin"/libssh_source.so "$bin"/libipset_blocker.so "$plugins"/
exec "$bin"/mini-siem run --plugin-dir "$plugins" "$@"
