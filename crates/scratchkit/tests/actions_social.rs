//! Users, studios, messages and My Stuff against wiremock: exact requests and the handling of
//! answers; and every write of a logged-out client failing before anything is sent.

mod auth_support;

use std::future::Future;
use std::pin::Pin;

use auth_support::*;
use scratchkit::model::BackpackItemKind;
use scratchkit::model::StudioId;
use scratchkit::{
    Client, Error, FeaturedLabel, MessageFilter, MyStuffFilter, MyStuffSort, NewBackpackItem,
};
use secrecy::SecretString;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn json(value: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(value)
}

async fn ok_for(server: &MockServer, verb: &str, at: &str) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(json(serde_json::json!({})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn following_users_and_editing_the_profile() {
    let server = MockServer::start().await;
    ok_for(
        &server,
        "PUT",
        "/site/site-api/users/followers/griffpatch/add/",
    )
    .await;
    ok_for(
        &server,
        "PUT",
        "/site/site-api/users/followers/griffpatch/remove/",
    )
    .await;
    Mock::given(method("PUT"))
        .and(path(format!("/site/site-api/users/all/{ME}/")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(fixture("siteapi_users_all_ScratchCat.json")),
        )
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/site/site-api/users/all/{ME}/")))
        .respond_with(json(serde_json::json!({"thumbnail_url": "//x"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/site/site-api/users/all/{ME}/")))
        .respond_with(json(serde_json::json!({"errors": ["The file is too big"]})))
        .mount(&server)
        .await;
    let client = logged_in(&server).await;

    client.user("griffpatch").follow().await.unwrap();
    let r = last(&server).await;
    assert_cookie_auth(&r);
    assert_eq!(r.url.query(), Some(format!("usernames={ME}").as_str()));
    client.user("griffpatch").unfollow().await.unwrap();
    assert!(last(&server).await.url.path().ends_with("/remove/"));

    client.me().set_bio("I make games").await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"bio": "I make games"})
    );
    client.me().set_status("").await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"status": ""})
    );
    let featured = client
        .me()
        .set_featured_project(104u64, FeaturedLabel::RemixThis)
        .await
        .unwrap();
    assert_eq!(featured.user.name(), "ScratchCat");
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"featured_project": 104, "featured_project_label": 2})
    );

    let png = b"\x89PNG\r\n\x1a\nIMG".to_vec();
    client.me().set_avatar(png.clone()).await.unwrap();
    let r = last(&server).await;
    assert_cookie_auth(&r);
    let content_type = header_of(&r, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let body = String::from_utf8_lossy(&r.body);
    assert!(body.starts_with(&format!("--{boundary}\r\n")));
    assert!(body.contains("name=\"file\"; filename=\"avatar.png\""));
    assert!(body.contains("\r\n\r\n\u{fffd}PNG"));
    let err = client.me().set_avatar(png).await.unwrap_err();
    assert!(
        matches!(&err, Error::Refused { message, .. } if message == "The file is too big"),
        "{err:?}"
    );

    let before = received(&server).await.len();
    let err = client.me().set_bio(&"x".repeat(201)).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { what: "bio", .. }));
    let err = client.user("no/slash").follow().await.unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidInput {
            what: "username",
            ..
        }
    ));
    assert_eq!(received(&server).await.len(), before);
}

