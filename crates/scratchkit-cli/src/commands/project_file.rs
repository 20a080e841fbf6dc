//! Project files: `scratch project download | upload | info` and what is inside an .sb3.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use scratchkit::Host;
use scratchkit::sb3::Sb3;
use scratchkit_model::ProjectId;
use serde::Serialize;
use serde_json::json;

use crate::commands::Ctx;
use crate::exit::{CliError, CliResult};
use crate::output::{Out, Table, thousands};

/// What is inside an .sb3, for `scratch project info` and the demo.
#[derive(Debug, Clone, Serialize)]
pub struct Sb3Summary {
    /// The file's name (without its directory).
    pub file: String,
    /// The file's size in bytes.
    pub size: u64,
    /// The stage and every sprite, in the project's order.
    pub targets: Vec<TargetSummary>,
    /// Blocks in all targets (shadow blocks not counted).
    pub blocks: usize,
    /// Asset files in the archive.
    pub assets: usize,
    /// Their total size in bytes.
    pub asset_bytes: u64,
    /// Extensions the project uses (`pen`, `music`…).
    pub extensions: Vec<String>,
    /// Cloud variables (name and value).
    pub cloud_variables: Vec<(String, serde_json::Value)>,
    /// The editor that saved it (`meta.agent` / `meta.vm`).
    pub saved_by: Option<String>,
}

/// One target (the stage or a sprite) of an [`Sb3Summary`].
#[derive(Debug, Clone, Serialize)]
pub struct TargetSummary {
    /// Its name.
    pub name: String,
    /// Whether it is the stage.
    pub stage: bool,
    /// Blocks (no shadows).
    pub blocks: usize,
    /// Scripts (top-level blocks).
    pub scripts: usize,
    /// Costumes (backdrops for the stage).
    pub costumes: usize,
    /// Sounds.
    pub sounds: usize,
    /// Variables (cloud ones included).
    pub variables: usize,
    /// Lists.
    pub lists: usize,
}

impl Sb3Summary {
    /// Summarises `sb3`, read from a file called `file` of `size` bytes.
    pub fn of(sb3: &Sb3, file: &str, size: u64) -> Self {
        let project = &sb3.project;
        let targets = project
            .targets
            .iter()
            .map(|t| TargetSummary {
                name: t.name.clone(),
                stage: t.is_stage,
                blocks: t.block_count(),
                scripts: t.top_level_blocks().count(),
                costumes: t.costumes.len(),
                sounds: t.sounds.len(),
                variables: t.variables.len(),
                lists: t.lists.len(),
            })
            .collect();
        let cloud_variables = project
            .targets
            .iter()
            .flat_map(|t| t.cloud_variables())
            .map(|(_, v)| (v.name.clone(), v.value.clone()))
            .collect();
        let meta = &project.meta;
        let saved_by = match (&meta.vm, &meta.semver) {
            (Some(vm), _) => Some(format!("scratch-vm {vm}")),
            (None, Some(semver)) => Some(format!("Scratch {semver}")),
            (None, None) => None,
        };
        Self {
            file: file.to_owned(),
            size,
            targets,
            blocks: project.block_count(),
            assets: sb3.assets.len(),
            asset_bytes: sb3.assets.values().map(|a| a.len() as u64).sum(),
            extensions: project.extensions.clone(),
            cloud_variables,
            saved_by,
        }
    }

