//! `/web/mystuff`: the viewer's projects (shared or not) with share and unshare buttons, and
//! their studios.

use axum::extract::State;

use super::layout::{Viewer, WebResult, page, require};
use super::text::{ago, esc};
use crate::auth::Auth;
use crate::state::Shared;
use crate::store::Page;
use crate::store::projects::{self, MineFilter};
use crate::store::studios::{self, MineOrder};
use crate::timefmt::now;

/// `GET /web/mystuff` (log in first).
pub(crate) async fn page_of(State(s): State<Shared>, auth: Auth) -> WebResult {
    let viewer = require(Viewer::of(&auth), "/web/mystuff")?;
    let t = now();
    let page_size = Page {
        limit: 100,
        offset: 0,
    };
    let (mine, my_studios) = s.store.read(|c| {
        Ok((
            projects::mine(c, viewer.id, MineFilter::All, "p.modified DESC", page_size)?,
            studios::mine(c, viewer.id, MineOrder::ModifiedDesc, page_size)?,
        ))
    })?;
    let mut rows = String::new();
    for p in &mine {
        let (label, verb) = if p.shared {
            ("Unshare", "unshare")
        } else {
            ("Share", "share")
        };
        rows.push_str(&format!(
            "<tr><td><a href=\"/web/projects/{id}\">{title}</a></td><td>{state}</td><td>{age}</td>\
<td>♥ {loves} · ★ {favs}</td><td><button type=\"button\" class=\"act\" data-method=\"PUT\" data-url=\"/api/proxy/projects/{id}/{verb}\">{label}</button></td></tr>",
            id = p.id,
            title = esc(&p.title),
            state = if p.shared { "shared" } else { "not shared" },
            age = ago(p.modified, t),
            loves = p.loves,
            favs = p.favorites,
        ));
    }
    if mine.is_empty() {
        rows.push_str("<tr><td colspan=\"5\" class=\"empty\">No projects yet.</td></tr>");
    }
    let mut studio_rows = String::new();
    for st in &my_studios {
        studio_rows.push_str(&format!(
            "<li><a href=\"/web/studios/{}\">{}</a></li>",
            st.id,
            esc(&st.title)
        ));
    }
    if my_studios.is_empty() {
        studio_rows.push_str("<li class=\"empty\">No studios yet.</li>");
    }
    let body = format!(
        "<h1>My Stuff</h1><section><h2>Projects</h2><table class=\"grid\" id=\"mystuff\"><thead><tr><th>Title</th><th>State</th>\
<th>Modified</th><th>Loves</th><th></th></tr></thead><tbody>{rows}</tbody></table></section>\
<section><h2>Studios</h2><ul class=\"users\">{studio_rows}</ul></section>"
    );
    Ok(page("My Stuff", Some(&viewer), &body))
}
