"""Expected values for crates/engine/tests/stats_beyond.rs.

Run:  python3 scripts/reference/beyond.py
(scipy 1.17.1, statsmodels 0.15.0, numpy 2.4.6 when the literals were produced.)
Every number is printed with repr(), i.e. the shortest string that round-trips.
Fixture data come from fixtures.py (T1, C1, T2, C2, T3, C3).
"""

import math

import numpy as np
import scipy
import scipy.integrate as si
import scipy.optimize as so
import scipy.stats as st
import statsmodels
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from fixtures import C1, C2, C3, T1, T2, T3

print(f"# scipy {scipy.__version__}, statsmodels {statsmodels.__version__}, numpy {np.__version__}")


def show(label, value):
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list):
        value = [float(v) for v in value]
    elif isinstance(value, np.floating):
        value = float(value)
    print(f"{label} = {value!r}")


# ---------------------------------------------------------------- Holm / BH
P1 = [0.01, 0.04, 0.03, 0.005, 0.2, 0.6]
P2 = [0.02, 0.02, 0.5, 1.0, 0.001, 0.02, 0.049]  # ties and p = 1
P3 = [0.9, 0.0001, 0.04, 0.04, 0.3, 1.0, 0.012, 0.07, 0.5, 0.0]  # ties, 0 and 1
for name, p in [("P1", P1), ("P2", P2), ("P3", P3)]:
    show(f"holm({name})", multipletests(p, method="holm")[1])
    show(f"fdr_bh({name})", multipletests(p, method="fdr_bh")[1])

# ---------------------------------------------------------------- Mann-Whitney U
for name, t, c in [("T1C1", T1, C1), ("T2C2", T2, C2), ("T3C3", T3, C3)]:
    r = st.mannwhitneyu(t, c, alternative="two-sided", method="asymptotic", use_continuity=True)
    show(f"mwu({name}).statistic", r.statistic)
    show(f"mwu({name}).pvalue", r.pvalue)

# ---------------------------------------------------------------- power
# Our total N with treatment share s: nobs1 (control) = (1 - s) N, ratio = s / (1 - s).
pw = NormalIndPower()
show("n_means(0.1, 0.05, 0.8, ratio=1)", pw.solve_power(effect_size=1.0 / 10.0, alpha=0.05, power=0.8, ratio=1))
show(
    "n_means(0.25/3, 0.01, 0.9, ratio=0.3/0.7)",
    pw.solve_power(effect_size=0.25 / 3.0, alpha=0.01, power=0.9, ratio=0.3 / 0.7),
)
h1 = proportion_effectsize(0.10 * 1.1, 0.10)
show("h1 = proportion_effectsize(0.11, 0.10)", h1)
show("n_prop(h1, 0.05, 0.8, ratio=1)", pw.solve_power(effect_size=h1, alpha=0.05, power=0.8, ratio=1))
h2 = proportion_effectsize(0.03 * (1 - 0.2), 0.03)
show("h2 = proportion_effectsize(0.03*0.8, 0.03)", h2)
show(
    "n_prop(|h2|, 0.05, 0.9, ratio=0.6/0.4)",
    pw.solve_power(effect_size=abs(h2), alpha=0.05, power=0.9, ratio=0.6 / 0.4),
)
# MDE: statsmodels' solve_power(effect_size=None, ...) stops early (its answer for
# nobs1=1570 has power 0.8000068, a relative error of ~1e-5 in the effect size), so
# the reference is a tight root of statsmodels' own power function instead.
def solve_effect(nobs1, alpha, power, ratio):
    f = lambda d: pw.power(effect_size=d, nobs1=nobs1, alpha=alpha, ratio=ratio) - power
    return so.brentq(f, 1e-6, 10.0, xtol=1e-16, rtol=1e-15)


show("mde_means: 10 * solve_effect(nobs1=1570, alpha=0.05, power=0.8, ratio=1)", 10 * solve_effect(1570, 0.05, 0.8, 1))
show(
    "  (statsmodels solve_power(effect_size=None, nobs1=1570, ...) * 10, for the record)",
    10 * pw.solve_power(effect_size=None, nobs1=1570, alpha=0.05, power=0.8, ratio=1),
)
h = solve_effect(10000, 0.05, 0.8, 1)
p2 = math.sin(math.asin(math.sqrt(0.1)) + h / 2) ** 2
show("mde_prop: sin(asin(sqrt(0.1)) + h/2)**2 / 0.1 - 1, h = solve_effect(nobs1=10000, 0.05, 0.8, 1)", p2 / 0.1 - 1)
h = solve_effect(12000 * 0.7, 0.01, 0.9, 0.3 / 0.7)
p2 = math.sin(math.asin(math.sqrt(0.02)) + h / 2) ** 2
show("mde_prop: sin(asin(sqrt(0.02)) + h/2)**2 / 0.02 - 1, h = solve_effect(nobs1=8400, 0.01, 0.9, 0.3/0.7)", p2 / 0.02 - 1)

