# Shared helpers for the shell tests; source it, do not run it.
#   . "$(dirname "$0")/lib/testlib.sh"
# Each test prints every step, stops at the first failure with the reason,
# and cleans up through its own EXIT trap.

step() { printf '\n--- %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
fail() {
  printf '    FAIL: %s\n' "$*" >&2
  exit 1
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
  [ "$2" = "$3" ] || fail "$1: expected [$2], got [$3]"
  ok "$1"
}

# assert_contains WHAT NEEDLE FILE: FILE has a line containing NEEDLE (fixed string).
assert_contains() {
  grep -qF -- "$2" "$3" || { sed 's/^/      | /' "$3" >&2; fail "$1: no line containing [$2] in $3"; }
  ok "$1"
}

# assert_not_contains WHAT NEEDLE FILE
assert_not_contains() {
  ! grep -qF -- "$2" "$3" || { sed 's/^/      | /' "$3" >&2; fail "$1: unexpected [$2] in $3"; }
  ok "$1"
}

require_root() {
  [ "$(id -u)" = 0 ] || { echo "$(basename "$0"): run as root" >&2; exit 1; }
}
