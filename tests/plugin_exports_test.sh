#!/usr/bin/env bash
# Every plugin shared object exports exactly one dynamic symbol,
# siem_plugin_entry (docs/plugin-abi.md; Plugins/plugin.exports, linked with
# lld). Anything more means the version script stopped applying, and plugins
# could bind to each other's or the host's symbols.
#
#   tests/plugin_exports_test.sh [BUILD_DIR]   # BUILD_DIR defaults to `swift build --show-bin-path`
#
# Run after `swift build`; no root needed. Needs nm (binutils) and python3.
# The plugins are the dynamic library products whose targets all live under
# Plugins/, read from `swift package dump-package`, so a new plugin is
# checked without editing this file.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tests/lib/testlib.sh"

bin=${1:-$(cd "$root" && swift build --show-bin-path)}

step "plugin products in Package.swift"
plugins=$(cd "$root" && swift package dump-package | python3 -c '
import json, sys
package = json.load(sys.stdin)
paths = {t["name"]: t.get("path") or "" for t in package["targets"]}
for p in package["products"]:
    if "dynamic" in (p["type"].get("library") or []) and \
       all(paths.get(t, "").startswith("Plugins/") for t in p["targets"]):
        print("lib%s.so" % p["name"])
')
[ -n "$plugins" ] || fail "no dynamic library product built from Plugins/ found in Package.swift"
ok "$(echo $plugins)"

step "each plugin exports only siem_plugin_entry (nm -D --defined-only)"
bad=0
for lib in $plugins; do
  so=$bin/$lib
  [ -f "$so" ] || fail "$so not found: build first (swift build)"
  symbols=$(nm -D --defined-only "$so" | awk '{ print $NF }')
  if [ "$symbols" = siem_plugin_entry ]; then
    ok "$lib"
  else
    printf '    FAIL: %s exports %s symbol(s), expected only siem_plugin_entry:\n' \
      "$lib" "$(printf '%s' "$symbols" | grep -c '' || true)" >&2
    printf '%s\n' "$symbols" | sed 's/^/      | /' >&2
    bad=1
  fi
done
[ "$bad" = 0 ] || exit 1

printf '\nplugin_exports_test: all steps passed\n'
