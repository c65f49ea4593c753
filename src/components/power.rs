//! Power: sample size and duration for a minimum detectable effect, and the inverse
//! (the effect a given number of users can detect), for proportions and means. Pure
//! computation on the main thread with the engine's power functions.

use crate::state::{AppState, SharedReport};
use leptos::prelude::*;
use splitscope_engine::infer::power::{
    duration_days, mde_means, mde_proportions, sample_size_means, sample_size_proportions,
};

/// What the metric is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A conversion rate: baseline proportion.
    Proportions,
    /// A mean: baseline mean (for relative MDEs) and per-user sd.
    Means,
}

/// The form's values, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct PowerInputs {
    /// Proportions or means.
    pub kind: Kind,
    /// Baseline rate (proportions) or mean (means).
    pub baseline: String,
    /// Per-user standard deviation (means).
    pub sd: String,
    /// Minimum detectable effect.
    pub mde: String,
    /// Whether `mde` is relative (0.05 = +5 %) or absolute.
    pub relative: bool,
    /// Significance level.
    pub alpha: String,
    /// Power.
    pub power: String,
    /// Share of users in the treatment arm.
    pub share: String,
    /// Users enrolled per day.
    pub daily_users: String,
    /// Users available, for the inverse (MDE) problem.
    pub users: String,
}

impl Default for PowerInputs {
    fn default() -> Self {
        Self {
            kind: Kind::Proportions,
            baseline: "0.10".into(),
            sd: "1".into(),
            mde: "0.05".into(),
            relative: true,
            alpha: "0.05".into(),
            power: "0.8".into(),
            share: "0.5".into(),
            daily_users: "1000".into(),
            users: "10000".into(),
        }
    }
}

/// The sample size answer.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleAnswer {
    /// Users in the control arm.
    pub control: u64,
    /// Users in the treatment arm.
    pub treatment: u64,
    /// Both arms.
    pub total: u64,
    /// Days to enrol them (`None` without a daily rate).
    pub days: Option<u64>,
}

/// The inverse answer: smallest detectable effect with the given users.
#[derive(Clone, Debug, PartialEq)]
pub struct MdeAnswer {
    /// Relative (when a baseline is known).
    pub relative: Option<f64>,
    /// Absolute.
    pub absolute: f64,
}

fn num(name: &str, raw: &str) -> Result<f64, String> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{name}: {raw:?} is not a number"))
}

const INVALID: &str = "no answer for these inputs (check that the baseline is in (0, 1) for a \
    proportion, sd > 0, the MDE is not zero, 0 < alpha < power < 1 and 0 < share < 1)";

/// Users per arm, total and days for the inputs' MDE.
pub fn sample_size(i: &PowerInputs) -> Result<SampleAnswer, String> {
    let alpha = num("alpha", &i.alpha)?;
    let power = num("power", &i.power)?;
    let share = num("treatment share", &i.share)?;
    let baseline = num("baseline", &i.baseline)?;
    let mde = num("MDE", &i.mde)?;
    let n = match i.kind {
        Kind::Proportions => {
            let relative = if i.relative { mde } else { mde / baseline };
            sample_size_proportions(baseline, relative, alpha, power, share)
        }
        Kind::Means => {
            let sd = num("sd", &i.sd)?;
            let absolute = if i.relative { mde * baseline } else { mde };
            sample_size_means(sd, absolute, alpha, power, share)
        }
    }
    .ok_or_else(|| INVALID.to_string())?;
    let days = if i.daily_users.trim().is_empty() {
        None
    } else {
        duration_days(n.total, num("daily users", &i.daily_users)?)
    };
    Ok(SampleAnswer {
        control: n.control,
        treatment: n.treatment,
        total: n.total,
        days,
    })
}

/// The smallest effect `users` (both arms) can detect.
pub fn mde(i: &PowerInputs) -> Result<MdeAnswer, String> {
    let alpha = num("alpha", &i.alpha)?;
    let power = num("power", &i.power)?;
    let share = num("treatment share", &i.share)?;
    let baseline = num("baseline", &i.baseline)?;
    let users = num("users", &i.users)?;
    if !(1.0..9.0e15).contains(&users) {
        return Err("users: a positive number of users".into());
    }
    let users = users.round() as u64;
    match i.kind {
        Kind::Proportions => {
            let r = mde_proportions(baseline, users, alpha, power, share)
                .ok_or_else(|| INVALID.to_string())?;
            Ok(MdeAnswer {
                relative: Some(r),
                absolute: r * baseline,
            })
        }
        Kind::Means => {
            let sd = num("sd", &i.sd)?;
            let a = mde_means(sd, users, alpha, power, share).ok_or_else(|| INVALID.to_string())?;
            Ok(MdeAnswer {
                relative: (baseline != 0.0).then(|| a / baseline.abs()),
                absolute: a,
            })
        }
    }
}

