//! Client → sandbox round trips of the calls that close the gaps against scratchattach and
//! scratchclient: a project by its author path, follow questions, the Scratcher invite, the
//! old site's comment pages of projects and studios, explicit studio commenting, sorting one's
//! studios, forum lookups, and Scratch's translate, speech and cloud-status services.

mod common;

use common::admin;
use futures_util::{StreamExt, TryStreamExt};
use scratchkit::model::{ProjectId, StudioId, TopicId, UserId};
use scratchkit::{Client, Error, MyStuffSort, Voice};
use scratchkit_sandbox::{DEMO_PASSWORD, SandboxHandle};
use serde_json::json;

async fn logged_in(sb: &SandboxHandle, username: &str) -> Client {
    let client = Client::sandbox(sb.addr());
    client
        .login(username, DEMO_PASSWORD.to_owned())
        .await
        .unwrap_or_else(|e| panic!("login {username}: {e}"));
    client
}

#[tokio::test]
async fn a_project_by_its_author_path_and_follow_questions() {
    let sb = common::sandbox().await;
    let client = Client::sandbox(sb.addr());
    let by_path = client.user("mres").project(142u64).await.unwrap();
    let direct = client.project(142u64).info().await.unwrap();
    assert_eq!(by_path.id, ProjectId(142));
    assert_eq!(by_path.title, direct.title);
    let err = client.user("griffpatch").project(142u64).await.unwrap_err();
    assert!(err.is_not_found(), "not griffpatch's project: {err:?}");

    // griffpatch has more than 40 followers: the last one is found on a later page.
    let griff = client.user("griffpatch");
    let followers: Vec<_> = griff.followers().stream().try_collect().await.unwrap();
    assert!(followers.len() > 40, "{}", followers.len());
    let last = &followers.last().unwrap().username;
    assert!(griff.is_followed_by(last).await.unwrap());
    assert!(griff.is_followed_by(&last.to_uppercase()).await.unwrap());
    assert!(!griff.is_followed_by("nobody_here_x").await.unwrap());
    let following = griff.following().limit(1).await.unwrap();
    let followee = &following.items[0].username;
    assert!(griff.is_following(followee).await.unwrap());
    assert!(!griff.is_following("nobody_here_x").await.unwrap());
    let err = griff.is_following("bad name!").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    let err = client
        .user("nobody_here_x")
        .is_following("mres")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_scratcher_invite_is_read_then_accepted() {
    let sb = common::sandbox().await;
    let err = Client::sandbox(sb.addr())
        .me()
        .scratcher_invite()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LoginRequired), "{err:?}");
    let griff = logged_in(&sb, "griffpatch").await;
    assert_eq!(griff.me().scratcher_invite().await.unwrap(), None);

    // demo_new is old enough; two shared projects make it qualify.
    for title in ["One", "Two"] {
        admin(
            &sb,
            "/projects",
            json!({"owner": "demo_new", "title": title, "shared": true}),
        )
        .await;
    }
    let new = logged_in(&sb, "demo_new").await;
    let invite = new.me().scratcher_invite().await.unwrap().expect("invited");
    assert_eq!(invite.invitee_id, Some(UserId(99_000_101)));
    assert_eq!(invite.actor.unwrap().username, "ScratchCat");
    assert!(invite.datetime_created.is_some());
    new.me().accept_scratcher_invite().await.unwrap();
    assert_eq!(new.me().scratcher_invite().await.unwrap(), None);
    let err = new.me().accept_scratcher_invite().await.unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_old_sites_comment_pages_of_projects_and_studios_match_the_api() {
    let sb = common::sandbox().await;
    let client = Client::sandbox(sb.addr());
    let project = client.project(142u64).by("mres").comments();
    let api: Vec<_> = project
        .list()
        .limit(20)
        .await
        .unwrap()
        .items
        .iter()
        .map(|c| c.id)
        .collect();
    let page = project.site_page(1).await.unwrap();
    assert!(!page.is_empty());
    assert_eq!(page.iter().map(|c| c.id).collect::<Vec<_>>(), api);
    let first = &page[0];
    let replies = project.replies(first.id).limit(40).await.unwrap();
    assert_eq!(first.replies.len(), replies.len());

    let studio = client.studio(5342u64).comments();
    let api: Vec<_> = studio
        .list()
        .limit(20)
        .await
        .unwrap()
        .items
        .iter()
        .map(|c| c.id)
        .collect();
    let page = studio.site_page(1).await.unwrap();
    assert_eq!(page.iter().map(|c| c.id).collect::<Vec<_>>(), api);

    let err = client
        .project(999_999_999u64)
        .comments()
        .site_page(1)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let err = studio.site_page(9999).await.unwrap_err();
    assert!(err.is_not_found(), "past the end: {err:?}");
    let err = studio.site_page(0).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn studio_commenting_is_set_explicitly_and_my_studios_sort_by_title() {
    let sb = common::sandbox().await;
    let griff = logged_in(&sb, "griffpatch").await;
    let mut ids = Vec::new();
    for title in ["AAA first by title", "ZZZ last by title"] {
        let studio = griff.create_studio().await.unwrap();
        studio.set_title(title).await.unwrap();
        ids.push(studio.id());
    }
    let studio = griff.studio(ids[0]);
    assert!(studio.info().await.unwrap().comments_allowed);
    assert!(studio.set_commenting(false).await.unwrap(), "changed");
    assert!(!studio.info().await.unwrap().comments_allowed);
    assert!(!studio.set_commenting(false).await.unwrap(), "already off");
    assert!(!studio.info().await.unwrap().comments_allowed);
    assert!(studio.set_commenting(true).await.unwrap());
    assert!(studio.info().await.unwrap().comments_allowed);

    // By title (descending, as `descsort=title` asks): Z… before A…; by date: newest first.
    let by_title = griff.me().studios(MyStuffSort::Title, 1).await.unwrap();
    let titles: Vec<_> = by_title.iter().map(|s| s.fields.title.clone()).collect();
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| std::cmp::Reverse(t.to_lowercase()));
    assert_eq!(titles, sorted);
    let pos = |id: StudioId| by_title.iter().position(|s| s.pk == id);
    assert!(pos(ids[1]) < pos(ids[0]), "{titles:?}");
    let by_date = griff
        .me()
        .studios(MyStuffSort::LastModified, 1)
        .await
        .unwrap();
    assert_eq!(by_date[0].pk, ids[1], "the newest studio first");
    sb.shutdown().await;
}

