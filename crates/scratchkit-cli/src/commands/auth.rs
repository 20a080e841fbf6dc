//! `scratch login`, `scratch logout`, `scratch whoami`: sessions saved between commands.
//!
//! Secrets come from the environment (`SCRATCH_PASSWORD`, `SCRATCH_SESSION_ID`) or from a
//! prompt without echo; they are held in [`SecretString`]s and never printed.

use std::io::{BufRead, IsTerminal};

use clap::Args;
use secrecy::SecretString;
use serde_json::json;

use crate::accounts::Accounts;
use crate::commands::{Ctx, Site};
use crate::exit::{CliError, CliResult};
use crate::output::Table;

/// The variable holding a password for `scratch login` (CI).
pub const PASSWORD_ENV: &str = "SCRATCH_PASSWORD";
/// The variable holding a session id: used by every command instead of a saved session.
pub const SESSION_ID_ENV: &str = "SCRATCH_SESSION_ID";

/// `scratch login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The account (asked for when missing and stdin is a terminal; `--account` works too).
    pub username: Option<String>,

    /// Log in with a session id (the browser's `scratchsessionsid` cookie) instead of a
    /// password: taken from SCRATCH_SESSION_ID, or asked for without echo.
    #[arg(long)]
    pub session_id: bool,
}

/// `scratch logout`.
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The account to log out (default: `--account`, the default account, or the only one).
    pub username: Option<String>,
}

/// `scratch whoami`.
#[derive(Debug, Args)]
pub struct WhoamiArgs {
    /// Also list every saved account of this site.
    #[arg(long)]
    pub all: bool,
}

/// A secret from the environment, if set and not empty.
pub fn env_secret(name: &str) -> Option<SecretString> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(SecretString::from)
}

/// A secret from `env`, else asked for without echo on a terminal.
///
/// # Errors
/// Neither the variable nor a terminal (a usage error), an empty answer, a terminal failure.
pub(crate) fn secret(env: &str, prompt: &str, what: &str) -> CliResult<SecretString> {
    if let Some(value) = env_secret(env) {
        return Ok(value);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "no terminal to ask for the {what} on; set {env}"
        )));
    }
    let value = rpassword::prompt_password(prompt)?;
    if value.is_empty() {
        return Err(CliError::Usage(format!("no {what} given")));
    }
    Ok(SecretString::from(value))
}

/// The user name: the argument, `--account`, else asked for on a terminal.
fn username(arg: Option<String>, account: Option<&str>) -> CliResult<String> {
    if let Some(name) = arg.or_else(|| account.map(str::to_owned)) {
        return Ok(name);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "which account? give it: `scratch login USERNAME`".into(),
        ));
    }
    eprint!("Username: ");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let name = line.trim().to_owned();
    if name.is_empty() {
        return Err(CliError::Usage("no username given".into()));
    }
    Ok(name)
}

/// Logs in and saves the session (except on `--sandbox`, where it lasts this command only).
///
/// # Errors
/// No credentials to use (exit 2), a refused login (4), the session file cannot be written.
pub async fn login(ctx: &Ctx, args: LoginArgs) -> CliResult {
    let me = if args.session_id {
        let id = secret(
            SESSION_ID_ENV,
            "Session id (scratchsessionsid): ",
            "session id",
        )?;
        ctx.client.login_with_session_id(id).await?
    } else {
        let name = username(args.username, ctx.account.as_deref())?;
        let password = if ctx.site == Site::Embedded {
            // The in-process sandbox's accounts all share the demo password.
            env_secret(PASSWORD_ENV)
                .unwrap_or_else(|| SecretString::from(scratchkit_sandbox::DEMO_PASSWORD))
        } else {
            secret(PASSWORD_ENV, &format!("Password for {name}: "), "password")?
        };
        ctx.client.login(&name, password).await?
    };

    let saved = if ctx.site == Site::Embedded {
        None
    } else {
        let accounts = ctx.accounts()?;
        accounts.create_dir()?;
        let path = accounts.path_of(&me.username)?;
        ctx.client.save_session(&path)?;
        accounts.set_default(&me.username)?;
        Some(path)
    };

    let out = &ctx.out;
    if out.is_json() {
        return out.json(&json!({
            "username": me.username,
            "user_id": me.user_id,
            "session_file": saved,
            "default": saved.is_some(),
        }));
    }
    out.line(format!("Logged in as {}.", out.bold(&me.username)))?;
    match saved {
        Some(path) => out.line(out.dim(&format!(
            "  Session saved to {} (the default account now).",
            path.display()
        ))),
        None => out.line(
            out.dim("  In-process sandbox: the session ends with this command (nothing saved)."),
        ),
    }
}

