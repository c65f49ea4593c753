//! Beyond-the-course methods against scipy / statsmodels / numpy and published
//! formulas: multiple-testing corrections, Mann–Whitney U, power, winsor bounds,
//! confidence sequences and the Bayesian lift.
//!
//! Every expected literal was printed by `python3 scripts/reference/beyond.py`
//! (scipy 1.17.1, statsmodels 0.15.0, numpy 2.4.6); fixtures T1/C1, T2/C2, T3/C3
//! are those of `scripts/reference/fixtures.py` (also used by `stats_reference.rs`).
//! The comment beside each value is the Python expression that produced it.
//! Tolerance: relative error ≤ 1e-9 (absolute ≤ 1e-15 near zero), except where a
//! comment says otherwise.

use splitscope_engine::infer::power::{
    duration_days, mde_means, mde_proportions, sample_size_means, sample_size_proportions,
};
use splitscope_engine::infer::{
    bayes_lift, benjamini_hochberg, confidence_sequence, holm, mann_whitney, sequential_p_value,
    winsor_bounds, Correction, Moments, Prior,
};

const TOL: f64 = 1e-9;

#[track_caller]
fn close(actual: f64, expected: f64) {
    let err = (actual - expected).abs();
    let ok = err <= TOL * expected.abs() || err <= 1e-15;
    assert!(
        ok,
        "actual {actual:e}, expected {expected:e}, error {err:e}"
    );
}

#[track_caller]
fn close_all(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        close(*a, *e);
    }
}

// ------------------------------------------------------------------ fixtures

const T1: [f64; 8] = [12.5, 0.0, 3.25, 8.0, 19.75, 4.5, 0.0, 11.0];
const C1: [f64; 11] = [7.0, 2.5, 0.0, 9.25, 3.0, 5.5, 0.0, 1.75, 6.0, 4.0, 2.0];

fn gen(n: u64, f: impl Fn(u64) -> f64) -> Vec<f64> {
    (0..n).map(f).collect()
}
fn t2() -> Vec<f64> {
    gen(2000, |i| ((i * 7919 + 13) % 1009) as f64 / 100.0)
}
fn c2() -> Vec<f64> {
    gen(1800, |i| ((i * 6151 + 7) % 997) as f64 / 100.0)
}
fn t3() -> Vec<f64> {
    gen(5000, |i| if (i * 7919) % 1000 < 131 { 1.0 } else { 0.0 })
}
fn c3() -> Vec<f64> {
    gen(5200, |i| if (i * 6151) % 1000 < 117 { 1.0 } else { 0.0 })
}
fn m(v: &[f64]) -> Moments {
    Moments::from_values(v)
}

// ------------------------------------------------------------------ Holm / BH

const P1: [f64; 6] = [0.01, 0.04, 0.03, 0.005, 0.2, 0.6];
const P2: [f64; 7] = [0.02, 0.02, 0.5, 1.0, 0.001, 0.02, 0.049];
const P3: [f64; 10] = [0.9, 0.0001, 0.04, 0.04, 0.3, 1.0, 0.012, 0.07, 0.5, 0.0];

#[test]
fn holm_matches_statsmodels() {
    // multipletests(P1, method='holm')[1]
    close_all(&holm(&P1), &[0.05, 0.12, 0.12, 0.03, 0.4, 0.6]);
    // multipletests(P2, method='holm')[1]
    let e2 = [0.12, 0.12, 1.0, 1.0, 0.007, 0.12, 0.14700000000000002];
    close_all(&holm(&P2), &e2);
    // multipletests(P3, method='holm')[1]
    let e3 = [
        1.0,
        0.0009000000000000001,
        0.28,
        0.28,
        1.0,
        1.0,
        0.096,
        0.35000000000000003,
        1.0,
        0.0,
    ];
    close_all(&holm(&P3), &e3);
    assert_eq!(Correction::Holm.adjust(&P3), holm(&P3));
}

#[test]
fn benjamini_hochberg_matches_statsmodels() {
    // multipletests(P1, method='fdr_bh')[1]
    let e1 = [
        0.030000000000000002,
        0.060000000000000005,
        0.06,
        0.030000000000000002,
        0.24,
        0.6,
    ];
    close_all(&benjamini_hochberg(&P1), &e1);
    // multipletests(P2, method='fdr_bh')[1]
    let e2 = [0.035, 0.035, 0.5833333333333334, 1.0, 0.007, 0.035, 0.0686];
    close_all(&benjamini_hochberg(&P2), &e2);
    // multipletests(P3, method='fdr_bh')[1]
    let e3 = [
        1.0,
        0.0005,
        0.08,
        0.08,
        0.4285714285714286,
        1.0,
        0.04,
        0.11666666666666668,
        0.625,
        0.0,
    ];
    close_all(&benjamini_hochberg(&P3), &e3);
    assert_eq!(
        Correction::BenjaminiHochberg.adjust(&P2),
        benjamini_hochberg(&P2)
    );
}

