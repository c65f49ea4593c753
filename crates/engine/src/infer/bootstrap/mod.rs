//! Percentile bootstrap of the difference in means, fast enough for 500k users per
//! arm and thousands of resamples.
//!
//! # The multinomial scheme, and why it is exact
//!
//! A naive bootstrap replicate draws `n` indices uniformly with replacement and
//! averages the values: `O(n)` per replicate, `O(B·n)` in all. But the replicate
//! mean depends only on *how many times each distinct value was drawn*. If the arm
//! has distinct values `v_1 … v_k` occurring `c_1 … c_k` times (`Σ c_i = n`), each
//! of the `n` draws independently lands on `v_i` with probability `p_i = c_i/n`, so
//! the vector of counts `(K_1 … K_k)` is exactly `Multinomial(n; p_1 … p_k)` and the
//! replicate mean is `Σ K_i v_i / n`. Sampling the counts directly therefore gives
//! replicate means with *exactly* the same distribution as naive resampling — no
//! approximation is involved, only a different way to draw the same random vector.
//!
//! A multinomial vector is drawn by sequential conditional binomials:
//! `K_1 ~ Bin(n, p_1)`, then `K_2 | K_1 ~ Bin(n − K_1, p_2/(1 − p_1))`, …, the last
//! category taking what remains — the standard chain-rule factorisation of the
//! multinomial law. The conditional probabilities are formed from integer counts,
//! `c_i / (c_i + … + c_k)`, so no probability mass is lost to rounding and the last
//! one is exactly 1. Values are visited by frequency, most frequent first, so the
//! remaining `n` reaches 0 early on skewed data and the loop stops. The cost is
//! `O(B·k)` binomial draws (each `O(1)` expected with the inversion/BTRD sampler
//! of [`super::special`]) plus one `O(n log n)` sort; a binary metric needs one binomial per arm
//! per replicate.
//!
//! # Rare values: one bucket, uniform draws
//!
//! Revenue-like metrics have a few frequent values (0) and thousands of values seen
//! once or twice; a binomial per rare value would cost more than drawing. So the
//! values seen fewer than [`HEAVY_MIN`] times are pooled into one bucket that takes
//! part in the chain as a single category: after the frequent values' binomials,
//! the `R` draws left over land in the bucket, and — conditional on `R` — each of
//! them is a uniform draw, with replacement, among the bucket's users (the
//! multinomial restricted to a subset of categories, renormalised, is again
//! multinomial, and uniform over users is exactly proportional to the counts). So
//! the scheme stays exact; its cost per replicate is `O(frequent values + R)`.
//!
//! # Determinism
//!
//! Distinct values come from sorting with [`f64::total_cmp`], ties in frequency
//! broken by value, so the visiting order depends only on the data. Replicate `b` of
//! arm `a` (treatment 0, control 1) draws from `ChaCha8Rng::seed_from_u64(seed)` on
//! stream `2b + a` (ChaCha's 64-bit nonce), so each replicate's randomness depends
//! only on `(seed, b, arm)`, whatever order — or thread — evaluates it. The
//! arithmetic after sampling (sums, sorting, interpolation, binning) uses only
//! IEEE-754 basic operations and is bit-reproducible. The binomial draws come from
//! the crate's own sampler ([`super::special`]: inversion for `n·p < 10`,
//! Hörmann's BTRD otherwise, both exact in distribution), whose logarithms and
//! exponentials are the pure-Rust `libm` crate's and everything else IEEE-754
//! basic operations and `sqrt`, never the platform's maths library. So the same
//! inputs and seed give **bit-identical** replicates, intervals and histograms on
//! every target — native x86_64, aarch64 and wasm32 alike — whichever other
//! crates in the build enable `num-traits/std`.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Number of histogram bins in [`Bootstrap::histogram`].
pub const HISTOGRAM_BINS: usize = 40;

