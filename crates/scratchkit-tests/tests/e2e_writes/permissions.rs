//! Someone else's things: editing another user's project, deleting their comment, managing
//! their studio all fail with `Forbidden`, and nothing changes.

use futures_util::TryStreamExt;
use scratchkit::Error;
use scratchkit::model::{Comment, User};
use scratchkit_tests::TestSandbox;
use serde_json::json;

fn forbidden<T: std::fmt::Debug>(result: scratchkit::Result<T>) {
    assert!(
        matches!(result, Err(Error::Forbidden { .. })),
        "expected Forbidden, got {result:?}"
    );
}

#[tokio::test]
async fn another_users_project_cannot_be_edited() {
    let sb = TestSandbox::start().await;
    let id = sb
        .create_project("griffpatch", "Mine, not yours", true)
        .await;
    let intruder = sb.logged_in("kakurenbo").await;
    let project = intruder.project(id);

    forbidden(project.set_title("Taken").await);
    forbidden(project.set_instructions("x").await);
    forbidden(project.set_notes("x").await);
    forbidden(project.unshare().await);
    forbidden(project.trash().await);

    let info = sb.new_client().project(id).info().await.unwrap();
    assert_eq!(info.title, "Mine, not yours");
    assert_eq!(info.instructions, "");
    assert!(info.history.shared.is_some(), "still shared");
    let err = project.visibility().await.unwrap_err();
    assert!(
        matches!(err, Error::Forbidden { .. } | Error::NotFound { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn another_users_comment_cannot_be_deleted() {
    let sb = TestSandbox::start().await;
    sb.settings(json!({ "comment_flood_seconds": 0 })).await;
    let id = sb.create_project("griffpatch", "Comments", true).await;
    let author = sb.logged_in("Maximouse").await;
    let comment = author.project(id).comments().post("Mine").await.unwrap();

    let intruder = sb.logged_in("kakurenbo").await;
    forbidden(intruder.project(id).comments().delete(comment.id).await);
    let comments: Vec<Comment> = sb
        .new_client()
        .project(id)
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(comments.iter().any(|c| c.id == comment.id));

    let studio = sb.create_studio("griffpatch", "Studio comments").await;
    let posted = author
        .studio(studio)
        .comments()
        .post("Also mine")
        .await
        .unwrap();
    forbidden(intruder.studio(studio).comments().delete(posted.id).await);
    let comments: Vec<Comment> = sb
        .new_client()
        .studio(studio)
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(comments.iter().any(|c| c.id == posted.id));
}

#[tokio::test]
async fn another_users_studio_cannot_be_managed() {
    let sb = TestSandbox::start().await;
    let id = sb.create_studio("griffpatch", "Hands off").await;
    let theirs = sb.create_project("kakurenbo", "Sneaky", true).await;
    let intruder = sb.logged_in("kakurenbo").await;
    let studio = intruder.studio(id);

    forbidden(studio.set_title("Mine now").await);
    forbidden(studio.set_description("x").await);
    forbidden(studio.open_to_everyone().await);
    forbidden(studio.invite_curator("PMJ_Studio").await);
    forbidden(studio.promote("kakurenbo").await);
    forbidden(studio.delete().await);
    // The studio is closed to non-curators.
    forbidden(studio.add_project(theirs).await);

    let info = sb.new_client().studio(id).info().await.unwrap();
    assert_eq!(info.title, "Hands off");
    assert!(!info.open_to_all);
    assert_eq!(info.stats.projects, 0);
    let managers: Vec<User> = sb
        .new_client()
        .studio(id)
        .managers()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(managers.len(), 1);
    let pmj = sb.logged_in("PMJ_Studio").await;
    assert!(!pmj.studio(id).my_role().await.unwrap().invited);
}

#[tokio::test]
async fn a_curator_cannot_do_what_only_managers_do() {
    let sb = TestSandbox::start().await;
    let id = sb.create_studio("griffpatch", "Ranks").await;
    sb.logged_in("griffpatch")
        .await
        .studio(id)
        .invite_curator("kakurenbo")
        .await
        .unwrap();
    let curator = sb.logged_in("kakurenbo").await;
    curator.studio(id).accept_invite().await.unwrap();
    forbidden(curator.studio(id).promote("kakurenbo").await);
    forbidden(curator.studio(id).remove_curator("griffpatch").await);
    let managers: Vec<User> = sb
        .new_client()
        .studio(id)
        .managers()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(managers.len(), 1);
}
