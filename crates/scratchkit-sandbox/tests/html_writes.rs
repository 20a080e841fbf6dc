//! Client → sandbox round trips for every old-site HTML write: profile comments (post, reply,
//! delete, report, toggle, with flood / mute / comments-off refusals) and the forum forms
//! (reply, new topic, edit, report, follow/unfollow, signature), with permissions.

mod common;

use futures_util::StreamExt;
use scratchkit::Client;
use scratchkit::Error;
use scratchkit::model::{CommentId, PostId, TopicId, UserId};
use scratchkit_sandbox::{DEMO_PASSWORD, SandboxHandle};

async fn logged_in(sb: &SandboxHandle, username: &str) -> Client {
    let client = Client::sandbox(sb.addr());
    client
        .login(username, DEMO_PASSWORD.to_owned())
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"));
    client
}

async fn set_flood(sb: &SandboxHandle, seconds: i64) {
    let response = common::client()
        .post(format!("{}/_sandbox/settings", sb.base_url()))
        .body(format!("{{\"comment_flood_seconds\":{seconds}}}"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
}

#[tokio::test]
async fn profile_comment_post_reply_delete_report() {
    let sb = common::sandbox().await;
    set_flood(&sb, 0).await;
    let griff = logged_in(&sb, "griffpatch").await;
    let on_mres = griff.user("mres").comments();
    let posted = on_mres.post("Hello <mres> & co").await.unwrap();
    assert_eq!(posted.author.username, "griffpatch");
    assert_eq!(posted.content, "Hello <mres> & co");
    assert_eq!(posted.parent_id, None);
    let page = on_mres.list().await.unwrap();
    assert_eq!(page.items[0].id, posted.id, "newest first");

    let reply = on_mres
        .reply(CommentId(900_000_001), Some(UserId(1_882_674)), "a reply")
        .await
        .unwrap();
    assert_eq!(reply.parent_id, Some(CommentId(900_000_001)));
    let replies = on_mres.replies(CommentId(900_000_001)).await.unwrap();
    assert!(replies.items.iter().any(|r| r.id == reply.id));

    on_mres.report(posted.id).await.unwrap();
    on_mres.delete(posted.id).await.unwrap();
    assert!(on_mres.get(posted.id).await.unwrap_err().is_not_found());

    // Someone else's comment on someone else's profile: refused.
    let err = on_mres.delete(CommentId(900_000_004)).await.unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err}");
    // Logged out: refused before sending.
    let anonymous = Client::sandbox(sb.addr());
    assert!(matches!(
        anonymous.user("mres").comments().post("hi").await,
        Err(Error::LoginRequired)
    ));
    assert!(matches!(
        on_mres.post("   ").await,
        Err(Error::InvalidInput {
            what: "comment",
            ..
        })
    ));
    sb.shutdown().await;
}

#[tokio::test]
async fn profile_comment_refusals_are_typed() {
    let sb = common::sandbox().await;
    set_flood(&sb, 0).await;
    // Comments turned off by the owner.
    let mres = logged_in(&sb, "mres").await;
    mres.me().toggle_profile_comments().await.unwrap();
    let griff = logged_in(&sb, "griffpatch").await;
    match griff.user("mres").comments().post("hi").await {
        Err(Error::CommentRejected { reason, .. }) => assert_eq!(reason, "isDisallowed"),
        other => panic!("{other:?}"),
    }
    // The toggle acts on the logged-in account's own profile: griffpatch's.
    griff.me().toggle_profile_comments().await.unwrap();
    griff.me().toggle_profile_comments().await.unwrap();
    mres.me().toggle_profile_comments().await.unwrap();
    griff
        .user("mres")
        .comments()
        .post("hi again")
        .await
        .unwrap();

    // Muted account: isMuted with the expiry.
    let muted = logged_in(&sb, "demo_muted").await;
    match muted.user("griffpatch").comments().post("hello").await {
        Err(Error::CommentRejected {
            reason,
            mute_status: Some(m),
        }) => {
            assert_eq!(reason, "isMuted");
            assert_eq!(m.mute_expires_at.unwrap().unix_seconds(), 4_102_444_800);
        }
        other => panic!("{other:?}"),
    }

    // Flood control.
    set_flood(&sb, 60).await;
    match griff.user("kakurenbo").comments().post("too fast").await {
        Err(Error::CommentRejected { reason, .. }) => assert_eq!(reason, "isFlood"),
        other => panic!("{other:?}"),
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn forum_reply_edit_report_and_permissions() {
    let sb = common::sandbox().await;
    set_flood(&sb, 0).await;
    let griff = logged_in(&sb, "griffpatch").await;
    let forum = griff.forum();
    let topic = forum.topic(TopicId(4242));
    let id = topic
        .reply("[b]Support![/b]\nsecond line")
        .await
        .unwrap()
        .expect("the redirect names the new post");
    assert_eq!(
        forum.post(id).source().await.unwrap(),
        "[b]Support![/b]\nsecond line"
    );
    let post = forum.post(id).get().await.unwrap();
    assert_eq!(post.author, "griffpatch");
    assert_eq!(post.index, Some(26));
    assert!(
        post.content_html
            .contains("<span class=\"bb-bold\">Support!</span><br>")
    );
    let last_page = topic.posts(2).await.unwrap();
    assert!(last_page.posts.iter().any(|p| p.id == id));

    forum.post(id).edit("edited [i]text[/i]").await.unwrap();
    let edited = forum.post(id).get().await.unwrap();
    assert!(
        edited
            .edited
            .as_deref()
            .unwrap()
            .starts_with("Last edited by griffpatch")
    );
    assert_eq!(forum.post(id).source().await.unwrap(), "edited [i]text[/i]");

    // Not the author: 403. Closed topic: 403. Staff-only category: 403.
    let first_of_kakurenbo = PostId(98_765 + 25);
    assert_eq!(
        forum.post(first_of_kakurenbo).get().await.unwrap().author,
        "kakurenbo"
    );
    assert!(matches!(
        forum.post(first_of_kakurenbo).edit("mine now").await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        forum.topic(TopicId(4243)).reply("let me in").await,
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        forum.category(5).new_topic("News", "from griffpatch").await,
        Err(Error::Forbidden { .. })
    ));
    forum.post(id).report("spam").await.unwrap();
    forum.topic(TopicId(4242)).follow().await.unwrap();
    forum.topic(TopicId(4242)).unfollow().await.unwrap();

    // Flood control between forum posts.
    set_flood(&sb, 60).await;
    let err = topic.reply("again").await.unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    sb.shutdown().await;
}

#[tokio::test]
async fn forum_new_topic_and_signature() {
    let sb = common::sandbox().await;
    set_flood(&sb, 0).await;
    let kak = logged_in(&sb, "kakurenbo").await;
    let forum = kak.forum();
    let topic = forum
        .category(7)
        .new_topic("Clones & lists", "How do [u]clones[/u] work?")
        .await
        .unwrap()
        .expect("the redirect names the new topic");
    let page = forum.topic(topic).posts(1).await.unwrap();
    assert_eq!(page.topic_title.as_deref(), Some("Clones & lists"));
    assert_eq!(page.posts.len(), 1);
    assert!(page.posts[0].signature_html.is_none());
    let list = forum.category(7).topics(1).await.unwrap();
    assert!(
        list.topics
            .iter()
            .any(|t| t.id == topic && t.author.as_deref() == Some("kakurenbo"))
    );

    forum.set_signature("[b]kakurenbo[/b] :)").await.unwrap();
    let page = forum.topic(topic).posts(1).await.unwrap();
    let signature = page.posts[0].signature_html.as_deref().unwrap();
    assert!(signature.contains("bb-bold"), "{signature}");
    assert!(signature.contains("smilies/smile.png"), "{signature}");
    forum.set_signature("").await.unwrap();
    let page = forum.topic(topic).posts(1).await.unwrap();
    assert!(page.posts[0].signature_html.is_none());
    sb.shutdown().await;
}

#[tokio::test]
async fn loves_and_favorites_pages_list_what_was_loved_and_favorited() {
    let sb = common::sandbox().await;
    let reader = Client::sandbox(sb.addr());
    let kaku = logged_in(&sb, "kakurenbo").await;
    // Two shared projects of mres, loved and favorited in order.
    let mres = reader.user("mres").projects().limit(2).await.unwrap().items;
    assert_eq!(mres.len(), 2);
    for p in &mres {
        kaku.project(p.id).love().await.unwrap();
        kaku.project(p.id).favorite().await.unwrap();
    }

    let loved: Vec<_> = reader
        .user("kakurenbo")
        .loved_projects()
        .stream()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    for p in &mres {
        let item = loved
            .iter()
            .find(|g| g.id == p.id)
            .expect("a loved project");
        assert_eq!(item.title, p.title);
        assert_eq!(item.author, "mres");
    }
    // The page list and the API list agree on favorites (same order, same ids).
    let page_ids: Vec<_> = reader
        .user("kakurenbo")
        .favorites_page()
        .limit(40)
        .await
        .unwrap()
        .items
        .iter()
        .map(|g| g.id)
        .collect();
    let api_ids: Vec<_> = reader
        .user("kakurenbo")
        .favorites()
        .limit(40)
        .await
        .unwrap()
        .items
        .iter()
        .map(|p| p.id)
        .collect();
    assert!(!page_ids.is_empty());
    assert_eq!(page_ids, api_ids);

    // An unknown user is an error, not an empty list.
    let err = reader
        .user("nobody_here_x")
        .loved_projects()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    // Past the last page: the "Whoops" 404 (what scratchattach stops on).
    let (status, body) = common::get_text(&sb, "/site/projects/all/kakurenbo/loves/?page=99").await;
    assert_eq!(status, 404);
    assert!(body.contains("<h1>Whoops! Our server is Scratch'ing its head</h1>"));
    sb.shutdown().await;
}