/// Equal-width histogram of the bootstrap replicates, for charting.
///
/// Bins follow `numpy.histogram(diffs, bins=40)`: `edges` has `counts.len() + 1`
/// entries from the smallest to the largest replicate, every bin is half-open
/// `[lo, hi)` except the last, which is closed. When all replicates are equal the
/// range is widened to `value ± 0.5`, as numpy does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Bin edges, ascending.
    pub edges: Vec<f64>,
    /// Replicates per bin.
    pub counts: Vec<u64>,
}

/// Result of [`bootstrap_mean_diff`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bootstrap {
    /// Percentile interval `[q(alpha/2), q(1 − alpha/2)]` of the replicate
    /// differences, linear interpolation as `numpy.percentile`'s default.
    pub ci: [f64; 2],
    /// Number of replicates `B`.
    pub resamples: u32,
    /// Seed the replicates were drawn from.
    pub seed: u64,
    /// Mean of the `B` replicate differences (the bootstrap distribution's centre,
    /// not the observed difference).
    pub mean: f64,
    /// Histogram of the replicate differences.
    pub histogram: Histogram,
}

/// Values seen fewer times than this are drawn uniformly from one pooled bucket
/// rather than by a binomial each (a binomial costs about as much as 30 draws).
const HEAVY_MIN: u64 = 32;

/// Distinct values of one arm with their counts, most frequent first; the rare ones
/// pooled as `light` (one entry per user holding such a value).
#[derive(Clone, Debug)]
struct Categories {
    cells: Vec<Cell>,
    light: Vec<f64>,
    n: u64,
}

/// One distinct value, its count, and `tail` = its count plus those of all later
/// cells (the denominator of its conditional probability).
#[derive(Clone, Copy, Debug)]
struct Cell {
    value: f64,
    count: u64,
    tail: u64,
}

impl Categories {
    fn new(data: &[f64]) -> Self {
        Self::with_threshold(data, HEAVY_MIN)
    }

    /// Values seen at least `heavy_min` times get a binomial; the rest share a bucket.
    fn with_threshold(data: &[f64], heavy_min: u64) -> Self {
        let mut sorted = data.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        let mut pairs: Vec<(f64, u64)> = Vec::new();
        for v in sorted {
            match pairs.last_mut() {
                Some((last, c)) if last.total_cmp(&v).is_eq() => *c += 1,
                _ => pairs.push((v, 1)),
            }
        }
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.total_cmp(&b.0)));
        let split = pairs
            .iter()
            .position(|p| p.1 < heavy_min)
            .unwrap_or(pairs.len());
        let (heavy, rare) = pairs.split_at(split);
        let light: Vec<f64> = rare
            .iter()
            .flat_map(|&(value, count)| std::iter::repeat_n(value, count as usize))
            .collect();
        // Each frequent value with its count and the count of it, all after it and
        // the bucket.
        let mut tail = light.len() as u64;
        let mut cells: Vec<Cell> = heavy
            .iter()
            .rev()
            .map(|&(value, count)| {
                tail += count;
                Cell { value, count, tail }
            })
            .collect();
        cells.reverse();
        Self {
            cells,
            light,
            n: data.len() as u64,
        }
    }

    /// One replicate mean: multinomial counts by sequential conditional binomials.
    // Kept out of line: inlined into the replicate loop it ran about 1.8× slower,
    // which code changes elsewhere in the crate can trigger (codegen units).
    #[inline(never)]
    fn replicate_mean(&self, rng: &mut ChaCha8Rng) -> f64 {
        let mut remaining = self.n;
        let mut sum = 0.0;
        for cell in &self.cells {
            if remaining == 0 {
                break;
            }
            let k = if cell.count == cell.tail {
                remaining
            } else {
                // p is in (0, 1): count ≥ 1 and tail > count.
                let p = cell.count as f64 / cell.tail as f64;
                super::special::binomial(rng, remaining, p)
            };
            sum += k as f64 * cell.value;
            remaining -= k.min(remaining);
        }
        // The draws left land in the bucket, uniformly among its users. Indices are
        // drawn as u32 (not usize) so 32- and 64-bit targets consume the same stream.
        let bucket = u32::try_from(self.light.len()).unwrap_or(u32::MAX);
        if bucket > 0 {
            for _ in 0..remaining {
                let i = rng.random_range(0..bucket) as usize;
                sum += self.light.get(i).copied().unwrap_or(0.0);
            }
        }
        sum / self.n as f64
    }
}