#[tokio::test]
async fn forum_categories_by_name_posts_newest_first_and_deleted_flags() {
    let sb = common::sandbox().await;
    let client = Client::sandbox(sb.addr());
    let forum = client.forum();
    let suggestions = forum
        .category_named("  SUGGESTIONS ")
        .await
        .unwrap()
        .expect("a Suggestions category");
    assert_eq!(suggestions.id, 31);
    assert_eq!(
        forum.category_by_name("Suggestions").await.unwrap().id(),
        31
    );
    assert!(forum.category_named("No such").await.unwrap().is_none());
    assert!(
        forum
            .category_by_name("No such")
            .await
            .unwrap_err()
            .is_not_found()
    );

    let topic = forum.topic(TopicId(4242));
    let oldest_first: Vec<_> = topic.all_posts().try_collect().await.unwrap();
    let newest_first: Vec<_> = topic.posts_newest_first().try_collect().await.unwrap();
    assert_eq!(newest_first.len(), 25);
    let reversed: Vec<_> = oldest_first.iter().rev().map(|p| p.id).collect();
    assert_eq!(
        newest_first.iter().map(|p| p.id).collect::<Vec<_>>(),
        reversed
    );
    let gone: Vec<_> = forum
        .topic(TopicId(777_777))
        .posts_newest_first()
        .collect()
        .await;
    assert!(matches!(gone.as_slice(), [Err(e)] if e.is_not_found()));

    assert!(!topic.is_deleted().await.unwrap());
    assert!(forum.topic(TopicId(777_777)).is_deleted().await.unwrap());
    assert!(!forum.post(newest_first[0].id).is_deleted().await.unwrap());
    assert!(
        forum
            .post(scratchkit::model::PostId(1))
            .is_deleted()
            .await
            .unwrap()
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn translate_speech_and_cloud_status() {
    let sb = common::sandbox().await;
    let services = Client::sandbox(sb.addr()).services();
    assert_eq!(services.translate("hello", "de").await.unwrap(), "Hallo");
    assert_eq!(
        services.translate("good night", "fr").await.unwrap(),
        "[fr] good night"
    );
    let err = services.translate("hello", "xx").await.unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    let err = services.translate("hello", " ").await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    let long = "a".repeat(scratchkit::MAX_SERVICE_TEXT + 1);
    assert!(matches!(
        services.translate(&long, "de").await,
        Err(Error::InvalidInput { .. })
    ));
    let languages = services.languages().await.unwrap();
    assert!(
        languages
            .iter()
            .any(|l| l.code == "de" && l.name == "German")
    );

    let short = services.speak("hi", "en-US", Voice::Alto).await.unwrap();
    let giant = services
        .speak("hello there everyone", "en-US", Voice::Giant)
        .await
        .unwrap();
    assert_eq!(&giant.audio[..2], &[0xFF, 0xFB], "an MP3 frame");
    assert!(
        giant.audio.len() > short.audio.len(),
        "longer text, longer audio"
    );
    assert!((giant.playback_rate - 0.84).abs() < f32::EPSILON);
    assert!((short.playback_rate - 1.0).abs() < f32::EPSILON);
    let err = services
        .speak("hi", "xx-XX", Voice::Tenor)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");

    let status = services.cloud_status().await.unwrap();
    assert!(status.uptime.is_some_and(|u| u >= 0.0));
    assert_eq!(status.load.len(), 3);
    let redis = status.redis.expect("redis state");
    assert!(redis.connected && redis.ready);
    sb.shutdown().await;
}

#[tokio::test]
async fn one_asset_is_uploaded_by_its_md5_and_read_back() {
    let sb = common::sandbox().await;
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\"></svg>".to_vec();
    let err = Client::sandbox(sb.addr())
        .upload_asset(svg.clone(), "svg")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LoginRequired), "{err:?}");
    let griff = logged_in(&sb, "griffpatch").await;
    let name = griff.upload_asset(svg.clone(), ".SVG").await.unwrap();
    assert_eq!(name, format!("{}.svg", scratchkit::sb3::md5_hex(&svg)));
    let (status, body) =
        common::get_text(&sb, &format!("/assets/internalapi/asset/{name}/get/")).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_bytes(), svg.as_slice());
    // The same bytes again: nothing new, the same name.
    assert_eq!(griff.upload_asset(svg, "svg").await.unwrap(), name);
    for (data, ext) in [(b"x".to_vec(), "exe"), (Vec::new(), "png")] {
        let err = griff.upload_asset(data, ext).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    }
    sb.shutdown().await;
}
