//! The sandbox panel at `/_sandbox`: accounts and roles, faults, settings, reset, and the
//! request log as it grows. Its buttons call the administration routes a test calls
//! (`/_sandbox/users`, `/_sandbox/faults`, `/_sandbox/settings`, `/_sandbox/reset`), and its
//! log polls [`requests`]. Administration paths are never faulted, so the panel keeps working
//! while faults are on.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use serde::Deserialize;

use super::layout::{Viewer, WebResult, page_with};
use super::text::esc;
use crate::accounts::demo_accounts;
use crate::auth::Auth;
use crate::state::Shared;

/// `GET /_sandbox`.
pub(crate) async fn page(State(s): State<Shared>, auth: Auth) -> WebResult {
    let viewer = Viewer::of(&auth);
    let mut accounts = String::new();
    for a in demo_accounts() {
        accounts.push_str(&format!(
            "<tr><td><a href=\"/web/users/{u}\">{u}</a></td><td>{role}</td></tr>",
            u = esc(a.username),
            role = esc(a.role.as_str()),
        ));
    }
    let faults = s
        .faults
        .current()
        .map_or_else(|| "off".to_owned(), |spec| spec.to_string());
    let body = format!(
        "<h1>Sandbox panel</h1><p class=\"muted\">Seed {seed}, scale {scale}. Everything here is also an HTTP call under <code>/_sandbox/</code> \
(see the hosts table), and none of it is ever faulted.</p>\
<div class=\"two\"><section class=\"box\"><h2>Faults</h2><p>Now: <code id=\"faults-now\">{faults}</code></p>\
<form id=\"faults-form\"><label>Spec <input id=\"faults-spec\" name=\"spec\" placeholder=\"kinds=503,count=1\"></label>\
<p class=\"muted small\">e.g. <code>kinds=503,count=1</code> (the next request fails), <code>rate=0.3</code>, \
<code>latency=200ms</code>, <code>kinds=429|dropped,every=3</code>.</p>\
<div class=\"row\"><button type=\"submit\" id=\"faults-on\">Turn on</button><button type=\"button\" id=\"faults-off\">Turn off</button>\
<span class=\"form-error\" role=\"alert\"></span></div></form></section>\
<section class=\"box\"><h2>Settings</h2><form id=\"settings-form\"><div id=\"settings-fields\" class=\"fields\">loading…</div>\
<div class=\"row\"><button type=\"submit\">Save</button><span class=\"form-error\" role=\"alert\"></span></div></form></section></div>\
<div class=\"two\"><section class=\"box\"><h2>Accounts</h2><p class=\"muted small\">Demo accounts (password <code>{pw}</code>):</p>\
<table class=\"grid\"><thead><tr><th>User</th><th>Role</th></tr></thead><tbody>{accounts}</tbody></table>\
<h3>New account</h3><form id=\"user-form\"><label>Username <input name=\"username\" required></label>\
<label>Password <input name=\"password\" type=\"password\" minlength=\"6\" required></label>\
<label>Role <select name=\"role\"><option>scratcher</option><option>new_scratcher</option><option>teacher</option>\
<option>student</option><option>scratch_team</option></select></label>\
<div class=\"row\"><button type=\"submit\">Create</button><span class=\"form-error\" role=\"alert\"></span></div></form></section>\
<section class=\"box\"><h2>Reset</h2><p>Back to the seeded world: accounts, projects, comments, cloud values and logs.</p>\
<button type=\"button\" id=\"reset\" class=\"danger\">Reset the sandbox</button> <span id=\"reset-done\" class=\"muted\"></span></section></div>\
<section class=\"box\"><h2>Requests</h2><form id=\"log-filter\" class=\"inline\"><label>Host <input name=\"host\" id=\"log-host\" placeholder=\"api.scratch.mit.edu\"></label>\
<label>Path <input name=\"path\" id=\"log-path\" placeholder=\"/users/\"></label><button type=\"button\" id=\"log-clear\">Clear view</button></form>\
<table class=\"grid log\"><thead><tr><th>#</th><th>Time</th><th>Method</th><th>Host</th><th>Path</th><th>Status</th><th>ms</th></tr></thead>\
<tbody id=\"log-rows\"></tbody></table></section>",
        seed = s.store.seed(),
        scale = s.store.scale(),
        faults = esc(&faults),
        pw = esc(crate::accounts::DEMO_PASSWORD),
    );
    Ok(page_with(
        "Panel",
        viewer.as_ref(),
        &body,
        "/_sandbox/static",
    ))
}

/// `?after=&host=&path=&limit=` of [`requests`].
#[derive(Debug, Deserialize)]
pub(crate) struct LogQuery {
    #[serde(default)]
    after: u64,
    #[serde(default)]
    host: String,
    #[serde(default)]
    path: String,
    limit: Option<usize>,
}

/// `GET /_sandbox/requests?after=<seq>&host=<part>&path=<part>&limit=<n>`:
/// `{"last": seq, "requests": [{seq, at_ms, method, host, path, query, status, millis}]}`,
/// oldest first (at most 500 per call).
pub(crate) async fn requests(
    State(s): State<Shared>,
    Query(q): Query<LogQuery>,
) -> impl IntoResponse {
    let limit = q.limit.unwrap_or(500).min(500);
    Json(s.recent.since(q.after, &q.host, &q.path, limit))
}
