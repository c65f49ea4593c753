#!/usr/bin/env python3
"""Turns scripts/bench.sh's raw results into the figures section of BENCHMARKS.md.

Reads, per size, the hyperfine JSON (or /usr/bin/time %e lists), the `time -v`
outputs (peak RSS), the CLI's report and the pandas pipeline's summary, and
replaces the text between `<!-- results:begin -->` and `<!-- results:end -->`.
"""

import argparse
import json
import math
import os
import re
import statistics

TARGETS = {"100k-1m": 0.3, "1m-10m": 2.0}
TITLES = {"100k-1m": "100k users / 1M events", "1m-10m": "1M users / 10M events"}
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def read(path):
    with open(path) as f:
        return f.read()


def wall(results, size, tool):
    """Wall and CPU (user + system) seconds per run: hyperfine, else time %e, else time -v."""
    hf = os.path.join(results, f"{size}.{tool}.hyperfine.json")
    cpu = None
    if os.path.exists(hf):
        r = json.loads(read(hf))["results"][0]
        times = r["times"]
        if r.get("user") is not None and r.get("system") is not None:
            cpu = r["user"] + r["system"]
    elif os.path.exists(os.path.join(results, f"{size}.{tool}.times")):
        times = [float(x) for x in read(os.path.join(results, f"{size}.{tool}.times")).split()]
    else:
        tv = time_v(results, size, tool)
        if tv is None:
            return None
        times, cpu = [tv["elapsed"]], tv["cpu"]
    return {
        "mean": statistics.fmean(times),
        "sd": statistics.stdev(times) if len(times) > 1 else 0.0,
        "min": min(times),
        "runs": len(times),
        "cpu": cpu,
    }


def time_v(results, size, tool):
    path = os.path.join(results, f"{size}.{tool}.time-v")
    if not os.path.exists(path):
        return None
    text = read(path)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    parts = [float(p) for p in m.group(1).split(":")]
    elapsed = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    return {"rss_kb": rss, "elapsed": elapsed, "cpu": user + system}


def mb(kb):
    return f"{kb / 1024:.0f} MiB"


def fmt_wall(w):
    if w is None:
        return "—"
    if w["runs"] > 1:
        return f"{w['mean']:.3f} s ± {w['sd']:.3f} (min {w['min']:.3f}, {w['runs']} runs)"
    return f"{w['mean']:.3f} s (1 run)"


def agreement(results, size):
    rp = os.path.join(results, f"{size}.report.json")
    pp = os.path.join(results, f"{size}.pandas.json")
    if not (os.path.exists(rp) and os.path.exists(pp)):
        return []
    report, pandas = json.loads(read(rp)), json.loads(read(pp))
    lines = []
    for pv in pandas["variants"]:
        rv = next(v for v in report["variants"] if v["name"] == pv["name"])
        same = (rv["users"] == pv["users"] and rv["conversions"] == pv["conversions"]
                and math.isclose(rv["conversion_rate"], pv["conversion_rate"], rel_tol=1e-12)
                and math.isclose(rv["revenue_per_user"], pv["revenue_per_user"], rel_tol=1e-9))
        lines.append(f"  - `{pv['name']}`: users {rv['users']} / {pv['users']}, conversions "
                     f"{rv['conversions']} / {pv['conversions']}, rpu {rv['revenue_per_user']:.6f} / "
                     f"{pv['revenue_per_user']:.6f} — {'identical' if same else 'DIFFERENT'}")
    srm_same = math.isclose(report["srm"]["chi2"], pandas["srm"]["chi2"], rel_tol=1e-9)
    lines.append(f"  - SRM chi2 {report['srm']['chi2']:.6f} / {pandas['srm']['chi2']:.6f} — "
                 f"{'identical' if srm_same else 'DIFFERENT'}")
    for metric, name in [("conversions", "conversion"), ("revenue", "revenue")]:
        comp = next(m for m in report["metrics"] if m["name"] == name)["comparisons"][0]
        rc, pc = comp.get("cuped") or {}, pandas["cuped"][metric]
        boot = comp.get("bootstrap") or {}
        lines.append(
            f"  - {name}: Welch p {comp['welch']['p_value']:.6g} / {pandas['welch_p'][metric]:.6g}; "
            f"CUPED diff {rc.get('diff', float('nan')):.6g} / {pc['diff']:.6g}, "
            f"p {rc.get('p_value', float('nan')):.6g} / {pc['p_value']:.6g}; bootstrap 95% CI "
            f"[{boot.get('ci', [float('nan')] * 2)[0]:.5g}, {boot.get('ci', [float('nan')] * 2)[1]:.5g}] / "
            f"[{pandas['bootstrap_ci'][metric][0]:.5g}, {pandas['bootstrap_ci'][metric][1]:.5g}] "
            f"(different random streams: close, not equal)")
    return lines


