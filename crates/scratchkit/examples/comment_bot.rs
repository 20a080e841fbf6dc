//! A comment-answering bot: reads the newest comments on a project and answers every one that
//! asks `!ping` (once: comments already answered by the bot are skipped).
//!
//! Against the sandbox (the default) a second demo account first asks, so that there is
//! something to answer. With `--live`, set `SCRATCH_USERNAME`, `SCRATCH_PASSWORD` and
//! `PROJECT_ID` (the bot then answers on scratch.mit.edu, politely rate-limited).
//!
//! ```text
//! cargo run -p scratchkit --example comment_bot
//! ```

mod common;

use scratchkit::Client;
use scratchkit::model::ProjectId;
use secrecy::SecretString;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = common::Target::from_args().await?;
    let (username, password, project) = if let Some(sandbox) = &target.sandbox {
        // Someone asks first.
        let asker = Client::sandbox(sandbox.addr());
        let other = scratchkit_sandbox::demo_accounts()
            .into_iter()
            .map(|account| account.username)
            .find(|name| *name != common::DEMO_ACCOUNT)
            .ok_or("the sandbox has a second demo account")?;
        asker
            .login(other, SecretString::from(scratchkit_sandbox::DEMO_PASSWORD))
            .await?;
        asker.project(142).comments().post("!ping").await?;
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

    let bot = &target.client;
    let me = bot.login(&username, password).await?;
    let comments = bot.project(project).comments();
    let mut answered = 0;
    for comment in comments.list().limit(20).await?.items {
        if !comment.content.trim().eq_ignore_ascii_case("!ping") {
            continue;
        }
        let replies = comments.replies(comment.id).limit(40).await?.items;
        if replies.iter().any(|r| r.author.username == me.username) {
            continue; // answered on an earlier run
        }
        let answer = format!("pong, @{}!", comment.author.username);
        comments.reply_to(&comment, &answer).await?;
        println!(
            "answered comment #{} by {}",
            comment.id, comment.author.username
        );
        answered += 1;
    }
    println!("{answered} comment(s) answered");

    target.finish().await;
    Ok(())
}
