//! Special functions and samplers computed with the pure-Rust `libm` crate only
//! (crate-private).
//!
//! `statrs` and `rand_distr` reach their transcendentals through `num-traits`,
//! which switches to the platform's maths library (glibc natively, Rust's musl
//! port on wasm32) as soon as any crate in the build enables `num-traits/std`.
//! Everything here uses `libm` plus IEEE-754 basic operations (and `sqrt`, which
//! IEEE-754 requires to be correctly rounded), so every target runs the same code
//! and returns the same bits.
//!
//! * [`student_t_sf`], [`student_t_pdf`], [`student_t_isf`]: Student t upper tail,
//!   density and upper quantile, via the regularised incomplete beta function
//!   (continued fraction, modified Lentz, with the symmetry switch).
//! * [`chi_square_sf`]: chi-square upper tail, the regularised upper incomplete
//!   gamma function (series below `a + 1`, continued fraction above).
//! * [`erfc_inv`]: inverse complementary error function (Acklam's approximation
//!   polished by Halley steps on `libm::erfc`).
//! * [`binomial`]: exact `Binomial(n, p)` sampler (inversion or Hörmann's BTRD).

mod binomial;

pub(crate) use binomial::binomial;

/// `ln √(2π)`.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
/// `√π / 2`.
const SQRT_PI_2: f64 = 0.886_226_925_452_758;
/// Relative convergence threshold of the continued fractions and series.
const EPS: f64 = 1e-16;
/// Guard against division by zero in the Lentz recurrences.
const TINY: f64 = 1e-300;
/// Iteration cap of the continued fractions (they converge in `O(√max(a, b))`).
const MAX_ITER: u32 = 200_000;

/// `ln Γ(x) − [(x − ½) ln x − x + ln √(2π)]`, the Stirling remainder, for
/// `x ≥ 10` (error below 1e-17).
fn stirling_remainder(x: f64) -> f64 {
    let r = 1.0 / (x * x);
    let series = 1.0 / 12.0
        - r * (1.0 / 360.0
            - r * (1.0 / 1260.0
                - r * (1.0 / 1680.0 - r * (1.0 / 1188.0 - r * (691.0 / 360_360.0 - r / 156.0)))));
    series / x
}

/// `ln B(a, b)` for `a, b > 0`, without the cancellation of
/// `lnΓ(a) + lnΓ(b) − lnΓ(a + b)` when an argument is large (R's `lbeta`).
pub(crate) fn ln_beta(a: f64, b: f64) -> f64 {
    let (p, q) = if a < b { (a, b) } else { (b, a) };
    let s = p + q;
    if p >= 10.0 {
        let corr = stirling_remainder(p) + stirling_remainder(q) - stirling_remainder(s);
        -0.5 * libm::log(q)
            + LN_SQRT_2PI
            + corr
            + (p - 0.5) * libm::log(p / s)
            + q * libm::log1p(-p / s)
    } else if q >= 10.0 {
        let corr = stirling_remainder(q) - stirling_remainder(s);
        libm::lgamma(p) + corr + p - p * libm::log(s) + (q - 0.5) * libm::log1p(-p / s)
    } else {
        libm::lgamma(p) + libm::lgamma(q) - libm::lgamma(s)
    }
}

/// Continued fraction of the incomplete beta function (modified Lentz), valid
/// and fast for `x < (a + 1) / (a + b + 2)`.
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
    let mut h = d;
    for m in 1..=MAX_ITER {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() <= EPS {
            break;
        }
    }
    h
}

/// Regularised incomplete beta `I_x(a, b)`, given `x`, `y = 1 − x` and their
/// logarithms (each computed accurately by the caller).
fn beta_reg(a: f64, b: f64, x: f64, y: f64, ln_x: f64, ln_y: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    let front = libm::exp(a * ln_x + b * ln_y - ln_beta(a, b));
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, y) / b
    }
}

/// `w = t²/df` as `(x, y, ln x, ln y)` with `x = 1/(1 + w)`, `y = w/(1 + w)`,
/// without overflow for huge `|t|`.
fn t_beta_args(t: f64, df: f64) -> (f64, f64, f64, f64) {
    let t = t.abs();
    if t * t <= df {
        let w = t * t / df;
        let l = libm::log1p(w);
        (1.0 / (1.0 + w), w / (1.0 + w), -l, libm::log(w) - l)
    } else {
        // v = 1/w = df/t², small; ln v computed from logs so it never underflows.
        let v = df / t / t;
        let l = libm::log1p(v);
        let ln_v = libm::log(df) - 2.0 * libm::log(t);
        (v / (1.0 + v), 1.0 / (1.0 + v), ln_v - l, -l)
    }
}

/// Upper tail `P(T_df > t)` of Student's t (`scipy.stats.t.sf(t, df)`), accurate
/// to the last few digits in both tails. NaN for `df ≤ 0` or NaN input.
pub(crate) fn student_t_sf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    let (x, y, ln_x, ln_y) = t_beta_args(t, df);
    let tail = 0.5 * beta_reg(0.5 * df, 0.5, x, y, ln_x, ln_y);
    if t >= 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

/// Density of Student's t (`scipy.stats.t.pdf(t, df)`).
pub(crate) fn student_t_pdf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    let a = t.abs();
    // ln(1 + t²/df), overflow-free.
    let ln_1pw = if a * a <= df {
        libm::log1p(a * a / df)
    } else {
        2.0 * libm::log(a) - libm::log(df) + libm::log1p(df / a / a)
    };
    libm::exp(-0.5 * (df + 1.0) * ln_1pw - ln_beta(0.5 * df, 0.5) - 0.5 * libm::log(df))
}

