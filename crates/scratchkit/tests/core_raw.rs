//! The raw escape hatch and what every request carries, against wiremock on 127.0.0.1.

use std::time::Duration;

use scratchkit::{
    AuthMode, Client, DEFAULT_USER_AGENT, Error, Host, Hosts, Method, RateLimit, RawRequest,
    RetryPolicy, Url,
};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .hosts(Hosts::sandbox_url(Url::parse(&server.uri()).unwrap()))
        .rate_limit(RateLimit::unlimited())
        .retry(RetryPolicy::new(
            2,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ))
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn requests_carry_the_user_agent_and_an_encoded_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/search/projects"))
        .and(query_param("q", "a&b#c+d"))
        .and(query_param("limit", "40"))
        .and(header("user-agent", DEFAULT_USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let value = client_for(&server)
        .raw()
        .get_value(
            Host::Api,
            "/search/projects",
            &[("q", "a&b#c+d"), ("limit", "40")],
        )
        .await
        .unwrap();
    assert_eq!(value, serde_json::json!([]));
    server.verify().await;
}

#[tokio::test]
async fn every_host_is_reached_under_its_sandbox_prefix() {
    let server = MockServer::start().await;
    let hosts = [
        (Host::Api, "/api/p"),
        (Host::Site, "/site/p"),
        (Host::Projects, "/projects/p"),
        (Host::Assets, "/assets/p"),
        (Host::Backpack, "/backpack/p"),
        (Host::Cdn2, "/cdn2/p"),
        (Host::Uploads, "/uploads/p"),
        (Host::CloudData, "/clouddata/p"),
        (Host::Ocular, "/ext/ocular/p"),
        (Host::Nfe, "/ext/nfe/p"),
        (Host::Translate, "/ext/translate/p"),
        (Host::Synthesis, "/ext/synthesis/p"),
    ];
    for (_, p) in hosts {
        Mock::given(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_string(p))
            .mount(&server)
            .await;
    }
    let client = client_for(&server);
    for (host, p) in hosts {
        let text = client.raw().get_text(host, "/p", &[]).await.unwrap();
        assert_eq!(text, p, "{host:?}");
    }
}

#[tokio::test]
async fn get_bytes_returns_the_body_untouched() {
    let server = MockServer::start().await;
    let png = vec![0x89, b'P', b'N', b'G', 0, 255, 1];
    Mock::given(path("/assets/internalapi/asset/abc.png/get/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png"))
        .mount(&server)
        .await;
    let bytes = client_for(&server)
        .raw()
        .get_bytes(Host::Assets, "/internalapi/asset/abc.png/get/", &[])
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), png.as_slice());
}

#[tokio::test]
async fn login_required_calls_fail_before_sending() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    for mode in [AuthMode::Token, AuthMode::Cookie, AuthMode::Both] {
        let err = client
            .raw()
            .send(RawRequest::get(Host::Api, "/users/me/messages/count").auth(mode))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::LoginRequired), "{err:?}");
    }
    assert_eq!(requests(&server).await, 0);
}

#[tokio::test]
async fn raw_send_returns_any_status_after_the_allowed_retries() {
    let server = MockServer::start().await;
    Mock::given(path("/api/missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(r#"{"code":"NotFound","message":""}"#, "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/down"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-why", "maintenance"))
        .mount(&server)
        .await;
    let client = client_for(&server);

    let response = client
        .raw()
        .send(RawRequest::get(Host::Api, "/missing"))
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 404);
    let body: serde_json::Value = response.json().unwrap();
    assert_eq!(body["code"], "NotFound");
    assert_eq!(requests(&server).await, 1);

    let response = client
        .raw()
        .send(RawRequest::new(Method::GET, Host::Api, "/down"))
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 503);
    assert_eq!(response.headers["x-why"], "maintenance");
    // The GET was retried twice (the policy) before the 503 was handed back.
    assert_eq!(requests(&server).await, 1 + 3);
}

#[tokio::test]
async fn raw_send_sends_method_headers_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/site/site-api/users/followers/x/add/"))
        .and(query_param("usernames", "me"))
        .and(header("referer", "https://scratch.mit.edu/users/x/"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("a=1&b=two+words"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let request = RawRequest::new(Method::PUT, Host::Site, "/site-api/users/followers/x/add/")
        .query("usernames", "me")
        .header("Referer", "https://scratch.mit.edu/users/x/")
        .form([("a", "1"), ("b", "two words")]);
    let response = client_for(&server).raw().send(request).await.unwrap();
    assert_eq!(response.text(), "ok");
    server.verify().await;
}

#[tokio::test]
async fn cookies_set_by_the_server_are_sent_back() {
    let server = MockServer::start().await;
    Mock::given(path("/site/csrf_token/"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("set-cookie", "scratchcsrftoken=abc; Path=/"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/site/session/"))
        .and(header("cookie", "scratchcsrftoken=abc"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    client
        .raw()
        .get_text(Host::Site, "/csrf_token/", &[])
        .await
        .unwrap();
    // A clone shares the cookie store.
    let clone = client.clone();
    clone
        .raw()
        .get_value(Host::Site, "/session/", &[])
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn a_redirect_to_the_login_page_is_unauthorized() {
    let server = MockServer::start().await;
    Mock::given(path("/site/messages/"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", "/site/accounts/login/?next=/messages/"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/site/accounts/login/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html"))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .raw()
        .get_text(Host::Site, "/messages/", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { code: Some(code), .. } if code == "LoginRedirect"),
        "{err:?}"
    );
}

#[tokio::test]
async fn tokens_in_the_query_never_reach_error_messages() {
    let server = MockServer::start().await;
    Mock::given(path("/projects/1"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let err = client_for(&server)
        .raw()
        .get_value(Host::Projects, "/1", &[("token", "1700000000_s3cr3t")])
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(err.url().unwrap().contains("token=REDACTED"), "{shown}");
}
