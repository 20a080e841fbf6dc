//! `scratch account`: the logged-in account: profile text, featured project, avatar, profile
//! comments, country, email, password, email subscriptions, the Scratcher invite, and the
//! session's secrets for another tool.
//!
//! Passwords are never arguments: they come from `SCRATCH_PASSWORD` (the current one) and
//! `SCRATCH_NEW_PASSWORD`, or are asked for without echo.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use scratchkit::FeaturedLabel;
use scratchkit::secrecy::{ExposeSecret, SecretString};
use scratchkit_model::ProjectId;
use serde_json::json;

use crate::commands::Ctx;
use crate::commands::auth::{PASSWORD_ENV, secret};
use crate::commands::comment::done;
use crate::exit::{CliError, CliResult};

/// The variable holding the new password for `scratch account change-password`.
pub const NEW_PASSWORD_ENV: &str = "SCRATCH_NEW_PASSWORD";

/// `scratch account`.
#[derive(Debug, Args)]
pub struct AccountArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: AccountAction,
}

/// The `scratch account` actions.
#[derive(Debug, Subcommand)]
pub enum AccountAction {
    /// Set "About me" on your profile.
    #[command(after_help = "Examples:\n  scratch account set-bio \"I make platformers.\"")]
    SetBio {
        /// The new text (at most 200 characters).
        text: String,
    },
    /// Set "What I'm working on" on your profile.
    #[command(after_help = "Examples:\n  scratch account set-status \"A racing game\"")]
    SetStatus {
        /// The new text (at most 200 characters).
        text: String,
    },
    /// Set your country (as Scratch names it).
    #[command(after_help = "Examples:\n  scratch account set-country Germany")]
    SetCountry {
        /// The country.
        country: String,
    },
    /// Feature one of your projects on your profile, under a label.
    #[command(after_help = "\
Examples:
  scratch account set-featured 1000001
  scratch account set-featured 1000001 --label work-in-progress --json")]
    SetFeatured {
        /// The project ID.
        project: u64,
        /// The label shown above it.
        #[arg(long, value_enum, default_value_t = Label::FeaturedProject)]
        label: Label,
    },
    /// Set your profile picture from an image file (PNG, JPEG or GIF, at most 10 MB).
    #[command(after_help = "Examples:\n  scratch account set-avatar me.png")]
    SetAvatar {
        /// The image file.
        file: PathBuf,
    },
    /// Turn the comments on your profile off when they are on, and on when they are off.
    /// (Scratch only offers a toggle, and does not say which way it went.)
    #[command(after_help = "Examples:\n  scratch account toggle-comments")]
    ToggleComments,
    /// Change your password: the current one from SCRATCH_PASSWORD, the new one from
    /// SCRATCH_NEW_PASSWORD, or both asked for without echo.
    #[command(after_help = "\
Examples:
  scratch account change-password                          asks for both passwords
  SCRATCH_PASSWORD=… SCRATCH_NEW_PASSWORD=… scratch account change-password

Saved sessions stay logged in; the new password is not saved anywhere.")]
    ChangePassword,
    /// Change your email address (Scratch asks for your password: SCRATCH_PASSWORD, or a
    /// prompt without echo).
    #[command(after_help = "Examples:\n  scratch account change-email me@example.org")]
    ChangeEmail {
        /// The new address.
        email: String,
    },
    /// Choose the emails Scratch sends you. Scratch's form sets both at once: an email not
    /// named here is turned off.
    #[command(after_help = "\
Examples:
  scratch account subscriptions --activities            activity ideas on, teacher tips off
  scratch account subscriptions                         no emails at all")]
    Subscriptions {
        /// Receive activity ideas.
        #[arg(long)]
        activities: bool,
        /// Receive tips for teachers.
        #[arg(long)]
        teacher_tips: bool,
    },
    /// Check that a password is your account's (SCRATCH_PASSWORD, or a prompt without echo).
    /// Exit 0 when it is, 4 when it is not.
    #[command(after_help = "Examples:\n  scratch account verify-password")]
    VerifyPassword,
    /// Your pending Scratcher invite, or accept it with --accept.
    #[command(
        after_help = "Examples:\n  scratch account invite\n  scratch account invite --accept"
    )]
    Invite {
        /// Accept the invite: the account becomes a Scratcher.
        #[arg(long)]
        accept: bool,
    },
    /// The session id and X-Token of the login, for handing to another tool. Shown only with
    /// --reveal: anyone holding them is logged in as you.
    #[command(after_help = "\
