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
    Get {
        #[command(flatten)]
        target: CloudTarget,
        /// Only this variable (with or without the cloud prefix).
        name: Option<String>,
    },
    /// Set a variable.
    Set {
        #[command(flatten)]
        target: CloudTarget,
        /// The variable (with or without the cloud prefix).
        name: String,
        /// The value (numbers only: digits, an optional `-` and `.`).
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    /// Print updates as they come, until Ctrl-C.
    Watch {
        #[command(flatten)]
        target: CloudTarget,
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
        #[arg(long)]
        follow: bool,
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
            limit,
            offset,
            follow,
        } => logs(ctx, target.project, limit, offset, follow).await,
        CloudAction::Get { target, name } => {
            let (sender, mut events) = connect(ctx, &target).await?;
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
            name,
            value,
        } => {
            let (sender, _events) = connect(ctx, &target).await?;
            sender.set(&name, &value)?;
            sender.flush().await?;
            sender.close();
            if ctx.out.is_json() {
                ctx.out.json(&json!({ "name": name, "value": value }))
            } else {
                ctx.out.line(format!("{name} = {value}"))
            }
        }
        CloudAction::Watch { target } => {
            let (_sender, mut events) = connect(ctx, &target).await?;
            while let Some(event) = events.next().await {
                print_event(ctx, &event)?;
            }
            Ok(())
        }
    }
}

/// Opens the connection the flags ask for, logging in first for Scratch's rules.
async fn connect(ctx: &Ctx, target: &CloudTarget) -> CliResult<(CloudSender, CloudEvents)> {
    let client = &ctx.client;
    if target.turbowarp {
        let username = target
            .user
            .clone()
            .unwrap_or_else(|| format!("player{}", std::process::id() % 1_000_000));
        return Ok(client.turbowarp_cloud(target.project, username).await?);
    }
    if !client.is_logged_in() {
        log_in(ctx, target).await?;
    }
    Ok(client.cloud(target.project).await?)
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
    let mut table = Table::new(&["time", "user", "action", "variable", "value"]);
    for row in &page.items {
        table.row(vec![
            row.timestamp.to_string(),
            row.user.clone(),
            row.verb.to_string(),
            row.variable().to_owned(),
            row.value.to_string(),
        ]);
    }
    ctx.out.table(table)?;
    if !page.is_last() {
        ctx.out
            .more_hint(&format!("--offset {}", page.next_offset()), false)?;
    }
    Ok(())
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
