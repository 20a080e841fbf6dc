//! `scratch backpack`: the items in your backpack, adding a file, and removing one.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use futures_util::StreamExt;
use scratchkit::NewBackpackItem;
use scratchkit_model::BackpackItemKind;
use serde_json::json;

use crate::commands::args::ListArgs;
use crate::commands::comment::done;
use crate::commands::{Ctx, show_list};
use crate::exit::{CliError, CliResult};

/// `scratch backpack`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackpackArgs {
    /// `delete` (default: list the items).
    #[command(subcommand)]
    pub action: Option<BackpackAction>,

    /// Which items.
    #[command(flatten)]
    pub list: ListArgs,
}

/// The `scratch backpack` actions.
#[derive(Debug, Subcommand)]
pub enum BackpackAction {
    /// Put a file in your backpack: a costume (svg, png, jpg, gif), a sound (wav, mp3), a
    /// sprite (sprite3) or a script (json: the blocks, as the editor stores them).
    #[command(after_help = "\
Examples:
  scratch backpack add cat.svg
  scratch backpack add meow.wav --name Meow --json
  scratch backpack add hero.sprite3 --thumbnail hero.jpg")]
    Add {
        /// The file.
        file: PathBuf,
        /// The name shown in the backpack (default: the file's name without its extension).
        #[arg(long)]
        name: Option<String>,
        /// A JPEG shown in the backpack (default: none).
        #[arg(long, value_name = "FILE")]
        thumbnail: Option<PathBuf>,
    },
    /// Save an item of your backpack to a file (its content: the costume, sound, sprite or
    /// script JSON).
    #[command(after_help = "\
Examples:
  scratch backpack download 6b1d2a3c-…                 writes the item's file name here
  scratch backpack download 6b1d2a3c-… -o cat.svg")]
    Download {
        /// The item's ID (the first column of `scratch backpack`).
        id: String,
        /// Where to write it (default: the item's file name, in the current directory).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Remove an item from your backpack.
    #[command(after_help = "Examples:\n  scratch backpack delete 6b1d2a3c-…")]
    Delete {
        /// The item's ID (the first column of `scratch backpack`).
        id: String,
    },
}

/// Lists your backpack, or removes an item.
///
/// # Errors
/// No login (exit 4), a malformed ID (2), network or server failures (5).
pub async fn run(ctx: &Ctx, args: BackpackArgs) -> CliResult {
    ctx.ensure_login().await?;
    match args.action {
        None => show_list!(ctx, ctx.client.me().backpack(), args.list),
        Some(BackpackAction::Add {
            file,
            name,
            thumbnail,
        }) => {
            let item = new_item(&file, name, thumbnail.as_deref())?;
            let stored = ctx.client.me().add_to_backpack(&item).await?;
            done(
                ctx,
                &serde_json::to_value(&stored)?,
                &format!(
                    "Added {} to your backpack as {} {:?} (ID {}).",
                    file.display(),
                    stored.kind,
                    stored.name,
                    stored.id
                ),
            )
        }
        Some(BackpackAction::Download { id, output }) => {
            let items = ctx.client.me().backpack().stream();
            let mut items = std::pin::pin!(items);
            let mut found = None;
            while let Some(item) = items.next().await {
                let item = item?;
                if item.id == id {
                    found = Some(item);
                    break;
                }
            }
            let Some(item) = found else {
                return Err(CliError::Missing(format!(
                    "no item {id} in your backpack (see `scratch backpack`)"
                )));
            };
            let data = ctx.client.me().download_backpack_item(&item).await?;
            let path = output.unwrap_or_else(|| PathBuf::from(&item.body));
            std::fs::write(&path, &data).map_err(|e| CliError::file(&path, e))?;
            done(
                ctx,
                &json!({"id": id, "file": path, "bytes": data.len()}),
                &format!("Wrote {} ({} bytes).", path.display(), data.len()),
            )
        }
        Some(BackpackAction::Delete { id }) => {
            ctx.client.me().delete_from_backpack(&id).await?;
            done(
                ctx,
                &json!({"deleted": id}),
                &format!("Removed {id} from your backpack."),
            )
        }
    }
}

/// The kind and MIME type of a file, from its extension.
pub(crate) fn kind_of(file: &Path) -> CliResult<(BackpackItemKind, &'static str)> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    Ok(match ext.as_str() {
        "svg" => (BackpackItemKind::Costume, "image/svg+xml"),
        "png" => (BackpackItemKind::Costume, "image/png"),
        "jpg" | "jpeg" => (BackpackItemKind::Costume, "image/jpeg"),
        "gif" => (BackpackItemKind::Costume, "image/gif"),
        "wav" => (BackpackItemKind::Sound, "audio/x-wav"),
        "mp3" => (BackpackItemKind::Sound, "audio/mpeg"),
        "sprite3" => (BackpackItemKind::Sprite, "application/zip"),
        "json" => (BackpackItemKind::Script, "application/json"),
        _ => {
            return Err(CliError::Usage(format!(
                "{}: the backpack takes svg, png, jpg, gif, wav, mp3, sprite3 or json files",
                file.display()
            )));
        }
    })
}

/// The item `scratch backpack add` sends.
fn new_item(
    file: &Path,
    name: Option<String>,
    thumbnail: Option<&Path>,
) -> CliResult<NewBackpackItem> {
    let (kind, mime) = kind_of(file)?;
    let body = std::fs::read(file).map_err(|e| CliError::file(file, e))?;
    if kind == BackpackItemKind::Script {
        serde_json::from_slice::<serde_json::Value>(&body).map_err(|e| {
            CliError::Usage(format!("{}: a script must be JSON: {e}", file.display()))
        })?;
    }
    let thumbnail = match thumbnail {
        Some(path) => std::fs::read(path).map_err(|e| CliError::file(path, e))?,
        None => Vec::new(),
    };
    let name = name.unwrap_or_else(|| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "item".to_owned())
    });
    Ok(NewBackpackItem::new(kind, mime, name, body, thumbnail))
}
