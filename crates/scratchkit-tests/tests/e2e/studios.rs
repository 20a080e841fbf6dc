//! `client.studio(…)`: details, projects, members, comments and activity.

use futures_util::TryStreamExt;
use scratchkit::model::{ProjectId, StudioId, Timestamp, UserId};
use scratchkit_tests::TestSandbox;

#[tokio::test]
async fn studio_5342_and_its_projects() {
    let sb = TestSandbox::start().await;
    let studio = sb.client().studio(5342u64);
    assert_eq!(studio.id(), StudioId(5342));
    let info = studio.info().await.unwrap();
    assert_eq!(info.id, StudioId(5342));
    assert_eq!(info.title, "Sandbox Showcase");
    assert_eq!(info.host, Some(UserId(167)));

    let projects: Vec<_> = studio.projects().stream().try_collect().await.unwrap();
    assert!(projects.iter().any(|p| p.id == ProjectId(142)));
    assert_eq!(projects.len() as u64, info.stats.projects);

    let err = sb.client().studio(1u64).info().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn managers_and_curators() {
    let sb = TestSandbox::start().await;
    let studio = sb.client().studio(5342u64);
    let managers: Vec<_> = studio.managers().stream().try_collect().await.unwrap();
    assert_eq!(managers[0].username, "mres", "the host comes first");
    assert!(managers.iter().any(|u| u.id == UserId(15_883_188)));
    let curators: Vec<_> = studio.curators().stream().try_collect().await.unwrap();
    assert!(curators.iter().any(|u| u.id == UserId(1_882_674)));
    assert!(curators.iter().any(|u| u.id == UserId(40_210_166)));
    assert!(
        curators
            .iter()
            .all(|c| managers.iter().all(|m| m.id != c.id)),
        "curators and managers are distinct lists"
    );
}

#[tokio::test]
async fn comments_and_replies() {
    let sb = TestSandbox::start().await;
    let studio = sb.client().studio(5342u64);
    let comments: Vec<_> = studio
        .comments()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(!comments.is_empty());
    assert!(comments.iter().all(|c| !c.is_reply()));
    let single = studio.comments().get(comments[0].id).await.unwrap();
    assert_eq!(single.id, comments[0].id);
    assert_eq!(single.content, comments[0].content);
    if let Some(thread) = comments.iter().find(|c| c.reply_count > 0) {
        let replies = studio
            .comments()
            .replies(thread.id)
            .limit(40)
            .await
            .unwrap();
        assert_eq!(replies.len() as u64, thread.reply_count);
        assert!(replies.items.iter().all(|r| r.parent_id == Some(thread.id)));
    } else {
        // No thread has replies: the replies of a top-level comment are then empty.
        let replies = studio.comments().replies(comments[0].id).await.unwrap();
        assert!(replies.is_empty());
    }
}

#[tokio::test]
async fn activity_newest_first_and_date_limit() {
    let sb = TestSandbox::start_logged().await;
    let studio = sb.client().studio(5342u64);
    let all: Vec<_> = studio.activity().stream().try_collect().await.unwrap();
    assert!(
        all.len() >= 5,
        "studio 5342 has activity, got {}",
        all.len()
    );
    let dates: Vec<Timestamp> = all
        .iter()
        .map(|a| a.datetime_created.expect("dated"))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");

    // Everything strictly older than the 5th newest item.
    let limit = dates[4];
    let older = studio.activity().date_limit(limit).limit(40).await.unwrap();
    assert!(!older.is_empty());
    assert!(older.len() < all.len());
    assert!(
        older
            .items
            .iter()
            .all(|a| a.datetime_created.expect("dated") < limit)
    );
    let logged = sb.requests_to("/studios/5342/activity");
    let last = logged.last().expect("logged");
    assert_eq!(
        last.param("dateLimit"),
        Some(limit.to_api_string().as_str())
    );
    assert_eq!(last.param("limit"), Some("40"));
}
