//! SQL that computes the sufficient-statistics CSV inside a warehouse, from tables of
//! exposures and events named and shaped as the plan maps the CSV files.
//!
//! The query follows the engine stage by stage: exposure rows with a user, a
//! variant and a time; users with any bot-flagged exposure out; each user's first
//! exposure (earliest time — ties, which the engine breaks by file order, broken by
//! variant name, then by the segment values); users seen in several variants kept on
//! the first or excluded, as the plan says; bot-flagged events out; events joined in
//! `[exposure_ts, exposure_ts + window]` (and `[exposure_ts − pre_window,
//! exposure_ts)` for the CUPED covariate); per-user metrics with users without events
//! at 0; sums per metric × variant (× segment value) — for a ratio metric with CUPED,
//! also the sums of its pre-period numerator and denominator and their products.

use std::fmt::Write as _;

pub use super::dialect::Dialect;
use super::PRE_DENOMINATOR_COLUMNS;
use crate::plan::{MetricKind, Plan};

/// SQL computing the sufficient-statistics CSV of `plan` from tables `exposures` and
/// `events`; see [`sql_for_tables`].
pub fn sql(plan: &Plan, dialect: Dialect) -> String {
    sql_for_tables(plan, dialect, "exposures", "events")
}

/// SQL computing the sufficient-statistics CSV of `plan` (see `docs/warehouse.md`)
/// from the given tables (names written as given, so they may be qualified), whose
/// columns are those the plan maps. Timestamp columns must be timestamp-typed (UTC).
/// The result has exactly the CSV's columns, lower case, ordered by segment, metric
/// and variant.
pub fn sql_for_tables(plan: &Plan, d: Dialect, exposures: &str, events: &str) -> String {
    let (x, e) = (&plan.exposures, &plan.events);
    let str_t = d.string_type();
    let seg_cols: Vec<String> = (0..x.segments.len())
        .map(|i| format!("segment_{i}"))
        .collect();
    let base: Vec<(usize, &crate::plan::MetricSpec)> = plan
        .metrics
        .iter()
        .filter(|m| m.event().is_some())
        .enumerate()
        .collect();
    let index_of = |name: &str| base.iter().find(|(_, m)| m.name == name).map(|(i, _)| *i);
    let cuped = plan.cuped.enabled && !base.is_empty();
    let mut q = String::new();
    let _ = writeln!(
        q,
        "-- Splitscope sufficient statistics ({} dialect), see docs/warehouse.md.\n\
         -- Window [exposure_ts, exposure_ts + {} s] inclusive; first exposure per user by time,\n\
         -- ties broken by variant name, then segment values; multi-variant users: {}.",
        d.name(),
        plan.window.seconds(),
        match plan.multi_variant_policy {
            crate::plan::MultiVariantPolicy::First => "kept on their first variant",
            crate::plan::MultiVariantPolicy::Exclude => "excluded",
        }
    );
    // Exposure rows the engine can read.
    let (user, variant, ts) = (
        d.ident(&x.user_id),
        d.ident(&x.variant),
        d.ident(&x.timestamp),
    );
    let _ = writeln!(q, "WITH exposure_rows AS (\n  SELECT");
    let _ = writeln!(q, "    {} AS user_id,", d.cast_string(&user));
    let _ = writeln!(q, "    {} AS variant,", d.cast_string(&variant));
    let _ = writeln!(q, "    {ts} AS exposure_ts,");
    for (col, name) in seg_cols.iter().zip(&x.segments) {
        let _ = writeln!(
            q,
            "    COALESCE({}, '') AS {col},",
            d.cast_string(&d.ident(name))
        );
    }
    let bot = x.bot_flag.as_deref().map_or("FALSE".into(), |b| d.bot(b));
    let _ = writeln!(q, "    {bot} AS is_bot\n  FROM {exposures}");
    let _ = writeln!(
        q,
        "  WHERE {user} IS NOT NULL AND TRIM({}) <> ''\n    AND {variant} IS NOT NULL AND TRIM({}) <> ''\n    AND {ts} IS NOT NULL\n),",
        d.cast_string(&user),
        d.cast_string(&variant)
    );
    let _ = writeln!(
        q,
        "user_facts AS (\n  SELECT user_id, MAX(CASE WHEN is_bot THEN 1 ELSE 0 END) AS bot,\n    COUNT(DISTINCT variant) AS variants\n  FROM exposure_rows\n  GROUP BY user_id\n),"
    );
    let tie: String = seg_cols.iter().map(|c| format!(", {c}")).collect();
    let _ = writeln!(
        q,
        "ranked AS (\n  SELECT user_id, variant, exposure_ts{tie},\n    ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY exposure_ts, variant{tie}) AS exposure_rank\n  FROM exposure_rows\n),"
    );
    let exclude = match plan.multi_variant_policy {
        crate::plan::MultiVariantPolicy::First => "",
        crate::plan::MultiVariantPolicy::Exclude => " AND f.variants = 1",
    };
    let r_tie: String = seg_cols.iter().map(|c| format!(", r.{c}")).collect();
    let _ = writeln!(
        q,
        "users AS (\n  SELECT r.user_id, r.variant, r.exposure_ts{r_tie}\n  FROM ranked r JOIN user_facts f ON f.user_id = r.user_id\n  WHERE r.exposure_rank = 1 AND f.bot = 0{exclude}\n),"
    );
    // Event rows of the plan's events.
    let (e_user, e_name, e_ts) = (
        d.ident(&e.user_id),
        d.ident(&e.event),
        d.ident(&e.timestamp),
    );
    let mut names: Vec<String> = base
        .iter()
        .filter_map(|(_, m)| m.event())
        .map(|n| d.string(n))
        .collect();
    names.sort();
    names.dedup();
    let _ = writeln!(
        q,
        "event_rows AS (\n  SELECT {} AS user_id, {} AS event,\n    COALESCE(CAST({} AS {}), 0) AS amount, {e_ts} AS event_ts\n  FROM {events}",
        d.cast_string(&e_user),
        d.cast_string(&e_name),
        d.ident(&e.amount),
        d.float_type()
    );
    let _ = write!(
        q,
        "  WHERE {e_user} IS NOT NULL AND {e_ts} IS NOT NULL\n    AND {} IN ({})",
        d.cast_string(&e_name),
        if names.is_empty() {
            "NULL".into()
        } else {
            names.join(", ")
        }
    );
    if let Some(b) = e.bot_flag.as_deref() {
        let _ = write!(q, "\n    AND NOT {}", d.bot(b));
    }
    let _ = writeln!(q, "\n),");
    // Per-user metrics; users without events keep 0.
    let lower = if cuped {
        d.add_seconds("u.exposure_ts", -plan.cuped.pre_window.seconds())
    } else {
        "u.exposure_ts".into()
    };
    let upper = d.add_seconds("u.exposure_ts", plan.window.seconds());
    let u_seg: String = seg_cols.iter().map(|c| format!(", u.{c}")).collect();
    let _ = writeln!(q, "per_user AS (\n  SELECT u.user_id, u.variant{u_seg},");
    let mut cols = Vec::new();
    for (i, m) in &base {
        let event = d.string(m.event().unwrap_or_default());
        let value = |period: &str| match m.kind {
            MetricKind::Conversion { .. } => {
                format!("MAX(CASE WHEN e.event = {event} AND {period} THEN 1 ELSE 0 END)")
            }
            MetricKind::Sum { .. } => {
                format!("SUM(CASE WHEN e.event = {event} AND {period} THEN e.amount ELSE 0 END)")
            }
            _ => format!("SUM(CASE WHEN e.event = {event} AND {period} THEN 1 ELSE 0 END)"),
        };
        let f = d.float_type();
        cols.push(format!(
            "    CAST(COALESCE({}, 0) AS {f}) AS y_{i}",
            value("e.event_ts >= u.exposure_ts")
        ));
        if cuped {
            cols.push(format!(
                "    CAST(COALESCE({}, 0) AS {f}) AS x_{i}",
                value("e.event_ts < u.exposure_ts")
            ));
        }
    }
    let _ = writeln!(q, "{}", cols.join(",\n"));
    let _ = writeln!(
        q,
        "  FROM users u LEFT JOIN event_rows e\n    ON e.user_id = u.user_id AND e.event_ts >= {lower} AND e.event_ts <= {upper}\n  GROUP BY u.user_id, u.variant{u_seg}\n),"
    );
    // Sums per variant (× segment value).
    let ratios: Vec<(usize, usize)> = plan
        .metrics
        .iter()
        .filter_map(|m| match &m.kind {
            MetricKind::Ratio {
                numerator,
                denominator,
            } => Some((index_of(numerator)?, index_of(denominator)?)),
            _ => None,
        })
        .collect();
    let mut sums = vec!["COUNT(*) AS n".to_string()];
    for (i, _) in &base {
        sums.push(format!("SUM(y_{i}) AS s_{i}, SUM(y_{i} * y_{i}) AS q_{i}"));
        if cuped {
            sums.push(format!(
                "SUM(x_{i}) AS cs_{i}, SUM(x_{i} * x_{i}) AS cq_{i}, SUM(y_{i} * x_{i}) AS cp_{i}"
            ));
        }
    }
    for (n, dn) in &ratios {
        sums.push(format!("SUM(y_{n} * y_{dn}) AS p_{n}_{dn}"));
        if cuped {
            // With cs/cq/cp of both parts: every product CUPED for the ratio needs.
            sums.push(format!(
                "SUM(y_{n} * x_{dn}) AS ye_{n}_{dn}, SUM(y_{dn} * x_{n}) AS dx_{n}_{dn}, SUM(x_{n} * x_{dn}) AS xe_{n}_{dn}"
            ));
        }
    }
    let sums = sums.join(",\n    ");
    let mut levels = vec![format!(
        "  SELECT variant, CAST('' AS {str_t}) AS segment_column, CAST('' AS {str_t}) AS segment_value,\n    {sums}\n  FROM per_user\n  GROUP BY variant"
    )];
    for (col, name) in seg_cols.iter().zip(&x.segments) {
        levels.push(format!(
            "  SELECT variant, CAST({} AS {str_t}) AS segment_column, {col} AS segment_value,\n    {sums}\n  FROM per_user\n  GROUP BY variant, {col}",
            d.string(name)
        ));
    }
    let _ = writeln!(q, "cells AS (\n{}\n)", levels.join("\n  UNION ALL\n"));
    // One row per metric.
    let segments = !x.segments.is_empty();
    let den = !ratios.is_empty();
    let null = format!("CAST(NULL AS {})", d.float_type());
    let a = |name: &str| d.alias(name);
    let mut selects = Vec::new();
    for m in &plan.metrics {
        let mut cells = vec![
            format!("{} AS {}", d.string(&m.name), a("metric")),
            format!("variant AS {}", a("variant")),
        ];
        if segments {
            cells.push(format!("segment_column AS {}", a("segment_column")));
            cells.push(format!("segment_value AS {}", a("segment_value")));
        }
        cells.push(format!("n AS {}", a("n")));
        let (y, cov, ratio) = match &m.kind {
            MetricKind::Ratio {
                numerator,
                denominator,
            } => match (index_of(numerator), index_of(denominator)) {
                (Some(n), Some(dn)) => (n, cuped.then_some(n), Some((dn, format!("p_{n}_{dn}")))),
                _ => continue,
            },
            _ => match index_of(&m.name) {
                Some(i) => (i, cuped.then_some(i), None),
                None => continue,
            },
        };
        cells.push(format!("s_{y} AS {}, q_{y} AS {}", a("sum"), a("sum_sq")));
        if cuped {
            cells.push(match cov {
                Some(i) => format!(
                    "cs_{i} AS {}, cq_{i} AS {}, cp_{i} AS {}",
                    a("cov_sum"),
                    a("cov_sum_sq"),
                    a("sum_cov_product")
                ),
                None => format!(
                    "{null} AS {}, {null} AS {}, {null} AS {}",
                    a("cov_sum"),
                    a("cov_sum_sq"),
                    a("sum_cov_product")
                ),
            });
        }
        if den {
            cells.push(match &ratio {
                Some((dn, p)) => format!(
                    "s_{dn} AS {}, q_{dn} AS {}, {p} AS {}",
                    a("den_sum"),
                    a("den_sum_sq"),
                    a("sum_den_product")
                ),
                None => format!(
                    "{null} AS {}, {null} AS {}, {null} AS {}",
                    a("den_sum"),
                    a("den_sum_sq"),
                    a("sum_den_product")
                ),
            });
        }
        if den && cuped {
            let names = PRE_DENOMINATOR_COLUMNS.map(a);
            let values = match &ratio {
                Some((dn, _)) => [
                    format!("cs_{dn}"),
                    format!("cq_{dn}"),
                    format!("ye_{y}_{dn}"),
                    format!("dx_{y}_{dn}"),
                    format!("cp_{dn}"),
                    format!("xe_{y}_{dn}"),
                ],
                None => std::array::from_fn(|_| null.clone()),
            };
            let group: Vec<String> = values
                .iter()
                .zip(&names)
                .map(|(v, n)| format!("{v} AS {n}"))
                .collect();
            cells.push(group.join(", "));
        }
        selects.push(format!("SELECT {}\nFROM cells", cells.join(", ")));
    }
    let order = if segments { "3, 4, 1, 2" } else { "1, 2" };
    let _ = writeln!(q, "{}\nORDER BY {order}", selects.join("\nUNION ALL\n"));
    q
}
