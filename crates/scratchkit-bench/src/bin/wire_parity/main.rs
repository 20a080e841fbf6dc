//! `wire-parity`: runs the same operations through scratchattach 2.2.6 and through scratchkit,
//! each against its own identically seeded sandbox with the request log on, and compares what
//! the two clients put on the wire (see `compare.rs` for what is compared).
//!
//! ```text
//! wire-parity [--python PATH] [--compat DIR] [--allowlist FILE] [--out DIR] [--only OP]
//! ```
//!
//! Prints a table (operation, requests per side, identical / different-with-reason / fixed)
//! and totals, writes `OUT/parity.json` and both logs, and exits with 1 when a difference is
//! not explained in the allowlist (`compat/parity_allowlist.json`), 2 when it could not run.
//! `compat/parity.sh` builds and runs it with the compat venv's Python.

mod allowlist;
mod compare;
mod http;
mod log;
mod ops;
mod witness;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use scratchkit_sandbox::{DEMO_PASSWORD, SandboxConfig, SandboxHandle, spawn_with};
use serde_json::{Value, json};

use allowlist::Allowlist;
use compare::{Difference, compare_op};
use ops::{Args, OPS, Side};

const USAGE: &str =
    "usage: wire-parity [--python PATH] [--compat DIR] [--allowlist FILE] [--out DIR] [--only OP]";

/// The logged-in user of the write operations (owns the parity project and studio).
const ME: &str = "griffpatch";

