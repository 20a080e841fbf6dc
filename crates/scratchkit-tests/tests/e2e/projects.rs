//! `client.project(…)`: details, remixes, studios, comments and replies.

use futures_util::TryStreamExt;
use scratchkit::Error;
use scratchkit::model::{ProjectId, StudioId, UserId};
use scratchkit_tests::TestSandbox;

#[tokio::test]
async fn the_wiki_project() {
    let sb = TestSandbox::start().await;
    let project = sb.client().project(142u64).info().await.unwrap();
    assert_eq!(project.id, ProjectId(142));
    assert_eq!(project.title, "PlayWithYourFace");
    assert_eq!(project.author.id, UserId(167));
    assert_eq!(project.author.username.as_deref(), Some("mres"));
    let token = project.project_token.expect("a project token");
    assert!(!token.is_empty());
}

#[tokio::test]
async fn unknown_project_is_not_found() {
    let sb = TestSandbox::start().await;
    let err = sb
        .client()
        .project(987_654_321_012u64)
        .info()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    // Comment lists need the author: the failed lookup is the error.
    let err = sb
        .client()
        .project(987_654_321_012u64)
        .comments()
        .list()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn remixes_point_at_their_parent() {
    let sb = TestSandbox::start().await;
    let remixes: Vec<_> = sb
        .client()
        .project(142u64)
        .remixes()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(remixes.len(), 3, "the seeded world has 3 remixes of 142");
    for remix in &remixes {
        assert_eq!(remix.remix.parent, Some(ProjectId(142)));
        assert_ne!(remix.id, ProjectId(142));
    }
}

#[tokio::test]
async fn studios_of_a_project() {
    let sb = TestSandbox::start().await;
    let studios = sb
        .client()
        .project(142u64)
        .by("mres")
        .studios()
        .await
        .unwrap();
    assert!(
        studios.items.iter().any(|s| s.id == StudioId(5342)),
        "{studios:?}"
    );
}

#[tokio::test]
async fn the_author_lookup_happens_once() {
    let sb = TestSandbox::start_logged().await;
    let project = sb.client().project(142u64);
    let first = project.comments().list().limit(5).await.unwrap();
    assert_eq!(first.len(), 5);
    assert_eq!(project.author(), Some("mres"));
    let second = project.comments().list().offset(5).limit(5).await.unwrap();
    assert_eq!(second.len(), 5);
    assert_ne!(first.items[0].id, second.items[0].id);
    assert_eq!(sb.requests_to("/projects/142").len(), 1, "one lookup");
    let lists = sb.requests_to("/users/mres/projects/142/comments");
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[1].param("offset"), Some("5"));
    assert_eq!(lists[1].param("limit"), Some("5"));

    // With the author given, no lookup at all.
    let before = sb.requests_to("/projects/142").len();
    sb.client()
        .project(142u64)
        .by("mres")
        .comments()
        .list()
        .await
        .unwrap();
    assert_eq!(sb.requests_to("/projects/142").len(), before);
}

#[tokio::test]
async fn comments_replies_and_single_comments() {
    let sb = TestSandbox::start().await;
    let project = sb.client().project(142u64).by("mres");
    let comments: Vec<_> = project
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(
        (25..=30).contains(&comments.len()),
        "the seeded world gives 142 25 to 30 threads, got {}",
        comments.len()
    );
    assert!(
        comments.iter().all(|c| c.parent_id.is_none()),
        "top level only"
    );

    let thread = comments
        .iter()
        .find(|c| c.reply_count > 0)
        .expect("a comment with replies");
    let replies: Vec<_> = project
        .comments()
        .replies(thread.id)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(replies.len() as u64, thread.reply_count);
    assert!(replies.iter().all(|r| r.parent_id == Some(thread.id)));

    let again = project.comments().get(thread.id).await.unwrap();
    assert_eq!(again.content, thread.content);
    assert_eq!(again.author.id, thread.author.id);
    let reply = project.comments().get(replies[0].id).await.unwrap();
    assert!(reply.is_reply());

    let err = project.comments().get(1u64).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}
