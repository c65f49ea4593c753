"""Expected values for crates/engine/tests/stats_reference.rs.

Run:  python3 scripts/reference/stats_reference.py
(scipy 1.17.1, statsmodels 0.15.0, numpy 2.4.6 when the literals were produced.)
Every number is printed with repr(), i.e. the shortest string that round-trips.
"""

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.api as sm

from fixtures import (
    C1, C2, C3, T1, T2, T3,
    RT1_Y, RT1_X, RC1_Y, RC1_X, RT2_Y, RT2_X, RC2_Y, RC2_X,
    CT1_Y, CT1_X, CC1_Y, CC1_X, CT2_Y, CT2_X, CC2_Y, CC2_X,
)

print(f"# scipy {scipy.__version__}, statsmodels {statsmodels.__version__}, numpy {np.__version__}")


def show(label, value):
    print(f"{label} = {value!r}")


# ---------------------------------------------------------------- chi-square (SRM)
def srm(name, observed, shares):
    shares = np.asarray(shares, dtype=float)
    expected = shares / shares.sum() * sum(observed)
    r = st.chisquare(observed, f_exp=expected)
    show(f"{name}.chi2", float(r.statistic))
    show(f"{name}.p_value", float(r.pvalue))
    show(f"{name}.expected", expected.tolist())


srm("srm1", [5120, 4880], [0.5, 0.5])
srm("srm2", [1010, 2050, 2940], [1.0, 2.0, 3.0])
srm("srm3", [50321, 49111, 25102], [0.4, 0.4, 0.2])


# ------------------------------------------------------------------------- Welch
def relative(mt, vt, mc, vc, df, alpha):
    """GrowthBook frequentist delta method: vt, vc are variances of the two means."""
    lift = mt / mc - 1
    var = vt / mc**2 + mt**2 * vc / mc**4
    q = st.t.ppf(1 - alpha / 2, df)
    se = np.sqrt(var)
    p = 2 * st.t.sf(abs(lift / se), df)
    return lift, [lift - q * se, lift + q * se], p


def welch(name, a, b, alpha):
    a, b = np.asarray(a), np.asarray(b)
    r = st.ttest_ind(a, b, equal_var=False)
    ci = r.confidence_interval(1 - alpha)
    show(f"{name}.t", float(r.statistic))
    show(f"{name}.p_value", float(r.pvalue))
    show(f"{name}.df", float(r.df))
    show(f"{name}.ci", [float(ci.low), float(ci.high)])
    show(f"{name}.diff", float(a.mean() - b.mean()))
    vt, vc = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    show(f"{name}.se", float(np.sqrt(vt + vc)))
    lift, rci, rp = relative(a.mean(), vt, b.mean(), vc, float(r.df), alpha)
    show(f"{name}.relative_lift", float(lift))
    show(f"{name}.relative_ci", [float(v) for v in rci])
    show(f"{name}.relative_p_value", float(rp))


welch("welch1", T1, C1, 0.05)
welch("welch2", T2, C2, 0.10)
welch("welch3", T3, C3, 0.05)


# ------------------------------------------------------------------------- ratio
def ratio_arm(y, x):
    """Delta-method variance of ȳ/x̄, two independent ways."""
    y, x = np.asarray(y), np.asarray(x)
    n = len(y)
    r = y.mean() / x.mean()
    cov = np.cov(y, x, ddof=1)
    formula = (cov[0, 0] / x.mean() ** 2 - 2 * y.mean() * cov[0, 1] / x.mean() ** 3
               + y.mean() ** 2 * cov[1, 1] / x.mean() ** 4) / n
    # Linearisation: Var(R) = Var(y - R x) / (n x̄²), same quantity by another route.
    linear = np.var(y - r * x, ddof=1) / (n * x.mean() ** 2)
    assert abs(formula - linear) <= 1e-12 * formula, (formula, linear)
    return r, formula, n


