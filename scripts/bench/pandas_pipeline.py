#!/usr/bin/env python3
"""The course's pandas pipeline (seed 002, Examples 1-3 and exercise ex2), reading files.

This is the reference `scripts/bench.sh` times the Splitscope CLI against. The code of
Examples 1-3 is kept as written in the course (only the inputs are files instead of
StringIO); the additions are the ones the benchmark's workload needs to match the
CLI's analysis:

* Example 2's bootstrap loop (np.random.seed(7), B = 5000, np.random.choice per arm)
  is run for conversion as well as revenue, as the CLI bootstraps both metrics;
* a Welch t-test per metric (scipy.stats.ttest_ind(equal_var=False));
* CUPED as exercise ex2 describes: the covariate is the same metric over the
  7 days before the first exposure, theta = Cov(Y, X) / Var(X) over all users of
  both arms, Y_cuped = Y - theta * (X - mean(X)), then a Welch test on Y_cuped.

Usage: pandas_pipeline.py EXPOSURES.csv EVENTS.csv [--bootstrap B] [--json OUT.json]
"""

import argparse
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import chisquare


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("exposures")
    ap.add_argument("events")
    ap.add_argument("--bootstrap", type=int, default=5000, help="resamples B (default 5000)")
    ap.add_argument("--json", help="write the summary numbers to this file")
    args = ap.parse_args()

    # ---- Example 1: build an exposure -> outcome dataset (verbatim but for the inputs) ----
    exp = pd.read_csv(args.exposures, parse_dates=["exposure_ts"]).sort_values(["user_id", "exposure_ts"])
    exp_first = exp.drop_duplicates("user_id", keep="first")

    evt = pd.read_csv(args.events, parse_dates=["event_ts"])

    # Join events to exposures within 7 days window
    merged = evt.merge(exp_first, on="user_id", how="inner")
    within_win = merged[(merged["event_ts"] >= merged["exposure_ts"]) &
                        (merged["event_ts"] <= merged["exposure_ts"] + pd.Timedelta(days=7))]

    # Per-user features
    user_metrics = within_win.groupby(["user_id", "variant"], as_index=False).agg(
        revenue=("amount", "sum"),
        conversions=("event", lambda s: (s == "purchase").any().astype(int))
    )

    # Users with no events in window should still appear (0 outcomes)
    all_users = exp_first[["user_id", "variant"]].merge(user_metrics, on=["user_id", "variant"], how="left")
    all_users[["revenue"]] = all_users[["revenue"]].fillna(0)
    all_users[["conversions"]] = all_users[["conversions"]].fillna(0).astype(int)

    summary = all_users.groupby("variant").agg(
        users=("user_id", "nunique"),
        conversions=("conversions", "sum"),
        cr=("conversions", lambda x: x.mean()),
        rpu=("revenue", "mean")
    ).reset_index()

    print(summary)

    # ---- Example 2: bootstrap a 95% CI (RPU, and conversion as the CLI does) ----
    np.random.seed(7)
    B = args.bootstrap
    cis = {}
    for metric in ["conversions", "revenue"]:
        ctrl = all_users[all_users.variant == "control"][metric].to_numpy()
        varn = all_users[all_users.variant == "variant"][metric].to_numpy()
        diffs = []
        for _ in range(B):
            diff = np.mean(np.random.choice(varn, size=varn.size, replace=True)) - \
                   np.mean(np.random.choice(ctrl, size=ctrl.size, replace=True))
            diffs.append(diff)
        ci = (np.percentile(diffs, 2.5), np.percentile(diffs, 97.5))
        print(f"Diff in {metric} (variant - control) 95% CI:", ci)
        cis[metric] = [float(ci[0]), float(ci[1])]

    # ---- Example 3: SRM (verbatim) ----
    counts = summary.set_index("variant")["users"]
    # Expected equal split between 2 arms
    observed = counts.to_numpy()
    expected = np.repeat(observed.sum() / len(observed), len(observed))
    chi2, p = chisquare(observed, f_exp=expected)
    print({"chi2": chi2, "p_value": p})

    # ---- Welch t-tests (the CLI's closed-form inference) ----
    welch = {}
    for metric in ["conversions", "revenue"]:
        y_v = all_users.loc[all_users.variant == "variant", metric]
        y_c = all_users.loc[all_users.variant == "control", metric]
        t, pw = stats.ttest_ind(y_v, y_c, equal_var=False)
        welch[metric] = float(pw)
        print(f"Welch {metric}: diff={y_v.mean() - y_c.mean():.6f} p={pw:.6g}")

    # ---- Exercise ex2: CUPED with the pre-period as covariate ----
    pre = merged[(merged["event_ts"] >= merged["exposure_ts"] - pd.Timedelta(days=7)) &
                 (merged["event_ts"] < merged["exposure_ts"])]
    pre_metrics = pre.groupby("user_id", as_index=False).agg(
        pre_revenue=("amount", "sum"),
        pre_conversions=("event", lambda s: (s == "purchase").any().astype(int))
    )
    all_users = all_users.merge(pre_metrics, on="user_id", how="left")
    for col in ["pre_revenue", "pre_conversions"]:
        all_users[col] = pd.to_numeric(all_users[col], errors="coerce").fillna(0)
    cuped = {}
    for metric in ["conversions", "revenue"]:
        y = all_users[metric].to_numpy(dtype=float)
        x = all_users["pre_" + metric].to_numpy(dtype=float)
        var_x = np.var(x, ddof=1)
        theta = np.cov(y, x, ddof=1)[0, 1] / var_x if var_x > 0 else 0.0
        all_users[metric + "_cuped"] = y - theta * (x - x.mean())
        y_v = all_users.loc[all_users.variant == "variant", metric + "_cuped"]
        y_c = all_users.loc[all_users.variant == "control", metric + "_cuped"]
        t, pc = stats.ttest_ind(y_v, y_c, equal_var=False)
        reduction = 1 - np.var(all_users[metric + "_cuped"], ddof=1) / np.var(y, ddof=1)
        cuped[metric] = {"theta": float(theta), "diff": float(y_v.mean() - y_c.mean()), "p_value": float(pc)}
        print(f"CUPED {metric}: theta={theta:.6f} diff={y_v.mean() - y_c.mean():.6f} p={pc:.6g} "
              f"variance reduction={reduction:.4f}")

    if args.json:
        out = {
            "variants": [
                {"name": r.variant, "users": int(r.users), "conversions": int(r.conversions),
                 "conversion_rate": float(r.cr), "revenue_per_user": float(r.rpu)}
                for r in summary.itertuples()
            ],
            "srm": {"chi2": float(chi2), "p_value": float(p)},
            "bootstrap_ci": cis,
            "welch_p": welch,
            "cuped": cuped,
        }
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
