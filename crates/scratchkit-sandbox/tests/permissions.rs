//! The permission matrix: every write endpoint × {logged out, another user, the one allowed}
//! with the expected status, and the state read back unchanged after every refusal.
//! `cargo test -p scratchkit-sandbox --test permissions -- --nocapture` prints the table.

mod common;

use common::admin;
use common::sandbox;
use common::session::{Caller, Reply};
use scratchkit_sandbox::{DEMO_PASSWORD, SandboxHandle};
use serde_json::{Value, json};

/// One write endpoint of the matrix.
struct Row {
    label: String,
    method: &'static str,
    path: String,
    body: Option<Value>,
    /// Who is refused for lack of rights (or, where anyone logged in may act, another user).
    other: Caller,
    /// Who may do it (owner, manager, host, self).
    allowed: Caller,
    /// Expected statuses: logged out, other, allowed.
    expect: [u16; 3],
    /// A read (as `allowed`) that must be unchanged after a refusal.
    probe: Option<String>,
    /// A raw body (Content-Type, bytes) sent instead of `body` (image uploads).
    raw: Option<(String, Vec<u8>)>,
}

/// A small PNG for the upload rows.
fn png(marker: &[u8]) -> Vec<u8> {
    let mut data = b"\x89PNG\r\n\x1a\n".to_vec();
    data.extend_from_slice(marker);
    data
}