def ratio(name, yt, xt, yc, xc, alpha):
    rt, vt, nt = ratio_arm(yt, xt)
    rc, vc, nc = ratio_arm(yc, xc)
    show(f"{name}.t_ratio", float(rt))
    show(f"{name}.t_variance_of_ratio", float(vt))
    show(f"{name}.c_ratio", float(rc))
    show(f"{name}.c_variance_of_ratio", float(vc))
    df = (vt + vc) ** 2 / (vt**2 / (nt - 1) + vc**2 / (nc - 1))
    se = np.sqrt(vt + vc)
    diff = rt - rc
    q = st.t.ppf(1 - alpha / 2, df)
    show(f"{name}.diff", float(diff))
    show(f"{name}.se", float(se))
    show(f"{name}.df", float(df))
    show(f"{name}.t", float(diff / se))
    show(f"{name}.ci", [float(diff - q * se), float(diff + q * se)])
    show(f"{name}.p_value", float(2 * st.t.sf(abs(diff / se), df)))
    lift, rci, rp = relative(rt, vt, rc, vc, df, alpha)
    show(f"{name}.relative_lift", float(lift))
    show(f"{name}.relative_ci", [float(v) for v in rci])
    show(f"{name}.relative_p_value", float(rp))


ratio("ratio1", RT1_Y, RT1_X, RC1_Y, RC1_X, 0.05)
ratio("ratio2", RT2_Y, RT2_X, RC2_Y, RC2_X, 0.05)


# ------------------------------------------------------------------------- CUPED
def cuped(name, yt, xt, yc, xc, alpha):
    yt, xt, yc, xc = map(np.asarray, (yt, xt, yc, xc))
    y, x = np.concatenate([yt, yc]), np.concatenate([xt, xc])
    theta = np.cov(y, x, ddof=1)[0, 1] / np.var(x, ddof=1)
    # Independent check: θ is the pooled OLS slope of y on x.
    ols = sm.OLS(y, sm.add_constant(x)).fit().params[1]
    assert abs(theta - ols) <= 1e-10 * abs(theta), (theta, ols)
    nt, nc = len(yt), len(yc)
    ct, cc = np.cov(yt, xt, ddof=1), np.cov(yc, xc, ddof=1)
    adj_t = (ct[0, 0] + theta**2 * ct[1, 1] - 2 * theta * ct[0, 1])
    adj_c = (cc[0, 0] + theta**2 * cc[1, 1] - 2 * theta * cc[0, 1])
    # Cross-check: the adjusted per-user variance is the variance of y - θx.
    assert abs(adj_t - np.var(yt - theta * xt, ddof=1)) <= 1e-10 * adj_t
    vt, vc = adj_t / nt, adj_c / nc
    diff = (yt.mean() - theta * xt.mean()) - (yc.mean() - theta * xc.mean())
    se = np.sqrt(vt + vc)
    df = (vt + vc) ** 2 / (vt**2 / (nt - 1) + vc**2 / (nc - 1))
    q = st.t.ppf(1 - alpha / 2, df)
    show(f"{name}.theta", float(theta))
    show(f"{name}.diff", float(diff))
    show(f"{name}.se", float(se))
    show(f"{name}.df", float(df))
    show(f"{name}.ci", [float(diff - q * se), float(diff + q * se)])
    show(f"{name}.p_value", float(2 * st.t.sf(abs(diff / se), df)))
    unadj = ct[0, 0] / nt + cc[0, 0] / nc
    show(f"{name}.variance_reduction", float(1 - (vt + vc) / unadj))
    # Relative: GrowthBook's production delta-method variance (cuped-technical docs).
    ybt, ybc = yt.mean(), yc.mean()
    lift = diff / ybc
    v_rel = adj_t / (nt * ybc**2) + (
        cc[0, 0] * ybt**2 / ybc**2 - 2 * theta * cc[0, 1] * ybt / ybc + theta**2 * cc[1, 1]
    ) / (nc * ybc**2)
    rse = np.sqrt(v_rel)
    show(f"{name}.relative_lift", float(lift))
    show(f"{name}.relative_ci", [float(lift - q * rse), float(lift + q * rse)])
    show(f"{name}.relative_p_value", float(2 * st.t.sf(abs(lift / rse), df)))


cuped("cuped1", CT1_Y, CT1_X, CC1_Y, CC1_X, 0.05)
cuped("cuped2", CT2_Y, CT2_X, CC2_Y, CC2_X, 0.05)
