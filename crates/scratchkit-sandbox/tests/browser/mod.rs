//! A small Chromium driver for the website's end-to-end tests: starts headless Chromium on a
//! loopback DevTools port with a throw-away profile, and speaks the DevTools protocol over
//! one WebSocket (tokio-tungstenite) to a page it opened.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long any one wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// The Chromium binary: `$SCRATCHKIT_CHROMIUM`, else `chromium`, `chromium-browser`,
/// `google-chrome` or `google-chrome-stable` on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SCRATCHKIT_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let paths = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&paths) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Chromium, or `None` after printing why the test is skipped. Panics instead when
/// `SCRATCHKIT_REQUIRE_CHROMIUM=1` (CI installs Chromium and must run these tests).
pub fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    match find_chromium() {
        Some(path) => Some(path),
        None if std::env::var("SCRATCHKIT_REQUIRE_CHROMIUM").as_deref() == Ok("1") => {
            panic!("{test}: chromium not found and SCRATCHKIT_REQUIRE_CHROMIUM=1")
        }
        None => {
            eprintln!(
                "{test}: skipped: chromium not found (install the `chromium` package or set SCRATCHKIT_CHROMIUM)"
            );
            None
        }
    }
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A running headless Chromium with one page attached.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    socket: Socket,
    session: String,
    next_id: u64,
    /// Uncaught JavaScript exceptions the page reported (`Runtime.exceptionThrown`).
    pub exceptions: Vec<String>,
}

impl Browser {
    /// Starts Chromium (headless, `--no-sandbox`, loopback DevTools, a fresh profile).
    pub async fn launch(binary: &Path) -> Browser {
        let profile = std::env::temp_dir().join(format!(
            "scratchkit-chromium-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&profile).expect("profile directory");
        let mut child = Command::new(binary)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-proxy-server",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{} starts: {e}", binary.display()));
        let stderr = child.stderr.take().expect("stderr piped");
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        let url = rx
            .recv_timeout(WAIT)
            .expect("chromium prints its DevTools address");
        let (socket, _) = tokio_tungstenite::connect_async(url.as_str())
            .await
            .expect("DevTools WebSocket");
        let mut browser = Browser {
            child,
            profile,
            socket,
            session: String::new(),
            next_id: 0,
            exceptions: Vec::new(),
        };
        let target = browser
            .command(false, "Target.createTarget", json!({"url": "about:blank"}))
            .await;
        let attached = browser
            .command(
                false,
                "Target.attachToTarget",
                json!({"targetId": target["targetId"], "flatten": true}),
            )
            .await;
        browser.session = attached["sessionId"].as_str().expect("session").to_owned();
        browser.call("Page.enable", json!({})).await;
        browser.call("Runtime.enable", json!({})).await;
        browser
            .call(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
            )
            .await;
        browser
    }

    async fn command(&mut self, on_page: bool, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if on_page {
            message["sessionId"] = Value::String(self.session.clone());
        }
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("DevTools send");
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let frame = tokio::time::timeout(left, self.socket.next())
                .await
                .unwrap_or_else(|_| panic!("{method}: no answer from chromium"))
                .expect("DevTools open")
                .expect("DevTools frame");
            let Message::Text(text) = frame else { continue };
            let value: Value = serde_json::from_str(&text).expect("DevTools JSON");
            if value["method"] == "Runtime.exceptionThrown" {
                let details = &value["params"]["exceptionDetails"];
                self.exceptions.push(format!(
                    "{} {}",
                    details["text"].as_str().unwrap_or(""),
                    details["exception"]["description"].as_str().unwrap_or("")
                ));
            }
            if value["id"].as_u64() == Some(id) {
                if let Some(error) = value.get("error") {
                    panic!("{method}: {error}");
                }
                return value["result"].clone();
            }
        }
    }

    /// A DevTools command on the page.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        self.command(true, method, params).await
    }

    /// Evaluates JavaScript in the page (promises awaited) and returns its JSON value.
    pub async fn eval(&mut self, expression: &str) -> Value {
        let result = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
            )
            .await;
        if let Some(details) = result.get("exceptionDetails") {
            panic!("{expression}: {details}");
        }
        result["result"]["value"].clone()
    }

    /// Polls `expression` until it is truthy; panics after `timeout`. Returns its value.
    pub async fn wait_for(&mut self, expression: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.eval(expression).await;
            let truthy = !matches!(value, Value::Null | Value::Bool(false))
                && value != json!(0)
                && value != json!("");
            if truthy {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "waited {timeout:?} for: {expression}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Marks the current document, so that [`Browser::wait_for_new_page`] can tell when
    /// another one has loaded.
    pub async fn mark_page(&mut self) {
        self.eval("window.__scratchkitOld = true").await;
    }

    /// Waits until a document loaded after [`Browser::mark_page`] is complete.
    pub async fn wait_for_new_page(&mut self) {
        self.wait_for(
            "!window.__scratchkitOld && document.readyState === 'complete'",
            WAIT,
        )
        .await;
    }

    /// Opens `url` and waits until the page has loaded.
    pub async fn goto(&mut self, url: &str) {
        self.mark_page().await;
        let result = self.call("Page.navigate", json!({"url": url})).await;
        assert!(result.get("errorText").is_none(), "open {url}: {result}");
        self.wait_for_new_page().await;
    }

    /// A PNG of the whole page (up to 2400 CSS pixels high) written to `path`.
    pub async fn screenshot(&mut self, path: &Path) {
        let metrics = self.call("Page.getLayoutMetrics", json!({})).await;
        let height = metrics["cssContentSize"]["height"]
            .as_f64()
            .unwrap_or(900.0)
            .clamp(600.0, 2400.0);
        let shot = self
            .call(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}
                }),
            )
            .await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .expect("base64 PNG");
        assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A JavaScript string literal for `text`.
pub fn js(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}
