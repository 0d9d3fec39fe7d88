#!/usr/bin/env bash
# Installs the Debian 12 packages mini-siem needs: `run` to build and run the
# daemon, `test` for everything the test suite uses as well.
set -euo pipefail
what=${1:-run}
run_pkgs=(pkg-config libsqlite3-dev libsystemd-dev libipset-dev ipset iptables)
test_pkgs=(gcc libc6-dev iproute2 procps openssh-server openssh-client rsyslog sshpass
           systemd-journal-remote python3 psmisc util-linux)
case $what in
  run) pkgs=("${run_pkgs[@]}") ;;
  test) pkgs=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -y -qq
  # Package scripts must not start services (sshd, rsyslog) on this host.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! command -v swift >/dev/null; then
  echo "swift not found: install the Swift 6 toolchain for Debian 12 from https://www.swift.org/install/linux/ and put it on PATH" >&2
  exit 1
fi
