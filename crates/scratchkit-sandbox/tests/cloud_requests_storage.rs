//! Cloud Storage, restarts and requester lookup, end to end through the sandbox's cloud
//! server on 127.0.0.1.

mod cloud_requests_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cloud_requests_support::*;
use scratchkit::{Client, Host, Hosts, RateLimit, Url};
use scratchkit_cloud_requests::{
    CloudLogsLookup, CloudStorage, PING_REPLY, RequestContext, RequestEvent, SET_REPLY,
};
use scratchkit_sandbox::cloud::CloudMode;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchkit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn storage_round_trips(mode: CloudMode, dir: &str) {
    let dir = temp_dir(dir);
    let path = dir.join("storage.json");
    let server = server().await;
    let storage = CloudStorage::open(&path, ["scores", "names"]).unwrap();
    let (_host, mut events) = storage.install(host_builder(&server, mode).await).start();
    assert_eq!(wait_event(&mut events, |_| true).await, RequestEvent::Ready);
    wait_for_clients(&server, mode, 1).await;
    let mut template = template(&server, mode).await;

    let ping = settle(template.request("ping", &[])).await.unwrap();
    assert_eq!(ping.items, [PING_REPLY]);
    // `set` is acknowledged (scratchattach leaves the project waiting 10 s).
    let set = settle(template.request("set", &["scores", "alice", "42"]))
        .await
        .unwrap();
    assert_eq!(set.items, [SET_REPLY]);
    let set = settle(template.request("set", &["scores", "bob", "17"]))
        .await
        .unwrap();
    assert_eq!(set.items, [SET_REPLY]);
    let get = settle(template.request("get", &["scores", "alice"]))
        .await
        .unwrap();
    assert_eq!(get.items, ["42"]);
    let missing = settle(template.request("get", &["scores", "carol"]))
        .await
        .unwrap();
    assert_eq!(
        missing.items,
        ["Error: Key carol doesn't exist in database scores"]
    );
    let no_db = settle(template.request("get", &["nope", "x"]))
        .await
        .unwrap();
    assert_eq!(no_db.items, ["Error: Database nope doesn't exist"]);
    let keys = settle(template.request("keys", &["scores"])).await.unwrap();
    assert_eq!(keys.items, ["alice", "bob"]);
    let names = settle(template.request("database_names", &[]))
        .await
        .unwrap();
    assert_eq!(names.items, ["names", "scores"]);

    // The file survives a restart.
    let reopened = CloudStorage::open(&path, ["scores"]).unwrap();
    assert_eq!(reopened.get("scores", "bob").as_deref(), Some("17"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(start_paused = true)]
async fn storage_on_scratch_rules() {
    storage_round_trips(CloudMode::Scratch, "storage-scratch").await;
}

#[tokio::test(start_paused = true)]
async fn storage_on_turbowarp_rules() {
    storage_round_trips(CloudMode::TurboWarp, "storage-turbowarp").await;
}

/// A restarted host must not run the request left in TO_HOST again.
async fn restart_does_not_rerun(mode: CloudMode, with_file: bool) {
    let dir = temp_dir(&format!("restart-{mode:?}-{with_file}"));
    let memory = dir.join("memory.json");
    let server = server().await;
    let runs = Arc::new(AtomicUsize::new(0));
    let start_host = |runs: Arc<AtomicUsize>, builder: scratchkit_cloud_requests::CloudRequests| {
        let builder = builder.handler("count", move |_ctx: RequestContext| {
            let runs = Arc::clone(&runs);
            async move { Ok(runs.fetch_add(1, Ordering::SeqCst) as u64 + 1) }
        });
        if with_file {
            builder.memory_file(&memory)
        } else {
            builder
        }
        .start()
    };
    let (host, mut events) = start_host(Arc::clone(&runs), host_builder(&server, mode).await);
    assert_eq!(wait_event(&mut events, |_| true).await, RequestEvent::Ready);
    wait_for_clients(&server, mode, 1).await;
    let mut template = template(&server, mode).await;
    let reply = settle(template.request_with_id("count", &[], "777770"))
        .await
        .unwrap();
    assert_eq!(reply.items, ["1"]);

    // The host process "crashes": its connection goes, a new host starts with the same
    // (or no) memory file and joins the room, whose snapshot still holds the request.
    settle(host.shutdown()).await;
    host.sender().close();
    wait_for_clients(&server, mode, 1).await;
    let (_host2, mut events2) = start_host(Arc::clone(&runs), host_builder(&server, mode).await);
    let skipped = wait_event(&mut events2, |e| {
        matches!(
            e,
            RequestEvent::Duplicate { .. } | RequestEvent::Stale { .. }
        )
    })
    .await;
    if with_file {
        assert_eq!(
            skipped,
            RequestEvent::Duplicate {
                id: "777770".into()
            }
        );
    } else {
        assert_eq!(
            skipped,
            RequestEvent::Stale {
                id: "777770".into()
            }
        );
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1, "the request ran again");
    // The new host serves new requests.
    wait_for_clients(&server, mode, 2).await;
    let reply = settle(template.request("count", &[])).await.unwrap();
    assert_eq!(reply.items, ["2"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(start_paused = true)]
async fn restart_with_memory_file_scratch() {
    restart_does_not_rerun(CloudMode::Scratch, true).await;
}

#[tokio::test(start_paused = true)]
async fn restart_without_memory_file_turbowarp() {
    restart_does_not_rerun(CloudMode::TurboWarp, false).await;
}

#[tokio::test(start_paused = true)]
async fn restart_without_memory_file_scratch() {
    restart_does_not_rerun(CloudMode::Scratch, false).await;
}

/// A client whose clouddata host is the standalone cloud server (its `/logs`).
fn logs_client(server: &scratchkit_sandbox::cloud::CloudServer, base: Option<&str>) -> Client {
    let base = Url::parse(base.unwrap_or(&format!("http://{}/", server.addr()))).unwrap();
    Client::builder()
        .hosts(Hosts::sandbox(server.addr()).with(Host::CloudData, base))
        .rate_limit(RateLimit::unlimited())
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn requester_from_the_logs_by_exact_value() {
    let server = server().await;
    let lookup = CloudLogsLookup::new(logs_client(&server, None), 1u64)
        .with_attempts(2, Duration::from_millis(100));
    let (_host, mut events) = host_builder(&server, CloudMode::Scratch)
        .await
        .handler("whoami", |ctx: RequestContext| async move {
            Ok(ctx.requester.unwrap_or_else(|| "unknown".into()))
        })
        .requester_lookup(lookup)
        .start();
    assert_eq!(wait_event(&mut events, |_| true).await, RequestEvent::Ready);
    wait_for_clients(&server, CloudMode::Scratch, 1).await;
    let mut template = template(&server, CloudMode::Scratch).await;
    let reply = settle(template.request("whoami", &[])).await.unwrap();
    assert_eq!(reply.items, ["player"]);
}

#[tokio::test(start_paused = true)]
async fn requester_is_none_when_the_logs_are_down() {
    let server = server().await;
    // Port 9 on 127.0.0.1: nothing listens there, the logs are "down".
    let lookup = CloudLogsLookup::new(logs_client(&server, Some("http://127.0.0.1:9/")), 1u64)
        .with_attempts(2, Duration::from_millis(100));
    let (_host, mut events) = host_builder(&server, CloudMode::Scratch)
        .await
        .handler("whoami", |ctx: RequestContext| async move {
            Ok(ctx.requester.unwrap_or_else(|| "unknown".into()))
        })
        .requester_lookup(lookup)
        .start();
    assert_eq!(wait_event(&mut events, |_| true).await, RequestEvent::Ready);
    wait_for_clients(&server, CloudMode::Scratch, 1).await;
    let mut template = template(&server, CloudMode::Scratch).await;
    let reply = settle(template.request("whoami", &[])).await.unwrap();
    assert_eq!(reply.items, ["unknown"]);
}