/// The random stream of replicate `index` of `arm` (0 = treatment, 1 = control).
fn stream(base: &ChaCha8Rng, index: u32, arm: u64) -> ChaCha8Rng {
    let mut rng = base.clone();
    rng.set_stream(2 * u64::from(index) + arm);
    rng
}

/// `numpy.percentile`'s default (`method="linear"`) on sorted data, `q` in `[0, 1]`,
/// reproducing numpy's `_lerp` operation for operation.
pub(crate) fn percentile_linear(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    let virtual_index = (n - 1) as f64 * q;
    let previous = virtual_index.floor();
    let gamma = virtual_index - previous;
    let i = (previous as usize).min(n - 1);
    let at = |j: usize| sorted.get(j).copied().unwrap_or(0.0);
    let (a, b) = (at(i), at((i + 1).min(n - 1)));
    let diff_b_a = b - a;
    if gamma >= 0.5 {
        b - diff_b_a * (1.0 - gamma)
    } else {
        a + diff_b_a * gamma
    }
}

/// Histogram with `bins` equal-width bins, as `numpy.histogram(sorted, bins)`.
fn histogram(sorted: &[f64], bins: usize) -> Histogram {
    let (Some(&first), Some(&last)) = (sorted.first(), sorted.last()) else {
        return Histogram {
            edges: Vec::new(),
            counts: Vec::new(),
        };
    };
    let (mut lo, mut hi) = (first, last);
    if lo == hi {
        lo -= 0.5;
        hi += 0.5;
    }
    let width = hi - lo;
    let mut edges: Vec<f64> = (0..=bins)
        .map(|i| lo + width * (i as f64 / bins as f64))
        .collect();
    if let Some(end) = edges.last_mut() {
        *end = hi;
    }
    let edge = |i: usize| edges.get(i).copied().unwrap_or(hi);
    let mut counts = vec![0u64; bins];
    for &x in sorted {
        let mut idx = (((x - lo) / width * bins as f64) as usize).min(bins.saturating_sub(1));
        // Correct rounding at the edges so that edges[idx] <= x < edges[idx + 1].
        while idx > 0 && x < edge(idx) {
            idx -= 1;
        }
        while idx + 1 < bins && x >= edge(idx + 1) {
            idx += 1;
        }
        if let Some(c) = counts.get_mut(idx) {
            *c += 1;
        }
    }
    Histogram { edges, counts }
}

