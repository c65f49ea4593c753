//! Plan editor: the common settings as fields, the whole plan as JSON (metrics,
//! guardrails, columns, split), and plan import/export.

use crate::download::save_text;
use crate::state::AppState;
use leptos::prelude::*;
use serde_json::Value;
use splitscope_engine::plan::Plan;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

/// Returns `plan` with the JSON value at `path` replaced, checked by the engine.
pub fn with_field(plan: &Plan, path: &[&str], value: Value) -> Result<Plan, String> {
    let mut json = serde_json::to_value(plan).map_err(|e| e.to_string())?;
    let mut slot = &mut json;
    for key in path {
        slot = slot
            .get_mut(*key)
            .ok_or_else(|| format!("no plan field {key}"))?;
    }
    *slot = value;
    Plan::from_json(&json.to_string()).map_err(|e| e.to_string())
}

/// Reads a typed field value: numbers for numeric fields, strings otherwise.
pub fn parse_value(raw: &str, numeric: bool) -> Result<Value, String> {
    if numeric {
        let n: f64 = raw
            .trim()
            .parse()
            .map_err(|_| format!("{raw:?} is not a number"))?;
        Ok(if n.fract() == 0.0 && (0.0..9.0e15).contains(&n) {
            Value::from(n as u64)
        } else {
            Value::from(n)
        })
    } else {
        Ok(Value::from(raw.trim()))
    }
}

