//! Client → sandbox round trips for every old-site HTML read: profile comments, the profile
//! page and counts, user activity, the forums (index, categories, topics, posts, source,
//! feeds), my-ocular and nfe. Everything stays on 127.0.0.1.

mod common;

use futures_util::StreamExt;
use scratchkit::Client;
use scratchkit::Error;
use scratchkit::html::{ActivityKind, NfeStatus, ProfileCount, Rank, TargetKind};
use scratchkit::model::{CommentId, PostId, ProjectId, TopicId, UserId};
use scratchkit_sandbox::SandboxHandle;

async fn setup() -> (SandboxHandle, Client) {
    let sb = common::sandbox().await;
    let client = Client::sandbox(sb.addr());
    (sb, client)
}

#[tokio::test]
async fn profile_comments_have_replies_and_end_with_404() {
    let (sb, client) = setup().await;
    let mres = client.user("mres").comments();
    let page = mres.list().limit(40).await.unwrap();
    assert!(!page.is_empty());
    // The guaranteed thread: griffpatch's comment with two replies.
    let thread = page
        .items
        .iter()
        .find(|c| c.id == CommentId(900_000_001))
        .expect("seeded thread on page 1");
    assert_eq!(thread.author.username, "griffpatch");
    assert_eq!(thread.author.id, UserId(1_882_674));
    assert_eq!(thread.content, "Thank you for Scratch! <3 & everything");
    assert_eq!(thread.reply_count, 2);
    assert!(thread.datetime_created.is_some());
    let replies = mres.replies(thread.id).await.unwrap();
    assert_eq!(replies.len(), 2);
    let reply = &replies.items[0];
    assert_eq!(reply.author.username, "mres");
    assert!(
        reply.author.scratchteam,
        "mres is Scratch Team: `*` in div.name"
    );
    assert_eq!(reply.parent_id, Some(CommentId(900_000_001)));
    // Past the end: the 404 of a later page ends the list.
    let all: Vec<_> = mres.list().stream().collect().await;
    assert!(all.iter().all(Result::is_ok));
    assert!(all.len() >= page.len());
    // One comment by id, top-level or reply.
    let one = mres.get(CommentId(900_000_003)).await.unwrap();
    assert_eq!(one.author.username, "kakurenbo");
    assert!(mres.get(CommentId(1)).await.unwrap_err().is_not_found());
    // Unknown profile: the 404 of the first page is an error.
    assert!(
        client
            .user("nobody_here_x")
            .comments()
            .list()
            .await
            .unwrap_err()
            .is_not_found()
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn profile_pages_ranks_classes_and_counts() {
    let (sb, client) = setup().await;
    let mres = client.user("mres").profile_page().await.unwrap();
    assert_eq!(mres.rank, Rank::ScratchTeam);
    assert_eq!(mres.username.as_deref(), Some("mres"));
    assert_eq!(mres.location.as_deref(), Some("United States"));
    assert!(mres.class.is_none());
    assert_eq!(
        client.user("demo_new").profile_page().await.unwrap().rank,
        Rank::NewScratcher
    );
    assert_eq!(
        client.user("griffpatch").profile_page().await.unwrap().rank,
        Rank::Scratcher
    );
    let student = client.user("demo_student").profile_page().await.unwrap();
    let class = student.class.expect("a student shows their class");
    assert_eq!(class.id.get(), 367_806);
    assert!(!class.name.is_empty());
    assert!(client.user("mres").exists().await.unwrap());
    assert!(!client.user("nobody_here_x").exists().await.unwrap());
    assert!(
        client
            .user("nobody_here_x")
            .profile_page()
            .await
            .unwrap_err()
            .is_not_found()
    );

    // Counts agree with the JSON API.
    let counts = client.user("griffpatch").counts().await.unwrap();
    let api: serde_json::Value = client
        .raw()
        .get_json(
            scratchkit::Host::Api,
            "/users/griffpatch/followers",
            &[("limit", "40")],
        )
        .await
        .unwrap();
    let first_page = api.as_array().unwrap().len() as u64;
    assert!(counts.followers >= first_page, "{counts:?} vs {first_page}");
    assert!(counts.shared_projects > 0, "{counts:?}");
    let one = client
        .user("griffpatch")
        .count(ProfileCount::SharedProjects)
        .await
        .unwrap();
    assert_eq!(one, counts.shared_projects);
    sb.shutdown().await;
}

#[tokio::test]
async fn user_activity_is_typed() {
    let (sb, client) = setup().await;
    let events = client.user("griffpatch").activity(20).await.unwrap();
    assert!(!events.is_empty());
    assert!(events.len() <= 20);
    for e in &events {
        assert_eq!(e.actor, "griffpatch");
        assert!(!matches!(e.kind, ActivityKind::Other(_)), "{e:?}");
        assert!(!e.targets.is_empty());
        assert!(e.ago.is_some(), "{e:?}");
    }
    // Newest first.
    let agos: Vec<_> = events.iter().map(|e| e.ago.unwrap()).collect();
    assert!(agos.windows(2).all(|w| w[0] <= w[1]), "{agos:?}");
    if let Some(e) = events.iter().find(|e| e.kind == ActivityKind::ShareProject) {
        assert_eq!(e.targets[0].kind, TargetKind::Project);
        assert!(e.targets[0].id.is_some());
    }
    assert!(matches!(
        client.user("griffpatch").activity(0).await,
        Err(Error::InvalidInput { what: "max", .. })
    ));
    sb.shutdown().await;
}

#[tokio::test]
async fn forum_index_categories_and_topic_lists() {
    let (sb, client) = setup().await;
    let forum = client.forum();
    let sections = forum.categories().await.unwrap();
    assert_eq!(sections.len(), 3);
    let suggestions = sections
        .iter()
        .flat_map(|s| &s.categories)
        .find(|c| c.id == 31)
        .unwrap();
    assert_eq!(suggestions.name, "Suggestions");
    assert_eq!(suggestions.topic_count, Some(30));
    assert!(suggestions.last_post.as_ref().unwrap().post_id.is_some());

    let page1 = forum.category(31).topics(1).await.unwrap();
    assert_eq!(page1.category_name.as_deref(), Some("Suggestions"));
    assert_eq!((page1.page, page1.page_count), (1, 2));
    assert_eq!(page1.topics.len(), 25);
    let sticky = &page1.topics[0];
    assert!(sticky.sticky && sticky.closed);
    assert_eq!(sticky.views, Some(99_999));
    let big = page1.topics.iter().find(|t| t.id == TopicId(4242)).unwrap();
    assert_eq!(big.title, "Add more blocks");
    assert_eq!(big.author.as_deref(), Some("griffpatch"));
    assert_eq!(big.replies, Some(24));
    assert!(page1.topics.iter().any(|t| t.closed && !t.sticky));
    let page2 = forum.category(31).topics(2).await.unwrap();
    assert_eq!(page2.topics.len(), 5);
    assert!(
        forum
            .category(31)
            .topics(3)
            .await
            .unwrap_err()
            .is_not_found()
    );
    let all: Vec<_> = forum.category(31).all_topics().collect().await;
    assert_eq!(all.len(), 30);
    assert!(
        forum
            .category(999)
            .topics(1)
            .await
            .unwrap_err()
            .is_not_found()
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn topic_posts_single_posts_sources_and_feeds() {
    let (sb, client) = setup().await;
    let forum = client.forum();
    let topic = forum.topic(TopicId(4242));
    let page1 = topic.posts(1).await.unwrap();
    assert_eq!(page1.topic_id, Some(TopicId(4242)));
    assert_eq!(page1.topic_title.as_deref(), Some("Add more blocks"));
    assert_eq!(page1.category_id, Some(31));
    assert_eq!((page1.page, page1.page_count), (1, 2));
    assert_eq!(page1.posts.len(), 20);
    let first = &page1.posts[0];
    assert_eq!(first.index, Some(1));
    assert_eq!(first.author, "griffpatch");
    assert_eq!(first.author_id, Some(UserId(1_882_674)));
    assert!(
        first
            .content_html
            .contains("<span class=\"bb-bold\">more</span>"),
        "{}",
        first.content_html
    );
    assert!(first.content_text.starts_with("Please add more blocks."));
    assert!(first.posted.is_some());
    assert!(
        first
            .signature_html
            .as_deref()
            .unwrap()
            .contains("bb-italic")
    );
    let page2 = topic.posts(2).await.unwrap();
    assert_eq!(page2.posts.len(), 5);
    assert_eq!(page2.posts[0].index, Some(21));
    let all: Vec<_> = topic.all_posts().collect().await;
    assert_eq!(all.len(), 25);

    // One post, its page, and its BBCode source.
    let id = page2.posts[1].id;
    let post = forum.post(id).get().await.unwrap();
    assert_eq!(post.id, id);
    assert_eq!(forum.post(id).topic_page().await.unwrap().page, 2);
    let source = forum.post(first.id).source().await.unwrap();
    assert!(
        source.starts_with("Please add [b]more[/b] blocks."),
        "{source}"
    );
    assert!(
        forum
            .post(PostId(1))
            .source()
            .await
            .unwrap_err()
            .is_not_found()
    );

    // Feeds, newest first.
    let feed = topic.feed().await.unwrap();
    assert_eq!(feed.subject, "Add more blocks");
    assert_eq!(feed.entries.len(), 25);
    let newest = &feed.entries[0];
    assert_eq!(newest.category.as_deref(), Some("Suggestions"));
    assert!(newest.published >= feed.entries[1].published);
    assert!(newest.post_id.is_some() && newest.author.is_some());
    let cat_feed = forum.category(7).feed().await.unwrap();
    assert_eq!(cat_feed.subject, "Help with Scripts");
    assert!(
        cat_feed.entries[0]
            .summary_html
            .contains("<pre class=\"blocks\">")
    );
    assert!(forum.topic(TopicId(1)).feed().await.is_ok());
    assert!(
        forum
            .topic(TopicId(777_777))
            .feed()
            .await
            .unwrap_err()
            .is_not_found()
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn third_party_services() {
    let (sb, client) = setup().await;
    let user = client.ocular().user("griffpatch").await.unwrap();
    assert_eq!(user.name, "griffpatch");
    assert!(user.color.as_deref().unwrap().starts_with('#'));
    assert!(user.meta.unwrap().updated.is_some());
    assert!(
        client
            .ocular()
            .user("nobody_here_x")
            .await
            .unwrap_err()
            .is_not_found()
    );
    let reactions = client.ocular().reactions(PostId(98_765)).await.unwrap();
    assert_eq!(reactions.len(), 8);
    assert_eq!(reactions[0].emoji, "👍");
    assert!(reactions.iter().any(|r| !r.users.is_empty()));
    let status = client
        .project(ProjectId(999_999_999))
        .nfe_status()
        .await
        .unwrap();
    assert_eq!(status, NfeStatus::NotReviewed);
    let status = client.project(ProjectId(142)).nfe_status().await.unwrap();
    assert!(!matches!(status, NfeStatus::Other(_)), "{status:?}");
    sb.shutdown().await;
}