/// Logs out: tells Scratch, then deletes the saved session.
///
/// # Errors
/// `--sandbox` (nothing saved: exit 2), no saved session (4), files that cannot be deleted.
pub async fn logout(ctx: &Ctx, args: LogoutArgs) -> CliResult {
    let accounts = ctx.accounts()?;
    let asked = args.username.as_deref().or(ctx.account.as_deref());
    let Some(name) = accounts.pick(asked) else {
        return Err(accounts.none_picked());
    };
    let path = accounts.path_of(&name)?;
    if !path.is_file() {
        return Err(CliError::NotLoggedIn(format!(
            "no saved session for {name}"
        )));
    }
    // End the session on Scratch too; a session it no longer knows is fine.
    let told = match ctx.client.restore_session(&path).await {
        Ok(_) => match ctx.client.logout().await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!("could not tell Scratch about the logout: {e}");
                false
            }
        },
        Err(e) => {
            tracing::debug!("the saved session could not be restored: {e}");
            false
        }
    };
    accounts.remove(&name)?;
    let out = &ctx.out;
    if out.is_json() {
        return out.json(&json!({"username": name, "logged_out": true, "server_told": told}));
    }
    out.line(format!("Logged out {}.", out.bold(&name)))?;
    out.line(out.dim(&format!("  Deleted {}.", path.display())))
}

/// Shows who the saved (or given) session belongs to, checked with Scratch.
///
/// # Errors
/// No login (exit 4), a session Scratch no longer accepts (4), network failures (5).
pub async fn whoami(ctx: &Ctx, args: WhoamiArgs) -> CliResult {
    let me = ctx.ensure_login().await?;
    let session = ctx.client.session().await?;
    let source = login_source(ctx, &me.username);
    let perms = session.permissions.as_ref();
    let kind = match perms {
        Some(p) if p.admin => "Scratch Team",
        Some(p) if p.educator => "teacher",
        Some(p) if p.student => "student",
        Some(p) if p.new_scratcher => "New Scratcher",
        Some(p) if p.scratcher => "Scratcher",
        _ => "",
    };
    let muted = perms.and_then(|p| p.mute_status.mute_expires_at);
    let saved: Vec<String> = match (args.all, ctx.accounts()) {
        (true, Ok(accounts)) => accounts.names(),
        _ => Vec::new(),
    };
    let default = ctx.accounts().ok().and_then(|a| a.default_name());

    let out = &ctx.out;
    if out.is_json() {
        let mut doc = json!({
            "username": me.username,
            "user_id": me.user_id,
            "kind": kind,
            "muted_until": muted,
            "source": source,
        });
        if args.all {
            doc["accounts"] = json!(saved);
            doc["default"] = json!(default);
        }
        return out.json(&doc);
    }
    out.title(&me.username, kind)?;
    out.fields(&[
        (
            "User ID",
            me.user_id.map(|id| id.to_string()).unwrap_or_default(),
        ),
        ("Session", source),
        (
            "Muted until",
            muted.map(|m| m.to_api_string()).unwrap_or_default(),
        ),
    ])?;
    if args.all {
        out.heading("Saved accounts")?;
        let mut table = Table::new(&["Account", "Default"]);
        for name in saved {
            let is_default = default.as_deref() == Some(name.as_str());
            table.row(vec![name, if is_default { "yes" } else { "" }.to_owned()]);
        }
        out.table(table)?;
    }
    Ok(())
}

/// Where the login of `ctx` came from, for people.
fn login_source(ctx: &Ctx, username: &str) -> String {
    if env_secret(SESSION_ID_ENV).is_some() {
        return format!("from {SESSION_ID_ENV}");
    }
    match ctx.site {
        Site::Embedded => "in-process sandbox (demo account)".to_owned(),
        Site::Live | Site::SandboxAt(_) => ctx
            .accounts()
            .and_then(|a: Accounts| a.path_of(username))
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    }
}
