//! Metric definitions: what to compute per user, and how to read the result.

use serde::{Deserialize, Serialize};

/// One metric of the plan, written flat in JSON:
/// `{"name": "revenue", "kind": "sum", "event": "purchase", "role": "secondary"}`.
///
/// ```
/// use splitscope_engine::plan::{MetricSpec, MetricKind, Role, Direction};
/// let m: MetricSpec = serde_json::from_str(
///     r#"{"name":"errors","kind":"count","event":"error","role":"guardrail",
///         "bad_direction":"increase","margin":0.02}"#).unwrap();
/// assert_eq!(m.kind, MetricKind::Count { event: "error".into() });
/// assert_eq!(m.role, Role::Guardrail);
/// assert_eq!(m.good_direction, Direction::Decrease);
/// assert_eq!(m.margin, Some(0.02));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawMetric", into = "RawMetric")]
pub struct MetricSpec {
    /// Name shown in the report.
    pub name: String,
    /// How the per-user value is computed.
    pub kind: MetricKind,
    /// How the metric is used in the decision.
    pub role: Role,
    /// Which direction of change is good.
    pub good_direction: Direction,
    /// For guardrails: the relative change in the bad direction that is tolerated.
    pub margin: Option<f64>,
    /// Winsorize per-user values at these quantiles (cut points from both arms pooled).
    pub capping: Option<Capping>,
}

/// Winsorizing quantiles, each in (0, 1): `{"upper": 0.99}` caps the top 1%.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capping {
    /// Lower quantile; values below its cut point are raised to it.
    #[serde(default)]
    pub lower: Option<f64>,
    /// Upper quantile; values above its cut point are lowered to it.
    #[serde(default)]
    pub upper: Option<f64>,
}

impl Capping {
    /// Checks that the quantiles are in (0, 1) and ordered.
    pub fn check(&self) -> Result<(), String> {
        let ok = |q: Option<f64>| q.is_none_or(|q| q > 0.0 && q < 1.0);
        if !ok(self.lower) || !ok(self.upper) {
            return Err("capping quantiles must be between 0 and 1".into());
        }
        if let (Some(l), Some(u)) = (self.lower, self.upper) {
            if l >= u {
                return Err("capping.lower must be below capping.upper".into());
            }
        }
        Ok(())
    }
}

impl MetricSpec {
    /// The seed's metrics: `conversion` (any `purchase` in the window, primary) and
    /// `revenue` (sum of `amount` over `purchase`, secondary).
    pub fn course_defaults() -> Vec<Self> {
        vec![
            Self::new(
                "conversion",
                MetricKind::Conversion {
                    event: "purchase".into(),
                },
                Role::Primary,
            ),
            Self::new(
                "revenue",
                MetricKind::Sum {
                    event: "purchase".into(),
                },
                Role::Secondary,
            ),
        ]
    }

    /// A metric whose good direction is an increase.
    pub fn new(name: &str, kind: MetricKind, role: Role) -> Self {
        Self {
            name: name.into(),
            kind,
            role,
            good_direction: Direction::Increase,
            margin: None,
            capping: None,
        }
    }

    /// The event this metric reads, when it reads one directly.
    pub fn event(&self) -> Option<&str> {
        match &self.kind {
            MetricKind::Conversion { event }
            | MetricKind::Sum { event }
            | MetricKind::Count { event } => Some(event),
            MetricKind::Ratio { .. } => None,
        }
    }
}

/// How a per-user value is computed from the user's events in the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// 1 when the user has at least one such event, else 0.
    Conversion {
        /// Event name.
        event: String,
    },
    /// Sum of `amount` over such events.
    Sum {
        /// Event name.
        event: String,
    },
    /// Number of such events.
    Count {
        /// Event name.
        event: String,
    },
    /// Sum of one metric over the sum of another, per arm (delta method).
    Ratio {
        /// Name of the numerator metric.
        numerator: String,
        /// Name of the denominator metric.
        denominator: String,
    },
}

/// How a metric is used in the decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Decides ship / don't ship.
    Primary,
    /// Reported, does not decide.
    #[default]
    Secondary,
    /// Blocks a launch when harmed.
    Guardrail,
}

/// A direction of change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher values.
    #[default]
    Increase,
    /// Lower values.
    Decrease,
}

impl Direction {
    /// The other direction.
    pub fn opposite(self) -> Self {
        match self {
            Self::Increase => Self::Decrease,
            Self::Decrease => Self::Increase,
        }
    }

    /// +1 for increase, −1 for decrease.
    pub fn sign(self) -> f64 {
        match self {
            Self::Increase => 1.0,
            Self::Decrease => -1.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindName {
    Conversion,
    Sum,
    Count,
    Ratio,
}

/// The flat JSON form of a metric.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetric {
    name: String,
    kind: KindName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    numerator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    denominator: Option<String>,
    #[serde(default)]
    role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bad_direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    margin: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    capping: Option<Capping>,
}

impl TryFrom<RawMetric> for MetricSpec {
    type Error = String;

    fn try_from(raw: RawMetric) -> Result<Self, String> {
        let name = raw.name;
        if name.trim().is_empty() {
            return Err("a metric needs a non-empty name".into());
        }
        let need = |field: Option<String>, what: &str| {
            field.ok_or_else(|| format!("metric {name:?} of kind {:?} needs {what:?}", raw.kind))
        };
        let kind = match raw.kind {
            KindName::Conversion => MetricKind::Conversion {
                event: need(raw.event, "event")?,
            },
            KindName::Sum => MetricKind::Sum {
                event: need(raw.event, "event")?,
            },
            KindName::Count => MetricKind::Count {
                event: need(raw.event, "event")?,
            },
            KindName::Ratio => MetricKind::Ratio {
                numerator: need(raw.numerator, "numerator")?,
                denominator: need(raw.denominator, "denominator")?,
            },
        };
        let good_direction = match (raw.direction, raw.bad_direction) {
            (Some(good), Some(bad)) if good == bad => {
                return Err(format!(
                    "metric {name:?}: direction and bad_direction contradict each other"
                ))
            }
            (Some(good), _) => good,
            (None, Some(bad)) => bad.opposite(),
            (None, None) => Direction::Increase,
        };
        if let Some(margin) = raw.margin {
            if !(margin >= 0.0 && margin.is_finite()) {
                return Err(format!(
                    "metric {name:?}: margin must be a non-negative number"
                ));
            }
        }
        Ok(Self {
            name,
            kind,
            role: raw.role,
            good_direction,
            margin: raw.margin,
            capping: raw.capping,
        })
    }
}

impl From<MetricSpec> for RawMetric {
    fn from(m: MetricSpec) -> Self {
        let (kind, event, numerator, denominator) = match m.kind {
            MetricKind::Conversion { event } => (KindName::Conversion, Some(event), None, None),
            MetricKind::Sum { event } => (KindName::Sum, Some(event), None, None),
            MetricKind::Count { event } => (KindName::Count, Some(event), None, None),
            MetricKind::Ratio {
                numerator,
                denominator,
            } => (KindName::Ratio, None, Some(numerator), Some(denominator)),
        };
        let guardrail = m.role == Role::Guardrail;
        Self {
            name: m.name,
            kind,
            event,
            numerator,
            denominator,
            role: m.role,
            direction: (!guardrail).then_some(m.good_direction),
            bad_direction: guardrail.then_some(m.good_direction.opposite()),
            margin: m.margin,
            capping: m.capping,
        }
    }
}
