//! `scratch services`: Scratch's translate and text-to-speech services, and the cloud
//! server's health.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use scratchkit::Voice;
use serde_json::json;

use crate::commands::Ctx;
use crate::exit::{CliError, CliResult};
use crate::output::Table;

/// `scratch services`.
#[derive(Debug, Args)]
pub struct ServicesArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: ServicesAction,
}

/// The `scratch services` actions.
#[derive(Debug, Subcommand)]
pub enum ServicesAction {
    /// Translate text (the Translate extension's service).
    #[command(
        after_help = "Examples:\n  scratch services translate hello --to de\n  scratch services translate \"good game\" --to ja --json"
    )]
    Translate {
        /// The text.
        text: String,
        /// The language code (see `scratch services languages`).
        #[arg(long, value_name = "CODE")]
        to: String,
    },
    /// The languages the translate service knows.
    #[command(after_help = "Examples:\n  scratch services languages --json")]
    Languages,
    /// Speak text into an MP3 file (the Text to Speech extension's service).
    #[command(after_help = "\
Examples:
  scratch services speak \"Hello there\" -o hello.mp3
  scratch services speak \"Hallo\" --locale de-DE --voice giant -o giant.mp3

Voices: alto (female), tenor (male), squeak, giant, kitten; play the file at the rate printed.")]
    Speak {
        /// The text.
        text: String,
        /// The locale (en-US, de-DE, ja-JP…).
        #[arg(long, default_value = "en-US")]
        locale: String,
        /// The voice: alto, tenor, squeak, giant or kitten.
        #[arg(long, default_value = "alto")]
        voice: String,
        /// Where to write the MP3.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// The cloud server's health: uptime, load, Redis.
    #[command(after_help = "Examples:\n  scratch services cloud-status --json")]
    CloudStatus,
}

/// Runs `scratch services`.
///
/// # Errors
/// A language, locale or voice the service does not know (exit 2), a file that cannot be
/// written (1), network or server failures (5).
pub async fn run(ctx: &Ctx, args: ServicesArgs) -> CliResult {
    let services = ctx.client.services();
    let out = &ctx.out;
    match args.action {
        ServicesAction::Translate { text, to } => {
            let result = services.translate(&text, &to).await?;
            if out.is_json() {
                return out.json(&json!({"language": to, "text": text, "result": result}));
            }
            out.line(result)
        }
        ServicesAction::Languages => {
            let languages = services.languages().await?;
            if out.is_json() {
                return out.json(&languages);
            }
            let mut table = Table::new(&["Code", "Name"]);
            for l in &languages {
                table.row(vec![l.code.clone(), l.name.clone()]);
            }
            out.table(table)
        }
        ServicesAction::Speak {
            text,
            locale,
            voice,
            output,
        } => {
            let voice = voice_named(&voice)?;
            let speech = services.speak(&text, &locale, voice).await?;
            std::fs::write(&output, &speech.audio).map_err(|source| CliError::File {
                path: output.display().to_string(),
                source,
            })?;
            if out.is_json() {
                return out.json(&json!({
                    "path": output,
                    "bytes": speech.audio.len(),
                    "playback_rate": speech.playback_rate,
                }));
            }
            out.line(format!(
                "Wrote {} ({} bytes); play it at {}× speed.",
                output.display(),
                speech.audio.len(),
                speech.playback_rate
            ))
        }
        ServicesAction::CloudStatus => {
            let status = services.cloud_status().await?;
            if out.is_json() {
                return out.json(&status);
            }
            let redis = status.redis.map_or_else(
                || "unknown".to_owned(),
                |r| format!("connected {}, ready {}", r.connected, r.ready),
            );
            out.fields(&[
                (
                    "Uptime",
                    status
                        .uptime
                        .map_or_else(|| "unknown".into(), |u| format!("{u:.0} s")),
                ),
                (
                    "Load",
                    status
                        .load
                        .iter()
                        .map(|l| format!("{l:.2}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                ("Redis", redis),
            ])
        }
    }
}

/// The voice `--voice` names.
///
/// # Errors
/// An unknown name (a usage error).
pub(crate) fn voice_named(name: &str) -> CliResult<Voice> {
    Voice::from_name(name).ok_or_else(|| {
        CliError::Usage(format!(
            "unknown voice {name:?}: alto, tenor, squeak, giant or kitten"
        ))
    })
}
