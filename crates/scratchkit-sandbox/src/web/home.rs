//! `/` (home), `/web/explore` and `/web/search`.

use axum::extract::{Query, State};
use serde::Deserialize;

use super::layout::{Viewer, WebResult, page};
use super::parts::project_grid;
use super::text::{esc, url_part};
use crate::auth::Auth;
use crate::state::Shared;
use crate::store::projects::{self, Discover, Mode};
use crate::store::{Page, studios, users};

const GRID: Page = Page {
    limit: 16,
    offset: 0,
};

fn studio_links(list: &[studios::StudioRow]) -> String {
    if list.is_empty() {
        return "<p class=\"empty\">No studios.</p>".to_owned();
    }
    let mut out = String::from("<ul class=\"users\">");
    for st in list {
        out.push_str(&format!(
            "<li><a href=\"/web/studios/{}\">{}</a> <span class=\"muted\">{} followers</span></li>",
            st.id,
            esc(&st.title),
            st.followers
        ));
    }
    out.push_str("</ul>");
    out
}

/// `GET /`: what is loved, what is new, popular studios.
pub(crate) async fn home(State(s): State<Shared>, auth: Auth) -> WebResult {
    let viewer = Viewer::of(&auth);
    let body = s.store.read(|c| {
        let loved = projects::top(c, "p.loves DESC, p.id DESC", 12)?;
        let recent = projects::discover(
            c,
            &Discover {
                mode: Mode::Recent,
                q: None,
                language: None,
                text: false,
            },
            Page {
                limit: 12,
                offset: 0,
            },
        )?;
        let top_studios = studios::top(c, 8)?;
        let welcome = match &viewer {
            Some(v) => format!(
                "<p>Welcome back, <a href=\"/web/users/{}\">{}</a>.</p>",
                url_part(&v.username),
                esc(&v.username)
            ),
            None => "<p>An offline Scratch to watch your bot work: <a href=\"/web/login\">log in</a> with a demo account, comment, love, and see what the bot sees.</p>".to_owned(),
        };
        Ok(format!(
            "<section class=\"hero\"><h1>Scratch sandbox</h1>{welcome}</section>\
<section><h2>Most loved</h2>{loved}</section><section><h2>Just shared</h2>{recent}</section>\
<section><h2>Popular studios</h2>{studios}</section>",
            loved = project_grid(&loved, "No projects."),
            recent = project_grid(&recent, "No projects."),
            studios = studio_links(&top_studios),
        ))
    })?;
    Ok(page("Home", viewer.as_ref(), &body))
}

/// `?mode=&q=` of explore and search.
#[derive(Debug, Deserialize)]
pub(crate) struct DiscoverQuery {
    mode: Option<String>,
    q: Option<String>,
}

fn mode_tabs(base: &str, current: Mode, q: &str) -> String {
    let mut out = String::from("<nav class=\"tabs\">");
    for (name, mode) in [
        ("trending", Mode::Trending),
        ("popular", Mode::Popular),
        ("recent", Mode::Recent),
    ] {
        out.push_str(&format!(
            "<a href=\"{base}?mode={name}&amp;q={q}\"{cls}>{name}</a>",
            q = url_part(q),
            cls = if mode == current {
                " class=\"current\""
            } else {
                ""
            }
        ));
    }
    out.push_str("</nav>");
    out
}

/// `GET /web/explore?mode=trending|popular|recent&q=<tag>`.
pub(crate) async fn explore(
    State(s): State<Shared>,
    auth: Auth,
    Query(q): Query<DiscoverQuery>,
) -> WebResult {
    let viewer = Viewer::of(&auth);
    let mode = Mode::parse(q.mode.as_deref().unwrap_or("")).unwrap_or(Mode::Trending);
    let tag = q.q.clone().unwrap_or_default();
    let list = s.store.read(|c| {
        projects::discover(
            c,
            &Discover {
                mode,
                q: Some(if tag.is_empty() {
                    "*".into()
                } else {
                    tag.clone()
                }),
                language: None,
                text: false,
            },
            GRID,
        )
    })?;
    let body = format!(
        "<h1>Explore</h1>{tabs}<form class=\"inline\" action=\"/web/explore\" method=\"get\">\
<input type=\"hidden\" name=\"mode\" value=\"{m}\"><input name=\"q\" value=\"{tag}\" placeholder=\"tag, e.g. games\" aria-label=\"Tag\"><button>Filter</button></form>{grid}",
        tabs = mode_tabs("/web/explore", mode, &tag),
        m = q.mode.as_deref().map_or("trending".to_owned(), esc),
        tag = esc(&tag),
        grid = project_grid(&list, "Nothing to explore with that tag."),
    );
    Ok(page("Explore", viewer.as_ref(), &body))
}

/// `GET /web/search?q=<text>`: projects whose title or notes match, and the user of that name.
pub(crate) async fn search(
    State(s): State<Shared>,
    auth: Auth,
    Query(q): Query<DiscoverQuery>,
) -> WebResult {
    let viewer = Viewer::of(&auth);
    let mode = Mode::parse(q.mode.as_deref().unwrap_or("")).unwrap_or(Mode::Popular);
    let text = q.q.clone().unwrap_or_default();
    let (list, user) = s.store.read(|c| {
        let list = if text.trim().is_empty() {
            Vec::new()
        } else {
            projects::discover(
                c,
                &Discover {
                    mode,
                    q: Some(text.clone()),
                    language: None,
                    text: true,
                },
                GRID,
            )?
        };
        let user = users::by_name(c, text.trim())?;
        Ok((list, user))
    })?;
    let user_hit = user.map_or(String::new(), |u| {
        format!(
            "<p>User: <a href=\"/web/users/{}\">{}</a></p>",
            url_part(&u.username),
            esc(&u.username)
        )
    });
    let body = format!(
        "<h1>Search</h1><form class=\"inline\" action=\"/web/search\" method=\"get\">\
<input name=\"q\" value=\"{text}\" aria-label=\"Search text\"><button>Search</button></form>{tabs}{user_hit}\
<p class=\"muted\" id=\"search-summary\">{n} projects matching “{text}”</p>{grid}",
        text = esc(&text),
        tabs = mode_tabs("/web/search", mode, &text),
        n = list.len(),
        grid = project_grid(&list, "No projects found."),
    );
    Ok(page("Search", viewer.as_ref(), &body))
}
