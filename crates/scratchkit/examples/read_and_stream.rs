//! Reading: one user's profile, one page of their projects, then every project as a stream.
//!
//! ```text
//! cargo run -p scratchkit --example read_and_stream            # against an in-process sandbox
//! cargo run -p scratchkit --example read_and_stream -- --live  # against scratch.mit.edu
//! ```

mod common;

use futures_util::StreamExt as _;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = common::Target::from_args().await?;
    let user = target.client.user("mres");

    let profile = user.info().await?;
    match &profile.history.joined {
        Some(joined) => println!("{} (joined {joined})", profile.username),
        None => println!("{}", profile.username),
    }

    // One page: at most 5 projects.
    let page = user.projects().limit(5).await?;
    for project in &page.items {
        println!("  {}  {}", project.id, project.title);
    }

    // Every project, fetched a page at a time as the stream is read (here: the first 60).
    let mut stream = Box::pin(user.projects().max(60).stream());
    let mut count = 0;
    while let Some(project) = stream.next().await {
        let project = project?;
        count += 1;
        if count % 20 == 0 {
            println!("  … {count} projects so far (latest: {})", project.title);
        }
    }
    println!("{count} projects streamed");

    target.finish().await;
    Ok(())
}