/// Upper quantile `q` with `P(T_df > q) = tail` (`scipy.stats.t.isf(tail, df)`),
/// for `0 < tail < 1`; NaN otherwise.
///
/// Starts from the Cornish–Fisher expansion around the normal quantile (the
/// closed forms for `df = 1, 2`), then runs Newton on `ln sf` kept inside a
/// bracket (bisecting when a step leaves it), and ends with Newton steps on `sf`
/// itself, which leaves it within a few ulps of the root.
pub(crate) fn student_t_isf(tail: f64, df: f64) -> f64 {
    if !(tail > 0.0 && tail < 1.0) || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if tail > 0.5 {
        return -student_t_isf(1.0 - tail, df);
    }
    if tail == 0.5 {
        return 0.0;
    }
    let mut q = t_isf_start(tail, df);
    let ln_tail = libm::log(tail);
    // sf is decreasing: sf(lo) > tail > sf(hi).
    let (mut lo, mut hi) = (0.0_f64, f64::INFINITY);
    for _ in 0..200 {
        let sf = student_t_sf(q, df);
        if sf > tail {
            lo = lo.max(q);
        } else {
            hi = hi.min(q);
        }
        let step = (libm::log(sf) - ln_tail) * sf / student_t_pdf(q, df);
        let mut next = q + step;
        if !(next > lo && next < hi && step.is_finite()) {
            next = if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                2.0 * lo.max(1.0)
            };
        }
        let done = (next - q).abs() <= 1e-14 * next.abs();
        q = next;
        if done || (hi.is_finite() && hi - lo <= 1e-15 * hi) {
            break;
        }
    }
    for _ in 0..3 {
        let step = (student_t_sf(q, df) - tail) / student_t_pdf(q, df);
        if !step.is_finite() {
            break;
        }
        q += step;
        if step.abs() <= 1e-16 * q.abs() {
            break;
        }
    }
    q
}

/// Starting point for [`student_t_isf`] (`0 < tail < 0.5`).
fn t_isf_start(tail: f64, df: f64) -> f64 {
    if df == 1.0 {
        return 1.0 / libm::tan(core::f64::consts::PI * tail);
    }
    if df == 2.0 {
        return (1.0 - 2.0 * tail) / (2.0 * tail * (1.0 - tail)).sqrt();
    }
    let z = core::f64::consts::SQRT_2 * erfc_inv(2.0 * tail);
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let q = z + (g1 + (g2 + g3 / df) / df) / df;
    if q.is_finite() && q > 0.0 {
        q
    } else {
        1.0
    }
}

/// Regularised upper incomplete gamma `Q(a, x) = Γ(a, x)/Γ(a)` for `a > 0`.
fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x.is_infinite() {
        return 0.0;
    }
    let front = libm::exp(a * libm::log(x) - x - libm::lgamma(a));
    if x < a + 1.0 {
        // Series for the lower function P(a, x); Q = 1 − P.
        let (mut ap, mut term) = (a, 1.0 / a);
        let mut sum = term;
        for _ in 0..MAX_ITER {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() <= sum.abs() * EPS {
                break;
            }
        }
        1.0 - front * sum
    } else {
        // Continued fraction for Q (modified Lentz).
        let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / TINY;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..=MAX_ITER {
            let i = f64::from(i);
            let an = -i * (i - a);
            b += 2.0;
            d = 1.0 / guard(an * d + b);
            c = guard(b + an / c);
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() <= EPS {
                break;
            }
        }
        front * h
    }
}

/// Upper tail `P(χ²_df > x)` (`scipy.stats.chi2.sf(x, df)`). NaN for `df ≤ 0`
/// or NaN input.
pub(crate) fn chi_square_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    gamma_q(0.5 * df, 0.5 * x)
}

/// Inverse complementary error function (`scipy.special.erfcinv(y)`) for
/// `0 ≤ y ≤ 2`: `±∞` at the ends, NaN outside.
pub(crate) fn erfc_inv(y: f64) -> f64 {
    if y.is_nan() || !(0.0..=2.0).contains(&y) {
        return f64::NAN;
    }
    if y == 0.0 {
        return f64::INFINITY;
    }
    if y > 1.0 {
        // erfc(−x) = 2 − erfc(x); 2 − y is exact here and better conditioned.
        return -erfc_inv(2.0 - y);
    }
    // y/2 underflows to 0 only for the smallest subnormals; start near there.
    let half = (0.5 * y).max(f64::MIN_POSITIVE);
    let mut x = -acklam(half) / core::f64::consts::SQRT_2;
    let ln_y = libm::log(y);
    for _ in 0..6 {
        // Halley on f(x) = erfc(x) − y, with u = f/f' computed as
        // −(erfc(x)/y − 1)·y·e^{x²}·√π/2 so it neither underflows nor overflows.
        let u = -(libm::erfc(x) / y - 1.0) * libm::exp(ln_y + x * x) * SQRT_PI_2;
        let step = u / (1.0 + x * u);
        if !step.is_finite() {
            break;
        }
        x -= step;
        if step.abs() <= 1e-17 * x.abs() {
            break;
        }
    }
    x
}

/// P. J. Acklam's rational approximation of `Φ⁻¹(p)`, `0 < p < 1` (relative
/// error below 1.2e-9): the starting point of [`erfc_inv`].
#[allow(clippy::excessive_precision)]
fn acklam(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383577518672690e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    const LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * libm::log(p)).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * libm::log1p(-p)).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests;
