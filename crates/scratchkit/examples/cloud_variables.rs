//! Cloud variables: connect to a project's cloud, set a variable, watch the events, and read
//! who set what from the cloud log.
//!
//! Against the sandbox (the default) the demo account logs in. With `--live`, set
//! `SCRATCH_USERNAME`, `SCRATCH_PASSWORD` and `PROJECT_ID` (a project of yours with a cloud
//! variable named `score`).
//!
//! ```text
//! cargo run -p scratchkit --example cloud_variables
//! ```

mod common;

use std::time::Duration;

use futures_util::StreamExt as _;
use scratchkit::cloud::CloudEvent;
use scratchkit::model::ProjectId;
use secrecy::SecretString;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = common::Target::from_args().await?;
    let client = &target.client;
    let (username, password, project) = if target.sandbox.is_some() {
        (
            common::DEMO_ACCOUNT.to_owned(),
            SecretString::from(scratchkit_sandbox::DEMO_PASSWORD),
            ProjectId(142),
        )
    } else {
        (
            std::env::var("SCRATCH_USERNAME")?,
            SecretString::from(std::env::var("SCRATCH_PASSWORD")?),
            ProjectId(std::env::var("PROJECT_ID")?.parse()?),
        )
    };
    client.login(&username, password).await?;

    // A second connection watches what the first one sets.
    let (_watcher, mut events) = client.cloud(project).await?;
    let (sender, _own_events) = client.cloud(project).await?;
    sender.set("score", 1234)?;

    let seen = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(event) = events.next().await {
            if let CloudEvent::Set { name, value } = event {
                return Some((name, value));
            }
        }
        None
    })
    .await?;
    match seen {
        Some((name, value)) => println!("the watcher saw {name} = {value}"),
        None => println!("the watcher's connection ended"),
    }

    let log = client.cloud_logs(project).limit(5).await?;
    for entry in log.items {
        println!("log: {} set {} to {}", entry.user, entry.name, entry.value);
    }

    target.finish().await;
    Ok(())
}