/// The names of a comma-separated list, trimmed, empty ones dropped.
pub fn segment_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// One text/number field bound to a plan path.
#[component]
fn Field(label: &'static str, path: &'static [&'static str], numeric: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (error, set_error) = signal(None::<String>);
    let current = move || {
        state.plan.with(|p| {
            let mut v = serde_json::to_value(p).unwrap_or_default();
            for k in path {
                v = v.get(*k).cloned().unwrap_or_default();
            }
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        })
    };
    let on_change = move |ev: leptos::ev::Event| {
        let raw = event_target_value(&ev);
        let result = parse_value(&raw, numeric)
            .and_then(|v| state.plan.with_untracked(|p| with_field(p, path, v)));
        match result {
            Ok(plan) => {
                set_error.set(None);
                state.plan.set(plan);
            }
            Err(e) => set_error.set(Some(e)),
        }
    };
    view! {
        <label class="field">
            <span>{label}</span>
            <input type="text" prop:value=current on:change=on_change data-field=path.join(".") />
            <span class="error">{move || error.get()}</span>
        </label>
    }
}

/// The plan section of the page.
#[component]
pub fn PlanEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (json_error, set_json_error) = signal(None::<String>);
    let apply_json = move |text: String| match Plan::from_json(&text) {
        Ok(plan) => {
            set_json_error.set(None);
            state.plan.set(plan);
        }
        Err(e) => set_json_error.set(Some(e.to_string())),
    };
    let on_import = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            leptos::task::spawn_local(async move {
                match JsFuture::from(file.text()).await {
                    Ok(text) => apply_json(text.as_string().unwrap_or_default()),
                    Err(e) => set_json_error.set(Some(format!("cannot read the plan file: {e:?}"))),
                }
            });
        }
    };
    let export = move |_| {
        let _ = save_text(
            "splitscope-plan.json",
            "application/json",
            &state.plan.with_untracked(Plan::to_json_pretty),
        );
    };
    let cuped = move || state.plan.with(|p| p.cuped.enabled);
    let toggle_cuped = move |_| state.plan.update(|p| p.cuped.enabled = !p.cuped.enabled);
    let check =
        |label: &'static str, field: &'static str, get: fn(&Plan) -> bool, flip: fn(&mut Plan)| {
            view! {
                <label class="field check">
                    <input type="checkbox" prop:checked=move || state.plan.with(get)
                        on:change=move |_| state.plan.update(flip) data-field=field />
                    <span>{label}</span>
                </label>
            }
        };
    let correction = move || {
        state.plan.with(|p| {
            serde_json::to_value(p.correction)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        })
    };
    let set_correction = move |ev: leptos::ev::Event| {
        let v = Value::from(event_target_value(&ev));
        match state
            .plan
            .with_untracked(|p| with_field(p, &["correction"], v))
        {
            Ok(plan) => state.plan.set(plan),
            Err(e) => set_json_error.set(Some(e)),
        }
    };
    let segments = move || state.plan.with(|p| p.exposures.segments.join(", "));
    let set_segments = move |ev: leptos::ev::Event| {
        let v = Value::from(segment_list(&event_target_value(&ev)));
        match state
            .plan
            .with_untracked(|p| with_field(p, &["exposures", "segments"], v))
        {
            Ok(plan) => {
                set_json_error.set(None);
                state.plan.set(plan);
            }
            Err(e) => set_json_error.set(Some(e)),
        }
    };
    view! {
        <section class="plan">
            <h2>"Plan"</h2>
            <div class="fields">
                <Field label="Control variant" path=&["control"] numeric=false />
                <Field label="Window after exposure (e.g. 7d, 36h)" path=&["window"] numeric=false />
                <Field label="Alpha" path=&["alpha"] numeric=true />
                <Field label="Bootstrap resamples" path=&["bootstrap", "resamples"] numeric=true />
                <Field label="Seed" path=&["bootstrap", "seed"] numeric=true />
                <label class="field check">
                    <input type="checkbox" prop:checked=cuped on:change=toggle_cuped data-field="cuped.enabled" />
                    <span>"CUPED variance reduction"</span>
                </label>
                <Field label="CUPED pre-period" path=&["cuped", "pre_window"] numeric=false />
                <label class="field">
                    <span>"Segment columns of the exposures (comma-separated)"</span>
                    <input type="text" prop:value=segments on:change=set_segments data-field="exposures.segments" />
                </label>
                <Field label="Memory budget (MB; the analysis stops with a message beyond it)" path=&["limits", "max_memory_mb"] numeric=true />
            </div>
            <h3>"Methods"</h3>
            <div class="fields methods">
                <label class="field">
                    <span>"Multiple-testing correction (primary metrics × arms × segments)"</span>
                    <select on:change=set_correction data-field="correction">
                        {[("none", "None"), ("holm", "Holm (family-wise error)"), ("benjamini_hochberg", "Benjamini–Hochberg (false discovery rate)")]
                            .into_iter()
                            .map(|(v, label)| view! { <option value=v prop:selected=move || correction() == v>{label}</option> })
                            .collect_view()}
                    </select>
                </label>
                {check("Also compare all treatment arms pooled against the control", "pool_arms", |p| p.pool_arms, |p| p.pool_arms = !p.pool_arms)}
                {check("Sequential (always-valid) intervals", "sequential.enabled", |p| p.sequential.enabled, |p| p.sequential.enabled = !p.sequential.enabled)}
                <Field label="Sequential tuning sample size (users)" path=&["sequential", "tuning_n"] numeric=true />
                {check("Bayesian read-out (chance to beat control, expected loss)", "bayesian.enabled", |p| p.bayesian.enabled, |p| p.bayesian.enabled = !p.bayesian.enabled)}
                <Field label="Prior mean of the lift" path=&["bayesian", "prior", "mean"] numeric=true />
                <Field label="Prior sd of the lift" path=&["bayesian", "prior", "sd"] numeric=true />
                {check("Mann–Whitney distribution test (not a test of means)", "distribution_test", |p| p.distribution_test, |p| p.distribution_test = !p.distribution_test)}
            </div>
            <p class="hint">"Capping (winsorizing) is set per metric in the JSON below, e.g. "<code>"\"capping\": {\"upper\": 0.99}"</code>" on a metric."</p>
            <details>
                <summary>"Whole plan as JSON (metrics, guardrails, expected split, columns)"</summary>
                <textarea
                    rows="18"
                    spellcheck="false"
                    data-testid="plan-json"
                    prop:value=move || state.plan.with(Plan::to_json_pretty)
                    on:change=move |ev| apply_json(event_target_value(&ev))
                ></textarea>
                <p class="error" role="alert">{move || json_error.get()}</p>
            </details>
            <div class="buttons">
                <label class="button secondary">"Import plan JSON"
                    <input type="file" accept=".json,application/json" class="visually-hidden" on:change=on_import data-testid="plan-import" />
                </label>
                <button class="secondary" on:click=export data-testid="plan-export">"Export plan JSON"</button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_nested_fields_through_the_engine_checks() {
        let plan =
            with_field(&Plan::default(), &["bootstrap", "seed"], Value::from(42u64)).unwrap();
        assert_eq!(plan.bootstrap.seed, 42);
        assert!(with_field(&Plan::default(), &["alpha"], Value::from(2.0))
            .unwrap_err()
            .contains("alpha"));
        assert!(with_field(&Plan::default(), &["nope"], Value::from(1)).is_err());
    }

    #[test]
    fn sets_the_method_fields() {
        let plan = with_field(&Plan::default(), &["correction"], Value::from("holm")).unwrap();
        assert_eq!(plan.correction, splitscope_engine::infer::Correction::Holm);
        let plan = with_field(&plan, &["bayesian", "prior", "sd"], Value::from(0.5)).unwrap();
        assert_eq!(plan.bayesian.prior.sd, 0.5);
        let plan = with_field(&plan, &["sequential", "tuning_n"], Value::from(20000u64)).unwrap();
        assert_eq!(plan.sequential.tuning_n, 20000.0);
        let v = Value::from(segment_list(" country, ,device "));
        let plan = with_field(&plan, &["exposures", "segments"], v).unwrap();
        assert_eq!(plan.exposures.segments, ["country", "device"]);
        let plan = with_field(&plan, &["limits", "max_memory_mb"], Value::from(512u64)).unwrap();
        assert_eq!(plan.limits.max_memory_mb, 512);
        let zero = with_field(&plan, &["limits", "max_memory_mb"], Value::from(0u64));
        assert!(zero.unwrap_err().contains("max_memory_mb"));
    }

    #[test]
    fn parses_field_text() {
        assert_eq!(parse_value("0.1", true).unwrap(), Value::from(0.1));
        assert_eq!(parse_value("5000", true).unwrap(), Value::from(5000u64));
        assert!(parse_value("abc", true)
            .unwrap_err()
            .contains("not a number"));
        assert_eq!(parse_value(" 3d ", false).unwrap(), Value::from("3d"));
    }
}
