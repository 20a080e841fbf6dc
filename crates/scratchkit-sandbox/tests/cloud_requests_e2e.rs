//! Cloud Requests end to end: scratchkit's host and the template-like client, both through
//! the sandbox's cloud server on 127.0.0.1, on Scratch rules (256 characters, 10 variables,
//! 10 messages/s) and on TurboWarp rules.

mod cloud_requests_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cloud_requests_support::*;
use scratchkit::cloud::{CloudEvent, CloudSender};
use scratchkit_cloud_requests::{
    Encoding, RequestContext, RequestEvent, RequestEvents, RequestsHandle, Response,
    TemplateClient, TemplateError, request_values,
};
use scratchkit_sandbox::cloud::{CloudMode, CloudServer};

/// A host with the test handlers, started, and a template in the room.
async fn setup(
    mode: CloudMode,
) -> (
    CloudServer,
    RequestsHandle,
    RequestEvents,
    TemplateClient,
    Arc<AtomicUsize>,
) {
    let server = server().await;
    let counter = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&counter);
    let (host, mut events) = host_builder(&server, mode)
        .await
        .handler("ping", |_ctx: RequestContext| async { Ok("pong") })
        .handler("echo", |ctx: RequestContext| async move {
            Ok(ctx.args.join("&"))
        })
        .handler("repeat", |ctx: RequestContext| async move {
            let n: usize = ctx.arg(0)?.parse()?;
            Ok("x".repeat(n))
        })
        .handler("list", |_ctx: RequestContext| async {
            Ok(vec!["alice", "42"])
        })
        .handler("number", |_ctx: RequestContext| async { Ok(12345u32) })
        .handler("half", |_ctx: RequestContext| async { Ok(1.5) })
        .handler("fail", |_ctx: RequestContext| async {
            Err::<Response, _>("the database is down".into())
        })
        .handler("panic", |ctx: RequestContext| async move {
            if ctx.name == "panic" {
                panic!("a handler that panics (expected in this test)");
            }
            Ok("unreachable")
        })
        .handler("count", move |_ctx: RequestContext| {
            let count = Arc::clone(&count);
            async move { Ok(count.fetch_add(1, Ordering::SeqCst) as u64 + 1) }
        })
        .start();
    assert_eq!(wait_event(&mut events, |_| true).await, RequestEvent::Ready);
    wait_for_clients(&server, mode, 1).await;
    let template = template(&server, mode).await;
    (server, host, events, template, counter)
}

async fn single_packet_golden_values(mode: CloudMode) {
    let (server, _host, mut events, mut template, _) = setup(mode).await;
    let reply = settle(template.request_with_id("ping", &[], "123450"))
        .await
        .unwrap();
    assert_eq!(reply.items, ["pong"]);
    assert!(!reply.raw);
    assert_eq!(reply.packets, 1);
    // The exact values of the reference (§3.1, §4.3).
    assert_eq!(template.sent(), ["51374733.123450"]);
    assert_eq!(
        room_value(&server, mode, "TO_HOST").as_deref(),
        Some("51374733.123450")
    );
    assert_eq!(
        room_value(&server, mode, "FROM_HOST_1").as_deref(),
        Some("51494733.1234502222")
    );
    let received = wait_event(&mut events, |e| matches!(e, RequestEvent::Received { .. })).await;
    assert_eq!(
        received,
        RequestEvent::Received {
            id: "123450".into(),
            name: "ping".into(),
            args: vec![]
        }
    );

    // A number goes raw (`3222`), to the next variable in round robin.
    let reply = settle(template.request_with_id("number", &[], "223450"))
        .await
        .unwrap();
    assert_eq!(
        (reply.items.as_slice(), reply.raw),
        (&["12345".to_owned()][..], true)
    );
    assert_eq!(
        room_value(&server, mode, "FROM_HOST_2").as_deref(),
        Some("12345.2234503222")
    );
    // A list result: one item per element.
    let reply = settle(template.request("list", &[])).await.unwrap();
    assert_eq!(reply.items, ["alice", "42"]);
    // Floats are text, never truncated.
    let reply = settle(template.request("half", &[])).await.unwrap();
    assert_eq!(
        (reply.items.as_slice(), reply.raw),
        (&["1.5".to_owned()][..], false)
    );
    // Arguments, with an `&` inside one (no escaping: the host joins them back here).
    let reply = settle(template.request("echo", &["a b", "Hello, World!"]))
        .await
        .unwrap();
    assert_eq!(reply.items, ["a b&Hello, World!"]);
}