struct Options {
    python: PathBuf,
    compat: PathBuf,
    allowlist: PathBuf,
    out: PathBuf,
    only: Option<String>,
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let compat = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../compat");
    let mut options = Options {
        python: compat.join(".venv/bin/python"),
        allowlist: compat.join("parity_allowlist.json"),
        out: compat.join("out/parity"),
        compat,
        only: None,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--python" => options.python = value()?.into(),
            "--compat" => {
                options.compat = value()?.into();
                options.allowlist = options.compat.join("parity_allowlist.json");
            }
            "--allowlist" => options.allowlist = value()?.into(),
            "--out" => options.out = value()?.into(),
            "--only" => options.only = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// One sandbox with its log and cloud witness.
struct World {
    sandbox: SandboxHandle,
    witness: witness::Witness,
    log: PathBuf,
}

async fn world(log: PathBuf) -> Result<World, String> {
    let _ = std::fs::remove_file(&log);
    let config = SandboxConfig {
        log_requests: Some(log.clone()),
        ..SandboxConfig::default()
    };
    let sandbox = spawn_with(([127, 0, 0, 1], 0).into(), config)
        .await
        .map_err(|e| format!("sandbox: {e}"))?;
    let witness = witness::start(sandbox.addr(), log.clone())
        .await
        .map_err(|e| format!("cloud witness: {e}"))?;
    Ok(World {
        sandbox,
        witness,
        log,
    })
}

/// Creates the parity project (unshared) and studio of `ME`; the same ids on both sandboxes.
/// Also turns the sandbox's comment flood control off: both sides post several comments in a
/// row, which the live site (and the sandbox) would refuse as flooding.
async fn own_things(addr: SocketAddr) -> Result<(u64, u64), String> {
    http::json(
        addr,
        "POST",
        "/_sandbox/settings",
        Some(&json!({"comment_flood_seconds": 0})),
    )
    .await?;
    let project = http::json(
        addr,
        "POST",
        "/_sandbox/projects",
        Some(&json!({"owner": ME, "title": "parity project", "shared": false})),
    )
    .await?;
    let studio = http::json(
        addr,
        "POST",
        "/_sandbox/studios",
        Some(&json!({"owner": ME, "title": "parity studio"})),
    )
    .await?;
    let id = |v: &Value| v["id"].as_u64().ok_or(format!("no id in {v}"));
    Ok((id(&project)?, id(&studio)?))
}

/// The operations' arguments, looked up on one sandbox (both are seeded alike).
async fn arguments(a: &World, b: &World) -> Result<Args, String> {
    let (my_project, my_studio) = own_things(a.sandbox.addr()).await?;
    if own_things(b.sandbox.addr()).await? != (my_project, my_studio) {
        return Err("the two sandboxes gave the parity project different ids".into());
    }
    let addr = a.sandbox.addr();
    let comments = http::json(
        addr,
        "GET",
        "/api/users/mres/projects/142/comments?limit=40",
        None,
    )
    .await?;
    let comment_with_replies = comments
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["reply_count"].as_u64().unwrap_or(0) > 0)
        .and_then(|c| c["id"].as_u64())
        .ok_or("no comment with replies on project 142")?;
    // Before any marker: not compared.
    let profile = scratchkit::Client::sandbox(addr)
        .user(ME)
        .comments()
        .list()
        .limit(2)
        .await
        .map_err(|e| format!("profile comments of {ME}: {e}"))?;
    let [first, second, ..] = profile.items.as_slice() else {
        return Err(format!("{ME} has fewer than two profile comments"));
    };
    Ok(Args {
        user: "mres".into(),
        project: 142,
        project_author: "mres".into(),
        studio: 5342,
        comment_with_replies,
        me: ME.into(),
        password: DEMO_PASSWORD.into(),
        my_project,
        my_studio,
        profile_comment_delete: first.id.get(),
        profile_comment_report: second.id.get(),
        cloud_project: 142,
        cloud_value: 4242,
    })
}

/// Runs `compat/parity_sa.py` (blocking, in its own thread) and returns its outcomes.
fn python_side(
    options: &Options,
    sandbox: SocketAddr,
    ws: SocketAddr,
    args: &Args,
    ops: &[&str],
) -> Result<BTreeMap<String, String>, String> {
    let args_json = serde_json::to_string(args).map_err(|e| e.to_string())?;
    let output = std::process::Command::new(&options.python)
        .arg(options.compat.join("parity_sa.py"))
        .args(["--sandbox", &sandbox.to_string()])
        .args(["--ws", &ws.to_string()])
        .args(["--args", &args_json])
        .args(ops)
        .env("PYTHONPATH", &options.compat)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", options.python.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let parsed = stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<Value>(l).ok())
        .ok_or_else(|| {
            format!(
                "parity_sa.py printed no result (status {}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    Ok(parsed["ops"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("?").to_owned()))
        .collect())
}

fn read_ops(path: &Path) -> Result<log::OpRequests, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(log::split(&text).0)
}

/// Status of one operation in the table, from the numbers of unexplained differences,
/// explained ones, explained client-wide ones, and whether something was fixed for it.
fn status(unexplained: usize, explained: usize, client_wide: usize, fixed: bool) -> &'static str {
    match (unexplained, explained, client_wide, fixed) {
        (1.., ..) => "DIFFERENT (unexplained)",
        (0, 1.., ..) => "different (explained)",
        (0, 0, 1.., true) => "identical* (fixed)",
        (0, 0, 1.., false) => "identical*",
        (0, 0, 0, true) => "identical (fixed)",
        (0, 0, 0, false) => "identical",
    }
}

async fn run(options: Options) -> Result<bool, String> {
    std::fs::create_dir_all(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    let allowlist_text = std::fs::read_to_string(&options.allowlist)
        .map_err(|e| format!("{}: {e}", options.allowlist.display()))?;
    let allow = Allowlist::parse(&allowlist_text)?;
    let ops: Vec<&str> = OPS
        .iter()
        .copied()
        .filter(|op| options.only.as_deref().is_none_or(|o| op.contains(o)))
        .collect();
    let needs_login =
        |op: &&str| OPS.iter().position(|o| o == op) > OPS.iter().position(|o| *o == "login");
    let mut ops_to_run = ops.clone();
    if ops.iter().any(needs_login) && !ops.contains(&"login") {
        ops_to_run.insert(0, "login");
    }

    let sa_world = world(options.out.join("scratchattach.jsonl")).await?;
    let sk_world = world(options.out.join("scratchkit.jsonl")).await?;
    let args = arguments(&sk_world, &sa_world).await?;

    // The two sides run at the same time, each on its own sandbox.
    let python = {
        let (python, compat) = (options.python.clone(), options.compat.clone());
        let opts = Options {
            python,
            compat,
            allowlist: PathBuf::new(),
            out: PathBuf::new(),
            only: None,
        };
        let world_addr = (sa_world.sandbox.addr(), sa_world.witness.addr());
        let args = args.clone();
        let list: Vec<String> = ops_to_run.iter().map(|s| (*s).to_owned()).collect();
        tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = list.iter().map(String::as_str).collect();
            python_side(&opts, world_addr.0, world_addr.1, &args, &refs)
        })
    };
    let mut side = Side::new(
        sk_world.sandbox.addr(),
        sk_world.witness.addr(),
        args.clone(),
    )?;
    let mut ours = BTreeMap::new();
    for op in &ops_to_run {
        let outcome = match side.run(op).await {
            Ok(()) => "ok".to_owned(),
            Err(e) => format!("error: {e}"),
        };
        ours.insert((*op).to_owned(), outcome);
    }
    http::mark(sk_world.sandbox.addr(), "-").await?;
    let theirs = python.await.map_err(|e| format!("python side: {e}"))??;
    // Give the witnesses a moment to write the last messages, then stop everything.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (sa_log, sk_log) = (sa_world.log.clone(), sk_world.log.clone());
    for w in [sa_world, sk_world] {
        drop(w.witness);
        w.sandbox.shutdown().await;
    }
    let sa_ops = read_ops(&sa_log)?;
    let sk_ops = read_ops(&sk_log)?;