/// The control arm of `report` as power inputs: its conversion rate (proportions), or
/// the mean and sd of the first metric with a variance that is not a conversion (means).
pub fn from_control(
    report: &splitscope_engine::report::Report,
    kind: Kind,
    into: &mut PowerInputs,
) -> Result<(), String> {
    let control = report
        .variants
        .iter()
        .find(|v| v.name == report.plan.control)
        .or_else(|| report.variants.first())
        .ok_or("the report has no control arm")?;
    match kind {
        Kind::Proportions => {
            let rate = control
                .conversion_rate
                .ok_or("the report has no conversion rate")?;
            into.baseline = fmt_effect(rate);
        }
        Kind::Means => {
            let m = control
                .metrics
                .iter()
                .filter(|m| m.variance.is_some())
                .find(|m| m.name != "conversion")
                .or_else(|| control.metrics.iter().find(|m| m.variance.is_some()))
                .ok_or("the report has no metric with a variance")?;
            into.baseline = fmt_effect(m.mean);
            into.sd = fmt_effect(m.variance.unwrap_or(0.0).sqrt());
        }
    }
    Ok(())
}

fn fmt_effect(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The power section.
#[component]
pub fn Power() -> impl IntoView {
    let state = expect_context::<AppState>();
    let inputs = RwSignal::new(PowerInputs::default());
    let (note, set_note) = signal(None::<String>);
    let text_input = move |label: &'static str,
                           id: &'static str,
                           get: fn(&PowerInputs) -> String,
                           set: fn(&mut PowerInputs, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input type="text" data-testid=id prop:value=move || inputs.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); inputs.update(|i| set(i, v)); } />
            </label>
        }
    };
    let answer = move || inputs.with(sample_size);
    let inverse = move || inputs.with(mde);
    let use_control = move |_| {
        let report: Option<SharedReport> = state.report.get_untracked();
        match report {
            None => set_note.set(Some("Analyse a file first.".into())),
            Some(r) => {
                let mut i = inputs.get_untracked();
                match from_control(&r.0, i.kind, &mut i) {
                    Ok(()) => {
                        set_note.set(Some(format!(
                            "Baseline from the control arm ({}).",
                            r.0.plan.control
                        )));
                        inputs.set(i);
                    }
                    Err(e) => set_note.set(Some(e)),
                }
            }
        }
    };
    let is_means = move || inputs.with(|i| i.kind == Kind::Means);
    view! {
        <section class="power panel" data-testid="power" id="power">
            <h2>"Power and sample size"</h2>
            <p class="hint">"Two-sided test, normal approximation (Cohen’s h for proportions), as statsmodels’ NormalIndPower."</p>
            <div class="fields">
                <label class="field">
                    <span>"Metric"</span>
                    <select data-testid="power-kind" on:change=move |ev| {
                        let kind = if event_target_value(&ev) == "means" { Kind::Means } else { Kind::Proportions };
                        inputs.update(|i| i.kind = kind);
                    }>
                        <option value="proportions" prop:selected=move || !is_means()>"Proportion (conversion rate)"</option>
                        <option value="means" prop:selected=is_means>"Mean (e.g. revenue per user)"</option>
                    </select>
                </label>
                {move || if is_means() {
                    view! {
                        {text_input("Baseline mean (for a relative MDE)", "power-baseline", |i| i.baseline.clone(), |i, v| i.baseline = v)}
                        {text_input("Standard deviation per user", "power-sd", |i| i.sd.clone(), |i, v| i.sd = v)}
                    }.into_any()
                } else {
                    text_input("Baseline rate (0–1)", "power-baseline", |i| i.baseline.clone(), |i, v| i.baseline = v).into_any()
                }}
                {text_input("Minimum detectable effect", "power-mde", |i| i.mde.clone(), |i, v| i.mde = v)}
                <label class="field">
                    <span>"MDE is"</span>
                    <select data-testid="power-mde-kind" on:change=move |ev| {
                        let relative = event_target_value(&ev) == "relative";
                        inputs.update(|i| i.relative = relative);
                    }>
                        <option value="relative" prop:selected=move || inputs.with(|i| i.relative)>"relative (0.05 = +5%)"</option>
                        <option value="absolute" prop:selected=move || inputs.with(|i| !i.relative)>"absolute"</option>
                    </select>
                </label>
                {text_input("Alpha", "power-alpha", |i| i.alpha.clone(), |i, v| i.alpha = v)}
                {text_input("Power", "power-power", |i| i.power.clone(), |i, v| i.power = v)}
                {text_input("Treatment share", "power-share", |i| i.share.clone(), |i, v| i.share = v)}
                {text_input("Users per day", "power-daily", |i| i.daily_users.clone(), |i, v| i.daily_users = v)}
            </div>
            <div class="buttons">
                <button class="secondary" data-testid="power-from-report" on:click=use_control>
                    "Use the control arm of the current report"
                </button>
                <span class="hint">{move || note.get()}</span>
            </div>
            {move || match answer() {
                Ok(a) => view! {
                    <table class="power-answer">
                        <tbody>
                            <tr><th>"Users in control"</th><td data-testid="power-control">{a.control}</td></tr>
                            <tr><th>"Users in treatment"</th><td data-testid="power-treatment">{a.treatment}</td></tr>
                            <tr><th>"Users in total"</th><td data-testid="power-total">{a.total}</td></tr>
                            <tr><th>"Days"</th><td data-testid="power-days">{a.days.map_or("—".to_string(), |d| d.to_string())}</td></tr>
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => view! { <p class="error" data-testid="power-error">{e}</p> }.into_any(),
            }}
            <h3>"Inverse: the effect a number of users can detect"</h3>
            <div class="fields">
                {text_input("Users in total", "power-users", |i| i.users.clone(), |i, v| i.users = v)}
            </div>
            {move || match inverse() {
                Ok(m) => view! {
                    <p data-testid="power-mde-answer">
                        "Minimum detectable effect: "
                        {m.relative.map(|r| format!("{:+.2}% relative, ", r * 100.0)).unwrap_or_default()}
                        {format!("{} absolute", fmt_effect(m.absolute))}
                    </p>
                }.into_any(),
                Err(e) => view! { <p class="error">{e}</p> }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportions_match_statsmodels() {
        // h = proportion_effectsize(0.11, 0.10); NormalIndPower().solve_power(h, alpha=0.05,
        // power=0.8, ratio=1) -> 14744.10483692551 per arm (crates/cli/tests/power.rs).
        let i = PowerInputs {
            baseline: "0.10".into(),
            mde: "0.10".into(),
            daily_users: "2000".into(),
            ..PowerInputs::default()
        };
        let a = sample_size(&i).unwrap();
        assert_eq!(
            (a.control, a.treatment, a.total, a.days),
            (14_745, 14_745, 29_490, Some(15))
        );
        // Absolute MDE of one point is the same question.
        let abs = PowerInputs {
            mde: "0.01".into(),
            relative: false,
            ..i.clone()
        };
        assert_eq!(sample_size(&abs).unwrap().total, 29_490);
        let inv = mde(&PowerInputs {
            users: "29490".into(),
            ..i
        })
        .unwrap();
        assert!(inv.relative.unwrap() <= 0.10 && inv.relative.unwrap() > 0.099);
    }

    #[test]
    fn means_match_statsmodels() {
        // NormalIndPower().solve_power(effect_size=0.1, alpha=0.05, power=0.8) -> 1569.77 per arm
        let i = PowerInputs {
            kind: Kind::Means,
            baseline: "50".into(),
            sd: "10".into(),
            mde: "1".into(),
            relative: false,
            daily_users: "500".into(),
            ..PowerInputs::default()
        };
        let a = sample_size(&i).unwrap();
        assert_eq!((a.total, a.days), (3140, Some(7)));
        let rel = PowerInputs {
            mde: "0.02".into(),
            relative: true,
            ..i
        };
        assert_eq!(sample_size(&rel).unwrap().total, 3140);
    }

    #[test]
    fn bad_inputs_say_so() {
        let i = PowerInputs {
            baseline: "abc".into(),
            ..PowerInputs::default()
        };
        assert!(sample_size(&i).unwrap_err().contains("not a number"));
        let i = PowerInputs {
            baseline: "1.5".into(),
            ..PowerInputs::default()
        };
        assert!(sample_size(&i).is_err());
    }
}