// ------------------------------------------------------------------ Mann–Whitney

#[test]
fn mann_whitney_matches_scipy() {
    // st.mannwhitneyu(T, C, alternative='two-sided', method='asymptotic', use_continuity=True)
    let cases: [(Vec<f64>, Vec<f64>, f64, f64); 3] = [
        // T1/C1: small, zeros tied across arms
        (T1.to_vec(), C1.to_vec(), 58.0, 0.2628640639397438),
        // T2/C2: 3800 values on a 0.01 grid, many ties
        (t2(), c2(), 1821497.0, 0.5243932893685774),
        // T3/C3: binary, two huge tie groups
        (t3(), c3(), 13180500.0, 0.033385297003022035),
    ];
    for (t, c, u, p) in cases {
        let mw = mann_whitney(&t, &c).unwrap();
        assert_eq!(mw.u, u);
        close(mw.p_value, p);
        close(mw.common_language_effect, u / (t.len() * c.len()) as f64);
        // z and p agree: p = 2·sf(|z|) (scipy.stats.norm.isf(p/2) recovers |z|).
        assert!(mw.z.is_finite());
    }
    // T3 converts more often than C3, so treatment ranks higher.
    assert!(mann_whitney(&t3(), &c3()).unwrap().z > 0.0);
}

// ------------------------------------------------------------------ power

#[test]
fn sample_size_means_matches_statsmodels() {
    // NormalIndPower().solve_power(effect_size=1.0/10.0, alpha=0.05, power=0.8, ratio=1)
    let n = sample_size_means(10.0, 1.0, 0.05, 0.8, 0.5).unwrap();
    close(n.total_exact * 0.5, 1569.7721019023288);
    assert_eq!((n.control, n.treatment, n.total), (1570, 1570, 3140));
    // NormalIndPower().solve_power(effect_size=0.25/3.0, alpha=0.01, power=0.9, ratio=0.3/0.7)
    // -> nobs1, the control arm = 0.7·N.
    let n = sample_size_means(3.0, -0.25, 0.01, 0.9, 0.3).unwrap();
    close(n.total_exact * 0.7, 7142.1058399216945);
    assert_eq!(n.control, 7143);
    assert_eq!(n.treatment, (n.total_exact * 0.3).ceil() as u64);
}

#[test]
fn sample_size_proportions_matches_statsmodels() {
    // h1 = proportion_effectsize(0.10*1.1, 0.10) = 0.03262940076737708
    // NormalIndPower().solve_power(effect_size=h1, alpha=0.05, power=0.8, ratio=1)
    let n = sample_size_proportions(0.10, 0.10, 0.05, 0.8, 0.5).unwrap();
    close(n.total_exact * 0.5, 14744.10483692551);
    assert_eq!((n.control, n.treatment), (14745, 14745));
    // h2 = proportion_effectsize(0.03*(1-0.2), 0.03) = -0.03707441948099954
    // NormalIndPower().solve_power(effect_size=abs(h2), alpha=0.05, power=0.9, ratio=0.6/0.4)
    let n = sample_size_proportions(0.03, -0.2, 0.05, 0.9, 0.6).unwrap();
    close(n.total_exact * 0.4, 12740.782397705898);
}

/// statsmodels' `solve_power(effect_size=None, …)` stops early (for `nobs1=1570` it
/// returns 0.09999360698750049, whose power is 0.8000068), so the reference MDEs are
/// tight roots of statsmodels' own `NormalIndPower().power`: `solve_effect(nobs1,
/// alpha, power, ratio)` in beyond.py is `brentq(lambda d: power(d, nobs1, alpha,
/// ratio) - power, 1e-6, 10, xtol=1e-16, rtol=1e-15)`.
#[test]
fn mde_matches_statsmodels() {
    // 10 * solve_effect(nobs1=1570, alpha=0.05, power=0.8, ratio=1)
    close(
        mde_means(10.0, 3140, 0.05, 0.8, 0.5).unwrap(),
        0.9999274183421425,
    );
    // h = solve_effect(nobs1=10000, alpha=0.05, power=0.8, ratio=1)
    // math.sin(math.asin(math.sqrt(0.1)) + h/2)**2 / 0.1 - 1
    close(
        mde_proportions(0.1, 20000, 0.05, 0.8, 0.5).unwrap(),
        0.12196908728754918,
    );
    // h = solve_effect(nobs1=12000*0.7, alpha=0.01, power=0.9, ratio=0.3/0.7)
    // math.sin(math.asin(math.sqrt(0.02)) + h/2)**2 / 0.02 - 1
    close(
        mde_proportions(0.02, 12000, 0.01, 0.9, 0.3).unwrap(),
        0.608176261314596,
    );
    assert_eq!(duration_days(29_490, 2_000.0), Some(15));
}

