//! Downloading a project: project.json from the projects host, every asset from the assets
//! host (concurrently, each checked against its md5), into memory or into an `.sb3` file.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt as _;
use futures_util::stream;
use scratchkit_sb3::{ProjectDocument, ProjectFile, ReadOptions, Sb3, md5_hex, parse_asset_name};

use super::writer::Sb3FileWriter;
use super::{DEFAULT_CONCURRENCY, asset_path, clamp_concurrency};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::projects::ProjectHandler;
use crate::request::{AuthMode, RequestSpec};

/// How far a download is, given to the [`on_progress`](DownloadRequest::on_progress) callback
/// once project.json is in and after every asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Assets fetched so far (assets that came inside the project body count as fetched).
    pub assets_done: usize,
    /// Assets the project uses.
    pub assets_total: usize,
    /// Bytes received so far: project.json and assets.
    pub bytes: u64,
}

type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// The options shared by [`DownloadRequest`] and [`DownloadToRequest`].
#[derive(Clone)]
struct Options {
    concurrency: usize,
    progress: Option<ProgressFn>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            progress: None,
        }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("concurrency", &self.concurrency)
            .field("on_progress", &self.progress.is_some())
            .finish()
    }
}

impl Options {
    fn report(&self, progress: Progress) {
        if let Some(callback) = &self.progress {
            callback(progress);
        }
    }
}

/// A download of a project into memory, from [`ProjectHandler::download`]; await it for the
/// [`Sb3`].
#[derive(Debug, Clone)]
#[must_use = "a download does nothing until awaited"]
pub struct DownloadRequest {
    handler: ProjectHandler,
    options: Options,
}

/// A download of a project into an `.sb3` file, from [`ProjectHandler::download_to`]; await it
/// for a [`Downloaded`] summary.
#[derive(Debug, Clone)]
#[must_use = "a download does nothing until awaited"]
pub struct DownloadToRequest {
    handler: ProjectHandler,
    path: PathBuf,
    options: Options,
}

/// What [`ProjectHandler::download_to`] wrote.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Downloaded {
    /// The file written.
    pub path: PathBuf,
    /// The project (its project.json, as written into the file).
    pub project: ProjectDocument,
    /// How many asset files the archive holds.
    pub assets: usize,
    /// Size of the file in bytes.
    pub file_size: u64,
}

macro_rules! download_options {
    ($ty:ident) => {
        impl $ty {
            /// How many assets are fetched at the same time (default 8; 1 fetches them one by
            /// one; 0 counts as 1).
            pub fn concurrency(mut self, n: usize) -> Self {
                self.options.concurrency = clamp_concurrency(n);
                self
            }

            /// Calls `callback` with the [`Progress`] once project.json is in and after every
            /// asset (from the task that awaits the download; keep it quick).
            pub fn on_progress(
                mut self,
                callback: impl Fn(Progress) + Send + Sync + 'static,
            ) -> Self {
                self.options.progress = Some(Arc::new(callback));
                self
            }
        }
    };
}

download_options!(DownloadRequest);
download_options!(DownloadToRequest);

impl IntoFuture for DownloadRequest {
    type Output = Result<Sb3>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Sb3>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let (mut sb3, total, mut bytes) = fetch_body(&self.handler).await?;
            let client = self.handler.client().clone();
            let names = missing_names(&sb3)?;
            let mut done = total - names.len();
            self.options.report(Progress {
                assets_done: done,
                assets_total: total,
                bytes,
            });
            let mut fetched = fetch_assets(&client, names, self.options.concurrency);
            while let Some(next) = fetched.next().await {
                let (name, data) = next?;
                done += 1;
                bytes += data.len() as u64;
                sb3.assets.insert(name, data.to_vec());
                self.options.report(Progress {
                    assets_done: done,
                    assets_total: total,
                    bytes,
                });
            }
            Ok(sb3)
        })
    }
}

impl IntoFuture for DownloadToRequest {
    type Output = Result<Downloaded>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Downloaded>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let (sb3, total, mut bytes) = fetch_body(&self.handler).await?;
            let client = self.handler.client().clone();
            let names = missing_names(&sb3)?;
            let json = sb3.project.to_json()?;
            let concurrency = self.options.concurrency;
            let mut writer = Sb3FileWriter::create(&self.path, json, concurrency).await?;
            for (name, data) in &sb3.assets {
                writer.add(name.clone(), Bytes::from(data.clone())).await?;
            }
            let mut done = total - names.len();
            self.options.report(Progress {
                assets_done: done,
                assets_total: total,
                bytes,
            });
            let mut fetched = fetch_assets(&client, names, concurrency);
            while let Some(next) = fetched.next().await {
                let (name, data) = next?;
                done += 1;
                bytes += data.len() as u64;
                writer.add(name, data).await?;
                self.options.report(Progress {
                    assets_done: done,
                    assets_total: total,
                    bytes,
                });
            }
            let file_size = writer.finish().await?;
            Ok(Downloaded {
                path: self.path,
                project: sb3.project,
                assets: total,
                file_size,
            })
        })
    }
}

