//! Project writes and comments against wiremock: exact requests and the handling of answers.

mod auth_support;

use auth_support::*;
use scratchkit::Error;
use scratchkit::model::{CommentId, UserId};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn json(value: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(value)
}

#[tokio::test]
async fn project_fields_are_put_with_the_x_token() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/projects/499038694"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture("api_projects_499038694.json")),
        )
        .expect(4)
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let project = client.project(499038694u64);

    let updated = project.set_title("New title").await.unwrap();
    assert_eq!(updated.id.get(), 499038694);
    let r = last(&server).await;
    assert_token(&r);
    assert_eq!(json_body(&r), serde_json::json!({"title": "New title"}));
    assert_eq!(header_of(&r, "content-type"), Some("application/json"));

    project.set_instructions("Press space").await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"instructions": "Press space"})
    );
    project.set_notes("").await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"description": ""})
    );
    project.set_comments_allowed(false).await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"comments_allowed": false})
    );

    let err = project.set_title("  ").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { what: "title", .. }));
    server.verify().await;
}

#[tokio::test]
async fn share_and_unshare_use_the_proxy_with_the_cookie() {
    let server = MockServer::start().await;
    for what in ["share", "unshare"] {
        Mock::given(method("PUT"))
            .and(path(format!("/api/proxy/projects/104/{what}")))
            .respond_with(json(serde_json::json!({"id": 104})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = logged_in(&server).await;
    client.project(104u64).share().await.unwrap();
    assert_cookie_auth(&last(&server).await);
    client.project(104u64).unshare().await.unwrap();
    assert_cookie_auth(&last(&server).await);
    server.verify().await;
}

#[tokio::test]
async fn love_and_favorite_send_one_request_and_return_the_state() {
    let server = MockServer::start().await;
    let loves = format!("/api/proxy/projects/104/loves/user/{ME}");
    let favorites = format!("/api/proxy/projects/104/favorites/user/{ME}");
    // A server that never changes anything: the client must not loop.
    Mock::given(method("POST"))
        .and(path(loves.as_str()))
        .respond_with(json(
            serde_json::json!({"projectId":"104","userLove":true,"statusChanged":false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(loves.as_str()))
        .respond_with(json(
            serde_json::json!({"projectId":"104","userLove":false,"statusChanged":true}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/projects/104/loves/user/{ME}")))
        .respond_with(json(
            serde_json::json!({"projectId":"104","userLove":false,"statusChanged":false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(favorites.as_str()))
        .respond_with(json(
            serde_json::json!({"projectId":"104","userFavorite":true,"statusChanged":true}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(favorites.as_str()))
        .respond_with(json(
            serde_json::json!({"projectId":"104","userFavorite":false,"statusChanged":true}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/projects/104/favorites/user/{ME}")))
        .respond_with(json(
            serde_json::json!({"projectId":"104","userFavorite":true,"statusChanged":false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let project = client.project(104u64);

    let status = project.love().await.unwrap();
    assert!(status.user_love && !status.status_changed);
    assert_cookie_auth(&last(&server).await);
    let status = project.unlove().await.unwrap();
    assert!(!status.user_love && status.status_changed);
    assert_eq!(status.project_id.get(), 104);
    let status = project.love_status().await.unwrap();
    assert!(!status.user_love);
    assert_token(&last(&server).await);

    assert!(project.favorite().await.unwrap().user_favorite);
    assert_cookie_auth(&last(&server).await);
    assert!(!project.unfavorite().await.unwrap().user_favorite);
    assert!(project.favorite_status().await.unwrap().user_favorite);
    assert_token(&last(&server).await);
    assert_eq!(received(&server).await.len(), 6);
    server.verify().await;
}

#[tokio::test]
async fn views_work_logged_out_and_use_the_author_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/users/mres/projects/104/views/"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    client_for(&server)
        .project(104u64)
        .by("mres")
        .view()
        .await
        .unwrap();
    assert_eq!(header_of(&last(&server).await, "x-token"), None);
    logged_in(&server)
        .await
        .project(104u64)
        .by("mres")
        .view()
        .await
        .unwrap();
    assert_token(&last(&server).await);
    server.verify().await;
}

#[tokio::test]
async fn visibility_trash_restore_and_thumbnail() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/users/{ME}/projects/104/visibility")))
        .respond_with(json(serde_json::json!({
            "projectId":104,"creatorId":1000001,"deleted":false,"censored":true,
            "censoredByAdmin":false,"censoredByCommunity":true,"reshareable":true,"message":"x"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/site/site-api/projects/all/104/"))
        .respond_with(json(serde_json::json!({"pk":104})))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/internalapi/project/thumbnail/104/set/"))
        .respond_with(json(serde_json::json!({"status":"ok"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let project = client.project(104u64);

    let visibility = project.visibility().await.unwrap();
    assert!(visibility.censored_by_community && visibility.reshareable);
    assert_token(&last(&server).await);

    project.trash().await.unwrap();
    let r = last(&server).await;
    assert_cookie_auth(&r);
    assert_eq!(json_body(&r), serde_json::json!({"visibility":"trshbyusr"}));
    project.restore().await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"visibility":"visible"})
    );

    let png = b"\x89PNG\r\n\x1a\n-rest-of-image".to_vec();
    project.set_thumbnail(png.clone()).await.unwrap();
    let r = last(&server).await;
    assert_cookie_auth(&r);
    assert_token(&r);
    assert_eq!(header_of(&r, "content-type"), Some("image/png"));
    assert_eq!(r.body, png);

    let before = received(&server).await.len();
    let err = project
        .set_thumbnail(b"not an image".to_vec())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { what: "image", .. }));
    assert_eq!(received(&server).await.len(), before);
    server.verify().await;
}

#[tokio::test]
async fn comments_are_posted_replied_deleted_and_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/proxy/comments/project/104/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(fixture("api_projects_comment_reply_object.json")),
        )
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/proxy/comments/project/104/comment/55"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/proxy/project/104/comment/55/report"))
        .respond_with(json(serde_json::json!({"reportId": 9})))
        .expect(1)
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let project = client.project(104u64);

    let comment = project.comments().post("Nice work!").await.unwrap();
    assert_eq!(comment.id, CommentId(447648029));
    let r = last(&server).await;
    let referer = assert_cookie_auth(&r);
    assert!(referer.ends_with("/site/projects/104/"), "{referer}");
    assert_eq!(
        json_body(&r),
        serde_json::json!({"content":"Nice work!","parent_id":"","commentee_id":""})
    );

    // The fixture is itself a reply: answering it goes under its top-level comment and
    // notifies its author.
    project
        .comments()
        .reply_to(&comment, "Thanks")
        .await
        .unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"content":"Thanks","parent_id":447647641,"commentee_id":49156})
    );

    project.comments().delete(55u64).await.unwrap();
    assert_cookie_auth(&last(&server).await);
    project.comments().report(55u64).await.unwrap();
    let r = last(&server).await;
    assert_eq!(r.method.as_str(), "POST", "reports are never DELETEs");
    assert_eq!(json_body(&r), serde_json::json!({"reportId": null}));
    server.verify().await;
}

#[tokio::test]
async fn comment_rejections_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/proxy/comments/studio/7/"))
        .respond_with(json(serde_json::json!({
            "rejected": "isMuted",
            "status": {"mute_status": {"offenses": [{"expiresAt": 1767225600, "messageType": "general", "createdAt": 1767220000}],
                                       "showWarning": true, "muteExpiresAt": 1767225600, "currentMessageType": "general"}}
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/proxy/comments/studio/7/"))
        .respond_with(json(
            serde_json::json!({"rejected": "isFlood", "status": {"mute_status": {}}}),
        ))
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let studio = client.studio(7u64);

    match studio.comments().post("hello").await.unwrap_err() {
        Error::CommentRejected {
            reason,
            mute_status: Some(mute),
        } => {
            assert_eq!(reason, "isMuted");
            assert_eq!(mute.mute_expires_at.unwrap().unix_seconds(), 1767225600);
            assert_eq!(mute.offenses.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    let r = last(&server).await;
    assert!(assert_cookie_auth(&r).ends_with("/site/studios/7/comments/"));

    let err = studio
        .comments()
        .reply(CommentId(5), Some(UserId(3)), "again")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::CommentRejected { reason, mute_status: None } if reason == "isFlood"),
        "{err:?}"
    );
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"content":"again","parent_id":5,"commentee_id":3})
    );

    // Checked before sending.
    let before = received(&server).await.len();
    for bad in [String::new(), " \n".into(), "x".repeat(501)] {
        let err = studio.comments().post(&bad).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidInput {
                    what: "comment",
                    ..
                }
            ),
            "{err:?}"
        );
    }
    assert_eq!(received(&server).await.len(), before);
}

// Profile comments are old-site HTML pages (feature `html`).
#[cfg(feature = "html")]
#[tokio::test]
async fn profile_comments_go_through_the_site_api() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/site/site-api/comments/user/griffpatch/add/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"<div id="comments-321" class="comment " data-comment-id="321">
  <a href="/users/me" id="comment-user" data-comment-user="me"><img class="avatar" src="//cdn2.scratch.mit.edu/get_image/user/42_60x60.png"></a>
  <div class="info"><div class="name"><a href="/users/me">me</a></div>
    <div class="content">hi</div>
    <div><span class="time" title="2025-01-21T20:37:44Z">now</span>
    <a class="reply" data-comment-id="321" data-parent-thread="10" data-commentee-id="42"><span>Reply</span></a></div></div>
</div>"#,
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/site-api/comments/user/griffpatch/add/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"error": "isFlood"}"#))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/site-api/comments/user/griffpatch/del/"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/site/site-api/comments/user/griffpatch/rep/"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let user = client.user("griffpatch");

    let comments = user.comments();
    let posted = comments
        .reply(CommentId(10), Some(UserId(20)), "hi")
        .await
        .unwrap();
    assert_eq!(posted.id, CommentId(321));
    assert_eq!(posted.parent_id, Some(CommentId(10)));
    assert_eq!(posted.commentee_id, Some(UserId(20)));
    assert_eq!(
        (posted.author.id, posted.author.username.as_str()),
        (UserId(42), "me")
    );
    assert_eq!(posted.content, "hi");
    let r = last(&server).await;
    assert!(assert_cookie_auth(&r).ends_with("/site/users/griffpatch/"));
    assert_eq!(
        json_body(&r),
        serde_json::json!({"content":"hi","parent_id":10,"commentee_id":20})
    );
    let err = comments.post("hi").await.unwrap_err();
    assert!(matches!(&err, Error::CommentRejected { reason, .. } if reason == "isFlood"));

    comments.delete(321u64).await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"id":"321"})
    );
    comments.report(321u64).await.unwrap();
    assert_eq!(
        json_body(&last(&server).await),
        serde_json::json!({"id":"321"})
    );
    server.verify().await;
}

#[tokio::test]
async fn a_401_expires_the_session_and_later_writes_send_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/proxy/projects/104/loves/user/{ME}")))
        .respond_with(ResponseTemplate::new(401).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    let err = client.project(104u64).love().await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    let err = client.project(104u64).love().await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    let err = client.me().set_bio("x").await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    assert_eq!(received(&server).await.len(), 1);
    assert!(
        client.logged_in_as().is_some(),
        "the login is kept, marked expired"
    );
    server.verify().await;
}

#[tokio::test]
async fn forbidden_is_not_a_session_problem() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/proxy/projects/104/share"))
        .respond_with(ResponseTemplate::new(403).set_body_string("{\"code\":\"Forbidden\"}"))
        .expect(2)
        .mount(&server)
        .await;
    let client = logged_in(&server).await;
    for _ in 0..2 {
        let err = client.project(104u64).share().await.unwrap_err();
        assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    }
    server.verify().await;
}
