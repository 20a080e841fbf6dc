//! `scratch cloud-requests`: scratchattach's Cloud Requests from the command line: the
//! Encoding (`encode`, `decode`) and a ready host serving Cloud Storage (`storage`).

use clap::{Args, Subcommand};
use scratchkit_cloud_requests::{CloudRequests, CloudStorage, Encoding, RequestEvent, Unknown};
use serde_json::{Value, json};

use crate::commands::Ctx;
use crate::commands::cloud::{CloudTarget, HeaderArgs, connect};
use crate::exit::CliResult;
use crate::output::Out;

/// `scratch cloud-requests`.
#[derive(Debug, Args)]
pub struct CloudRequestsArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CloudRequestsAction,
}

/// The `scratch cloud-requests` actions.
#[derive(Debug, Subcommand)]
pub enum CloudRequestsAction {
    /// Encode text as the digits a cloud variable holds (two digits per character,
    /// scratchattach's Encoding). Characters it cannot represent become spaces (reported on
    /// stderr), or an error with --strict.
    #[command(after_help = "\
Examples:
  scratch cloud-requests encode hello                     3529434349
  scratch cloud-requests encode --list alice bob --json   {\"digits\": …, \"replaced\": []}")]
    Encode {
        /// The text (with --list: each item).
        #[arg(required = true)]
        text: Vec<String>,
        /// Encode the items as a list (each followed by 89, the template's separator).
        #[arg(long)]
        list: bool,
        /// Refuse characters the Encoding lacks instead of turning them into spaces (exit 2).
        #[arg(long)]
        strict: bool,
    },
    /// Decode the digits of a cloud variable back into text.
    #[command(after_help = "\
Examples:
  scratch cloud-requests decode 3529434349                hello
  scratch cloud-requests decode 212389252789 --list --json  [\"ab\", \"cd\"]")]
    Decode {
        /// The digits.
        digits: String,
        /// Split into list items at each 89.
        #[arg(long)]
        list: bool,
    },
    /// Run a Cloud Requests host with Cloud Storage (the requests `ping`, `get`, `set`,
    /// `keys`, `database_names` of scratchattach's storage template) on a project's cloud,
    /// until Ctrl-C. Prints what it serves (JSON lines with --json).
    #[command(after_help = "\
Examples:
  scratch cloud-requests storage 1182391014 --db scores --db names --data storage.json
  scratch --sandbox-at 127.0.0.1:8007 cloud-requests storage 5 --turbowarp --user host --db scores

Without --data the databases live in memory and are lost at exit. With it they are saved
after every `set`, and again on exit.")]
    Storage {
        #[command(flatten)]
        target: CloudTarget,
        #[command(flatten)]
        headers: HeaderArgs,
        /// A database to serve (repeatable; those already in the --data file are served too).
        #[arg(long = "db", value_name = "NAME", required = true)]
        databases: Vec<String>,
        /// The JSON file that keeps the databases (created when missing).
        #[arg(long, value_name = "FILE")]
        data: Option<std::path::PathBuf>,
    },
}

/// Runs `scratch cloud-requests encode` and `decode` (offline).
///
/// # Errors
/// A character the Encoding lacks with `--strict`, or digits that do not decode (exit 2).
pub fn run_offline(out: &Out, action: CloudRequestsAction) -> CliResult {
    match action {
        CloudRequestsAction::Encode { text, list, strict } => {
            let encoded = if list {
                if strict && let Some(bad) = text.iter().find(|t| !Encoding::supports(t)) {
                    Encoding::encode_with(bad, Unknown::Error)?;
                }
                Encoding::encode_list(&text)
            } else {
                let text = text.join(" ");
                let unknown = if strict {
                    Unknown::Error
                } else {
                    Unknown::Space
                };
                Encoding::encode_with(&text, unknown)?
            };
            if out.is_json() {
                return out.json(&json!({
                    "digits": encoded.digits,
                    "replaced": encoded.replaced.iter().map(char::to_string).collect::<Vec<_>>(),
                }));
            }
            if !encoded.is_lossless() {
                let lost: String = encoded.replaced.iter().collect();
                eprintln!("note: the Encoding has no code for {lost:?}: sent as spaces");
            }
            out.line(encoded.digits)
        }
        CloudRequestsAction::Decode { digits, list } => {
            let digits = digits.trim();
            if list {
                let items = Encoding::decode_list(digits)?;
                if out.is_json() {
                    return out.json(&items);
                }
                items.iter().try_for_each(|item| out.line(item))
            } else {
                let text = Encoding::decode(digits)?;
                if out.is_json() {
                    return out.json(&json!({ "text": text }));
                }
                out.line(text)
            }
        }
        CloudRequestsAction::Storage { .. } => Ok(()),
    }
}

/// Runs `scratch cloud-requests`: the offline actions, or the storage host.
///
/// # Errors
/// As [`run_offline`]; for `storage`: an unreadable `--data` file (exit 1), the cloud login
/// or connection (4, 5), a failed final save (1).
pub async fn run(ctx: &Ctx, args: CloudRequestsArgs) -> CliResult {
    let CloudRequestsAction::Storage {
        target,
        headers,
        databases,
        data,
    } = args.action
    else {
        return run_offline(&ctx.out, args.action);
    };
    let storage = match &data {
        Some(path) => CloudStorage::open(path, databases)?,
        None => CloudStorage::in_memory(databases),
    };
    let (sender, events) = connect(ctx, &target, &headers).await?;
    let (host, mut events) = storage.install(CloudRequests::new(sender, events)).start();
    let out = &ctx.out;
    if !out.is_json() {
        out.line(format!(
            "Serving Cloud Storage ({}) on project {}'s cloud; Ctrl-C stops.",
            storage.database_names().join(", "),
            target.project
        ))?;
    }
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Some(event) => print_event(out, &event)?,
                None => break,
            },
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    host.shutdown().await;
    storage.save().await?;
    Ok(())
}

/// One event of the host: a JSON line, or a line for people.
fn print_event(out: &Out, event: &RequestEvent) -> CliResult {
    let (doc, line): (Value, String) = match event {
        RequestEvent::Ready => (json!({"event": "ready"}), "ready".to_owned()),
        RequestEvent::Received { id, name, args } => (
            json!({"event": "received", "id": id, "name": name, "args": args}),
            format!("{id} {name}({})", args.join(", ")),
        ),
        RequestEvent::Replied {
            id, name, packets, ..
        } => (
            json!({"event": "replied", "id": id, "name": name, "packets": packets}),
            format!("{id} {name}: replied in {packets} packet(s)"),
        ),
        RequestEvent::UnknownRequest { id, name } => (
            json!({"event": "unknown_request", "id": id, "name": name}),
            format!("{id} {name}: no such request"),
        ),
        RequestEvent::HandlerError { id, name, error } => (
            json!({"event": "handler_error", "id": id, "name": name, "error": error}),
            format!("{id} {name}: failed: {error}"),
        ),
        other => {
            let text = format!("{other:?}");
            (json!({"event": "other", "detail": text}), text)
        }
    };
    if out.is_json() {
        out.json_line(&doc)
    } else {
        out.line(line)
    }
}
