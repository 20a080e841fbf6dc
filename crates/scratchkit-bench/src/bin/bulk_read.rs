//! `bulk-read`: the bulk-read benchmark, scratchkit against scratchattach.
//!
//! A sandbox with `scale = 1` (user `bench` owns 2 000 shared projects) runs in its own
//! process; each client runs in another, so that the server's CPU stays out of the clients'
//! figures:
//!
//! a) scratchkit sequential: stream every project of `bench` (40 per request), then N
//!    single-project lookups one at a time; run three ways: on the multi-thread runtime with the
//!    workload awaited by `block_on` from the main thread (the body of `#[tokio::main]`), on the
//!    same runtime inside a spawned task, and on a current-thread runtime;
//! b) scratchkit concurrent: the same N lookups with K in flight;
//! c) scratchattach (PyPI, through `compat/redirect.py`): `get_user("bench").projects(limit=40,
//!    offset=…)` until exhausted, then N `get_project(id)` calls. The script also measures
//!    what the redirect itself costs per request, and the report shows the ratios with that
//!    cost taken out of scratchattach's time as well (the target is judged on those).
//!
//! Every client runs once per round, `--rounds R` rounds (3 by default, 1 with `--quick`), and
//! each client's median round is reported.
//!
//! ```text
//! bulk-read [--quick] [--rounds R] [--lookups N] [--in-flight K] [--python PATH | --no-python] [--json]
//! bulk-read serve [--scale N] [--seed N] [--port P]        (the sandbox process)
//! bulk-read client --addr ADDR [--lookups N] [--in-flight K] [--user NAME] [--runtime block-on|task|current-thread]
//! ```
//! N is 500 (50 with `--quick`), K is 16. The Python side needs `compat/.venv` (made by
//! `compat/run.sh`); without it `--quick` skips scratchattach and the full run stops.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use scratchkit::Client;
use scratchkit_bench::process::{SandboxProcess, parse_addr_line, run_client};
use scratchkit_bench::report::{ClientRun, median_run, ratio, table};
use scratchkit_bench::serve::{parse_sandbox_args, serve_until_released};
use scratchkit_bench::workload::{list_projects, lookups, spread};

const USAGE: &str = "usage: bulk-read [--quick] [--lookups N] [--in-flight K] [--python PATH | --no-python] [--json] [--rounds R]
       bulk-read serve [--scale N] [--seed N] [--port P]
       bulk-read client --addr ADDR [--lookups N] [--in-flight K] [--user NAME] [--runtime block-on|task|current-thread]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("client") => client(&args[1..]),
        _ => orchestrate(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bulk-read: {message}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a Tokio runtime: {e}"))
}

/// A single-threaded runtime (`client --runtime current-thread`): the request, the connection task and
/// the reply all run on one thread, without cross-thread wake-ups.
fn current_thread_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a Tokio runtime: {e}"))
}

/// How a client run drives its workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// The default multi-thread runtime, the workload awaited by `block_on` on the main thread
    /// (the body of `#[tokio::main] async fn main`): the main thread is not a runtime worker,
    /// so every request crosses threads to reach the connection's task and back.
    BlockOn,
    /// The multi-thread runtime, the workload in a spawned task (a bot's handlers, anything
    /// under `tokio::spawn`): the request and its connection's task share a worker.
    Task,
    /// A current-thread runtime (`#[tokio::main(flavor = "current_thread")]`).
    CurrentThread,
}

impl Flavor {
    const ALL: [Flavor; 3] = [Flavor::BlockOn, Flavor::Task, Flavor::CurrentThread];

    fn arg(self) -> &'static str {
        match self {
            Flavor::BlockOn => "block-on",
            Flavor::Task => "task",
            Flavor::CurrentThread => "current-thread",
        }
    }

    fn parse(text: &str) -> Option<Flavor> {
        Flavor::ALL.into_iter().find(|f| f.arg() == text)
    }

    /// The row label of the sequential client run this way.
    fn label(self) -> &'static str {
        match self {
            Flavor::BlockOn => "scratchkit sequential, multi-thread, block_on",
            Flavor::Task => "scratchkit sequential, multi-thread, in a task",
            Flavor::CurrentThread => "scratchkit sequential, current-thread runtime",
        }
    }
}
/// The label `compat/bench_scratchattach.py` prints.
const PYTHON_LABEL: &str = "scratchattach";

