//! Example: testing your own code against an in-process sandbox.
//!
//! Each test starts its own sandbox on a free port of 127.0.0.1 (no internet, no shared state),
//! points a [`Client`] at it, and checks what your code did through the client or the sandbox.
//! The sandbox is seeded with the same demo world every time, so results are reproducible.

use scratchkit::{Client, RetryPolicy};
use secrecy::SecretString;

/// The code under test: how many of a user's projects have "Game" in the title.
async fn count_games(client: &Client, user: &str) -> scratchkit::Result<usize> {
    let page = client.user(user).projects().limit(40).await?;
    Ok(page
        .items
        .iter()
        .filter(|p| p.title.to_lowercase().contains("game"))
        .count())
}

#[tokio::test]
async fn your_code_against_a_sandbox() {
    let sandbox = scratchkit_sandbox::spawn(([127, 0, 0, 1], 0).into())
        .await
        .expect("the sandbox starts");
    let client = Client::sandbox(sandbox.addr());

    // Compare with what the sandbox itself says through a second, independent path.
    let page = client.user("mres").projects().limit(40).await.unwrap();
    let expected = page
        .items
        .iter()
        .filter(|p| p.title.to_lowercase().contains("game"))
        .count();
    assert_eq!(count_games(&client, "mres").await.unwrap(), expected);
    assert!(!page.items.is_empty(), "the demo world gives mres projects");

    // Unknown users are a typed error, not a panic.
    let error = count_games(&client, "nobody-here").await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");

    sandbox.shutdown().await;
}

#[tokio::test]
async fn writes_are_visible_to_the_next_read() {
    let sandbox = scratchkit_sandbox::spawn(([127, 0, 0, 1], 0).into())
        .await
        .expect("the sandbox starts");
    let client = Client::builder()
        .hosts(scratchkit::Hosts::sandbox(sandbox.addr()))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    client
        .login(
            "griffpatch",
            SecretString::from(scratchkit_sandbox::DEMO_PASSWORD),
        )
        .await
        .unwrap();
    let project = client.project(142);
    let before = project.info().await.unwrap().stats.loves;
    project.love().await.unwrap();
    let after = project.info().await.unwrap().stats.loves;
    assert_eq!(after, before + 1);
    sandbox.shutdown().await;
}
