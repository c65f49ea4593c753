//! Closed forms against scipy / statsmodels / numpy.
//!
//! Every expected literal was printed by `python3 scripts/reference/stats_reference.py`
//! (scipy 1.17.1, statsmodels 0.15.0, numpy 2.4.6); fixture data live in
//! `scripts/reference/fixtures.py` and are reproduced here exactly (literal lists, or
//! integer formulas followed by one correctly rounded division). The comment beside
//! each value is the Python expression that produced it, in that script's names:
//! `st` is `scipy.stats`, `sm` is `statsmodels.api`, `np` is numpy. Tolerance: relative
//! error ≤ 1e-9.

use splitscope_engine::infer::{
    cuped, ratio_moments, welch, welch_ratio, CoMoments, Moments, Welch,
};
use splitscope_engine::validate::chi_square;

const TOL: f64 = 1e-9;

#[track_caller]
fn close(actual: f64, expected: f64) {
    let rel = ((actual - expected) / expected).abs();
    assert!(
        rel <= TOL,
        "actual {actual:e}, expected {expected:e}, relative error {rel:e}"
    );
}

#[track_caller]
fn close2(actual: [f64; 2], expected: [f64; 2]) {
    close(actual[0], expected[0]);
    close(actual[1], expected[1]);
}

// ------------------------------------------------------------------ fixtures
// Copied from scripts/reference/fixtures.py.

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

const RT1_Y: [f64; 10] = [3.0, 0.0, 5.0, 2.0, 7.0, 1.0, 4.0, 0.0, 6.0, 2.0];
const RT1_X: [f64; 10] = [2.0, 1.0, 3.0, 2.0, 4.0, 1.0, 2.0, 1.0, 3.0, 2.0];
const RC1_Y: [f64; 9] = [1.0, 2.0, 0.0, 4.0, 1.0, 3.0, 0.0, 2.0, 5.0];
const RC1_X: [f64; 9] = [2.0, 2.0, 1.0, 3.0, 1.0, 2.0, 1.0, 2.0, 4.0];

fn r2_x(i: u64) -> f64 {
    (1 + (i * 31) % 7) as f64
}
fn ratio2() -> (CoMoments, CoMoments) {
    let yt = gen(3000, |i| ((i * 17) % 5 + (i * 31) % 7 / 2) as f64);
    let xt = gen(3000, r2_x);
    let yc = gen(2800, |i| ((i * 13) % 5 + (i * 31) % 7 / 3) as f64);
    let xc = gen(2800, |i| r2_x(i + 5));
    (
        CoMoments::from_values(&yt, &xt),
        CoMoments::from_values(&yc, &xc),
    )
}

const CT1_Y: [f64; 9] = [5.0, 7.5, 9.0, 6.0, 8.0, 10.5, 7.5, 4.0, 6.5];
const CT1_X: [f64; 9] = [4.0, 6.5, 8.0, 5.0, 7.0, 9.5, 7.0, 3.5, 5.0];
const CC1_Y: [f64; 8] = [4.0, 6.0, 5.0, 8.0, 6.5, 7.0, 3.0, 5.5];
const CC1_X: [f64; 8] = [4.0, 6.0, 5.5, 7.5, 6.0, 7.5, 3.5, 5.0];

fn cx(i: u64) -> f64 {
    ((i * 7919 + 3) % 1013) as f64 / 100.0
}
fn cuped2() -> (CoMoments, CoMoments) {
    let yt = gen(4000, |i| {
        ((i * 7919 + 3) % 1013 + (i * 104729) % 401 + 10) as f64 / 100.0
    });
    let xt = gen(4000, cx);
    let yc = gen(4100, |i| {
        ((i * 7919 + 3) % 1013 + (i * 104723) % 397) as f64 / 100.0
    });
    let xc = gen(4100, |i| cx(i + 11));
    (
        CoMoments::from_values(&yt, &xt),
        CoMoments::from_values(&yc, &xc),
    )
}

// ------------------------------------------------------------------ chi-square

#[test]
fn srm_two_arms() {
    let t = chi_square(&[5120, 4880], &[0.5, 0.5]).unwrap();
    assert_eq!(t.df, 1);
    // shares/shares.sum()*sum(observed)
    assert_eq!(t.expected, vec![5000.0, 5000.0]);
    close(t.chi2, 5.76); // st.chisquare([5120, 4880], f_exp=[5000.0, 5000.0]).statistic
    close(t.p_value, 0.01639507184919225); // st.chisquare([5120, 4880], f_exp=[5000.0, 5000.0]).pvalue
}