/// `bulk-read serve`: the sandbox process.
fn serve(args: &[String]) -> Result<(), String> {
    let (config, port) =
        parse_sandbox_args(args.iter().cloned()).map_err(|e| format!("{e}\n{USAGE}"))?;
    runtime()?
        .block_on(serve_until_released(config, port, |addr| {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "ADDR={addr}").and_then(|()| out.flush());
        }))
        .map_err(|e| format!("the sandbox did not start: {e}"))
}

fn value<'a>(args: &'a [String], i: &mut usize, name: &str) -> Result<&'a str, String> {
    *i += 1;
    args.get(*i)
        .map(String::as_str)
        .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
}

fn number(text: &str, name: &str) -> Result<usize, String> {
    text.parse().map_err(|e| format!("{name}: {e}"))
}

/// `bulk-read client`: one scratchkit client run, printed as one JSON line.
fn client(args: &[String]) -> Result<(), String> {
    let (mut addr, mut count, mut in_flight, mut user) = (None, 500, 1, "bench".to_owned());
    let mut flavor = Flavor::BlockOn;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--addr" => addr = Some(value(args, &mut i, "--addr")?.to_owned()),
            "--lookups" => count = number(value(args, &mut i, "--lookups")?, "--lookups")?,
            "--in-flight" => {
                in_flight = number(value(args, &mut i, "--in-flight")?, "--in-flight")?
            }
            "--user" => user = value(args, &mut i, "--user")?.to_owned(),
            "--runtime" => {
                let text = value(args, &mut i, "--runtime")?;
                flavor = Flavor::parse(text).ok_or_else(|| {
                    format!("--runtime: block-on, task or current-thread, not {text:?}")
                })?;
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
        i += 1;
    }
    let addr = addr
        .and_then(|a| parse_addr_line(&format!("ADDR={a}")))
        .ok_or_else(|| format!("client needs --addr HOST:PORT\n{USAGE}"))?;
    let rt = if flavor == Flavor::CurrentThread {
        current_thread_runtime()?
    } else {
        runtime()?
    };
    let work = async move {
        // No rate limit: Client::sandbox turns it off (scratchattach has none either).
        let client = Client::sandbox(addr);
        let (ids, list) = list_projects(&client, &user).await?;
        let chosen = spread(&ids, count);
        let lookups = lookups(&client, &chosen, in_flight).await?;
        let label = if in_flight > 1 {
            format!("scratchkit concurrent ({in_flight} in flight)")
        } else {
            flavor.label().to_owned()
        };
        // The concurrent run lists only to learn the ids: its list phase is the sequential one.
        let phases = if in_flight > 1 {
            vec![lookups]
        } else {
            vec![list.clone(), lookups]
        };
        Ok(ClientRun {
            client: label,
            phases,
            peak_rss_kib: scratchkit_bench::procstats::peak_rss_kib(),
            untimed_requests: if in_flight > 1 { list.requests } else { 0 },
            server_cpu_s: None,
            harness_us_per_request: None,
        })
    };
    let run: scratchkit::Result<ClientRun> = if flavor == Flavor::Task {
        rt.block_on(rt.spawn(work))
            .map_err(|e| format!("client task failed: {e}"))?
    } else {
        rt.block_on(work)
    };
    let run = run.map_err(|e| format!("client run failed: {e}"))?;
    let line = serde_json::to_string(&run).map_err(|e| e.to_string())?;
    println!("{line}");
    Ok(())
}

struct Options {
    quick: bool,
    lookups: usize,
    in_flight: usize,
    python: Option<PathBuf>,
    no_python: bool,
    json: bool,
    /// How many times every client runs (the median is reported).
    rounds: usize,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        quick: false,
        lookups: 0,
        in_flight: 16,
        python: None,
        no_python: false,
        json: false,
        rounds: 0,
    };
    let mut lookups = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--quick" => o.quick = true,
            "--lookups" => lookups = Some(number(value(args, &mut i, "--lookups")?, "--lookups")?),
            "--in-flight" => {
                o.in_flight = number(value(args, &mut i, "--in-flight")?, "--in-flight")?.max(2)
            }
            "--python" => o.python = Some(PathBuf::from(value(args, &mut i, "--python")?)),
            "--no-python" => o.no_python = true,
            "--json" => o.json = true,
            "--rounds" => o.rounds = number(value(args, &mut i, "--rounds")?, "--rounds")?.max(1),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
        i += 1;
    }
    o.lookups = lookups.unwrap_or(if o.quick { 50 } else { 500 });
    if o.rounds == 0 {
        o.rounds = if o.quick { 1 } else { 3 };
    }
    Ok(o)
}

