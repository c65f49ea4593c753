//! Tests of the bootstrap: numpy conventions, determinism, exactness.
use super::*;

#[test]
fn percentile_matches_numpy_by_hand() {
    // np.percentile([1., 2., 3., 4., 10.], [2.5, 97.5]).tolist()
    //   -> [1.1, 9.399999999999999]   (numpy 2.4.6)
    // Virtual indices 0.1 and 3.9: 1 + 1·0.1, and 10 − 6·(1 − 0.9) via numpy's
    // `t >= 0.5` branch of `_lerp`, whose rounding gives ...999 — matched bit for bit.
    let x = [1.0, 2.0, 3.0, 4.0, 10.0];
    assert_eq!(percentile_linear(&x, 0.025), 1.1);
    assert_eq!(percentile_linear(&x, 0.975), 9.399999999999999);
    assert_eq!(percentile_linear(&x, 0.0), 1.0);
    assert_eq!(percentile_linear(&x, 1.0), 10.0);
    assert_eq!(percentile_linear(&x, 0.5), 3.0);
    assert_eq!(percentile_linear(&[7.0], 0.975), 7.0);
}

#[test]
fn histogram_matches_numpy_conventions() {
    let x = [0.0, 1.0, 2.0, 3.0, 4.0];
    let h = histogram(&x, 4);
    // np.histogram([0,1,2,3,4], bins=4) -> counts [1, 1, 1, 2], edges [0, 1, 2, 3, 4]
    assert_eq!(h.counts, vec![1, 1, 1, 2]);
    assert_eq!(h.edges, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
    let flat = histogram(&[2.0, 2.0], 2);
    // np.histogram([2, 2], bins=2) -> counts [0, 2], edges [1.5, 2.0, 2.5]
    assert_eq!(flat.edges, vec![1.5, 2.0, 2.5]);
    assert_eq!(flat.counts, vec![0, 2]);
}

#[test]
fn categories_sorted_by_frequency_then_value() {
    let c = Categories::with_threshold(&[3.0, 1.0, 3.0, 2.0, 1.0, 3.0, -0.5], 1);
    let column = |f: fn(&Cell) -> f64| c.cells.iter().map(f).collect::<Vec<f64>>();
    assert_eq!(column(|c| c.value), vec![3.0, 1.0, -0.5, 2.0]);
    assert_eq!(column(|c| c.count as f64), vec![3.0, 2.0, 1.0, 1.0]);
    assert_eq!(column(|c| c.tail as f64), vec![7.0, 4.0, 2.0, 1.0]);
}

#[test]
fn deterministic_in_seed() {
    let t: Vec<f64> = (0..500).map(|i| ((i * 37) % 101) as f64 / 10.0).collect();
    let c: Vec<f64> = (0..400).map(|i| ((i * 53) % 89) as f64 / 10.0).collect();
    let a = bootstrap_mean_diff(&t, &c, 300, 7, 0.05).unwrap();
    let b = bootstrap_mean_diff(&t, &c, 300, 7, 0.05).unwrap();
    let other = bootstrap_mean_diff(&t, &c, 300, 8, 0.05).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.mean.to_bits(), b.mean.to_bits());
    assert_ne!(a.ci, other.ci);
    assert_ne!(a.mean, other.mean);
    // Replicates depend only on (seed, index, arm): the first 100 of 300 equal a run of 100.
    let arms = [Categories::new(&t), Categories::new(&c)];
    let long = replicate_diffs(&arms, 300, 7);
    let short = replicate_diffs(&arms, 100, 7);
    assert_eq!(long[..100], short[..]);
    // ... and evaluating them in reverse order gives the same numbers.
    let base = ChaCha8Rng::seed_from_u64(7);
    for b in (0..100u32).rev() {
        let d = arms[0].replicate_mean(&mut stream(&base, b, 0))
            - arms[1].replicate_mean(&mut stream(&base, b, 1));
        assert_eq!(d.to_bits(), short[b as usize].to_bits());
    }
}

#[test]
fn threaded_split_is_bit_identical_to_serial() {
    // Enough work to cross PARALLEL_WORK, so the native build splits it.
    let t: Vec<f64> = (0..3000).map(|i| ((i * 7919) % 211) as f64).collect();
    let c: Vec<f64> = (0..3000).map(|i| ((i * 6151) % 199) as f64).collect();
    let arms = [Categories::new(&t), Categories::new(&c)];
    let resamples = 1200;
    assert!(resamples as u64 * 410 >= PARALLEL_WORK);
    let split = replicate_diffs(&arms, resamples, 5);
    let base = ChaCha8Rng::seed_from_u64(5);
    for b in 0..resamples {
        let d = arms[0].replicate_mean(&mut stream(&base, b, 0))
            - arms[1].replicate_mean(&mut stream(&base, b, 1));
        assert_eq!(d.to_bits(), split[b as usize].to_bits());
    }
}

