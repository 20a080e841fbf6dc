//! `bulk-read`: the bulk-read benchmark, scratchkit against scratchattach.
//!
//! A sandbox with `scale = 1` (user `bench` owns 2 000 shared projects) runs in its own
//! process; each client runs in another, so that the server's CPU stays out of the clients'
//! figures:
//!
//! a) scratchkit sequential: stream every project of `bench` (40 per request), then N
//!    single-project lookups one at a time;
//! b) scratchkit concurrent: the same N lookups with 16 in flight;
//! c) scratchattach (PyPI, through `compat/redirect.py`): `get_user("bench").projects(limit=40,
//!    offset=…)` until exhausted, then N `get_project(id)` calls.
//!
//! ```text
//! bulk-read [--quick] [--lookups N] [--in-flight K] [--python PATH | --no-python] [--json]
//!           [--current-thread-row]
//! bulk-read serve [--scale N] [--seed N] [--port P]        (the sandbox process)
//! bulk-read client --addr ADDR [--lookups N] [--in-flight K] [--user NAME] [--current-thread]
//! ```
//! N is 500 (50 with `--quick`), K is 16. `--current-thread-row` adds one extra row after the
//! others (which stay as they are): client a) on a current-thread Tokio runtime instead of the
//! multi-thread one. The Python side needs `compat/.venv` (made by
//! `compat/run.sh`); without it `--quick` skips scratchattach and the full run stops.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use scratchkit::Client;
use scratchkit_bench::process::{SandboxProcess, parse_addr_line, run_client};
use scratchkit_bench::report::{ClientRun, ratio, table};
use scratchkit_bench::serve::{parse_sandbox_args, serve_until_released};
use scratchkit_bench::workload::{list_projects, lookups, spread};

const USAGE: &str = "usage: bulk-read [--quick] [--lookups N] [--in-flight K] [--python PATH | --no-python] [--json] [--current-thread-row]
       bulk-read serve [--scale N] [--seed N] [--port P]
       bulk-read client --addr ADDR [--lookups N] [--in-flight K] [--user NAME] [--current-thread]";

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

/// A single-threaded runtime (`client --current-thread`): the request, the connection task and
/// the reply all run on one thread, without cross-thread wake-ups.
fn current_thread_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a Tokio runtime: {e}"))
}

