//! Site-wide reads: news, front page, API root, health, counts, statistics, username checks.

use futures_util::TryStreamExt;
use scratchkit::model::UsernameStatus;
use scratchkit_tests::TestSandbox;

#[tokio::test]
async fn news_pages_and_stream() {
    let sb = TestSandbox::start().await;
    let page = sb.client().news().limit(3).await.unwrap();
    assert_eq!(page.len(), 3);
    assert!(page.items.iter().all(|n| !n.headline.is_empty()));
    let all: Vec<_> = sb.client().news().stream().try_collect().await.unwrap();
    let info = sb.admin_get("/info").await;
    assert_eq!(all.len() as u64, info["counts"]["news"].as_u64().unwrap());
    assert_eq!(all[..3], page.items[..]);
}

#[tokio::test]
async fn front_page_has_seven_rows() {
    let sb = TestSandbox::start().await;
    let f = sb.client().featured().await.unwrap();
    let rows = [
        f.community_featured_projects.len(),
        f.community_most_loved_projects.len(),
        f.community_most_remixed_projects.len(),
        f.community_newest_projects.len(),
        f.curator_top_projects.len(),
        f.scratch_design_studio.len(),
        f.community_featured_studios.len(),
    ];
    assert!(rows.iter().all(|n| *n > 0), "every row filled: {rows:?}");
    assert!(f.extra.is_empty(), "no unknown rows: {:?}", f.extra.keys());
}

#[tokio::test]
async fn api_root_health_and_project_count() {
    let sb = TestSandbox::start().await;
    let client = sb.client();
    let root = client.api_root().await.unwrap();
    assert_eq!(root.api, "api.scratch.mit.edu");
    assert_eq!(root.website, "scratch.mit.edu");
    let health = client.health().await.unwrap();
    assert!(health.uptime.is_some_and(|u| u >= 0.0));
    let count = client.shared_project_count().await.unwrap();
    let info = sb.admin_get("/info").await;
    let shared = info["counts"]["shared_projects"].as_u64().unwrap();
    // The live counter counts shared projects only; the sandbox's world also has unshared ones.
    let all = info["counts"]["projects"].as_u64().unwrap();
    assert!(shared > 0 && shared < all, "{shared} < {all}");
    assert_eq!(count, shared);
}

#[tokio::test]
async fn statistics() {
    let sb = TestSandbox::start().await;
    let stats = sb.client().statistics();
    let daily = stats.daily().await.unwrap();
    let info = sb.admin_get("/info").await;
    assert!(daily.user_count > 0 && daily.project_count > 0);
    assert!(daily.user_count >= info["counts"]["users"].as_u64().unwrap() / 2);
    assert!(daily.computed_at().is_some());
    let monthly = stats.monthly().await.unwrap();
    assert!(!monthly.activity_data.is_empty() || !monthly.project_data.is_empty());
    let ga = stats.monthly_ga().await.unwrap();
    assert!(ga.pageviews_count().is_some());
}

#[tokio::test]
async fn username_checks() {
    let sb = TestSandbox::start().await;
    let client = sb.client();
    let taken = client.check_username("mres").await.unwrap();
    assert_eq!(taken.msg, UsernameStatus::Exists);
    assert!(!taken.is_available());
    let free = client.check_username("free_name_2024").await.unwrap();
    assert_eq!(free.msg, UsernameStatus::Valid);
    assert!(free.is_available());
    assert_eq!(free.username, "free_name_2024");
    let invalid = client.check_username("no way!").await.unwrap();
    assert_eq!(invalid.msg, UsernameStatus::Invalid);
    assert!(client.check_username("").await.is_err());
}
