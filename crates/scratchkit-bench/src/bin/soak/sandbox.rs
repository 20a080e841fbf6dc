//! The sandbox's soak: `scratch sandbox --data DIR --faults …` in a child process under a
//! sustained mix of reads, writes, logins and uploads from scratchkit clients, then a
//! `kill -9` in the middle of writes, a restart on the same data, SQLite's integrity check,
//! and a check that every write the server acknowledged is still there.
//!
//! Faults are on for the whole load phase (`rate=0.03,kinds=429|503|dropped`): the client's
//! retries absorb them for reads; a write that fails with one of them was "asked for". Any
//! other error is counted as unexpected and fails the soak.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt as _;
use scratchkit::model::{CommentId, ProjectId};
use scratchkit::{Client, Error};
use scratchkit_sandbox::DEMO_PASSWORD;

use crate::child::ServerProcess;
use crate::samples;
use crate::{Outcome, SoakOptions};

const FAULTS: &str = "rate=0.03,kinds=429|503|dropped";
/// The project every writer comments on (shared, comments on, in the demo world).
const COMMENTED_PROJECT: u64 = 142;
const READERS: usize = 4;
const WRITERS: [&str; 2] = ["griffpatch", "Maximouse"];
const UPLOADER: &str = "mres";
const READ_USERS: [&str; 3] = ["mres", "griffpatch", "kakurenbo"];
/// Acknowledged comments from the load phase checked after the restart (besides every one
/// acknowledged in the kill phase).
const SAMPLE_CHECKS: usize = 200;

#[derive(Default)]
struct Counters {
    reads: AtomicU64,
    comments: AtomicU64,
    logins: AtomicU64,
    uploads: AtomicU64,
    asked_for: AtomicU64,
    unexpected: AtomicU64,
}

impl Counters {
    /// Counts an error: one the faults produce (retryable) or one nobody asked for.
    fn error(&self, what: &str, error: &Error) {
        if error.is_retryable() {
            self.asked_for.fetch_add(1, Ordering::Relaxed);
        } else {
            self.unexpected.fetch_add(1, Ordering::Relaxed);
            eprintln!("soak sandbox: unexpected error in {what}: {error}");
        }
    }
}

