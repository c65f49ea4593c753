//! The `ingest_csv` fuzz target's checks (shared with
//! `crates/engine/tests/fuzz_regressions.rs`, which replays saved findings).
//!
//! Arbitrary bytes as an exposures and/or an events file through the whole
//! analysis (`splitscope_engine::analyze`), under plans varied by two header bytes.
//!
//! Input layout: `[flags0] [flags1] body`. When `body` contains the separator byte
//! 0x1E (ASCII "record separator"), the part before it is the exposures file and the
//! part after it the events file; otherwise `body` is one of the two files (flags1
//! bit 7 chooses which) and the other is the course example. Any panic is a finding;
//! so is a `BadRow` error under `on_bad_row: skip` or a report that fails to
//! serialise.

use splitscope_engine::infer::Correction;
use splitscope_engine::ingest::{preview, suggest_mapping};
use splitscope_engine::plan::{
    Capping, Direction, MetricKind, MetricSpec, MultiVariantPolicy, OnBadRow, Plan, Role, Span,
    TimestampFormat, VariantShare,
};
use splitscope_engine::report::to_text;
use splitscope_engine::{analyze, example, AnalysisError, Input, NoProgress};

/// Splits the body into the exposures and the events file.
const SEPARATOR: u8 = 0x1e;

fn plan_from_flags(f0: u8, f1: u8) -> Plan {
    let mut plan = Plan::default();
    plan.bootstrap.resamples = 20;
    plan.on_bad_row = if f0 & 1 != 0 {
        OnBadRow::Skip
    } else {
        OnBadRow::Stop
    };
    plan.timestamp_format = match (f0 >> 1) & 7 {
        1 => TimestampFormat::Datetime,
        2 => TimestampFormat::Date,
        3 => TimestampFormat::EpochSeconds,
        4 => TimestampFormat::EpochMillis,
        _ => TimestampFormat::Auto,
    };
    if f0 & 0x10 != 0 {
        plan.multi_variant_policy = MultiVariantPolicy::Exclude;
    }
    plan.cuped.enabled = f0 & 0x20 != 0;
    if f0 & 0x40 != 0 {
        plan.sequential.enabled = true;
        plan.bayesian.enabled = true;
    }
    if f0 & 0x80 != 0 {
        plan.distribution_test = true;
        plan.pool_arms = true;
    }
    if f1 & 1 != 0 {
        plan.exposures.segments = vec!["country".into()];
    }
    if f1 & 2 != 0 {
        plan.exposures.bot_flag = Some("is_bot".into());
        plan.events.bot_flag = Some("is_bot".into());
    }
    if f1 & 4 != 0 {
        plan.metrics.push(MetricSpec::new(
            "views",
            MetricKind::Count {
                event: "view".into(),
            },
            Role::Guardrail,
        ));
        plan.metrics.push(MetricSpec::new(
            "revenue_per_view",
            MetricKind::Ratio {
                numerator: "revenue".into(),
                denominator: "views".into(),
            },
            Role::Primary,
        ));
        if let Some(revenue) = plan.metrics.iter_mut().find(|m| m.name == "revenue") {
            revenue.capping = Some(Capping {
                lower: Some(0.01),
                upper: Some(0.99),
            });
            revenue.margin = Some(0.05);
            revenue.good_direction = Direction::Decrease;
        }
    }
    plan.correction = match (f1 >> 3) & 3 {
        0 => Correction::Holm,
        1 => Correction::BenjaminiHochberg,
        _ => Correction::None,
    };
    if f1 & 0x20 != 0 {
        plan.expected_split = Some(vec![
            VariantShare {
                variant: "control".into(),
                share: 1.0,
            },
            VariantShare {
                variant: "variant".into(),
                share: 2.0,
            },
        ]);
    }
    if f1 & 0x40 != 0 {
        plan.limits.max_variants = 3;
        plan.limits.max_segment_values = 2;
        plan.limits.max_timeline_days = 3;
        plan.window = Span::from_seconds(3600);
    }
    plan
}

fn run(exposures: &[u8], events: &[u8], plan: &Plan) {
    let result = analyze(
        Input::new("exposures.csv", exposures),
        Input::new("events.csv", events),
        plan,
        &mut NoProgress,
    );
    match result {
        Ok(report) => {
            // What `Report::to_json_pretty` does, minus keeping the text: building
            // multi-megabyte strings for reports with long timelines was a quarter of
            // all fuzzing time. The error, which that method turns into "", is checked.
            if let Err(e) = serde_json::to_writer_pretty(std::io::sink(), &report) {
                panic!("the report did not serialise: {e}");
            }
            let _ = to_text(&report);
        }
        Err(e) => {
            assert!(
                !(plan.on_bad_row == OnBadRow::Skip && matches!(e, AnalysisError::BadRow(_))),
                "a bad row stopped the analysis under on_bad_row = skip: {e}"
            );
            let _ = e.to_string();
        }
    }
}

/// Runs one fuzz input; panics on a finding.
pub fn check(data: &[u8]) {
    let (f0, f1, body) = match data {
        [f0, f1, body @ ..] => (*f0, *f1, body),
        _ => return,
    };
    let plan = plan_from_flags(f0, f1);
    let (exposures, events) = match body.iter().position(|&b| b == SEPARATOR) {
        Some(at) => (
            body.get(..at).unwrap_or_default(),
            body.get(at + 1..).unwrap_or_default(),
        ),
        None if f1 & 0x80 != 0 => (example::EXPOSURES_CSV.as_bytes(), body),
        None => (body, example::EVENTS_CSV.as_bytes()),
    };
    run(exposures, events, &plan);

    // The app's flow: preview both files, let the engine suggest a column mapping,
    // then analyse with it.
    if f1 & 0x80 != 0 && f1 & 0x01 == 0 {
        let exp = preview("exposures.csv", exposures, 20);
        let evt = preview("events.csv", events, 20);
        if let (Ok(exp), Ok(evt)) = (exp, evt) {
            let (exposure_columns, event_columns) = suggest_mapping(&exp.headers, &evt.headers);
            let mut mapped = plan.clone();
            mapped.exposures = exposure_columns;
            mapped.events = event_columns;
            // The same files under the same plan give the same report byte for byte
            // (`analyze`'s contract), so only a mapping that differs is run again.
            if mapped != plan {
                run(exposures, events, &mapped);
            }
        }
    }
}
