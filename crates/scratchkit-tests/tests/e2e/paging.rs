//! Paging through a list: 40 per request, `max`, `limit` checks, end of list.

use futures_util::TryStreamExt;
use scratchkit::Error;
use scratchkit::model::ProjectId;
use scratchkit_tests::TestSandbox;
use serde_json::json;

/// A user with `n` shared projects, made through the sandbox's administration.
async fn user_with_projects(sb: &TestSandbox, name: &str, n: usize) {
    sb.admin_post(
        "/users",
        json!({"username": name, "password": "pager-password"}),
    )
    .await;
    for i in 0..n {
        sb.admin_post(
            "/projects",
            json!({"owner": name, "title": format!("Page test {i}")}),
        )
        .await;
    }
}

#[tokio::test]
async fn stream_reads_every_project_40_at_a_time() {
    let sb = TestSandbox::start_logged().await;
    user_with_projects(&sb, "pager", 85).await;
    let projects: Vec<_> = sb
        .client()
        .user("pager")
        .projects()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(projects.len(), 85);
    let mut ids: Vec<ProjectId> = projects.iter().map(|p| p.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 85, "no item twice");

    let pages: Vec<(String, String)> = sb
        .requests_to("/users/pager/projects")
        .iter()
        .map(|r| {
            (
                r.param("offset").unwrap_or("").to_owned(),
                r.param("limit").unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected =
        [("0", "40"), ("40", "40"), ("80", "40")].map(|(o, l)| (o.to_owned(), l.to_owned()));
    assert_eq!(pages, expected, "a short page ends the stream");
}

#[tokio::test]
async fn max_caps_the_stream_and_its_requests() {
    let sb = TestSandbox::start_logged().await;
    user_with_projects(&sb, "capped", 60).await;
    let some: Vec<_> = sb
        .client()
        .user("capped")
        .projects()
        .offset(5)
        .max(42)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(some.len(), 42);
    let logged = sb.requests_to("/users/capped/projects");
    assert_eq!(logged.len(), 2);
    assert_eq!(
        (logged[0].param("offset"), logged[0].param("limit")),
        (Some("5"), Some("40"))
    );
    assert_eq!(
        (logged[1].param("offset"), logged[1].param("limit")),
        (Some("45"), Some("2"))
    );
}

#[tokio::test]
async fn pages_limits_and_the_end() {
    let sb = TestSandbox::start_logged().await;
    user_with_projects(&sb, "paged", 45).await;
    let user = sb.client().user("paged");
    let first = user.projects().limit(40).await.unwrap();
    assert_eq!(first.len(), 40);
    assert!(!first.is_last());
    let last = user
        .projects()
        .limit(40)
        .offset(first.next_offset())
        .await
        .unwrap();
    assert_eq!(last.len(), 5);
    assert!(last.is_last());
    assert_eq!(last.offset, 40);

    let before = sb.requests().len();
    let err = user.projects().limit(41).await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { what: "limit", .. }),
        "{err:?}"
    );
    let err = user.followers().limit(0).await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { what: "limit", .. }),
        "{err:?}"
    );
    assert_eq!(sb.requests().len(), before, "no request for a bad limit");

    let err = sb
        .client()
        .user("nobody_at_all")
        .projects()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn streams_are_send_and_outlive_their_handler() {
    let sb = TestSandbox::start().await;
    let stream = {
        let handler = sb.client().user("mres");
        handler.projects().max(3).stream()
    };
    let items: Vec<_> = tokio::spawn(stream.try_collect::<Vec<_>>())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(items.len(), 3);
}
