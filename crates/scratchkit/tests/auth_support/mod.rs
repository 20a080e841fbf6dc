//! Shared helpers of the `auth_*` / `actions_*` tests: a client pointed at wiremock, logged in
//! offline, and accessors for what the server received.

#![allow(dead_code)]

use std::time::Duration;

use scratchkit::{Client, Hosts, RateLimit, RetryPolicy, Url};
use secrecy::SecretString;
use wiremock::{MockServer, Request};

/// The test vector of auth.md §3.4 (user `sandbox_user`, id 1000001).
pub const VECTOR: &str = ".eJyNjk0PgjAMhv_LzjgBP1CPGo_e9LzsS5jAatiIRuN_tyUkhpvtpe37tn3erA-287K1bMeC9EbBU9CIJUzIPlZDI5xBOUspMlSiDVED1I62HtDV1kz9SuraeloyN-lL4Bp87JziZOGjGvgJjG32oxfPAhY_jqFNs3yxXK2LzVYqbewVbQ2Uzs_cnZDygqeYBCUa_NTLkpjwTDK-FtG19gWexseo55fzYcpayVChlv4Z7PMFjjdhBg:1vb66i:SANDBOXSIGNATURE";
/// The X-Token inside [`VECTOR`].
pub const VECTOR_TOKEN: &str = "sandboxtoken0123456789abcdef";
/// The user inside [`VECTOR`].
pub const ME: &str = "sandbox_user";

/// The directory of the real recorded responses.
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/real");

/// A real fixture's text.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

/// A logged-out client for `server` (no rate limit, quick retries).
pub fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .hosts(Hosts::sandbox_url(Url::parse(&server.uri()).unwrap()))
        .rate_limit(RateLimit::unlimited())
        .retry(RetryPolicy::new(
            1,
            Duration::from_millis(1),
            Duration::from_millis(2),
        ))
        .build()
        .unwrap()
}

/// A client for `server` logged in as [`ME`] (offline: no request is made).
pub async fn logged_in(server: &MockServer) -> Client {
    let client = client_for(server);
    client
        .login_with_session_id(SecretString::from(VECTOR))
        .await
        .unwrap();
    client
}

/// Everything the server received so far.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// The last request the server received.
pub async fn last(server: &MockServer) -> Request {
    received(server).await.pop().expect("a request was sent")
}

/// A header's value.
pub fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// A cookie's value.
pub fn cookie(request: &Request, name: &str) -> Option<String> {
    header_of(request, "cookie")?
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The body as JSON.
pub fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap()
}

/// Asserts the session cookie and the CSRF double-submit (cookie = header), the
/// `X-Requested-With` header and a `Referer` on the site; returns the `Referer`.
pub fn assert_cookie_auth(request: &Request) -> String {
    assert_eq!(
        cookie(request, "scratchsessionsid"),
        Some(format!("\"{VECTOR}\"")),
        "{} {}",
        request.method,
        request.url
    );
    let csrf = header_of(request, "x-csrftoken").expect("X-CSRFToken");
    assert_eq!(cookie(request, "scratchcsrftoken").as_deref(), Some(csrf));
    assert_eq!(
        header_of(request, "x-requested-with"),
        Some("XMLHttpRequest")
    );
    let referer = header_of(request, "referer").expect("Referer").to_owned();
    assert!(referer.contains("/site/"), "{referer}");
    referer
}

/// Asserts the X-Token header.
pub fn assert_token(request: &Request) {
    assert_eq!(
        header_of(request, "x-token"),
        Some(VECTOR_TOKEN),
        "{} {}",
        request.method,
        request.url
    );
}
