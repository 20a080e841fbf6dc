//! `scratch cloud get|set|watch|logs <project>`: cloud variables on Scratch, TurboWarp
//! (`--turbowarp`) or a sandbox (`--sandbox`, `--sandbox-at`).

use std::collections::BTreeMap;
use std::time::Duration;

use clap::{Args, Subcommand};
use futures_util::StreamExt;
use scratchkit::cloud::{CloudEvent, CloudEvents, CloudSender};
use scratchkit::model::CloudLogEntry;
use serde_json::json;

use super::{Ctx, Site};
use crate::exit::{CliError, CliResult};
use crate::output::Table;

/// Which project's cloud, and how to reach it.
#[derive(Debug, Clone, Args)]
pub struct CloudTarget {
    /// The project ID (the cloud room).
    pub project: u64,

    /// Use TurboWarp's cloud (no login; the username is `--user` or `player<digits>`).
    #[arg(long)]
    pub turbowarp: bool,

    /// The username: on a sandbox, the demo account to log in as (demo password); with
    /// `--turbowarp`, the name to use. Otherwise the usual login applies (`scratch login`,
    /// `--account`, `SCRATCH_SESSION_ID`).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
}

/// Extra headers for the WebSocket handshake (`--header NAME:VALUE`, repeatable).
#[derive(Debug, Clone, Default, Args)]
pub struct HeaderArgs {
    /// Send one more header with the WebSocket handshake, as `NAME:VALUE` (repeatable): for
    /// servers that want a key or a bot's name.
    #[arg(long = "header", value_name = "NAME:VALUE", value_parser = parse_header)]
    pub headers: Vec<(String, String)>,
}

/// `NAME:VALUE` → (`NAME`, `VALUE`), both trimmed; the name must be a header token.
fn parse_header(text: &str) -> Result<(String, String), String> {
    let Some((name, value)) = text.split_once(':') else {
        return Err(format!("{text:?} is not NAME:VALUE"));
    };
    let name = name.trim();
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(format!("{name:?} is not a header name"));
    }
    let value = value.trim();
    if value.chars().any(|c| c.is_control()) {
        return Err(format!("the value of {name} has control characters"));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// `scratch cloud`.
#[derive(Debug, Args)]
pub struct CloudArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CloudAction,
}

/// The `scratch cloud` actions.
#[derive(Debug, Subcommand)]
pub enum CloudAction {
    /// Print the variables (or one of them).
    #[command(after_help = "\
Examples:
  scratch --sandbox cloud get 142
  scratch cloud get 1182391014 --turbowarp score
  scratch cloud get 5 --turbowarp --header \"X-Bot: scoreboard\"")]
    Get {
        #[command(flatten)]
        target: CloudTarget,
        #[command(flatten)]
        headers: HeaderArgs,
        /// Only this variable (with or without the cloud prefix).
        name: Option<String>,
    },
    /// Set a variable.
    #[command(after_help = "\
Examples:
  scratch --sandbox cloud set 142 score 100
  scratch cloud set 5 --turbowarp score 7 --header X-Bot:scoreboard")]
    Set {
        #[command(flatten)]
        target: CloudTarget,
        #[command(flatten)]
        headers: HeaderArgs,
        /// The variable (with or without the cloud prefix).
        name: String,
        /// The value (numbers only: digits, an optional `-` and `.`).
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    /// Print updates as they come, until Ctrl-C.
    #[command(after_help = "\
Examples:
  scratch cloud watch 1182391014 --turbowarp --json
  scratch cloud watch 142 --header \"X-Key: abc\"")]
    Watch {
        #[command(flatten)]
        target: CloudTarget,
        #[command(flatten)]
        headers: HeaderArgs,
    },
    /// The current values as the cloud log tells them (no login, no connection).
    #[command(
        after_help = "Examples:\n  scratch cloud values 142\n  scratch cloud values 142 --json"
    )]
    Values {
        /// The project ID.
        project: u64,
        /// How many log rows to read at most (newest first).
        #[arg(long, default_value_t = 1000)]
        depth: usize,
    },
    /// The cloud log: who set what and when (Scratch only).
    #[command(after_help = "\
Examples:
  scratch cloud logs 1182391014 --limit 10
  scratch cloud logs 1182391014 --follow --json      new rows as JSON lines, until Ctrl-C
  scratch cloud logs 1182391014 --all --max 500 --json")]
    Logs {
        #[command(flatten)]
        target: CloudTarget,
        /// Rows per page (1 to 100).
        #[arg(long, short = 'n', default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=100))]
        limit: u32,
        /// Rows to skip from the newest.
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// Keep polling and print new rows as they come.
        #[arg(long, conflicts_with = "all")]
        follow: bool,
        /// Every row of the log, newest first, 100 at a time (with `--json`: one JSON object
        /// per line).
        #[arg(long)]
        all: bool,
        /// With `--all`: stop after this many rows.
        #[arg(long, requires = "all", value_name = "N")]
        max: Option<usize>,
    },
}

