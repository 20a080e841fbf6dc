//! `scratch`: the Scratch website (scratch.mit.edu) from your terminal, or an offline sandbox.
//!
//! The binary (`src/main.rs`) only calls [`main`]. The library exists so that the command
//! line can be tested and fuzzed without starting a process: [`cli::Cli`] is the clap
//! definition of every command and flag, and [`inputs`] holds the checks the commands apply
//! to what they are given before any network or file access.
//!
//! See `scratch --help`; the exit codes are listed there.

// The argument docs are clap's help text, written for a terminal ("https://…/projects/<ID>"),
// not rustdoc markup.
#![allow(rustdoc::bare_urls, rustdoc::invalid_html_tags)]

mod accounts;
pub mod cli;
mod cloud_flags;
mod commands;
mod demo;
mod embedded;
mod exit;
pub mod inputs;
mod output;
mod rows;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

pub use exit::CliError;

/// The `scratch` command: parses the process's arguments (clap prints help and usage errors
/// and exits), runs the command on a multi-threaded Tokio runtime and reports its error.
///
/// Returns the exit code: 0 on success, else the error's code (1 to 5, see `scratch --help`).
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     scratch::main()
/// }
/// ```
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_tracing(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return exit::report(&exit::CliError::Io(e)),
    };
    // The command runs in a task, not in `block_on` itself: the main thread is not one of the
    // runtime's workers, and every request awaited from it would cross threads to reach its
    // connection's task and back (measured: nearly twice the CPU per request).
    match runtime.block_on(runtime.spawn(commands::run(cli))) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => exit::report(&e),
        Err(join) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
        Err(join) => exit::report(&exit::CliError::Io(std::io::Error::other(join))),
    }
}

/// Logs to stderr: warnings by default, debug with `-v`, trace with `-vv`, for the `scratch`
/// crates only (a `Targets` filter).
fn init_tracing(verbose: u8) {
    let level = match verbose {
        0 => LevelFilter::WARN,
        1 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    };
    let targets = Targets::new()
        .with_target("scratch", level)
        .with_target("scratchkit", level)
        .with_target("scratchkit_sandbox", level)
        .with_default(LevelFilter::WARN);
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(output::stderr_colour());
    let _ = tracing_subscriber::registry()
        .with(fmt)
        .with(targets)
        .try_init();
}
