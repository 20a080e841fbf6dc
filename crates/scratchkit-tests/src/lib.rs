//! Support for the end-to-end tests in `tests/`: the `scratchkit` client driven against an
//! in-process `scratchkit-sandbox` on `127.0.0.1:0`.
//!
//! [`TestSandbox`] starts a sandbox (optionally with its request log), hands out a client
//! pointed at it, and reaches the sandbox's administration paths (`/_sandbox/…`) with a plain
//! HTTP client. Nothing here ever leaves the loopback interface.
//!
//! This crate is not published; its helpers panic on failure, as test code does.
#![warn(missing_docs)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use scratchkit::{Client, ClientBuilder, Hosts};
use scratchkit_sandbox::{SandboxConfig, SandboxHandle, spawn_with};
use serde_json::Value;

/// A running sandbox and a client for it.
#[derive(Debug)]
pub struct TestSandbox {
    handle: Option<SandboxHandle>,
    client: Client,
    admin: reqwest::Client,
    log: Option<PathBuf>,
}

/// One line of the sandbox's request log.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedRequest {
    /// `GET`, `POST`…
    pub method: String,
    /// The logical Scratch host (`api.scratch.mit.edu`, `scratch.mit.edu`…).
    pub host: String,
    /// The path on that host, without the sandbox prefix.
    pub path: String,
    /// The query parameters (a repeated key holds an array).
    pub query: serde_json::Map<String, Value>,
}

impl LoggedRequest {
    /// A query parameter as text (`None` when absent or repeated).
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query.get(key).and_then(Value::as_str)
    }
}

/// A file name no other test of this process or another one uses.
fn unique_log_path() -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("scratchkit-tests-{}-{n}.jsonl", std::process::id()))
}

impl TestSandbox {
    /// A sandbox with the seeded demo world, and a default sandbox client.
    ///
    /// # Panics
    /// When the sandbox cannot start.
    pub async fn start() -> Self {
        Self::start_with(SandboxConfig::default()).await
    }

    /// As [`start`](TestSandbox::start), with the request log on (read it with
    /// [`requests`](TestSandbox::requests)).
    ///
    /// # Panics
    /// When the sandbox cannot start.
    pub async fn start_logged() -> Self {
        let path = unique_log_path();
        let _ = std::fs::remove_file(&path);
        let config = SandboxConfig {
            log_requests: Some(path.clone()),
            ..SandboxConfig::default()
        };
        let mut sandbox = Self::start_with(config).await;
        sandbox.log = Some(path);
        sandbox
    }

    /// A sandbox with `config`.
    ///
    /// # Panics
    /// When the sandbox cannot start.
    pub async fn start_with(config: SandboxConfig) -> Self {
        // reqwest is built without a default TLS provider in this workspace.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let handle = spawn_with(([127, 0, 0, 1], 0).into(), config)
            .await
            .expect("the sandbox starts");
        let client = Client::sandbox(handle.addr());
        let admin = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("the admin client builds");
        Self {
            handle: Some(handle),
            client,
            admin,
            log: None,
        }
    }

    /// The sandbox's address.
    pub fn addr(&self) -> SocketAddr {
        match &self.handle {
            Some(handle) => handle.addr(),
            None => unreachable!("the handle is only taken by shutdown"),
        }
    }

