//! Logging in and writing: log in, love a project, post a comment and read it back.
//!
//! Against the sandbox (the default) the demo account logs in with the demo password. With
//! `--live`, set `SCRATCH_USERNAME` and `SCRATCH_PASSWORD` (this example then writes to your
//! account on scratch.mit.edu: it loves and comments on the project named by `PROJECT_ID`).
//!
//! ```text
//! cargo run -p scratchkit --example login_and_write
//! ```

mod common;

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

    let me = client.login(&username, password).await?;
    println!("logged in as {}", me.username);

    let info = client.project(project).info().await?;
    let handler = match &info.author.username {
        Some(author) => client.project(project).by(author.as_str()),
        None => client.project(project),
    };
    let loved = handler.love().await?;
    println!("loved \"{}\": {loved:?}", info.title);

    let comments = handler.comments();
    let posted = comments.post("Hello from the scratchkit example!").await?;
    let read_back = comments.get(posted.id).await?;
    println!("comment #{} reads: {}", read_back.id, read_back.content);

    target.finish().await;
    Ok(())
}
