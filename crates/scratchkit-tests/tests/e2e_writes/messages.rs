//! Messages: a comment, a love and a follow reach the recipient; clearing resets the count;
//! admin alerts; the following feeds.

use futures_util::TryStreamExt;
use scratchkit::MessageFilter;
use scratchkit::model::{Message, MessageType};
use scratchkit_tests::TestSandbox;
use serde_json::json;

#[tokio::test]
async fn comment_love_and_follow_become_messages_and_clear_resets() {
    let sb = TestSandbox::start().await;
    sb.settings(json!({ "comment_flood_seconds": 0 })).await;
    let id = sb.create_project("Maximouse", "Message me", true).await;
    let recipient = sb.logged_in("Maximouse").await;
    recipient.me().clear_messages().await.unwrap();
    assert_eq!(recipient.me().message_count().await.unwrap(), 0);

    let actor = sb.logged_in("PMJ_Studio").await;
    actor
        .project(id)
        .comments()
        .post("Hi Maximouse")
        .await
        .unwrap();
    actor.project(id).love().await.unwrap();
    actor.user("Maximouse").follow().await.unwrap();

    assert_eq!(recipient.me().message_count().await.unwrap(), 3);
    // The public count agrees.
    assert_eq!(
        sb.new_client()
            .user("Maximouse")
            .message_count()
            .await
            .unwrap(),
        3
    );
    let messages: Vec<Message> = recipient
        .me()
        .messages(MessageFilter::All)
        .limit(40)
        .await
        .unwrap()
        .items;
    let from_actor: Vec<&Message> = messages
        .iter()
        .filter(|m| m.actor_username == "PMJ_Studio")
        .collect();
    for kind in [
        MessageType::AddComment,
        MessageType::LoveProject,
        MessageType::FollowUser,
    ] {
        assert!(
            from_actor.iter().any(|m| m.kind == kind),
            "{kind:?} in {from_actor:?}"
        );
    }
    let comment = from_actor
        .iter()
        .find(|m| m.kind == MessageType::AddComment)
        .unwrap();
    assert_eq!(comment.comment_fragment.as_deref(), Some("Hi Maximouse"));
    let comments_only: Vec<Message> = recipient
        .me()
        .messages(MessageFilter::Comments)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(
        comments_only
            .iter()
            .all(|m| m.kind == MessageType::AddComment)
    );
    assert!(!comments_only.is_empty());

    recipient.me().clear_messages().await.unwrap();
    assert_eq!(recipient.me().message_count().await.unwrap(), 0);
    // Clearing marks read; the messages themselves stay listed.
    assert!(
        !recipient
            .me()
            .messages(MessageFilter::All)
            .limit(40)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn reply_notifies_the_commentee() {
    let sb = TestSandbox::start().await;
    sb.settings(json!({ "comment_flood_seconds": 0 })).await;
    let id = sb.create_project("griffpatch", "Thread", true).await;
    let asker = sb.logged_in("kakurenbo").await;
    let owner = sb.logged_in("griffpatch").await;
    let question = asker.project(id).comments().post("How?").await.unwrap();
    asker.me().clear_messages().await.unwrap();
    owner
        .project(id)
        .comments()
        .reply_to(&question, "Like this")
        .await
        .unwrap();
    assert_eq!(asker.me().message_count().await.unwrap(), 1);
    let messages = asker
        .me()
        .messages(MessageFilter::Comments)
        .limit(5)
        .await
        .unwrap();
    let m = &messages.items[0];
    assert_eq!(m.kind, MessageType::AddComment);
    assert_eq!(m.actor_username, "griffpatch");
    assert_eq!(m.commentee(), Some("kakurenbo"));
}

#[tokio::test]
async fn admin_alerts_are_listed() {
    let sb = TestSandbox::start().await;
    sb.admin_post(
        "/alerts",
        json!({ "username": "griffpatch", "message": "Please be kind" }),
    )
    .await;
    let client = sb.logged_in("griffpatch").await;
    let alerts = client.me().admin_messages().limit(10).await.unwrap();
    assert!(
        alerts
            .items
            .iter()
            .any(|a| a.message.as_deref() == Some("Please be kind") && a.id.is_some()),
        "{alerts:?}"
    );
}

#[tokio::test]
async fn following_feeds_show_what_followed_users_do() {
    let sb = TestSandbox::start().await;
    let reader = sb.logged_in("demo_new").await;
    reader.user("PMJ_Studio").follow().await.unwrap();
    let loved = sb.create_project("griffpatch", "Loved by PMJ", true).await;
    let shared = sb
        .create_project("PMJ_Studio", "Shared by PMJ", false)
        .await;
    let pmj = sb.logged_in("PMJ_Studio").await;
    pmj.project(loved).love().await.unwrap();
    pmj.project(shared).share().await.unwrap();

    let loves = reader.me().following_loves().limit(40).await.unwrap();
    assert!(loves.items.iter().any(|p| p.id.get() == loved), "{loves:?}");
    let projects = reader.me().following_projects().limit(40).await.unwrap();
    assert!(
        projects.items.iter().any(|p| p.id.get() == shared),
        "{projects:?}"
    );
    let activity = reader.me().whats_happening().limit(40).await.unwrap();
    assert!(!activity.is_empty());
}
