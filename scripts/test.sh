#!/usr/bin/env bash
# Installs what the tests need, builds, and runs every test: the Swift unit
# and integration tests, then the shell tests against real files, a real
# journal, real ipset/iptables in a namespace, and a real sshd under attack.
#   sudo scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test.sh: run as root (namespaces, ipset, iptables)" >&2; exit 1; }
scripts/install-deps.sh test
swift build
bin=$(swift build --show-bin-path)
swift test
failed=()
for t in tests/*_test.sh tests/e2e/run.sh; do
  [ -x "$t" ] || continue
  echo "=== $t"
  if "$t" "$bin"; then echo "=== $t: ok"; else echo "=== $t: FAILED"; failed+=("$t"); fi
done
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all tests passed"