#[test]
fn invalid_inputs_are_none() {
    assert!(bootstrap_mean_diff(&[], &[1.0], 10, 1, 0.05).is_none());
    assert!(bootstrap_mean_diff(&[1.0], &[], 10, 1, 0.05).is_none());
    assert!(bootstrap_mean_diff(&[1.0], &[1.0], 0, 1, 0.05).is_none());
    assert!(bootstrap_mean_diff(&[1.0], &[1.0], 10, 1, 0.0).is_none());
    assert!(bootstrap_mean_diff(&[f64::NAN], &[1.0], 10, 1, 0.05).is_none());
}

#[test]
fn constant_arms_give_a_point_interval() {
    let b = bootstrap_mean_diff(&[2.0; 10], &[0.5; 7], 50, 3, 0.05).unwrap();
    assert_eq!(b.ci, [1.5, 1.5]);
    assert_eq!(b.mean, 1.5);
    assert_eq!(b.histogram.counts.iter().sum::<u64>(), 50);
}

#[test]
fn identical_arms_centre_on_zero() {
    let x: Vec<f64> = (0..200).map(|i| (i % 13) as f64).collect();
    let b = bootstrap_mean_diff(&x, &x, 2000, 11, 0.05).unwrap();
    assert!(b.ci[0] < 0.0 && b.ci[1] > 0.0);
    assert!(b.mean.abs() < 0.05);
}

/// The multinomial replicate mean has the same distribution as naive
/// resampling. On a 12-value sample (with ties) we draw 40 000 replicate means
/// each way and compare their mean and standard deviation with each other and
/// with the exact values: E = x̄ and SD = σ̂/√n with σ̂² the population (ddof 0)
/// variance. With R = 40 000 replicates the standard error of a sample mean is
/// SD/√R = SD/200, and of a sample SD about SD/√(2R) ≈ SD/283; we allow 4.5
/// standard errors for each one-sample check and 4.5·√2 for the two-sample
/// comparisons (two independent estimates), so a false alarm has probability
/// well below 1e-4 while a wrong scheme (for example one that lost the ties,
/// changing SD by >10 %) fails by dozens of standard errors.
#[test]
fn multinomial_scheme_matches_naive_resampling() {
    let x = [1.0, 1.0, 1.0, 2.5, 2.5, 4.0, 7.0, 7.0, 0.0, 0.0, 0.0, 12.0];
    let n = x.len() as f64;
    let xbar = x.iter().sum::<f64>() / n;
    let sd_true = (x.iter().map(|v| (v - xbar).powi(2)).sum::<f64>() / n / n).sqrt();
    let r = 40_000u32;
    // Threshold 1: binomials only; 2: mixed; 32: the bucket only.
    for heavy_min in [1, 2, 32] {
        let cats = Categories::with_threshold(&x, heavy_min);
        let base = ChaCha8Rng::seed_from_u64(2024 + heavy_min);
        let fast: Vec<f64> = (0..r)
            .map(|b| cats.replicate_mean(&mut stream(&base, b, 0)))
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(99);
        let naive: Vec<f64> = (0..r)
            .map(|_| {
                (0..x.len())
                    .map(|_| x[rng.random_range(0..x.len())])
                    .sum::<f64>()
                    / n
            })
            .collect();
        let stats = |v: &[f64]| {
            let m = v.iter().sum::<f64>() / v.len() as f64;
            let s = (v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
            (m, s)
        };
        let ((mf, sf), (mn, sn)) = (stats(&fast), stats(&naive));
        let se_mean = sd_true / f64::from(r).sqrt();
        let se_sd = sd_true / (2.0 * f64::from(r)).sqrt();
        assert!((mf - xbar).abs() < 4.5 * se_mean, "{mf} vs {xbar}");
        assert!((mn - xbar).abs() < 4.5 * se_mean, "{mn} vs {xbar}");
        assert!((mf - mn).abs() < 4.5 * 2f64.sqrt() * se_mean);
        assert!((sf - sd_true).abs() < 4.5 * se_sd, "{sf} vs {sd_true}");
        assert!((sn - sd_true).abs() < 4.5 * se_sd, "{sn} vs {sd_true}");
        assert!((sf - sn).abs() < 4.5 * 2f64.sqrt() * se_sd);
    }
}
