//! Every kind of message, feed item and studio activity item the sandbox writes is the
//! client's model type: it decodes into `scratchkit_model::Message` or `Activity` and encodes
//! back to the same JSON, and it carries exactly the keys of its kind (no recording of these
//! endpoints exists, so the per-kind keys are pinned here; see the reference's §2.11.9 and
//! §2.11.10).

mod common;

use common::admin;
use std::collections::{BTreeMap, BTreeSet};

use common::sandbox;
use common::session::Caller;
use scratchkit_model::{Activity, Message};
use scratchkit_sandbox::DEMO_PASSWORD;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const BASE: [&str; 5] = [
    "id",
    "type",
    "actor_id",
    "actor_username",
    "datetime_created",
];

/// The keys of every kind, base keys included.
fn keys(extra: &[&str]) -> BTreeSet<String> {
    BASE.iter().chain(extra).map(|k| (*k).to_owned()).collect()
}

fn expected(table: &[(&str, &[&str])]) -> BTreeMap<String, BTreeSet<String>> {
    table
        .iter()
        .map(|(kind, extra)| ((*kind).to_owned(), keys(extra)))
        .collect()
}

/// Checks each item of `items` (a JSON array) against `T` and the key table, and returns the
/// kinds seen.
fn check<T: DeserializeOwned + Serialize>(
    what: &str,
    items: &Value,
    table: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for item in items.as_array().expect("a JSON array") {
        let decoded: T = serde_json::from_value(item.clone())
            .unwrap_or_else(|e| panic!("{what}: {item} does not decode: {e}"));
        assert_eq!(
            &serde_json::to_value(&decoded).unwrap(),
            item,
            "{what}: the model writes back what the sandbox sent"
        );
        let kind = item["type"].as_str().expect("a type").to_owned();
        let got: BTreeSet<String> = item.as_object().unwrap().keys().cloned().collect();
        let want = table
            .get(&kind)
            .unwrap_or_else(|| panic!("{what}: unexpected kind {kind}"));
        assert_eq!(&got, want, "{what}: keys of {kind}");
        seen.insert(kind);
    }
    seen
}

async fn ok(reply: common::session::Reply, what: &str) -> Value {
    assert_eq!(reply.status, 200, "{what}: {:?}", reply.body);
    reply.body
}