    /// Reads and summarises the .sb3 at `path`.
    ///
    /// # Errors
    /// The file cannot be read, or is not a valid .sb3.
    pub fn read(path: &Path) -> CliResult<(Self, Sb3)> {
        let bytes = std::fs::read(path).map_err(|e| CliError::file(path, e))?;
        let sb3 = Sb3::from_bytes(&bytes).map_err(|source| CliError::Sb3 {
            path: path.display().to_string(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok((Self::of(&sb3, &name, bytes.len() as u64), sb3))
    }

    /// The summary for people: a few fields and one row per target.
    ///
    /// # Errors
    /// Output failures.
    pub fn print(&self, out: &Out) -> CliResult {
        let sprites = self.targets.iter().filter(|t| !t.stage).count();
        out.title(&self.file, &format!("{} bytes", thousands(self.size)))?;
        let cloud = self
            .cloud_variables
            .iter()
            .map(|(name, value)| format!("{name} = {value}"))
            .collect::<Vec<_>>()
            .join("\n");
        out.fields(&[
            ("Sprites", thousands(sprites as u64)),
            ("Blocks", thousands(self.blocks as u64)),
            (
                "Assets",
                format!(
                    "{} files, {} bytes",
                    thousands(self.assets as u64),
                    thousands(self.asset_bytes)
                ),
            ),
            ("Extensions", self.extensions.join(", ")),
            ("Cloud", cloud),
            ("Saved by", self.saved_by.clone().unwrap_or_default()),
        ])?;
        out.line("")?;
        let mut table = Table::new(&[
            "Target",
            "Blocks",
            "Scripts",
            "Costumes",
            "Sounds",
            "Variables",
            "Lists",
        ])
        .right(&[1, 2, 3, 4, 5, 6]);
        for t in &self.targets {
            let name = if t.stage {
                format!("{} (stage)", t.name)
            } else {
                t.name.clone()
            };
            table.row(vec![
                name,
                t.blocks.to_string(),
                t.scripts.to_string(),
                t.costumes.to_string(),
                t.sounds.to_string(),
                t.variables.to_string(),
                t.lists.to_string(),
            ]);
        }
        out.table(table)
    }
}

/// A progress bar on stderr for people at a terminal; hidden otherwise (and with `--json`).
pub fn progress_bar(out: &Out, template: &str) -> ProgressBar {
    if out.is_json() || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    }
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// `scratch project download`: the project (project.json and every asset, checked) as an .sb3.
///
/// # Errors
/// No such project (exit 3), a file that cannot be written (1), network failures (5).
pub async fn download(ctx: &Ctx, id: u64, output: Option<PathBuf>) -> CliResult {
    let path = destination(id, output)?;
    // The owner of an unshared project gets it (and its token) only with the login sent.
    ctx.login_if_available().await?;
    let bar = progress_bar(&ctx.out, "{spinner} {msg} [{bar:30}] {pos}/{len} assets");
    bar.set_message(format!("project {id}"));
    let progress = bar.clone();
    let done = ctx
        .client
        .project(ProjectId(id))
        .download_to(&path)
        .on_progress(move |p| {
            progress.set_length(p.assets_total as u64);
            progress.set_position(p.assets_done as u64);
            progress.set_message(format!("project {id}, {} bytes", thousands(p.bytes)));
        })
        .await;
    bar.finish_and_clear();
    let done = done?;
    let out = &ctx.out;
    if out.is_json() {
        return out.json(&json!({
            "id": id,
            "path": done.path,
            "assets": done.assets,
            "bytes": done.file_size,
        }));
    }
    out.line(format!(
        "Downloaded project {id} to {} ({} assets, {} bytes).",
        out.bold(&done.path.display().to_string()),
        thousands(done.assets as u64),
        thousands(done.file_size)
    ))
}

/// Where `scratch project download` writes: `<ID>.sb3` by default, `<DIR>/<ID>.sb3` for a
/// directory, else the file given. Checked before anything is downloaded.
///
/// # Errors
/// The file's directory does not exist (exit 1).
fn destination(id: u64, output: Option<PathBuf>) -> CliResult<PathBuf> {
    let name = format!("{id}.sb3");
    let path = match output {
        None => return Ok(PathBuf::from(name)),
        Some(dir) if dir.is_dir() => dir.join(name),
        Some(file) => file,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(CliError::file(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory"),
        ));
    }
    Ok(path)
}

/// `scratch project upload`: a new (unshared) project from an .sb3 file.
///
/// # Errors
/// No login (exit 4), a file that is not an .sb3 (1), a refused upload, network failures (5).
pub async fn upload(ctx: &Ctx, file: &Path, title: Option<String>) -> CliResult {
    let (_, sb3) = Sb3Summary::read(file)?;
    ctx.ensure_login().await?;
    let title = title.unwrap_or_else(|| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Untitled".to_owned())
    });
    let spinner = progress_bar(&ctx.out, "{spinner} {msg}");
    spinner.set_message(format!("uploading {}", file.display()));
    let created = ctx.client.create_project(sb3).title(title).await;
    spinner.finish_and_clear();
    show_created(ctx, &created?, None)
}

/// `scratch project remix`: a new (unshared) project from an .sb3 file, as a remix of `id`.
///
/// # Errors
/// No login (exit 4), a file that is not an .sb3 (1), an original that is not visible (3), a
/// refused upload, network failures (5).
pub async fn remix(ctx: &Ctx, id: u64, file: &Path, title: Option<String>) -> CliResult {
    let (_, sb3) = Sb3Summary::read(file)?;
    ctx.ensure_login().await?;
    let mut request = ctx.client.project(ProjectId(id)).remix(sb3);
    if let Some(title) = title {
        request = request.title(title);
    }
    let spinner = progress_bar(&ctx.out, "{spinner} {msg}");
    spinner.set_message(format!("uploading {} as a remix of {id}", file.display()));
    let created = request.await;
    spinner.finish_and_clear();
    show_created(ctx, &created?, Some(id))
}

/// What `upload` and `remix` print: the new project, its link, and how to share it.
fn show_created(
    ctx: &Ctx,
    created: &scratchkit::CreatedProject,
    remix_of: Option<u64>,
) -> CliResult {
    let link = ctx
        .client
        .hosts()
        .url(Host::Site, &format!("/projects/{}/", created.id))
        .to_string();
    let out = &ctx.out;
    if out.is_json() {
        let mut doc = json!({
            "id": created.id,
            "title": created.title,
            "assets_uploaded": created.assets_uploaded,
            "link": link,
        });
        if let Some(parent) = remix_of {
            doc["remix_of"] = parent.into();
        }
        return out.json(&doc);
    }
    let what = match remix_of {
        Some(parent) => format!("a remix of {parent}, "),
        None => String::new(),
    };
    out.line(format!(
        "Created project {} \"{}\" ({what}{} assets uploaded, not shared yet).",
        out.bold(&created.id.to_string()),
        created.title,
        created.assets_uploaded
    ))?;
    out.line(format!("  {}", out.accent(&link)))?;
    out.line(out.dim(&format!(
        "  Share it with: scratch project share {}",
        created.id
    )))
}

/// `scratch project save`: a new version of one of your projects from an .sb3 file.
///
/// # Errors
/// No login (exit 4), a file that is not an .sb3 (1), not your project (4), no such project
/// (3), network failures (5).
pub async fn save(ctx: &Ctx, id: u64, file: &Path) -> CliResult {
    let (summary, sb3) = Sb3Summary::read(file)?;
    ctx.ensure_login().await?;
    let spinner = progress_bar(&ctx.out, "{spinner} {msg}");
    spinner.set_message(format!("saving {} over project {id}", file.display()));
    let saved = ctx.client.project(ProjectId(id)).save(sb3).await;
    spinner.finish_and_clear();
    saved?;
    super::comment::done(
        ctx,
        &json!({"id": id, "file": file, "blocks": summary.blocks, "assets": summary.assets}),
        &format!(
            "Saved {} over project {id} ({} blocks, {} assets).",
            file.display(),
            summary.blocks,
            summary.assets
        ),
    )
}

/// `scratch project info FILE`: what is inside an .sb3.
///
/// # Errors
/// The file cannot be read or is not a valid .sb3 (exit 1).
pub fn info(out: &Out, file: &Path) -> CliResult {
    let (summary, _) = Sb3Summary::read(file)?;
    if out.is_json() {
        return out.json(&summary);
    }
    summary.print(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_destination_defaults_fills_directories_and_checks_the_parent() {
        assert_eq!(destination(142, None).unwrap(), PathBuf::from("142.sb3"));
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            destination(142, Some(dir.path().to_owned())).unwrap(),
            dir.path().join("142.sb3")
        );
        let file = dir.path().join("game.sb3");
        assert_eq!(destination(142, Some(file.clone())).unwrap(), file);
        assert_eq!(
            destination(142, Some(PathBuf::from("game.sb3"))).unwrap(),
            PathBuf::from("game.sb3")
        );
        let missing = dir.path().join("missing").join("game.sb3");
        let err = destination(142, Some(missing)).unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
        assert!(err.to_string().contains("no such directory"), "{err}");
    }

    #[test]
    fn a_summary_counts_targets_blocks_and_cloud_variables() {
        let json = r#"{"targets":[
            {"isStage":true,"name":"Stage","variables":{"a":["☁ score",7,true],"b":["x",1]},
             "lists":{},"broadcasts":{},"blocks":{},"comments":{},"costumes":[],"sounds":[]},
            {"isStage":false,"name":"Cat","variables":{},"lists":{"l":["items",[]]},
             "broadcasts":{},"comments":{},"costumes":[],"sounds":[],
             "blocks":{"k":{"opcode":"event_whenflagclicked","next":"m","parent":null,
                            "inputs":{},"fields":{},"shadow":false,"topLevel":true,"x":0,"y":0},
                       "m":{"opcode":"motion_movesteps","next":null,"parent":"k",
                            "inputs":{},"fields":{},"shadow":false,"topLevel":false}}}],
            "monitors":[],"extensions":["pen"],"meta":{"semver":"3.0.0","vm":"0.2.0"}}"#;
        let project = scratchkit::sb3::ProjectDocument::from_json(json.as_bytes()).unwrap();
        let sb3 = Sb3::new(project);
        let s = Sb3Summary::of(&sb3, "cat.sb3", 123);
        assert_eq!(s.targets.len(), 2);
        assert!(s.targets[0].stage);
        assert_eq!(s.targets[1].blocks, 2);
        assert_eq!(s.targets[1].scripts, 1);
        assert_eq!(s.targets[1].lists, 1);
        assert_eq!(s.blocks, 2);
        assert_eq!(s.extensions, vec!["pen"]);
        assert_eq!(s.cloud_variables, vec![("☁ score".to_owned(), json!(7))]);
        assert_eq!(s.saved_by.as_deref(), Some("scratch-vm 0.2.0"));
    }

    #[test]
    fn a_file_that_is_not_an_sb3_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x.sb3");
        std::fs::write(&path, b"not a zip").unwrap();
        let err = Sb3Summary::read(&path).unwrap_err();
        assert!(matches!(err, CliError::Sb3 { .. }), "{err}");
        let missing = Sb3Summary::read(&tmp.path().join("none.sb3")).unwrap_err();
        assert!(matches!(missing, CliError::File { .. }), "{missing}");
    }
}