// ------------------------------------------------------------------ winsor bounds

#[test]
fn winsor_bounds_match_numpy() {
    let pool1: Vec<f64> = T1.iter().chain(&C1).copied().collect();
    // np.percentile(T1 + C1, q) for q = 5, 95 -> 0.0, 13.224999999999984
    let b = winsor_bounds(&pool1, Some(5.0), Some(95.0)).unwrap();
    assert_eq!(b, (Some(0.0), Some(13.224999999999984)));
    // np.percentile(T1 + C1, 99) -> 18.445 ; np.percentile(T1 + C1, 2.5) -> 0.0
    assert_eq!(
        winsor_bounds(&pool1, Some(2.5), Some(99.0)).unwrap(),
        (Some(0.0), Some(18.445))
    );
    let pool2: Vec<f64> = t2().into_iter().chain(c2()).collect();
    // np.percentile(T2 + C2, 0.5) -> 0.049950000000000015 ; (…, 99.5) -> 9.99
    assert_eq!(
        winsor_bounds(&pool2, Some(0.5), Some(99.5)).unwrap(),
        (Some(0.049950000000000015), Some(9.99))
    );
    // np.percentile(T2 + C2, 1) -> 0.1 ; (…, 99) -> 9.93
    assert_eq!(
        winsor_bounds(&pool2, Some(1.0), None).unwrap(),
        (Some(0.1), None)
    );
    assert_eq!(
        winsor_bounds(&pool2, None, Some(99.0)).unwrap(),
        (None, Some(9.93))
    );
}

// ------------------------------------------------------------------ confidence sequences

/// One expected confidence sequence, from `cs(...)` in beyond.py (the published
/// formula computed by hand with `math.log` / `math.sqrt`).
struct CsCase {
    diff: f64,
    ci: [f64; 2],
    lift: f64,
    relative_ci: [f64; 2],
    p: f64,
    relative_p: f64,
}

#[track_caller]
fn check_cs(t: &Moments, c: &Moments, alpha: f64, tuning: f64, e: CsCase) {
    let cs = confidence_sequence(t, c, alpha, tuning).unwrap();
    close(cs.diff, e.diff);
    close_all(&cs.ci, &e.ci);
    close(cs.relative_lift.unwrap(), e.lift);
    close_all(&cs.relative_ci.unwrap(), &e.relative_ci);
    assert_eq!(cs.tuning_n, tuning);
    let p = sequential_p_value(t, c, alpha, tuning).unwrap();
    close(p.p_value, e.p);
    close(p.relative_p_value.unwrap(), e.relative_p);
}

#[test]
#[rustfmt::skip]
fn confidence_sequence_matches_hand_computation() {
    // cs(T2, C2, 0.05, 5000.0)
    check_cs(&m(&t2()), &m(&c2()), 0.05, 5000.0, CsCase {
        diff: 0.06027888888888988, ci: [-0.2260654121021276, 0.34662318987990737],
        lift: 0.012106963328293752, relative_ci: [-0.04576831519714781, 0.0699822418537353],
        p: 1.0, relative_p: 1.0,
    });
    // cs(T1, C1, 0.1, 100.0)
    check_cs(&m(&T1), &m(&C1), 0.1, 100.0, CsCase {
        diff: 3.647727272727273, ci: [-4.442474131120768, 11.737928676575315],
        lift: 0.978658536585366, relative_ci: [-1.5388851670978065, 3.4962022402685387],
        p: 0.8576408450145118, relative_p: 0.9872596370681753,
    });
    // cs(T3, C3, 0.05, 20000.0)
    check_cs(&m(&t3()), &m(&c3()), 0.05, 20000.0, CsCase {
        diff: 0.013884615384615384, ci: [-0.006236934348615494, 0.034006165117846265],
        lift: 0.11855500821018072, relative_ci: [-0.06303506129588962, 0.3001450777162511],
        p: 0.36699869876051905, relative_p: 0.44375545396653004,
    });
}