#[tokio::test]
async fn every_kind_the_sandbox_writes_is_the_model_type_with_its_keys() {
    let sb = sandbox().await;
    admin(&sb, "/settings", json!({"comment_flood_seconds": 0})).await;
    let host = Caller::login(&sb, "griffpatch").await;
    let fan = Caller::login(&sb, "kakurenbo").await;
    let watcher = Caller::login(&sb, "Maximouse").await;
    let fan_id = fan.get("/api/users/kakurenbo").await.body["id"].clone();
    for followed in ["griffpatch", "kakurenbo"] {
        let path = format!("/site/site-api/users/followers/{followed}/add/?usernames=Maximouse");
        ok(watcher.put(&path, json!({})).await, "watcher follows").await;
    }
    let project = admin(
        &sb,
        "/projects",
        json!({"owner": "griffpatch", "title": "Loved", "shared": true}),
    )
    .await["id"]
        .clone();
    let unshared = admin(
        &sb,
        "/projects",
        json!({"owner": "griffpatch", "title": "Later", "shared": false}),
    )
    .await["id"]
        .clone();

    // The fan loves, favorites, comments and follows; the host answers the comment.
    for mark in ["loves", "favorites"] {
        let path = format!("/api/projects/{project}/{mark}/user/kakurenbo");
        ok(fan.post(&path, json!({})).await, mark).await;
    }
    let comments = format!("/api/proxy/comments/project/{project}/");
    let posted = ok(
        fan.post(
            &comments,
            json!({"content": "nice", "parent_id": "", "commentee_id": ""}),
        )
        .await,
        "comment",
    )
    .await;
    ok(
        host.post(
            &comments,
            json!({"content": "thanks", "parent_id": posted["id"], "commentee_id": fan_id}),
        )
        .await,
        "reply",
    )
    .await;
    // (Removed first: the seeded world may already have the fan following the host.)
    for action in ["remove", "add"] {
        let path =
            format!("/site/site-api/users/followers/griffpatch/{action}/?usernames=kakurenbo");
        ok(fan.put(&path, json!({})).await, "fan follows").await;
    }
    ok(
        host.put(&format!("/api/proxy/projects/{unshared}/share/"), json!({}))
            .await,
        "share",
    )
    .await;

    // A studio: invited, accepted, promoted; a project in and out; title changed; host handed
    // over; the old host removed by the new one.
    let studio = host.create_studio().await;
    ok(
        fan.put(
            &format!("/site/site-api/users/bookmarkers/{studio}/add/?usernames=kakurenbo"),
            json!({}),
        )
        .await,
        "follow studio",
    )
    .await;
    let curators = format!("/site/site-api/users/curators-in/{studio}");
    for (who, action) in [(&host, "invite_curator"), (&fan, "add"), (&host, "promote")] {
        let path = format!("{curators}/{action}/?usernames=kakurenbo");
        ok(who.put(&path, json!({})).await, action).await;
    }
    let in_studio = format!("/api/studios/{studio}/project/{project}");
    ok(host.post(&in_studio, json!({})).await, "add project").await;
    ok(host.delete(&in_studio).await, "remove project").await;
    ok(
        host.put(
            &format!("/site/site-api/galleries/all/{studio}/"),
            json!({"title": "Renamed"}),
        )
        .await,
        "update studio",
    )
    .await;
    ok(
        host.put(
            &format!("/api/studios/{studio}/transfer/kakurenbo"),
            json!({"password": DEMO_PASSWORD}),
        )
        .await,
        "transfer",
    )
    .await;
    ok(
        fan.put(
            &format!("{curators}/remove/?usernames=griffpatch"),
            json!({}),
        )
        .await,
        "remove",
    )
    .await;

    let messages = expected(&[
        ("followuser", &["followed_username", "followed_user_id"]),
        ("loveproject", &["project_id", "title"]),
        ("favoriteproject", &["project_id", "project_title"]),
        (
            "addcomment",
            &[
                "comment_type",
                "comment_fragment",
                "comment_id",
                "comment_obj_id",
                "comment_obj_title",
                "commentee_username",
            ],
        ),
        ("curatorinvite", &["gallery_id", "title"]),
        (
            "becomeownerstudio",
            &[
                "gallery_id",
                "gallery_title",
                "recipient_username",
                "recipient_id",
            ],
        ),
        (
            "becomehoststudio",
            &["gallery_id", "gallery_title", "former_host_username"],
        ),
    ]);
    let mut seen = BTreeSet::new();
    for who in [&host, &fan] {
        let path = format!("/api/users/{}/messages?limit=40", who.name());
        let items = who.get(&path).await.body;
        seen.extend(check::<Message>(&path, &items, &messages));
    }
    assert_eq!(seen, messages.keys().cloned().collect(), "message kinds");

    // The comment that answers nobody says so with `null`; the reply names the fan.
    let fan_comments = fan
        .get("/api/users/kakurenbo/messages?filter=comments")
        .await
        .body;
    assert_eq!(fan_comments[0]["commentee_username"], "kakurenbo");
    let host_comments = host
        .get("/api/users/griffpatch/messages?filter=comments")
        .await
        .body;
    assert_eq!(host_comments[0]["commentee_username"], Value::Null);

    let feed_table = expected(&[
        ("followuser", &["followed_username", "followed_user_id"]),
        ("loveproject", &["project_id", "title"]),
        ("favoriteproject", &["project_id", "project_title"]),
        ("followstudio", &["gallery_id", "title"]),
        ("shareproject", &["project_id", "title"]),
        (
            "becomecurator",
            &["gallery_id", "gallery_title", "username"],
        ),
        (
            "becomeownerstudio",
            &[
                "gallery_id",
                "gallery_title",
                "recipient_username",
                "recipient_id",
            ],
        ),
    ]);
    let path = "/api/users/Maximouse/following/users/activity?limit=40";
    let feed = watcher.get(path).await.body;
    let seen = check::<Activity>(path, &feed, &feed_table);
    assert_eq!(seen, feed_table.keys().cloned().collect(), "feed kinds");
    assert!(feed[0]["id"].is_u64(), "feed ids are integers");

    let studio_table = expected(&[
        ("becomecurator", &["username"]),
        ("becomeownerstudio", &["recipient_username"]),
        ("addprojecttostudio", &["project_id", "project_title"]),
        ("removeprojectstudio", &["project_id", "project_title"]),
        ("updatestudio", &[]),
        (
            "becomehoststudio",
            &["admin_actor", "former_host_username", "recipient_username"],
        ),
        ("removecuratorstudio", &["username"]),
    ]);
    let path = format!("/api/studios/{studio}/activity?limit=40");
    let activity = host.get(&path).await.body;
    let seen = check::<Activity>(&path, &activity, &studio_table);
    assert_eq!(seen, studio_table.keys().cloned().collect(), "studio kinds");
    for item in activity.as_array().unwrap() {
        let id = item["id"]
            .as_str()
            .expect("studio activity ids are strings");
        let kind = item["type"].as_str().unwrap();
        assert!(
            id.starts_with(&format!("{kind}-")),
            "{id}: \"<type>-<number>\""
        );
    }
}

#[tokio::test]
async fn seeded_studio_activity_and_messages_are_model_types() {
    let sb = sandbox().await;
    let activity = common::get_json(&sb, "/api/studios/5342/activity?limit=40").await;
    assert!(!activity.as_array().unwrap().is_empty());
    for item in activity.as_array().unwrap() {
        let decoded: Activity = serde_json::from_value(item.clone()).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), *item);
    }
    let me = Caller::login(&sb, "griffpatch").await;
    let messages = me.get("/api/users/griffpatch/messages?limit=40").await.body;
    assert!(!messages.as_array().unwrap().is_empty(), "seeded messages");
    for item in messages.as_array().unwrap() {
        let decoded: Message = serde_json::from_value(item.clone()).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), *item);
        assert_eq!(item["type"], "followuser");
        assert_eq!(item["followed_username"], "griffpatch");
    }
}
