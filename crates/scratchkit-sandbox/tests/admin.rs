//! `/_sandbox/…`: create users, projects and studios, reset, info.

mod common;

use common::{get_json, get_text, sandbox};
use serde_json::{Value, json};

async fn post(sb: &scratchkit_sandbox::SandboxHandle, path: &str, body: Value) -> (u16, Value) {
    let (status, text) = common::admin_post(sb, path, body).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn create_then_reset() {
    let sb = sandbox().await;
    let before = get_json(&sb, "/_sandbox/info").await;

    let (status, user) = post(
        &sb,
        "/users",
        json!({"username": "new_bot", "password": "s3cret-pw", "role": "new_scratcher", "bio": "I am a bot", "muted_until": 4102444800u64}),
    )
    .await;
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["username"], "new_bot");
    assert_eq!(user["role"], "new_scratcher");
    assert_eq!(user["muted_until"], 4102444800u64);
    assert!(
        user.to_string().find("s3cret-pw").is_none(),
        "the password is never echoed"
    );
    let fetched = get_json(&sb, "/api/users/new_bot").await;
    assert_eq!(fetched["profile"]["bio"], "I am a bot");
    assert_eq!(fetched["id"], user["id"]);

    let (status, dup) = post(
        &sb,
        "/users",
        json!({"username": "NEW_BOT", "password": "another-pw"}),
    )
    .await;
    assert_eq!((status, dup["code"].as_str()), (409, Some("Conflict")));
    for bad in [
        json!({"username": "x", "password": "long-enough"}),
        json!({"username": "fine_name", "password": "short"}),
        json!({"username": "fine_name", "password": "long-enough", "role": "admin"}),
        json!({"password": "long-enough"}),
    ] {
        let (status, body) = post(&sb, "/users", bad.clone()).await;
        assert_eq!(status, 400, "{bad} → {body}");
        assert_eq!(body["code"], "BadRequest");
    }

    let (status, project) = post(
        &sb,
        "/projects",
        json!({"owner": "new_bot", "title": "Bot Remix", "parent_id": 142, "instructions": "click"}),
    )
    .await;
    assert_eq!(status, 201, "{project}");
    let id = project["id"].as_i64().unwrap();
    assert_eq!(project["remix"], json!({"parent": 142, "root": 142}));
    let listed = get_json(&sb, "/api/users/new_bot/projects").await;
    assert_eq!(listed[0]["id"], id);
    assert_eq!(
        get_json(&sb, &format!("/api/projects/{id}")).await["instructions"],
        "click"
    );
    let (status, _) = post(
        &sb,
        "/projects",
        json!({"owner": "nobody_xyz", "title": "t"}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post(
        &sb,
        "/projects",
        json!({"owner": "new_bot", "title": "t", "parent_id": 1}),
    )
    .await;
    assert_eq!(status, 404);

    let (status, studio) = post(
        &sb,
        "/studios",
        json!({"owner": "new_bot", "title": "Bots United"}),
    )
    .await;
    assert_eq!(status, 201, "{studio}");
    let sid = studio["id"].as_i64().unwrap();
    assert_eq!(
        get_json(&sb, &format!("/api/studios/{sid}")).await["host"],
        user["id"]
    );
    assert_eq!(
        get_json(&sb, &format!("/api/studios/{sid}/managers")).await[0]["username"],
        "new_bot"
    );

    let after = get_json(&sb, "/_sandbox/info").await;
    assert_eq!(
        after["counts"]["users"],
        before["counts"]["users"].as_i64().unwrap() + 1
    );

    let (status, reset) = post(&sb, "/reset", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(reset["counts"], before["counts"]);
    assert_eq!(get_text(&sb, "/api/users/new_bot").await.0, 404);
    assert_eq!(get_text(&sb, &format!("/api/studios/{sid}")).await.0, 404);
    assert_eq!(get_json(&sb, "/api/users/mres").await["id"], 167);
}

#[tokio::test]
async fn info_lists_demo_accounts() {
    let sb = sandbox().await;
    let info = get_json(&sb, "/_sandbox/info").await;
    assert_eq!(info["scale"], 0);
    assert!(info["counts"]["users"].as_i64().unwrap() >= 300);
    assert!(info["counts"]["projects"].as_i64().unwrap() >= 500);
    let names: Vec<&str> = info["demo_accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["username"].as_str())
        .collect();
    let expected: Vec<&str> = scratchkit_sandbox::demo_accounts()
        .iter()
        .map(|a| a.username)
        .collect();
    assert_eq!(names, expected);
    assert_eq!(get_text(&sb, "/_sandbox/nothing").await.0, 404);
}