    /// The default client for this sandbox ([`Client::sandbox`]).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A client builder already pointed at this sandbox, to choose retries or timeouts.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder().hosts(Hosts::sandbox(self.addr()))
    }

    async fn admin_call(&self, request: reqwest::RequestBuilder) -> Value {
        let response = request.send().await.expect("admin reachable");
        let status = response.status();
        let text = response.text().await.expect("admin body");
        assert!(status.is_success(), "admin call failed: {status} {text}");
        serde_json::from_str(&text).expect("admin JSON")
    }

    /// `GET /_sandbox/<path>`.
    ///
    /// # Panics
    /// On any failure.
    pub async fn admin_get(&self, path: &str) -> Value {
        let url = format!("http://{}/_sandbox{path}", self.addr());
        self.admin_call(self.admin.get(url)).await
    }

    /// `POST /_sandbox/<path>` with a JSON body.
    ///
    /// # Panics
    /// On any failure.
    pub async fn admin_post(&self, path: &str, body: Value) -> Value {
        let url = format!("http://{}/_sandbox{path}", self.addr());
        self.admin_call(self.admin.post(url).json(&body)).await
    }

    /// Sets the fault spec (`{"kind":"503","count":2}`…).
    ///
    /// # Panics
    /// When the sandbox refuses the spec.
    pub async fn set_faults(&self, spec: Value) {
        let answer = self.admin_post("/faults", spec).await;
        assert!(answer["faults"].is_string(), "faults not set: {answer}");
    }

    /// Every request logged so far (with [`start_logged`](TestSandbox::start_logged)).
    ///
    /// # Panics
    /// When the log is off or unreadable.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        let path = self.log.as_ref().expect("started with start_logged");
        let text = std::fs::read_to_string(path).expect("request log readable");
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let v: Value = serde_json::from_str(line).expect("log line is JSON");
                let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
                LoggedRequest {
                    method: text("method"),
                    host: text("host"),
                    path: text("path"),
                    query: v["query"].as_object().cloned().unwrap_or_default(),
                }
            })
            .collect()
    }

    /// The logged requests for `path` (without its trailing slash) on any host.
    ///
    /// # Panics
    /// As [`requests`](TestSandbox::requests).
    pub fn requests_to(&self, path: &str) -> Vec<LoggedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.trim_end_matches('/') == path.trim_end_matches('/'))
            .collect()
    }

    /// A new logged-out client for this sandbox, with its own cookies and login (unlike
    /// clones of [`client`](TestSandbox::client), which share them).
    pub fn new_client(&self) -> Client {
        Client::sandbox(self.addr())
    }

    /// A session minted by the sandbox for `username` without a password
    /// (`POST /_sandbox/sessions`): `{username, id, session_id, token, cookie}`.
    ///
    /// # Panics
    /// When the user does not exist.
    pub async fn admin_session(&self, username: &str) -> Value {
        self.admin_post("/sessions", serde_json::json!({ "username": username }))
            .await
    }

    /// A new client logged in as `username`: a session minted by the sandbox
    /// ([`admin_session`](TestSandbox::admin_session)), installed with
    /// [`Client::login_with_session_id`] (decoded offline: no password hashing, no request).
    ///
    /// # Panics
    /// When the user does not exist or the session cannot be installed.
    pub async fn logged_in(&self, username: &str) -> Client {
        let session = self.admin_session(username).await;
        let id = session["session_id"]
            .as_str()
            .expect("the session has an id")
            .to_owned();
        let client = self.new_client();
        let me = client
            .login_with_session_id(secrecy::SecretString::from(id))
            .await
            .expect("the minted session installs");
        assert_eq!(me.username, username);
        client
    }

    /// Creates a project owned by `owner` (`POST /_sandbox/projects`) and returns its id.
    ///
    /// # Panics
    /// When the owner does not exist.
    pub async fn create_project(&self, owner: &str, title: &str, shared: bool) -> u64 {
        let project = self
            .admin_post(
                "/projects",
                serde_json::json!({ "owner": owner, "title": title, "shared": shared }),
            )
            .await;
        project["id"].as_u64().expect("the project has an id")
    }

    /// Creates a studio hosted by `owner` (`POST /_sandbox/studios`) and returns its id.
    ///
    /// # Panics
    /// When the owner does not exist.
    pub async fn create_studio(&self, owner: &str, title: &str) -> u64 {
        let studio = self
            .admin_post(
                "/studios",
                serde_json::json!({ "owner": owner, "title": title }),
            )
            .await;
        studio["id"].as_u64().expect("the studio has an id")
    }

    /// Creates an account (`POST /_sandbox/users`) with `password` and `role`
    /// (`scratcher`, `new_scratcher`, `teacher`…) and returns its user id.
    ///
    /// # Panics
    /// When the sandbox refuses (name taken or invalid, password too short).
    pub async fn create_user(&self, username: &str, password: &str, role: &str) -> u64 {
        let user = self
            .admin_post(
                "/users",
                serde_json::json!({ "username": username, "password": password, "role": role }),
            )
            .await;
        user["id"].as_u64().expect("the user has an id")
    }

    /// Changes runtime rules (`POST /_sandbox/settings`, e.g.
    /// `{"comment_flood_seconds": 0}`) and returns them all.
    ///
    /// # Panics
    /// When the sandbox refuses a setting.
    pub async fn settings(&self, patch: Value) -> Value {
        self.admin_post("/settings", patch).await
    }

    /// Stops the sandbox and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(handle) = self.handle.take() {
            handle.shutdown().await;
        }
    }
}

impl Drop for TestSandbox {
    fn drop(&mut self) {
        if let Some(path) = &self.log {
            let _ = std::fs::remove_file(path);
        }
    }
}