fn compat_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../compat")
}

/// The default mode: sandbox process, three client processes, table.
fn orchestrate(args: &[String]) -> Result<(), String> {
    let o = parse_options(args)?;
    let me = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let python = o
        .python
        .clone()
        .unwrap_or_else(|| compat_dir().join(".venv/bin/python"));
    let script = compat_dir().join("bench_scratchattach.py");
    let run_python = !o.no_python && python.is_file() && script.is_file();
    if !o.no_python && !run_python && !o.quick {
        return Err(format!(
            "no Python for scratchattach at {} (run compat/run.sh once to create compat/.venv, \
             or pass --python PATH or --no-python)",
            python.display()
        ));
    }

    let mut serve = Command::new(&me);
    serve.args(["serve", "--scale", "1"]);
    let sandbox = SandboxProcess::start(serve)?;
    let addr = sandbox.addr().to_string();
    println!(
        "bulk-read: sandbox (scale 1: user bench, 2000 shared projects) in its own process at {addr}"
    );
    println!(
        "bulk-read: scratchkit uses Client::sandbox: rate limit DISABLED (unlimited); scratchattach has none"
    );
    if cfg!(debug_assertions) {
        println!("bulk-read: DEBUG build: figures are not representative, use --release");
    }
    println!(
        "bulk-read: {} lookups per client{}\n",
        o.lookups,
        if o.quick { " (--quick)" } else { "" }
    );

    // Each client runs to completion while the sandbox's CPU time is read around it.
    let measured = |command: Command| -> Result<ClientRun, String> {
        let before = sandbox.cpu_time();
        let mut run = run_client(command)?;
        run.server_cpu_s = before
            .zip(sandbox.cpu_time())
            .map(|(b, a)| a.saturating_sub(b).as_secs_f64());
        Ok(run)
    };
    let rust_client = |lookups: usize, in_flight: usize, flavor: Flavor| {
        let mut c = Command::new(&me);
        c.args(["client", "--addr", &addr, "--lookups", &lookups.to_string()]);
        c.args([
            "--in-flight",
            &in_flight.to_string(),
            "--runtime",
            flavor.arg(),
        ]);
        measured(c)
    };
    // Warm-up (not reported): the sandbox's caches and page tables, for every client alike.
    rust_client(o.lookups.min(50), 1, Flavor::BlockOn)?;

    // Every round runs each client once, in the same order; each client's median round is
    // reported, so that one disturbed run (the machine is shared) does not decide the figures.
    let mut rounds: Vec<Vec<ClientRun>> = Vec::new();
    for round in 0..o.rounds {
        let mut runs = Vec::new();
        for flavor in Flavor::ALL {
            runs.push(rust_client(o.lookups, 1, flavor)?);
        }
        runs.push(rust_client(o.lookups, o.in_flight, Flavor::BlockOn)?);
        if run_python {
            let mut c = Command::new(&python);
            c.arg(&script)
                .args(["--sandbox", &addr, "--lookups", &o.lookups.to_string()]);
            runs.push(measured(c)?);
        }
        if o.rounds > 1 {
            eprintln!("bulk-read: round {} of {} done", round + 1, o.rounds);
        }
        rounds.push(runs);
    }
    drop(sandbox);
    if !run_python {
        println!(
            "bulk-read: scratchattach skipped (no {})\n",
            python.display()
        );
    }

    let clients: Vec<String> = rounds
        .first()
        .map(|runs| runs.iter().map(|r| r.client.clone()).collect())
        .unwrap_or_default();
    let per_client = |name: &str| -> Vec<ClientRun> {
        rounds
            .iter()
            .flat_map(|runs| runs.iter().filter(|r| r.client == name).cloned())
            .collect()
    };
    let medians: Vec<ClientRun> = clients
        .iter()
        .filter_map(|name| median_run(&per_client(name)).cloned())
        .collect();

    println!("{}", table(&medians));
    println!(
        "(each row: the client's median of {} rounds by total wall time. CPU µs/request: the \
         client process; server µs/request: the sandbox process's CPU over the whole client run, \
         untimed requests included, 10 ms clock ticks)\n",
        o.rounds
    );
    print_ratios(&medians, &rounds);
    if o.json {
        println!(
            "{}",
            serde_json::to_string(&rounds).map_err(|e| e.to_string())?
        );
    }
    Ok(())
}

