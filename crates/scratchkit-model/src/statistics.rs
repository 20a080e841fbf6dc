//! Site statistics (`scratch.mit.edu/statistics/data/…`): [`StatisticsDaily`],
//! [`StatisticsMonthlyGa`] and [`StatisticsMonthly`].
//!
//! `_TS` (when the numbers were computed) is a float of epoch seconds; it is kept as the raw
//! number so that it encodes back exactly, and [`StatisticsDaily::computed_at`] (and friends)
//! convert it.

use serde::{Deserialize, Serialize};

use crate::timestamp::Timestamp;

/// `GET /statistics/data/daily/`: site totals.
///
/// ```
/// use scratchkit_model::StatisticsDaily;
/// let s: StatisticsDaily = serde_json::from_str(
///     r#"{"PROJECT_COUNT":1,"USER_COUNT":2,"STUDIO_COUNT":3,"COMMENT_COUNT":4,
///        "PROJECT_COMMENT_COUNT":5,"PROFILE_COMMENT_COUNT":6,"STUDIO_COMMENT_COUNT":7,
///        "_TS":1720917651.072025}"#,
/// ).unwrap();
/// assert_eq!(s.user_count, 2);
/// assert_eq!(s.computed_at().unwrap().unix_seconds(), 1720917651);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct StatisticsDaily {
    /// Number of projects (`PROJECT_COUNT`).
    #[serde(default)]
    pub project_count: u64,
    /// Number of users (`USER_COUNT`).
    #[serde(default)]
    pub user_count: u64,
    /// Number of studios (`STUDIO_COUNT`).
    #[serde(default)]
    pub studio_count: u64,
    /// Number of comments of all kinds (`COMMENT_COUNT`).
    #[serde(default)]
    pub comment_count: u64,
    /// Number of project comments (`PROJECT_COMMENT_COUNT`).
    #[serde(default)]
    pub project_comment_count: u64,
    /// Number of profile comments (`PROFILE_COMMENT_COUNT`).
    #[serde(default)]
    pub profile_comment_count: u64,
    /// Number of studio comments (`STUDIO_COMMENT_COUNT`).
    #[serde(default)]
    pub studio_comment_count: u64,
    /// When the numbers were computed, float epoch seconds (`_TS`).
    #[serde(rename = "_TS", default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<f64>,
}

impl StatisticsDaily {
    /// `_TS` as a [`Timestamp`] (microsecond precision).
    #[must_use]
    pub fn computed_at(&self) -> Option<Timestamp> {
        Timestamp::from_unix_seconds_f64(self.ts?)
    }
}

/// `GET /statistics/data/monthly-ga/`: last month's Google Analytics totals. **The values are
/// strings** on the wire; use the `*_count` methods for numbers.
///
/// ```
/// use scratchkit_model::StatisticsMonthlyGa;
/// let s: StatisticsMonthlyGa = serde_json::from_str(
///     r#"{"_TS":1724599063.617775,"pageviews":"796345748","users":"36308462","sessions":"109391637"}"#,
/// ).unwrap();
/// assert_eq!(s.pageviews_count(), Some(796345748));
/// assert_eq!(s.visits, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatisticsMonthlyGa {
    /// When the numbers were computed, float epoch seconds (`_TS`).
    #[serde(rename = "_TS", default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<f64>,
    /// Page views, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pageviews: Option<String>,
    /// Users, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<String>,
    /// Sessions, as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions: Option<String>,
    /// Visits, as a decimal string (older responses, instead of `sessions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits: Option<String>,
}

fn count(s: Option<&String>) -> Option<u64> {
    s?.trim().parse().ok()
}

impl StatisticsMonthlyGa {
    /// `_TS` as a [`Timestamp`].
    #[must_use]
    pub fn computed_at(&self) -> Option<Timestamp> {
        Timestamp::from_unix_seconds_f64(self.ts?)
    }

    /// `pageviews` as a number.
    #[must_use]
    pub fn pageviews_count(&self) -> Option<u64> {
        count(self.pageviews.as_ref())
    }

    /// `users` as a number.
    #[must_use]
    pub fn users_count(&self) -> Option<u64> {
        count(self.users.as_ref())
    }

    /// `sessions` (or, in older responses, `visits`) as a number.
    #[must_use]
    pub fn sessions_count(&self) -> Option<u64> {
        count(self.sessions.as_ref()).or_else(|| count(self.visits.as_ref()))
    }
}

/// `GET /statistics/data/monthly/`: chart data of the statistics page. No response was
/// recorded; the shape follows the clients that read it. Every series list may be empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatisticsMonthly {
    /// Monthly activity (new projects, comments, …).
    #[serde(default)]
    pub activity_data: Vec<ChartSeries>,
    /// Active users per month.
    #[serde(default)]
    pub active_user_data: Vec<ChartSeries>,
    /// Age distribution of new users (`x` = age).
    #[serde(default)]
    pub age_distribution_data: Vec<ChartSeries>,
    /// Per-country counts (exact shape unrecorded, kept as JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_distribution: Option<serde_json::Value>,
    /// Comments per month.
    #[serde(default)]
    pub comment_data: Vec<ChartSeries>,
    /// Projects per month.
    #[serde(default)]
    pub project_data: Vec<ChartSeries>,
    /// When the numbers were computed, float epoch seconds (`_TS`).
    #[serde(rename = "_TS", default, skip_serializing_if = "Option::is_none")]
    pub ts: Option<f64>,
}

/// One chart series: `{color, key, values:[{x, y}]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartSeries {
    /// The series name.
    #[serde(default)]
    pub key: String,
    /// The series colour (`#rrggbb`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// The points.
    #[serde(default)]
    pub values: Vec<ChartPoint>,
}

/// One point of a [`ChartSeries`]. `x` is usually epoch milliseconds or an age, but is kept as
/// JSON since its type is unrecorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    /// The x value.
    #[serde(default)]
    pub x: serde_json::Value,
    /// The y value.
    #[serde(default)]
    pub y: f64,
}