#[test]
fn srm_three_arms_unequal_shares() {
    let t = chi_square(&[1010, 2050, 2940], &[1.0, 2.0, 3.0]).unwrap();
    assert_eq!(t.df, 2);
    assert_eq!(t.expected, vec![1000.0, 2000.0, 3000.0]);
    close(t.chi2, 2.55); // st.chisquare([1010, 2050, 2940], f_exp=[1000.0, 2000.0, 3000.0]).statistic
    close(t.p_value, 0.27943096822140745); // st.chisquare([1010, 2050, 2940], f_exp=[1000.0, 2000.0, 3000.0]).pvalue
}

#[test]
fn srm_large_mismatch() {
    let t = chi_square(&[50321, 49111, 25102], &[0.4, 0.4, 0.2]).unwrap();
    // expected = np.array([0.4, 0.4, 0.2]) / 1.0 * 124534
    //   -> [49813.600000000006, 49813.600000000006, 24906.800000000003]
    close(t.expected[0], 49813.600000000006);
    close(t.expected[2], 24906.800000000003);
    close(t.chi2, 16.608066873303674); // st.chisquare([50321, 49111, 25102], f_exp=expected).statistic
    close(t.p_value, 0.00024751646902557655); // st.chisquare([50321, 49111, 25102], f_exp=expected).pvalue
}

// ------------------------------------------------------------------ Welch

/// Expected values of one Welch comparison, in the order the script prints them.
struct ExpectedWelch {
    t: f64,
    p_value: f64,
    df: f64,
    ci: [f64; 2],
    diff: f64,
    se: f64,
    relative_lift: f64,
    relative_ci: [f64; 2],
    relative_p_value: f64,
}

#[track_caller]
fn check_welch(w: &Welch, e: &ExpectedWelch) {
    close(w.t, e.t);
    close(w.p_value, e.p_value);
    close(w.df, e.df);
    close2(w.ci, e.ci);
    close(w.diff, e.diff);
    close(w.se, e.se);
    close(w.relative_lift.unwrap(), e.relative_lift);
    close2(w.relative_ci.unwrap(), e.relative_ci);
    close(w.relative_p_value.unwrap(), e.relative_p_value);
}

#[test]
fn welch_small_samples() {
    let w = welch(&Moments::from_values(&T1), &Moments::from_values(&C1), 0.05).unwrap();
    // r = st.ttest_ind(T1, C1, equal_var=False); ci = r.confidence_interval(0.95)
    // relative(...) is the GrowthBook delta method in stats_reference.py with alpha=0.05.
    check_welch(
        &w,
        &ExpectedWelch {
            t: 1.4173127730191828,                                  // r.statistic
            p_value: 0.1904525191698814,                            // r.pvalue
            df: 8.895102184253517,                                  // r.df
            ci: [-2.1848525163837214, 9.480307061838268],           // [ci.low, ci.high]
            diff: 3.647727272727273,                                // np.mean(T1) - np.mean(C1)
            se: 2.5736925131612445, // np.sqrt(np.var(T1, ddof=1)/8 + np.var(C1, ddof=1)/11)
            relative_lift: 0.978658536585366, // np.mean(T1)/np.mean(C1) - 1
            relative_ci: [-0.8363487532605809, 2.7936658264313126], // lift ∓ st.t.ppf(0.975, r.df)*sqrt(vt/mc**2 + mt**2*vc/mc**4)
            relative_p_value: 0.25311558348679764, // 2*st.t.sf(abs(lift/se_rel), r.df)
        },
    );
}

#[test]
fn welch_large_samples_alpha_ten_percent() {
    let w = welch(
        &Moments::from_values(&t2()),
        &Moments::from_values(&c2()),
        0.10,
    )
    .unwrap();
    // r = st.ttest_ind(T2, C2, equal_var=False); ci = r.confidence_interval(0.90)
    check_welch(
        &w,
        &ExpectedWelch {
            t: 0.6405444697806374,                                     // r.statistic
            p_value: 0.5218576666250867,                               // r.pvalue
            df: 3765.277998409457,                                     // r.df
            ci: [-0.09454931427272423, 0.215107092050504],             // [ci.low, ci.high]
            diff: 0.06027888888888988,                                 // np.mean(T2) - np.mean(C2)
            se: 0.09410570496304987, // np.sqrt(np.var(T2, ddof=1)/2000 + np.var(C2, ddof=1)/1800)
            relative_lift: 0.012106963328293752, // np.mean(T2)/np.mean(C2) - 1
            relative_ci: [-0.01918657158949448, 0.043400498246081984], // relative(..., r.df, 0.10)[1]
            relative_p_value: 0.5244736917150052, // relative(..., r.df, 0.10)[2]
        },
    );
}

