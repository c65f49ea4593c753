//! The plan (never data) in the URL fragment, so a link reproduces the setup.
//!
//! Format: `#plan=<percent-encoded compact JSON>`; only the plan's non-default fields are
//! written, so links stay short.

use crate::state::AppState;
use leptos::prelude::*;
use splitscope_engine::plan::Plan;

/// Fragment key of the plan.
pub const KEY: &str = "plan=";

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out += &format!("%{b:02X}");
        }
    }
    out
}

/// Reverses [`encode`] (and any other percent-encoding); `None` on malformed input.
pub fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The plan's fields that differ from the default, as compact JSON.
pub fn minimal_json(plan: &Plan) -> String {
    let full = serde_json::to_value(plan).unwrap_or_default();
    let default = serde_json::to_value(Plan::default()).unwrap_or_default();
    let mut out = serde_json::Map::new();
    if let (Some(f), Some(d)) = (full.as_object(), default.as_object()) {
        for (k, v) in f {
            if d.get(k) != Some(v) {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::Value::Object(out).to_string()
}

/// The fragment for a plan: empty for the default plan.
pub fn fragment(plan: &Plan) -> String {
    let json = minimal_json(plan);
    if json == "{}" {
        String::new()
    } else {
        format!("#{KEY}{}", encode(&json))
    }
}

/// Parses a fragment (with or without `#`); no plan key gives the default plan.
pub fn parse_fragment(hash: &str) -> Result<Plan, String> {
    let hash = hash.trim_start_matches('#');
    let Some(encoded) = hash.split('&').find_map(|p| p.strip_prefix(KEY)) else {
        return Ok(Plan::default());
    };
    let json = decode(encoded).ok_or("the plan in the link is not valid percent-encoding")?;
    Plan::from_json(&json).map_err(|e| format!("the plan in the link was ignored: {e}"))
}

/// The plan from the page's URL, with an error message when it could not be used.
pub fn plan_from_location() -> (Plan, Option<String>) {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    match parse_fragment(&hash) {
        Ok(plan) => (plan, None),
        Err(e) => (Plan::default(), Some(e)),
    }
}

/// Keeps the URL's fragment in step with the plan (replaceState: no history spam).
pub fn sync_plan_to_url(state: AppState) {
    Effect::new(move |_| {
        let frag = state.plan.with(fragment);
        let Some(window) = web_sys::window() else {
            return;
        };
        let location = window.location();
        let base = location.pathname().unwrap_or_default() + &location.search().unwrap_or_default();
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&(base + &frag)),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_plan_has_no_fragment() {
        assert_eq!(fragment(&Plan::default()), "");
        assert_eq!(parse_fragment("").unwrap(), Plan::default());
    }

    #[test]
    fn round_trips_a_changed_plan() {
        let mut plan = Plan {
            alpha: 0.1,
            control: "A & B/ü".into(),
            ..Plan::default()
        };
        plan.bootstrap.seed = 42;
        let frag = fragment(&plan);
        assert!(frag.starts_with("#plan=%7B"));
        assert!(!frag[1..].contains(['&', '#', ' ', '"']));
        assert_eq!(parse_fragment(&frag).unwrap(), plan);
    }

    #[test]
    fn bad_links_say_why() {
        assert!(parse_fragment("#plan=%ZZ").unwrap_err().contains("percent"));
        assert!(parse_fragment("#plan=%7B%22alpah%22%3A1%7D")
            .unwrap_err()
            .contains("ignored"));
    }
}
