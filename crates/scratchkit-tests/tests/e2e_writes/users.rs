//! Following users and editing your profile, read back through the users' pages.

use futures_util::TryStreamExt;
use scratchkit::FeaturedLabel;
use scratchkit::model::User;
use scratchkit_tests::TestSandbox;

use super::projects::PNG_1X1;

#[tokio::test]
async fn follow_and_unfollow_show_in_followers() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("demo_new").await;
    let followers = |sb: &TestSandbox| {
        let reader = sb.new_client();
        async move {
            let list: Vec<User> = reader
                .user("PMJ_Studio")
                .followers()
                .stream()
                .try_collect()
                .await
                .unwrap();
            list.iter().any(|u| u.username == "demo_new")
        }
    };
    assert!(!followers(&sb).await);
    client.user("PMJ_Studio").follow().await.unwrap();
    assert!(followers(&sb).await);
    let following: Vec<User> = client
        .user("demo_new")
        .following()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(following.iter().any(|u| u.username == "PMJ_Studio"));
    client.user("PMJ_Studio").unfollow().await.unwrap();
    assert!(!followers(&sb).await);
}

#[tokio::test]
async fn bio_status_and_featured_project() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("kakurenbo").await;
    client.me().set_bio("I like puzzles").await.unwrap();
    client
        .me()
        .set_status("Making a sandbox game")
        .await
        .unwrap();
    let user = sb.new_client().user("kakurenbo").info().await.unwrap();
    assert_eq!(user.profile.bio, "I like puzzles");
    assert_eq!(user.profile.status, "Making a sandbox game");

    let id = sb.create_project("kakurenbo", "Feature me", true).await;
    let answer = client
        .me()
        .set_featured_project(id, FeaturedLabel::WorkInProgress)
        .await
        .unwrap();
    assert_eq!(answer.featured_project.map(|p| p.get()), Some(id));
    let featured = sb
        .new_client()
        .user("kakurenbo")
        .featured_project()
        .await
        .unwrap();
    assert_eq!(featured.featured_project.map(|p| p.get()), Some(id));
    assert_eq!(featured.featured_project_label_id, Some(1));
}

#[tokio::test]
async fn avatar_upload_is_accepted() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("Maximouse").await;
    client.me().set_avatar(PNG_1X1).await.unwrap();
}
