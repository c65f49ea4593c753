use super::*;
use crate::ingest::Input;
use crate::plan::Plan;
use crate::{analyze, example, NoProgress};

fn plan_with_budget(mb: u64) -> Plan {
    let mut plan = Plan::default();
    plan.limits.max_memory_mb = mb;
    plan
}

/// `n` users, alternately control and variant, exposed a minute apart.
fn exposures(n: usize) -> String {
    let mut out = String::from("user_id,variant,exposure_ts\n");
    for i in 0..n {
        let arm = if i % 2 == 0 { "control" } else { "variant" };
        out.push_str(&format!("{i},{arm},{}\n", 1_700_000_000 + 60 * i as i64));
    }
    out
}

fn run(exposures: &str, events: &str, plan: &Plan) -> Result<crate::report::Report, AnalysisError> {
    analyze(
        Input::new("exposures.csv", exposures.as_bytes()),
        Input::new("events.csv", events.as_bytes()),
        plan,
        &mut NoProgress,
    )
}

const ADVICE: &str = "Raise limits.max_memory_mb in the plan, or aggregate in your warehouse \
    instead: `splitscope sql` writes the query for a summary CSV that `splitscope stats \
    --summary` (or the app's summary upload) analyses.";

fn message(e: AnalysisError) -> String {
    let text = e.to_string();
    assert!(matches!(e, AnalysisError::Memory(_)), "{text}");
    text
}

#[test]
fn the_default_budget_is_2048_mb_and_zero_is_refused() {
    assert_eq!(Plan::default().limits.max_memory_mb, 2048);
    let e = plan_with_budget(0).check().unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid plan: limits.max_memory_mb must be at least 1"
    );
}

#[test]
fn the_course_example_fits_a_one_megabyte_budget() {
    let plan = plan_with_budget(1);
    let report = run(example::EXPOSURES_CSV, example::EVENTS_CSV, &plan).unwrap();
    assert_eq!(report.variants[0].users, 3);
}

#[test]
fn reading_exposures_stops_at_the_line_where_the_budget_runs_out() {
    let e = run(
        &exposures(20_000),
        "user_id,event,amount,event_ts\n",
        &plan_with_budget(1),
    );
    assert_eq!(
        message(e.unwrap_err()),
        format!(
            "exposures.csv, line 8193: holding the 8192 exposure rows and 8192 user ids read \
             so far would need about 2 MB of memory, more than limits.max_memory_mb = 1. {ADVICE}"
        )
    );
}

#[test]
fn per_user_metrics_are_refused_before_the_events_are_read() {
    let mut plan = plan_with_budget(40);
    plan.cuped.enabled = true;
    // An events file that would fail if it were read: the budget stops first.
    let e = run(&exposures(200_000), "not,the,header\n1,2,3\n", &plan);
    assert_eq!(
        message(e.unwrap_err()),
        format!(
            "exposures.csv (all 200000 rows read): the per-user metrics of 200000 users would \
             need about 49 MB of memory, more than limits.max_memory_mb = 40. {ADVICE}"
        )
    );
}

#[test]
fn the_lift_over_time_grid_is_counted_before_it_is_built() {
    // Two users exposed ten years apart: a grid of 2 arms × 3654 days × 9 offsets.
    let exposures = "user_id,variant,exposure_ts\n1,control,2014-01-01\n2,variant,2024-01-02\n";
    let events = "user_id,event,amount,event_ts\n1,purchase,10,2014-01-02\n";
    let e = run(exposures, events, &plan_with_budget(1));
    assert_eq!(
        message(e.unwrap_err()),
        format!(
            "events.csv (all 1 rows read): the lift-over-time grid (2 arms × 3654 exposure \
             days × 9 days since exposure) would need about 4 MB of memory, more than \
             limits.max_memory_mb = 1. {ADVICE}"
        )
    );
    assert!(run(exposures, events, &plan_with_budget(4)).is_ok());
}

#[test]
fn an_exposures_file_far_beyond_the_budget_is_refused_unread() {
    struct Unreadable;
    impl std::io::Read for Unreadable {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            panic!("the file must not be read")
        }
    }
    let e = analyze(
        Input::new("exposures.csv", Unreadable).with_size(3 << 30),
        Input::new("events.csv", Unreadable),
        &plan_with_budget(256),
        &mut NoProgress,
    );
    assert_eq!(
        message(e.unwrap_err()),
        format!(
            "exposures.csv (3072 MB, not read): its rows (at least one per 256 bytes of the \
             file, 24 bytes each) would need about 288 MB of memory, more than \
             limits.max_memory_mb = 256. {ADVICE}"
        )
    );
}

#[test]
fn a_growing_buffer_counts_its_next_allocation_when_it_would_fill() {
    assert_eq!(growing(3, 4, 10, 1), 40);
    assert_eq!(growing(4, 4, 10, 0), 40);
    assert_eq!(growing(4, 4, 10, 1), 40 + 80);
    assert_eq!(growing(3, 4, 10, 2), 40 + 80);
    assert_eq!(growing(0, 0, 10, 1), 80);
}
