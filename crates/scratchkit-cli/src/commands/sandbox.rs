//! `scratch sandbox`: run an offline Scratch on 127.0.0.1 until Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use clap::Args;
use scratchkit::{Host, Hosts};
use scratchkit_sandbox::{DEMO_PASSWORD, FaultSpec, SandboxConfig, demo_accounts};
use serde_json::json;

use crate::exit::CliResult;
use crate::output::{Out, Table};

/// `scratch sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// The port to listen on, on 127.0.0.1 (0: any free port).
    #[arg(long, short, default_value_t = 8007)]
    pub port: u16,

    /// Keep the world in DIR/sandbox.sqlite3 (default: in memory, gone when stopped).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Generate a bigger world for benchmarks (user `bench` owns 2000×N projects).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub scale: u32,

    /// Inject faults, e.g. `latency=200ms,rate=0.3,kinds=429|503|dropped` or `kind=503,count=2`.
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,

    /// Append one JSON line per request (method, path, headers, body; secrets redacted).
    #[arg(long, value_name = "FILE")]
    pub log_requests: Option<PathBuf>,

    /// Seed of the generated world (the same seed gives the same world).
    #[arg(long, default_value_t = 2007)]
    pub seed: u64,
}

/// The hosts of the table in DESIGN.md, in its order: (name, live host, its sandbox prefix).
const HOSTS: &[(&str, Host)] = &[
    ("api", Host::Api),
    ("site", Host::Site),
    ("projects", Host::Projects),
    ("assets", Host::Assets),
    ("backpack", Host::Backpack),
    ("cdn2", Host::Cdn2),
    ("uploads", Host::Uploads),
    ("clouddata", Host::CloudData),
    ("ocular", Host::Ocular),
];

/// The configuration asked for on the command line.
///
/// # Errors
/// A `--faults` spec that cannot be read.
pub fn config(args: &SandboxArgs) -> CliResult<SandboxConfig> {
    let faults = match &args.faults {
        Some(spec) => Some(spec.parse::<FaultSpec>()?),
        None => None,
    };
    Ok(SandboxConfig {
        data_dir: args.data.clone(),
        scale: args.scale,
        faults,
        log_requests: args.log_requests.clone(),
        seed: args.seed,
        ..SandboxConfig::default()
    })
}

/// Starts the sandbox, prints how to reach it and waits for Ctrl-C (or SIGTERM).
///
/// # Errors
/// A bad `--faults` spec, or the sandbox could not start (port in use, data directory).
pub async fn run(out: Out, args: SandboxArgs) -> CliResult {
    let config = config(&args)?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let handle = scratchkit_sandbox::spawn_with(addr, config).await?;
    let addr = handle.addr();
    let hosts = Hosts::sandbox(addr);

    if out.is_json() {
        out.json_line(&describe(addr, &hosts, &args))?;
    } else {
        print_banner(out, addr, &hosts, &args)?;
    }

    wait_for_stop().await;
    if !out.is_json() {
        out.line("\nStopping the sandbox…")?;
    }
    handle.shutdown().await;
    Ok(())
}

/// The sandbox's address, hosts table and demo accounts as one JSON document.
fn describe(addr: SocketAddr, hosts: &Hosts, args: &SandboxArgs) -> serde_json::Value {
    let mut table = serde_json::Map::new();
    for (name, host) in HOSTS {
        table.insert((*name).to_owned(), json!(hosts.base(*host).as_str()));
    }
    table.insert("cloud".into(), json!(hosts.cloud_ws().as_str()));
    table.insert("turbowarp".into(), json!(hosts.turbowarp_ws().as_str()));
    let accounts: Vec<_> = demo_accounts()
        .into_iter()
        .map(|a| json!({"username": a.username, "role": a.role.as_str()}))
        .collect();
    json!({
        "address": addr.to_string(),
        "base_url": format!("http://{addr}"),
        "hosts": table,
        "admin": format!("http://{addr}/_sandbox/"),
        "website": format!("http://{addr}/"),
        "accounts": accounts,
        "password": DEMO_PASSWORD,
        "data": args.data.as_ref().map(|d| d.join("sandbox.sqlite3")),
        "faults": args.faults,
        "log_requests": args.log_requests,
    })
}

