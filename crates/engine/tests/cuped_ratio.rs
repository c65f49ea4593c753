//! CUPED for ratio metrics: against GrowthBook's own implementation (gbstats'
//! `RegressionAdjustedRatioStatistic`), an independent code base, and end to end
//! through `analyze` on generated data.
//!
//! Every expected literal was printed by
//! `python3 scripts/reference/cuped_ratio.py <growthbook>/packages/stats` with
//! gbstats from github.com/growthbook/growthbook at commit
//! 8f1db4456915a8e7b7faf23d5632ca7219d2f469 (numpy 2.4.6, scipy 1.17.1). `a` is the
//! control's statistic, `b` the treatment's; the comment beside each value is the
//! Python expression. Tolerance: relative error ≤ 1e-9.

use splitscope_engine::generate::{generate, GeneratorConfig, VariantSpec};
use splitscope_engine::infer::{cuped_ratio, QuadMoments};
use splitscope_engine::plan::Plan;
use splitscope_engine::{analyze, Input, NoProgress};

const TOL: f64 = 1e-9;

#[track_caller]
fn close(actual: f64, expected: f64) {
    let err = (actual - expected).abs();
    // Visible with `-- --nocapture`: the measured relative error.
    println!(
        "expected {expected:e}: relative error {:e}",
        err / expected.abs()
    );
    assert!(
        err <= TOL * expected.abs(),
        "actual {actual:e}, expected {expected:e}, error {err:e}"
    );
}

// m = post numerator, d = post denominator, x = pre numerator, e = pre denominator.
const MT: [f64; 12] = [
    12.5, 3.0, 0.0, 7.25, 20.0, 5.5, 9.0, 1.0, 14.0, 6.0, 0.0, 11.5,
];
const DT: [f64; 12] = [4.0, 2.0, 1.0, 3.0, 6.0, 2.0, 3.0, 1.0, 5.0, 2.0, 1.0, 4.0];
const XT: [f64; 12] = [
    10.0, 2.5, 1.0, 6.0, 15.0, 3.0, 8.0, 0.0, 12.5, 4.0, 0.5, 9.0,
];
const ET: [f64; 12] = [3.0, 2.0, 1.0, 3.0, 5.0, 2.0, 3.0, 1.0, 4.0, 2.0, 1.0, 3.0];
const MC: [f64; 11] = [8.0, 2.0, 0.5, 6.0, 15.5, 4.0, 7.0, 0.0, 10.0, 3.5, 9.0];
const DC: [f64; 11] = [3.0, 2.0, 1.0, 3.0, 5.0, 2.0, 3.0, 1.0, 4.0, 2.0, 4.0];
const XC: [f64; 11] = [7.5, 1.0, 1.0, 5.0, 13.0, 3.5, 6.0, 0.5, 9.0, 2.0, 7.0];
const EC: [f64; 11] = [3.0, 1.0, 1.0, 2.0, 5.0, 2.0, 3.0, 1.0, 4.0, 2.0, 3.0];

fn arms() -> (QuadMoments, QuadMoments) {
    (
        QuadMoments::from_values(&MT, &DT, &XT, &ET),
        QuadMoments::from_values(&MC, &DC, &XC, &EC),
    )
}

fn check_against_gbstats(t: &QuadMoments, c: &QuadMoments) {
    let r = cuped_ratio(t, c, 0.05).unwrap();
    // compute_theta_regression_adjusted_ratio(a, b)
    close(r.theta, 0.8142590259657425);
    // TwoSidedTTest([(a, b)], FrequentistConfig(difference_type="absolute")).compute_result()
    close(r.diff, 0.18947653495305894); // .expected
    close(r.se, 0.16891178357825243); // .uplift.stddev
    close(r.ci[0], -0.16182486989068995); // .ci[0]
    close(r.ci[1], 0.5407779397968078); // .ci[1]
    close(r.p_value, 0.27465027428635524); // .pValue
    close(r.df, 20.97047039780521); // test.dof
                                    // b.variance / b.n + a.variance / a.n with θ set
    close(r.se * r.se, 0.028531190631586385);
    // TwoSidedTTest([(a, b)], FrequentistConfig(difference_type="relative")).compute_result()
    close(r.relative_lift.unwrap(), 0.08678314578002701); // .expected
    let rel_ci = r.relative_ci.unwrap();
    close(rel_ci[0], -0.08492206967420347); // .ci[0]
    close(rel_ci[1], 0.2584883612342575); // .ci[1]
    close(r.relative_p_value.unwrap(), 0.3051448439567621); // .pValue
                                                            // frequentist_variance_relative_cuped_ratio(a_t, b_t) = uplift.stddev²: 0.08255883350356112²
    let rel_se = (rel_ci[1] - rel_ci[0]) / 2.0 / ((r.ci[1] - r.ci[0]) / 2.0 / r.se);
    close(rel_se * rel_se, 0.006815960989468726);
    close(rel_se, 0.08255883350356112);
}

