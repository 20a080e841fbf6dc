//! Project writes read back: metadata, sharing, loves, favorites, views, trash, thumbnail.

use scratchkit::{MyStuffFilter, MyStuffSort};
use scratchkit_tests::TestSandbox;

/// The smallest PNG: a 1×1 image.
pub(crate) const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

#[tokio::test]
async fn metadata_edits_are_read_back() {
    let sb = TestSandbox::start().await;
    let id = sb.create_project("griffpatch", "Before", true).await;
    let client = sb.logged_in("griffpatch").await;
    let project = client.project(id);

    let answer = project.set_title("After").await.unwrap();
    assert_eq!(answer.title, "After");
    project.set_instructions("Press space").await.unwrap();
    project.set_notes("Thanks to everyone").await.unwrap();
    project.set_comments_allowed(false).await.unwrap();

    // Read back through a different, logged-out client: the server kept it.
    let info = sb.new_client().project(id).info().await.unwrap();
    assert_eq!(info.title, "After");
    assert_eq!(info.instructions, "Press space");
    assert_eq!(info.description, "Thanks to everyone");
    assert!(!info.comments_allowed);
    project.set_comments_allowed(true).await.unwrap();
    assert!(project.info().await.unwrap().comments_allowed);
}

#[tokio::test]
async fn share_and_unshare() {
    let sb = TestSandbox::start().await;
    let id = sb.create_project("kakurenbo", "Draft", false).await;
    let client = sb.logged_in("kakurenbo").await;
    let anonymous = sb.new_client();

    let err = anonymous.project(id).info().await.unwrap_err();
    assert!(err.is_not_found(), "unshared projects are hidden: {err:?}");
    client.project(id).share().await.unwrap();
    let info = anonymous.project(id).info().await.unwrap();
    assert!(info.is_published || info.public, "{info:?}");
    assert!(info.history.shared.is_some());

    client.project(id).unshare().await.unwrap();
    let err = anonymous.project(id).info().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    // The owner still sees it (the X-Token is sent when logged in).
    assert_eq!(client.project(id).info().await.unwrap().title, "Draft");
}

#[tokio::test]
async fn love_and_favorite_change_the_counts_once() {
    let sb = TestSandbox::start().await;
    let id = sb.create_project("griffpatch", "Lovable", true).await;
    let client = sb.logged_in("Maximouse").await;
    let project = client.project(id);
    let before = project.info().await.unwrap().stats;

    assert!(!project.love_status().await.unwrap().user_love);
    let loved = project.love().await.unwrap();
    assert!(loved.user_love && loved.status_changed);
    let again = project.love().await.unwrap();
    assert!(
        again.user_love && !again.status_changed,
        "POST sets, no toggle"
    );
    assert!(project.love_status().await.unwrap().user_love);
    assert_eq!(project.info().await.unwrap().stats.loves, before.loves + 1);

    let fav = project.favorite().await.unwrap();
    assert!(fav.user_favorite && fav.status_changed);
    assert!(project.favorite_status().await.unwrap().user_favorite);
    assert_eq!(
        project.info().await.unwrap().stats.favorites,
        before.favorites + 1
    );

    let unloved = project.unlove().await.unwrap();
    assert!(!unloved.user_love && unloved.status_changed);
    let unfav = project.unfavorite().await.unwrap();
    assert!(!unfav.user_favorite && unfav.status_changed);
    let after = project.info().await.unwrap().stats;
    assert_eq!(
        (after.loves, after.favorites),
        (before.loves, before.favorites)
    );
    assert!(!project.favorite_status().await.unwrap().user_favorite);
}

#[tokio::test]
async fn views_count_logged_in_and_out() {
    let sb = TestSandbox::start().await;
    let id = sb.create_project("PMJ_Studio", "Viewed", true).await;
    let before = sb.client().project(id).info().await.unwrap().stats.views;
    sb.new_client().project(id).view().await.unwrap();
    sb.logged_in("griffpatch")
        .await
        .project(id)
        .by("PMJ_Studio")
        .view()
        .await
        .unwrap();
    let after = sb.client().project(id).info().await.unwrap().stats.views;
    assert!(after > before, "views {before} -> {after}");
}

#[tokio::test]
async fn trash_restore_and_visibility() {
    let sb = TestSandbox::start().await;
    let id = sb.create_project("griffpatch", "Trash me", true).await;
    let client = sb.logged_in("griffpatch").await;
    let project = client.project(id);

    let visibility = project.visibility().await.unwrap();
    assert_eq!(visibility.project_id.get(), id);
    assert!(!visibility.deleted);

    project.trash().await.unwrap();
    let trashed = client
        .me()
        .projects(MyStuffFilter::Trashed, MyStuffSort::LastModified, 1)
        .await
        .unwrap();
    assert!(trashed.iter().any(|p| p.pk.get() == id), "{trashed:?}");
    assert!(project.visibility().await.unwrap().deleted);

    project.restore().await.unwrap();
    let trashed = client
        .me()
        .projects(MyStuffFilter::Trashed, MyStuffSort::LastModified, 1)
        .await
        .unwrap();
    assert!(trashed.iter().all(|p| p.pk.get() != id));
    assert!(!project.visibility().await.unwrap().deleted);
}

#[tokio::test]
async fn thumbnail_upload_is_accepted() {
    let sb = TestSandbox::start_logged().await;
    let id = sb
        .create_project("griffpatch", "With a picture", true)
        .await;
    let client = sb.logged_in("griffpatch").await;
    client.project(id).set_thumbnail(PNG_1X1).await.unwrap();
    let path = format!("/internalapi/project/thumbnail/{id}/set");
    assert_eq!(sb.requests_to(&path).len(), 1);
}