/// Percentile bootstrap of `mean(treatment) − mean(control)`.
///
/// Users are resampled with replacement within each arm, `resamples` times, by the
/// exact multinomial scheme in the module docs (`O(resamples × distinct values)`);
/// the interval is the `alpha/2` and `1 − alpha/2` percentiles of the replicate
/// differences with numpy's default linear interpolation (for `alpha = 0.05`,
/// `np.percentile(diffs, [2.5, 97.5])`). Same inputs and seed give the same
/// output, bit for bit on every platform (see the module docs).
///
/// Returns `None` when an arm is empty, a value is not finite, `resamples == 0`,
/// or `alpha` is outside `(0, 1)`.
///
/// ```
/// use splitscope_engine::infer::bootstrap_mean_diff;
/// let t: Vec<f64> = (0..1000).map(|i| (i % 7) as f64 + 0.5).collect();
/// let c: Vec<f64> = (0..1000).map(|i| (i % 7) as f64).collect();
/// let b = bootstrap_mean_diff(&t, &c, 2000, 42, 0.05).unwrap();
/// assert!(b.ci[0] < 0.5 && 0.5 < b.ci[1]);
/// assert_eq!(b.histogram.counts.iter().sum::<u64>(), 2000);
/// assert_eq!(b, bootstrap_mean_diff(&t, &c, 2000, 42, 0.05).unwrap());
/// ```
pub fn bootstrap_mean_diff(
    treatment: &[f64],
    control: &[f64],
    resamples: u32,
    seed: u64,
    alpha: f64,
) -> Option<Bootstrap> {
    if treatment.is_empty() || control.is_empty() || resamples == 0 {
        return None;
    }
    if !(alpha > 0.0 && alpha < 1.0) {
        return None;
    }
    if !treatment.iter().chain(control).all(|v| v.is_finite()) {
        return None;
    }
    let arms = [Categories::new(treatment), Categories::new(control)];
    let diffs = replicate_diffs(&arms, resamples, seed);
    summarise(diffs, resamples, seed, alpha)
}

/// Replicate differences `mean*_T − mean*_C`, in replicate order.
///
/// Replicate `b` depends only on `(seed, b)`, so the work can be split across
/// threads without changing a single bit of the output: on native targets large
/// jobs use up to [`MAX_THREADS`] scoped threads, each filling a contiguous block of
/// the result; on wasm32 (no threads) everything runs on the calling thread.
fn replicate_diffs(arms: &[Categories; 2], resamples: u32, seed: u64) -> Vec<f64> {
    let base = ChaCha8Rng::seed_from_u64(seed);
    let mut diffs = vec![0.0; resamples as usize];
    let fill = |start: u32, out: &mut [f64]| {
        for (b, slot) in (start..).zip(out.iter_mut()) {
            let t = arms[0].replicate_mean(&mut stream(&base, b, 0));
            let c = arms[1].replicate_mean(&mut stream(&base, b, 1));
            *slot = t - c;
        }
    };
    let per_replicate: usize = arms.iter().map(|a| a.cells.len() + a.light.len()).sum();
    let work = u64::from(resamples) * per_replicate as u64;
    let threads = if work < PARALLEL_WORK {
        1
    } else {
        available_threads().min(resamples as usize)
    };
    if threads <= 1 {
        fill(0, &mut diffs);
    } else {
        let chunk = (resamples as usize).div_ceil(threads);
        std::thread::scope(|scope| {
            for (i, out) in diffs.chunks_mut(chunk).enumerate() {
                let fill = &fill;
                scope.spawn(move || fill((i * chunk) as u32, out));
            }
        });
    }
    diffs
}

/// Most threads [`bootstrap_mean_diff`] uses on native targets.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
const MAX_THREADS: usize = 8;
/// Below this many binomial draws (`resamples × distinct values`), stay single-threaded.
const PARALLEL_WORK: u64 = 200_000;

#[cfg(not(target_arch = "wasm32"))]
fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
}

#[cfg(target_arch = "wasm32")]
fn available_threads() -> usize {
    1
}

fn summarise(mut diffs: Vec<f64>, resamples: u32, seed: u64, alpha: f64) -> Option<Bootstrap> {
    // Mean in replicate order (deterministic), before sorting.
    let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
    diffs.sort_unstable_by(f64::total_cmp);
    let ci = [
        percentile_linear(&diffs, alpha / 2.0),
        percentile_linear(&diffs, 1.0 - alpha / 2.0),
    ];
    let histogram = histogram(&diffs, HISTOGRAM_BINS);
    let finite = mean.is_finite() && ci.iter().all(|v| v.is_finite());
    finite.then_some(Bootstrap {
        ci,
        resamples,
        seed,
        mean,
        histogram,
    })
}

#[cfg(test)]
mod tests;
