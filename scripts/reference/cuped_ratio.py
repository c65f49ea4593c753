"""Expected values for crates/engine/tests/cuped_ratio.rs: CUPED for ratio
metrics, computed by GrowthBook's own gbstats (an independent implementation).

The PyPI release of gbstats (0.8.0) lacks RegressionAdjustedRatioStatistic, so run
this against a checkout of the GrowthBook repository:

    git clone https://github.com/growthbook/growthbook   # literals: commit 8f1db445…
    python3 scripts/reference/cuped_ratio.py /path/to/growthbook/packages/stats

(numpy, scipy, pydantic, pandas needed.) Every number is printed with repr().
Only gbstats' public classes are called; no GrowthBook code is copied into Splitscope.
"""

import sys

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "packages/stats")

import numpy as np  # noqa: E402
from gbstats.frequentist.tests import FrequentistConfig, TwoSidedTTest  # noqa: E402
from gbstats.models.statistics import (  # noqa: E402
    RegressionAdjustedRatioStatistic,
    SampleMeanStatistic,
    compute_theta_regression_adjusted_ratio,
)
from gbstats.models.tests import frequentist_variance_relative_cuped_ratio  # noqa: E402

# Per user: m = post numerator, d = post denominator, x = pre numerator, e = pre denominator.
# Treatment (T) and control (C) of the Rust test, literally.
MT = [12.5, 3.0, 0.0, 7.25, 20.0, 5.5, 9.0, 1.0, 14.0, 6.0, 0.0, 11.5]
DT = [4.0, 2.0, 1.0, 3.0, 6.0, 2.0, 3.0, 1.0, 5.0, 2.0, 1.0, 4.0]
XT = [10.0, 2.5, 1.0, 6.0, 15.0, 3.0, 8.0, 0.0, 12.5, 4.0, 0.5, 9.0]
ET = [3.0, 2.0, 1.0, 3.0, 5.0, 2.0, 3.0, 1.0, 4.0, 2.0, 1.0, 3.0]
MC = [8.0, 2.0, 0.5, 6.0, 15.5, 4.0, 7.0, 0.0, 10.0, 3.5, 9.0]
DC = [3.0, 2.0, 1.0, 3.0, 5.0, 2.0, 3.0, 1.0, 4.0, 2.0, 4.0]
XC = [7.5, 1.0, 1.0, 5.0, 13.0, 3.5, 6.0, 0.5, 9.0, 2.0, 7.0]
EC = [3.0, 1.0, 1.0, 2.0, 5.0, 2.0, 3.0, 1.0, 4.0, 2.0, 3.0]


def stat(m, d, x, e):
    m, d, x, e = map(np.asarray, (m, d, x, e))
    mean = lambda v: SampleMeanStatistic(n=len(v), sum=float(v.sum()), sum_squares=float((v * v).sum()))
    return RegressionAdjustedRatioStatistic(
        n=len(m),
        m_statistic_post=mean(m),
        d_statistic_post=mean(d),
        m_statistic_pre=mean(x),
        d_statistic_pre=mean(e),
        m_post_m_pre_sum_of_products=float((m * x).sum()),
        d_post_d_pre_sum_of_products=float((d * e).sum()),
        m_pre_d_pre_sum_of_products=float((x * e).sum()),
        m_post_d_post_sum_of_products=float((m * d).sum()),
        m_post_d_pre_sum_of_products=float((m * e).sum()),
        m_pre_d_post_sum_of_products=float((x * d).sum()),
        theta=None,
    )


def show(label, value):
    print(f"{label} = {float(value)!r}")


# gbstats' convention: stat_a is the control, stat_b the treatment.
a, b = stat(MC, DC, XC, EC), stat(MT, DT, XT, ET)
theta = compute_theta_regression_adjusted_ratio(a, b)
show("theta = compute_theta_regression_adjusted_ratio(a, b)", theta)
for diff_type in ["absolute", "relative"]:
    test = TwoSidedTTest([(a, b)], FrequentistConfig(difference_type=diff_type, alpha=0.05))
    r = test.compute_result()
    show(f"{diff_type}: expected", r.expected)
    show(f"{diff_type}: uplift.stddev", r.uplift.stddev)
    show(f"{diff_type}: ci[0]", r.ci[0])
    show(f"{diff_type}: ci[1]", r.ci[1])
    show(f"{diff_type}: pValue", r.pValue)
    show(f"{diff_type}: dof", test.dof)
# The pieces, with θ set (as TwoSidedTTest sets it internally).
from dataclasses import replace  # noqa: E402

a_t, b_t = replace(a, theta=theta), replace(b, theta=theta)
show("b.variance / b.n + a.variance / a.n (absolute variance)", b_t.variance / b_t.n + a_t.variance / a_t.n)
show("frequentist_variance_relative_cuped_ratio(a_t, b_t)", frequentist_variance_relative_cuped_ratio(a_t, b_t))
show("b_t.mean - a_t.mean", b_t.mean - a_t.mean)