/// Runs the soak and prints its report.
pub async fn run(options: &SoakOptions) -> Result<Outcome, String> {
    let data = tempdir()?;
    let mut server = start_sandbox(&options.server_bin, &data, 0, true)?;
    let addr = server.addr;
    println!(
        "sandbox {} (pid {}) at http://{addr}, data in {}",
        options.server_bin.display(),
        server.child.id(),
        data.display()
    );
    admin_post(addr, "/_sandbox/settings", r#"{"comment_flood_seconds":0}"#).await?;

    let counters = Arc::new(Counters::default());
    let acknowledged: Arc<Mutex<Vec<CommentId>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for i in 0..READERS {
        tasks.push(tokio::spawn(reader(
            addr,
            i,
            stop.clone(),
            counters.clone(),
        )));
    }
    for (i, name) in WRITERS.iter().enumerate() {
        let writer = logged_in(addr, name).await?;
        tasks.push(tokio::spawn(commenter(
            writer,
            i,
            stop.clone(),
            counters.clone(),
            acknowledged.clone(),
        )));
    }
    tasks.push(tokio::spawn(login_cycles(
        addr,
        stop.clone(),
        counters.clone(),
    )));
    tasks.push(tokio::spawn(uploader(addr, stop.clone(), counters.clone())));

    let samples_taken = samples::sample_for(options, server.child.id(), Instant::now(), || async {
        samples::Reported {
            gauge: None,
            tasks: runtime_tasks(addr).await,
        }
    })
    .await?;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    let load_phase: Vec<CommentId> = acknowledged.lock().map_err(|_| "poisoned")?.clone();

    // The kill phase: writers post flat out, and the server is killed under them.
    admin_post(addr, "/_sandbox/faults", "{}").await?;
    let killed_ack: Arc<Mutex<Vec<CommentId>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for (i, name) in WRITERS.iter().enumerate() {
        let writer = logged_in(addr, name).await?;
        writers.push(tokio::spawn(commenter(
            writer,
            10 + i,
            stop.clone(),
            Arc::new(Counters::default()),
            killed_ack.clone(),
        )));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill_9();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        let _ = writer.await;
    }
    let in_kill_phase: Vec<CommentId> = killed_ack.lock().map_err(|_| "poisoned")?.clone();

    let restarted = start_sandbox(&options.server_bin, &data, addr.port(), false)?;
    let integrity = integrity_check(&data.join("sandbox.sqlite3"))?;
    let reader = Client::sandbox(restarted.addr);
    let comments = reader.project(ProjectId(COMMENTED_PROJECT)).comments();
    let step = (load_phase.len() / SAMPLE_CHECKS).max(1);
    let to_check: Vec<CommentId> = load_phase
        .iter()
        .step_by(step)
        .chain(in_kill_phase.iter())
        .copied()
        .collect();
    let mut missing = 0usize;
    for id in &to_check {
        match comments.get(*id).await {
            Ok(_) => {}
            Err(e) if e.is_not_found() => missing += 1,
            Err(e) => return Err(format!("cannot read comment {id:?} back: {e}")),
        }
    }
    drop(restarted);
    let _ = std::fs::remove_dir_all(&data);

    let c = &*counters;
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
    println!(
        "\n### Sandbox soak ({:.0} s of load, faults `{FAULTS}`)\n",
        options.seconds
    );
    println!("| what | count |\n|---|---:|");
    for (label, value) in [
        (
            "reads (users, a project, project lists, comment pages)",
            load(&c.reads),
        ),
        ("comments posted and acknowledged", load(&c.comments)),
        ("logins", load(&c.logins)),
        ("uploads (project saves and thumbnails)", load(&c.uploads)),
        ("errors the faults asked for", load(&c.asked_for)),
        ("unexpected errors", load(&c.unexpected)),
        (
            "comments acknowledged in the kill phase",
            in_kill_phase.len() as u64,
        ),
        (
            "acknowledged comments checked after kill -9 and restart",
            to_check.len() as u64,
        ),
        ("… missing", missing as u64),
    ] {
        println!("| {label} | {value} |");
    }
    println!("| SQLite integrity check after kill -9 | {integrity} |\n");

    let mut problems = Vec::new();
    if load(&c.unexpected) > 0 {
        problems.push(format!("{} unexpected errors", load(&c.unexpected)));
    }
    if missing > 0 {
        problems.push(format!(
            "{missing} acknowledged comments were lost by kill -9"
        ));
    }
    if integrity != "ok" {
        problems.push(format!("the database is damaged: {integrity}"));
    }
    if in_kill_phase.is_empty() {
        problems
            .push("no write was acknowledged in the kill phase, so nothing was checked".to_owned());
    }
    Ok(Outcome {
        samples: samples_taken,
        gauge_name: "",
        problems,
    })
}

fn tempdir() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("scratchkit-soak-sandbox-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

fn start_sandbox(
    bin: &Path,
    data: &Path,
    port: u16,
    faults: bool,
) -> Result<ServerProcess, String> {
    let mut command = Command::new(bin);
    command
        .arg("sandbox")
        .arg("--port")
        .arg(port.to_string())
        .arg("--data")
        .arg(data);
    if faults {
        command.arg("--faults").arg(FAULTS);
    }
    ServerProcess::start(command, "http")
}

async fn admin_post(addr: SocketAddr, path: &str, body: &str) -> Result<(), String> {
    let response = crate::child::http(addr, &format!("POST {path}"), Some(body)).await?;
    if response.starts_with("HTTP/1.1 200") {
        Ok(())
    } else {
        Err(format!(
            "POST {path} was refused: {}",
            response.lines().next().unwrap_or("")
        ))
    }
}

/// Logs in, retrying what the faults cause.
async fn logged_in(addr: SocketAddr, name: &str) -> Result<Client, String> {
    for _ in 0..20 {
        let client = Client::sandbox(addr);
        match client.login(name, DEMO_PASSWORD).await {
            Ok(_) => return Ok(client),
            Err(e) if e.is_retryable() => continue,
            Err(e) => return Err(format!("cannot log in as {name}: {e}")),
        }
    }
    Err(format!("cannot log in as {name}: 20 tries hit faults"))
}

async fn reader(addr: SocketAddr, index: usize, stop: Arc<AtomicBool>, counters: Arc<Counters>) {
    let client = Client::sandbox(addr);
    let mut turn = index;
    while !stop.load(Ordering::Relaxed) {
        turn += 1;
        let user = READ_USERS[turn % READ_USERS.len()];
        let result = match turn % 4 {
            0 => client.user(user).info().await.map(drop),
            1 => client
                .project(ProjectId(COMMENTED_PROJECT))
                .info()
                .await
                .map(drop),
            2 => client
                .user(user)
                .projects()
                .max(80)
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .map(drop),
            _ => client
                .project(ProjectId(COMMENTED_PROJECT))
                .comments()
                .list()
                .max(40)
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .map(drop),
        };
        match result {
            Ok(()) => counters.reads.fetch_add(1, Ordering::Relaxed),
            Err(e) => {
                counters.error("a read", &e);
                0
            }
        };
    }
}

async fn commenter(
    client: Client,
    index: usize,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
    acknowledged: Arc<Mutex<Vec<CommentId>>>,
) {
    let comments = client.project(ProjectId(COMMENTED_PROJECT)).comments();
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        match comments
            .post(&format!("soak writer {index} comment {n}"))
            .await
        {
            Ok(comment) => {
                counters.comments.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut ids) = acknowledged.lock() {
                    ids.push(comment.id);
                }
            }
            Err(e) => counters.error("a comment", &e),
        }
    }
}

