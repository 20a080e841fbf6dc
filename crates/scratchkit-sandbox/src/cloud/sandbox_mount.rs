//! The cloud server as part of the sandbox: the sandbox's real sessions, its projects, and its
//! database (values persist with `--data`; logs land in the table `/clouddata/logs` serves).

use std::sync::Arc;

use axum::Router;
use http::HeaderMap;
use rusqlite::OptionalExtension;

use scratchkit_cloud_server::{CloudOptions, CloudState, CloudStore, MemoryStore};

use super::sqlite_store::sandbox_store;
use crate::state::{AppState, Shared};
use crate::store::users;

/// The username of a cloud upgrade's session, when it may use cloud variables: a live session
/// of this sandbox, of an account that is not banned and not a New Scratcher (Scratch keeps
/// cloud data from New Scratchers).
fn cloud_user(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let username = crate::auth::cloud_username(state, headers)?;
    let user = state
        .store
        .read(|c| users::by_name(c, &username))
        .ok()
        .flatten()?;
    (user.role != "new_scratcher").then_some(user.username)
}

/// Whether `project` names a project of the sandbox.
fn project_exists(state: &AppState, project: &str) -> bool {
    let Ok(id) = project.parse::<i64>() else {
        return false;
    };
    state
        .store
        .read(|c| {
            c.query_row("SELECT 1 FROM projects WHERE id = ?1", [id], |_| Ok(()))
                .optional()
        })
        .ok()
        .flatten()
        .is_some()
}

/// The cloud options of the sandbox: Scratch rules with the sandbox's session check and
/// project check on `/cloud`, TurboWarp rules (any room) on `/turbowarp`.
fn sandbox_options(state: &Shared) -> CloudOptions {
    let mut options = CloudOptions::default();
    let sessions = Arc::clone(state);
    options.scratch.session_validator = Some(Arc::new(move |headers: &HeaderMap| {
        cloud_user(&sessions, headers)
    }));
    let projects = Arc::clone(state);
    options.scratch.project_validator = Some(Arc::new(move |project: &str| {
        project_exists(&projects, project)
    }));
    options
}

/// The sandbox's cloud routes (`/cloud`, `/turbowarp`), over the sandbox's database.
pub(crate) fn sandbox_router<S: Clone + Send + Sync + 'static>(state: &Shared) -> Router<S> {
    let store: Arc<dyn CloudStore> = match sandbox_store(Arc::clone(state)) {
        Ok(store) => Arc::new(store),
        Err(error) => {
            tracing::error!(%error, "cloud tables unavailable: cloud values kept in memory");
            Arc::new(MemoryStore::new())
        }
    };
    let cloud = CloudState::with_store(sandbox_options(state), store);
    // The first router built for this state owns the reset hook (one per sandbox).
    let _ = state.cloud.set(cloud.clone());
    scratchkit_cloud_server::routes(cloud)
}