#[test]
fn welch_binary_metric() {
    let w = welch(
        &Moments::from_values(&t3()),
        &Moments::from_values(&c3()),
        0.05,
    )
    .unwrap();
    // r = st.ttest_ind(T3, C3, equal_var=False); ci = r.confidence_interval(0.95)
    check_welch(
        &w,
        &ExpectedWelch {
            t: 2.1257882367355196,                                    // r.statistic
            p_value: 0.03354503873886103,                             // r.pvalue
            df: 10120.984209714949,                                   // r.df
            ci: [0.0010815522952751008, 0.026687678473955666],        // [ci.low, ci.high]
            diff: 0.013884615384615384,                               // np.mean(T3) - np.mean(C3)
            se: 0.006531513884909525, // np.sqrt(np.var(T3, ddof=1)/5000 + np.var(C3, ddof=1)/5200)
            relative_lift: 0.11855500821018072, // np.mean(T3)/np.mean(C3) - 1
            relative_ci: [0.003011764915937701, 0.23409825150442376], // relative(..., r.df, 0.05)[1]
            relative_p_value: 0.044320959479129285, // relative(..., r.df, 0.05)[2]
        },
    );
}

#[test]
fn welch_from_warehouse_sums_matches() {
    // Moments from (n, Σ, Σ²) give the same test as from values (to ~1e-9 here).
    let t = t2();
    let (s, s2) = (t.iter().sum::<f64>(), t.iter().map(|v| v * v).sum::<f64>());
    let from_sums = Moments::from_sums(t.len() as u64, s, s2);
    let w = welch(&from_sums, &Moments::from_values(&c2()), 0.10).unwrap();
    close(w.t, 0.6405444697806374); // st.ttest_ind(T2, C2, equal_var=False).statistic
}

// ------------------------------------------------------------------ ratio

#[test]
fn ratio_small() {
    let t = CoMoments::from_values(&RT1_Y, &RT1_X);
    let c = CoMoments::from_values(&RC1_Y, &RC1_X);
    // ratio_arm(y, x): r = y.mean()/x.mean(); cov = np.cov(y, x, ddof=1);
    // (cov[0,0]/xb**2 - 2*yb*cov[0,1]/xb**3 + yb**2*cov[1,1]/xb**4)/n, asserted equal
    // to np.var(y - r*x, ddof=1)/(n*xb**2) in the script.
    let rt = ratio_moments(&t);
    let rc = ratio_moments(&c);
    assert_eq!((rt.n, rc.n), (10, 9));
    close(rt.ratio, 1.4285714285714286); // np.mean(RT1_Y)/np.mean(RT1_X)
    close(rt.variance_of_ratio, 0.03064566718599763); // ratio_arm(RT1_Y, RT1_X)[1]
    close(rc.ratio, 1.0); // np.mean(RC1_Y)/np.mean(RC1_X)
    close(rc.variance_of_ratio, 0.020833333333333332); // ratio_arm(RC1_Y, RC1_X)[1]

    let w = welch_ratio(&t, &c, 0.05).unwrap();
    // ratio("ratio1", ...): df = (vt+vc)**2/(vt**2/(nt-1) + vc**2/(nc-1)); q = st.t.ppf(0.975, df)
    check_welch(
        &w,
        &ExpectedWelch {
            t: 1.8888964984439276,                                   // diff/se
            p_value: 0.07639047150704766,                            // 2*st.t.sf(abs(diff/se), df)
            df: 16.708806025381914,                                  // df
            ci: [-0.050760585094553, 0.9079034422374102],            // diff ∓ q*se
            diff: 0.4285714285714286,                                // rt - rc
            se: 0.2268898422568339,                                  // np.sqrt(vt + vc)
            relative_lift: 0.4285714285714286,                       // rt/rc - 1
            relative_ci: [-0.14286269030779408, 1.0000055474506513], // relative(rt, vt, rc, vc, df, 0.05)[1]
            relative_p_value: 0.1318340126101871, // relative(rt, vt, rc, vc, df, 0.05)[2]
        },
    );
}

#[test]
fn ratio_large() {
    let (t, c) = ratio2();
    let (rt, rc) = (ratio_moments(&t), ratio_moments(&c));
    close(rt.ratio, 0.8214851237603134); // np.mean(RT2_Y)/np.mean(RT2_X)
    close(rt.variance_of_ratio, 5.1592555561352134e-05); // ratio_arm(RT2_Y, RT2_X)[1]
    close(rc.ratio, 0.6785714285714286); // np.mean(RC2_Y)/np.mean(RC2_X)
    close(rc.variance_of_ratio, 9.672277271037022e-05); // ratio_arm(RC2_Y, RC2_X)[1]
    let w = welch_ratio(&t, &c, 0.05).unwrap();
    // ratio("ratio2", ...), as in ratio_small
    check_welch(
        &w,
        &ExpectedWelch {
            t: 11.734938822849093,                                  // diff/se
            p_value: 2.094114886099176e-31,                         // 2*st.t.sf(abs(diff/se), df)
            df: 5200.425450932429,                                  // df
            ci: [0.11903876005993419, 0.1667886303178353],          // diff ∓ q*se
            diff: 0.14291369518888475,                              // rt - rc
            se: 0.012178478076989848,                               // np.sqrt(vt + vc)
            relative_lift: 0.2106096560678301,                      // rt/rc - 1
            relative_ci: [0.17043774908088483, 0.2507815630547754], // relative(rt, vt, rc, vc, df, 0.05)[1]
            relative_p_value: 1.5197254000998541e-24, // relative(rt, vt, rc, vc, df, 0.05)[2]
        },
    );
}

