//! `sandbox-for-compat`: a scratchkit sandbox on `127.0.0.1:<free port>` for other processes
//! (the Python compat harness in `compat/`, the bulk-read benchmark's clients).
//!
//! The first line on stdout is `ADDR=127.0.0.1:PORT`. The sandbox then serves until stdin is
//! closed (so it dies with the process that started it), Ctrl-C, or SIGTERM.
//!
//! ```text
//! sandbox-for-compat [--scale N] [--seed N] [--port P] [--log-requests FILE]
//! ```

use std::io::Write as _;
use std::process::ExitCode;

use scratchkit_bench::serve::{parse_sandbox_args, serve_until_released};

const USAGE: &str =
    "usage: sandbox-for-compat [--scale N] [--seed N] [--port P] [--log-requests FILE]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (config, port) = match parse_sandbox_args(args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("sandbox-for-compat: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let scale = config.scale;
    let served = serve_until_released(config, port, |addr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "ADDR={addr}").and_then(|()| out.flush());
        eprintln!(
            "sandbox-for-compat: serving http://{addr} (scale {scale}); close stdin or send SIGTERM to stop"
        );
    })
    .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sandbox-for-compat: could not start the sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