async fn long_reply_in_many_packets(mode: CloudMode) {
    let (server, _host, mut events, mut template, _) = setup(mode).await;
    // Scratch: 2 000 characters = 4 000 digits = 17 packets of at most 255 characters.
    // TurboWarp: 60 000 characters = 120 000 digits = 2 packets of at most 100 000.
    let (chars, packets) = match mode {
        CloudMode::Scratch => (2_000, 17),
        CloudMode::TurboWarp => (60_000, 2),
    };
    let reply = settle(template.request("repeat", &[&chars.to_string()]))
        .await
        .unwrap();
    assert!(
        reply.items == ["x".repeat(chars)],
        "{} characters",
        reply.items[0].len()
    );
    assert_eq!(reply.packets, packets);
    // No packet was lost: on Scratch rules the host stayed under the server's rate limit.
    assert_eq!(reply.rerequests, 0);
    let replied = wait_event(&mut events, |e| matches!(e, RequestEvent::Replied { .. })).await;
    assert!(matches!(replied, RequestEvent::Replied { packets: p, .. } if p == packets));
    for n in 1..=9 {
        if let Some(value) = room_value(&server, mode, &format!("FROM_HOST_{n}")) {
            assert!(
                value.len() <= mode_limit(mode),
                "FROM_HOST_{n} is {} long",
                value.len()
            );
        }
    }
}

fn mode_limit(mode: CloudMode) -> usize {
    match mode {
        CloudMode::Scratch => 256,
        CloudMode::TurboWarp => 100_000,
    }
}

async fn chunked_request(mode: CloudMode) {
    let (_server, _host, _events, mut template, _) = setup(mode).await;
    let long = "y".repeat(150);
    let reply = settle(template.request_with_id("echo", &[&long], "123450"))
        .await
        .unwrap();
    assert_eq!(reply.items, [long]);
    // `echo&` + 150 characters = 310 digits: a 253-character `-` chunk, then the rest.
    let sent = template.sent();
    assert_eq!(sent.len(), 2);
    assert!(sent[0].starts_with('-') && sent[0].len() == 253);
    assert_eq!(sent[1].len(), 72);
}

async fn unknown_request_and_handler_error(mode: CloudMode) {
    let (_server, _host, mut events, mut template, _) = setup(mode).await;
    let reply = settle(template.request("nope", &["1"])).await.unwrap();
    assert_eq!(reply.items, ["Error: unknown request nope"]);
    let unknown = wait_event(&mut events, |e| {
        matches!(e, RequestEvent::UnknownRequest { .. })
    })
    .await;
    assert!(matches!(unknown, RequestEvent::UnknownRequest { name, .. } if name == "nope"));

    let reply = settle(template.request("fail", &[])).await.unwrap();
    assert_eq!(reply.items[0], "Error in request fail");
    let error = wait_event(&mut events, |e| {
        matches!(e, RequestEvent::HandlerError { .. })
    })
    .await;
    assert!(
        matches!(&error, RequestEvent::HandlerError { name, error, .. } if name == "fail" && error == "the database is down"),
        "{error:?}"
    );
    // A panicking handler is an error reply too, and the host goes on serving.
    let reply = settle(template.request("panic", &[])).await.unwrap();
    assert_eq!(reply.items[0], "Error in request panic");
    let error = wait_event(
        &mut events,
        |e| matches!(e, RequestEvent::HandlerError { name, .. } if name == "panic"),
    )
    .await;
    assert!(
        matches!(&error, RequestEvent::HandlerError { error, .. } if error == "the handler panicked"),
        "{error:?}"
    );
    // A missing argument is a handler error too.
    let reply = settle(template.request("repeat", &[])).await.unwrap();
    assert!(reply.items[0].starts_with("Error"));
}

async fn lost_packet_is_requested_again(mode: CloudMode) {
    let (_server, _host, mut events, template, _) = setup(mode).await;
    let mut dropped = false;
    // Lose the first arrival of part 2.
    let mut template = template.with_loss(move |value| {
        if !dropped && value.ends_with("0021") {
            dropped = true;
            return true;
        }
        false
    });
    // Part 2 must not be the last part: the template cannot notice a lost last part (it
    // learns the number of parts only from the parts it receives).
    let (chars, packets) = match mode {
        CloudMode::Scratch => (500, 5),
        CloudMode::TurboWarp => (150_000, 4),
    };
    let reply = settle(template.request_with_id("repeat", &[&chars.to_string()], "423450"))
        .await
        .unwrap();
    assert!(
        reply.items == ["x".repeat(chars)],
        "{} characters",
        reply.items[0].len()
    );
    assert_eq!(reply.packets, packets);
    assert!(reply.rerequests >= 1);
    // The template's re-request format (§5): `<k−1>.<id>9` for part k = 2.
    assert!(
        template.sent().iter().any(|v| v == "1.4234509"),
        "{:?}",
        template.sent()
    );
    let resent = wait_event(&mut events, |e| matches!(e, RequestEvent::Resent { .. })).await;
    assert_eq!(
        resent,
        RequestEvent::Resent {
            id: "423450".into(),
            part: 2
        }
    );
}

