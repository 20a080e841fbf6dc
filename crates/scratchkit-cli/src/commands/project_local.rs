//! Offline work on project files: `scratch project unpack | pack | validate | diff`.
//!
//! A project can be an .sb3 archive, a folder written by `unpack` (pretty `project.json` and
//! `assets/`), or a bare `project.json`.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use scratchkit_sb3::diff::diff;
use scratchkit_sb3::folder::{self, PROJECT_FILE};
use scratchkit_sb3::validate::Severity;
use scratchkit_sb3::{ProjectDocument, ReadOptions, Sb3, validate, validate_project};
use serde::Serialize;
use serde_json::json;

use crate::exit::{CliError, CliResult};
use crate::output::{Out, count};

/// The offline project-file actions of `scratch project`.
#[derive(Debug, Subcommand)]
pub enum LocalAction {
    /// Unpack an .sb3 into a folder: pretty project.json and assets/, diff-friendly for git.
    #[command(after_help = "\
Examples:
  scratch project unpack game.sb3 game/
  scratch project unpack game.sb3          writes the folder game/")]
    Unpack {
        /// The .sb3 file.
        file: PathBuf,
        /// The folder (default: the file's name without .sb3).
        dir: Option<PathBuf>,
    },
    /// Pack a folder written by `unpack` back into an .sb3 (assets are md5-checked).
    #[command(after_help = "\
Examples:
  scratch project pack game/ game.sb3
  scratch project pack game/               writes game.sb3")]
    Pack {
        /// The folder.
        dir: PathBuf,
        /// The .sb3 to write (default: the folder's name + .sb3).
        file: Option<PathBuf>,
    },
    /// Check a project for what Scratch would reject or silently break (exit 1 on errors).
    #[command(after_help = "\
Examples:
  scratch project validate game.sb3
  scratch project validate game/ --json")]
    Validate {
        /// An .sb3, an unpacked folder or a project.json.
        file: PathBuf,
    },
    /// What changed between two versions of a project: sprites, scripts, variables, assets.
    #[command(after_help = "\
Examples:
  scratch project diff old.sb3 new.sb3
  scratch project diff game.sb3 game/")]
    Diff {
        /// The old version (.sb3, folder or project.json).
        old: PathBuf,
        /// The new version.
        new: PathBuf,
    },
}

/// Runs an offline project-file action.
///
/// # Errors
/// Unreadable or invalid files (exit 1), a project with validation errors (exit 1).
pub fn run(out: &Out, action: LocalAction) -> CliResult {
    match action {
        LocalAction::Unpack { file, dir } => unpack(out, &file, dir),
        LocalAction::Pack { dir, file } => pack(out, &dir, file),
        LocalAction::Validate { file } => check(out, &file),
        LocalAction::Diff { old, new } => changes(out, &old, &new),
    }
}

/// A folder's name as typed, without a trailing slash (messages add one).
fn folder_name(dir: &Path) -> String {
    let text = dir.display().to_string();
    match text.trim_end_matches('/') {
        "" => text,
        trimmed => trimmed.to_owned(),
    }
}

fn sb3_error(path: &Path, source: scratchkit_sb3::Error) -> CliError {
    CliError::Sb3 {
        path: path.display().to_string(),
        source,
    }
}

/// An .sb3, an unpacked folder or a project.json, and whether it came with its assets (a
/// bare project.json does not: callers skip asset checks). Archives are read even when
/// assets are missing, so that `validate` can name them.
fn load(path: &Path) -> CliResult<(Sb3, bool)> {
    if path.is_dir() {
        let sb3 = folder::pack(path).map_err(|e| sb3_error(path, e))?;
        return Ok((sb3, true));
    }
    let bytes = std::fs::read(path).map_err(|e| CliError::file(path, e))?;
    if bytes.starts_with(b"PK") {
        let options = ReadOptions {
            allow_missing_assets: true,
            ..ReadOptions::default()
        };
        let sb3 = Sb3::read_with(std::io::Cursor::new(bytes), &options)
            .map_err(|e| sb3_error(path, e))?;
        Ok((sb3, true))
    } else {
        let project = ProjectDocument::from_json(&bytes).map_err(|e| sb3_error(path, e))?;
        Ok((Sb3::new(project), false))
    }
}

