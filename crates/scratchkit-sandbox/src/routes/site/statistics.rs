//! `/statistics/data/daily/`, `/monthly/`, `/monthly-ga/`: counts from the world, chart series
//! generated from the seed.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use scratchkit_model::{StatisticsDaily, StatisticsMonthlyGa};
use serde_json::{Map, Value, json};

use crate::render::unsigned;
use crate::routes::reply::SiteError;
use crate::state::Shared;
use crate::store::misc::counts;
use crate::timefmt::{WORLD_NOW, now_millis};

fn timestamp() -> f64 {
    // Float seconds, like the live `_TS`.
    now_millis() as f64 / 1000.0
}

pub(crate) async fn daily(State(s): State<Shared>) -> Result<Response, SiteError> {
    let n = s.store.read(counts)?;
    Ok(Json(StatisticsDaily {
        project_count: unsigned(n.projects),
        user_count: unsigned(n.users),
        studio_count: unsigned(n.studios),
        comment_count: unsigned(n.project_comments + n.profile_comments + n.studio_comments),
        project_comment_count: unsigned(n.project_comments),
        profile_comment_count: unsigned(n.profile_comments),
        studio_comment_count: unsigned(n.studio_comments),
        ts: Some(timestamp()),
    })
    .into_response())
}

/// Google Analytics figures: the live site sends them as strings.
pub(crate) async fn monthly_ga(State(s): State<Shared>) -> Response {
    let mut rng = StdRng::seed_from_u64(s.store.seed() ^ 0x6a);
    Json(StatisticsMonthlyGa {
        ts: Some(timestamp()),
        pageviews: Some(rng.random_range(500_000..900_000).to_string()),
        users: Some(rng.random_range(20_000..40_000).to_string()),
        sessions: Some(rng.random_range(80_000..120_000).to_string()),
        visits: None,
    })
    .into_response()
}

fn series(rng: &mut StdRng, key: &str, color: &str, months: i64) -> Value {
    let values: Vec<Value> = (0..months)
        .map(|m| json!({"x": (WORLD_NOW - (months - m) * 30 * 86_400) * 1000, "y": rng.random_range(100..5000)}))
        .collect();
    json!({"key": key, "color": color, "values": values})
}

pub(crate) async fn monthly(State(s): State<Shared>) -> Response {
    let mut rng = StdRng::seed_from_u64(s.store.seed() ^ 0x30);
    let ages: Vec<Value> = (5..=25)
        .map(|age| json!({"x": age, "y": rng.random_range(10..2000)}))
        .collect();
    let mut countries = Map::new();
    for c in [
        "United States",
        "United Kingdom",
        "Japan",
        "Germany",
        "India",
        "Brazil",
        "France",
        "Poland",
    ] {
        countries.insert(c.to_owned(), Value::from(rng.random_range(100..100_000)));
    }
    Json(json!({
        "_TS": timestamp(),
        "activity_data": [
            series(&mut rng, "New Projects", "#FF9900", 12),
            series(&mut rng, "New Users", "#3366CC", 12),
            series(&mut rng, "New Comments", "#DC3912", 12),
        ],
        "active_user_data": [
            series(&mut rng, "Project Creators", "#FF9900", 12),
            series(&mut rng, "Comment Creators", "#3366CC", 12),
        ],
        "age_distribution_data": [{"key": "Registration age", "color": "#3366CC", "values": ages}],
        "country_distribution": countries,
        "comment_data": [
            series(&mut rng, "Project Comments", "#FF9900", 12),
            series(&mut rng, "Studio Comments", "#3366CC", 12),
            series(&mut rng, "Profile Comments", "#DC3912", 12),
        ],
        "project_data": [
            series(&mut rng, "New Projects", "#FF9900", 12),
            series(&mut rng, "Remix Projects", "#3366CC", 12),
        ],
    }))
    .into_response()
}
