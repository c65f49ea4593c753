//! The binomial sampler against the exact law, by seeded simulation.

use super::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Exact pmf `C(n, k) p^k (1 − p)^(n − k)` through `lgamma` (fine for tests).
fn pmf(n: u64, p: f64, k: u64) -> f64 {
    let (nf, kf) = (n as f64, k as f64);
    libm::exp(
        libm::lgamma(nf + 1.0) - libm::lgamma(kf + 1.0) - libm::lgamma(nf - kf + 1.0)
            + kf * libm::log(p)
            + (nf - kf) * libm::log1p(-p),
    )
}

/// Draws `draws` variates, checks mean and variance to 5 standard errors, and
/// returns Pearson's chi-square against the exact pmf with its degrees of freedom
/// (cells with expected count below 5 pooled into their neighbours).
fn simulate(n: u64, p: f64, draws: usize, seed: u64) -> (f64, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = vec![0u64; n as usize + 1];
    let (mut s1, mut s2) = (0.0, 0.0);
    for _ in 0..draws {
        let k = binomial(&mut rng, n, p);
        assert!(k <= n);
        counts[k as usize] += 1;
        s1 += k as f64;
        s2 += (k as f64) * (k as f64);
    }
    let d = draws as f64;
    let mean = s1 / d;
    let var = s2 / d - mean * mean;
    let (mu, sigma2) = (n as f64 * p, n as f64 * p * (1.0 - p));
    let se_mean = (sigma2 / d).sqrt();
    assert!(
        (mean - mu).abs() < 5.0 * se_mean,
        "n={n} p={p}: mean {mean} vs {mu}"
    );
    // Var of the sample variance ≈ (μ4 − σ⁴)/d with μ4 = σ²(1 + 3(n−2)pq)... use a
    // generous bound: 5·σ²·sqrt(2/d)·(1 + 1/σ²).
    let se_var = sigma2 * (2.0 / d).sqrt() * (1.0 + 1.0 / sigma2);
    assert!(
        (var - sigma2).abs() < 5.0 * se_var,
        "n={n} p={p}: var {var} vs {sigma2}"
    );
    // Pool cells into bins with expected count ≥ 5.
    let mut chi2 = 0.0;
    let mut bins = 0;
    let (mut obs, mut exp) = (0.0, 0.0);
    for (k, &c) in counts.iter().enumerate() {
        obs += c as f64;
        exp += d * pmf(n, p, k as u64);
        if exp >= 5.0 {
            chi2 += (obs - exp) * (obs - exp) / exp;
            bins += 1;
            obs = 0.0;
            exp = 0.0;
        }
    }
    // Remaining tail mass goes into the last bin.
    chi2 += if exp > 0.0 {
        (obs - exp) * (obs - exp) / exp
    } else {
        obs
    };
    (chi2, bins)
}

#[test]
fn matches_the_exact_law() {
    // Inversion (n·p < 10), BTRD with the recurrence and with Stirling (large
    // n·p), p reflected above ½, and p tiny with n large.
    let cases: [(u64, f64); 8] = [
        (1, 0.3),
        (20, 0.2),
        (1000, 0.004),
        (50, 0.5),
        (100, 0.35),
        (400, 0.9),
        (100_000, 0.25),
        (1_000_000, 0.5),
    ];
    for (i, (n, p)) in cases.into_iter().enumerate() {
        let (chi2, bins) = simulate(n, p, 200_000, 1000 + i as u64);
        let df = (bins.max(2) - 1) as f64;
        // P(χ²_df > df + 6·√(2·df) + 10) is far below 1e-6 for every df here.
        let limit = df + 6.0 * (2.0 * df).sqrt() + 10.0;
        assert!(
            chi2 < limit,
            "n={n} p={p}: chi2 {chi2} on {df} df (limit {limit})"
        );
        // And the same fit is not suspiciously perfect.
        assert!(chi2 > 0.0 || df < 2.0);
    }
}

#[test]
fn edge_cases() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    assert_eq!(binomial(&mut rng, 0, 0.5), 0);
    assert_eq!(binomial(&mut rng, 10, 0.0), 0);
    assert_eq!(binomial(&mut rng, 10, 1.0), 10);
    assert_eq!(binomial(&mut rng, 10, f64::NAN), 0);
    assert_eq!(
        binomial(&mut rng, u64::from(u32::MAX), 1.0),
        u64::from(u32::MAX)
    );
    for _ in 0..1000 {
        assert!(binomial(&mut rng, 7, 0.999) <= 7);
    }
}

#[test]
fn same_seed_same_draws() {
    let draw = |seed| {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..100)
            .map(|i| binomial(&mut rng, 1000 + i, 0.3))
            .collect::<Vec<_>>()
    };
    assert_eq!(draw(5), draw(5));
    assert_ne!(draw(5), draw(6));
}

#[test]
fn fc_table_continues_into_the_series() {
    // fc(k) = ln k! − [(k + ½) ln(k + 1) − (k + 1) + ln √(2π)]; mpmath, 40 digits:
    // fc(10) = 0.0075736754879518408, fc(30) = 0.0026880788285311429
    assert!((fc(10.0) - 0.007_573_675_487_951_841).abs() < 5e-16);
    assert!((fc(30.0) - 0.002_688_078_828_531_143).abs() < 5e-16);
    assert!((fc(9.0) - 0.008_330_563_433_362_87).abs() < 1e-18);
}