/// A multipart form with the image in field `file`: (Content-Type, body).
fn multipart_png(marker: &[u8]) -> (String, Vec<u8>) {
    let boundary = "matrixBoundary42";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&png(marker));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn project(sb: &SandboxHandle, owner: &str, title: &str, shared: bool) -> i64 {
    admin(
        sb,
        "/projects",
        json!({"owner": owner, "title": title, "shared": shared}),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

/// Drops the values that change by themselves (project tokens are minted per request).
fn stable(mut v: Value) -> Value {
    match &mut v {
        Value::Object(map) => {
            map.remove("project_token");
            for value in map.values_mut() {
                *value = stable(value.take());
            }
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                *item = stable(item.take());
            }
        }
        _ => {}
    }
    v
}

async fn probe(caller: &Caller, path: &Option<String>) -> Option<Reply> {
    match path {
        Some(p) => {
            let mut reply = caller.get(p).await;
            reply.body = stable(reply.body);
            Some(reply)
        }
        None => None,
    }
}

#[tokio::test]
async fn permission_matrix() {
    let sb = sandbox().await;
    admin(&sb, "/settings", json!({"comment_flood_seconds": 0})).await;
    let anon = Caller::anonymous(&sb);
    let owner = Caller::login(&sb, "griffpatch").await;
    let other = Caller::login(&sb, "kakurenbo").await;
    let new_scratcher = Caller::login(&sb, "demo_new").await;
    let third = Caller::login(&sb, "mres").await;
    let maxi = Caller::login(&sb, "Maximouse").await;
    let pmj = Caller::login(&sb, "PMJ_Studio").await;

    let p_edit = project(&sb, "griffpatch", "Edit me", true).await;
    let p_unshare = project(&sb, "griffpatch", "Unshare me", true).await;
    let p_share = project(&sb, "griffpatch", "Share me", false).await;
    let p_love = project(&sb, "griffpatch", "Love me", true).await;
    let p_studio = project(&sb, "griffpatch", "Add me", true).await;
    let p_trash = project(&sb, "griffpatch", "Trash me", true).await;
    let studio = admin(
        &sb,
        "/studios",
        json!({"owner": "griffpatch", "title": "Matrix"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let other_studio = admin(
        &sb,
        "/studios",
        json!({"owner": "mres", "title": "Follow me"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();

    // Setup through the API: a project comment and a studio comment by a third user, a
    // second manager (invite → accept → promote) and a curator.
    let c_project = third
        .post(
            &format!("/api/proxy/comments/project/{p_edit}/"),
            json!({"content": "nice", "parent_id": "", "commentee_id": ""}),
        )
        .await
        .body["id"]
        .as_i64()
        .expect("comment id");
    let c_studio = third
        .post(
            &format!("/api/proxy/comments/studio/{studio}/"),
            json!({"content": "hello", "parent_id": "", "commentee_id": ""}),
        )
        .await
        .body["id"]
        .as_i64()
        .expect("comment id");
    for (who, action) in [
        (&owner, "invite_curator"),
        (&maxi, "add"),
        (&owner, "promote"),
    ] {
        let r = who
            .put(
                &format!("/site/site-api/users/curators-in/{studio}/{action}/?usernames=Maximouse"),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{action}: {:?}", r.body);
    }
    for (who, action) in [(&owner, "invite_curator"), (&pmj, "add")] {
        let r = who
            .put(
                &format!(
                    "/site/site-api/users/curators-in/{studio}/{action}/?usernames=PMJ_Studio"
                ),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{action}: {:?}", r.body);
    }
    assert_eq!(
        owner
            .post(
                &format!("/api/projects/{p_love}/loves/user/griffpatch"),
                json!({})
            )
            .await
            .status,
        200
    );

    // Classes, invites, deletion and uploads: a teacher, a second class to close, a studio to
    // delete, and two shared projects that make demo_new qualify for a Scratcher invite.
    let teacher = Caller::login(&sb, "demo_teacher").await;
    let class_to_close = teacher
        .post(
            "/site/classes/create_classroom/",
            json!({"title": "Closing soon"}),
        )
        .await
        .body[0]["id"]
        .as_i64()
        .expect("class id");
    let class_token = teacher
        .get("/site/site-api/classrooms/all/367806/")
        .await
        .body["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let studio_to_delete = admin(
        &sb,
        "/studios",
        json!({"owner": "griffpatch", "title": "Delete me"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    project(&sb, "demo_new", "Invite 1", true).await;
    project(&sb, "demo_new", "Invite 2", true).await;
    let griffpatch_id = anon.get("/api/users/griffpatch").await.body["id"]
        .as_i64()
        .unwrap();

    let row = |label: &str,
               method: &'static str,
               path: String,
               body: Option<Value>,
               other: &Caller,
               allowed: &Caller,
               expect: [u16; 3],
               probe: Option<String>| Row {
        label: label.to_owned(),
        method,
        path,
        body,
        other: other.clone(),
        allowed: allowed.clone(),
        expect,
        probe,
        raw: None,
    };
    const DENY: [u16; 3] = [401, 403, 200];
    const ANY_USER: [u16; 3] = [401, 200, 200];
    let rows = vec![
        row(
            "project: edit title/notes (owner)",
            "PUT",
            format!("/api/projects/{p_edit}"),
            Some(json!({"title": "Edited", "instructions": "new"})),
            &other,
            &owner,
            DENY,
            Some(format!("/api/projects/{p_edit}")),
        ),
        row(
            "project: unshare (owner)",
            "PUT",
            format!("/api/proxy/projects/{p_unshare}/unshare/"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/projects/{p_unshare}")),
        ),
        row(
            "project: share (owner)",
            "PUT",
            format!("/api/proxy/projects/{p_share}/share/"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/projects/{p_share}")),
        ),
        row(
            "project: love, token style (self)",
            "POST",
            format!("/api/projects/{p_edit}/loves/user/griffpatch"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/projects/{p_edit}/loves/user/griffpatch")),
        ),
        row(
            "project: unlove, token style (self)",
            "DELETE",
            format!("/api/projects/{p_love}/loves/user/griffpatch"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/projects/{p_love}/loves/user/griffpatch")),
        ),
        row(
            "project: favorite, proxy style (self)",
            "POST",
            format!("/api/proxy/projects/{p_edit}/favorites/user/griffpatch"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/projects/{p_edit}/favorites/user/griffpatch")),
        ),
        row(
            "project: visibility (owner)",
            "GET",
            format!("/api/users/griffpatch/projects/{p_edit}/visibility"),
            None,
            &other,
            &owner,
            DENY,
            None,
        ),
        row(
            "project comment: post (anyone logged in)",
            "POST",
            format!("/api/proxy/comments/project/{p_edit}/"),
            Some(json!({"content": "matrix", "parent_id": "", "commentee_id": ""})),
            &other,
            &owner,
            ANY_USER,
            Some(format!("/api/users/griffpatch/projects/{p_edit}/comments")),
        ),
        row(
            "project comment: delete (owner of project)",
            "DELETE",
            format!("/api/proxy/comments/project/{p_edit}/comment/{c_project}/"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/users/griffpatch/projects/{p_edit}/comments")),
        ),
        row(
            "studio comment: post (anyone logged in)",
            "POST",
            format!("/api/proxy/comments/studio/{studio}/"),
            Some(json!({"content": "matrix", "parent_id": "", "commentee_id": ""})),
            &other,
            &owner,
            ANY_USER,
            Some(format!("/api/studios/{studio}/comments")),
        ),
        row(
            "studio comment: delete (manager)",
            "DELETE",
            format!("/api/proxy/comments/studio/{studio}/comment/{c_studio}"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{studio}/comments")),
        ),
        row(
            "profile: edit bio (self)",
            "PUT",
            "/site/site-api/users/all/griffpatch/".into(),
            Some(json!({"bio": "edited"})),
            &other,
            &owner,
            DENY,
            Some("/api/users/griffpatch".into()),
        ),
        row(
            "user: follow (self in usernames)",
            "PUT",
            "/site/site-api/users/followers/Maximouse/add/?usernames=griffpatch".into(),
            None,
            &other,
            &owner,
            DENY,
            Some("/api/users/Maximouse/followers?limit=40".into()),
        ),
        row(
            "studio: follow (self in usernames)",
            "PUT",
            format!("/site/site-api/users/bookmarkers/{other_studio}/add/?usernames=griffpatch"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{other_studio}")),
        ),
        row(
            "studio: edit title (manager)",
            "PUT",
            format!("/site/site-api/galleries/all/{studio}/"),
            Some(json!({"title": "Renamed"})),
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{studio}")),
        ),
        row(
            "studio: open to all (manager)",
            "PUT",
            format!("/site/site-api/galleries/{studio}/mark/open/"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{studio}")),
        ),
        row(
            "studio: close (manager)",
            "PUT",
            format!("/site/site-api/galleries/{studio}/mark/closed/"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{studio}")),
        ),
        row(
            "studio: add project (curator)",
            "POST",
            format!("/api/studios/{studio}/project/{p_studio}"),
            None,
            &other,
            &pmj,
            DENY,
            Some(format!("/api/studios/{studio}/projects")),
        ),
        row(
            "studio: remove project (manager)",
            "DELETE",
            format!("/api/studios/{studio}/project/{p_studio}"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{studio}/projects")),
        ),
        row(
            "studio: invite curator (manager)",
            "PUT",
            format!(
                "/site/site-api/users/curators-in/{studio}/invite_curator/?usernames=ScratchCat"
            ),
            None,
            &other,
            &owner,
            DENY,
            Some("/api/users/ScratchCat/messages/count".into()),
        ),
        row(
            "studio: remove curator (manager)",
            "PUT",
            format!("/site/site-api/users/curators-in/{studio}/remove/?usernames=PMJ_Studio"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{studio}/curators")),
        ),
        row(
            "studio: toggle comments (manager)",
            "POST",
            format!("/site/site-api/comments/gallery/{studio}/toggle-comments/"),
            None,
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{studio}")),
        ),
        row(
            "studio: my role (self)",
            "GET",
            format!("/api/studios/{studio}/users/griffpatch"),
            None,
            &other,
            &owner,
            DENY,
            None,
        ),
        row(
            "studio: create (Scratchers; New Scratcher refused)",
            "POST",
            "/site/studios/create/".into(),
            None,
            &new_scratcher,
            &owner,
            DENY,
            None,
        ),
        row(
            "messages: list (self)",
            "GET",
            "/api/users/griffpatch/messages".into(),
            None,
            &other,
            &owner,
            DENY,
            None,
        ),
        row(
            "messages: clear (acts on the caller)",
            "POST",
            "/site/site-api/messages/messages-clear/".into(),
            None,
            &other,
            &owner,
            ANY_USER,
            None,
        ),
        row(
            "feed: activity (self)",
            "GET",
            "/api/users/griffpatch/following/users/activity".into(),
            None,
            &other,
            &owner,
            DENY,
            None,
        ),
        row(
            "my stuff: list (acts on the caller)",
            "GET",
            "/site/site-api/projects/all/".into(),
            None,
            &other,
            &owner,
            ANY_USER,
            None,
        ),
        row(
            "my stuff: trash (owner)",
            "PUT",
            format!("/site/site-api/projects/all/{p_trash}/"),
            Some(json!({"visibility": "trshbyusr"})),
            &other,
            &owner,
            DENY,
            Some(format!(
                "/api/users/griffpatch/projects/{p_trash}/visibility"
            )),
        ),
        row(
            "account: email change (acts on the caller)",
            "POST",
            "/site/accounts/email_change/".into(),
            Some(json!({"email_address": "g@example.com", "password": DEMO_PASSWORD})),
            &other,
            &owner,
            [401, 302, 302],
            None,
        ),
        row(
            "backpack: list (self, token)",
            "GET",
            "/backpack/griffpatch".into(),
            None,
            &other,
            &owner,
            DENY,
            None,
        ),
        row(
            "backpack: add (self, token)",
            "POST",
            "/backpack/griffpatch".into(),
            Some(
                json!({"type": "script", "mime": "application/json", "name": "s", "body": "W10=", "thumbnail": "AA=="}),
            ),
            &other,
            &owner,
            DENY,
            Some("/backpack/griffpatch".into()),
        ),
        row(
            "studio: transfer host (host + password)",
            "PUT",
            format!("/api/studios/{studio}/transfer/Maximouse"),
            Some(json!({"password": DEMO_PASSWORD})),
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{studio}")),
        ),
        row(
            "class: create (teachers only)",
            "POST",
            "/site/classes/create_classroom/".into(),
            Some(json!({"title": "Matrix class"})),
            &owner,
            &teacher,
            DENY,
            None,
        ),
        row(
            "class: edit title (its teacher)",
            "PUT",
            "/site/site-api/classrooms/all/367806/".into(),
            Some(json!({"title": "Matrix Class"})),
            &owner,
            &teacher,
            DENY,
            Some("/api/classrooms/367806".into()),
        ),
        row(
            "class: close (its teacher)",
            "POST",
            format!("/site/site-api/classrooms/close_classroom/{class_to_close}/"),
            None,
            &owner,
            &teacher,
            DENY,
            Some(format!("/api/classrooms/{class_to_close}")),
        ),
        row(
            "class: registration link (its teacher)",
            "GET",
            "/site/site-api/classrooms/generate_registration_link/367806/".into(),
            None,
            &owner,
            &teacher,
            DENY,
            None,
        ),
        row(
            "class: add class studio (its teacher)",
            "POST",
            "/site/classes/create_classroom_gallery/".into(),
            Some(
                json!({"classroom_id": 367806, "classroom_token": class_token, "title": "Class studio"}),
            ),
            &owner,
            &teacher,
            DENY,
            Some("/site/site-api/classrooms/all/367806/".into()),
        ),
        row(
            "class: student activity (its teacher)",
            "GET",
            "/site/site-api/classrooms/activity/367806/all/".into(),
            None,
            &owner,
            &teacher,
            DENY,
            None,
        ),
        row(
            "class: educator alerts (teachers)",
            "GET",
            "/site/site-api/classrooms/alerts/".into(),
            None,
            &owner,
            &teacher,
            DENY,
            None,
        ),
        Row {
            raw: Some(multipart_png(b"class")),
            ..row(
                "class: thumbnail upload (its teacher)",
                "POST",
                "/site/site-api/classrooms/all/367806/".into(),
                None,
                &owner,
                &teacher,
                DENY,
                Some("/cdn2/get_image/classroom/367806_250x150.png".into()),
            )
        },
        row(
            "recently viewed: list (self)",
            "GET",
            "/api/users/griffpatch/projects/recentlyviewed".into(),
            None,
            &other,
            &owner,
            DENY,
            None,
        ),
        row(
            "studio: delete (host)",
            "PUT",
            format!("/site/site-api/galleries/all/{studio_to_delete}/"),
            Some(json!({"visibility": "delbyusr"})),
            &other,
            &owner,
            DENY,
            Some(format!("/api/studios/{studio_to_delete}")),
        ),
        Row {
            raw: Some(multipart_png(b"avatar")),
            ..row(
                "profile: avatar upload (self)",
                "POST",
                "/site/site-api/users/all/griffpatch/".into(),
                None,
                &other,
                &owner,
                DENY,
                Some(format!("/cdn2/get_image/user/{griffpatch_id}_90x90.png")),
            )
        },
        Row {
            raw: Some(("image/png".to_owned(), png(b"project"))),
            ..row(
                "project: thumbnail upload (owner)",
                "POST",
                format!("/site/internalapi/project/thumbnail/{p_edit}/set/"),
                None,
                &other,
                &owner,
                DENY,
                Some(format!("/uploads/projects/thumbnails/{p_edit}.png")),
            )
        },
        Row {
            raw: Some(multipart_png(b"studio")),
            ..row(
                "studio: thumbnail upload (manager)",
                "POST",
                format!("/site/site-api/galleries/all/{studio}/"),
                None,
                &other,
                &owner,
                DENY,
                Some(format!("/uploads/galleries/thumbnails/{studio}.png")),
            )
        },
        row(
            "invites: Scratcher invite status (self)",
            "GET",
            "/api/users/demo_new/invites".into(),
            None,
            &other,
            &new_scratcher,
            DENY,
            None,
        ),
        // Last: afterwards demo_new is a Scratcher.
        row(
            "invites: accept the Scratcher invite (self, qualified)",
            "POST",
            "/api/users/demo_new/promote-to-scratcher/".into(),
            None,
            &other,
            &new_scratcher,
            DENY,
            Some("/api/users/demo_new/invites".into()),
        ),
    ];

    let mut table = String::from(
        "| write endpoint | method path | logged out | another user | allowed user |\n|---|---|---|---|---|\n",
    );
    let mut failures = Vec::new();
    for r in &rows {
        let mut cells = Vec::new();
        for (col, caller) in [&anon, &r.other, &r.allowed].into_iter().enumerate() {
            let before = probe(&r.allowed, &r.probe).await;
            let reply = match &r.raw {
                Some((content_type, bytes)) => {
                    caller
                        .send_raw(r.method, &r.path, content_type, bytes.clone())
                        .await
                }
                None => caller.send(r.method, &r.path, r.body.clone()).await,
            };
            let expected = r.expect[col];
            let ok = reply.status == expected;
            let mut cell = format!("{} {}", reply.status, if ok { "✓" } else { "✗" });
            if !ok {
                failures.push(format!(
                    "{} [{}]: expected {expected}, got {} {:?}",
                    r.label,
                    ["logged out", "other", "allowed"][col],
                    reply.status,
                    reply.body
                ));
            }
            if reply.status >= 400 {
                let after = probe(&r.allowed, &r.probe).await;
                if let (Some(b), Some(a)) = (&before, &after) {
                    if b.body != a.body || b.status != a.status {
                        failures.push(format!(
                            "{} [{}]: refused but state changed:\n before {:?}\n after  {:?}",
                            r.label, col, b.body, a.body
                        ));
                        cell.push_str(" (changed!)");
                    } else {
                        cell.push_str(" unchanged");
                    }
                }
            }
            cells.push(cell);
        }
        let who = format!("{} / {}", r.other.name(), r.allowed.name());
        table.push_str(&format!(
            "| {} ({who}) | `{} {}` | {} | {} | {} |\n",
            r.label, r.method, r.path, cells[0], cells[1], cells[2]
        ));
    }
    println!("\n{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Effects of the allowed calls are visible.
    let p = owner.get(&format!("/api/projects/{p_edit}")).await.body;
    assert_eq!(p["title"], "Edited");
    assert_eq!(
        owner.get(&format!("/api/projects/{p_unshare}")).await.body["public"],
        false
    );
    assert_eq!(
        anon.get(&format!("/api/projects/{p_share}")).await.status,
        200
    );
    assert_eq!(
        anon.get(&format!("/api/studios/{studio}")).await.body["host"],
        40_210_166
    );
    assert_eq!(
        anon.get("/api/users/griffpatch").await.body["profile"]["bio"],
        "edited"
    );
    assert_eq!(
        anon.get("/api/classrooms/367806").await.body["title"],
        "Matrix Class"
    );
    assert_eq!(
        anon.get(&format!("/api/classrooms/{class_to_close}"))
            .await
            .status,
        404
    );
    assert_eq!(
        anon.get(&format!("/api/studios/{studio_to_delete}"))
            .await
            .status,
        404
    );
    let avatar = common::client()
        .get(format!(
            "{}/uploads/users/avatars/{griffpatch_id}.png",
            sb.base_url()
        ))
        .send()
        .await
        .expect("sent")
        .bytes()
        .await
        .expect("body");
    assert_eq!(avatar.as_ref(), png(b"avatar").as_slice());
}

#[tokio::test]
async fn credentials_per_host() {
    let sb = sandbox().await;
    let me = Caller::login(&sb, "griffpatch").await;
    let cookie_only = Caller {
        token: None,
        ..me.clone()
    };
    let token_only = Caller {
        session_id: None,
        ..me.clone()
    };
    // backpack: X-Token only.
    assert_eq!(cookie_only.get("/backpack/griffpatch").await.status, 401);
    assert_eq!(token_only.get("/backpack/griffpatch").await.status, 200);
    // proxy routes and the old site: the cookie.
    assert_eq!(
        token_only
            .post("/api/proxy/projects/142/loves/user/griffpatch", json!({}))
            .await
            .status,
        401
    );
    assert_eq!(
        cookie_only
            .post("/api/proxy/projects/142/loves/user/griffpatch", json!({}))
            .await
            .status,
        200
    );
    assert_eq!(
        token_only
            .put(
                "/site/site-api/users/all/griffpatch/",
                json!({"status": "x"})
            )
            .await
            .status,
        401
    );
    // api: either.
    assert_eq!(
        token_only
            .get("/api/users/griffpatch/messages")
            .await
            .status,
        200
    );
    assert_eq!(
        cookie_only
            .get("/api/users/griffpatch/messages")
            .await
            .status,
        200
    );
    // A banned account's session may read /session/ but not write.
    let banned = Caller::login(&sb, "demo_banned").await;
    assert_eq!(
        banned
            .post("/api/proxy/projects/142/loves/user/demo_banned", json!({}))
            .await
            .status,
        403
    );
    // Unshared projects are visible to their owner only.
    let id = project(&sb, "griffpatch", "Secret", false).await;
    assert_eq!(
        Caller::anonymous(&sb)
            .get(&format!("/api/projects/{id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        token_only.get(&format!("/api/projects/{id}")).await.status,
        200
    );
}
