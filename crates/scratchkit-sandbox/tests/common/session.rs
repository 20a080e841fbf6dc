//! A caller with (or without) a sandbox session: sends the cookie, the CSRF pair, the
//! Referer and the X-Token the way the live site's clients do.

use scratchkit_sandbox::SandboxHandle;
use serde_json::{Value, json};

/// A client that does not follow redirects (form posts answer 302).
pub fn no_redirect_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

/// Who is calling.
#[derive(Clone)]
pub struct Caller {
    pub base: String,
    pub username: Option<String>,
    pub session_id: Option<String>,
    pub token: Option<String>,
}

/// A response: status and body (JSON when it parses, else the text as a JSON string).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Caller {
    /// Nobody logged in.
    pub fn anonymous(sb: &SandboxHandle) -> Self {
        Self {
            base: sb.base_url(),
            username: None,
            session_id: None,
            token: None,
        }
    }

    /// A session minted by the admin API (no password).
    pub async fn login(sb: &SandboxHandle, username: &str) -> Self {
        let response = no_redirect_client()
            .post(format!("{}/_sandbox/sessions", sb.base_url()))
            .body(json!({ "username": username }).to_string())
            .send()
            .await
            .expect("request sent");
        assert_eq!(response.status(), 201, "admin session for {username}");
        let body: Value = response.json().await.expect("json");
        Self {
            base: sb.base_url(),
            username: Some(body["username"].as_str().unwrap().to_owned()),
            session_id: Some(body["session_id"].as_str().unwrap().to_owned()),
            token: Some(body["token"].as_str().unwrap().to_owned()),
        }
    }

    pub fn name(&self) -> &str {
        self.username.as_deref().unwrap_or("nobody")
    }

    /// Sends `method path` with every credential held, and a JSON body when given.
    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut cookie = String::from("scratchcsrftoken=a; scratchlanguage=en");
        if let Some(id) = &self.session_id {
            cookie.push_str(&format!("; scratchsessionsid=\"{id}\""));
        }
        let mut request = no_redirect_client()
            .request(method, format!("{}{path}", self.base))
            .header("Cookie", cookie)
            .header("X-CSRFToken", "a")
            .header("X-Requested-With", "XMLHttpRequest")
            .header("Referer", "https://scratch.mit.edu");
        if let Some(token) = &self.token {
            request = request.header("X-Token", token);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, body }
    }

    /// Sends `method path` with every credential held and a raw body of the given
    /// Content-Type (image uploads, multipart forms).
    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut cookie = String::from("scratchcsrftoken=a; scratchlanguage=en");
        if let Some(id) = &self.session_id {
            cookie.push_str(&format!("; scratchsessionsid=\"{id}\""));
        }
        let mut request = no_redirect_client()
            .request(method, format!("{}{path}", self.base))
            .header("Cookie", cookie)
            .header("X-CSRFToken", "a")
            .header("X-Requested-With", "XMLHttpRequest")
            .header("Referer", "https://scratch.mit.edu")
            .header("Content-Type", content_type)
            .body(body);
        if let Some(token) = &self.token {
            request = request.header("X-Token", token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, body }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send("POST", path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send("PUT", path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send("DELETE", path, None).await
    }

    /// Creates a studio (`POST /site/studios/create/`), expecting success; its id, read from
    /// the `redirect` of the answer.
    pub async fn create_studio(&self) -> i64 {
        let created = self.post("/site/studios/create/", json!({})).await;
        assert_eq!(created.body["success"], true, "{:?}", created.body);
        created.body["redirect"]
            .as_str()
            .expect("a redirect")
            .trim_matches('/')
            .rsplit('/')
            .next()
            .and_then(|id| id.parse().ok())
            .expect("a studio id")
    }
}
