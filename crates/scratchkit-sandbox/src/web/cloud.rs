//! `/web/projects/<id>/cloud`: a live monitor of a project's cloud variables, and its
//! WebSocket `/web/projects/<id>/cloud/live`.
//!
//! The monitor watches the sandbox's cloud server (the one mounted on `/cloud`) without
//! joining the room: a browser page cannot present `Origin: https://scratch.mit.edu`, and a
//! watcher should not count as a client nor need an account. The WebSocket sends the room's
//! variables and the newest log rows (who set what) whenever they change, checked every
//! [`WATCH_EVERY`].

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use scratchkit_cloud_server::{CloudMode, CloudState};
use serde_json::{Value, json};

use super::layout::{Viewer, WebError, WebResult, page};
use super::text::{esc, url_part};
use crate::auth::Auth;
use crate::state::Shared;
use crate::store::projects;

/// How often the live socket looks for changes.
const WATCH_EVERY: Duration = Duration::from_millis(100);
/// Log rows shown and sent.
const LOG_ROWS: usize = 30;

/// The room's variables and newest log rows as the live socket sends them.
fn snapshot(cloud: Option<&CloudState>, project: &str) -> Value {
    let Some(cloud) = cloud else {
        return json!({"variables": [], "log": []});
    };
    let variables: Vec<Value> = cloud
        .variables(CloudMode::Scratch, project)
        .into_iter()
        .map(|(name, value)| json!([name, value]))
        .collect();
    let log: Vec<Value> = cloud
        .logs(project, LOG_ROWS, 0)
        .into_iter()
        .map(|e| {
            json!({"user": e.user, "verb": e.verb, "name": e.name, "value": e.value, "timestamp": e.timestamp})
        })
        .collect();
    json!({"variables": variables, "log": log})
}

fn variable_rows(snap: &Value) -> String {
    let mut out = String::new();
    for pair in snap["variables"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"value\">{}</td></tr>",
            esc(pair[0].as_str().unwrap_or("")),
            esc(pair[1].as_str().unwrap_or(""))
        ));
    }
    out
}

fn log_rows(snap: &Value) -> String {
    let mut out = String::new();
    for e in snap["log"].as_array().into_iter().flatten() {
        let ms = e["timestamp"].as_i64().unwrap_or(0);
        out.push_str(&format!(
            "<tr><td><time>{}</time></td><td><a href=\"/web/users/{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"value\">{}</td></tr>",
            crate::timefmt::iso(ms / 1000),
            url_part(e["user"].as_str().unwrap_or("")),
            esc(e["user"].as_str().unwrap_or("")),
            esc(e["verb"].as_str().unwrap_or("")),
            esc(e["name"].as_str().unwrap_or("")),
            esc(e["value"].as_str().unwrap_or("")),
        ));
    }
    out
}

/// `GET /web/projects/<id>/cloud`.
pub(crate) async fn monitor(
    State(s): State<Shared>,
    auth: Auth,
    Path(id): Path<String>,
) -> WebResult {
    let viewer = Viewer::of(&auth);
    let id: i64 = id.parse().map_err(|_| WebError::NotFound("project"))?;
    let project = s
        .store
        .read(|c| projects::by_id(c, id))?
        .ok_or(WebError::NotFound("project"))?;
    let snap = snapshot(s.cloud.get(), &id.to_string());
    let body = format!(
        "<h1>Cloud monitor</h1><p class=\"muted\">Project <a href=\"/web/projects/{id}\">{title}</a> · \
<span id=\"cloud-status\" class=\"status\">connecting…</span></p>\
<div class=\"cloud-monitor\" data-live=\"/web/projects/{id}/cloud/live\">\
<section><h2>Variables</h2><table class=\"grid\"><thead><tr><th>Name</th><th>Value</th></tr></thead>\
<tbody id=\"cloud-vars\">{vars}</tbody></table></section>\
<section><h2>Who set what</h2><table class=\"grid\"><thead><tr><th>Time</th><th>User</th><th>Action</th><th>Variable</th><th>Value</th></tr></thead>\
<tbody id=\"cloud-log\">{log}</tbody></table><p class=\"muted small\">From the same log as <a href=\"/clouddata/logs?projectid={id}&amp;limit=40&amp;offset=0\">/clouddata/logs</a>. \
Bots connect to <code>ws://…/cloud</code> as on Scratch.</p></section></div>",
        title = esc(&project.title),
        vars = variable_rows(&snap),
        log = log_rows(&snap),
    );
    Ok(page("Cloud monitor", viewer.as_ref(), &body))
}

/// `GET /web/projects/<id>/cloud/live` (WebSocket): a snapshot now and after each change.
pub(crate) async fn live(
    State(s): State<Shared>,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return WebError::NotFound("project").into_response();
    };
    // The page sends nothing but control frames: a small read chunk (the library zero-fills
    // its whole 128 KiB default on the first read, and keeps it per connection).
    ws.read_buffer_size(1024)
        .on_upgrade(move |socket| watch(s, id.to_string(), socket))
}

async fn watch(s: Shared, project: String, mut socket: WebSocket) {
    let mut last = String::new();
    let mut tick = tokio::time::interval(WATCH_EVERY);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let text = snapshot(s.cloud.get(), &project).to_string();
                if text != last {
                    if socket.send(Message::Text(text.clone().into())).await.is_err() {
                        return;
                    }
                    last = text;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