impl ProjectHandler {
    /// The project's body as served by the projects host: Scratch 3 project.json, Scratch 2
    /// JSON for old projects never saved again, or (rarely) a zip. The `project_token` is
    /// taken from [`info`](ProjectHandler::info) first (logged in, the login is sent along, so
    /// that owners can read their unshared projects).
    ///
    /// `GET https://projects.scratch.mit.edu/<id>?token=<project_token>`
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] for a project that does not exist or is not shared (and not
    /// yours), [`Error::Forbidden`] when the projects host refuses the token, else any request
    /// [`Error`].
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let body = scratchkit::Client::new().project(104u64).project_body().await?;
    /// println!("{} bytes", body.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn project_body(&self) -> Result<Bytes> {
        let token = self.info().await?.project_token;
        let mut spec = RequestSpec::get(Host::Projects, format!("/{}", self.id()))
            .auth(AuthMode::TokenIfLoggedIn);
        if let Some(token) = token {
            spec = spec.query("token", token);
        }
        Ok(self.client().send(spec).await?.body)
    }

    /// The project's project.json, decoded.
    ///
    /// `GET https://projects.scratch.mit.edu/<id>?token=<project_token>` (after
    /// [`info`](ProjectHandler::info) for the token).
    ///
    /// # Errors
    ///
    /// As [`project_body`](ProjectHandler::project_body); [`Error::ProjectFile`] with
    /// [`Scratch2Unsupported`](scratchkit_sb3::Error::Scratch2Unsupported) for a Scratch 2
    /// project, or another [`scratchkit_sb3::Error`] when the body is not project.json.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let project = scratchkit::Client::new().project(104u64).project_json().await?;
    /// println!("{} sprites, {} blocks", project.sprites().count(), project.block_count());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn project_json(&self) -> Result<ProjectDocument> {
        let (sb3, _, _) = fetch_body(self).await?;
        Ok(sb3.project)
    }

    /// Downloads the whole project into memory: project.json and every costume and sound,
    /// fetched concurrently (8 at a time; see [`DownloadRequest::concurrency`]) and each
    /// checked against its md5.
    ///
    /// `GET https://projects.scratch.mit.edu/<id>?token=…`, then
    /// `GET https://assets.scratch.mit.edu/internalapi/asset/<md5>.<ext>/get/` per asset.
    ///
    /// # Errors
    ///
    /// As [`project_json`](ProjectHandler::project_json), plus [`Error::AssetHashMismatch`]
    /// for an asset whose bytes do not have the md5 of its name and [`Error::ProjectFile`]
    /// with [`InvalidAssetName`](scratchkit_sb3::Error::InvalidAssetName) for project.json
    /// naming an asset that is not `<md5>.<ext>`.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// let sb3 = client
    ///     .project(104u64)
    ///     .download()
    ///     .concurrency(4)
    ///     .on_progress(|p| eprintln!("{}/{} assets", p.assets_done, p.assets_total))
    ///     .await?;
    /// println!("{} assets", sb3.assets.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn download(&self) -> DownloadRequest {
        DownloadRequest {
            handler: self.clone(),
            options: Options::default(),
        }
    }

    /// [`download`](ProjectHandler::download) with the default options.
    ///
    /// # Errors
    ///
    /// As [`download`](ProjectHandler::download).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let sb3 = scratchkit::Client::new().project(104u64).download_sb3().await?;
    /// std::fs::write("104.sb3", sb3.to_bytes()?).expect("writable");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn download_sb3(&self) -> Result<Sb3> {
        self.download().await
    }

    /// Downloads the whole project into an `.sb3` file at `path`, streamed: assets are
    /// written as they arrive, into a temporary file next to `path` that replaces `path` only
    /// once the archive is complete (a failed download leaves `path` as it was).
    ///
    /// Same requests, options and checks as [`download`](ProjectHandler::download).
    ///
    /// # Errors
    ///
    /// As [`download`](ProjectHandler::download), plus [`Error::File`] when the file cannot
    /// be written.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// let done = client.project(104u64).download_to("104.sb3").concurrency(8).await?;
    /// println!("{} assets, {} bytes", done.assets, done.file_size);
    /// # Ok(())
    /// # }
    /// ```
    pub fn download_to(&self, path: impl AsRef<Path>) -> DownloadToRequest {
        DownloadToRequest {
            handler: self.clone(),
            path: path.as_ref().to_path_buf(),
            options: Options::default(),
        }
    }
}

