//! Properties over random data: order does not matter, every user lands in exactly
//! one variant, and the diagnostics add up to the rows read.

use proptest::prelude::*;
use splitscope_engine::plan::Plan;
use splitscope_engine::report::Report;
use splitscope_engine::{analyze, Input, NoProgress};

#[derive(Clone, Debug)]
struct Data {
    exposures: Vec<String>,
    events: Vec<String>,
}

fn rows() -> impl Strategy<Value = Data> {
    let exposure = (0u32..40, prop::bool::ANY, 0u32..500, prop::bool::ANY);
    let event = (0u32..50, 0u8..3, 0u32..100, 0u32..800);
    (
        prop::collection::vec(exposure, 1..80),
        prop::collection::vec(event, 0..200),
    )
        .prop_map(|(exposures, events)| {
            // A unique minute per exposure row keeps first-exposure ties out of it:
            // ties are broken by file order, which a shuffle legitimately changes.
            let exposures = exposures
                .iter()
                .enumerate()
                .map(|(i, (user, treated, minute, bot))| {
                    let arm = if *treated { "variant" } else { "control" };
                    let minute = minute * 200 + i as u32;
                    format!(
                        "u{user},{arm},{},{}",
                        1_672_531_200 + 60 * minute,
                        u8::from(*bot && user % 7 == 0)
                    )
                })
                .collect();
            let names = ["view", "purchase", "error"];
            let events = events
                .iter()
                .map(|(user, kind, amount, minute)| {
                    format!(
                        "u{user},{},{amount},{}",
                        names[*kind as usize],
                        1_672_531_200 + 3600 * minute
                    )
                })
                .collect();
            Data { exposures, events }
        })
}

fn analyze_rows(data: &Data, plan: &Plan) -> Option<Report> {
    let exposures = format!(
        "user_id,variant,exposure_ts,is_bot\n{}\n",
        data.exposures.join("\n")
    );
    let events = format!(
        "user_id,event,amount,event_ts\n{}\n",
        data.events.join("\n")
    );
    analyze(
        Input::new("exposures.csv", exposures.as_bytes()),
        Input::new("events.csv", events.as_bytes()),
        plan,
        &mut NoProgress,
    )
    .ok()
}

fn plan() -> Plan {
    Plan::from_json(
        r#"{"exposures": {"bot_flag": "is_bot"}, "cuped": {"enabled": true},
            "bootstrap": {"resamples": 50},
            "metrics": [
              {"name": "conversion", "kind": "conversion", "event": "purchase", "role": "primary"},
              {"name": "revenue", "kind": "sum", "event": "purchase"},
              {"name": "errors", "kind": "count", "event": "error", "role": "guardrail", "bad_direction": "increase"}]}"#,
    )
    .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn shuffling_rows_changes_nothing(data in rows(), seed in any::<u64>()) {
        let plan = plan();
        let Some(a) = analyze_rows(&data, &plan) else { return Ok(()) };
        let mut shuffled = data.clone();
        let mut rng = seed;
        let mut next = move |n: usize| { rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (rng >> 33) as usize % n };
        for v in [&mut shuffled.exposures, &mut shuffled.events] {
            for i in (1..v.len()).rev() { let j = next(i + 1); v.swap(i, j); }
        }
        let b = analyze_rows(&shuffled, &plan).expect("shuffled data analyses too");
        prop_assert_eq!(&a.diagnostics.exposures, &b.diagnostics.exposures);
        prop_assert_eq!(&a.diagnostics.events, &b.diagnostics.events);
        prop_assert_eq!(a.variants.len(), b.variants.len());
        for (x, y) in a.variants.iter().zip(&b.variants) {
            prop_assert_eq!(&x.name, &y.name);
            prop_assert_eq!(x.users, y.users);
            prop_assert_eq!(x.conversions, y.conversions);
            for (m, n) in x.metrics.iter().zip(&y.metrics) {
                prop_assert!(close(m.mean, n.mean) && close(m.total, n.total));
            }
        }
        prop_assert_eq!(a.decision.verdict, b.decision.verdict);
        for (m, n) in a.metrics.iter().zip(&b.metrics) {
            for (c, d) in m.comparisons.iter().zip(&n.comparisons) {
                prop_assert!(close(c.diff, d.diff));
                if let (Some(w), Some(v)) = (&c.welch, &d.welch) {
                    prop_assert!(close(w.p_value, v.p_value));
                }
            }
        }
    }

    #[test]
    fn every_user_is_in_exactly_one_variant(data in rows()) {
        let Some(r) = analyze_rows(&data, &plan()) else { return Ok(()) };
        let per_variant: u64 = r.variants.iter().map(|v| v.users).sum();
        prop_assert_eq!(per_variant, r.diagnostics.users_analysed);
        prop_assert_eq!(r.diagnostics.users_analysed, r.diagnostics.exposures.first_exposures);
        let srm_total: u64 = r.srm.arms.iter().map(|a| a.observed).sum();
        prop_assert_eq!(srm_total, per_variant);
    }

    #[test]
    fn diagnostics_add_up_to_rows_read(data in rows()) {
        let Some(r) = analyze_rows(&data, &plan()) else { return Ok(()) };
        prop_assert_eq!(r.diagnostics.exposures.rows_read, data.exposures.len() as u64);
        prop_assert_eq!(r.diagnostics.events.rows_read, data.events.len() as u64);
        for check in &r.diagnostics.checks {
            prop_assert!(check.passed, "{}: {}", check.name, check.detail);
        }
    }
}