fn print_ratios(medians: &[ClientRun], rounds: &[Vec<ClientRun>]) {
    let find = |runs: &'_ [ClientRun], label: &str| -> Option<ClientRun> {
        runs.iter().find(|r| r.client == label).cloned()
    };
    let Some(py) = find(medians, PYTHON_LABEL) else {
        return;
    };
    let times = |v: Option<f64>| v.map_or_else(|| "?".to_owned(), |v| format!("{v:.1}x"));
    let lookups = |r: &ClientRun| r.phase("lookups").map_or(0.0, |p| p.requests_per_sec());
    let bare = py.total_without_harness();
    if let Some(us) = py.harness_us_per_request {
        println!(
            "scratchattach's figures include the compat redirect (compat/redirect.py): {us:.1} µs \
             CPU per request, measured; without it: {:.1} requests/s instead of {:.1}\n",
            bare.requests_per_sec(),
            py.total().requests_per_sec()
        );
    }
    println!(
        "{:<48} {:>8} {:>10} {:>9} {:>16}",
        "throughput / scratchattach's", "all", "all, bare", "lookups", "rounds, bare"
    );
    let mut verdicts = Vec::new();
    for label in Flavor::ALL.map(Flavor::label) {
        let Some(seq) = find(medians, label) else {
            continue;
        };
        let all = ratio(
            seq.total().requests_per_sec(),
            py.total().requests_per_sec(),
        );
        let bare_ratio = ratio(seq.total().requests_per_sec(), bare.requests_per_sec());
        let per_round: Vec<f64> = rounds
            .iter()
            .filter_map(|runs| {
                let (s, p) = (find(runs, label)?, find(runs, PYTHON_LABEL)?);
                ratio(
                    s.total().requests_per_sec(),
                    p.total_without_harness().requests_per_sec(),
                )
            })
            .collect();
        let low = per_round.iter().copied().fold(f64::INFINITY, f64::min);
        let high = per_round.iter().copied().fold(0.0, f64::max);
        let range = if per_round.is_empty() {
            "?".to_owned()
        } else {
            format!("{low:.1}x to {high:.1}x")
        };
        println!(
            "{label:<48} {:>8} {:>10} {:>9} {range:>16}",
            times(all),
            times(bare_ratio),
            times(ratio(lookups(&seq), lookups(&py)))
        );
        verdicts.push((label, bare_ratio));
    }
    if let Some(conc) = medians
        .iter()
        .find(|r| r.client.starts_with("scratchkit concurrent"))
    {
        println!(
            "{:<48} {:>8} {:>10} {:>9}",
            conc.client,
            "",
            "",
            times(ratio(lookups(conc), lookups(&py)))
        );
    }
    println!("(bare: scratchattach with its redirect's measured cost taken out)\n");
    if let Some(seq) = find(medians, Flavor::BlockOn.label()) {
        println!(
            "CPU per request, scratchattach / {}: {}",
            seq.client,
            times(ratio(
                py.total().cpu_us_per_request(),
                seq.total().cpu_us_per_request(),
            ))
        );
        if let (Some(a), Some(b)) = (py.peak_rss_kib, seq.peak_rss_kib) {
            println!(
                "peak memory, scratchattach / {}: {}",
                seq.client,
                times(ratio(a as f64, b as f64))
            );
        }
    }
    println!();
    for (label, value) in verdicts {
        let met = value.is_some_and(|r| r >= 10.0);
        println!(
            "target (sequential >= 10x scratchattach, bare), {label}: {}",
            if met { "met" } else { "NOT met" }
        );
    }
}
