//! Logging in and out: password, wrong password, banned account, session ids decoded offline,
//! saved sessions across two clients, and writes of a logged-out client failing before sending.

use scratchkit::model::UserId;
use scratchkit::{Error, decode_session_id};
use scratchkit_sandbox::DEMO_PASSWORD;
use scratchkit_tests::TestSandbox;
use secrecy::SecretString;

#[tokio::test]
async fn password_login_then_session_and_a_write() {
    let sb = TestSandbox::start().await;
    let client = sb.new_client();
    let me = client.login("griffpatch", DEMO_PASSWORD).await.unwrap();
    assert_eq!(me.username, "griffpatch");
    assert_eq!(me.user_id, Some(UserId(1_882_674)));
    assert_eq!(client.logged_in_as(), Some(me));

    let session = client.session().await.unwrap();
    let user = session.user.expect("logged in");
    assert_eq!(user.username, "griffpatch");
    assert!(!user.banned);

    // The login is usable for a write that needs the X-Token and one that needs the cookie.
    let project = sb.create_project("griffpatch", "Login check", true).await;
    let renamed = client
        .project(project)
        .set_title("Renamed after login")
        .await
        .unwrap();
    assert_eq!(renamed.title, "Renamed after login");
    let love = client.project(142u64).love().await.unwrap();
    assert!(love.user_love);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_are_login_failures() {
    let sb = TestSandbox::start().await;
    let client = sb.new_client();
    let err = client
        .login("griffpatch", "not-the-password")
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::LoginFailed { .. }), "{err:?}");
    assert!(client.logged_in_as().is_none());
    let err = client
        .login("nobody_by_that_name", DEMO_PASSWORD)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::LoginFailed { .. }), "{err:?}");
    assert!(!client.is_logged_in());
}

#[tokio::test]
async fn banned_account_is_a_typed_error() {
    let sb = TestSandbox::start().await;
    let client = sb.new_client();
    let err = client
        .login("demo_banned", DEMO_PASSWORD)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AccountBanned { username } if username == "demo_banned"),
        "{err:?}"
    );
    assert!(!client.is_logged_in());
}

#[tokio::test]
async fn session_id_is_decoded_offline_without_a_request() {
    let sb = TestSandbox::start_logged().await;
    let minted = sb.admin_session("kakurenbo").await;
    let session_id = minted["session_id"].as_str().unwrap().to_owned();

    let info = decode_session_id(&session_id).unwrap();
    assert_eq!(info.username, "kakurenbo");
    assert_eq!(info.user_id, UserId(27_675_462));
    assert_eq!(
        info.x_token.expose_secret(),
        minted["token"].as_str().unwrap()
    );
    // The quoted form of the cookie decodes the same.
    let quoted = decode_session_id(&format!("\"{session_id}\"")).unwrap();
    assert_eq!(quoted.username, "kakurenbo");

    let client = sb.new_client();
    let me = client
        .login_with_session_id(SecretString::from(session_id))
        .await
        .unwrap();
    assert_eq!(me.username, "kakurenbo");
    assert_eq!(me.user_id, Some(UserId(27_675_462)));
    assert!(
        sb.requests_to("/session").is_empty(),
        "an offline decode asks nothing: {:?}",
        sb.requests()
    );
    // And the sandbox accepts it.
    let session = client.session().await.unwrap();
    assert_eq!(session.user.unwrap().username, "kakurenbo");
}

#[tokio::test]
async fn saved_session_restores_in_another_client() {
    let sb = TestSandbox::start().await;
    let first = sb.new_client();
    first.login("Maximouse", DEMO_PASSWORD).await.unwrap();
    let path = std::env::temp_dir().join(format!(
        "scratchkit-e2e-session-{}-{}.json",
        std::process::id(),
        sb.addr().port()
    ));
    first.save_session(&path).unwrap();

    let second = sb.new_client();
    let me = second.restore_session(&path).await.unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(me.username, "Maximouse");
    assert_eq!(me.user_id, Some(UserId(40_210_166)));

    // A write by the second client is seen by the first: it is the same account.
    let project = sb
        .create_project("griffpatch", "Loved by Maximouse", true)
        .await;
    let loved = second.project(project).love().await.unwrap();
    assert!(loved.user_love && loved.status_changed);
    let status = first.project(project).love_status().await.unwrap();
    assert!(status.user_love);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_too() {
    let sb = TestSandbox::start().await;
    let minted = sb.admin_session("PMJ_Studio").await;
    let session_id = minted["session_id"].as_str().unwrap().to_owned();
    let a = sb.new_client();
    a.login_with_session_id(SecretString::from(session_id.clone()))
        .await
        .unwrap();
    let b = sb.new_client();
    b.login_with_session_id(SecretString::from(session_id))
        .await
        .unwrap();

    a.logout().await.unwrap();
    assert!(!a.is_logged_in());
    let err = a.project(142u64).love().await.unwrap_err();
    assert!(matches!(err, Error::LoginRequired), "{err:?}");

    // The other client still holds the ended session: the sandbox rejects it.
    let err = b.project(142u64).love().await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
    // And the client remembers: the next call fails without sending.
    let err = b.me().set_bio("x").await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired), "{err:?}");
}

#[tokio::test]
async fn logged_out_writes_fail_before_sending() {
    let sb = TestSandbox::start_logged().await;
    let client = sb.new_client();
    let project = client.project(142u64);
    let studio = client.studio(5342u64);
    let login_required = |r: Result<(), Error>| {
        assert!(matches!(r, Err(Error::LoginRequired)), "{r:?}");
    };
    login_required(project.set_title("x").await.map(drop));
    login_required(project.share().await);
    login_required(project.love().await.map(drop));
    login_required(project.favorite().await.map(drop));
    login_required(project.comments().post("hi").await.map(drop));
    login_required(project.comments().delete(1u64).await);
    login_required(project.trash().await);
    login_required(client.user("griffpatch").follow().await);
    login_required(client.me().set_bio("x").await);
    login_required(client.me().set_country("Japan").await);
    login_required(client.create_studio().await.map(drop));
    login_required(studio.set_title("x").await);
    login_required(studio.invite_curator("griffpatch").await);
    login_required(studio.add_project(142u64).await);
    login_required(studio.comments().post("hi").await.map(drop));
    login_required(client.me().message_count().await.map(drop));
    login_required(client.me().clear_messages().await);
    login_required(
        client
            .me()
            .projects(Default::default(), Default::default(), 1)
            .await
            .map(drop),
    );
    login_required(client.classroom(367_806u64).close().await);
    login_required(client.create_classroom("t", "d").await.map(drop));
    assert!(
        sb.requests().is_empty(),
        "nothing may reach the server: {:?}",
        sb.requests()
    );
}