fn unpack(out: &Out, file: &Path, dir: Option<PathBuf>) -> CliResult {
    let dir = dir.unwrap_or_else(|| file.with_extension(""));
    if dir == file {
        return Err(CliError::Usage(format!(
            "{} has no extension; name the folder to unpack into",
            file.display()
        )));
    }
    let bytes = std::fs::read(file).map_err(|e| CliError::file(file, e))?;
    let sb3 = Sb3::from_bytes(&bytes).map_err(|e| sb3_error(file, e))?;
    let report = folder::unpack(&sb3, &dir).map_err(|e| sb3_error(&dir, e))?;
    if out.is_json() {
        return out.json(&json!({
            "dir": dir.display().to_string(),
            "assets": report.assets,
            "removed": report.removed,
        }));
    }
    out.line(format!(
        "Unpacked {} into {}/ ({} and {}).",
        file.display(),
        folder_name(&dir),
        PROJECT_FILE,
        count(report.assets as u64, "asset", "assets"),
    ))?;
    if !report.removed.is_empty() {
        out.line(format!(
            "Removed {} the project no longer uses.",
            count(report.removed.len() as u64, "old asset", "old assets")
        ))?;
    }
    Ok(())
}

fn pack(out: &Out, dir: &Path, file: Option<PathBuf>) -> CliResult {
    let file = match file {
        Some(file) => file,
        None => {
            let name = dir
                .canonicalize()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .ok_or_else(|| CliError::Usage("name the .sb3 file to write".into()))?;
            dir.parent()
                .unwrap_or(Path::new("."))
                .join(format!("{name}.sb3"))
        }
    };
    let sb3 = folder::pack(dir).map_err(|e| sb3_error(dir, e))?;
    let bytes = sb3.to_bytes().map_err(|e| sb3_error(&file, e))?;
    std::fs::write(&file, &bytes).map_err(|e| CliError::file(&file, e))?;
    let errors = validate(&sb3).iter().filter(|d| d.is_error()).count();
    if out.is_json() {
        return out.json(&json!({
            "file": file.display().to_string(),
            "bytes": bytes.len(),
            "assets": sb3.assets.len(),
            "validation_errors": errors,
        }));
    }
    out.line(format!(
        "Packed {}/ into {} ({} bytes, {}).",
        folder_name(dir),
        file.display(),
        bytes.len(),
        count(sb3.assets.len() as u64, "asset", "assets")
    ))?;
    if errors > 0 {
        out.line(format!(
            "Note: {} — see `scratch project validate {}`.",
            count(errors as u64, "validation error", "validation errors"),
            file.display()
        ))?;
    }
    Ok(())
}

/// One finding, as `--json` prints it.
#[derive(Debug, Serialize)]
struct Finding {
    severity: &'static str,
    check: String,
    target: Option<String>,
    block: Option<String>,
    opcode: Option<String>,
    message: String,
}

fn check(out: &Out, file: &Path) -> CliResult {
    let (sb3, with_assets) = load(file)?;
    let found = if with_assets {
        validate(&sb3)
    } else {
        validate_project(&sb3.project)
    };
    let errors = found.iter().filter(|d| d.is_error()).count();
    if out.is_json() {
        let findings: Vec<Finding> = found
            .iter()
            .map(|d| Finding {
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                check: format!("{:?}", d.check),
                target: d.target.clone(),
                block: d.block.clone(),
                opcode: d.opcode.clone(),
                message: d.message.clone(),
            })
            .collect();
        out.json(
            &json!({ "file": file.display().to_string(), "errors": errors, "findings": findings }),
        )?;
    } else {
        for d in &found {
            out.line(d)?;
        }
        let warnings = found.len() - errors;
        let verdict = if found.is_empty() {
            format!("{}: no problems found.", file.display())
        } else {
            format!(
                "{}: {}, {}.",
                file.display(),
                count(errors as u64, "error", "errors"),
                count(warnings as u64, "warning", "warnings")
            )
        };
        out.line(verdict)?;
        if !with_assets {
            out.line("(a bare project.json: assets were not checked)")?;
        }
    }
    if errors > 0 {
        return Err(CliError::Invalid {
            path: file.display().to_string(),
            errors,
        });
    }
    Ok(())
}

fn changes(out: &Out, old: &Path, new: &Path) -> CliResult {
    let (a, _) = load(old)?;
    let (b, _) = load(new)?;
    let changes: Vec<String> = diff(&a, &b).iter().map(ToString::to_string).collect();
    if out.is_json() {
        return out.json(&json!({ "changes": changes }));
    }
    if changes.is_empty() {
        return out.line("No changes.");
    }
    for change in &changes {
        out.line(format!("  {change}"))?;
    }
    out.line(count(changes.len() as u64, "change", "changes"))
}
