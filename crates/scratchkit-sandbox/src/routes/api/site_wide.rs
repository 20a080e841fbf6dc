//! `/`, `/health`, `/news`, `/projects/count/all`, `/proxy/featured`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use scratchkit_model::{
    ApiRoot, ConnectionHealth, DatabasePools, Featured, FeaturedProject, Health, HealthSql,
    PoolStats, ProjectCount, StudioId, Timestamp,
};

use crate::render;
use crate::routes::json_reply::JsonReply;
use crate::routes::reply::{ApiError, Params};
use crate::state::Shared;
use crate::store::{projects, studios};
use crate::timefmt::now_millis;

pub(crate) async fn root() -> Response {
    Json(ApiRoot {
        api: "api.scratch.mit.edu".to_owned(),
        help: "help@scratch.mit.edu".to_owned(),
        website: "scratch.mit.edu".to_owned(),
    })
    .into_response()
}

/// A database's primary and replica pools: one idle connection each, at most `max`.
fn pools(max: u64) -> DatabasePools {
    let pool = PoolStats {
        ssl: true,
        destroyed: false,
        min: 0,
        max,
        num_used: 0,
        num_free: 1,
        pending_acquires: 0,
        pending_creates: 0,
    };
    DatabasePools {
        primary: Some(pool),
        replica: Some(pool),
    }
}

pub(crate) async fn health(State(s): State<Shared>) -> Response {
    let databases = [
        ("main", 40),
        ("project_comments", 4),
        ("gallery_comments", 4),
        ("userprofile_comments", 4),
    ]
    .into_iter()
    .map(|(name, max)| (name.to_owned(), pools(max)))
    .collect();
    Json(Health {
        version: Some(concat!("scratchkit-sandbox-", env!("CARGO_PKG_VERSION")).to_owned()),
        uptime: Some(s.started.elapsed().as_secs_f64()),
        load: vec![0.01, 0.02, 0.05],
        sql: Some(HealthSql {
            started: None,
            min: None,
            max: None,
            databases,
        }),
        timestamp: Timestamp::from_unix_millis(now_millis()),
        cache: Some(ConnectionHealth {
            connected: true,
            ready: true,
        }),
    })
    .into_response()
}

pub(crate) async fn news(State(s): State<Shared>, params: Params) -> Result<Response, ApiError> {
    let page = params.page()?;
    let items = s.store.read(|c| crate::store::misc::news(c, page))?;
    Ok(JsonReply::list(items.iter().map(render::news).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn project_count(State(s): State<Shared>) -> Result<Response, ApiError> {
    // The live counter counts shared projects only.
    let count = s.store.read(|c| {
        c.query_row("SELECT COUNT(*) FROM projects WHERE shared = 1", [], |r| {
            r.get::<_, i64>(0)
        })
    })?;
    Ok(Json(ProjectCount {
        count: render::unsigned(count),
    })
    .into_response())
}

/// Seven rows computed from the world; served as `application/xml` like the live site.
pub(crate) async fn featured(State(s): State<Shared>) -> Result<Response, ApiError> {
    let body = s.store.read(|c| {
        let plain = |order: &str| -> rusqlite::Result<Vec<FeaturedProject>> {
            Ok(projects::top(c, order, 20)?
                .iter()
                .map(render::featured_project)
                .collect())
        };
        let remixed = projects::top(
            c,
            "(SELECT COUNT(*) FROM projects r WHERE r.parent_id = p.id) DESC, p.id DESC",
            20,
        )?
        .iter()
        .map(|p| FeaturedProject {
            remixers_count: Some(render::unsigned(p.remixes)),
            ..render::featured_project(p)
        })
        .collect();
        let curated = projects::top(c, "p.favorites DESC, p.id DESC", 20)?
            .iter()
            .map(|p| FeaturedProject {
                curator_name: Some("ScratchCat".to_owned()),
                ..render::featured_project(p)
            })
            .collect();
        let sds_title = studios::by_id(c, 5342)?.map_or_else(String::new, |s| s.title);
        let design_studio = projects::in_studio(c, 5342, 20)?
            .iter()
            .map(|p| FeaturedProject {
                remixers_count: Some(render::unsigned(p.remixes)),
                gallery_id: Some(StudioId(5342)),
                gallery_title: Some(sds_title.clone()),
                ..render::featured_project(p)
            })
            .collect();
        Ok(Featured {
            community_featured_projects: plain("p.views DESC, p.id DESC")?,
            community_featured_studios: studios::top(c, 20)?
                .iter()
                .map(render::featured_studio)
                .collect(),
            community_most_loved_projects: plain("p.loves DESC, p.id DESC")?,
            community_most_remixed_projects: remixed,
            community_newest_projects: plain("p.shared_at DESC, p.id DESC")?,
            curator_top_projects: curated,
            scratch_design_studio: design_studio,
            extra: BTreeMap::new(),
        })
    })?;
    Ok((
        [(header::CONTENT_TYPE, "application/xml")],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response())
}