/// How long `get` waits for the join snapshot after the last update arrived.
const SNAPSHOT_QUIET: Duration = Duration::from_millis(800);

/// Runs `scratch cloud …`.
///
/// # Errors
/// Login, connection, validation, request or output failures.
pub async fn run(ctx: &Ctx, args: CloudArgs) -> CliResult {
    match args.action {
        CloudAction::Values { project, depth } => {
            let values = ctx
                .client
                .cloud_logs(scratchkit::model::ProjectId(project))
                .max(depth)
                .values()
                .await?;
            if ctx.out.is_json() {
                return ctx.out.json(&values);
            }
            let mut table = Table::new(&["variable", "value"]);
            for (name, value) in values {
                table.row(vec![name, value.to_string()]);
            }
            ctx.out.table(table)
        }
        CloudAction::Logs {
            target,
            offset,
            all: true,
            max,
            ..
        } => {
            let mut request = ctx.client.cloud_logs(target.project).offset(offset);
            if let Some(max) = max {
                request = request.max(max);
            }
            let rows = request.stream();
            let mut rows = std::pin::pin!(rows);
            let mut table = log_table();
            while let Some(row) = rows.next().await {
                let row = row?;
                if ctx.out.is_json() {
                    ctx.out.json_line(&row)?;
                } else {
                    table.row(log_row(&row));
                }
            }
            if ctx.out.is_json() {
                return Ok(());
            }
            ctx.out.table(table)
        }
        CloudAction::Logs {
            target,
            limit,
            offset,
            follow,
            ..
        } => logs(ctx, target.project, limit, offset, follow).await,
        CloudAction::Get {
            target,
            headers,
            name,
        } => {
            let (sender, mut events) = connect(ctx, &target, &headers).await?;
            wait_for_snapshot(&mut events).await;
            let values: BTreeMap<String, String> = sender.values().into_iter().collect();
            sender.close();
            match name {
                Some(name) => {
                    let bare = scratchkit::cloud::strip_cloud_prefix(&name);
                    match values.get(bare) {
                        Some(value) if ctx.out.is_json() => ctx.out.json(&json!({ bare: value })),
                        Some(value) => ctx.out.line(value),
                        None => Err(CliError::Scratch(scratchkit::Error::InvalidInput {
                            what: "cloud variable",
                            reason: format!("{bare:?} has no known value"),
                        })),
                    }
                }
                None if ctx.out.is_json() => ctx.out.json(&values),
                None => {
                    let mut table = Table::new(&["variable", "value"]);
                    for (name, value) in values {
                        table.row(vec![name, value]);
                    }
                    ctx.out.table(table)
                }
            }
        }
        CloudAction::Set {
            target,
            headers,
            name,
            value,
        } => {
            let (sender, _events) = connect(ctx, &target, &headers).await?;
            sender.set(&name, &value)?;
            sender.flush().await?;
            sender.close();
            if ctx.out.is_json() {
                ctx.out.json(&json!({ "name": name, "value": value }))
            } else {
                ctx.out.line(format!("{name} = {value}"))
            }
        }
        CloudAction::Watch { target, headers } => {
            let (_sender, mut events) = connect(ctx, &target, &headers).await?;
            while let Some(event) = events.next().await {
                print_event(ctx, &event)?;
            }
            Ok(())
        }
    }
}

/// Opens the connection the flags ask for (with the extra headers), logging in first for
/// Scratch's rules.
pub(crate) async fn connect(
    ctx: &Ctx,
    target: &CloudTarget,
    headers: &HeaderArgs,
) -> CliResult<(CloudSender, CloudEvents)> {
    let client = &ctx.client;
    if target.turbowarp {
        let username = target
            .user
            .clone()
            .unwrap_or_else(|| format!("player{}", std::process::id() % 1_000_000));
        let mut builder = client.turbowarp_cloud(target.project, username);
        for (name, value) in &headers.headers {
            builder = builder.header(name, value);
        }
        return Ok(builder.await?);
    }
    if !client.is_logged_in() {
        log_in(ctx, target).await?;
    }
    let mut builder = client.cloud(target.project);
    for (name, value) in &headers.headers {
        builder = builder.header(name, value);
    }
    Ok(builder.await?)
}

