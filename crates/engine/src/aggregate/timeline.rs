//! The cumulative counts per day behind the timeline charts.

use chrono::DateTime;

use crate::clean::{Assignments, UserState};
use crate::generate::civil_date;
use crate::join::Joined;
use crate::report::{Timeline, TimelineSeries};

const DAY_MS: i64 = 86_400_000;
/// Longest timeline drawn; longer spans keep their last days.
const MAX_TIMELINE_DAYS: usize = 3660;

/// Cumulative users, conversions and revenue per arm at the end of each UTC day.
pub fn timeline(assignments: &Assignments, joined: &Joined) -> Timeline {
    let arms = assignments.arms.len();
    let mut exposures: Vec<(i64, usize, i64)> = Vec::new();
    for (user, state) in assignments.state.iter().enumerate() {
        if let UserState::Analysed { arm, exposed_at } = state {
            let converted = joined
                .first_conversion
                .get(user)
                .copied()
                .unwrap_or(i64::MAX);
            exposures.push((exposed_at.div_euclid(DAY_MS), usize::from(*arm), converted));
        }
    }
    let Some(first_day) = exposures.iter().map(|e| e.0).min() else {
        return Timeline::default();
    };
    let last_exposure = exposures.iter().map(|e| e.0).max().unwrap_or(first_day);
    let last_event = joined
        .revenue_by_day
        .keys()
        .next_back()
        .copied()
        .unwrap_or(first_day);
    let last_conversion = exposures
        .iter()
        .filter(|e| e.2 != i64::MAX)
        .map(|e| e.2.div_euclid(DAY_MS))
        .max()
        .unwrap_or(first_day);
    let last_day = last_exposure.max(last_event).max(last_conversion);
    let first_day = first_day.max(last_day - MAX_TIMELINE_DAYS as i64 + 1);
    let days = (last_day - first_day + 1) as usize;
    let clamp = |day: i64| (day.max(first_day) - first_day) as usize;
    let mut users = vec![vec![0u64; days]; arms];
    let mut conversions = vec![vec![0u64; days]; arms];
    let mut revenue = vec![vec![0.0f64; days]; arms];
    for &(day, arm, converted) in &exposures {
        bump(&mut users, arm, clamp(day), 1);
        if converted != i64::MAX {
            bump(
                &mut conversions,
                arm,
                clamp(converted.div_euclid(DAY_MS)),
                1,
            );
        }
    }
    for (day, totals) in &joined.revenue_by_day {
        for (arm, total) in totals.iter().enumerate() {
            if let Some(cell) = revenue.get_mut(arm).and_then(|r| r.get_mut(clamp(*day))) {
                *cell += total;
            }
        }
    }
    let series = assignments
        .arms
        .iter()
        .enumerate()
        .map(|(arm, name)| TimelineSeries {
            variant: name.clone(),
            users: cumulative(users.get(arm)),
            conversions: cumulative(conversions.get(arm)),
            revenue: cumulative_f64(revenue.get(arm)),
        })
        .collect();
    let days = (0..days as i64)
        .map(|d| format_day(first_day + d))
        .collect();
    Timeline { days, series }
}

fn bump(table: &mut [Vec<u64>], arm: usize, day: usize, by: u64) {
    if let Some(cell) = table.get_mut(arm).and_then(|row| row.get_mut(day)) {
        *cell += by;
    }
}

fn cumulative(daily: Option<&Vec<u64>>) -> Vec<u64> {
    daily
        .map(|d| {
            d.iter()
                .scan(0, |acc, x| {
                    *acc += x;
                    Some(*acc)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn cumulative_f64(daily: Option<&Vec<f64>>) -> Vec<f64> {
    daily
        .map(|d| {
            d.iter()
                .scan(0.0, |acc, x| {
                    *acc += x;
                    Some(*acc)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `YYYY-MM-DD` of a UTC day (days since 1970), as chrono's `%Y-%m-%d` writes it.
pub(crate) fn format_day(day: i64) -> String {
    // Years 0000..=9999 are written by the generator's digit writer (the date axes label
    // up to 3,660 days per series, too many to go through strftime); chrono writes the others.
    if (YEAR_0_DAY..=YEAR_9999_END_DAY).contains(&day) {
        return civil_date(day).iter().map(|&b| char::from(b)).collect();
    }
    DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| format!("day {day}"))
}

/// Day numbers (since 1970-01-01) of 0000-01-01 and 9999-12-31.
const YEAR_0_DAY: i64 = -719_528;
const YEAR_9999_END_DAY: i64 = 2_932_896;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_day_writes_what_chrono_writes() {
        let chrono_day = |day: i64| {
            DateTime::from_timestamp(day * 86_400, 0)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| format!("day {day}"))
        };
        // Around 1970, year 0 (-719,528), year 9999/10000 (2,932,896) and the ends
        // of chrono's range.
        let around = [0, -719_528, 2_932_896, 19_000, -100_000_000, 100_000_000];
        for centre in around {
            for day in centre - 800..centre + 800 {
                assert_eq!(format_day(day), chrono_day(day), "day {day}");
            }
        }
        for day in [
            i64::MIN / 86_400,
            i64::MAX / 86_400,
            -96_465_658,
            95_026_601,
        ] {
            assert_eq!(format_day(day), chrono_day(day), "day {day}");
        }
    }
}
