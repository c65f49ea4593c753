//! Unit tests of the generator: determinism, counts, ordering, dates and the truth.

use std::io;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::dist::{normal_quantile, poisson, standard_normal};
use super::text::{civil_date, push_cents, push_u64, Timestamps};
use super::*;

fn run(config: &GeneratorConfig) -> (String, String, Truth) {
    let (mut e, mut v) = (Vec::new(), Vec::new());
    let truth = generate(config, &mut e, &mut v).unwrap();
    (
        String::from_utf8(e).unwrap(),
        String::from_utf8(v).unwrap(),
        truth,
    )
}

#[test]
fn dates_match_known_days() {
    assert_eq!(&civil_date(0), b"1970-01-01");
    assert_eq!(&civil_date(19_723), b"2024-01-01");
    assert_eq!(&civil_date(19_782), b"2024-02-29");
    assert_eq!(&civil_date(-1), b"1969-12-31");
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let mut config = GeneratorConfig::new(500, 5_000);
    let a = run(&config);
    let b = run(&config);
    assert_eq!(a.0, b.0);
    assert_eq!(a.1, b.1);
    config.seed = 43;
    let c = run(&config);
    assert_ne!(a.1, c.1);
}

#[test]
fn counts_add_up_and_match_the_files() {
    let mut config = GeneratorConfig::new(3_000, 40_000);
    config.bot_share = 0.02;
    config.segments = true;
    config.block_users = 257;
    let (exp, evt, truth) = run(&config);
    let c = &truth.counts;
    assert_eq!(exp.lines().count() as u64 - 1, c.exposure_rows);
    assert_eq!(evt.lines().count() as u64 - 1, c.event_rows);
    assert_eq!(
        c.exposure_rows,
        c.users + c.repeat_exposures + c.multi_variant_users
    );
    assert_eq!(
        c.event_rows,
        c.bot_events
            + c.unknown_user_events
            + c.pre_period_events
            + c.in_window_events
            + c.after_window_events
    );
    assert_eq!(
        c.users,
        c.bot_users + c.users_per_variant.iter().sum::<u64>()
    );
    assert!(exp.starts_with("user_id,variant,exposure_ts,is_bot,country,device\n"));
    // Close to the target.
    let ratio = c.event_rows as f64 / 40_000.0;
    assert!((0.9..1.1).contains(&ratio), "{ratio}");
    // Unique ids 1..=users.
    let mut ids: Vec<u64> = exp
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, c.users);
    assert_eq!(ids[0], 1);
    assert_eq!(*ids.last().unwrap(), c.users);
}

#[test]
fn exposures_are_in_time_order() {
    let (exp, _, _) = run(&GeneratorConfig::new(2_000, 10_000));
    let ts: Vec<&str> = exp
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert!(ts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn bad_settings_are_rejected() {
    let mut config = GeneratorConfig::new(10, 10);
    config.variants.truncate(1);
    assert!(matches!(
        generate(&config, io::sink(), io::sink()),
        Err(GenerateError::Config(_))
    ));
    let mut config = GeneratorConfig::new(10, 10);
    config.conversion_rate = 0.99;
    assert!(config.check().is_err());
}

/// Seconds since 1970 of `YYYY-MM-DD HH:MM:SS` (H. Hinnant's `days_from_civil`).
fn parse_ts(s: &str) -> i64 {
    let d: Vec<i64> = s
        .split([' ', '-', ':'])
        .map(|x| x.parse().unwrap())
        .collect();
    let (y, m) = if d[1] <= 2 {
        (d[0] - 1, d[1] + 9)
    } else {
        (d[0], d[1] - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d[2] - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * DAY + d[3] * 3600 + d[4] * 60 + d[5]
}

#[test]
fn timestamps_round_trip() {
    for day in [-700_000, -1, 0, 59, 19_782, 2_932_896] {
        let mut out = Vec::new();
        Timestamps::new().push(&mut out, day * DAY + 3_723);
        assert_eq!(
            parse_ts(std::str::from_utf8(&out).unwrap()),
            day * DAY + 3_723
        );
    }
}

#[test]
fn estimates_land_near_the_truth() {
    let mut config = GeneratorConfig::new(60_000, 300_000);
    config.variants[1].conversion_lift = 0.25;
    config.variants[1].revenue_lift = 0.30;
    let (exp, evt, truth) = run(&config);
    // The course's pipeline, naively: first exposure, 7-day inclusive window.
    let mut first = std::collections::HashMap::new();
    for l in exp.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        first
            .entry(f[0].to_string())
            .or_insert((usize::from(f[1] == "variant"), parse_ts(f[2])));
    }
    let mut per_user: std::collections::HashMap<&str, (bool, f64)> =
        std::collections::HashMap::new();
    let mut counted = 0u64;
    for l in evt.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        let Some(&(_, t0)) = first.get(f[0]) else {
            continue;
        };
        let t = parse_ts(f[3]);
        if t >= t0 && t <= t0 + 7 * DAY {
            counted += 1;
            if f[1] == "purchase" {
                let e = per_user.entry(f[0]).or_default();
                e.0 = true;
                e.1 += f[2].parse::<f64>().unwrap();
            }
        }
    }
    assert_eq!(counted, truth.counts.in_window_events);
    let mut n = [0.0f64; 2];
    let mut conv = [0.0f64; 2];
    let mut rev = [0.0f64; 2];
    let mut rev2 = [0.0f64; 2];
    for (id, (arm, _)) in &first {
        let (c, r) = per_user.get(id.as_str()).copied().unwrap_or_default();
        n[*arm] += 1.0;
        conv[*arm] += f64::from(u8::from(c));
        rev[*arm] += r;
        rev2[*arm] += r * r;
    }
    for arm in 0..2 {
        let t = &truth.variants[arm];
        let cr = conv[arm] / n[arm];
        let se = (t.conversion_rate * (1.0 - t.conversion_rate) / n[arm]).sqrt();
        assert!(
            (cr - t.conversion_rate).abs() < 4.0 * se,
            "arm {arm}: {cr} vs {t:?}"
        );
        let rpu = rev[arm] / n[arm];
        let se = ((rev2[arm] / n[arm] - rpu * rpu) / n[arm]).sqrt();
        assert!(
            (rpu - t.revenue_per_user).abs() < 4.0 * se,
            "arm {arm}: {rpu} vs {t:?}"
        );
    }
    let share = n[1] / (n[0] + n[1]);
    assert!((share - 0.5).abs() < 0.01, "{share}");
}

#[test]
fn numbers_are_written_in_full() {
    let text = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).unwrap()
    };
    assert_eq!(text(&|o| push_u64(o, 0)), "0");
    assert_eq!(text(&|o| push_u64(o, 907)), "907");
    assert_eq!(text(&|o| push_u64(o, u64::MAX)), u64::MAX.to_string());
    assert_eq!(text(&|o| push_cents(o, 0)), "0");
    assert_eq!(text(&|o| push_cents(o, 5)), "0.05");
    assert_eq!(text(&|o| push_cents(o, 1999)), "19.99");
}