/// Logs in for Scratch's rules. On a sandbox, `--user NAME` logs in as that demo account
/// with the demo password. Otherwise the common login path ([`Ctx::ensure_login`]:
/// `SCRATCH_SESSION_ID`, the saved session of `--account` or the default account); an
/// in-process sandbox (`--sandbox`) with neither `--user` nor `--account` uses griffpatch.
async fn log_in(ctx: &Ctx, target: &CloudTarget) -> CliResult {
    let client = &ctx.client;
    let demo_user = match (&target.user, ctx.site) {
        (Some(user), Site::Embedded | Site::SandboxAt(_)) => Some(user.as_str()),
        (None, Site::Embedded)
            if ctx.account.is_none()
                && crate::commands::auth::env_secret(crate::commands::auth::SESSION_ID_ENV)
                    .is_none() =>
        {
            Some("griffpatch")
        }
        _ => None,
    };
    if let Some(user) = demo_user {
        client
            .login(user, scratchkit_sandbox::DEMO_PASSWORD)
            .await?;
        return Ok(());
    }
    if target.user.is_some() && ctx.site == Site::Live {
        tracing::warn!("--user only picks a demo account on a sandbox; use --account");
    }
    ctx.ensure_login().await?;
    Ok(())
}

/// Waits until the join snapshot seems complete: the first updates, then a quiet moment.
async fn wait_for_snapshot(events: &mut CloudEvents) {
    let mut quiet = SNAPSHOT_QUIET * 2;
    while let Ok(Some(event)) = tokio::time::timeout(quiet, events.next()).await {
        if matches!(event, CloudEvent::Closed { .. }) {
            return;
        }
        quiet = SNAPSHOT_QUIET;
    }
}

fn print_event(ctx: &Ctx, event: &CloudEvent) -> CliResult {
    let out = &ctx.out;
    if out.is_json() {
        let doc = match event {
            CloudEvent::Set { name, value } => {
                json!({"event": "set", "name": name, "value": value})
            }
            CloudEvent::Create { name, value } => {
                json!({"event": "create", "name": name, "value": value})
            }
            CloudEvent::Delete { name } => json!({"event": "delete", "name": name}),
            CloudEvent::Rename { name, new_name } => {
                json!({"event": "rename", "name": name, "new_name": new_name})
            }
            CloudEvent::Connected => json!({"event": "connected"}),
            CloudEvent::Reconnected => json!({"event": "reconnected"}),
            CloudEvent::Reconnecting { attempt, delay } => json!({
                "event": "reconnecting", "attempt": attempt, "delay_ms": delay.as_millis()
            }),
            CloudEvent::Closed { reason } => {
                json!({"event": "closed", "reason": reason.to_string()})
            }
            _ => return Ok(()),
        };
        return out.json_line(&doc);
    }
    let line = match event {
        CloudEvent::Set { name, value } | CloudEvent::Create { name, value } => {
            format!("{} = {value}", out.bold(name))
        }
        CloudEvent::Delete { name } => format!("{} deleted", out.bold(name)),
        CloudEvent::Rename { name, new_name } => format!("{name} renamed to {new_name}"),
        CloudEvent::Connected => out.dim("connected"),
        CloudEvent::Reconnected => out.dim("reconnected"),
        CloudEvent::Reconnecting { attempt, delay } => out.dim(&format!(
            "connection lost; retry {attempt} in {} ms",
            delay.as_millis()
        )),
        CloudEvent::Closed { reason } => out.dim(&format!("closed: {reason}")),
        _ => return Ok(()),
    };
    out.line(line)
}

/// `scratch cloud logs`: one page, or new rows as they come (`--follow`).
async fn logs(ctx: &Ctx, project: u64, limit: u32, offset: u32, follow: bool) -> CliResult {
    let client = &ctx.client;
    if follow {
        let rows = client.cloud_logs(project).events().stream();
        let mut rows = std::pin::pin!(rows);
        while let Some(row) = rows.next().await {
            match row {
                Ok(row) => print_row(ctx, &row)?,
                Err(error) => tracing::warn!(%error, "cloud log poll failed"),
            }
        }
        return Ok(());
    }
    let page = client
        .cloud_logs(project)
        .limit(limit)
        .offset(offset)
        .await?;
    if ctx.out.is_json() {
        return ctx.out.json(&page.items);
    }
    let mut table = log_table();
    for row in &page.items {
        table.row(log_row(row));
    }
    ctx.out.table(table)?;
    if !page.is_last() {
        ctx.out
            .more_hint(&format!("--offset {}", page.next_offset()), false)?;
    }
    Ok(())
}

/// The table of cloud log rows (rows from [`log_row`]).
fn log_table() -> Table {
    Table::new(&["time", "user", "action", "variable", "value"])
}

fn log_row(row: &CloudLogEntry) -> Vec<String> {
    vec![
        row.timestamp.to_string(),
        row.user.clone(),
        row.verb.to_string(),
        row.variable().to_owned(),
        row.value.to_string(),
    ]
}

fn print_row(ctx: &Ctx, row: &CloudLogEntry) -> CliResult {
    if ctx.out.is_json() {
        return ctx.out.json_line(row);
    }
    ctx.out.line(format!(
        "{} {} {} {} = {}",
        ctx.out.dim(&row.timestamp.to_string()),
        row.user,
        row.verb,
        ctx.out.bold(row.variable()),
        row.value
    ))
}
