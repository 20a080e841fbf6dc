//! `scratch session decode`: what a session id says (who, since when), read offline.
//!
//! The session id is a secret (whoever holds it is logged in), so it never comes from the
//! command line (shell history, `ps`): it is read from `SCRATCH_SESSION_ID`, asked for without
//! echo on a terminal, or read from stdin. Only the non-secret fields are printed unless
//! `--reveal` asks for the X-Token as well.

use std::io::{BufRead, IsTerminal};

use clap::{Args, Subcommand};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use crate::commands::auth::{SESSION_ID_ENV, env_secret, secret};
use crate::exit::{CliError, CliResult};
use crate::output::{Out, date};

/// `scratch session`.
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: SessionAction,
}

/// The `scratch session` actions.
#[derive(Debug, Subcommand)]
pub enum SessionAction {
    /// Decode a session id (the browser's `scratchsessionsid` cookie) offline: the account,
    /// its user id, the login time and language. Nothing is sent anywhere.
    #[command(after_help = "\
Examples:
  scratch session decode                         asks for the session id without echo
  SCRATCH_SESSION_ID=… scratch session decode --json
  pass show scratch/sessionid | scratch session decode

The session id is read from SCRATCH_SESSION_ID, a prompt, or stdin, never from the command
line. The X-Token it holds is a secret too: it is printed only with --reveal.")]
    Decode {
        /// Also print the X-Token the session id holds (anyone holding it can act as you).
        #[arg(long)]
        reveal: bool,
    },
}

/// Runs `scratch session`.
///
/// # Errors
/// No session id to read (exit 2), a session id that does not decode (2).
pub fn run(out: &Out, args: SessionArgs) -> CliResult {
    match args.action {
        SessionAction::Decode { reveal } => decode(out, &read_session_id()?, reveal),
    }
}

/// The session id: `SCRATCH_SESSION_ID`, a prompt on a terminal, else the first line of stdin.
fn read_session_id() -> CliResult<SecretString> {
    if let Some(id) = env_secret(SESSION_ID_ENV) {
        return Ok(id);
    }
    if std::io::stdin().is_terminal() {
        return secret(
            SESSION_ID_ENV,
            "Session id (scratchsessionsid): ",
            "session id",
        );
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let id = line.trim();
    if id.is_empty() {
        return Err(CliError::Usage(format!(
            "no session id: set {SESSION_ID_ENV}, or give it on stdin"
        )));
    }
    Ok(SecretString::from(id.to_owned()))
}

/// Prints what `session_id` holds.
fn decode(out: &Out, session_id: &SecretString, reveal: bool) -> CliResult {
    let info = scratchkit::decode_session_id(session_id.expose_secret())?;
    let x_token = reveal.then(|| info.x_token.expose_secret().to_owned());
    if out.is_json() {
        let mut doc = json!({
            "username": info.username,
            "user_id": info.user_id,
            "login_time": info.login_time,
            "language": info.language,
        });
        if let Some(token) = x_token {
            doc["x_token"] = token.into();
        }
        return out.json(&doc);
    }
    out.title(&info.username, "decoded offline")?;
    let mut fields = vec![
        ("User ID", info.user_id.to_string()),
        ("Logged in", date(info.login_time)),
        ("Language", info.language.clone().unwrap_or_default()),
    ];
    match x_token {
        Some(token) => fields.push(("X-Token", token)),
        None => fields.push(("X-Token", "(hidden; --reveal prints it)".to_owned())),
    }
    out.fields(&fields)
}
