//! Uploading a project: create, save (a new version of an own project) and remix.
//!
//! Assets go first, and only those the assets host lacks (a `HEAD` per asset tells; the
//! reference records no "already exists" answer of the upload to rely on). Then the
//! project.json is posted (create, remix) or put (save).

use std::collections::BTreeMap;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use base64::Engine as _;
use bytes::Bytes;
use futures_util::StreamExt as _;
use futures_util::stream;
use http::Method;
use scratchkit_model::ProjectId;
use scratchkit_sb3::{ProjectDocument, Sb3, parse_asset_name};
use serde::Deserialize;

use super::{DEFAULT_CONCURRENCY, asset_path, clamp_concurrency};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::projects::ProjectHandler;
use crate::request::{AuthMode, RequestSpec};

/// The live site's limit on project.json: 5 MB. Larger projects are refused before anything
/// is sent.
pub const MAX_PROJECT_JSON_BYTES: usize = 5 * 1024 * 1024;

/// The live site's limit on one asset file: 10 MB. Larger assets are refused before anything
/// is sent.
pub const MAX_ASSET_BYTES: usize = 10 * 1024 * 1024;

/// What to upload: a project.json alone (its assets must already be on the assets host) or
/// a whole `.sb3` (its assets are uploaded when the host lacks them).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ProjectSource {
    /// project.json only.
    Json(ProjectDocument),
    /// project.json and asset files.
    Sb3(Sb3),
}

impl From<ProjectDocument> for ProjectSource {
    fn from(project: ProjectDocument) -> Self {
        ProjectSource::Json(project)
    }
}

impl From<Sb3> for ProjectSource {
    fn from(sb3: Sb3) -> Self {
        ProjectSource::Sb3(sb3)
    }
}

/// A source checked against the limits, ready to send.
struct Prepared {
    json: Bytes,
    /// Every asset project.json uses, with its bytes when the source has them.
    assets: BTreeMap<String, Option<Bytes>>,
}

fn prepare(source: ProjectSource) -> Result<Prepared> {
    let (project, mut files) = match source {
        ProjectSource::Json(project) => (project, BTreeMap::new()),
        ProjectSource::Sb3(sb3) => (sb3.project, sb3.assets),
    };
    let json = project.to_json()?;
    if json.len() > MAX_PROJECT_JSON_BYTES {
        return Err(Error::invalid(
            "project.json",
            format!(
                "{} bytes, more than Scratch's limit of {MAX_PROJECT_JSON_BYTES}",
                json.len()
            ),
        ));
    }
    let mut assets = BTreeMap::new();
    for name in project.asset_names() {
        if parse_asset_name(&name).is_none() {
            return Err(scratchkit_sb3::Error::InvalidAssetName { name }.into());
        }
        let data = files.remove(&name);
        if let Some(data) = &data {
            if data.len() > MAX_ASSET_BYTES {
                return Err(Error::invalid(
                    "asset",
                    format!(
                        "{name} has {} bytes, more than Scratch's limit of {MAX_ASSET_BYTES}",
                        data.len()
                    ),
                ));
            }
            let actual = scratchkit_sb3::md5_hex(data);
            if !name.to_ascii_lowercase().starts_with(&actual) {
                return Err(scratchkit_sb3::Error::AssetHashMismatch { name, actual }.into());
            }
        }
        assets.insert(name, data.map(Bytes::from));
    }
    Ok(Prepared {
        json: Bytes::from(json),
        assets,
    })
}

