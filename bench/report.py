#!/usr/bin/env python3
"""Gathers bench/out/results/* into bench/RESULTS.md (replaced on each run) and
prints the main tables. Run by run.sh; runnable alone after any benchmark."""
import datetime
import os
import platform
import re
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("BENCH_OUT", os.path.join(BENCH, "out"))
RES = os.path.join(OUT, "results")


def load(name):
    d = {}
    try:
        with open(os.path.join(RES, name)) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    d[k] = v
    except FileNotFoundError:
        pass
    return d


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def fmt_int(x):
    v = num(x)
    return "–" if v is None else "{:,}".format(int(round(v))).replace(",", " ")


def fmt_f(x, nd=2):
    v = num(x)
    return "–" if v is None else ("{:.%df}" % nd).format(v)


def mib(kb):
    v = num(kb)
    return "–" if v is None else "%.1f" % (v / 1024)


def rate(lines, secs):
    a, b = num(lines), num(secs)
    if a is None or b is None:
        return None
    return a / max(b, 0.001)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return "%.1f×" % (a / b)


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


def machine():
    cpu = sh("awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo")
    mem_kb = sh("awk '/MemTotal/ {print $2}' /proc/meminfo")
    osname = sh(". /etc/os-release && echo $PRETTY_NAME")
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": "%.1f GiB" % (int(mem_kb) / 1024 / 1024) if mem_kb else "?",
        "kernel": platform.release(),
        "os": osname,
    }


