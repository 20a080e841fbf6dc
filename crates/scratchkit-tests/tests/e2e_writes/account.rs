//! Account settings: country, password, email, subscriptions, the password checks and the
//! username check.

use scratchkit::Error;
use scratchkit_sandbox::DEMO_PASSWORD;
use scratchkit_tests::TestSandbox;
use secrecy::SecretString;

#[tokio::test]
async fn country_change_shows_on_the_profile() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("griffpatch").await;
    client.me().set_country("Japan").await.unwrap();
    let user = sb.new_client().user("griffpatch").info().await.unwrap();
    assert_eq!(user.profile.country.as_deref(), Some("Japan"));
}

#[tokio::test]
async fn password_change_then_login_with_the_new_one() {
    let sb = TestSandbox::start().await;
    sb.create_user("pw_changer", "first-password", "scratcher")
        .await;
    let client = sb.new_client();
    client.login("pw_changer", "first-password").await.unwrap();

    let wrong = client
        .me()
        .change_password(
            &SecretString::from("not-my-password"),
            &SecretString::from("second-password"),
        )
        .await
        .unwrap_err();
    assert!(matches!(&wrong, Error::Refused { .. }), "{wrong:?}");

    client
        .me()
        .change_password(
            &SecretString::from("first-password"),
            &SecretString::from("second-password"),
        )
        .await
        .unwrap();
    // This session survives; a new login needs the new password.
    assert!(client.session().await.unwrap().user.is_some());
    let other = sb.new_client();
    let err = other
        .login("pw_changer", "first-password")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LoginFailed { .. }), "{err:?}");
    other.login("pw_changer", "second-password").await.unwrap();
}

#[tokio::test]
async fn email_change_needs_the_password() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("Maximouse").await;
    let err = client
        .me()
        .change_email("max@example.org", &SecretString::from("wrong-password"))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Refused { .. }), "{err:?}");
    client
        .me()
        .change_email("max@example.org", &SecretString::from(DEMO_PASSWORD))
        .await
        .unwrap();
    let session = client.session().await.unwrap();
    assert_eq!(
        session.user.unwrap().email.as_deref(),
        Some("max@example.org")
    );
    // Checked before sending.
    let err = client
        .me()
        .change_email("not an address", &SecretString::from(DEMO_PASSWORD))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
}

#[tokio::test]
async fn email_subscriptions_are_accepted() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("demo_teacher").await;
    client
        .me()
        .set_email_subscriptions(true, true)
        .await
        .unwrap();
    client
        .me()
        .set_email_subscriptions(false, false)
        .await
        .unwrap();
}

#[tokio::test]
async fn password_checks() {
    let sb = TestSandbox::start().await;
    let anonymous = sb.new_client();
    let strong = anonymous
        .check_password(&SecretString::from("a long enough password"))
        .await
        .unwrap();
    assert!(strong.is_valid(), "{strong:?}");
    let weak = anonymous
        .check_password(&SecretString::from("123456"))
        .await
        .unwrap();
    assert!(!weak.is_valid(), "{weak:?}");

    let client = sb.logged_in("kakurenbo").await;
    assert!(
        client
            .me()
            .verify_password(&SecretString::from(DEMO_PASSWORD))
            .await
            .unwrap()
    );
    assert!(
        !client
            .me()
            .verify_password(&SecretString::from("not-it"))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn username_availability() {
    let sb = TestSandbox::start().await;
    let client = sb.new_client();
    assert!(
        !client
            .check_username("griffpatch")
            .await
            .unwrap()
            .is_available()
    );
    assert!(
        client
            .check_username("free_name_42")
            .await
            .unwrap()
            .is_available()
    );
    sb.create_user("free_name_42", "some-password", "scratcher")
        .await;
    assert!(
        !client
            .check_username("free_name_42")
            .await
            .unwrap()
            .is_available()
    );
}