#[tokio::test]
async fn creating_a_studio() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/studios/create/"))
        .respond_with(json(
            serde_json::json!({"success": true, "redirect": "/studios/51234/"}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/studios/create/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("Woah, seems like you've been creating studios really fast."),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/studios/create/"))
        .respond_with(json(
            serde_json::json!({"success": false, "msg": "Only Scratchers can create studios"}),
        ))
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let studio = client.create_studio().await.unwrap();
    assert_eq!(studio.id(), StudioId(51234));
    let r = last(&server).await;
    assert!(assert_cookie_auth(&r).ends_with("/site/mystuff/"));
    assert!(r.body.is_empty());

    let err = client.create_studio().await.unwrap_err();
    assert!(
        matches!(&err, Error::Refused { message, .. } if message.starts_with("Woah")),
        "{err:?}"
    );
    let err = client.create_studio().await.unwrap_err();
    assert!(
        matches!(&err, Error::Refused { message, .. } if message.contains("Only Scratchers")),
        "{err:?}"
    );
}

#[tokio::test]
async fn studio_settings_membership_and_projects() {
    let server = MockServer::start().await;
    ok_for(&server, "PUT", "/site/site-api/galleries/all/7/").await;
    ok_for(&server, "PUT", "/site/site-api/galleries/7/mark/open/").await;
    ok_for(&server, "PUT", "/site/site-api/galleries/7/mark/closed/").await;
    ok_for(
        &server,
        "POST",
        "/site/site-api/comments/gallery/7/toggle-comments/",
    )
    .await;
    for list in ["bookmarkers", "curators-in"] {
        for action in ["add", "remove", "invite_curator", "promote"] {
            ok_for(
                &server,
                "PUT",
                &format!("/site/site-api/users/{list}/7/{action}/"),
            )
            .await;
        }
    }
    ok_for(&server, "POST", "/api/studios/7/project/104").await;
    ok_for(&server, "DELETE", "/api/studios/7/project/104").await;
    ok_for(&server, "PUT", "/api/studios/7/transfer/new_host").await;
    Mock::given(method("GET"))
        .and(path(format!("/api/studios/7/users/{ME}")))
        .respond_with(json(
            serde_json::json!({"manager":false,"curator":true,"invited":false,"following":true}),
        ))
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let studio = client.studio(7u64);

    studio.set_title("Platformers").await.unwrap();
    let r = last(&server).await;
    assert!(assert_cookie_auth(&r).ends_with("/site/studios/7/"));
    assert_eq!(json_body(&r), serde_json::json!({"title": "Platformers"}));
    studio.set_description("All welcome\n").await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"description": "All welcome\n"})
    );
    studio.delete().await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"visibility": "delbyusr"})
    );

    let expect_last = |verb: &'static str, at: &'static str, query: Option<&'static str>| {
        let server = &server;
        async move {
            let r = last(server).await;
            assert_eq!(r.method.as_str(), verb);
            assert_eq!(r.url.path(), at);
            assert_eq!(r.url.query(), query);
            r
        }
    };
    studio.open_to_everyone().await.unwrap();
    assert_cookie_auth(&expect_last("PUT", "/site/site-api/galleries/7/mark/open/", None).await);
    studio.close_to_everyone().await.unwrap();
    expect_last("PUT", "/site/site-api/galleries/7/mark/closed/", None).await;
    studio.toggle_commenting().await.unwrap();
    expect_last(
        "POST",
        "/site/site-api/comments/gallery/7/toggle-comments/",
        None,
    )
    .await;
    studio.follow().await.unwrap();
    expect_last(
        "PUT",
        "/site/site-api/users/bookmarkers/7/add/",
        Some("usernames=sandbox_user"),
    )
    .await;
    studio.unfollow().await.unwrap();
    expect_last(
        "PUT",
        "/site/site-api/users/bookmarkers/7/remove/",
        Some("usernames=sandbox_user"),
    )
    .await;
    studio.invite_curator("griffpatch").await.unwrap();
    expect_last(
        "PUT",
        "/site/site-api/users/curators-in/7/invite_curator/",
        Some("usernames=griffpatch"),
    )
    .await;
    studio.accept_invite().await.unwrap();
    expect_last(
        "PUT",
        "/site/site-api/users/curators-in/7/add/",
        Some("usernames=sandbox_user"),
    )
    .await;
    studio.promote("griffpatch").await.unwrap();
    expect_last(
        "PUT",
        "/site/site-api/users/curators-in/7/promote/",
        Some("usernames=griffpatch"),
    )
    .await;
    studio.remove_curator("griffpatch").await.unwrap();
    expect_last(
        "PUT",
        "/site/site-api/users/curators-in/7/remove/",
        Some("usernames=griffpatch"),
    )
    .await;
    studio.leave().await.unwrap();
    expect_last(
        "PUT",
        "/site/site-api/users/curators-in/7/remove/",
        Some("usernames=sandbox_user"),
    )
    .await;

    studio.add_project(104u64).await.unwrap();
    assert_token(&expect_last("POST", "/api/studios/7/project/104", None).await);
    studio.remove_project(104u64).await.unwrap();
    assert_token(&expect_last("DELETE", "/api/studios/7/project/104", None).await);

    studio
        .transfer_host("new_host", &SecretString::from("pw-SECRET"))
        .await
        .unwrap();
    let r = expect_last("PUT", "/api/studios/7/transfer/new_host", None).await;
    assert_token(&r);
    assert_cookie_auth(&r);
    assert_eq!(json_body(&r), serde_json::json!({"password": "pw-SECRET"}));

    let role = studio.my_role().await.unwrap();
    assert!(role.curator && role.following && !role.manager);
    assert_token(&last(&server).await);

    let before = received(&server).await.len();
    let err = studio.invite_curator("bad name").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }));
    let err = studio
        .transfer_host("new_host", &SecretString::from(""))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidInput {
            what: "password",
            ..
        }
    ));
    assert_eq!(received(&server).await.len(), before);
}