async fn login_cycles(addr: SocketAddr, stop: Arc<AtomicBool>, counters: Arc<Counters>) {
    let mut turn = 0usize;
    while !stop.load(Ordering::Relaxed) {
        turn += 1;
        let client = Client::sandbox(addr);
        match client
            .login(READ_USERS[turn % READ_USERS.len()], DEMO_PASSWORD)
            .await
        {
            Ok(_) => counters.logins.fetch_add(1, Ordering::Relaxed),
            Err(e) => {
                counters.error("a login", &e);
                0
            }
        };
    }
}

async fn uploader(addr: SocketAddr, stop: Arc<AtomicBool>, counters: Arc<Counters>) {
    let Ok(client) = logged_in(addr, UPLOADER).await else {
        counters.unexpected.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let owned = client
        .user(UPLOADER)
        .projects()
        .max(1)
        .stream()
        .try_collect::<Vec<_>>()
        .await;
    let Some(project) = owned.ok().and_then(|p| p.into_iter().next()) else {
        eprintln!("soak sandbox: {UPLOADER} has no project to save");
        counters.unexpected.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let handler = client.project(project.id);
    let body = loop {
        match handler.project_json().await {
            Ok(body) => break body,
            Err(e) if e.is_retryable() => continue,
            Err(e) => {
                counters.error("a project download", &e);
                return;
            }
        }
    };
    let mut turn = 0u64;
    while !stop.load(Ordering::Relaxed) {
        turn += 1;
        let result = if turn.is_multiple_of(2) {
            handler.save(body.clone()).await
        } else {
            handler.set_thumbnail(PNG_1X1.to_vec()).await
        };
        match result {
            Ok(()) => counters.uploads.fetch_add(1, Ordering::Relaxed),
            Err(e) => {
                counters.error("an upload", &e);
                0
            }
        };
    }
}

/// The smallest valid PNG: one transparent pixel.
const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// `PRAGMA integrity_check` on the database file: "ok" or SQLite's list of problems.
fn integrity_check(path: &Path) -> Result<String, String> {
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let rows: Vec<String> = db
        .prepare("PRAGMA integrity_check")
        .and_then(|mut statement| {
            statement
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<Result<_, _>>()
        })
        .map_err(|e| format!("integrity check failed to run: {e}"))?;
    Ok(rows.join("; "))
}

/// The sandbox's alive runtime tasks, from `GET /_sandbox/info`.
async fn runtime_tasks(addr: SocketAddr) -> Option<u64> {
    let response = crate::child::http(addr, "GET /_sandbox/info", None)
        .await
        .ok()?;
    let body = response.split_once("\r\n\r\n")?.1;
    let info: serde_json::Value = serde_json::from_str(body).ok()?;
    info.get("runtime_tasks")?.as_u64()
}
