//! Column mapping: which header is the user id, variant, timestamp, … in each file.
//! Detected from the headers (engine's `suggest_mapping`), changeable with dropdowns.

use crate::state::AppState;
use leptos::prelude::*;
use splitscope_engine::ingest::suggest_mapping;
use splitscope_engine::plan::Plan;

/// Which plan field a dropdown sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `exposures.user_id`
    ExposureUser,
    /// `exposures.variant`
    Variant,
    /// `exposures.timestamp`
    ExposureTime,
    /// `events.user_id`
    EventUser,
    /// `events.event`
    Event,
    /// `events.amount`
    Amount,
    /// `events.timestamp`
    EventTime,
}

impl Role {
    /// Label, and whether the role belongs to the events file.
    pub fn describe(self) -> (&'static str, bool) {
        match self {
            Role::ExposureUser => ("User id", false),
            Role::Variant => ("Variant", false),
            Role::ExposureTime => ("Exposure time", false),
            Role::EventUser => ("User id", true),
            Role::Event => ("Event name", true),
            Role::Amount => ("Amount", true),
            Role::EventTime => ("Event time", true),
        }
    }

    /// The plan's column name for this role.
    pub fn get(self, plan: &Plan) -> &str {
        match self {
            Role::ExposureUser => &plan.exposures.user_id,
            Role::Variant => &plan.exposures.variant,
            Role::ExposureTime => &plan.exposures.timestamp,
            Role::EventUser => &plan.events.user_id,
            Role::Event => &plan.events.event,
            Role::Amount => &plan.events.amount,
            Role::EventTime => &plan.events.timestamp,
        }
    }

    /// Sets the plan's column name for this role.
    pub fn set(self, plan: &mut Plan, column: String) {
        match self {
            Role::ExposureUser => plan.exposures.user_id = column,
            Role::Variant => plan.exposures.variant = column,
            Role::ExposureTime => plan.exposures.timestamp = column,
            Role::EventUser => plan.events.user_id = column,
            Role::Event => plan.events.event = column,
            Role::Amount => plan.events.amount = column,
            Role::EventTime => plan.events.timestamp = column,
        }
    }
}

/// Applies the engine's suggested mapping for the roles whose column is not in the headers.
pub fn apply_suggestions(plan: &mut Plan, exposure_headers: &[String], event_headers: &[String]) {
    let (exp, evt) = suggest_mapping(exposure_headers, event_headers);
    let suggested = Plan {
        exposures: exp,
        events: evt,
        ..Plan::default()
    };
    let roles = [
        Role::ExposureUser,
        Role::Variant,
        Role::ExposureTime,
        Role::EventUser,
        Role::Event,
        Role::Amount,
        Role::EventTime,
    ];
    for role in roles {
        let headers = if role.describe().1 {
            event_headers
        } else {
            exposure_headers
        };
        if !headers.is_empty() && !headers.iter().any(|h| h == role.get(plan)) {
            role.set(plan, role.get(&suggested).to_string());
        }
    }
}

/// One dropdown.
#[component]
fn Pick(role: Role) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (label, events) = role.describe();
    let headers = if events {
        state.events_headers
    } else {
        state.exposures_headers
    };
    let current = move || state.plan.with(|p| role.get(p).to_string());
    view! {
        <label class="field">
            <span>{label}</span>
            <select
                on:change=move |ev| { let v = event_target_value(&ev); state.plan.update(|p| role.set(p, v)); }
                prop:value=current
            >
                {move || {
                    let mut options = headers.get();
                    let cur = current();
                    if !options.contains(&cur) {
                        options.insert(0, cur);
                    }
                    options.into_iter().map(|h| { let v = h.clone(); view! { <option value=v>{h}</option> } }).collect_view()
                }}
            </select>
        </label>
    }
}

/// The mapping section, shown once a file's headers are known.
#[component]
pub fn ColumnMapping() -> impl IntoView {
    let state = expect_context::<AppState>();
    Effect::new(move |_| {
        let (exp, evt) = (state.exposures_headers.get(), state.events_headers.get());
        if !exp.is_empty() || !evt.is_empty() {
            state.plan.update(|p| apply_suggestions(p, &exp, &evt));
        }
    });
    let known = move || {
        state.exposures_headers.with(|h| !h.is_empty())
            || state.events_headers.with(|h| !h.is_empty())
    };
    move || {
        known().then(|| view! {
        <details class="mapping" open>
            <summary>"Column mapping (detected from the headers)"</summary>
            <div class="fields">
                <Pick role=Role::ExposureUser /><Pick role=Role::Variant /><Pick role=Role::ExposureTime />
                <Pick role=Role::EventUser /><Pick role=Role::Event /><Pick role=Role::Amount /><Pick role=Role::EventTime />
            </div>
        </details>
    })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn keeps_matching_columns_and_fills_the_rest() {
        let mut plan = Plan::default();
        apply_suggestions(
            &mut plan,
            &h(&["uid", "group", "exposure_ts"]),
            &h(&["user_id", "event", "value", "ts"]),
        );
        assert_eq!(plan.exposures.user_id, "uid");
        assert_eq!(plan.exposures.variant, "group");
        assert_eq!(plan.exposures.timestamp, "exposure_ts");
        assert_eq!(plan.events.amount, "value");
        assert_eq!(plan.events.timestamp, "ts");
    }

    #[test]
    fn course_headers_change_nothing() {
        let mut plan = Plan::default();
        apply_suggestions(
            &mut plan,
            &h(&["user_id", "variant", "exposure_ts"]),
            &h(&["user_id", "event", "amount", "event_ts"]),
        );
        assert_eq!(plan, Plan::default());
    }
}