#[test]
fn matches_gbstats_from_values() {
    let (t, c) = arms();
    check_against_gbstats(&t, &c);
}

#[test]
fn matches_gbstats_from_warehouse_sums() {
    let from_sums = |cols: [&[f64]; 4]| {
        let sums = cols.map(|c| c.iter().sum::<f64>());
        let products = cols.map(|a| cols.map(|b| a.iter().zip(b).map(|(p, q)| p * q).sum()));
        QuadMoments::from_sums(cols[0].len() as u64, sums, products)
    };
    let t = from_sums([&MT, &DT, &XT, &ET]);
    let c = from_sums([&MC, &DC, &XC, &EC]);
    check_against_gbstats(&t, &c);
}

#[test]
fn merged_halves_match_gbstats() {
    // The pooled-arms path merges moments (Chan); halves merged must give the same.
    let half = |a: &[f64], lo: usize, hi: usize| a[lo..hi].to_vec();
    let part = |lo: usize, hi: usize| {
        QuadMoments::from_values(
            &half(&MT, lo, hi),
            &half(&DT, lo, hi),
            &half(&XT, lo, hi),
            &half(&ET, lo, hi),
        )
    };
    let t = part(0, 5).merge(&part(5, 12));
    let (_, c) = arms();
    check_against_gbstats(&t, &c);
}

/// `analyze` on generated data (which has a pre-period correlated with the window)
/// with CUPED on reports `cuped` for a ratio metric, and it is what decides.
#[test]
fn analyze_reports_cuped_for_a_ratio_metric() {
    let mut config = GeneratorConfig::new(6000, 60_000);
    config.seed = 17;
    config.variants[1] = VariantSpec::new("variant", 0.1, 0.1);
    let (mut exposures, mut events) = (Vec::new(), Vec::new());
    generate(&config, &mut exposures, &mut events).unwrap();
    let plan_with = |cuped: bool| {
        Plan::from_json(&format!(
            r#"{{"cuped": {{"enabled": {cuped}, "pre_window": "{}d"}}, "window": "{}d",
                "metrics": [
                {{"name": "revenue", "kind": "sum", "event": "purchase", "role": "primary"}},
                {{"name": "views", "kind": "count", "event": "view"}},
                {{"name": "revenue_per_view", "kind": "ratio", "numerator": "revenue",
                  "denominator": "views"}}]}}"#,
            config.pre_days, config.window_days
        ))
        .unwrap()
    };
    let run = |plan: &Plan| {
        analyze(
            Input::new("exposures.csv", &exposures[..]),
            Input::new("events.csv", &events[..]),
            plan,
            &mut NoProgress,
        )
        .unwrap()
    };
    let report = run(&plan_with(true));
    let c = report.comparison("revenue_per_view", "variant").unwrap();
    let cuped = c.cuped.as_ref().expect("CUPED for the ratio metric");
    let welch = c.welch.as_ref().unwrap();
    assert!(cuped.theta > 0.0, "{cuped:?}");
    assert!(
        cuped.variance_reduction > 0.0 && cuped.se < welch.se,
        "{cuped:?}"
    );
    assert!(cuped.relative_lift.is_some() && cuped.relative_ci.is_some());
    assert_eq!(c.p_value, Some(cuped.p_value), "CUPED's p-value decides");
    // Without CUPED the ratio gets the plain delta-method test only, unchanged.
    let plain = run(&plan_with(false));
    let p = plain.comparison("revenue_per_view", "variant").unwrap();
    assert!(p.cuped.is_none());
    assert_eq!(p.welch.as_ref().unwrap().p_value, welch.p_value);
}
