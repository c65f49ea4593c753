//! Time spans written as `"7d"`, `"36h"`, `"90m"`, `"1week 2days"` or plain seconds.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative length of time with one-second resolution.
///
/// ```
/// use splitscope_engine::plan::Span;
/// let span: Span = serde_json::from_str("\"36h\"").unwrap();
/// assert_eq!(span.seconds(), 36 * 3600);
/// assert_eq!(serde_json::to_string(&Span::days(7)).unwrap(), "\"7days\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span(i64);

impl Span {
    /// A span of whole days.
    pub const fn days(days: i64) -> Self {
        Self(days * 86_400)
    }

    /// A span of seconds.
    pub const fn from_seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    /// Length in seconds.
    pub const fn seconds(self) -> i64 {
        self.0
    }

    /// Length in milliseconds (the engine's time unit).
    pub const fn millis(self) -> i64 {
        self.0.saturating_mul(1000)
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let std = std::time::Duration::from_secs(self.0.unsigned_abs());
        serializer.serialize_str(&humantime::format_duration(std).to_string())
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Seconds(i64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Seconds(s) if s >= 0 => Ok(Span(s)),
            Raw::Seconds(s) => Err(serde::de::Error::custom(format!(
                "a span must not be negative, got {s}"
            ))),
            Raw::Text(text) => humantime::parse_duration(text.trim())
                .ok()
                .and_then(|d| i64::try_from(d.as_secs()).ok())
                .map(Span)
                .ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "expected a span like \"7d\", \"36h\" or a number of seconds, got {text:?}"
                    ))
                }),
        }
    }
}