async fn server_push(mode: CloudMode) {
    let (_server, host, mut events, mut template, _) = setup(mode).await;
    let id = host.push("hi").unwrap();
    assert_eq!(id.len(), 13);
    let push = settle(template.next_push()).await.unwrap();
    assert_eq!(push.items, ["hi"]);
    let pushed = wait_event(&mut events, |e| matches!(e, RequestEvent::Pushed { .. })).await;
    assert_eq!(pushed, RequestEvent::Pushed { id, packets: 1 });
    host.push(vec!["a", "b c"]).unwrap();
    let push = settle(template.next_push()).await.unwrap();
    assert_eq!(push.items, ["a", "b c"]);
}

async fn no_duplicate_execution_after_reconnect(mode: CloudMode) {
    let (server, _host, mut events, mut template, counter) = setup(mode).await;
    let reply = settle(template.request_with_id("count", &[], "555550"))
        .await
        .unwrap();
    assert_eq!(reply.items, ["1"]);
    // Drop the host's connection: it reconnects and the join snapshot repeats TO_HOST.
    assert_eq!(server.state().disconnect(mode, PROJECT, Some("host")), 1);
    wait_event(&mut events, |e| *e == RequestEvent::Reconnected).await;
    let duplicate = wait_event(&mut events, |e| matches!(e, RequestEvent::Duplicate { .. })).await;
    assert_eq!(
        duplicate,
        RequestEvent::Duplicate {
            id: "555550".into()
        }
    );
    assert_eq!(counter.load(Ordering::SeqCst), 1, "the request ran again");
    // Still serving after the reconnect.
    wait_for_clients(&server, mode, 2).await;
    let reply = settle(template.request("count", &[])).await.unwrap();
    assert_eq!(reply.items, ["2"]);
}

/// A player who sets `TO_HOST` directly (a `set` request with id 424240), and that value.
async fn player_request(server: &CloudServer, mode: CloudMode) -> (CloudSender, String) {
    let before = server.state().client_count(mode, PROJECT);
    let (player, mut events) = connect(config(server, mode, "early-player")).await;
    assert_eq!(settle(events.recv()).await, Some(CloudEvent::Connected));
    wait_for_clients(server, mode, before + 1).await;
    let values = request_values("set", &["scores", "alice", "99"], "424240");
    assert_eq!(values.len(), 1);
    send_to_host(server, mode, &player, &values[0]).await;
    (player, values[0].clone())
}

/// Sets `TO_HOST` and waits until the room holds the value.
async fn send_to_host(server: &CloudServer, mode: CloudMode, player: &CloudSender, value: &str) {
    player.set_many(&[("TO_HOST", value)]).unwrap();
    settle(async {
        while room_value(server, mode, "TO_HOST").as_deref() != Some(value) {
            tokio::task::yield_now().await;
        }
    })
    .await;
}

/// Ghost requests: a request made while no host ran is still the room's `TO_HOST` when the
/// host joins `delay` later (so it is in the join snapshot). It must never run, even though
/// nobody answered it: here a `set`, which would change stored data.
async fn request_made_before_the_host_started_never_runs(mode: CloudMode, delay: Duration) {
    let server = server().await;
    let (_player, _value) = player_request(&server, mode).await;
    tokio::time::sleep(delay).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&runs);
    let (_host, mut events) = host_builder(&server, mode)
        .await
        .handler("set", move |_ctx: RequestContext| {
            let count = Arc::clone(&count);
            async move {
                count.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        })
        .handler("ping", |_ctx: RequestContext| async { Ok("pong") })
        .start();
    // The snapshot comes within milliseconds; a handler would run right after it.
    settle(tokio::time::sleep(Duration::from_secs(3))).await;
    let seen = drain(&mut events);
    assert_eq!(
        runs.load(Ordering::SeqCst),
        0,
        "the request made before the host started ran: {seen:?}"
    );
    assert!(
        seen.contains(&RequestEvent::Stale {
            id: "424240".into()
        }),
        "{seen:?}"
    );
    assert!(seen.contains(&RequestEvent::Ready), "{seen:?}");
    for n in 1..=9 {
        assert_eq!(
            room_value(&server, mode, &format!("FROM_HOST_{n}")),
            None,
            "a reply went out"
        );
    }
    // Live requests are served.
    let mut template = template(&server, mode).await;
    let reply = settle(template.request("ping", &[])).await.unwrap();
    assert_eq!(reply.items, ["pong"]);
}

