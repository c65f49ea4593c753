//! The `plan` fuzz target's checks (shared with the regression tests).
//!
//! `Plan::from_json` on arbitrary text; a plan that parses must survive
//! `to_json_pretty` → `from_json` unchanged. Any panic or failed assertion is a finding.
use splitscope_engine::plan::Plan;

/// Runs one fuzz input; panics on a finding.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Plan::from_json(text) {
        Ok(plan) => {
            assert_eq!(
                plan.check(),
                Ok(()),
                "from_json returned a plan that fails check"
            );
            let json = plan.to_json_pretty();
            assert!(!json.is_empty(), "the plan did not serialise: {plan:?}");
            let back = match Plan::from_json(&json) {
                Ok(back) => back,
                Err(e) => panic!("the plan's own JSON does not parse: {e}\n{json}"),
            };
            assert_eq!(back, plan, "the plan changed through JSON:\n{json}");
            assert_eq!(back.to_json_pretty(), json, "the JSON is not stable");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}