// ------------------------------------------------------------------ CUPED

/// Expected CUPED values, in the order the script prints them.
struct ExpectedCuped {
    theta: f64,
    diff: f64,
    se: f64,
    df: f64,
    ci: [f64; 2],
    p_value: f64,
    variance_reduction: f64,
    relative_lift: f64,
    relative_ci: [f64; 2],
    relative_p_value: f64,
}

#[track_caller]
fn check_cuped(r: &splitscope_engine::infer::Cuped, e: &ExpectedCuped) {
    close(r.theta, e.theta);
    close(r.diff, e.diff);
    close(r.se, e.se);
    close(r.df, e.df);
    close2(r.ci, e.ci);
    close(r.p_value, e.p_value);
    close(r.variance_reduction, e.variance_reduction);
    close(r.relative_lift.unwrap(), e.relative_lift);
    close2(r.relative_ci.unwrap(), e.relative_ci);
    close(r.relative_p_value.unwrap(), e.relative_p_value);
}

#[test]
fn cuped_small() {
    let t = CoMoments::from_values(&CT1_Y, &CT1_X);
    let c = CoMoments::from_values(&CC1_Y, &CC1_X);
    let r = cuped(&t, &c, 0.05).unwrap();
    // cuped("cuped1", CT1_Y, CT1_X, CC1_Y, CC1_X, 0.05) in stats_reference.py:
    // theta = np.cov(y, x)[0,1]/np.var(x, ddof=1) over both arms (asserted equal to
    // sm.OLS(y, sm.add_constant(x)).fit().params[1]); vt = (ct[0,0] + θ²ct[1,1] − 2θct[0,1])/nt.
    check_cuped(
        &r,
        &ExpectedCuped {
            theta: 1.0750788643533122,                              // theta
            diff: 0.9037767262530663, // (yt.mean()-θ*xt.mean()) - (yc.mean()-θ*xc.mean())
            se: 0.19319711860294314,  // np.sqrt(vt + vc)
            df: 12.572019293454002,   // (vt+vc)**2/(vt**2/(nt-1) + vc**2/(nc-1))
            ci: [0.4849507804467494, 1.322602672059383], // diff ∓ st.t.ppf(0.975, df)*se
            p_value: 0.00047201112138233375, // 2*st.t.sf(abs(diff/se), df)
            variance_reduction: 0.9515903286255916, // 1 - (vt+vc)/(ct[0,0]/nt + cc[0,0]/nc)
            relative_lift: 0.1606714180005451, // diff/yc.mean()
            relative_ci: [0.05684857386928134, 0.2644942621318089], // lift ∓ q*np.sqrt(v_rel) (GrowthBook formula)
            relative_p_value: 0.005395615773751111, // 2*st.t.sf(abs(lift/np.sqrt(v_rel)), df)
        },
    );
}

#[test]
fn cuped_large() {
    let (t, c) = cuped2();
    let r = cuped(&t, &c, 0.05).unwrap();
    // cuped("cuped2", CT2_Y, CT2_X, CC2_Y, CC2_X, 0.05), as in cuped_small
    check_cuped(
        &r,
        &ExpectedCuped {
            theta: 0.9699205689726016,                                 // theta
            diff: 0.12370359458284952,                                 // diff
            se: 0.029580135004903762,                                  // np.sqrt(vt + vc)
            df: 7732.740160743767,                                     // Welch–Satterthwaite df
            ci: [0.06571851924405178, 0.18168866992164726], // diff ∓ st.t.ppf(0.975, df)*se
            p_value: 2.921696038454915e-05,                 // 2*st.t.sf(abs(diff/se), df)
            variance_reduction: 0.8198077867248678,         // 1 - (vt+vc)/unadj
            relative_lift: 0.017571880327101906,            // diff/yc.mean()
            relative_ci: [0.009253483496728889, 0.025890277157474925], // lift ∓ q*np.sqrt(v_rel)
            relative_p_value: 3.496253514377067e-05, // 2*st.t.sf(abs(lift/np.sqrt(v_rel)), df)
        },
    );
}