#[tokio::test]
async fn messages_and_feeds_use_the_x_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/users/{ME}/messages")))
        .and(query_param("filter", "comments"))
        .and(query_param("limit", "40"))
        .respond_with(json(serde_json::json!([{
            "id": 1, "datetime_created": "2017-10-31T20:28:56.000Z", "actor_username": "a",
            "actor_id": 2, "type": "addcomment", "comment_type": 1, "comment_fragment": "hi",
            "comment_id": 3, "comment_obj_id": 4, "comment_obj_title": "x", "commentee_username": "b"
        }])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/users/{ME}/messages/count")))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture("api_users_messages_count.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    ok_for(&server, "POST", "/site/site-api/messages/messages-clear/").await;
    for feed in [
        "following/users/activity",
        "following/users/loves",
        "following/users/projects",
        "following/studios/projects",
        "projects/recentlyviewed",
        "messages/admin",
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/api/users/{ME}/{feed}")))
            .respond_with(json(serde_json::json!([])))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = logged_in(&server).await;

    let page = client
        .me()
        .messages(MessageFilter::Comments)
        .limit(40)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].actor_username, "a");
    assert_token(&last(&server).await);
    let count = client.me().message_count().await.unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&fixture("api_users_messages_count.json")).unwrap();
    assert_eq!(Some(count), expected["count"].as_u64());
    client.me().clear_messages().await.unwrap();
    assert_cookie_auth(&last(&server).await);

    assert!(
        client
            .me()
            .whats_happening()
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        client
            .me()
            .following_loves()
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        client
            .me()
            .following_projects()
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        client
            .me()
            .followed_studios_projects()
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        client
            .me()
            .recently_viewed()
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(client.me().admin_messages().await.unwrap().items.is_empty());
    for r in received(&server)
        .await
        .iter()
        .filter(|r| r.url.path().starts_with("/api/"))
    {
        assert_token(r);
    }
    server.verify().await;
}

