//! Comments on projects, studios and profiles: post, reply, delete, report; mutes and flood
//! control.

use futures_util::TryStreamExt;
use scratchkit::Error;
use scratchkit::model::Comment;
use scratchkit_tests::TestSandbox;
use serde_json::json;

/// A sandbox without flood control (several comments in a row).
async fn no_flood() -> TestSandbox {
    let sb = TestSandbox::start().await;
    sb.settings(json!({ "comment_flood_seconds": 0 })).await;
    sb
}

#[tokio::test]
async fn project_comment_reply_and_delete() {
    let sb = no_flood().await;
    let id = sb.create_project("griffpatch", "Commented", true).await;
    let owner = sb.logged_in("griffpatch").await;
    let fan = sb.logged_in("kakurenbo").await;

    let posted = fan
        .project(id)
        .comments()
        .post("Great game!")
        .await
        .unwrap();
    assert_eq!(posted.content, "Great game!");
    assert_eq!(posted.author.username, "kakurenbo");
    assert!(!posted.is_reply());

    // Read back anonymously.
    let reader = sb.new_client();
    let comments: Vec<Comment> = reader
        .project(id)
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(
        comments
            .iter()
            .any(|c| c.id == posted.id && c.content == "Great game!")
    );

    // The owner answers; then the fan answers the answer: both land under the top comment.
    let answer = owner
        .project(id)
        .comments()
        .reply_to(&posted, "Thanks!")
        .await
        .unwrap();
    assert_eq!(answer.parent_id, Some(posted.id));
    assert_eq!(answer.commentee_id, Some(posted.author.id));
    let again = fan
        .project(id)
        .comments()
        .reply_to(&answer, "You're welcome")
        .await
        .unwrap();
    assert_eq!(again.parent_id, Some(posted.id), "threads are flat");
    assert_eq!(again.commentee_id, Some(answer.author.id));

    let replies = reader
        .project(id)
        .comments()
        .replies(posted.id)
        .limit(40)
        .await
        .unwrap();
    let ids: Vec<_> = replies.items.iter().map(|c| c.id).collect();
    assert!(
        ids.contains(&answer.id) && ids.contains(&again.id),
        "{ids:?}"
    );
    let top = reader.project(id).comments().get(posted.id).await.unwrap();
    assert_eq!(top.reply_count, 2);

    fan.project(id).comments().report(answer.id).await.unwrap();

    // The owner may delete any comment on their project.
    owner
        .project(id)
        .comments()
        .delete(posted.id)
        .await
        .unwrap();
    let comments: Vec<Comment> = reader
        .project(id)
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(comments.iter().all(|c| c.id != posted.id));
}

#[tokio::test]
async fn studio_comment_reply_and_delete() {
    let sb = no_flood().await;
    let studio_id = sb.create_studio("Maximouse", "Talk here").await;
    let host = sb.logged_in("Maximouse").await;
    let guest = sb.logged_in("PMJ_Studio").await;

    let posted = guest
        .studio(studio_id)
        .comments()
        .post("Hello studio")
        .await
        .unwrap();
    let reply = host
        .studio(studio_id)
        .comments()
        .reply_to(&posted, "Welcome")
        .await
        .unwrap();
    assert_eq!(reply.parent_id, Some(posted.id));
    assert_eq!(reply.commentee_id, Some(posted.author.id));

    let reader = sb.new_client();
    let comments: Vec<Comment> = reader
        .studio(studio_id)
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(comments.iter().any(|c| c.id == posted.id));
    let replies = reader
        .studio(studio_id)
        .comments()
        .replies(posted.id)
        .limit(40)
        .await
        .unwrap();
    assert!(replies.items.iter().any(|c| c.id == reply.id));

    guest
        .studio(studio_id)
        .comments()
        .report(reply.id)
        .await
        .unwrap();
    // Authors may delete their own comments.
    guest
        .studio(studio_id)
        .comments()
        .delete(posted.id)
        .await
        .unwrap();
    let comments: Vec<Comment> = reader
        .studio(studio_id)
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(comments.iter().all(|c| c.id != posted.id));
}

#[tokio::test]
async fn profile_comment_post_and_delete() {
    let sb = no_flood().await;
    let visitor = sb.logged_in("kakurenbo").await;
    let posted = visitor
        .user("Maximouse")
        .comments()
        .post("Nice profile")
        .await
        .unwrap();
    assert_eq!(posted.author.username, "kakurenbo");
    assert_eq!(posted.content, "Nice profile");
    let owner = sb.logged_in("Maximouse").await;
    let comments = owner.user("Maximouse").comments();
    // The new comment is read back from the profile page, as a `Comment`.
    let listed = comments.list().limit(40).await.unwrap();
    let found = listed.items.iter().find(|c| c.id == posted.id).unwrap();
    assert_eq!(found.author.id, posted.author.id);
    assert_eq!(
        comments.get(posted.id).await.unwrap().content,
        "Nice profile"
    );
    comments.report(posted.id).await.unwrap();
    comments.delete(posted.id).await.unwrap();
    let after = comments.list().limit(40).await.unwrap();
    assert!(after.items.iter().all(|c| c.id != posted.id));
}

#[tokio::test]
async fn muted_account_gets_comment_rejected_with_its_mute() {
    let sb = TestSandbox::start().await;
    let id = sb.create_project("griffpatch", "Quiet please", true).await;
    let muted = sb.logged_in("demo_muted").await;
    let err = muted
        .project(id)
        .comments()
        .post("hello?")
        .await
        .unwrap_err();
    match err {
        Error::CommentRejected {
            reason,
            mute_status,
        } => {
            assert_eq!(reason, "isMuted");
            let mute = mute_status.expect("the mute comes along");
            let until = mute.mute_expires_at.expect("with its end");
            assert_eq!(until.unix_seconds(), 4_102_444_800);
        }
        other => panic!("{other:?}"),
    }
    let comments: Vec<Comment> = sb
        .client()
        .project(id)
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(comments.is_empty(), "nothing was posted");
}

#[tokio::test]
async fn second_comment_in_a_row_is_flood() {
    let sb = TestSandbox::start().await;
    sb.settings(json!({ "comment_flood_seconds": 600 })).await;
    let id = sb.create_project("griffpatch", "Busy", true).await;
    let client = sb.logged_in("kakurenbo").await;
    client.project(id).comments().post("first").await.unwrap();
    let err = client
        .project(id)
        .comments()
        .post("second")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::CommentRejected { reason, mute_status: None } if reason == "isFlood"),
        "{err:?}"
    );
    let comments: Vec<Comment> = sb
        .client()
        .project(id)
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(comments.len(), 1);
}
