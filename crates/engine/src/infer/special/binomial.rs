//! Exact `Binomial(n, p)` sampling with `libm` only.
//!
//! With `p` reflected to `p ≤ ½` (`X = n − Y`, `Y ~ Bin(n, 1 − p)`; `1 − p` is
//! exact in that range), two classic algorithms, each sampling the binomial law
//! exactly (up to the rounding of the probabilities it compares against):
//!
//! * `n·p < 10`: sequential inversion (BINV, Kachitvichyanukul & Schmeiser 1988):
//!   walk the pmf from 0 with the recurrence `f(k)/f(k−1) = (n−k+1)/k · p/q`,
//!   subtracting from one uniform. Expected cost `O(n·p + 1)`.
//! * otherwise: Hörmann's BTRD (1993), transformed rejection with decomposition.
//!   A uniform point under a hat is mapped to a candidate `k`; most candidates
//!   lie in the region where the hat is known to be below the pmf and are taken
//!   at once, the others are accepted iff `V ≤ f(k)/f(m)` (`m` the mode), the
//!   ratio evaluated exactly by the pmf recurrence when `|k − m| ≤ 15` and
//!   otherwise through Stirling's formula with the remainder `fc` to 1e-16. The
//!   paper's extra squeeze is omitted: it only saves time, never changes a draw's
//!   law. Expected cost `O(1)`.

use rand::Rng;

/// `2^-53`.
const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// A uniform draw in `[0, 1)` from 53 random bits.
fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * UNIT
}

/// One draw from `Binomial(n, p)`. `p ≤ 0` gives 0 and `p ≥ 1` gives `n`
/// (NaN gives 0).
pub(crate) fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - small_p(rng, n, 1.0 - p);
    }
    small_p(rng, n, p)
}

/// `Binomial(n, p)` for `0 < p ≤ ½`.
fn small_p<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if (n as f64) * p < 10.0 {
        inversion(rng, n, p)
    } else {
        btrd(rng, n, p)
    }
}

/// BINV: inversion by sequential search from 0.
fn inversion<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    let q = 1.0 - p;
    let s = p / q;
    let a = (n as f64 + 1.0) * s;
    let f0 = libm::exp(n as f64 * libm::log1p(-p));
    'draw: loop {
        let mut u = uniform(rng);
        let mut f = f0;
        let mut k = 0u64;
        while u >= f {
            u -= f;
            k += 1;
            // Past n, or the pmf underflowed, with mass left over from rounding:
            // start again (probability below 1e-15 per draw).
            if k > n || f <= 0.0 {
                continue 'draw;
            }
            f *= a / k as f64 - s;
        }
        return k;
    }
}

/// Stirling remainder `fc(k) = ln k! − [(k + ½) ln(k + 1) − (k + 1) + ln √(2π)]`.
fn fc(k: f64) -> f64 {
    /// `fc(0) … fc(9)`, to the last digit (mpmath, 40 digits).
    const TABLE: [f64; 10] = [
        0.081_061_466_795_327_26,
        0.041_340_695_955_409_3,
        0.027_677_925_684_998_34,
        0.020_790_672_103_765_093,
        0.016_644_691_189_821_193,
        0.013_876_128_823_070_748,
        0.011_896_709_945_891_77,
        0.010_411_265_261_972_096,
        0.009_255_462_182_712_733,
        0.008_330_563_433_362_87,
    ];
    if k < 10.0 {
        return TABLE.get(k as usize).copied().unwrap_or(0.0);
    }
    // Series in 1/(k + 1), truncation error below 2e-16 for k ≥ 10.
    let x = k + 1.0;
    let r = 1.0 / (x * x);
    (1.0 / 12.0
        - r * (1.0 / 360.0
            - r * (1.0 / 1260.0 - r * (1.0 / 1680.0 - r * (1.0 / 1188.0 - r * 691.0 / 360_360.0)))))
        / x
}

/// BTRD for `n·p ≥ 10`, `p ≤ ½` (Hörmann 1993, steps 0–3.4 without 3.2).
fn btrd<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    let nf = n as f64;
    let q = 1.0 - p;
    let npq = nf * p * q;
    let spq = npq.sqrt();
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    let alpha = (2.83 + 5.1 / b) * spq;
    let v_r = 0.92 - 4.2 / b;
    let ur_vr = 0.86 * v_r;
    let m = ((nf + 1.0) * p).floor();
    let r = p / q;
    let nr = (nf + 1.0) * r;
    let nm = nf - m + 1.0;
    // Step 3.3's constant, computed on first use.
    let mut h: Option<f64> = None;
    loop {
        // Step 1: the central box, accepted outright.
        let mut v = uniform(rng);
        if v <= ur_vr {
            let u = v / v_r - 0.43;
            let k = ((2.0 * a / (0.5 - u.abs()) + b) * u + c).floor();
            // k lies in [0, n] here; the clamp only guards the conversion.
            return (k.max(0.0) as u64).min(n);
        }
        // Step 2: a uniform point of the rest of the hat's domain.
        let u = if v >= v_r {
            uniform(rng) - 0.5
        } else {
            let u = v / v_r - 0.93;
            let u = 0.5f64.copysign(u) - u;
            v = uniform(rng) * v_r;
            u
        };
        // Step 3.0: the candidate, and V scaled to compare with f(k)/f(m).
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + c).floor();
        if !(k >= 0.0 && k <= nf) {
            continue;
        }
        v *= alpha / (a / (us * us) + b);
        let km = (k - m).abs();
        if km <= 15.0 {
            // Step 3.1: f(k)/f(m) by the recurrence f(i)/f(i−1) = nr/i − r.
            let mut f = 1.0;
            let mut i = m.min(k) + 1.0;
            let top = m.max(k);
            while i <= top {
                if m < k {
                    f *= nr / i - r;
                } else {
                    v *= nr / i - r;
                }
                i += 1.0;
            }
            if v <= f {
                return k as u64;
            }
            continue;
        }
        // Steps 3.3–3.4: ln f(k)/f(m) through Stirling's formula.
        let h = *h.get_or_insert_with(|| {
            (m + 0.5) * libm::log((m + 1.0) / (r * nm)) + fc(m) + fc(nf - m)
        });
        let nk = nf - k + 1.0;
        let bound = h + (nf + 1.0) * libm::log(nm / nk) + (k + 0.5) * libm::log(nk * r / (k + 1.0))
            - fc(k)
            - fc(nf - k);
        if libm::log(v) <= bound {
            return k as u64;
        }
    }
}

#[cfg(test)]
mod tests;