# ---------------------------------------------------------------- winsor bounds
POOL1 = T1 + C1
POOL2 = T2 + C2
for name, pool, qs in [("POOL1", POOL1, [1, 5, 2.5, 95, 99]), ("POOL2", POOL2, [0.5, 99.5, 1, 99])]:
    for q in qs:
        show(f"np.percentile({name}, {q})", np.percentile(pool, q))


# ---------------------------------------------------------------- confidence sequence
# Hand computation of the published formula (Waudby-Smith et al. 2023 eq. 9 / 161,
# as GrowthBook's sequential docs and gbstats use it).
def cs(t, c, alpha, tuning):
    t, c = np.asarray(t, float), np.asarray(c, float)
    nt, nc = len(t), len(c)
    vt, vc = t.var(ddof=1) / nt, c.var(ddof=1) / nc
    mt, mc = t.mean(), c.mean()
    n = nt + nc
    rho = math.sqrt((-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning)

    def half(var):
        s2 = var * n
        return math.sqrt(s2) * math.sqrt(2 * (n * rho**2 + 1) * math.log(math.sqrt(n * rho**2 + 1) / alpha) / (n * rho) ** 2)

    def pval(est, var):
        z2 = est**2 / var
        e = math.exp(rho**2 * n * z2 / (2 * (n * rho**2 + 1))) / math.sqrt(n * rho**2 + 1)
        return min(1.0, 1 / e)

    diff, var = mt - mc, vt + vc
    lift = mt / mc - 1
    var_rel = vt / mc**2 + mt**2 * vc / mc**4
    return {
        "diff": diff,
        "ci": [diff - half(var), diff + half(var)],
        "lift": lift,
        "relative_ci": [lift - half(var_rel), lift + half(var_rel)],
        "p": pval(diff, var),
        "relative_p": pval(lift, var_rel),
    }


for name, t, c, alpha, tuning in [("T2C2", T2, C2, 0.05, 5000.0), ("T1C1", T1, C1, 0.1, 100.0), ("T3C3", T3, C3, 0.05, 20000.0)]:
    for k, v in cs(t, c, alpha, tuning).items():
        show(f"cs({name}, {alpha}, {tuning}).{k}", v)


# ---------------------------------------------------------------- Bayes by numeric integration
def bayes(t, c, prior_mean, prior_sd, alpha):
    t, c = np.asarray(t, float), np.asarray(c, float)
    mt, mc = t.mean(), c.mean()
    vt, vc = t.var(ddof=1) / len(t), c.var(ddof=1) / len(c)
    lift = mt / mc - 1
    se = math.sqrt(vt / mc**2 + mt**2 * vc / mc**4)

    def dens(x):  # unnormalised posterior: prior x Gaussian likelihood of the lift
        prior = 1.0 if prior_sd is None else st.norm.pdf(x, prior_mean, prior_sd)
        return prior * st.norm.pdf(lift, x, se)

    lo, hi = lift - 40 * se, lift + 40 * se
    pts = [0.0] if lo < 0 < hi else None
    q = lambda f, a, b: si.quad(f, a, b, points=[p for p in (pts or []) if a < p < b] or None, epsabs=0, epsrel=1e-13, limit=500)[0]
    z = q(dens, lo, hi)
    mean = q(lambda x: x * dens(x), lo, hi) / z
    sd = math.sqrt(q(lambda x: (x - mean) ** 2 * dens(x), lo, hi) / z)
    ctw = q(dens, max(0.0, lo), hi) / z if hi > 0 else 0.0
    loss_variant = q(lambda x: -x * dens(x), lo, min(0.0, hi)) / z if lo < 0 else 0.0
    loss_control = q(lambda x: x * dens(x), max(0.0, lo), hi) / z if hi > 0 else 0.0
    cdf = lambda x: q(dens, lo, x) / z
    ci = [so.brentq(lambda x: cdf(x) - p, lo, hi, xtol=1e-15, rtol=1e-14) for p in (alpha / 2, 1 - alpha / 2)]
    return {
        "posterior_mean": mean,
        "posterior_sd": sd,
        "ci": ci,
        "chance_to_beat_control": ctw,
        "expected_loss_variant": loss_variant,
        "expected_loss_control": loss_control,
    }


for name, t, c, pm, psd, alpha in [
    ("T1C1", T1, C1, 0.0, 0.3, 0.05),
    ("T1C1", T1, C1, 0.0, None, 0.05),
    ("T2C2", T2, C2, 0.02, 0.05, 0.1),
    ("T3C3", T3, C3, 0.0, None, 0.05),
]:
    for k, v in bayes(t, c, pm, psd, alpha).items():
        show(f"bayes({name}, prior=({pm}, {psd}), {alpha}).{k}", v)
