//! End-to-end tests of `splitscope power` against statsmodels' `NormalIndPower`
//! (the values of `crates/engine/tests/stats_beyond.rs`).

mod support;

use std::fs;

use support::{analyze, json, ok, path, run, scratch, stderr};

fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs(),
        "{got} vs {want} (relative {})",
        (got - want).abs() / want.abs()
    );
}

#[test]
fn power_for_proportions_matches_statsmodels() {
    // As in crates/engine/tests/stats_beyond.rs:
    // h1 = proportion_effectsize(0.10*1.1, 0.10) = 0.03262940076737708
    // NormalIndPower().solve_power(effect_size=h1, alpha=0.05, power=0.8, ratio=1)
    //   -> 14744.10483692551 per arm
    let r = json(&ok(&[
        "power",
        "--baseline",
        "0.10",
        "--mde",
        "0.10",
        "--daily-users",
        "2000",
        "--format",
        "json",
    ]));
    assert_eq!(r["kind"], "proportions");
    assert_eq!(r["solve"], "sample_size");
    close(r["total_exact"].as_f64().unwrap() * 0.5, 14744.10483692551);
    assert_eq!(r["control_users"], 14745);
    assert_eq!(r["treatment_users"], 14745);
    assert_eq!(r["total_users"], 29490);
    assert_eq!(r["duration_days"], 15);
    // The same in text.
    let text = ok(&["power", "--baseline", "0.1", "--mde", "0.1"]);
    assert!(
        text.contains("29490 users (14745 control, 14745 treatment)"),
        "{text}"
    );
    // An absolute MDE of one rate point is the same question.
    let r = json(&ok(&[
        "power",
        "--baseline",
        "0.1",
        "--mde-abs",
        "0.01",
        "--format",
        "json",
    ]));
    assert_eq!(r["total_users"], 29490);
}

#[test]
fn power_inverse_and_means_match_statsmodels() {
    // h = solve_effect(nobs1=10000, alpha=0.05, power=0.8, ratio=1)
    // math.sin(math.asin(math.sqrt(0.1)) + h/2)**2 / 0.1 - 1
    let r = json(&ok(&[
        "power",
        "--baseline",
        "0.1",
        "--users",
        "20000",
        "--format",
        "json",
    ]));
    assert_eq!(r["solve"], "mde");
    close(r["mde_relative"].as_f64().unwrap(), 0.12196908728754918);
    // NormalIndPower().solve_power(effect_size=0.25/3.0, alpha=0.01, power=0.9,
    //   ratio=0.3/0.7) -> nobs1 = 7142.1058399216945 (the control arm, 0.7·N)
    let r = json(&ok(&[
        "power",
        "--sd",
        "3",
        "--mde-abs",
        "0.25",
        "--alpha",
        "0.01",
        "--power",
        "0.9",
        "--treatment-share",
        "0.3",
        "--format",
        "json",
    ]));
    assert_eq!(r["kind"], "means");
    close(r["total_exact"].as_f64().unwrap() * 0.7, 7142.1058399216945);
    assert_eq!(r["control_users"], 7143);
    // 10 * solve_effect(nobs1=1570, alpha=0.05, power=0.8, ratio=1)
    let r = json(&ok(&[
        "power", "--sd", "10", "--users", "3140", "--format", "json",
    ]));
    close(r["mde_absolute"].as_f64().unwrap(), 0.9999274183421425);
    assert!(r["mde_relative"].is_null());
}

#[test]
fn power_reads_the_control_arm_from_a_report() {
    let dir = scratch("power-report");
    ok(&["example", dir.to_str().unwrap()]);
    let (e, v) = (path(&dir, "exposures.csv"), path(&dir, "events.csv"));
    let report_path = path(&dir, "report.json");
    analyze(&e, &v, &["--output", &report_path]);
    let report = json(&fs::read_to_string(&report_path).unwrap());
    let control = &report["variants"][0]["metrics"];
    let stat = |name: &str| {
        control
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap()
            .clone()
    };
    // A conversion metric: its mean is the baseline rate.
    let r = json(&ok(&[
        "power",
        "--from-report",
        &report_path,
        "--metric",
        "conversion",
        "--mde",
        "0.2",
        "--format",
        "json",
    ]));
    assert_eq!(r["kind"], "proportions");
    assert_eq!(r["baseline"], stat("conversion")["mean"]);
    let direct = json(&ok(&[
        "power",
        "--baseline",
        &stat("conversion")["mean"].to_string(),
        "--mde",
        "0.2",
        "--format",
        "json",
    ]));
    assert_eq!(r["total_users"], direct["total_users"]);
    // A sum metric: mean and SD = sqrt(variance).
    let r = json(&ok(&[
        "power",
        "--from-report",
        &report_path,
        "--metric",
        "revenue",
        "--mde",
        "0.5",
        "--format",
        "json",
    ]));
    let revenue = stat("revenue");
    assert_eq!(r["kind"], "means");
    assert_eq!(r["baseline"], revenue["mean"]);
    close(
        r["sd"].as_f64().unwrap(),
        revenue["variance"].as_f64().unwrap().sqrt(),
    );
    close(
        r["mde_absolute"].as_f64().unwrap(),
        0.5 * revenue["mean"].as_f64().unwrap(),
    );
    // An unknown metric is bad input.
    let out = run(&[
        "power",
        "--from-report",
        &report_path,
        "--metric",
        "nope",
        "--users",
        "100",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope"));
}

#[test]
fn power_rejects_impossible_settings_with_exit_2() {
    for args in [
        // The target rate would pass 100 %.
        &["power", "--baseline", "0.6", "--mde", "1"][..],
        // Power below alpha.
        &[
            "power",
            "--baseline",
            "0.1",
            "--mde",
            "0.1",
            "--power",
            "0.01",
        ][..],
        // A relative MDE of a mean needs the mean.
        &["power", "--sd", "3", "--mde", "0.1"][..],
        // No target.
        &["power", "--baseline", "0.1"][..],
        // Two baselines.
        &["power", "--baseline", "0.1", "--sd", "2", "--users", "10"][..],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
