//! `client.explore()` and `client.search(…)`: modes, tags, languages, encoding.

use scratchkit::Error;
use scratchkit::model::{ExploreMode, ProjectId, StudioId};
use scratchkit_tests::TestSandbox;

#[tokio::test]
async fn explore_modes_sort_as_scratch_does() {
    let sb = TestSandbox::start().await;
    let explore = sb.client().explore();

    let trending = explore.projects().limit(10).await.unwrap();
    assert_eq!(trending.len(), 10);

    let recent = explore
        .projects()
        .mode(ExploreMode::Recent)
        .limit(40)
        .await
        .unwrap();
    let shared: Vec<_> = recent
        .items
        .iter()
        .map(|p| p.history.shared.expect("shared date"))
        .collect();
    assert!(
        shared.windows(2).all(|w| w[0] >= w[1]),
        "recent: newest first"
    );

    let popular = explore
        .projects()
        .mode(ExploreMode::Popular)
        .limit(40)
        .await
        .unwrap();
    let views: Vec<u64> = popular.items.iter().map(|p| p.stats.views).collect();
    assert!(
        views.windows(2).all(|w| w[0] >= w[1]),
        "popular: most viewed first"
    );
    assert_ne!(
        recent.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        popular.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        "modes give different orders"
    );
}

#[tokio::test]
async fn explore_by_tag_and_language() {
    let sb = TestSandbox::start_logged().await;
    let explore = sb.client().explore();
    let games = explore.projects().query("games").limit(40).await.unwrap();
    let all = explore.projects().limit(40).await.unwrap();
    assert!(!games.is_empty());
    assert_ne!(
        games.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        all.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        "a tag narrows the list"
    );
    let none = explore.projects().language("zz").await.unwrap();
    assert!(none.is_empty(), "no project is in language zz");

    let studios = explore
        .studios()
        .mode(ExploreMode::Popular)
        .limit(5)
        .await
        .unwrap();
    assert_eq!(studios.len(), 5);

    let logged = sb.requests_to("/explore/projects");
    assert_eq!(logged[0].param("q"), Some("games"));
    assert_eq!(logged[0].param("mode"), Some("trending"));
    assert_eq!(
        logged[0].param("language"),
        None,
        "no language unless asked"
    );
    assert_eq!(logged[1].param("q"), Some("*"));
    assert_eq!(logged[2].param("language"), Some("zz"));
    let logged = sb.requests_to("/explore/studios");
    assert_eq!(logged[0].param("mode"), Some("popular"));
}

#[tokio::test]
async fn search_projects_and_studios() {
    let sb = TestSandbox::start().await;
    let client = sb.client();
    let found = client
        .search("PlayWithYourFace")
        .projects()
        .limit(40)
        .await
        .unwrap();
    assert!(
        found.items.iter().any(|p| p.id == ProjectId(142)),
        "{found:?}"
    );

    let studios = client.search("Sandbox Showcase").studios().await.unwrap();
    assert!(studios.items.iter().any(|s| s.id == StudioId(5342)));

    let nothing = client
        .search("no such words anywhere 9f8e7d")
        .projects()
        .mode(ExploreMode::Recent)
        .await
        .unwrap();
    assert!(nothing.is_empty());
}

#[tokio::test]
async fn search_text_arrives_intact() {
    let sb = TestSandbox::start_logged().await;
    let text = "cats & dogs #1 + é/?=%";
    sb.client().search(text).projects().await.unwrap();
    let logged = sb.requests_to("/search/projects");
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].param("q"), Some(text));
    assert_eq!(logged[0].param("offset"), Some("0"));
    assert_eq!(logged[0].param("limit"), Some("20"));
}

#[tokio::test]
async fn empty_search_is_refused_before_sending() {
    let sb = TestSandbox::start_logged().await;
    let err = sb.client().search("  ").projects().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                what: "search query",
                ..
            }
        ),
        "{err:?}"
    );
    let err = sb.client().explore().studios().limit(0).await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { what: "limit", .. }),
        "{err:?}"
    );
    assert!(sb.requests().is_empty());
}