def section(results, sizes):
    out = []
    machine = read(os.path.join(results, "machine.txt")).strip().splitlines()
    out.append("Machine and run:\n")
    out += [f"- {line}" for line in machine]
    out.append("")
    for size in sizes:
        csv_bytes = int(read(os.path.join(results, f"{size}.csv-bytes")))
        cw, pw = wall(results, size, "cli"), wall(results, size, "pandas")
        cm, pm = time_v(results, size, "cli"), time_v(results, size, "pandas")
        out.append(f"### {TITLES.get(size, size)}\n")
        out.append(f"Input CSVs: {csv_bytes / 2**20:.0f} MiB (exposures + events).\n")
        out.append("| | splitscope CLI | pandas (course code) | pandas / CLI |")
        out.append("|---|---|---|---|")
        ratio_t = f"{pw['mean'] / cw['mean']:.1f}×" if cw and pw else "—"
        out.append(f"| wall time | {fmt_wall(cw)} | {fmt_wall(pw)} | {ratio_t} |")
        cpu = lambda w: f"{w['cpu']:.3f} s" if w and w.get("cpu") is not None else "—"
        ratio_c = (f"{pw['cpu'] / cw['cpu']:.1f}×" if cw and pw and cw.get("cpu") and pw.get("cpu")
                   else "—")
        out.append(f"| CPU time (user + sys, per run) | {cpu(cw)} | {cpu(pw)} | {ratio_c} |")
        ratio_m = f"{pm['rss_kb'] / cm['rss_kb']:.1f}×" if cm and pm else "—"
        out.append(f"| peak RSS | {mb(cm['rss_kb']) if cm else '—'} | {mb(pm['rss_kb']) if pm else '—'} | {ratio_m} |")
        out.append(f"| peak RSS / CSV size | {cm['rss_kb'] * 1024 / csv_bytes:.2f} | "
                   f"{pm['rss_kb'] * 1024 / csv_bytes:.2f} | |" if cm and pm else
                   f"| peak RSS / CSV size | {cm['rss_kb'] * 1024 / csv_bytes:.2f} | — | |")
        out.append("")
        target = TARGETS.get(size)
        if cw and target:
            met = "met" if cw["mean"] <= target else "**not met**"
            out.append(f"- Time target ≤ {target} s: {met} ({cw['mean']:.3f} s).")
        if cm:
            met = "met" if cm["rss_kb"] * 1024 < csv_bytes else "**not met**"
            out.append(f"- Memory target (peak RSS below the CSVs' size): {met}.")
        lines = agreement(results, size)
        if lines:
            out.append("- Same numbers (CLI / pandas):")
            out += lines
        out.append("\nCommands:\n")
        out.append("```sh")
        gen = os.path.join(results, f"{size}.generate.cmd")
        if os.path.exists(gen):
            out.append(read(gen).strip())
        out.append(read(os.path.join(results, f"{size}.cli.cmd")).strip())
        pandas_cmd = os.path.join(results, f"{size}.pandas.cmd")
        if pw:
            out.append(read(pandas_cmd).strip())
        out.append("```\n")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--sizes", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    body = section(args.results, args.sizes.split())
    text = read(args.out) if os.path.exists(args.out) else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(args.out, "w") as f:
        f.write(f"{head}{BEGIN}\n{body}\n{END}{tail}")


if __name__ == "__main__":
    main()