fn print_banner(out: Out, addr: SocketAddr, hosts: &Hosts, args: &SandboxArgs) -> CliResult {
    out.title("scratch sandbox", "an offline Scratch")?;
    let data = match &args.data {
        Some(dir) => dir.join("sandbox.sqlite3").display().to_string(),
        None => "in memory (gone when stopped)".to_owned(),
    };
    out.fields(&[
        ("Listening", out.accent(&format!("http://{addr}"))),
        ("Data", data),
        (
            "Faults",
            args.faults.clone().unwrap_or_else(|| "none".into()),
        ),
        (
            "Request log",
            args.log_requests
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        ),
        ("Website", format!("http://{addr}/ (open it in a browser)")),
        (
            "Panel",
            format!("http://{addr}/_sandbox/ (accounts, faults, request log)"),
        ),
    ])?;

    out.heading("Hosts")?;
    let live = Hosts::scratch();
    let mut table = Table::new(&["Live site", "Sandbox"]);
    for (_, host) in HOSTS {
        table.row(vec![
            format!("{}…", live.base(*host)),
            format!("{}/…", hosts.base(*host).as_str().trim_end_matches('/')),
        ]);
    }
    table.row(vec![
        live.cloud_ws().to_string(),
        hosts.cloud_ws().to_string(),
    ]);
    table.row(vec![
        live.turbowarp_ws().to_string(),
        hosts.turbowarp_ws().to_string(),
    ]);
    out.table(table)?;

    out.heading(&format!("Demo accounts (password: {DEMO_PASSWORD})"))?;
    let mut table = Table::new(&["Username", "Role"]);
    for account in demo_accounts() {
        table.row(vec![account.username.to_owned(), account.role.to_string()]);
    }
    out.table(table)?;

    out.line("")?;
    out.line(format!(
        "Try:  scratch --sandbox-at {addr} user mres\n      curl http://{addr}/api/users/mres"
    ))?;
    out.line(out.dim("Press Ctrl-C to stop."))
}

/// Waits for Ctrl-C, or SIGTERM on Unix.
pub(crate) async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> SandboxArgs {
        let mut argv = vec!["scratch", "sandbox"];
        argv.extend_from_slice(extra);
        match crate::cli::Cli::parse_from(argv).command {
            crate::cli::Command::Sandbox(a) => a,
            other => panic!("not sandbox: {other:?}"),
        }
    }

    #[test]
    fn options_become_the_configuration() {
        let a = args(&[
            "--scale",
            "2",
            "--faults",
            "kind=503,count=2",
            "--data",
            "w",
        ]);
        let c = config(&a).unwrap();
        assert_eq!(c.scale, 2);
        assert_eq!(c.faults.unwrap().count, Some(2));
        assert_eq!(c.data_dir.unwrap(), std::path::PathBuf::from("w"));
        assert_eq!(a.port, 8007);
    }

    #[test]
    fn a_bad_fault_spec_is_a_usage_error() {
        let err = config(&args(&["--faults", "explode=yes"])).unwrap_err();
        assert_eq!(err.exit_code(), crate::exit::USAGE);
    }

    #[test]
    fn the_description_follows_the_hosts_table() {
        let addr: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let v = describe(addr, &Hosts::sandbox(addr), &args(&[]));
        assert_eq!(v["address"], "127.0.0.1:9");
        assert_eq!(v["hosts"]["api"], "http://127.0.0.1:9/api");
        assert_eq!(v["hosts"]["site"], "http://127.0.0.1:9/site");
        assert_eq!(v["hosts"]["cloud"], "ws://127.0.0.1:9/cloud");
        assert!(
            v["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["username"] == "mres")
        );
    }
}