Examples:
  scratch account secrets                  says what would be shown, shows nothing secret
  scratch account secrets --reveal --json  {\"username\", \"session_id\", \"x_token\"}

Anyone with the session id is logged in as you until you log out (`scratch logout`).")]
    Secrets {
        /// Print the secrets (without this flag nothing secret is printed).
        #[arg(long)]
        reveal: bool,
    },
}

/// The labels of a featured project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Label {
    /// "Featured Project".
    FeaturedProject,
    /// "Featured Tutorial".
    FeaturedTutorial,
    /// "Work In Progress".
    WorkInProgress,
    /// "Remix This!".
    RemixThis,
    /// "My Favorite Things".
    MyFavoriteThings,
    /// "Why I Scratch".
    WhyIScratch,
}

impl From<Label> for FeaturedLabel {
    fn from(label: Label) -> Self {
        match label {
            Label::FeaturedProject => FeaturedLabel::FeaturedProject,
            Label::FeaturedTutorial => FeaturedLabel::FeaturedTutorial,
            Label::WorkInProgress => FeaturedLabel::WorkInProgress,
            Label::RemixThis => FeaturedLabel::RemixThis,
            Label::MyFavoriteThings => FeaturedLabel::MyFavoriteThings,
            Label::WhyIScratch => FeaturedLabel::WhyIScratch,
        }
    }
}

/// Your current password: `SCRATCH_PASSWORD`, else asked for without echo.
///
/// # Errors
/// Neither the variable nor a terminal (exit 2).
pub fn current_password() -> CliResult<SecretString> {
    secret(PASSWORD_ENV, "Your password: ", "password")
}

/// The new password: `SCRATCH_NEW_PASSWORD`, else asked for twice without echo.
fn new_password() -> CliResult<SecretString> {
    if let Some(new) = crate::commands::auth::env_secret(NEW_PASSWORD_ENV) {
        return Ok(new);
    }
    let new = secret(NEW_PASSWORD_ENV, "New password: ", "new password")?;
    let again = secret(NEW_PASSWORD_ENV, "New password again: ", "new password")?;
    if new.expose_secret() != again.expose_secret() {
        return Err(CliError::Usage("the two new passwords differ".into()));
    }
    Ok(new)
}