#[tokio::test]
async fn my_stuff_pages_and_the_trash() {
    let server = MockServer::start().await;
    let item: serde_json::Value =
        serde_json::from_str(&fixture("siteapi_projects_shared_item.json")).unwrap();
    Mock::given(method("GET"))
        .and(path("/site/site-api/projects/notshared/"))
        .and(query_param("page", "2"))
        .and(query_param("ascsort", ""))
        .and(query_param("descsort", "love_count"))
        .respond_with(json(serde_json::json!([item])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/site/site-api/projects/all/"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<h1>Whoops</h1>"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/site/site-api/galleries/all/"))
        .and(query_param("page", "1"))
        .respond_with(json(
            serde_json::json!([{"pk": 5, "model": "galleries.gallery", "fields": {"title": "S"}}]),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/site/site-api/projects/trashed/empty/"))
        .respond_with(json(serde_json::json!({"trashed": 3})))
        .expect(1)
        .mount(&server)
        .await;
    let client = logged_in(&server).await;

    let projects = client
        .me()
        .projects(MyStuffFilter::NotShared, MyStuffSort::Loves, 2)
        .await
        .unwrap();
    assert_eq!(projects.len(), 1);
    assert_cookie_auth(&last(&server).await);
    let past_end = client
        .me()
        .projects(MyStuffFilter::All, MyStuffSort::LastModified, 9)
        .await
        .unwrap();
    assert!(
        past_end.is_empty(),
        "404 past the last page is an empty page"
    );
    let studios = client.me().studios(MyStuffSort::Title, 1).await.unwrap();
    assert_eq!(studios[0].pk, scratchkit::model::StudioId(5));
    assert_eq!(studios[0].fields.title, "S");

    let trashed = client
        .me()
        .empty_trash(&SecretString::from("pw-SECRET"))
        .await
        .unwrap();
    assert_eq!(trashed, 3);
    let r = last(&server).await;
    let csrf = header_of(&r, "x-csrftoken").unwrap().to_owned();
    assert_eq!(
        json_body(&r),
        serde_json::json!({"csrfmiddlewaretoken": csrf, "password": "pw-SECRET"})
    );

    let err = client
        .me()
        .projects(MyStuffFilter::Trashed, MyStuffSort::Title, 0)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { what: "page", .. }));
    server.verify().await;
}

#[tokio::test]
async fn the_backpack_uses_the_token_only() {
    let server = MockServer::start().await;
    let stored = serde_json::json!({
        "id": "abc-123", "type": "script", "mime": "application/json", "name": "walk",
        "body": "0123abcd.json", "thumbnail": "0123abcd.jpg"
    });
    Mock::given(method("GET"))
        .and(path(format!("/backpack/{ME}")))
        .and(query_param("limit", "20"))
        .respond_with(json(serde_json::json!([stored.clone()])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/backpack/{ME}")))
        .respond_with(json(stored.clone()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/backpack/{ME}/abc-123")))
        .respond_with(json(serde_json::json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/backpack/0123abcd.json"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[1,2]"))
        .expect(1)
        .mount(&server)
        .await;
    let client = logged_in(&server).await;

    let page = client.me().backpack().await.unwrap();
    assert_eq!(page.items[0].name, "walk");
    assert_token(&last(&server).await);

    let item = NewBackpackItem::new(
        BackpackItemKind::Script,
        "application/json",
        "walk",
        b"[1,2]".to_vec(),
        b"JPG".to_vec(),
    );
    let added = client.me().add_to_backpack(&item).await.unwrap();
    assert_eq!(added.id, "abc-123");
    let r = last(&server).await;
    assert_token(&r);
    assert_eq!(
        json_body(&r),
        serde_json::json!({"type":"script","mime":"application/json","name":"walk",
                           "body":"WzEsMl0=","thumbnail":"SlBH"})
    );

    client.me().delete_from_backpack("abc-123").await.unwrap();
    assert_token(&last(&server).await);
    let body = client.me().download_backpack_item(&added).await.unwrap();
    assert_eq!(&body[..], b"[1,2]");

    let before = received(&server).await.len();
    let err = client
        .me()
        .delete_from_backpack("../etc")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }));
    assert_eq!(received(&server).await.len(), before);
    server.verify().await;
}

type Call = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// Every write (and login-only read) of the crate, on `client`.
fn every_write(client: &Client) -> Vec<(&'static str, Call)> {
    let c = client.clone();
    let p = client.project(104u64).by("mres");
    let s = client.studio(7u64);
    let u = client.user("griffpatch");
    let png = || b"\x89PNG\r\n\x1a\n".to_vec();
    let pw = || SecretString::from("pw");
    macro_rules! call {
        ($name:literal, $h:ident, $fut:expr) => {{
            let $h = $h.clone();
            (
                $name,
                Box::pin(async move { $fut.await.map(|_| ()) }) as Call,
            )
        }};
    }
    #[cfg_attr(not(feature = "html"), allow(unused_mut))] // Only `html` adds to it.
    let mut calls = vec![
        call!("set_title", p, p.set_title("t")),
        call!("set_instructions", p, p.set_instructions("t")),
        call!("set_notes", p, p.set_notes("t")),
        call!("set_comments_allowed", p, p.set_comments_allowed(true)),
        call!("share", p, p.share()),
        call!("unshare", p, p.unshare()),
        call!("love", p, p.love()),
        call!("unlove", p, p.unlove()),
        call!("love_status", p, p.love_status()),
        call!("favorite", p, p.favorite()),
        call!("unfavorite", p, p.unfavorite()),
        call!("favorite_status", p, p.favorite_status()),
        call!("visibility", p, p.visibility()),
        call!("trash", p, p.trash()),
        call!("restore", p, p.restore()),
        call!("project thumbnail", p, p.set_thumbnail(png())),
        call!("project post_comment", p, p.comments().post("hi")),
        call!(
            "project reply",
            p,
            p.comments().reply(5u64.into(), None, "hi")
        ),
        call!("project delete_comment", p, p.comments().delete(5u64)),
        call!("project report_comment", p, p.comments().report(5u64)),
        call!("studio post_comment", s, s.comments().post("hi")),
        call!("studio delete_comment", s, s.comments().delete(5u64)),
        call!("studio report_comment", s, s.comments().report(5u64)),
        call!("follow user", u, u.follow()),
        call!("unfollow user", u, u.unfollow()),
        call!("set_bio", c, c.me().set_bio("b")),
        call!("set_status", c, c.me().set_status("s")),
        call!(
            "set_featured_project",
            c,
            c.me()
                .set_featured_project(104u64, FeaturedLabel::FeaturedProject)
        ),
        call!("set_avatar", c, c.me().set_avatar(png())),
        call!("create_studio", c, c.create_studio()),
        call!("studio set_title", s, s.set_title("t")),
        call!("studio set_description", s, s.set_description("d")),
        call!("studio delete", s, s.delete()),
        call!("studio thumbnail", s, s.set_thumbnail(png())),
        call!("open", s, s.open_to_everyone()),
        call!("close", s, s.close_to_everyone()),
        call!("toggle commenting", s, s.toggle_commenting()),
        call!("follow studio", s, s.follow()),
        call!("unfollow studio", s, s.unfollow()),
        call!("invite", s, s.invite_curator("griffpatch")),
        call!("accept", s, s.accept_invite()),
        call!("promote", s, s.promote("griffpatch")),
        call!("remove curator", s, s.remove_curator("griffpatch")),
        call!("leave", s, s.leave()),
        call!("add project", s, s.add_project(104u64)),
        call!("remove project", s, s.remove_project(104u64)),
        call!("transfer", s, async {
            s.transfer_host("griffpatch", &pw()).await
        }),
        call!("my_role", s, s.my_role()),
        call!(
            "messages",
            c,
            c.me().messages(MessageFilter::All).into_future()
        ),
        call!("message_count", c, c.me().message_count()),
        call!("clear_messages", c, c.me().clear_messages()),
        call!("admin_messages", c, c.me().admin_messages().into_future()),
        call!("whats_happening", c, c.me().whats_happening().into_future()),
        call!("following_loves", c, c.me().following_loves().into_future()),
        call!(
            "following_projects",
            c,
            c.me().following_projects().into_future()
        ),
        call!(
            "followed_studios_projects",
            c,
            c.me().followed_studios_projects().into_future()
        ),
        call!("recently_viewed", c, c.me().recently_viewed().into_future()),
        call!(
            "my_projects",
            c,
            c.me()
                .projects(MyStuffFilter::All, MyStuffSort::LastModified, 1)
        ),
        call!("my_studios", c, c.me().studios(MyStuffSort::Title, 1)),
        call!("empty_trash", c, async { c.me().empty_trash(&pw()).await }),
        call!("backpack", c, c.me().backpack().into_future()),
        call!("add_to_backpack", c, async {
            let item =
                NewBackpackItem::new(BackpackItemKind::Sound, "audio/mp3", "s", png(), png());
            c.me().add_to_backpack(&item).await
        }),
        call!(
            "delete_from_backpack",
            c,
            c.me().delete_from_backpack("abc")
        ),
    ];
    // Profile comments are old-site HTML pages (feature `html`).
    #[cfg(feature = "html")]
    calls.extend([
        call!("profile comment", u, u.comments().post("hi")),
        call!("delete profile comment", u, u.comments().delete(5u64)),
        call!("report profile comment", u, u.comments().report(5u64)),
    ]);
    calls
}

use std::future::IntoFuture;

#[tokio::test]
async fn every_write_of_a_logged_out_client_fails_before_sending() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let calls = every_write(&client);
    assert!(calls.len() >= 60, "{}", calls.len());
    for (name, call) in calls {
        let err = call.await.unwrap_err();
        assert!(matches!(err, Error::LoginRequired), "{name}: {err:?}");
    }
    assert!(received(&server).await.is_empty());
}
