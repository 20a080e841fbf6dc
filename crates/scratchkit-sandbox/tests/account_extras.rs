//! Recently viewed projects, Scratcher invites, studio deletion and image uploads (avatars,
//! project, studio and class thumbnails) served back by the image hosts.

mod common;

use common::admin;
use common::sandbox;
use common::session::{Caller, Reply};
use scratchkit_sandbox::SandboxHandle;
use serde_json::json;

async fn project(sb: &SandboxHandle, owner: &str, title: &str) -> i64 {
    admin(
        sb,
        "/projects",
        json!({"owner": owner, "title": title, "shared": true}),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

/// A small valid PNG with a marker so that served bytes can be recognised.
fn png(marker: &[u8]) -> Vec<u8> {
    let mut data = b"\x89PNG\r\n\x1a\n".to_vec();
    data.extend_from_slice(marker);
    data
}

const BOUNDARY: &str = "----scratchkitBoundary7MA4YWxk";

/// A multipart body with a CSRF field and `field` holding `data`.
fn multipart(field: &str, data: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\na\r\n\
--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"image.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(caller: &Caller, path: &str, field: &str, data: &[u8]) -> Reply {
    caller
        .send_raw(
            "POST",
            path,
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            multipart(field, data),
        )
        .await
}

/// GET raw bytes: status, Content-Type and body.
async fn bytes(sb: &SandboxHandle, path: &str) -> (u16, String, Vec<u8>) {
    let response = common::client()
        .get(format!("{}{path}", sb.base_url()))
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let ct = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, ct, response.bytes().await.expect("body").to_vec())
}

fn ids(r: &Reply) -> Vec<i64> {
    r.body
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .collect()
}

#[tokio::test]
async fn recently_viewed_records_logged_in_views() {
    let sb = sandbox().await;
    let me = Caller::login(&sb, "kakurenbo").await;
    let anon = Caller::anonymous(&sb);
    let a = project(&sb, "griffpatch", "First").await;
    let b = project(&sb, "griffpatch", "Second").await;
    let path = "/api/users/kakurenbo/projects/recentlyviewed";
    assert_eq!(me.get(path).await.body, json!([]));
    for p in [a, b] {
        let r = me
            .post(
                &format!("/api/users/griffpatch/projects/{p}/views/"),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200);
    }
    // Anonymous views count but are nobody's history.
    anon.post(
        &format!("/api/users/griffpatch/projects/{a}/views/"),
        json!({}),
    )
    .await;
    let list = me.get(path).await;
    assert_eq!(ids(&list), vec![b, a]);
    assert_eq!(list.body[0]["title"], "Second");
    assert_eq!(list.body[0]["author"]["username"], "griffpatch");
    assert!(list.body[0].get("project_token").is_none());
    // Viewing again moves it to the front; paging applies.
    me.post(
        &format!("/api/users/griffpatch/projects/{a}/views/"),
        json!({}),
    )
    .await;
    assert_eq!(ids(&me.get(path).await), vec![a, b]);
    assert_eq!(
        ids(&me.get(&format!("{path}?limit=1&offset=1")).await),
        vec![b]
    );
    assert_eq!(me.get(&format!("{path}?limit=41")).await.status, 400);
    // Another user's history is private.
    assert_eq!(anon.get(path).await.status, 401);
    let other = Caller::login(&sb, "griffpatch").await;
    assert_eq!(other.get(path).await.status, 403);
    assert_eq!(
        other
            .get("/api/users/griffpatch/projects/recentlyviewed")
            .await
            .body,
        json!([])
    );
    // An unshared project drops out of the list.
    let owner = Caller::login(&sb, "griffpatch").await;
    owner
        .put(&format!("/api/proxy/projects/{a}/unshare/"), json!({}))
        .await;
    assert_eq!(ids(&me.get(path).await), vec![b]);
}

#[tokio::test]
async fn scratcher_invite_for_qualified_new_scratchers() {
    let sb = sandbox().await;
    let anon = Caller::anonymous(&sb);
    // A brand-new account never qualifies (too young), even with shared projects.
    admin(
        &sb,
        "/users",
        json!({"username": "fresh_one", "password": "pass123word", "role": "new_scratcher"}),
    )
    .await;
    project(&sb, "fresh_one", "A").await;
    project(&sb, "fresh_one", "B").await;
    let fresh = Caller::login(&sb, "fresh_one").await;
    assert_eq!(
        fresh.get("/api/users/fresh_one/invites").await.body,
        json!({})
    );
    assert_eq!(
        fresh
            .get("/api/users/fresh_one/promote-to-scratcher/")
            .await
            .status,
        403
    );

    // demo_new is old enough; two shared projects make it qualify.
    let new = Caller::login(&sb, "demo_new").await;
    let shared = common::get_json(&sb, "/api/users/demo_new/projects?limit=40").await;
    let have = shared.as_array().map_or(0, Vec::len);
    if have < 2 {
        assert_eq!(new.get("/api/users/demo_new/invites").await.body, json!({}));
        assert_eq!(
            new.post("/api/users/demo_new/promote-to-scratcher/", json!({}))
                .await
                .status,
            403,
            "no invite yet"
        );
        for i in have..2 {
            project(&sb, "demo_new", &format!("Project {i}")).await;
        }
    }
    let invite = new.get("/api/users/demo_new/invites").await;
    assert_eq!(invite.status, 200);
    assert_eq!(invite.body["invitee_id"], 99_000_101);
    assert_eq!(invite.body["actor"]["username"], "ScratchCat");
    assert!(
        invite.body["datetime_created"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    // Someone else can neither see nor accept it.
    assert_eq!(anon.get("/api/users/demo_new/invites").await.status, 401);
    let other = Caller::login(&sb, "griffpatch").await;
    assert_eq!(other.get("/api/users/demo_new/invites").await.status, 403);
    assert_eq!(
        other
            .get("/site/users/demo_new/promote-to-scratcher/")
            .await
            .status,
        403
    );
    // Accepting (on the scratch.mit.edu host) makes a Scratcher: studios can be created now.
    assert_eq!(
        new.post("/site/studios/create/", json!({})).await.status,
        403
    );
    let accepted = new.get("/site/users/demo_new/promote-to-scratcher/").await;
    assert_eq!(accepted.status, 200, "{:?}", accepted.body);
    assert_eq!(accepted.body["success"], true);
    assert_eq!(
        new.post("/site/studios/create/", json!({})).await.status,
        200
    );
    assert_eq!(new.get("/api/users/demo_new/invites").await.body, json!({}));
    assert_eq!(
        new.get("/api/users/demo_new/promote-to-scratcher/")
            .await
            .status,
        403,
        "already a Scratcher"
    );
    // Scratchers have no invite.
    assert_eq!(
        other.get("/api/users/griffpatch/invites").await.body,
        json!({})
    );
}

#[tokio::test]
async fn studio_deletion_is_for_the_host() {
    let sb = sandbox().await;
    let host = Caller::login(&sb, "griffpatch").await;
    let manager = Caller::login(&sb, "Maximouse").await;
    let anon = Caller::anonymous(&sb);
    let studio = admin(
        &sb,
        "/studios",
        json!({"owner": "griffpatch", "title": "Doomed"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let p = project(&sb, "griffpatch", "Survivor").await;
    for (who, action) in [
        (&host, "invite_curator"),
        (&manager, "add"),
        (&host, "promote"),
    ] {
        let r = who
            .put(
                &format!("/site/site-api/users/curators-in/{studio}/{action}/?usernames=Maximouse"),
                json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{action}");
    }
    assert_eq!(
        host.post(&format!("/api/studios/{studio}/project/{p}"), json!({}))
            .await
            .status,
        200
    );
    let path = format!("/site/site-api/galleries/all/{studio}/");
    let delete = json!({"visibility": "delbyusr"});
    assert_eq!(anon.put(&path, delete.clone()).await.status, 401);
    assert_eq!(manager.put(&path, delete.clone()).await.status, 403);
    assert_eq!(
        anon.get(&format!("/api/studios/{studio}")).await.status,
        200
    );
    let gone = host.put(&path, delete.clone()).await;
    assert_eq!(gone.status, 200);
    assert_eq!(gone.body, json!({"id": studio, "visibility": "delbyusr"}));
    assert_eq!(
        anon.get(&format!("/api/studios/{studio}")).await.status,
        404
    );
    assert_eq!(
        anon.get(&format!("/api/studios/{studio}/projects"))
            .await
            .status,
        404
    );
    assert_eq!(anon.get(&format!("/api/projects/{p}")).await.status, 200);
    assert_eq!(host.put(&path, delete).await.status, 404);
}

#[tokio::test]
async fn avatar_upload_is_served_back() {
    let sb = sandbox().await;
    let me = Caller::login(&sb, "griffpatch").await;
    let other = Caller::login(&sb, "kakurenbo").await;
    let id = common::get_json(&sb, "/api/users/griffpatch").await["id"]
        .as_i64()
        .unwrap();
    let (status, ct, placeholder) =
        bytes(&sb, &format!("/cdn2/get_image/user/{id}_90x90.png")).await;
    assert_eq!((status, ct.as_str()), (200, "image/png"));
    assert!(placeholder.starts_with(b"\x89PNG"));

    let image = png(b"griffpatch avatar");
    let r = upload(&me, "/site/site-api/users/all/griffpatch/", "file", &image).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["thumbnail_url"],
        format!("//uploads.scratch.mit.edu/users/avatars/{id}.png")
    );
    for path in [
        format!("/cdn2/get_image/user/{id}_90x90.png"),
        format!("/cdn2/get_image/user/{id}_32x32.png"),
        format!("/uploads/get_image/user/{id}_60x60.png"),
        format!("/uploads/users/avatars/{id}.png"),
    ] {
        let (status, ct, body) = bytes(&sb, &path).await;
        assert_eq!((status, ct.as_str()), (200, "image/png"), "{path}");
        assert_eq!(body, image, "{path}");
    }
    // A GIF by user id (scapi's form) replaces it.
    let gif = b"GIF89a-avatar".to_vec();
    let r = upload(
        &me,
        &format!("/site/site-api/users/all/{id}/"),
        "file",
        &gif,
    )
    .await;
    assert_eq!(r.status, 200);
    let (_, ct, body) = bytes(&sb, &format!("/cdn2/get_image/user/{id}_90x90.png")).await;
    assert_eq!((ct.as_str(), body), ("image/gif", gif.clone()));

    // Refusals change nothing.
    let evil = png(b"evil");
    let cases: Vec<(Reply, u16)> = vec![
        (
            upload(
                &other,
                "/site/site-api/users/all/griffpatch/",
                "file",
                &evil,
            )
            .await,
            403,
        ),
        (
            upload(
                &Caller::anonymous(&sb),
                "/site/site-api/users/all/griffpatch/",
                "file",
                &evil,
            )
            .await,
            401,
        ),
        (
            upload(
                &me,
                "/site/site-api/users/all/griffpatch/",
                "file",
                b"<svg/>",
            )
            .await,
            400,
        ),
        (
            upload(
                &me,
                "/site/site-api/users/all/griffpatch/",
                "picture",
                &evil,
            )
            .await,
            400,
        ),
        (
            upload(
                &me,
                "/site/site-api/users/all/griffpatch/",
                "file",
                &png(&vec![0_u8; 1024 * 1024]),
            )
            .await,
            413,
        ),
    ];
    for (i, (reply, expected)) in cases.iter().enumerate() {
        assert_eq!(reply.status, *expected, "case {i}: {:?}", reply.body);
    }
    assert!(cases[2].0.body["errors"][0].is_string());
    let (_, _, body) = bytes(&sb, &format!("/cdn2/get_image/user/{id}_90x90.png")).await;
    assert_eq!(body, gif);
    // Unknown image paths.
    assert_eq!(
        bytes(&sb, "/cdn2/get_image/user/abc_90x90.png").await.0,
        404
    );
    assert_eq!(
        bytes(&sb, "/cdn2/get_image/nothing/1_90x90.png").await.0,
        404
    );
}

#[tokio::test]
async fn project_studio_and_class_thumbnails() {
    let sb = sandbox().await;
    let owner = Caller::login(&sb, "griffpatch").await;
    let other = Caller::login(&sb, "kakurenbo").await;
    let teacher = Caller::login(&sb, "demo_teacher").await;
    let p = project(&sb, "griffpatch", "Thumbnailed").await;

    // Project: raw bytes, owner only.
    let thumb = png(b"project thumb");
    let path = format!("/site/internalapi/project/thumbnail/{p}/set/");
    let refused = other.send_raw("POST", &path, "image/png", png(b"x")).await;
    assert_eq!(refused.status, 403);
    let r = owner
        .send_raw("POST", &path, "image/png", thumb.clone())
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "ok");
    // Without the trailing slash and without a Content-Type, as scratchclient sends it.
    let jpeg = b"\xff\xd8\xff\xe0jpeg".to_vec();
    let r = owner
        .send_raw(
            "POST",
            &format!("/site/internalapi/project/thumbnail/{p}/set"),
            "application/octet-stream",
            jpeg.clone(),
        )
        .await;
    assert_eq!(r.status, 200);
    for path in [
        format!("/cdn2/get_image/project/{p}_480x360.png"),
        format!("/uploads/projects/thumbnails/{p}.png"),
    ] {
        let (status, ct, body) = bytes(&sb, &path).await;
        assert_eq!(
            (status, ct.as_str(), &body),
            (200, "image/jpeg", &jpeg),
            "{path}"
        );
    }
    assert_eq!(
        owner
            .send_raw("POST", &path, "image/png", b"not an image".to_vec())
            .await
            .status,
        400
    );
    assert_eq!(
        owner
            .send_raw(
                "POST",
                "/site/internalapi/project/thumbnail/999999999/set/",
                "image/png",
                thumb.clone()
            )
            .await
            .status,
        404
    );

    // Studio: multipart, managers only.
    let studio = admin(
        &sb,
        "/studios",
        json!({"owner": "griffpatch", "title": "Pictured"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let spath = format!("/site/site-api/galleries/all/{studio}/");
    assert_eq!(
        upload(&other, &spath, "file", &png(b"no")).await.status,
        403
    );
    let studio_thumb = png(b"studio thumb");
    let r = upload(&owner, &spath, "file", &studio_thumb).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["thumbnail_url"],
        format!("//uploads.scratch.mit.edu/galleries/thumbnails/{studio}.png")
    );
    for path in [
        format!("/cdn2/get_image/gallery/{studio}_170x100.png"),
        format!("/uploads/galleries/thumbnails/{studio}.png"),
    ] {
        assert_eq!(bytes(&sb, &path).await.2, studio_thumb, "{path}");
    }

    // Class: multipart, the teacher only.
    let cpath = "/site/site-api/classrooms/all/367806/";
    assert_eq!(upload(&owner, cpath, "file", &png(b"no")).await.status, 403);
    let class_thumb = png(b"class thumb");
    let r = upload(&teacher, cpath, "file", &class_thumb).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        bytes(&sb, "/cdn2/get_image/classroom/367806_250x150.png")
            .await
            .2,
        class_thumb
    );
}
