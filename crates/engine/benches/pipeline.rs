//! Stage-by-stage timings of the engine (a benchmark, not a test).
//!
//! `cargo bench -p splitscope-engine --bench pipeline` times, on the benchmark data
//! in `bench-data/` when `scripts/bench.sh` has generated it (else on 100k users /
//! 1M events generated in memory):
//!
//! * the generator's throughput;
//! * `analyze` end to end, split by [`Stage`] with a timing observer, for the
//!   course's metrics with CUPED and B = 5000 bootstrap resamples;
//! * the bootstrap alone on revenue-like data (zero-inflated, skewed, mostly
//!   distinct values) and conversion-like data (0/1).
//!
//! Arguments after `--`: `quick` (one repetition, 100k only) or sizes to run,
//! e.g. `cargo bench -p splitscope-engine --bench pipeline -- 100k-1m`.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use splitscope_engine::generate::{generate, GeneratorConfig};
use splitscope_engine::infer::bootstrap_mean_diff;
use splitscope_engine::plan::Plan;
use splitscope_engine::{analyze, Input, Observer, Stage};

/// Records when each stage starts.
struct Timer {
    start: Instant,
    marks: Vec<(Stage, Duration)>,
}

impl Observer for Timer {
    fn stage(&mut self, stage: Stage, _fraction: f64) {
        if self.marks.last().map(|m| m.0) != Some(stage) {
            self.marks.push((stage, self.start.elapsed()));
        }
    }
}

fn plan() -> Plan {
    let mut plan = Plan::default();
    plan.cuped.enabled = true;
    plan.bootstrap.resamples = 5000;
    plan
}

fn secs(d: Duration) -> String {
    format!("{:>8.3} s", d.as_secs_f64())
}

/// One timed analysis; prints the stages and returns the total.
fn timed<R1: std::io::Read, R2: std::io::Read>(
    label: &str,
    exposures: Input<R1>,
    events: Input<R2>,
) -> Duration {
    let mut timer = Timer {
        start: Instant::now(),
        marks: Vec::new(),
    };
    let report = analyze(exposures, events, &plan(), &mut timer).expect("analysis succeeds");
    let total = timer.start.elapsed();
    println!("{label}: total {}", secs(total));
    for (i, (stage, at)) in timer.marks.iter().enumerate() {
        let end = timer.marks.get(i + 1).map_or(total, |m| m.1);
        println!("    {:<28} {}", stage.label(), secs(end - *at));
    }
    std::hint::black_box(report);
    total
}

fn bench_files(dir: &Path, reps: usize) {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let (e, v) = (dir.join("exposures.csv"), dir.join("events.csv"));
    let mut best = Duration::MAX;
    for rep in 0..reps {
        let open = |p: &PathBuf| {
            let f = File::open(p).expect("bench data readable");
            let size = f.metadata().map(|m| m.len()).unwrap_or(0);
            Input::new(&p.display().to_string(), f).with_size(size)
        };
        best = best.min(timed(
            &format!("{name} (files, run {})", rep + 1),
            open(&e),
            open(&v),
        ));
    }
    println!("{name}: best of {reps}: {}\n", secs(best));
}

fn bench_memory(users: u64, events: u64, reps: usize) {
    let config = GeneratorConfig::new(users, events);
    let (mut e, mut v) = (Vec::new(), Vec::new());
    let t = Instant::now();
    let truth = generate(&config, &mut e, &mut v).expect("generates");
    let elapsed = t.elapsed();
    println!(
        "generate {users} users / {} events ({:.1} MB): {} ({:.1} M events/s)",
        truth.counts.event_rows,
        (e.len() + v.len()) as f64 / 1e6,
        secs(elapsed),
        truth.counts.event_rows as f64 / elapsed.as_secs_f64() / 1e6
    );
    let mut best = Duration::MAX;
    for rep in 0..reps {
        best = best.min(timed(
            &format!("{users}/{events} (in memory, run {})", rep + 1),
            Input::new("exposures.csv", e.as_slice()),
            Input::new("events.csv", v.as_slice()),
        ));
    }
    println!("in memory: best of {reps}: {}\n", secs(best));
}

/// Zero-inflated, skewed values with mostly distinct non-zero values (like revenue).
fn revenue_like(n: usize, seed: u64) -> Vec<f64> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            if u < 0.92 {
                0.0
            } else {
                (u * 1e4).fract() * 120.0 + ((u * 1e6).fract() * 4.0).exp()
            }
        })
        .collect()
}

fn bench_bootstrap(per_arm: usize) {
    let t = revenue_like(per_arm, 1);
    let c = revenue_like(per_arm, 2);
    let start = Instant::now();
    std::hint::black_box(bootstrap_mean_diff(&t, &c, 5000, 7, 0.05));
    println!(
        "bootstrap B=5000, revenue-like, {per_arm} users per arm: {}",
        secs(start.elapsed())
    );
    let t: Vec<f64> = t.iter().map(|v| f64::from(u8::from(*v > 0.0))).collect();
    let c: Vec<f64> = c.iter().map(|v| f64::from(u8::from(*v > 0.0))).collect();
    let start = Instant::now();
    std::hint::black_box(bootstrap_mean_diff(&t, &c, 5000, 7, 0.05));
    println!(
        "bootstrap B=5000, 0/1 conversion, {per_arm} users per arm: {}",
        secs(start.elapsed())
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let quick = args.iter().any(|a| a == "quick");
    let reps = if quick { 1 } else { 3 };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench-data");
    let sizes: Vec<&str> = if quick {
        vec!["100k-1m"]
    } else if args.is_empty() {
        vec!["100k-1m", "1m-10m"]
    } else {
        args.iter().map(String::as_str).collect()
    };
    for size in &sizes {
        let dir = data.join(size);
        if dir.join("events.csv").exists() {
            bench_files(&dir, if *size == "1m-10m" { 1 } else { reps });
        } else if *size == "100k-1m" {
            println!(
                "({} missing: generating in memory; run scripts/bench.sh for files)",
                dir.display()
            );
            bench_memory(100_000, 1_000_000, reps);
        } else {
            println!(
                "({} missing: skipped; run scripts/bench.sh first)\n",
                dir.display()
            );
        }
    }
    bench_bootstrap(50_000);
    if !quick {
        bench_bootstrap(500_000);
    }
}
