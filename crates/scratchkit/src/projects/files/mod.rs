//! Project files: download a project as a complete, verified `.sb3`; create, save and remix
//! projects from project.json or an `.sb3`.
//!
//! A Scratch project is stored in two places: its `project.json` on the projects host
//! (`projects.scratch.mit.edu/<id>?token=<project_token>`) and every costume and sound on the
//! assets host, content-addressed by md5 (`assets.scratch.mit.edu/internalapi/asset/<md5>.<ext>/get/`).
//! Downloading fetches both and checks every asset against its md5; uploading sends the
//! missing assets first, then the project.json.

mod download;
mod upload;
mod writer;

pub use download::{DownloadRequest, DownloadToRequest, Downloaded, Progress};
pub use upload::{
    CreateProjectRequest, CreatedProject, MAX_ASSET_BYTES, MAX_PROJECT_JSON_BYTES, ProjectSource,
};

/// The default number of assets fetched or uploaded at the same time.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// The assets-host path the editor reads an asset from.
fn asset_path(name: &str) -> String {
    format!("/internalapi/asset/{name}/get/")
}

/// A concurrency setting made usable (at least 1).
fn clamp_concurrency(n: usize) -> usize {
    n.max(1)
}