#[test]
fn normal_quantile_matches_scipy() {
    // scipy.stats.norm.ppf
    for (p, z) in [
        (0.025, -1.959963984540054),
        (0.08, -1.4050715603096329),
        (0.5, 0.0),
        (0.84, 0.994457883209753),
        (1e-10, -6.361340902404056),
        (0.999, 3.090232306167813),
    ] {
        let got = normal_quantile(p);
        assert!(
            (got - z).abs() <= 4e-15 * z.abs().max(1.0),
            "{p}: {got} vs {z}"
        );
    }
    assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(normal_quantile(1.0), f64::INFINITY);
    assert!(normal_quantile(1.5).is_nan() && normal_quantile(f64::NAN).is_nan());
}

/// Mean and variance of `n` draws.
fn moments(n: usize, mut draw: impl FnMut() -> f64) -> (f64, f64) {
    let xs: Vec<f64> = (0..n).map(|_| draw()).collect();
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, var)
}

#[test]
fn samplers_have_the_right_moments() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let n = 200_000;
    let (mean, var) = moments(n, || standard_normal(&mut rng));
    assert!(mean.abs() < 4.0 / (n as f64).sqrt(), "{mean}");
    assert!((var - 1.0).abs() < 0.015, "{var}");
    for lambda in [0.05, 1.3, 9.99, 10.0, 37.5, 1_000.0] {
        let d = poisson(lambda).unwrap();
        let (mean, var) = moments(n, || d.sample(&mut rng) as f64);
        let se = (lambda / n as f64).sqrt();
        assert!((mean - lambda).abs() < 4.0 * se, "{lambda}: mean {mean}");
        assert!((var / lambda - 1.0).abs() < 0.03, "{lambda}: var {var}");
    }
    assert!(poisson(0.0).is_none() && poisson(f64::NAN).is_none());
}

/// The bytes are pinned: the generator uses only `libm` and IEEE arithmetic, so
/// every platform and build (native or wasm32, whatever features `num-traits`
/// ends up with) must write exactly these files.
#[test]
fn output_bytes_are_pinned() {
    use sha2::{Digest, Sha256};
    let mut config = GeneratorConfig::new(1_000, 12_000);
    config.bot_share = 0.02;
    config.segments = true;
    config.variants.push(VariantSpec::new("third", -0.1, 0.2));
    let (exp, evt, truth) = run(&config);
    let hex = |s: &str| {
        Sha256::digest(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let got = (hex(&exp), hex(&evt), truth.counts.event_rows);
    let want = (
        "c940b20767f0b6e109c080ed6ed4c032b58c7e39e5284f5145ddaf66b7f00291".to_string(),
        "723dba3f2dfecb9d408cd6a049824f464db209a8ad7c8729bac87d5b875df70d".to_string(),
        12_120,
    );
    assert_eq!(got, want);
}