async fn request_made_2s_before_the_host_started_never_runs(mode: CloudMode) {
    request_made_before_the_host_started_never_runs(mode, Duration::from_secs(2)).await;
}

async fn request_made_12s_before_the_host_started_never_runs(mode: CloudMode) {
    request_made_before_the_host_started_never_runs(mode, Duration::from_secs(12)).await;
}

/// A request made while the host was disconnected is in the snapshot of its reconnect: it is
/// not run either, and the request answered before the disconnect is not run again.
async fn snapshot_after_a_reconnect_never_runs(mode: CloudMode) {
    let (server, _host, mut events, mut template, counter) = setup(mode).await;
    let reply = settle(template.request_with_id("count", &[], "555550"))
        .await
        .unwrap();
    assert_eq!(reply.items, ["1"]);
    assert_eq!(server.state().disconnect(mode, PROJECT, Some("host")), 1);
    wait_event(&mut events, |e| *e == RequestEvent::Disconnected).await;
    // While the host is away (it reconnects after 200 ms), a request reaches the room.
    let (_player, _value) = player_request(&server, mode).await;
    wait_event(&mut events, |e| *e == RequestEvent::Reconnected).await;
    let skipped = wait_event(&mut events, |e| {
        matches!(
            e,
            RequestEvent::Stale { .. }
                | RequestEvent::Duplicate { .. }
                | RequestEvent::Received { .. }
        )
    })
    .await;
    assert_eq!(
        skipped,
        RequestEvent::Stale {
            id: "424240".into()
        }
    );
    wait_event(&mut events, |e| *e == RequestEvent::Ready).await;
    settle(tokio::time::sleep(Duration::from_secs(3))).await;
    let seen = drain(&mut events);
    assert!(
        !seen
            .iter()
            .any(|e| matches!(e, RequestEvent::Received { .. })),
        "{seen:?}"
    );
    assert_eq!(counter.load(Ordering::SeqCst), 1, "a request ran again");
    // Still serving.
    let reply = settle(template.request("count", &[])).await.unwrap();
    assert_eq!(reply.items, ["2"]);
}

/// A host whose events were dropped (after `Ready`) goes on answering: the events are only
/// skipped, not the work.
async fn a_host_without_listeners_still_answers(mode: CloudMode) {
    let (_server, _host, events, mut template, counter) = setup(mode).await;
    drop(events);
    for expected in 1..=3u64 {
        let reply = settle(template.request("count", &[])).await.unwrap();
        assert_eq!(reply.items, [expected.to_string()]);
    }
    let reply = settle(template.request("repeat", &["300"])).await.unwrap();
    assert_eq!(reply.items, ["x".repeat(300)]);
    assert_eq!(counter.load(Ordering::SeqCst), 3);
}

async fn template_times_out_when_nobody_answers(mode: CloudMode) {
    let server = server().await;
    let mut template = template(&server, mode).await;
    let error = settle(template.request("ping", &[])).await.unwrap_err();
    assert!(matches!(error, TemplateError::Timeout(_)), "{error:?}");
    // The request itself reached the room.
    let to_host = room_value(&server, mode, "TO_HOST").unwrap();
    assert!(to_host.starts_with(&format!("{}.", Encoding::encode("ping").digits)));
}

macro_rules! both_modes {
    ($($name:ident),* $(,)?) => {
        mod scratch_rules {
            use super::*;
            $(
                #[tokio::test(start_paused = true)]
                async fn $name() {
                    super::$name(CloudMode::Scratch).await;
                }
            )*
        }
        mod turbowarp_rules {
            use super::*;
            $(
                #[tokio::test(start_paused = true)]
                async fn $name() {
                    super::$name(CloudMode::TurboWarp).await;
                }
            )*
        }
    };
}

both_modes!(
    single_packet_golden_values,
    long_reply_in_many_packets,
    chunked_request,
    unknown_request_and_handler_error,
    lost_packet_is_requested_again,
    server_push,
    no_duplicate_execution_after_reconnect,
    template_times_out_when_nobody_answers,
    a_host_without_listeners_still_answers,
    request_made_2s_before_the_host_started_never_runs,
    request_made_12s_before_the_host_started_never_runs,
    snapshot_after_a_reconnect_never_runs,
);