/// The project body decoded: the project (plus any assets a zip body held), how many
/// assets the project uses, and the body's size.
async fn fetch_body(handler: &ProjectHandler) -> Result<(Sb3, usize, u64)> {
    let body = handler.project_body().await?;
    let size = body.len() as u64;
    let sb3 = decode_body(&body)?;
    let total = sb3.project.asset_names().len();
    Ok((sb3, total, size))
}

/// A projects-host body as an [`Sb3`] (assets only when the body was a zip).
fn decode_body(body: &[u8]) -> Result<Sb3> {
    match ProjectFile::parse(body) {
        Ok(file) => Ok(Sb3::new(file.into_sb3()?)),
        Err(scratchkit_sb3::Error::IsArchive) => {
            let options = ReadOptions {
                allow_missing_assets: true,
                ..ReadOptions::default()
            };
            Ok(Sb3::read_with(std::io::Cursor::new(body), &options)?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The assets still to fetch, each name checked.
fn missing_names(sb3: &Sb3) -> Result<Vec<String>> {
    let names = sb3.missing_assets();
    for name in &names {
        if parse_asset_name(name).is_none() {
            return Err(scratchkit_sb3::Error::InvalidAssetName { name: name.clone() }.into());
        }
    }
    Ok(names)
}

/// Fetches and checks one asset.
async fn fetch_asset(client: &Client, name: String) -> Result<(String, Bytes)> {
    let path = asset_path(&name);
    let body = client.get_bytes(Host::Assets, &path, &[]).await?;
    let (expected, _) = parse_asset_name(&name)
        .ok_or_else(|| scratchkit_sb3::Error::InvalidAssetName { name: name.clone() })?;
    let actual = md5_hex(&body);
    if actual != expected {
        return Err(Error::AssetHashMismatch {
            url: client.hosts().url(Host::Assets, &path).to_string(),
            name,
            actual,
        });
    }
    Ok((name, body))
}

/// The assets as they arrive, at most `concurrency` requests at a time. Dropping the stream
/// (for example after the first error) cancels the requests in flight.
fn fetch_assets(
    client: &Client,
    names: Vec<String>,
    concurrency: usize,
) -> impl futures_util::Stream<Item = Result<(String, Bytes)>> + Send + '_ {
    stream::iter(names)
        .map(move |name| fetch_asset(client, name))
        .buffer_unordered(clamp_concurrency(concurrency))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch2_bodies_are_a_clear_error() {
        let err = decode_body(br#"{"objName":"Stage","children":[]}"#).unwrap_err();
        assert!(
            matches!(
                err,
                Error::ProjectFile(scratchkit_sb3::Error::Scratch2Unsupported)
            ),
            "{err}"
        );
    }

    #[test]
    fn zip_bodies_keep_their_assets() {
        let mut sb3 = Sb3::new(
            ProjectDocument::from_json(
                br#"{"targets":[{"isStage":true,"name":"Stage"}],"meta":{}}"#,
            )
            .unwrap(),
        );
        let name = sb3.add_asset(b"<svg/>".to_vec(), "svg");
        let decoded = decode_body(&sb3.to_bytes().unwrap()).unwrap();
        assert_eq!(decoded.assets[&name], b"<svg/>");
    }

    #[test]
    fn invalid_asset_names_in_project_json_are_refused() {
        let sb3 = Sb3::new(
            ProjectDocument::from_json(
                br#"{"targets":[{"isStage":true,"name":"Stage","costumes":[{"assetId":"x","name":"c","dataFormat":"svg","md5ext":"../../etc/passwd"}]}],"meta":{}}"#,
            )
            .unwrap(),
        );
        let err = missing_names(&sb3).unwrap_err();
        assert!(
            matches!(
                err,
                Error::ProjectFile(scratchkit_sb3::Error::InvalidAssetName { .. })
            ),
            "{err}"
        );
    }

    #[test]
    fn options_debug_hides_the_callback_and_clamps_concurrency() {
        let client = Client::sandbox("127.0.0.1:9".parse().unwrap());
        let request = client
            .project(1u64)
            .download()
            .concurrency(0)
            .on_progress(|_| {});
        assert_eq!(request.options.concurrency, 1);
        let shown = format!("{request:?}");
        assert!(shown.contains("on_progress: true"), "{shown}");
    }
}