/// Whether the assets host has an asset (`HEAD`).
async fn asset_exists(client: &Client, name: &str) -> Result<bool> {
    let spec = RequestSpec::new(Method::HEAD, Host::Assets, asset_path(name));
    match client.send(spec).await {
        Ok(_) => Ok(true),
        Err(Error::NotFound { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

fn content_type(name: &str) -> &'static str {
    match name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
    {
        Some(ext) => match ext.as_str() {
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "wav" => "audio/x-wav",
            "mp3" => "audio/mpeg",
            _ => "application/octet-stream",
        },
        None => "application/octet-stream",
    }
}

/// Makes sure every asset is on the assets host: uploads those it lacks; fails (before the
/// project is sent) for assets it lacks that the source does not have either. Returns how
/// many were uploaded.
async fn upload_assets(
    client: &Client,
    assets: &BTreeMap<String, Option<Bytes>>,
    concurrency: usize,
) -> Result<usize> {
    let concurrency = clamp_concurrency(concurrency);
    let checks = stream::iter(assets.keys().cloned().collect::<Vec<_>>())
        .map(|name| {
            let client = client.clone();
            async move {
                let exists = asset_exists(&client, &name).await;
                (name, exists)
            }
        })
        .buffer_unordered(concurrency);
    let results: Vec<(String, Result<bool>)> = checks.collect().await;
    let mut to_upload = Vec::new();
    let mut unavailable = Vec::new();
    for (name, exists) in results {
        if exists? {
            continue;
        }
        match assets.get(&name).cloned().flatten() {
            Some(data) => to_upload.push((name, data)),
            None => unavailable.push(name),
        }
    }
    if !unavailable.is_empty() {
        unavailable.sort();
        return Err(Error::invalid(
            "project",
            format!(
                "assets neither on the assets server nor in the source: {}",
                unavailable.join(", ")
            ),
        ));
    }
    let count = to_upload.len();
    let mut uploads = stream::iter(to_upload)
        .map(|(name, data)| {
            let client = client.clone();
            async move {
                let spec = RequestSpec::post(Host::Assets, format!("/{name}"))
                    .auth(AuthMode::Both)
                    .bytes(Some(content_type(&name)), data);
                client.send(spec).await.map(|_| ())
            }
        })
        .buffer_unordered(concurrency);
    while let Some(result) = uploads.next().await {
        result?;
    }
    Ok(count)
}

/// The file extensions Scratch's editor stores assets with.
const ASSET_EXTENSIONS: [&str; 6] = ["svg", "png", "jpg", "gif", "wav", "mp3"];

impl Client {
    /// Puts one asset (a costume or sound) on the assets host, named by its content:
    /// `<md5>.<ext>`, the name a project.json refers to it by. An asset already there is not
    /// sent again. Returns the name.
    ///
    /// `HEAD https://assets.scratch.mit.edu/internalapi/asset/<md5>.<ext>/get/`, then when
    /// missing `POST https://assets.scratch.mit.edu/<md5>.<ext>` with the session cookie and
    /// the X-Token.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let name = client.upload_asset(std::fs::read("cat.svg")?, "svg").await?;
    /// println!("md5ext for project.json: {name}");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::LoginRequired`] when logged out and [`Error::InvalidInput`] for an empty asset
    /// or an extension other than svg, png, jpg, gif, wav or mp3 (nothing sent); any request
    /// error.
    pub async fn upload_asset(&self, data: impl Into<Bytes>, extension: &str) -> Result<String> {
        self.require_auth()?;
        let data = data.into();
        let ext = extension.trim_start_matches('.').to_ascii_lowercase();
        if !ASSET_EXTENSIONS.contains(&ext.as_str()) {
            return Err(Error::invalid(
                "asset extension",
                format!("{extension:?} is not one of svg, png, jpg, gif, wav, mp3"),
            ));
        }
        if data.is_empty() {
            return Err(Error::invalid("asset", "no bytes"));
        }
        let name = format!("{}.{ext}", scratchkit_sb3::md5_hex(&data));
        let assets = BTreeMap::from([(name.clone(), Some(data))]);
        upload_assets(self, &assets, 1).await?;
        Ok(name)
    }
}

/// The projects host's answer to a create or a save.
#[derive(Deserialize)]
struct Reply {
    status: Option<String>,
    #[serde(rename = "content-name")]
    content_name: Option<ProjectId>,
    #[serde(rename = "content-title")]
    content_title: Option<String>,
}

fn check_status(reply: &Reply, action: &'static str, body: &[u8]) -> Result<()> {
    match reply.status.as_deref() {
        Some("ok") => Ok(()),
        _ => Err(Error::Refused {
            action,
            message: crate::error::snippet(body),
        }),
    }
}

/// A project made by [`Client::create_project`] or [`ProjectHandler::remix`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatedProject {
    /// The new project's ID (use it with [`Client::project`]).
    pub id: ProjectId,
    /// Its title, as the server set it.
    pub title: String,
    /// How many asset files were uploaded (those the assets host already had are not).
    pub assets_uploaded: usize,
}

/// A project to create, from [`Client::create_project`] or [`ProjectHandler::remix`]; await
/// it for the [`CreatedProject`].
#[must_use = "nothing is created until awaited"]
pub struct CreateProjectRequest {
    client: Client,
    source: ProjectSource,
    title: Option<String>,
    remix_of: Option<ProjectId>,
    concurrency: usize,
}

impl fmt::Debug for CreateProjectRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateProjectRequest")
            .field("title", &self.title)
            .field("remix_of", &self.remix_of)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl CreateProjectRequest {
    /// The new project's title (default: the server's, "Untitled" or "`<original>` remix").
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// How many assets are checked or uploaded at the same time (default 8; 0 counts as 1).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = clamp_concurrency(n);
        self
    }

    /// The request the projects host gets.
    #[cfg(test)]
    fn spec(&self, json: Bytes) -> RequestSpec {
        create_spec(self.remix_of, self.title.as_deref(), json)
    }
}

/// `POST /?is_remix=0|1[&original_id=…][&title=…]` with project.json.
fn create_spec(remix_of: Option<ProjectId>, title: Option<&str>, json: Bytes) -> RequestSpec {
    let mut spec = RequestSpec::post(Host::Projects, "/")
        .auth(AuthMode::Both)
        .query("is_remix", if remix_of.is_some() { "1" } else { "0" });
    if let Some(original) = remix_of {
        spec = spec.query("original_id", original);
    }
    if let Some(title) = title {
        spec = spec.query("title", title);
    }
    spec.bytes(Some("application/json"), json)
}

impl IntoFuture for CreateProjectRequest {
    type Output = Result<CreatedProject>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<CreatedProject>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let CreateProjectRequest {
            client,
            source,
            title,
            remix_of,
            concurrency,
        } = self;
        Box::pin(async move {
            client.require_auth()?;
            let prepared = prepare(source)?;
            let assets_uploaded = upload_assets(&client, &prepared.assets, concurrency).await?;
            let spec = create_spec(remix_of, title.as_deref(), prepared.json);
            let response = client.send(spec).await?;
            let reply: Reply = response.json()?;
            check_status(&reply, "create project", &response.body)?;
            let id = reply.content_name.ok_or_else(|| Error::Decode {
                url: response.requested.clone(),
                path: "content-name".into(),
                message: "the answer has no new project id".into(),
                snippet: crate::error::snippet(&response.body),
                source: None,
            })?;
            let title = reply
                .content_title
                .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok())
                .and_then(|t| String::from_utf8(t).ok())
                .or(title)
                .unwrap_or_default();
            Ok(CreatedProject {
                id,
                title,
                assets_uploaded,
            })
        })
    }
}

