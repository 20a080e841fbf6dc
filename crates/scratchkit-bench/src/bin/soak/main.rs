//! `soak`: long runs of the servers under hostile and sustained load, on loopback only, that
//! stop by themselves and print the resource curves of the server process.
//!
//! ```text
//! cargo build --release -p scratchkit-cli -p scratchkit-bench
//! ./target/release/soak cloud --seconds 1800     # the 30-minute cloud soak
//! ./target/release/soak sandbox --seconds 1800   # the sandbox soak (faults on, kill -9)
//! soak cloud|sandbox [--seconds S] [--sample-every S] [--server-bin PATH] [--verbose]
//! ```
//!
//! Each prints what every kind of client did, then the server's RSS, open descriptors and
//! threads at the start, after the warm-up (the first fifth of the run, at most 2 minutes)
//! and at the end, and fails (exit code 1) when a well-behaved client was not served, a value
//! was lost, or a curve kept growing after the warm-up. `--server-bin` names the `scratch`
//! binary to run (default: the one next to this program).

mod child;
mod cloud;
mod samples;
mod sandbox;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use samples::Sample;

const USAGE: &str =
    "usage: soak cloud|sandbox [--seconds S] [--sample-every S] [--server-bin PATH] [--verbose]";

/// The command line.
pub struct SoakOptions {
    /// Length of the run.
    pub seconds: f64,
    /// Time between two samples of the server process.
    pub sample_every: Duration,
    /// The `scratch` binary.
    pub server_bin: PathBuf,
    /// Print every sample as it is taken.
    pub verbose: bool,
}

/// What a soak returns for the common report.
pub struct Outcome {
    /// Samples of the server process.
    pub samples: Vec<Sample>,
    /// The label of the server's own gauge in the table.
    pub gauge_name: &'static str,
    /// Everything that went wrong, in words (empty: passed).
    pub problems: Vec<String>,
}

fn parse(args: &[String]) -> Result<(String, SoakOptions), String> {
    let mut args = args.iter();
    let which = args.next().ok_or(USAGE)?.clone();
    let default_bin = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("scratch")))
        .unwrap_or_else(|| PathBuf::from("scratch"));
    let mut options = SoakOptions {
        seconds: 60.0,
        sample_every: Duration::from_secs(1),
        server_bin: default_bin,
        verbose: false,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--seconds" => {
                options.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?;
            }
            "--sample-every" => {
                let s: f64 = value()?
                    .parse()
                    .map_err(|e| format!("--sample-every: {e}"))?;
                options.sample_every = Duration::try_from_secs_f64(s).map_err(|e| e.to_string())?;
            }
            "--server-bin" => options.server_bin = PathBuf::from(value()?),
            "--verbose" => options.verbose = true,
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    if options.seconds.is_nan() || options.seconds < 10.0 {
        return Err("--seconds must be at least 10".to_owned());
    }
    Ok((which, options))
}

async fn run(which: &str, options: &SoakOptions) -> Result<Outcome, String> {
    match which {
        "cloud" => cloud::run(options).await,
        "sandbox" => sandbox::run(options).await,
        other => Err(format!("unknown soak {other}\n{USAGE}")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (which, options) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("soak: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("soak: no runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match runtime.block_on(run(&which, &options)) {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("soak: {message}");
            return ExitCode::FAILURE;
        }
    };
    let warm_up = (options.seconds / 5.0).min(120.0);
    let mut problems = outcome.problems;
    match samples::curve(&outcome.samples, warm_up) {
        Some(curve) => {
            println!("Server process (warm-up: first {warm_up:.0} s):\n");
            samples::print_curve(&curve, outcome.gauge_name);
            problems.extend(samples::growth_problems(&curve));
        }
        None => problems.push(format!(
            "only {} samples of the server were taken; a curve needs 8",
            outcome.samples.len()
        )),
    }
    if problems.is_empty() {
        println!("\nsoak {which}: passed");
        ExitCode::SUCCESS
    } else {
        println!("\nsoak {which}: FAILED");
        for problem in problems {
            println!("  - {problem}");
        }
        ExitCode::FAILURE
    }
}