/// GrowthBook's own unit tests for `SequentialTwoSidedTTest` (gbstats,
/// `packages/stats/tests/frequentist/test_tests.py`, `TestSequentialTTest`), whose
/// expected values are rounded to 5 decimals; those tests are on the relative lift.
#[test]
fn confidence_sequence_matches_gbstats_examples() {
    let within = |a: f64, e: f64| assert!((a - e).abs() <= 5e-6, "{a} vs {e}");
    // test_sequential_test_runs: stat_a = SampleMeanStatistic(sum=1396.87,
    // sum_squares=52377.9767, n=3000) (control), stat_b = (sum=2422.7,
    // sum_squares=134698.29, n=3461), sequential_tuning_parameter=1000
    // -> expected 0.50336, ci [-0.55844, 1.56516], p_value 1
    let c = Moments::from_sums(3000, 1396.87, 52377.9767);
    let t = Moments::from_sums(3461, 2422.7, 134698.29);
    let cs = confidence_sequence(&t, &c, 0.05, 1000.0).unwrap();
    within(cs.relative_lift.unwrap(), 0.50336);
    let rel = cs.relative_ci.unwrap();
    within(rel[0], -0.55844);
    within(rel[1], 1.56516);
    let p = sequential_p_value(&t, &c, 0.05, 1000.0).unwrap();
    assert_eq!(p.relative_p_value, Some(1.0));
    // test_sequential_test_runs_prop: ProportionStatistic(sum=1396, n=3000) vs
    // (sum=2422, n=3461), default tuning 5000 -> 0.50386, ci [0.40098, 0.60675],
    // p 0.0. gbstats' proportion variance is p(1 − p) (ddof 0), so build Moments
    // with m2 = (n − 1)·p(1 − p) to reproduce it.
    let prop = |sum: f64, n: u64| {
        let p = sum / n as f64;
        Moments {
            n,
            mean: p,
            m2: (n - 1) as f64 * p * (1.0 - p),
        }
    };
    let (t, c) = (prop(2422.0, 3461), prop(1396.0, 3000));
    let cs = confidence_sequence(&t, &c, 0.05, 5000.0).unwrap();
    within(cs.relative_lift.unwrap(), 0.50386);
    let rel = cs.relative_ci.unwrap();
    within(rel[0], 0.40098);
    within(rel[1], 0.60675);
    let p = sequential_p_value(&t, &c, 0.05, 5000.0).unwrap();
    within(p.relative_p_value.unwrap(), 0.0);
}

// ------------------------------------------------------------------ Bayes

/// Expected posterior summary, from `bayes(...)` in beyond.py: the posterior
/// density (prior × Gaussian likelihood of the lift) integrated numerically with
/// `scipy.integrate.quad(epsrel=1e-13)`, the interval by `brentq` on that CDF.
struct BayesCase {
    mean: f64,
    sd: f64,
    ci: [f64; 2],
    ctw: f64,
    loss_variant: f64,
    loss_control: f64,
}

#[track_caller]
fn check_bayes(t: &Moments, c: &Moments, prior: Prior, alpha: f64, e: BayesCase) {
    let b = bayes_lift(t, c, &prior, alpha).unwrap();
    close(b.posterior_mean, e.mean);
    close(b.posterior_sd, e.sd);
    close_all(&b.ci, &e.ci);
    close(b.chance_to_beat_control, e.ctw);
    close(b.expected_loss_variant, e.loss_variant);
    close(b.expected_loss_control, e.loss_control);
}

#[test]
#[rustfmt::skip]
fn bayes_matches_numeric_integration() {
    // bayes(T1, C1, 0.0, 0.3, 0.05)
    check_bayes(&m(&T1), &m(&C1), Prior::default(), 0.05, BayesCase {
        mean: 0.12042078038310634, sd: 0.280937341619391,
        ci: [-0.43020629110332553, 0.671047851869539], ctw: 0.6659071230774233,
        loss_variant: 0.062008716724590365, loss_control: 0.1824294971076967,
    });
    // bayes(T1, C1, 0.0, None, 0.05)   (flat prior)
    check_bayes(&m(&T1), &m(&C1), Prior::flat(), 0.05, BayesCase {
        mean: 0.978658536585366, sd: 0.8008927167924079,
        ci: [-0.5910623438081912, 2.5483794169789236], ctw: 0.8891385457352126,
        loss_variant: 0.042945451610596194, loss_control: 1.021603988195962,
    });
    // bayes(T2, C2, 0.02, 0.05, 0.1)
    check_bayes(&m(&t2()), &m(&c2()), Prior { mean: 0.02, sd: 0.05 }, 0.1, BayesCase {
        mean: 0.013104776724308901, sd: 0.01777757866908581,
        ci: [-0.016136738027952048, 0.042346291476569875], ctw: 0.7694850239895018,
        loss_variant: 0.0023840368116597715, loss_control: 0.015488813535968675,
    });
    // bayes(T3, C3, 0.0, None, 0.05)   (flat prior)
    check_bayes(&m(&t3()), &m(&c3()), Prior::flat(), 0.05, BayesCase {
        mean: 0.1185550082101807, sd: 0.05894466758600613,
        ci: [0.003025582660923175, 0.2340844337594379], ctw: 0.9778527510413825,
        loss_variant: 0.00048553891283563004, loss_control: 0.11904054712301633,
    });
}