impl Client {
    /// Creates a new (unshared) project owned by the logged-in user: uploads the assets the
    /// assets host lacks, then the project.json. Sizes are checked against Scratch's limits
    /// ([`MAX_PROJECT_JSON_BYTES`], [`MAX_ASSET_BYTES`]) before anything is sent.
    ///
    /// `HEAD`/`POST https://assets.scratch.mit.edu/…` per asset, then
    /// `POST https://projects.scratch.mit.edu/?is_remix=0&title=<title>`.
    ///
    /// # Errors
    ///
    /// [`Error::LoginRequired`] when logged out, [`Error::InvalidInput`] for a project over
    /// the limits or one whose assets are neither in the source nor on the server,
    /// [`Error::ProjectFile`] for an asset whose bytes do not match its name,
    /// [`Error::Refused`] when the server answers without `"status":"ok"`, else any request
    /// [`Error`].
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::sb3::Sb3;
    ///
    /// let sb3 = Sb3::from_bytes(&std::fs::read("game.sb3").expect("readable"))?;
    /// let created = client.create_project(sb3).title("My game").await?;
    /// println!("https://scratch.mit.edu/projects/{}/", created.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn create_project(&self, source: impl Into<ProjectSource>) -> CreateProjectRequest {
        CreateProjectRequest {
            client: self.clone(),
            source: source.into(),
            title: None,
            remix_of: None,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

impl ProjectHandler {
    /// Saves a new version of this project (which must be the logged-in user's): uploads the
    /// assets the assets host lacks, then replaces the project.json.
    ///
    /// `HEAD`/`POST https://assets.scratch.mit.edu/…` per asset, then
    /// `PUT https://projects.scratch.mit.edu/<id>`.
    ///
    /// # Errors
    ///
    /// As [`Client::create_project`]; [`Error::Forbidden`] when the project is not yours.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let project = client.project(1_000_000u64);
    /// let mut sb3 = project.download_sb3().await?;
    /// sb3.project.targets[0].name = "Stage".into();
    /// project.save(sb3).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn save(&self, source: impl Into<ProjectSource>) -> Result<()> {
        let client = self.client();
        client.require_auth()?;
        let prepared = prepare(source.into())?;
        upload_assets(client, &prepared.assets, DEFAULT_CONCURRENCY).await?;
        let spec = RequestSpec::put(Host::Projects, format!("/{}", self.id()))
            .auth(AuthMode::Both)
            .bytes(Some("application/json"), prepared.json);
        let response = client.send(spec).await?;
        let reply: Reply = response.json()?;
        check_status(&reply, "save project", &response.body)
    }

    /// Creates a remix of this project from `source` (typically this project, downloaded and
    /// changed). The title defaults to the server's ("`<original>` remix").
    ///
    /// `POST https://projects.scratch.mit.edu/?is_remix=1&original_id=<id>[&title=…]`
    /// (after the assets, as [`Client::create_project`]).
    ///
    /// # Errors
    ///
    /// As [`Client::create_project`]; [`Error::NotFound`] when the original is not visible.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let original = client.project(104u64);
    /// let sb3 = original.download_sb3().await?;
    /// let remix = original.remix(sb3).title("My remix").await?;
    /// println!("remix {}", remix.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn remix(&self, source: impl Into<ProjectSource>) -> CreateProjectRequest {
        CreateProjectRequest {
            remix_of: Some(self.id()),
            ..self.client().create_project(source)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_with(name: &str) -> ProjectDocument {
        let json = format!(
            r#"{{"targets":[{{"isStage":true,"name":"Stage","costumes":[{{"assetId":"{}","name":"c","dataFormat":"svg","md5ext":"{name}"}}]}}],"meta":{{}}}}"#,
            &name[..name.find('.').unwrap_or(0)]
        );
        ProjectDocument::from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn prepare_checks_sizes_and_hashes() {
        let svg = b"<svg/>".to_vec();
        let name = scratchkit_sb3::asset_name(&svg, "svg");
        let mut sb3 = Sb3::new(project_with(&name));
        sb3.assets.insert(name.clone(), svg);
        let prepared = prepare(sb3.clone().into()).unwrap();
        assert!(prepared.assets[&name].is_some());

        let only_json = prepare(project_with(&name).into()).unwrap();
        assert_eq!(only_json.assets[&name], None);

        let mut wrong = sb3.clone();
        wrong.assets.insert(name.clone(), b"<svg />".to_vec());
        assert!(matches!(
            prepare(wrong.into()),
            Err(Error::ProjectFile(
                scratchkit_sb3::Error::AssetHashMismatch { .. }
            ))
        ));

        let big = vec![0u8; MAX_ASSET_BYTES + 1];
        let big_name = scratchkit_sb3::asset_name(&big, "wav");
        let mut large = Sb3::new(project_with(&big_name));
        large.assets.insert(big_name, big);
        assert!(matches!(
            prepare(large.into()),
            Err(Error::InvalidInput { what: "asset", .. })
        ));

        let mut huge = project_with(&name);
        huge.extra.insert(
            "padding".into(),
            serde_json::Value::String("x".repeat(MAX_PROJECT_JSON_BYTES)),
        );
        assert!(matches!(
            prepare(huge.into()),
            Err(Error::InvalidInput {
                what: "project.json",
                ..
            })
        ));
    }

    #[test]
    fn create_and_remix_requests_are_built_as_the_editor_sends_them() {
        let client = Client::sandbox("127.0.0.1:9".parse().unwrap());
        let name = scratchkit_sb3::asset_name(b"x", "svg");
        let create = client
            .create_project(project_with(&name))
            .title("Héllo & co");
        let spec = create.spec(Bytes::from_static(b"{}"));
        assert_eq!(spec.method, Method::POST);
        assert_eq!(spec.host, Host::Projects);
        assert_eq!(spec.path, "/");
        assert_eq!(
            spec.query,
            [
                ("is_remix".to_owned(), "0".to_owned()),
                ("title".to_owned(), "Héllo & co".to_owned())
            ]
        );
        let remix = client.project(142u64).remix(project_with(&name));
        let spec = remix.spec(Bytes::from_static(b"{}"));
        assert_eq!(
            spec.query,
            [
                ("is_remix".to_owned(), "1".to_owned()),
                ("original_id".to_owned(), "142".to_owned())
            ]
        );
        assert_eq!(spec.auth, AuthMode::Both);
    }

    #[tokio::test]
    async fn logged_out_clients_fail_before_sending() {
        // Port 9 (discard) is never contacted: the login check comes first.
        let client = Client::sandbox("127.0.0.1:9".parse().unwrap());
        let name = scratchkit_sb3::asset_name(b"x", "svg");
        let err = client
            .create_project(project_with(&name))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::LoginRequired), "{err}");
        let err = client
            .project(1u64)
            .save(project_with(&name))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::LoginRequired), "{err}");
    }

    #[test]
    fn asset_content_types() {
        assert_eq!(content_type("a.SVG"), "image/svg+xml");
        assert_eq!(content_type("a.wav"), "audio/x-wav");
        assert_eq!(content_type("a.bin"), "application/octet-stream");
    }
}