def main():
    meta = load("meta")
    parse, pipe, mem, lat, bans = load("parse"), load("pipeline"), load("memory"), load("latency"), load("bans")
    m = machine()
    peers = {}
    try:
        with open(os.path.join(OUT, "peers", "versions")) as f:
            for line in f:
                k, v = line.strip().split("=", 1)
                peers[k] = v
    except FileNotFoundError:
        pass
    now = meta.get("date") or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    md = []
    md.append("# mini-siem benchmark results\n")
    md.append("Written by `bench/run.sh` (replaced on each run). Numbers from one run on a shared machine: "
              "other engineers may have been building Swift on the same 2 cores (the scripts wait while a build "
              "runs, up to 10 min), so wall-clock figures are noisy; "
              "CPU seconds (user + sys) are given beside them and are steadier.\n")
    md.append("| | |\n|---|---|")
    md.append("| date | %s |" % now)
    md.append("| command | `%s` |" % meta.get("command", "bench/run.sh"))
    if meta.get("reruns"):
        md.append("| stages run again later | %s%s |" % (meta["reruns"], (
            " (built from %s)" % meta["src_rev_rerun"]) if meta.get("src_rev_rerun") else ""))
    md.append("| machine | %s cores, %s, %s RAM |" % (m["cores"], m["cpu"], m["memory"]))
    md.append("| system | %s, kernel %s |" % (m["os"], m["kernel"]))
    md.append("| load average at start | %s |" % meta.get("loadavg", "?"))
    md.append("| mini-siem | %s, built from %s (`swift build -c release`), %s |" % (
        meta.get("ms_version", "?"), meta.get("src_rev", "?"), meta.get("swift", "?")))
    md.append("| peers (Debian 12 packages, `apt-get download` + `dpkg -x`) | sshguard %s, fail2ban %s (Python %s), crowdsec %s |" % (
        peers.get("sshguard", "?"), peers.get("fail2ban", "?"), meta.get("python", "?"), peers.get("crowdsec", "?")))
    md.append("| other tools | %s, ipset %s, SQLite %s |" % (meta.get("valgrind", "?"), meta.get("ipset", "?"), meta.get("sqlite", "?")))
    md.append("")
    md.append("Workload: `bench/gen.py --seed %s --lines %s --format %s` — a busy internet-facing host: failed "
              "passwords for valid and invalid users, invalid users, preauth disconnects, max-auth, kex and banner "
              "failures, successes, 15 %% unrelated lines (CRON, sudo, su, systemd-logind), ~10 %% IPv6 addresses, a "
              "heavy-tailed (Zipf) attacker population (a few addresses with thousands of lines, most with one to "
              "three). Addresses from the documentation ranges, 198.18.0.0/15 and 2001:db8::/32.\n" % (
                  meta.get("seed", "1"), meta.get("lines", parse.get("lines", "?")), meta.get("format", "classic")))

    gen = load("gen")
    gl = []
    for k, v in sorted(gen.items()):
        if k.endswith(".seconds"):
            name = k[:-len(".seconds")]
            n = name.rsplit("-", 1)[-1]
            gl.append("%s lines %s in %s s (%s lines/s)" % (fmt_int(n), name.rsplit("-", 1)[0], v, fmt_int(rate(n, v))))
    if gl:
        md.append("Generator speed (`bench/gen.py`, CPython, when the files were made): %s.\n" % "; ".join(gl))

    summary_rows = []

    # --- parse ------------------------------------------------------------------
    if parse:
        md.append("## 1. Parse + classify\n")
        md.append("Same file for every tool (`%s`, %s lines); fail2ban-regex on its first %s lines. "
                  "Events = each tool's own count: mini-siem, events it recognizes (lines with an sshd event kind); "
                  "sshg-parser, attacks it prints; fail2ban-regex, failures it prints with `-o ip` (sshd filter, "
                  "mode normal). Addresses = distinct source addresses among those.\n" % (
                      parse.get("file"), fmt_int(parse.get("lines")), fmt_int(parse.get("fail2ban.lines"))))
        names = [("wc", "`wc -l` (floor)"), ("ms_json", "mini-siem `check-log --json > /dev/null`"),
                 ("ms_summary", "mini-siem `check-log --summary`"), ("sshguard", "sshguard `sshg-parser`"),
                 ("fail2ban", "`fail2ban-regex` sshd.conf"),
                 ("ms_summary_rfc", "mini-siem `check-log --summary`, RFC 3339 file"),
                 ("sshguard_rfc", "sshguard `sshg-parser`, RFC 3339 file")]
        rows = []
        rates = {}
        cpurates = {}
        for key, label in names:
            if key + ".wall" not in parse:
                continue
            r = rate(parse.get(key + ".lines"), parse.get(key + ".wall"))
            rc = rate(parse.get(key + ".lines"), parse.get(key + ".cpu")) if num(parse.get(key + ".cpu")) else None
            rates[key], cpurates[key] = r, rc
            rows.append([label, fmt_int(parse.get(key + ".lines")), fmt_f(parse.get(key + ".wall")),
                         fmt_int(r), fmt_int(rc) if key != "wc" else "–",
                         fmt_int(parse.get(key + ".events")) if parse.get(key + ".events") != "-" else "–",
                         fmt_int(parse.get(key + ".distinct")) if parse.get(key + ".distinct") != "-" else "–",
                         mib(parse.get(key + ".rss_kb")), parse.get(key + ".note", "")])
        md.append(table(["tool", "lines", "wall s", "lines/s", "lines/CPU-s", "events", "addresses", "peak RSS MiB", "note"], rows))
        if "ms_json_small.events" in parse:
            md.append("\nOn fail2ban's %s lines mini-siem recognizes %s events." % (
                fmt_int(parse.get("ms_json_small.lines")), fmt_int(parse.get("ms_json_small.events"))))
        md.append("\nmini-siem's speed relative to each peer (wall clock; CPU time in brackets):\n")
        rrows = []
        for ours, label in (("ms_json", "`check-log --json`"), ("ms_summary", "`check-log --summary`")):
            if ours not in rates:
                continue
            row = [label]
            for peer in ("sshguard", "fail2ban"):
                row.append("%s (%s)" % (ratio(rates.get(ours), rates.get(peer)), ratio(cpurates.get(ours), cpurates.get(peer))))
            row.append("%.0f %%" % (100 * rates[ours] / rates["wc"]) if rates.get(ours) and rates.get("wc") else "–")
            rrows.append(row)
        md.append(table(["mini-siem", "÷ sshg-parser", "÷ fail2ban-regex", "of wc -l's speed"], rrows))
        md.append("")
        for ours, label in (("ms_summary", "--summary"), ("ms_json", "--json")):
            summary_rows.append(["parse+classify ≥ 4× sshg-parser (%s)" % label,
                                 ratio(rates.get(ours), rates.get("sshguard")),
                                 ok(rates.get(ours), rates.get("sshguard"), 4)])
        for ours, label in (("ms_summary", "--summary"), ("ms_json", "--json")):
            summary_rows.append(["parse+classify ≥ 60× fail2ban-regex (%s)" % label,
                                 ratio(rates.get(ours), rates.get("fail2ban")),
                                 ok(rates.get(ours), rates.get("fail2ban"), 60)])

    # --- pipeline ---------------------------------------------------------------
    if pipe:
        md.append("## 2. Full pipeline\n")
        md.append("mini-siem: `mini-siem replay FILE --config C` — parse, detect, decide, the SQLite audit of every "
                  "event and action (WAL), the ipset_blocker plugin loaded with `dry_run: true`; each run on a new "
                  "database; median of the runs. CrowdSec: `crowdsec -c C -dsn file://FILE -type syslog -no-api` "
                  "(time-machine mode; parsers syslog-logs, sshd-logs, dateparse-enrich, whitelists; scenarios "
                  "ssh-bf, ssh-slow-bf), its alerts pushed to its own local API on 127.0.0.1 (a second crowdsec, "
                  "`-no-cs -no-capi`; no online API, no hub update, Prometheus on 127.0.0.1 for its counters), "
                  "stopped afterwards. Events: mini-siem, events stored in the audit; CrowdSec, lines its sshd "
                  "parser accepted. Addresses: mini-siem, addresses banned (distinct addresses with events in "
                  "brackets); CrowdSec, distinct source addresses of its alerts.\n")
        rows = []
        r_ms = rate(pipe.get("ms.lines"), pipe.get("ms.wall"))
        r_msw = rate(pipe.get("msw.lines"), pipe.get("msw.wall"))
        r_cs = rate(pipe.get("cs.lines"), pipe.get("cs.wall"))
        rows.append(["mini-siem `replay` (log_level info, as shipped)", fmt_int(pipe.get("ms.lines")), fmt_f(pipe.get("ms.wall")),
                     fmt_int(r_ms), fmt_int(rate(pipe.get("ms.lines"), pipe.get("ms.cpu"))), fmt_int(pipe.get("ms.events")),
                     "%s (%s)" % (fmt_int(pipe.get("ms.banned")), fmt_int(pipe.get("ms.distinct"))),
                     mib(pipe.get("ms.rss_kb")), pipe.get("ms.note", "")])
        if "msw.wall" in pipe:
            rows.append(["mini-siem `replay`, log_level warning", fmt_int(pipe.get("msw.lines")), fmt_f(pipe.get("msw.wall")),
                         fmt_int(r_msw), fmt_int(rate(pipe.get("msw.lines"), pipe.get("msw.cpu"))), fmt_int(pipe.get("msw.events")),
                         fmt_int(pipe.get("msw.banned")), mib(pipe.get("msw.rss_kb")), "no info line per event in the logs"])
        if "cs.wall" in pipe:
            rows.append(["CrowdSec time-machine (agent)", fmt_int(pipe.get("cs.lines")), fmt_f(pipe.get("cs.wall")),
                         fmt_int(r_cs), fmt_int(rate(pipe.get("cs.lines"), pipe.get("cs.cpu"))), fmt_int(pipe.get("cs.events")),
                         fmt_int(pipe.get("cs.distinct")), mib(pipe.get("cs.rss_kb")), pipe.get("cs.note", "")])
        elif "cs.note" in pipe:
            rows.append(["CrowdSec", "–", "–", "–", "–", "–", "–", "–", pipe.get("cs.note")])
        if "ms_small.wall" in pipe:
            rows.append(["mini-siem `replay` on CrowdSec's lines", fmt_int(pipe.get("ms_small.lines")), fmt_f(pipe.get("ms_small.wall")),
                         fmt_int(rate(pipe.get("ms_small.lines"), pipe.get("ms_small.wall"))),
                         fmt_int(rate(pipe.get("ms_small.lines"), pipe.get("ms_small.cpu"))), fmt_int(pipe.get("ms_small.events")),
                         fmt_int(pipe.get("ms_small.banned")), mib(pipe.get("ms_small.rss_kb")), "same lines as CrowdSec"])
        md.append(table(["tool", "lines", "wall s", "lines/s", "lines/CPU-s", "events", "addresses", "peak RSS MiB", "note"], rows))
        md.append("\nmini-siem ÷ CrowdSec: %s lines/s (CPU: %s); peak RSS %s vs %s MiB.\n" % (
            ratio(r_ms, r_cs), ratio(rate(pipe.get("ms.lines"), pipe.get("ms.cpu")), rate(pipe.get("cs.lines"), pipe.get("cs.cpu"))),
            mib(pipe.get("ms.rss_kb")), mib(pipe.get("cs.rss_kb"))))
        summary_rows.append(["full pipeline ≥ 300 k lines/s, audit on", fmt_int(r_ms) + " lines/s", ok(r_ms, 300000, 1)])
        summary_rows.append(["full pipeline < 150 MB RSS", "%.0f MB (%s MiB)" % ((num(pipe.get("ms.rss_kb")) or 0) * 1024 / 1e6, mib(pipe.get("ms.rss_kb"))),
                             ok(150e6, (num(pipe.get("ms.rss_kb")) or 1e12) * 1024, 1)])

    # --- latency ----------------------------------------------------------------
    if lat:
        md.append("## 3. Ban latency\n")
        md.append("The real daemon (`mini-siem run`, ssh_source on a file with inotify, the real ipset_blocker) in a "
                  "network namespace of its own. For each of %s distinct addresses (10 %% IPv6), `bench/latency_probe.c` "
                  "appends 4 failures, waits 20 ms, then stamps the clock and appends the 5th (the threshold) and polls "
                  "the kernel set in-process with libipset until the address is in it.\n" % fmt_int(lat.get("addresses")))
        rows = []
        for case, label in (("plain", "ssh_source + ipset_blocker"),
                            ("slow", "the same + bench_slow (sleeps %s ms per decision)" % lat.get("slow.delay_ms", "?"))):
            if case + ".n" not in lat:
                continue
            rows.append([label, fmt_int(lat.get(case + ".n")), lat.get(case + ".p50_ms"), lat.get(case + ".p99_ms"),
                         lat.get(case + ".max_ms"), lat.get(case + ".timeouts")])
            summary_rows.append(["ban latency p99 < 10 ms (%s)" % case, "%s ms" % lat.get(case + ".p99_ms"),
                                 ok(10, num(lat.get(case + ".p99_ms")), 1) if lat.get(case + ".timeouts") == "0" else "no (timeouts)"])
        md.append(table(["plugins", "bans", "p50 ms", "p99 ms", "max ms", "timeouts (5 s)"], rows))
        md.append("")

    # --- bans -------------------------------------------------------------------
    if bans:
        md.append("## 4. Ban throughput and reconcile\n")
        br = num(bans.get("bans_rate"))
        rows = [
            ["ban throughput: %s addresses × 5 failures appended at once (%s lines) until all are in the kernel sets" % (
                fmt_int(bans.get("bans")), fmt_int(bans.get("lines"))),
             "%s s" % bans.get("bans_s"), "%s bans/s" % fmt_int(br),
             "complete" if bans.get("bans_complete") == "1" else "INCOMPLETE (%s in the sets)" % bans.get("bans")],
            ["kernel floor: `ipset restore` of as many adds into an empty set", "%s s" % bans.get("floor_s"),
             "%s adds/s" % fmt_int(bans.get("floor_rate")), ""],
            ["reconcile: `mini-siem run` with %s active bans in the store, empty sets, until the sets hold them" % fmt_int(bans.get("reconcile_bans")),
             "%s s" % bans.get("reconcile_s"), "",
             "complete" if bans.get("reconcile_complete") == "1" else "INCOMPLETE (%s)" % bans.get("reconcile_in_set")],
        ]
        md.append(table(["what", "time", "rate", ""], rows))
        md.append("\nqueue_capacity %s; drops: %s. Reconcile log: `%s`\n" % (
            bans.get("queue_capacity"), bans.get("bans_drops"), bans.get("reconcile_log", "").strip()))
        summary_rows.append([">= 20 k bans/s", "%s bans/s" % fmt_int(br), ok(br, 20000, 1)])
        summary_rows.append(["reconcile of 100 k bans < 2 s", "%s s (%s bans)" % (bans.get("reconcile_s"), fmt_int(bans.get("reconcile_bans"))),
                             ok(2, num(bans.get("reconcile_s")), 1) if bans.get("reconcile_complete") == "1" else "no"])

    # --- memory -----------------------------------------------------------------
    if mem:
        md.append("## 5. Memory\n")
        rows = [
            ["%s distinct attacking addresses, 1–2 failures each (%s lines inside one detection window), "
             "`replay` (audit on)" % (fmt_int(mem.get("addresses")), fmt_int(mem.get("lines"))),
             "%s → %s MiB" % (mib(mem.get("base_rss_kb")), mib(mem.get("peak_rss_kb"))),
             "%s bytes per tracked address" % mem.get("bytes_per_address")],
        ]
        if "stage_bytes_per_address" in mem:
            rows.append(["the same file through `check-log --summary` (the same threshold stage, no SQLite page cache, no plugins)",
                         "%s → %s MiB" % (mib(mem.get("stage_base_rss_kb")), mib(mem.get("stage_peak_rss_kb"))),
                         "%s bytes per tracked address" % mem.get("stage_bytes_per_address")])
        if "flat_lines" in mem:
            rows.append(["RSS sampled every 0.5 s across a %s-line `replay` of the mixed log (%s samples, %s s)" % (
                fmt_int(mem.get("flat_lines")), mem.get("flat_samples"), mem.get("flat_wall")),
                "at 20 %%: %s MiB, at 50 %%: %s MiB, end: %s MiB, max %s MiB" % (
                    mib(mem.get("flat_rss10_kb")), mib(mem.get("flat_rss50_kb")), mib(mem.get("flat_rss_end_kb")), mib(mem.get("flat_rss_max_kb"))),
                "growth from 20 %% to the end: %s %%" % mem.get("flat_growth_pct")])
            if mem.get("flat_speed_first_mbs"):
                rows.append(["the same run's speed: log read in the first fifth / the last fifth of the file; mean load average",
                             "%s / %s MB/s" % (mem.get("flat_speed_first_mbs"), mem.get("flat_speed_last_mbs")),
                             "load %s; %s" % (mem.get("flat_loadavg"), mem.get("flat_out", "").strip())])
        md.append("Peak RSS minus the peak RSS of the same run with 1000 addresses, divided by the difference in addresses.\n")
        md.append(table(["what", "RSS", "result"], rows))
        md.append("")
        summary_rows.append(["< 200 bytes per tracked address", "%s B (replay), %s B (threshold stage alone)" % (
            mem.get("bytes_per_address"), mem.get("stage_bytes_per_address", "–")),
            "%s (replay), %s (stage alone)" % (ok(200, num(mem.get("bytes_per_address")), 1),
                                              ok(200, num(mem.get("stage_bytes_per_address")), 1))])
        if "flat_growth_pct" in mem:
            g = num(mem.get("flat_growth_pct"))
            summary_rows.append(["flat RSS over %s lines" % fmt_int(mem.get("flat_lines")),
                                 "%s %% growth after 20 %% of the run" % mem.get("flat_growth_pct"),
                                 "yes" if g is not None and abs(g) < 10 else "no"])

    # --- targets ----------------------------------------------------------------
    if summary_rows:
        md.append("## Targets\n")
        md.append(table(["target", "measured", "met"], summary_rows))
        md.append("")
        refs = []
        for label, r, ref in (("sshg-parser", rate(parse.get("sshguard.lines"), parse.get("sshguard.wall")), 610e3),
                              ("fail2ban-regex", rate(parse.get("fail2ban.lines"), parse.get("fail2ban.wall")), 36e3),
                              ("CrowdSec", rate(pipe.get("cs.lines"), pipe.get("cs.wall")), 5.6e3)):
            if r:
                refs.append("%s %.2f×" % (label, r / ref))
        md.append("The issue's reference figures for this kind of machine: sshg-parser ~610 k lines/s, fail2ban-regex "
                  "~36 k lines/s, CrowdSec replay ~5.6 k lines/s at 7 GiB. The peers ran here at %s of those "
                  "figures (a slower or busier machine, or CrowdSec on a smaller file): compare the ratios, "
                  "measured in the same run on the same file.\n" % ", ".join(refs))

    # --- analysis and profiles ---------------------------------------------------
    try:
        with open(os.path.join(BENCH, "analysis.md")) as f:
            md.append(f.read().rstrip() + "\n")
    except FileNotFoundError:
        pass
    profs = []
    for name in ("json", "replay", "replay_w", "bans"):
        p = os.path.join(RES, "profile-%s.txt" % name)
        if os.path.exists(p):
            with open(p) as f:
                profs.append(f.read().rstrip())
    if profs:
        md.append("### Callgrind profiles of this run\n")
        md.append("`bench/profile.sh`: valgrind --tool=callgrind (instructions, inclusive, top entries; thread and "
                  "runtime plumbing left out; names demangled).\n")
        for p in profs:
            title = p.splitlines()[0].lstrip("# ")
            md.append("<details><summary>%s</summary>\n\n```\n%s\n```\n</details>\n" % (title, p))

    text = "\n".join(md) + "\n"
    with open(os.path.join(BENCH, "RESULTS.md"), "w") as f:
        f.write(text)
    # The terminal gets the tables without the long notes and profiles.
    cut = text.find("## What limits us")
    print(text[:cut] if cut > 0 else text)


def ok(a, b, factor):
    """'yes' when a >= factor * b."""
    if a is None or b is None:
        return "–"
    return "yes" if a >= factor * b else "no"


if __name__ == "__main__":
    main()
