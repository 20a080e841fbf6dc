//! A Cloud Requests host (scratchattach template compatible) with Cloud Storage, runnable
//! against the sandbox's cloud server.
//!
//! ```text
//! # 1. the sandbox's cloud server: ws://127.0.0.1:8008/cloud and /turbowarp, in memory
//! cargo run -p scratchkit-cli -- cloud-server
//! # 2. this host, on TurboWarp rules, project 1234 (storage in ./cloud-storage.json)
//! cargo run -p scratchkit-cloud-requests --example cloud_requests_server -- ws://127.0.0.1:8008/turbowarp 1234
//! ```
//!
//! Then run a project with the template sprite against the same server (or drive it with
//! `scratchkit_cloud_requests::TemplateClient`). Requests served: `ping`, `echo&…`,
//! `add&a&b`, `whoami`, `shout&text` (pushes the text to every copy of the project), and
//! the Cloud Storage requests `get`, `set`, `keys`, `database_names`. A `…/cloud` URL uses
//! Scratch rules (the sandbox then wants a session cookie: pass it as a third argument).
//! Stop with Ctrl-C.

use std::sync::Arc;

use scratchkit::cloud::{CloudConfig, CloudConnection, CloudRules};
use scratchkit_cloud_requests::{CloudRequests, CloudStorage, RequestContext, Response};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "ws://127.0.0.1:8008/turbowarp".to_owned());
    let project = args.next().unwrap_or_else(|| "1234".to_owned());
    let session = args.next();

    let config = if url.ends_with("/cloud") || url.ends_with("/cloud/") {
        CloudConfig::scratch(project.as_str(), "host", session.unwrap_or_default())
            .with_url(url.as_str())
    } else {
        CloudConfig::custom(
            url.as_str(),
            project.as_str(),
            "host",
            CloudRules::turbowarp(),
        )
        .with_user_agent("scratchkit-example/cloud-requests (local sandbox)")
    };
    let (sender, events) = CloudConnection::connect(config).await?;
    println!("connected to {url}, project {project}");

    let storage = CloudStorage::open("cloud-storage.json", ["scores", "names"])?;
    let pushes: Arc<std::sync::OnceLock<Arc<scratchkit_cloud_requests::RequestsHandle>>> =
        Arc::default();
    let shout_to = Arc::clone(&pushes);
    let requests = CloudRequests::new(sender, events)
        .handler("echo", |ctx: RequestContext| async move {
            Ok(ctx.args.join("&"))
        })
        .handler("add", |ctx: RequestContext| async move {
            let a: u64 = ctx.arg(0)?.trim().parse()?;
            let b: u64 = ctx.arg(1)?.trim().parse()?;
            Ok(Response::Number(a + b))
        })
        .handler("whoami", |ctx: RequestContext| async move {
            Ok(ctx.requester.unwrap_or_else(|| "unknown".to_owned()))
        })
        .handler("shout", move |ctx: RequestContext| {
            let pushes = Arc::clone(&shout_to);
            async move {
                let text = ctx.arg(0)?.to_owned();
                if let Some(host) = pushes.get() {
                    host.push(text.as_str())?;
                }
                Ok("sent")
            }
        });
    // Cloud Storage registers ping, get, set, keys and database_names.
    let (host, mut events) = storage.install(requests).start();
    let host = Arc::new(host);
    let _ = pushes.set(Arc::clone(&host));

    loop {
        tokio::select! {
            event = events.recv() => match event {
                Some(event) => println!("{event:?}"),
                None => break,
            },
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    host.shutdown().await;
    storage.save().await?;
    Ok(())
}
