//! The commands, and what they share: the [`Ctx`] (client + output) and list printing.

pub mod explore;
pub mod news;
pub mod project;
pub mod sandbox;
pub mod search;
pub mod studio;
pub mod user;

use futures_util::{Stream, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};
use scratchkit::{Client, Page};
use serde::Serialize;

use crate::cli::{Cli, Command};
use crate::embedded::{self, Embedded};
use crate::exit::CliResult;
use crate::output::Out;
use crate::rows::{Tabular, table_of};

/// What every read command works with: a client (live site or sandbox) and the output.
#[derive(Debug)]
pub struct Ctx {
    /// The client to use.
    pub client: Client,
    /// Where results go.
    pub out: Out,
    /// The in-process sandbox behind `--sandbox` (kept alive while the command runs).
    _sandbox: Option<Embedded>,
}

impl Ctx {
    /// The context the global flags ask for: the live site, an in-process sandbox
    /// (`--sandbox`) or a running one (`--sandbox-at`).
    ///
    /// # Errors
    /// The sandbox could not start, or the client could not be built.
    pub async fn from_cli(cli: &Cli, out: Out) -> CliResult<Self> {
        let ua = cli.user_agent.as_deref();
        if cli.sandbox {
            let sandbox = embedded::start(ua).await?;
            return Ok(Self {
                client: sandbox.client.clone(),
                out,
                _sandbox: Some(sandbox),
            });
        }
        let client = match cli.sandbox_at {
            Some(addr) => embedded::sandbox_client(addr, ua)?,
            None => embedded::live_client(ua)?,
        };
        Ok(Self {
            client,
            out,
            _sandbox: None,
        })
    }

    /// A context around an existing client (the demo's).
    pub fn with_client(client: Client, out: Out) -> Self {
        Self {
            client,
            out,
            _sandbox: None,
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
        Command::Demo => return crate::demo::run(out, cli.user_agent.as_deref()).await,
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
        Command::Sandbox(_) | Command::Demo => Ok(()),
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
            out.line(out.dim(&format!("  more: --offset {next}")))?;
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
        out.line(out.dim(&format!("  more: --offset {}", page.next_offset())))?;
    }
    Ok(())
}

/// Prints a whole stream: JSON lines as items arrive, or one table at the end (with a
/// spinner on a terminal meanwhile).
///
/// # Errors
/// The first error of the stream (items before it are printed in JSON mode), or output
/// failures.
pub async fn show_stream<T, S>(out: &Out, stream: S) -> CliResult
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
    let spinner = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
        spinner.set_style(style);
    }
    spinner.enable_steady_tick(std::time::Duration::from_millis(100));
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => {
                items.push(item);
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

/// Shows a list request as the [`ListArgs`](crate::cli::ListArgs) ask: one page, or every item (`--all`).
///
/// Works with any of the client's list builders (they share `limit`, `offset`, `max`,
/// `stream` and `IntoFuture`), hence a macro.
macro_rules! show_list {
    ($ctx:expr, $request:expr, $list:expr) => {{
        let list: $crate::cli::ListArgs = $list;
        let ctx: &$crate::commands::Ctx = $ctx;
        if list.all {
            let mut request = $request.offset(list.page.offset);
            if let Some(max) = list.max {
                request = request.max(max);
            }
            $crate::commands::show_stream(&ctx.out, request.stream()).await
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
