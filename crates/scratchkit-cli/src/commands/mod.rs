//! The commands, and what they share: the [`Ctx`] (client + output) and list printing.

pub mod account;
pub mod args;
pub mod auth;
pub mod backpack;
pub mod classroom;
pub mod cloud;
pub mod cloud_requests;
pub mod cloud_server;
pub mod comment;
pub mod completions;
pub mod explore;
pub mod feed;
pub mod follow;
pub mod forum;
pub mod messages;
pub mod mystuff;
pub mod news;
pub mod project;
pub mod project_file;
pub mod project_local;
pub mod sandbox;
pub mod search;
pub mod services;
pub mod session;
pub mod site;
pub mod studio;
pub mod user;

use futures_util::{Stream, StreamExt};
use scratchkit::{Client, Me, Page};
use secrecy::SecretString;
use serde::Serialize;

use crate::accounts::Accounts;
use crate::cli::{Cli, Command};
use crate::embedded::{self, Embedded};
use crate::exit::{CliError, CliResult};
use crate::output::Out;
use crate::rows::{Tabular, table_of};

/// What every command works with: a client (live site or sandbox), the output, and where
/// its login comes from.
#[derive(Debug)]
pub struct Ctx {
    /// The client to use.
    pub client: Client,
    /// Where results go.
    pub out: Out,
    /// Which site the client talks to.
    pub site: Site,
    /// The account asked for (`--account` / `SCRATCH_ACCOUNT`).
    pub account: Option<String>,
    /// The in-process sandbox behind `--sandbox` (kept alive while the command runs).
    _sandbox: Option<Embedded>,
}

/// The site a command talks to; saved sessions are kept apart per site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// scratch.mit.edu.
    Live,
    /// A sandbox started by this process (`--sandbox`): nothing is saved.
    Embedded,
    /// A sandbox running at this address (`--sandbox-at`).
    SandboxAt(std::net::SocketAddr),
}

impl Ctx {
    /// The context the global flags ask for: the live site, an in-process sandbox
    /// (`--sandbox`) or a running one (`--sandbox-at`).
    ///
    /// # Errors
    /// The sandbox could not start, or the client could not be built.
    pub async fn from_cli(cli: &Cli, out: Out) -> CliResult<Self> {
        let ua = cli.user_agent.as_deref();
        let account = cli.account.clone();
        if cli.sandbox {
            let sandbox = embedded::start(ua).await?;
            return Ok(Self {
                client: sandbox.client.clone(),
                out,
                site: Site::Embedded,
                account,
                _sandbox: Some(sandbox),
            });
        }
        let (client, site) = match cli.sandbox_at {
            Some(addr) => (embedded::sandbox_client(addr, ua)?, Site::SandboxAt(addr)),
            None => (embedded::live_client(ua)?, Site::Live),
        };
        Ok(Self {
            client,
            out,
            site,
            account,
            _sandbox: None,
        })
    }

    /// A context around an existing client (the demo's embedded sandbox).
    pub fn with_client(client: Client, out: Out) -> Self {
        Self {
            client,
            out,
            site: Site::Embedded,
            account: None,
            _sandbox: None,
        }
    }

    /// The saved accounts of this context's site.
    ///
    /// # Errors
    /// `--sandbox` (an in-process sandbox keeps no sessions: a usage error), or no config
    /// directory.
    pub fn accounts(&self) -> CliResult<Accounts> {
        let sandbox = match self.site {
            Site::Live => None,
            Site::SandboxAt(addr) => Some(addr),
            Site::Embedded => {
                return Err(CliError::Usage(
                    "an in-process sandbox (--sandbox) keeps no saved sessions; use \
                     `scratch sandbox` and --sandbox-at ADDR"
                        .into(),
                ));
            }
        };
        Ok(Accounts::under(&crate::accounts::config_dir()?, sandbox))
    }

    /// Makes sure the client is logged in, and says as whom. In order: a login this process
    /// already made; `SCRATCH_SESSION_ID`; with `--sandbox`, the demo account named by
    /// `--account` (demo password, or `SCRATCH_PASSWORD`); else the saved session of
    /// `--account`, the default account, or the only saved one.
    ///
    /// # Errors
    /// [`CliError::NotLoggedIn`] when there is no login to use (exit 4); a saved session that
    /// cannot be read or decoded; a rejected login.
    pub async fn ensure_login(&self) -> CliResult<Me> {
        if let Some(me) = self.client.logged_in_as() {
            return Ok(me);
        }
        if let Some(id) = crate::commands::auth::env_secret(crate::commands::auth::SESSION_ID_ENV) {
            return Ok(self.client.login_with_session_id(id).await?);
        }
        if self.site == Site::Embedded {
            let Some(name) = &self.account else {
                return Err(CliError::NotLoggedIn(
                    "with --sandbox, pick a demo account with --account NAME (for example \
                     --account griffpatch)"
                        .into(),
                ));
            };
            let password = crate::commands::auth::env_secret(crate::commands::auth::PASSWORD_ENV)
                .unwrap_or_else(|| SecretString::from(scratchkit_sandbox::DEMO_PASSWORD));
            return Ok(self.client.login(name, password).await?);
        }
        let accounts = self.accounts()?;
        let Some(name) = accounts.pick(self.account.as_deref()) else {
            return Err(accounts.none_picked());
        };
        let path = accounts.path_of(&name)?;
        if !path.is_file() {
            return Err(CliError::NotLoggedIn(format!(
                "no saved session for {name} ({} does not exist)",
                path.display()
            )));
        }
        Ok(self.client.restore_session(&path).await?)
    }
}

