//! `client.user(…)`: profile, lists, message count, featured project.

use futures_util::TryStreamExt;
use scratchkit::Error;
use scratchkit::model::{ProjectId, StudioId, UserId};
use scratchkit_tests::TestSandbox;

#[tokio::test]
async fn profile_of_mres() {
    let sb = TestSandbox::start().await;
    let mres = sb.client().user("mres");
    assert_eq!(mres.name(), "mres");
    let user = mres.info().await.unwrap();
    assert_eq!(user.id, UserId(167));
    assert_eq!(user.username, "mres");
    assert!(user.scratchteam);
    assert_eq!(user.profile.country.as_deref(), Some("United States"));
    assert!(user.history.joined.is_some());
}

#[tokio::test]
async fn unknown_and_invalid_users() {
    let sb = TestSandbox::start_logged().await;
    let err = sb.client().user("nobody_here_42").info().await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(sb.requests_to("/users/nobody_here_42").len(), 1);

    let before = sb.requests().len();
    let err = sb.client().user("bad name!").info().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                what: "username",
                ..
            }
        ),
        "{err:?}"
    );
    let err = sb.client().user("a/b").projects().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                what: "username",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(sb.requests().len(), before, "nothing was sent");
}

#[tokio::test]
async fn shared_projects_include_the_wiki_project() {
    let sb = TestSandbox::start().await;
    let projects: Vec<_> = sb
        .client()
        .user("mres")
        .projects()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(
        projects.iter().any(|p| p.id == ProjectId(142)),
        "{projects:?}"
    );
    assert!(projects.iter().all(|p| p.author.id == UserId(167)));
}

#[tokio::test]
async fn followers_and_following_agree() {
    let sb = TestSandbox::start().await;
    let client = sb.client();
    let followers = client.user("mres").followers().limit(5).await.unwrap();
    assert!(
        !followers.is_empty(),
        "the seeded world gives mres followers"
    );
    assert!(followers.len() <= 5);
    let follower = &followers.items[0];
    let following: Vec<_> = client
        .user(follower.username.as_str())
        .following()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(
        following.iter().any(|u| u.username == "mres"),
        "{} follows mres",
        follower.username
    );
}

#[tokio::test]
async fn favorites_are_real_projects() {
    let sb = TestSandbox::start().await;
    let client = sb.client();
    // Some seeded user has favourites; look through the demo accounts.
    let mut found = None;
    for name in ["mres", "griffpatch", "ScratchCat", "kakurenbo"] {
        let page = client.user(name).favorites().limit(40).await.unwrap();
        if let Some(first) = page.items.into_iter().next() {
            found = Some(first);
            break;
        }
    }
    let favorite = found.expect("a demo account has favourites");
    let project = client.project(favorite.id).info().await.unwrap();
    assert_eq!(project.title, favorite.title);
}

#[tokio::test]
async fn curated_studios_message_count_and_featured_project() {
    let sb = TestSandbox::start().await;
    let mres = sb.client().user("mres");
    let studios: Vec<_> = mres.curated_studios().stream().try_collect().await.unwrap();
    assert!(
        studios.iter().any(|s| s.id == StudioId(5342)),
        "{studios:?}"
    );

    // The public bell count announces exactly the unread messages mres can list.
    let count = mres.message_count().await.unwrap();
    assert!(count > 0);
    let own = sb.logged_in("mres").await;
    let listed: Vec<_> = own
        .me()
        .messages(scratchkit::MessageFilter::All)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len() as u64, count);

    let featured = mres.featured_project().await.unwrap();
    assert_eq!(featured.user.name(), "mres");
    assert_eq!(featured.user.pk, UserId(167));
    assert_eq!(featured.featured_project, Some(ProjectId(142)));
    let data = featured
        .featured_project_data
        .expect("featured project data");
    assert_eq!(data.title, "PlayWithYourFace");
}
