//! Comment rules (length, flood, muted, closed), messages generated and cleared, feeds, and
//! the studio roles flow (invite → accept → promote → remove).

mod common;

use common::sandbox;
use common::session::Caller;
use scratchkit_sandbox::SandboxHandle;
use serde_json::{Value, json};

async fn settings(sb: &SandboxHandle, body: Value) {
    let response = common::client()
        .post(format!("{}/_sandbox/settings", sb.base_url()))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

fn comment(content: &str) -> Value {
    json!({"content": content, "parent_id": "", "commentee_id": ""})
}

#[tokio::test]
async fn comment_rules() {
    let sb = sandbox().await;
    let me = Caller::login(&sb, "kakurenbo").await;
    let path = "/api/proxy/comments/project/142/";

    // Too long (501 characters) is rejected with HTTP 200; exactly 500 is fine.
    let long = me.post(path, comment(&"a".repeat(501))).await;
    assert_eq!(long.status, 200);
    assert_eq!(long.body["rejected"], "isTooLong");
    assert_eq!(long.body["status"]["mute_status"], json!({}));
    let empty = me.post(path, comment("   ")).await;
    assert_eq!(empty.body["rejected"], "isEmpty");
    let ok = me.post(path, comment(&"é".repeat(500))).await;
    assert_eq!(ok.status, 200);
    assert!(ok.body["id"].is_i64(), "{:?}", ok.body);
    assert_eq!(ok.body["author"]["username"], "kakurenbo");
    assert_eq!(ok.body["parent_id"], Value::Null);

    // A second comment within the flood window is `isFlood` and not stored.
    let flood = me.post(path, comment("again")).await;
    assert_eq!(flood.body["rejected"], "isFlood");
    let listed = me
        .get("/api/users/mres/projects/142/comments?limit=40")
        .await
        .body;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["content"] != "again")
    );
    // With the window at 0 the same comment goes through, as a reply hung off the top level.
    settings(&sb, json!({"comment_flood_seconds": 0})).await;
    let parent = ok.body["id"].as_i64().unwrap();
    let reply = me
        .post(
            path,
            json!({"content": "reply", "parent_id": parent, "commentee_id": 167}),
        )
        .await;
    assert_eq!(reply.body["parent_id"], parent);
    let reply_to_reply = me
        .post(
            path,
            json!({"content": "deeper", "parent_id": reply.body["id"], "commentee_id": ""}),
        )
        .await;
    assert_eq!(reply_to_reply.body["parent_id"], parent, "threads are flat");

    // Muted: rejected with the mute object and its expiry.
    let muted = Caller::login(&sb, "demo_muted").await;
    let refused = muted.post(path, comment("hi")).await;
    assert_eq!(refused.status, 200);
    assert_eq!(refused.body["rejected"], "isMuted");
    assert_eq!(
        refused.body["status"]["mute_status"]["muteExpiresAt"],
        4_102_444_800i64
    );
    let refused = muted
        .post("/api/proxy/comments/studio/5342/", comment("hi"))
        .await;
    assert_eq!(refused.body["rejected"], "isMuted");

    // Closed comments: the owner toggles them off, then everyone is refused.
    let owner = Caller::login(&sb, "mres").await;
    let toggled = owner
        .post(
            "/site/site-api/comments/project/142/toggle-comments/",
            json!({}),
        )
        .await;
    assert_eq!(toggled.body["comments_allowed"], false);
    assert_eq!(
        owner.get("/api/projects/142").await.body["comments_allowed"],
        false
    );
    let closed = me.post(path, comment("closed?")).await;
    assert_eq!(closed.body["rejected"], "isDisallowed");
    // The project PUT reopens them.
    let reopened = owner
        .put("/api/projects/142", json!({"comments_allowed": true}))
        .await;
    assert_eq!(reopened.body["comments_allowed"], true);
    assert!(me.post(path, comment("open again")).await.body["id"].is_i64());

    // Reports answer a report id; deleting hides the comment and its replies.
    let report = owner
        .post(
            &format!("/api/proxy/project/142/comment/{parent}/report"),
            json!({"reportId": null}),
        )
        .await;
    assert!(report.body["reportId"].is_i64());
    assert_eq!(
        owner
            .delete(&format!("/api/proxy/comments/project/142/comment/{parent}"))
            .await
            .status,
        200
    );
    assert_eq!(
        owner
            .get(&format!("/api/users/mres/projects/142/comments/{parent}"))
            .await
            .status,
        404
    );
    assert_eq!(
        owner
            .delete(&format!("/api/proxy/comments/project/142/comment/{parent}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn messages_are_generated_filtered_and_cleared() {
    let sb = sandbox().await;
    settings(&sb, json!({"comment_flood_seconds": 0})).await;
    let target = Caller::login(&sb, "Maximouse").await;
    let fan = Caller::login(&sb, "PMJ_Studio").await;
    target
        .post("/site/site-api/messages/messages-clear/", json!({}))
        .await;
    assert_eq!(
        target.get("/api/users/Maximouse/messages/count").await.body["count"],
        0
    );
    // The seeded world already put (now read) messages behind Maximouse's bell.
    let seeded = target
        .get("/api/users/Maximouse/messages?limit=40")
        .await
        .body
        .as_array()
        .unwrap()
        .len();

    let project = target.get("/api/users/Maximouse/projects").await.body[0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        fan.post(
            &format!("/api/proxy/projects/{project}/loves/user/PMJ_Studio"),
            json!({})
        )
        .await
        .body["statusChanged"],
        true
    );
    let again = fan
        .post(
            &format!("/api/proxy/projects/{project}/loves/user/PMJ_Studio"),
            json!({}),
        )
        .await;
    assert_eq!(
        again.body,
        json!({"projectId": project.to_string(), "userLove": true, "statusChanged": false})
    );
    fan.post(
        &format!("/api/projects/{project}/favorites/user/PMJ_Studio"),
        json!({}),
    )
    .await;
    fan.put(
        "/site/site-api/users/followers/Maximouse/add/?usernames=PMJ_Studio",
        json!({}),
    )
    .await;
    fan.post(
        &format!("/api/proxy/comments/project/{project}/"),
        json!({"content": "cool project", "parent_id": "", "commentee_id": ""}),
    )
    .await;

    assert_eq!(
        target.get("/api/users/Maximouse/messages/count").await.body["count"],
        4
    );
    let count = target
        .get("/site/messages/ajax/get-message-count/")
        .await
        .body;
    assert_eq!(count["msg_count"], 4);
    let all = target.get("/api/users/Maximouse/messages").await.body;
    let kinds: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    for kind in ["loveproject", "favoriteproject", "followuser", "addcomment"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let comments = target
        .get("/api/users/Maximouse/messages?filter=comments")
        .await
        .body;
    assert_eq!(comments.as_array().unwrap().len(), 1);
    let m = &comments[0];
    assert_eq!(m["actor_username"], "PMJ_Studio");
    assert_eq!(m["comment_type"], 0);
    assert_eq!(m["comment_obj_id"], project);
    assert_eq!(m["comment_fragment"], "cool project");
    assert!(m["datetime_created"].as_str().unwrap().ends_with(".000Z"));
    let projects = target
        .get("/api/users/Maximouse/messages?filter=projects&limit=40")
        .await
        .body;
    assert_eq!(projects.as_array().unwrap().len(), 2);

    // The fan's followers see the love in their feed; following the fan first.
    let watcher = Caller::login(&sb, "griffpatch").await;
    watcher
        .put(
            "/site/site-api/users/followers/PMJ_Studio/add/?usernames=griffpatch",
            json!({}),
        )
        .await;
    let feed = watcher
        .get("/api/users/griffpatch/following/users/activity")
        .await
        .body;
    assert!(
        feed.as_array()
            .unwrap()
            .iter()
            .any(|a| a["type"] == "loveproject" && a["project_id"] == project)
    );
    let loves = watcher
        .get("/api/users/griffpatch/following/users/loves")
        .await
        .body;
    assert_eq!(loves[0]["id"], project);

    // Admin alerts.
    common::client()
        .post(format!("{}/_sandbox/alerts", sb.base_url()))
        .body(json!({"username": "Maximouse", "message": "Please be nice"}).to_string())
        .send()
        .await
        .unwrap();
    let alerts = target.get("/api/users/Maximouse/messages/admin").await.body;
    assert_eq!(alerts[0]["message"], "Please be nice");

    // Clearing zeroes the count and keeps the messages.
    assert_eq!(
        target
            .post("/site/site-api/messages/messages-clear/", json!({}))
            .await
            .status,
        200
    );
    assert_eq!(
        target.get("/api/users/Maximouse/messages/count").await.body["count"],
        0
    );
    assert_eq!(
        target
            .get("/api/users/Maximouse/messages?limit=40")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        seeded + 4
    );
}

#[tokio::test]
async fn studio_roles_flow() {
    let sb = sandbox().await;
    let host = Caller::login(&sb, "griffpatch").await;
    let id = host.create_studio().await;
    let base = format!("/site/site-api/users/curators-in/{id}");
    let curator = Caller::login(&sb, "kakurenbo").await;
    let role = |c: &Caller| {
        let c = c.clone();
        async move {
            c.get(&format!("/api/studios/{id}/users/{}", c.name()))
                .await
                .body
        }
    };

    // Accepting without an invitation is refused.
    assert_eq!(
        curator
            .put(&format!("{base}/add/?usernames=kakurenbo"), json!({}))
            .await
            .status,
        403
    );
    assert_eq!(
        host.put(
            &format!("{base}/invite_curator/?usernames=kakurenbo"),
            json!({})
        )
        .await
        .status,
        200
    );
    assert_eq!(role(&curator).await["invited"], true);
    let invite = curator
        .get("/api/users/kakurenbo/messages?filter=studios")
        .await
        .body;
    assert_eq!(invite[0]["type"], "curatorinvite");
    assert_eq!(
        curator
            .put(&format!("{base}/add/?usernames=kakurenbo"), json!({}))
            .await
            .status,
        200
    );
    assert_eq!(
        role(&curator).await,
        json!({"manager": false, "curator": true, "invited": false, "following": false})
    );
    let curators = host.get(&format!("/api/studios/{id}/curators")).await.body;
    assert_eq!(curators[0]["username"], "kakurenbo");

    // A curator cannot promote; the host can.
    assert_eq!(
        curator
            .put(&format!("{base}/promote/?usernames=kakurenbo"), json!({}))
            .await
            .status,
        403
    );
    assert_eq!(
        host.put(&format!("{base}/promote/?usernames=kakurenbo"), json!({}))
            .await
            .status,
        200
    );
    assert_eq!(role(&curator).await["manager"], true);
    let managers = host.get(&format!("/api/studios/{id}/managers")).await.body;
    assert_eq!(managers.as_array().unwrap().len(), 2);
    assert_eq!(
        managers[0]["username"], "griffpatch",
        "the host comes first"
    );
    let activity = host.get(&format!("/api/studios/{id}/activity")).await.body;
    let kinds: Vec<&str> = activity
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["becomeownerstudio", "becomecurator"]);

    // The host cannot be removed; a manager can be, and anyone may leave.
    assert_eq!(
        curator
            .put(&format!("{base}/remove/?usernames=griffpatch"), json!({}))
            .await
            .status,
        400
    );
    assert_eq!(
        host.put(&format!("{base}/remove/?usernames=kakurenbo"), json!({}))
            .await
            .status,
        200
    );
    assert_eq!(role(&curator).await["manager"], false);
    host.put(
        &format!("{base}/invite_curator/?usernames=kakurenbo"),
        json!({}),
    )
    .await;
    curator
        .put(&format!("{base}/add/?usernames=kakurenbo"), json!({}))
        .await;
    assert_eq!(
        curator
            .put(&format!("{base}/remove/?usernames=kakurenbo"), json!({}))
            .await
            .status,
        200
    );
    assert_eq!(role(&curator).await["curator"], false);

    // Following the studio shows in the role and the follower count.
    curator
        .put(
            &format!("/site/site-api/users/bookmarkers/{id}/add/?usernames=kakurenbo"),
            json!({}),
        )
        .await;
    assert_eq!(role(&curator).await["following"], true);
    assert_eq!(
        host.get(&format!("/api/studios/{id}")).await.body["stats"]["followers"],
        1
    );

    // My Stuff lists the studio; page 2 is past the end.
    let galleries = host.get("/site/site-api/galleries/all/").await.body;
    assert!(galleries.as_array().unwrap().iter().any(|g| g["pk"] == id));
    assert_eq!(
        host.get("/site/site-api/galleries/all/?page=9")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn studio_creation_is_rate_limited_and_trash_restores() {
    let sb = sandbox().await;
    let me = Caller::login(&sb, "griffpatch").await;
    for _ in 0..5 {
        assert_eq!(
            me.post("/site/studios/create/", json!({})).await.status,
            200
        );
    }
    let sixth = me.post("/site/studios/create/", json!({})).await;
    assert_eq!(sixth.status, 429);
    assert!(sixth.body["msg"].as_str().unwrap().contains("Woah"));

    // Trash, list, restore.
    let all = me.get("/site/site-api/projects/all/").await.body;
    let first = all[0]["pk"].as_i64().unwrap();
    let trashed = me
        .put(
            &format!("/site/site-api/projects/all/{first}/"),
            json!({"visibility": "trshbyusr"}),
        )
        .await;
    assert_eq!(trashed.body["fields"]["visibility"], "trshbyusr");
    assert_eq!(trashed.body["fields"]["isPublished"], false);
    let in_trash = me.get("/site/site-api/projects/trashed/").await.body;
    assert_eq!(in_trash[0]["pk"], first);
    let restored = me
        .put(
            &format!("/site/site-api/projects/all/{first}/"),
            json!({"visibility": "visible"}),
        )
        .await;
    assert_eq!(restored.body["fields"]["visibility"], "visible");
    assert!(
        me.get("/site/site-api/projects/trashed/")
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        me.get("/site/site-api/projects/shared/?page=99")
            .await
            .status,
        404
    );
    let by_title = me
        .get("/site/site-api/projects/all/?ascsort=title")
        .await
        .body;
    let titles: Vec<String> = by_title
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["fields"]["title"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
}

#[tokio::test]
async fn profile_comments_and_replies_send_messages() {
    let sb = sandbox().await;
    settings(&sb, json!({"comment_flood_seconds": 0})).await;
    let owner = Caller::login(&sb, "Maximouse").await;
    let fan = Caller::login(&sb, "PMJ_Studio").await;
    for caller in [&owner, &fan] {
        caller
            .post("/site/site-api/messages/messages-clear/", json!({}))
            .await;
    }
    let posted = fan
        .post(
            "/site/site-api/comments/user/Maximouse/add/",
            json!({"content": "hello from your fan", "parent_id": "", "commentee_id": ""}),
        )
        .await;
    assert_eq!(posted.status, 200, "{:?}", posted.body);
    let messages = owner
        .get("/api/users/Maximouse/messages?filter=comments")
        .await
        .body;
    let m = &messages[0];
    assert_eq!(m["type"], "addcomment");
    assert_eq!(m["actor_username"], "PMJ_Studio");
    assert_eq!(m["comment_type"], 1, "1: a profile comment");
    assert_eq!(m["comment_obj_title"], "Maximouse");
    assert_eq!(m["comment_fragment"], "hello from your fan");
    let comment_id = m["comment_id"].as_i64().expect("the comment's id");

    // The owner replies: the fan is told; the owner is not told of their own reply.
    let fan_id = fan.get("/api/users/PMJ_Studio").await.body["id"]
        .as_i64()
        .unwrap();
    let reply = owner
        .post(
            "/site/site-api/comments/user/Maximouse/add/",
            json!({"content": "thanks!", "parent_id": comment_id, "commentee_id": fan_id}),
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let told = fan
        .get("/api/users/PMJ_Studio/messages?filter=comments")
        .await
        .body;
    assert_eq!(told.as_array().unwrap().len(), 1, "{told:?}");
    assert_eq!(told[0]["commentee_username"], "PMJ_Studio");
    assert_eq!(told[0]["comment_fragment"], "thanks!");
    assert_eq!(
        owner.get("/api/users/Maximouse/messages/count").await.body["count"],
        1,
        "only the fan's comment"
    );
}