/// The label of the extra row measured with [`current_thread_runtime`].
const CURRENT_THREAD_LABEL: &str = "scratchkit sequential, current-thread runtime";

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
    let mut current_thread = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--addr" => addr = Some(value(args, &mut i, "--addr")?.to_owned()),
            "--lookups" => count = number(value(args, &mut i, "--lookups")?, "--lookups")?,
            "--in-flight" => {
                in_flight = number(value(args, &mut i, "--in-flight")?, "--in-flight")?
            }
            "--user" => user = value(args, &mut i, "--user")?.to_owned(),
            "--current-thread" => current_thread = true,
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
        i += 1;
    }
    let addr = addr
        .and_then(|a| parse_addr_line(&format!("ADDR={a}")))
        .ok_or_else(|| format!("client needs --addr HOST:PORT\n{USAGE}"))?;
    let rt = if current_thread {
        current_thread_runtime()?
    } else {
        runtime()?
    };
    let run: scratchkit::Result<ClientRun> = rt.block_on(async {
        // No rate limit: Client::sandbox turns it off (scratchattach has none either).
        let client = Client::sandbox(addr);
        let (ids, list) = list_projects(&client, &user).await?;
        let chosen = spread(&ids, count);
        let lookups = lookups(&client, &chosen, in_flight).await?;
        let label = if in_flight > 1 {
            format!("scratchkit concurrent ({in_flight} in flight)")
        } else if current_thread {
            CURRENT_THREAD_LABEL.to_owned()
        } else {
            "scratchkit sequential".to_owned()
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
        })
    });
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
    /// Adds the extra "current-thread runtime" row.
    current_thread_row: bool,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        quick: false,
        lookups: 0,
        in_flight: 16,
        python: None,
        no_python: false,
        json: false,
        current_thread_row: false,
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
            "--current-thread-row" => o.current_thread_row = true,
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
        i += 1;
    }
    o.lookups = lookups.unwrap_or(if o.quick { 50 } else { 500 });
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
    let rust_client = |lookups: usize, in_flight: usize| {
        let mut c = Command::new(&me);
        c.args(["client", "--addr", &addr, "--lookups", &lookups.to_string()]);
        c.args(["--in-flight", &in_flight.to_string()]);
        measured(c)
    };
    // Warm-up (not reported): the sandbox's caches and page tables, for every client alike.
    rust_client(o.lookups.min(50), 1)?;

    let mut runs = vec![
        rust_client(o.lookups, 1)?,
        rust_client(o.lookups, o.in_flight)?,
    ];
    if run_python {
        let mut c = Command::new(&python);
        c.arg(&script)
            .args(["--sandbox", &addr, "--lookups", &o.lookups.to_string()]);
        runs.push(measured(c)?);
    } else {
        println!(
            "bulk-read: scratchattach skipped (no {})\n",
            python.display()
        );
    }
    // Extra row on request, after the others (which it leaves as they were): the same
    // sequential client on a current-thread runtime.
    if o.current_thread_row {
        let mut c = Command::new(&me);
        c.args([
            "client",
            "--addr",
            &addr,
            "--lookups",
            &o.lookups.to_string(),
        ]);
        c.args(["--in-flight", "1", "--current-thread"]);
        runs.push(measured(c)?);
    }
    drop(sandbox);

    println!("{}", table(&runs));
    println!(
        "(CPU µs/request: the client process; server µs/request: the sandbox process's CPU \
         over the whole client run, untimed requests included, 10 ms clock ticks)\n"
    );
    print_ratios(&runs);
    if o.json {
        println!(
            "{}",
            serde_json::to_string(&runs).map_err(|e| e.to_string())?
        );
    }
    Ok(())
}

fn print_ratios(runs: &[ClientRun]) {
    let find = |prefix: &str| runs.iter().find(|r| r.client.starts_with(prefix));
    let (Some(seq), Some(conc), Some(py)) = (
        find("scratchkit sequential"),
        find("scratchkit concurrent"),
        find("scratchattach"),
    ) else {
        return;
    };
    let lookups = |r: &ClientRun| r.phase("lookups").map_or(0.0, |p| p.requests_per_sec());
    let show = |label: &str, value: Option<f64>| match value {
        Some(v) => println!("{label:<72} {v:>6.1}x"),
        None => println!("{label:<72}      ?"),
    };
    let sequential_total = ratio(
        seq.total().requests_per_sec(),
        py.total().requests_per_sec(),
    );
    show(
        "throughput, scratchkit sequential / scratchattach (all)",
        sequential_total,
    );
    show(
        "throughput, scratchkit sequential / scratchattach (lookups)",
        ratio(lookups(seq), lookups(py)),
    );
    show(
        &format!("throughput, {} / scratchattach (lookups)", conc.client),
        ratio(lookups(conc), lookups(py)),
    );
    show(
        "CPU per request, scratchattach / scratchkit sequential",
        ratio(
            py.total().cpu_us_per_request(),
            seq.total().cpu_us_per_request(),
        ),
    );
    if let (Some(a), Some(b)) = (py.peak_rss_kib, seq.peak_rss_kib) {
        show(
            "peak memory, scratchattach / scratchkit sequential",
            ratio(a as f64, b as f64),
        );
    }
    if let Some(single) = runs.iter().find(|r| r.client == CURRENT_THREAD_LABEL) {
        show(
            &format!("throughput, {CURRENT_THREAD_LABEL} / scratchattach (all)"),
            ratio(
                single.total().requests_per_sec(),
                py.total().requests_per_sec(),
            ),
        );
    }
    match sequential_total {
        Some(r) if r >= 10.0 => println!("target (sequential >= 10x scratchattach): met"),
        _ => println!("target (sequential >= 10x scratchattach): NOT met"),
    }
}