impl Ctx {
    /// Logs in when a login is at hand (as [`Ctx::ensure_login`]) and carries on logged out
    /// when there is none: for reads whose answer depends on who asks (an owner's unshared
    /// project, a manager's or teacher's view), which must still work for everyone else.
    ///
    /// # Errors
    /// A login that exists but fails (an unreadable session file, a rejected session); having
    /// no login is not an error.
    pub async fn login_if_available(&self) -> CliResult<Option<Me>> {
        match self.ensure_login().await {
            Ok(me) => Ok(Some(me)),
            Err(CliError::NotLoggedIn(_)) => Ok(None),
            // No place for saved sessions (`--sandbox`, no config directory): read logged out.
            Err(CliError::Usage(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Runs the command line.
///
/// # Errors
/// Whatever the command fails with.
pub async fn run(cli: Cli) -> CliResult {
    let out = Out::from_env(cli.json);
    match cli.command {
        Command::Sandbox(args) => return sandbox::run(out, args).await,
        Command::CloudServer(args) => return cloud_server::run(out, args).await,
        Command::Demo => return crate::demo::run(out, cli.user_agent.as_deref()).await,
        Command::Completions(args) => return completions::run(&args),
        Command::Session(args) => return session::run(&out, args),
        _ => {}
    }
    let ctx = Ctx::from_cli(&cli, out).await?;
    match cli.command {
        Command::User(args) => user::run(&ctx, args).await,
        Command::Project(args) => project::run(&ctx, args).await,
        Command::Studio(args) => studio::run(&ctx, args).await,
        Command::News(args) => news::run(&ctx, args).await,
        Command::Explore(args) => explore::run(&ctx, args).await,
        Command::Search(args) => search::run(&ctx, args).await,
        Command::Login(args) => auth::login(&ctx, args).await,
        Command::Logout(args) => auth::logout(&ctx, args).await,
        Command::Whoami(args) => auth::whoami(&ctx, args).await,
        Command::Comment(args) => comment::run(&ctx, args).await,
        Command::Follow(args) => follow::run(&ctx, args, true).await,
        Command::Unfollow(args) => follow::run(&ctx, args, false).await,
        Command::Messages(args) => messages::run(&ctx, args).await,
        Command::Feed(args) => feed::run(&ctx, args).await,
        Command::MyStuff(args) => mystuff::run(&ctx, args).await,
        Command::Backpack(args) => backpack::run(&ctx, args).await,
        Command::Frontpage => site::frontpage(&ctx).await,
        Command::Stats(args) => site::stats(&ctx, args).await,
        Command::Health => site::health(&ctx).await,
        Command::CheckUsername(args) => site::check_username(&ctx, args).await,
        Command::CheckPassword => site::check_password(&ctx).await,
        Command::Forum(args) => forum::run(&ctx, args).await,
        Command::Classroom(args) => classroom::run(&ctx, args).await,
        Command::Cloud(args) => cloud::run(&ctx, args).await,
        Command::CloudRequests(args) => cloud_requests::run(&ctx, args).await,
        Command::Account(args) => account::run(&ctx, args).await,
        Command::Services(args) => services::run(&ctx, args).await,
        Command::Sandbox(_)
        | Command::CloudServer(_)
        | Command::Demo
        | Command::Completions(_)
        | Command::Session(_) => Ok(()),
    }
}

/// A list shown under a resource (a user's projects, a studio's curators…).
#[derive(Debug)]
pub struct Listing {
    /// Its key in the JSON document.
    pub key: &'static str,
    /// Its heading for people.
    pub title: &'static str,
    /// The items as JSON.
    pub json: serde_json::Value,
    /// The items as a table.
    pub table: crate::output::Table,
    /// The offset of the next page, when this page was full.
    pub more: Option<u32>,
}

impl Listing {
    /// A listing of one page.
    ///
    /// # Errors
    /// An item could not be encoded as JSON.
    pub fn new<T: Serialize + Tabular>(
        key: &'static str,
        title: &'static str,
        page: &Page<T>,
    ) -> CliResult<Self> {
        Ok(Self {
            key,
            title,
            json: serde_json::to_value(&page.items)?,
            table: table_of(&page.items),
            more: (!page.is_last()).then(|| page.next_offset()),
        })
    }
}

/// Prints a resource and its listings: JSON `resource` alone when there are no listings, else
/// `{"<name>": resource, "<key>": [...], …}`; for people, `card` then one table per listing.
///
/// # Errors
/// Output or JSON failures, or whatever `card` fails with.
pub fn show_resource<T: Serialize>(
    out: &Out,
    name: &str,
    resource: &T,
    listings: Vec<Listing>,
    card: impl FnOnce(&Out) -> CliResult,
) -> CliResult {
    if out.is_json() {
        if listings.is_empty() {
            return out.json(resource);
        }
        let mut doc = serde_json::Map::new();
        doc.insert(name.to_owned(), serde_json::to_value(resource)?);
        for listing in listings {
            doc.insert(listing.key.to_owned(), listing.json);
        }
        return out.json(&doc);
    }
    card(out)?;
    for listing in listings {
        out.heading(listing.title)?;
        out.table(listing.table)?;
        if let Some(next) = listing.more {
            out.more_hint(&format!("--offset {next}"), false)?;
        }
    }
    Ok(())
}

/// Prints one page of a list: a JSON array, or a table (with a hint when more follow).
///
/// # Errors
/// Output or JSON failures.
pub fn show_page<T: Serialize + Tabular>(out: &Out, page: &Page<T>) -> CliResult {
    if out.is_json() {
        return out.json(&page.items);
    }
    out.table(table_of(&page.items))?;
    if !page.is_last() {
        out.more_hint(&format!("--offset {}", page.next_offset()), false)?;
    }
    Ok(())
}

/// Prints a whole stream: JSON lines as items arrive, or one table at the end (with a
/// spinner on a terminal meanwhile).
///
/// # Errors
/// The first error of the stream (items before it are printed in JSON mode), or output
/// failures.
pub async fn show_stream<T, S>(out: &Out, stream: S, max: Option<usize>) -> CliResult
where
    T: Serialize + Tabular,
    S: Stream<Item = scratchkit::Result<T>>,
{
    let mut stream = std::pin::pin!(stream);
    if out.is_json() {
        while let Some(item) = stream.next().await {
            out.json_line(&item?)?;
        }
        return Ok(());
    }
    // A bar when the number of items is known (`--max`), else a spinner; only on a terminal.
    let spinner = match max {
        Some(max) => {
            let bar = project_file::progress_bar(out, "{spinner} {msg} [{bar:30}] {pos}/{len}");
            bar.set_length(max as u64);
            bar
        }
        None => project_file::progress_bar(out, "{spinner} {msg}"),
    };
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => {
                items.push(item);
                spinner.set_position(items.len() as u64);
                spinner.set_message(format!("{} fetched", items.len()));
            }
            Err(e) => {
                spinner.finish_and_clear();
                return Err(e.into());
            }
        }
    }
    spinner.finish_and_clear();
    out.table(table_of(&items))?;
    out.line(out.dim(&format!("  {} in all", items.len())))
}

/// The one list flag that `--all` streams, out of `(given, flag)` pairs.
///
/// # Errors
/// None or more than one given: a usage error naming the flags.
pub fn one_list<'a>(flags: &[(bool, &'a str)]) -> CliResult<&'a str> {
    let given: Vec<&str> = flags
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, f)| *f)
        .collect();
    match given.as_slice() {
        [one] => Ok(one),
        _ => Err(CliError::Usage(format!(
            "--all streams one list: give exactly one of {} (got {})",
            flags.iter().map(|(_, f)| *f).collect::<Vec<_>>().join(", "),
            if given.is_empty() {
                "none".to_owned()
            } else {
                given.join(" ")
            }
        ))),
    }
}

/// Shows a list request as the [`ListArgs`](crate::commands::args::ListArgs) ask: one page, or every item (`--all`).
///
/// Works with any of the client's list builders (they share `limit`, `offset`, `max`,
/// `stream` and `IntoFuture`), hence a macro.
macro_rules! show_list {
    ($ctx:expr, $request:expr, $list:expr) => {{
        let list: $crate::commands::args::ListArgs = $list;
        let ctx: &$crate::commands::Ctx = $ctx;
        if list.all {
            let mut request = $request.offset(list.page.offset);
            if let Some(max) = list.max {
                request = request.max(max);
            }
            $crate::commands::show_stream(&ctx.out, request.stream(), list.max).await
        } else {
            let page = $request
                .limit(list.page.limit)
                .offset(list.page.offset)
                .await?;
            $crate::commands::show_page(&ctx.out, &page)
        }
    }};
}
pub(crate) use show_list;