/// Runs `scratch account`.
///
/// # Errors
/// No login (exit 4), a text or file Scratch refuses (2 or 1), no invite to accept (4), a wrong
/// password (4 for `verify-password`, 1 with Scratch's message otherwise), network (5).
pub async fn run(ctx: &Ctx, args: AccountArgs) -> CliResult {
    let me = ctx.ensure_login().await?;
    let account = ctx.client.me();
    match args.action {
        AccountAction::SetFeatured { project, label } => {
            let featured = account
                .set_featured_project(ProjectId(project), label.into())
                .await?;
            let name = match featured.featured_project_label_name.as_str() {
                "" => "Featured Project".to_owned(),
                name => name.to_owned(),
            };
            done(
                ctx,
                &serde_json::to_value(&featured)?,
                &format!("Project {project} is featured on your profile as \"{name}\"."),
            )
        }
        AccountAction::SetAvatar { file } => {
            let image = std::fs::read(&file).map_err(|e| CliError::file(&file, e))?;
            account.set_avatar(image).await?;
            done(
                ctx,
                &json!({"username": me.username, "avatar": file}),
                &format!("Your profile picture is now {}.", file.display()),
            )
        }
        AccountAction::ToggleComments => {
            account.toggle_profile_comments().await?;
            done(
                ctx,
                &json!({"username": me.username, "toggled": true}),
                "Toggled the comments on your profile (run it again to switch back).",
            )
        }
        AccountAction::ChangePassword => {
            let old = current_password()?;
            let new = new_password()?;
            account.change_password(&old, &new).await?;
            done(
                ctx,
                &json!({"username": me.username, "password_changed": true}),
                "Password changed.",
            )
        }
        AccountAction::ChangeEmail { email } => {
            let password = current_password()?;
            account.change_email(&email, &password).await?;
            done(
                ctx,
                &json!({"username": me.username, "email": email}),
                &format!("Email address changed to {email} (Scratch sends a confirmation)."),
            )
        }
        AccountAction::Subscriptions {
            activities,
            teacher_tips,
        } => {
            account
                .set_email_subscriptions(activities, teacher_tips)
                .await?;
            let on_off = |on: bool| if on { "on" } else { "off" };
            done(
                ctx,
                &json!({"activities": activities, "teacher_tips": teacher_tips}),
                &format!(
                    "Activity ideas {}, teacher tips {}.",
                    on_off(activities),
                    on_off(teacher_tips)
                ),
            )
        }
        AccountAction::VerifyPassword => {
            let password = current_password()?;
            let right = account.verify_password(&password).await?;
            if ctx.out.is_json() {
                ctx.out
                    .json(&json!({"username": me.username, "correct": right}))?;
            } else if right {
                ctx.out
                    .line(format!("That is {}'s password.", me.username))?;
            }
            if right {
                Ok(())
            } else {
                Err(CliError::WrongPassword(me.username))
            }
        }
        AccountAction::SetBio { text } => {
            account.set_bio(&text).await?;
            done(ctx, &json!({"bio": text}), "Updated \"About me\".")
        }
        AccountAction::SetStatus { text } => {
            account.set_status(&text).await?;
            done(
                ctx,
                &json!({"status": text}),
                "Updated \"What I'm working on\".",
            )
        }
        AccountAction::SetCountry { country } => {
            account.set_country(&country).await?;
            done(
                ctx,
                &json!({"country": country}),
                &format!("Country set to {country}."),
            )
        }
        AccountAction::Invite { accept: false } => {
            let invite = account.scratcher_invite().await?;
            if ctx.out.is_json() {
                return ctx.out.json(&json!({"invite": invite}));
            }
            match invite {
                Some(_) => ctx.out.line(
                    "You are invited to become a Scratcher: accept with `scratch account invite --accept`.",
                ),
                None => ctx.out.line("No pending Scratcher invite."),
            }
        }
        AccountAction::Invite { accept: true } => {
            account.accept_scratcher_invite().await?;
            done(
                ctx,
                &json!({"username": me.username, "scratcher": true}),
                &format!("{} is a Scratcher now.", me.username),
            )
        }
        AccountAction::Secrets { reveal } => {
            let secrets = ctx
                .client
                .session_secrets()
                .ok_or_else(|| CliError::NotLoggedIn("no login to read secrets from".into()))?;
            if !reveal {
                return ctx.out.line(format!(
                    "Logged in as {}. The session id and X-Token are not shown; add --reveal to \
                     print them (anyone holding them is logged in as you).",
                    secrets.username
                ));
            }
            let (session_id, x_token) = (
                secrets.session_id.expose_secret(),
                secrets.x_token.expose_secret(),
            );
            if ctx.out.is_json() {
                return ctx.out.json(&json!({
                    "username": secrets.username,
                    "session_id": session_id,
                    "x_token": x_token,
                }));
            }
            ctx.out.line(format!("username    {}", secrets.username))?;
            ctx.out.line(format!("session_id  {session_id}"))?;
            ctx.out.line(format!("x_token     {x_token}"))
        }
    }
}
