//! The report as a readable text summary (the CLI's `--format text`).

use std::fmt::Write;

use super::Report;

fn num(x: Option<f64>, digits: usize) -> String {
    x.map_or("—".into(), |v| format!("{v:.digits$}"))
}

fn interval(ci: Option<[f64; 2]>, scale: f64, digits: usize) -> String {
    ci.map_or("—".into(), |[l, h]| {
        format!("[{:.digits$}, {:.digits$}]", l * scale, h * scale)
    })
}

/// Renders the variant table, SRM, lifts with intervals, guardrails and the verdict.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = write_text(&mut out, report);
    out
}

fn write_text(out: &mut String, r: &Report) -> std::fmt::Result {
    writeln!(
        out,
        "Splitscope {} — {}",
        r.engine_version,
        if r.plan.name.is_empty() {
            "experiment"
        } else {
            &r.plan.name
        }
    )?;
    writeln!(
        out,
        "VERDICT: {} — {}",
        r.decision.verdict.label().to_uppercase(),
        r.decision.reason
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<20} {:>10} {:>12} {:>10} {:>12}",
        "variant", "users", "conversions", "cr", "rpu"
    )?;
    for v in &r.variants {
        writeln!(
            out,
            "{:<20} {:>10} {:>12} {:>10} {:>12}",
            v.name,
            v.users,
            v.conversions.map_or("—".into(), |c| c.to_string()),
            num(v.conversion_rate, 4),
            num(v.revenue_per_user, 4)
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "SRM: chi2 = {}, p = {} (threshold {}){}",
        num(r.srm.chi2, 4),
        num(r.srm.p_value, 4),
        r.srm.threshold,
        if r.srm.flagged {
            " — FLAGGED: do not read the metrics"
        } else {
            " — ok"
        }
    )?;
    let level = (1.0 - r.plan.alpha) * 100.0;
    for m in &r.metrics {
        writeln!(out)?;
        writeln!(out, "{} ({}, {:?})", m.name, m.kind, m.role)?;
        for c in &m.comparisons {
            let w = c.welch.as_ref();
            writeln!(
                out,
                "  {} vs {}: diff {:.4}, lift {}%, Welch {level:.0}% CI {}, p = {}; relative CI {}%",
                c.variant,
                c.control,
                c.diff,
                num(c.relative_lift.map(|x| x * 100.0), 2),
                interval(w.map(|w| w.ci), 1.0, 4),
                num(w.map(|w| w.p_value), 4),
                interval(w.and_then(|w| w.relative_ci), 100.0, 2),
            )?;
            if let Some(b) = &c.bootstrap {
                writeln!(
                    out,
                    "    bootstrap {level:.0}% CI {} (B = {}, seed {})",
                    interval(Some(b.ci), 1.0, 4),
                    b.resamples,
                    b.seed
                )?;
            }
            if let Some(cu) = &c.cuped {
                writeln!(
                    out,
                    "    CUPED diff {:.4}, CI {}, p = {:.4}, variance reduction {:.1}%",
                    cu.diff,
                    interval(Some(cu.ci), 1.0, 4),
                    cu.p_value,
                    cu.variance_reduction * 100.0
                )?;
            }
            write_read_outs(out, c)?;
        }
    }
    if r.correction.family_size > 1 {
        writeln!(
            out,
            "\nMultiple testing: {:?} over {} primary comparisons (adjusted p-values decide).",
            r.correction.method, r.correction.family_size
        )?;
    }
    for s in &r.segments {
        let users: Vec<String> = s
            .variants
            .iter()
            .map(|v| format!("{} {}", v.name, v.users))
            .collect();
        writeln!(
            out,
            "Segment {} = {}: {}{}",
            s.column,
            s.value,
            users.join(", "),
            if s.srm.flagged {
                " — SRM FLAGGED"
            } else {
                ""
            }
        )?;
        for m in &s.metrics {
            for c in &m.comparisons {
                writeln!(
                    out,
                    "  {} {}: lift {}%, p = {}, adjusted p = {}",
                    m.name,
                    c.variant,
                    num(c.relative_lift.map(|x| x * 100.0), 2),
                    num(c.p_value, 4),
                    num(c.adjusted_p_value, 4)
                )?;
            }
        }
    }
    if !r.guardrails.is_empty() {
        writeln!(out)?;
        writeln!(out, "Guardrails:")?;
        for g in &r.guardrails {
            writeln!(out, "  [{:?}] {}", g.status, g.reason)?;
        }
    }
    let d = &r.diagnostics;
    writeln!(out)?;
    writeln!(
        out,
        "Rows: exposures {} (bad {}, bot {}, repeat {}, conflicting {}), events {} (bad {}, unknown user {}, before exposure {}, in window {}, after window {})",
        d.exposures.rows_read,
        d.exposures.bad_rows,
        d.exposures.bot_rows,
        d.exposures.repeat_exposures,
        d.exposures.conflicting_exposures,
        d.events.rows_read,
        d.events.bad_rows,
        d.events.unknown_user,
        d.events.before_exposure,
        d.events.in_window,
        d.events.after_window
    )?;
    for bad in &d.bad_rows {
        writeln!(out, "  skipped: {bad}")?;
    }
    Ok(())
}

/// The optional sequential, Bayesian and distribution read-outs of one comparison.
fn write_read_outs(out: &mut String, c: &super::Comparison) -> std::fmt::Result {
    if let Some(s) = &c.sequential {
        writeln!(
            out,
            "    always-valid CI {} (tuned for {} users)",
            interval(Some(s.ci), 1.0, 4),
            s.tuning_n
        )?;
    }
    if let Some(b) = &c.bayes {
        writeln!(
            out,
            "    Bayesian lift {:.2}%, credible interval {}%, chance to beat control {:.1}%",
            b.posterior_mean * 100.0,
            interval(Some(b.ci), 100.0, 2),
            b.chance_to_beat_control * 100.0
        )?;
    }
    if let Some(m) = &c.mann_whitney {
        writeln!(
            out,
            "    Mann–Whitney U (distributions, not means): p = {:.4}",
            m.p_value
        )?;
    }
    Ok(())
}
