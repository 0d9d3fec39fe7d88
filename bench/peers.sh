#!/usr/bin/env bash
# Fetches the peers from Debian's archive and unpacks them into bench/out/peers/root
# WITHOUT installing them (no maintainer scripts, no services):
#   apt-get download sshguard fail2ban crowdsec; dpkg -x
# Then writes CrowdSec a private configuration in bench/out/peers/crowdsec:
# paths inside that directory, its local API on 127.0.0.1 only, no online API
# (no online_client section, started with -no-capi), no hub update (the offline
# hub Debian ships, linked as Debian's postinst does), no Prometheus listener.
# Prints the versions. Idempotent; `--force` downloads again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

force=0; [ "${1:-}" = --force ] && force=1
mkdir -p "$PEERS/debs" "$PEER_ROOT"

if [ $force = 1 ] || ! ls "$PEERS"/debs/sshguard_*.deb "$PEERS"/debs/fail2ban_*.deb "$PEERS"/debs/crowdsec_*.deb >/dev/null 2>&1; then
  log "apt-get download sshguard fail2ban crowdsec"
  # _apt cannot write into a root-only directory: download in a temporary one it can.
  tmp=$(mktemp -d); chmod 0777 "$tmp"
  (cd "$tmp" && apt-get download sshguard fail2ban crowdsec >/dev/null) || { rm -rf "$tmp"; die "apt-get download failed (run apt-get update?)"; }
  rm -f "$PEERS"/debs/*.deb
  mv "$tmp"/*.deb "$PEERS/debs/"; rm -rf "$tmp"
  rm -rf "$PEER_ROOT"; mkdir -p "$PEER_ROOT"
fi
if [ ! -x "$PEER_ROOT/usr/bin/crowdsec" ] || [ ! -x "$PEER_ROOT/usr/libexec/sshguard/sshg-parser" ] || [ ! -e "$PEER_ROOT/usr/bin/fail2ban-regex" ]; then
  log "dpkg -x into ${PEER_ROOT#$ROOT/}"
  for deb in "$PEERS"/debs/*.deb; do dpkg -x "$deb" "$PEER_ROOT"; done
fi

# Versions, for the report.
ver() { dpkg-deb -f "$1" Version; }
{
  echo "sshguard=$(ver "$PEERS"/debs/sshguard_*.deb)"
  echo "fail2ban=$(ver "$PEERS"/debs/fail2ban_*.deb)"
  echo "crowdsec=$(ver "$PEERS"/debs/crowdsec_*.deb)"
} > "$PEERS/versions"

# --- CrowdSec: a private configuration -------------------------------------
CS=$PEERS/crowdsec
CS_PORT=${BENCH_CROWDSEC_PORT:-18080}
HUB=$PEER_ROOT/usr/share/crowdsec/hub
if [ $force = 1 ] || [ ! -f "$CS/etc/config.yaml" ]; then
  log "CrowdSec config in ${CS#$ROOT/} (LAPI on 127.0.0.1:$CS_PORT, no CAPI, offline hub)"
  rm -rf "$CS"
  mkdir -p "$CS"/{etc,data,hub,log,etc/notifications,etc/acquis.d}
  cp -r "$PEER_ROOT/etc/crowdsec/patterns" "$CS/etc/"
  cp "$PEER_ROOT/etc/crowdsec/profiles.yaml" "$PEER_ROOT/etc/crowdsec/simulation.yaml" "$CS/etc/"
  cp "$PEER_ROOT"/usr/share/crowdsec/data/* "$CS/data/"
  # Offline hub, as Debian's postinst sets it up (disable_online_hub).
  for item in blockers collections parsers postoverflows scenarios .index.json; do
    ln -s "$HUB/$item" "$CS/hub/$item"
  done
  # The items of the crowdsecurity/linux collection (syslog + sshd) and the
  # whitelists parser, enabled through links from the config directory as
  # Debian's postinst does (vendor directory stripped).
  for item in parsers/s00-raw/crowdsecurity/syslog-logs.yaml \
              parsers/s01-parse/crowdsecurity/sshd-logs.yaml \
              parsers/s02-enrich/crowdsecurity/dateparse-enrich.yaml \
              parsers/s02-enrich/crowdsecurity/whitelists.yaml \
              scenarios/crowdsecurity/ssh-bf.yaml \
              scenarios/crowdsecurity/ssh-slow-bf.yaml \
              collections/crowdsecurity/sshd.yaml \
              collections/crowdsecurity/linux.yaml; do
    dest=$CS/etc/$(dirname "$(dirname "$item")")/$(basename "$item")
    mkdir -p "$(dirname "$dest")"
    ln -s "$CS/hub/$item" "$dest"
  done
  mkdir -p "$CS/etc/postoverflows"
  : > "$CS/etc/acquis.yaml"
  : > "$CS/etc/local_api_credentials.yaml"
  cat > "$CS/etc/config.yaml" <<EOF
# mini-siem benchmark: a private CrowdSec that talks to nobody.
common:
  daemonize: false
  log_media: file
  log_level: warning
  log_dir: $CS/log/
  working_dir: $CS
config_paths:
  config_dir: $CS/etc/
  data_dir: $CS/data/
  simulation_path: $CS/etc/simulation.yaml
  hub_dir: $CS/hub/
  index_path: $CS/hub/.index.json
  notification_dir: $CS/etc/notifications/
  plugin_dir: $PEER_ROOT/usr/lib/crowdsec/plugins/
crowdsec_service:
  acquisition_path: $CS/etc/acquis.yaml
  acquisition_dir: $CS/etc/acquis.d
  parser_routines: 1
cscli:
  output: human
  color: no
db_config:
  log_level: warning
  type: sqlite
  db_path: $CS/data/crowdsec.db
  use_wal: true
  flush:
    max_items: 5000
    max_age: 7d
plugin_config:
  user: nobody
  group: nogroup
api:
  client:
    insecure_skip_verify: false
    credentials_path: $CS/etc/local_api_credentials.yaml
  server:
    log_level: warning
    listen_uri: 127.0.0.1:$CS_PORT
    profiles_path: $CS/etc/profiles.yaml
    console_path: $CS/etc/console.yaml
    trusted_ips:
      - 127.0.0.1
prometheus:
  enabled: false
  level: full
  listen_addr: 127.0.0.1
  listen_port: 16060
EOF
  printf 'share_manual_decisions: false\nshare_custom: false\nshare_tainted: false\nshare_context: false\n' > "$CS/etc/console.yaml"
  # The agent's credentials for the local API (a machine in the local sqlite db).
  "$PEER_ROOT/usr/bin/cscli" -c "$CS/etc/config.yaml" --error machines add bench --force \
    --password "bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" -f "$CS/etc/local_api_credentials.yaml" >/dev/null \
    || die "cscli machines add failed"
  grep -q "127.0.0.1:$CS_PORT" "$CS/etc/local_api_credentials.yaml" || die "LAPI credentials do not point at loopback"
fi

log "peers: $(tr '\n' ' ' < "$PEERS/versions")"