    let mut rows = Vec::new();
    let mut used_entries = std::collections::BTreeSet::new();
    let (mut identical, mut identical_but_wide, mut explained_ops, mut unexplained_ops) =
        (0, 0, 0, 0);
    let empty = Vec::new();
    println!(
        "| operation | scratchattach | scratchkit | result | differences |\n|---|---|---|---|---|"
    );
    for op in &ops {
        let sa = sa_ops.get(*op).unwrap_or(&empty);
        let sk = sk_ops.get(*op).unwrap_or(&empty);
        let mut cmp = compare_op(sa, sk);
        if sa.is_empty() && sk.is_empty() {
            cmp.differences.push(Difference {
                kind: "nothing-sent".into(),
                detail: "neither side sent a request".into(),
            });
        }
        let mut unexplained = Vec::new();
        let mut explained = Vec::new();
        for d in &cmp.differences {
            match allow.explain(op, d) {
                Some(i) => {
                    used_entries.insert(i);
                    explained.push((d.clone(), i));
                }
                None => unexplained.push(d.clone()),
            }
        }
        let fixed = allow.fixed_for(op);
        let wide = explained
            .iter()
            .filter(|(_, i)| allow.differences[*i].client_wide)
            .count();
        let result = status(
            unexplained.len(),
            explained.len() - wide,
            wide,
            !fixed.is_empty(),
        );
        match (unexplained.is_empty(), explained.len() - wide, wide) {
            (false, ..) => unexplained_ops += 1,
            (true, 1.., _) => explained_ops += 1,
            (true, 0, 1..) => identical_but_wide += 1,
            (true, 0, 0) => identical += 1,
        }
        let mut cell: Vec<String> = unexplained
            .iter()
            .map(|d| format!("**{}: {}**", d.kind, d.detail))
            .collect();
        cell.extend(
            explained
                .iter()
                .map(|(d, i)| format!("{} [{}]", d.kind, i + 1)),
        );
        cell.extend(fixed.iter().map(|f| format!("fixed: {f}")));
        if !cmp.notes.is_empty() {
            cell.push(format!("trailing slash differs ×{}", cmp.notes.len()));
        }
        println!(
            "| {op} | {} | {} | {result} | {} |",
            sa.len(),
            sk.len(),
            cell.join("; ")
        );
        rows.push(json!({
            "op": op,
            "result": result,
            "scratchattach_requests": sa.len(),
            "scratchkit_requests": sk.len(),
            "scratchattach_outcome": theirs.get(*op),
            "scratchkit_outcome": ours.get(*op),
            "unexplained": unexplained.iter().map(|d| json!({"kind": d.kind, "detail": d.detail})).collect::<Vec<_>>(),
            "explained": explained.iter().map(|(d, i)| json!({"kind": d.kind, "detail": d.detail, "reason": allow.differences[*i].reason})).collect::<Vec<_>>(),
            "fixed": fixed,
            "notes": cmp.notes,
        }));
    }
    println!("\n`identical*`: the same requests, up to the client-wide differences marked below.");
    println!("\nExplained differences (compat/parity_allowlist.json):");
    for (i, entry) in allow.differences.iter().enumerate() {
        let mark = if used_entries.contains(&i) {
            ""
        } else {
            " (not seen in this run)"
        };
        let wide = if entry.client_wide {
            " (client-wide)"
        } else {
            ""
        };
        println!("  [{}] {}{wide}: {}{mark}", i + 1, entry.kind, entry.reason);
    }
    let failed_sides: Vec<String> = ops
        .iter()
        .filter_map(|op| {
            let sk = ours.get(*op).map_or("not run", String::as_str);
            let sa = theirs.get(*op).map_or("not run", String::as_str);
            (sk != "ok" || sa != "ok")
                .then(|| format!("  {op}: scratchattach {sa}; scratchkit {sk}"))
        })
        .collect();
    if !failed_sides.is_empty() {
        println!("\nOperations that raised an error (their requests were still compared):");
        for line in &failed_sides {
            println!("{line}");
        }
    }
    println!(
        "\nwire parity: {} operations compared: {} identical ({identical_but_wide} of them up to the client-wide differences), {explained_ops} different with a reason, {unexplained_ops} unexplained",
        ops.len(),
        identical + identical_but_wide,
    );
    let summary = json!({
        "compared": ops.len(),
        "identical": identical + identical_but_wide,
        "identical_up_to_client_wide": identical_but_wide,
        "different_with_reason": explained_ops,
        "unexplained": unexplained_ops,
        "operations": rows,
    });
    let path = options.out.join("parity.json");
    std::fs::write(&path, format!("{summary:#}\n"))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(unexplained_ops == 0)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("wire-parity: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(options).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("wire-parity: unexplained differences (see the table above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("wire-parity: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(status(0, 0, 0, false), "identical");
        assert_eq!(status(0, 0, 0, true), "identical (fixed)");
        assert_eq!(status(0, 0, 1, false), "identical*");
        assert_eq!(status(0, 2, 1, true), "different (explained)");
        assert_eq!(status(1, 2, 0, false), "DIFFERENT (unexplained)");
    }

    #[test]
    fn options() {
        let o = parse(vec![
            "--only".into(),
            "love".into(),
            "--compat".into(),
            "/c".into(),
        ])
        .unwrap();
        assert_eq!(o.only.as_deref(), Some("love"));
        assert_eq!(o.allowlist, PathBuf::from("/c/parity_allowlist.json"));
        assert!(parse(vec!["--bogus".into()]).is_err());
        assert!(parse(vec!["--out".into()]).is_err());
    }

    #[test]
    fn every_operation_has_a_python_side() {
        let script = include_str!("../../../../../compat/parity_sa.py");
        for op in OPS {
            assert!(
                script.contains(&format!("op(\"{op}\"")),
                "compat/parity_sa.py has no operation {op}"
            );
        }
    }
}
