//! A user's public activity feed: `GET /messages/ajax/user-activity/?user=<u>&max=<n>`, an HTML
//! fragment with one `<li>` per event, newest first (`html.md` §4).

use std::time::Duration;

use scraper::{ElementRef, Html, Node};
use url::Url;

use super::UserHandler;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::html::dom::{self, missing, sel};
use crate::request::RequestSpec;

/// What happened in an [`ActivityEvent`] (from the verb phrase).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum ActivityKind {
    /// "shared the project".
    ShareProject,
    /// "remixed" (targets: the parent project, then the remix).
    RemixProject,
    /// "loved".
    LoveProject,
    /// "favorited".
    FavoriteProject,
    /// "is now following the studio".
    FollowStudio,
    /// "is now following" (a user).
    FollowUser,
    /// "became a curator of".
    BecomeCurator,
    /// "was promoted to manager of".
    BecomeManager,
    /// "added" (targets: the project, then the studio).
    AddProjectToStudio,
    /// Any other phrase (kept).
    Other(String),
}

impl ActivityKind {
    /// The kind for a verb phrase (the text after the actor's name).
    ///
    /// ```
    /// use scratchkit::html::ActivityKind;
    /// assert_eq!(ActivityKind::from_phrase("is now following the studio"), ActivityKind::FollowStudio);
    /// assert_eq!(ActivityKind::from_phrase("is now following"), ActivityKind::FollowUser);
    /// ```
    pub fn from_phrase(phrase: &str) -> Self {
        let p = dom::collapse(phrase).to_lowercase();
        let table: [(&str, ActivityKind); 9] = [
            ("shared the project", ActivityKind::ShareProject),
            ("remixed", ActivityKind::RemixProject),
            ("loved", ActivityKind::LoveProject),
            ("favorited", ActivityKind::FavoriteProject),
            ("is now following the studio", ActivityKind::FollowStudio),
            ("is now following", ActivityKind::FollowUser),
            ("became a curator of", ActivityKind::BecomeCurator),
            ("was promoted to manager of", ActivityKind::BecomeManager),
            ("added", ActivityKind::AddProjectToStudio),
        ];
        table
            .into_iter()
            .find(|(start, _)| p.starts_with(start))
            .map(|(_, kind)| kind)
            .unwrap_or(ActivityKind::Other(dom::collapse(phrase)))
    }
}

/// What a link of an event points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum TargetKind {
    /// `/projects/<id>/`.
    Project,
    /// `/studios/<id>/`.
    Studio,
    /// `/users/<name>/`.
    User,
    /// Anything else.
    Other,
}

/// A link in an event: a project, studio or user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ActivityTarget {
    /// What the link points at.
    pub kind: TargetKind,
    /// The numeric id for projects and studios.
    pub id: Option<u64>,
    /// The link text: a title, a studio name or a username.
    pub name: String,
    /// The link as written in the page.
    pub href: String,
}

/// One event of a user's activity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ActivityEvent {
    /// Who did it.
    pub actor: String,
    /// What they did.
    pub kind: ActivityKind,
    /// The verb phrase as shown (whitespace collapsed).
    pub phrase: String,
    /// The projects, studios or users involved, in page order.
    pub targets: Vec<ActivityTarget>,
    /// The relative time as shown (`2 days, 3 hours ago`), non-breaking spaces normalised.
    pub time_text: String,
    /// How long ago, from [`time_text`](Self::time_text) (months taken as 30 days, years as 365).
    pub ago: Option<Duration>,
}

/// Parses a relative time such as `2 days, 3 hours ago` (`&nbsp;` allowed) into a duration.
///
/// ```
/// use std::time::Duration;
/// use scratchkit::html::parse_relative_time;
/// assert_eq!(parse_relative_time("2\u{a0}days, 3\u{a0}hours ago"), Some(Duration::from_secs(2 * 86400 + 3 * 3600)));
/// assert_eq!(parse_relative_time("1 minute ago"), Some(Duration::from_secs(60)));
/// assert_eq!(parse_relative_time("soon"), None);
/// ```
pub fn parse_relative_time(text: &str) -> Option<Duration> {
    let text = dom::collapse(text).to_lowercase();
    let text = text.trim_end_matches("ago").trim();
    let mut total: u64 = 0;
    let mut any = false;
    for part in text.split(',') {
        let mut words = part.split_whitespace();
        let (Some(n), Some(unit)) = (words.next(), words.next()) else {
            return None;
        };
        let n: u64 = n.parse().ok()?;
        let unit = unit.trim_end_matches('s');
        let seconds = match unit {
            "second" => 1,
            "minute" => 60,
            "hour" => 3_600,
            "day" => 86_400,
            "week" => 7 * 86_400,
            "month" => 30 * 86_400,
            "year" => 365 * 86_400,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(seconds)?)?;
        any = true;
    }
    any.then(|| Duration::from_secs(total))
}

fn target(a: ElementRef<'_>) -> ActivityTarget {
    let href = a.attr("href").unwrap_or_default().to_owned();
    let (kind, id) = if href.contains("/projects/") {
        (TargetKind::Project, dom::id_after(&href, "/projects/"))
    } else if href.contains("/studios/") {
        (TargetKind::Studio, dom::id_after(&href, "/studios/"))
    } else if href.contains("/users/") {
        (TargetKind::User, None)
    } else {
        (TargetKind::Other, None)
    };
    ActivityTarget {
        kind,
        id,
        name: dom::text(a),
        href,
    }
}

/// Parses the activity fragment: one [`ActivityEvent`] per `<li>`.
///
/// ```
/// use scratchkit::html::{parse_user_activity, ActivityKind};
/// use scratchkit::Url;
///
/// let html = r#"<li><a href="/users/alice/"><img class="avatar" src="x"></a><div>
///   <span class="actor">alice</span> loved <a href="/projects/1001/">My Game</a>
///   <span class="time">2&nbsp;days ago</span></div></li>"#;
/// let url = Url::parse("https://scratch.mit.edu/messages/ajax/user-activity/?user=alice&max=5").unwrap();
/// let events = parse_user_activity(html, &url).unwrap();
/// assert_eq!(events[0].kind, ActivityKind::LoveProject);
/// assert_eq!(events[0].targets[0].id, Some(1001));
/// ```
///
/// # Errors
/// [`Error::Scrape`](crate::Error::Scrape) when an item has no `div` or no actor `span`.
pub fn parse_user_activity(html: &str, url: &Url) -> Result<Vec<ActivityEvent>> {
    let doc = Html::parse_fragment(html);
    let mut out = Vec::new();
    for li in doc.select(&sel("li")) {
        let div = li
            .child_elements()
            .find(|e| e.value().name() == "div")
            .ok_or_else(|| missing("div in activity li", url))?;
        let actor_span = dom::first(div, &sel("span.actor"))
            .or_else(|| dom::first(div, &sel("span")))
            .ok_or_else(|| missing("span.actor", url))?;
        let actor = dom::text(actor_span);
        // The verb phrase: the text nodes between the actor's span and the first link.
        let mut phrase = String::new();
        let mut node = actor_span.next_sibling();
        while let Some(n) = node {
            match n.value() {
                Node::Text(t) => phrase.push_str(t),
                Node::Element(e) if e.name() == "a" || e.name() == "span" => break,
                _ => {}
            }
            node = n.next_sibling();
        }
        let phrase = dom::collapse(&phrase);
        let targets = div.select(&sel("a[href]")).map(target).collect();
        let time_text = dom::first(div, &sel("span.time"))
            .map(dom::text)
            .unwrap_or_default();
        out.push(ActivityEvent {
            actor,
            kind: ActivityKind::from_phrase(&phrase),
            ago: parse_relative_time(&time_text),
            phrase,
            targets,
            time_text,
        });
    }
    Ok(out)
}

impl UserHandler {
    /// The user's latest public activity (at most `max` events, 1 to 1000), newest first.
    ///
    /// `GET https://scratch.mit.edu/messages/ajax/user-activity/?user=<name>&max=<max>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for event in client.user("griffpatch").activity(10).await? {
    ///     println!("{} {} ({})", event.actor, event.phrase, event.time_text);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad name or `max` (nothing sent),
    /// [`Error::Scrape`](crate::Error::Scrape) for an unexpected page, or a transport error.
    pub async fn activity(&self, max: u32) -> Result<Vec<ActivityEvent>> {
        if !(1..=1000).contains(&max) {
            return Err(Error::invalid("max", "must be between 1 and 1000"));
        }
        let name = crate::validate::username(&self.name)?;
        let spec = RequestSpec::get(Host::Site, "/messages/ajax/user-activity/")
            .query("user", name)
            .query("max", max);
        let response = self.client.send(spec).await?;
        parse_user_activity(&response.text(), &response.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://scratch.mit.edu/messages/ajax/user-activity/?user=alice&max=10")
            .unwrap()
    }

    /// Synthetic (html.md §4): no real recording exists.
    const SYNTHETIC: &str = r#"<li>
  <a href="/users/alice/"><img class="avatar" src="//cdn2.scratch.mit.edu/get_image/user/123_32x32.png" width="32" height="32"></a>
  <div>
    <span class="actor">alice</span> loved <a href="/projects/1001/">My Game</a>
    <span class="time">2&nbsp;days, 3&nbsp;hours ago</span>
  </div>
</li>
<li>
  <a href="/users/alice/"><img class="avatar" src="x"></a>
  <div>
    <span class="actor">alice</span> added <a href="/projects/7/">Tiny Cat</a> to <a href="/studios/5342/">Cool Studio</a>
    <span class="time">1&nbsp;week ago</span>
  </div>
</li>
<li><div><span class="actor">alice</span> is now following <a href="/users/bob/">bob</a> <span class="time">3 months ago</span></div></li>
<li><div><span class="actor">alice</span> did something new <span class="time">yesterday</span></div></li>"#;

    #[test]
    fn parses_events() {
        let events = parse_user_activity(SYNTHETIC, &url()).unwrap();
        assert_eq!(events.len(), 4);
        let love = &events[0];
        assert_eq!(love.actor, "alice");
        assert_eq!(love.kind, ActivityKind::LoveProject);
        assert_eq!(love.targets.len(), 1);
        assert_eq!(love.targets[0].kind, TargetKind::Project);
        assert_eq!(love.targets[0].name, "My Game");
        assert_eq!(love.time_text, "2 days, 3 hours ago");
        assert_eq!(love.ago, Some(Duration::from_secs(2 * 86_400 + 3 * 3_600)));
        let add = &events[1];
        assert_eq!(add.kind, ActivityKind::AddProjectToStudio);
        assert_eq!(add.targets[1].kind, TargetKind::Studio);
        assert_eq!(add.targets[1].id, Some(5342));
        let follow = &events[2];
        assert_eq!(follow.kind, ActivityKind::FollowUser);
        assert_eq!(follow.targets[0].kind, TargetKind::User);
        assert_eq!(follow.ago, Some(Duration::from_secs(90 * 86_400)));
        assert_eq!(
            events[3].kind,
            ActivityKind::Other("did something new".into())
        );
        assert_eq!(events[3].ago, None);
    }

    #[test]
    fn empty_and_broken() {
        assert!(parse_user_activity("", &url()).unwrap().is_empty());
        assert!(matches!(
            parse_user_activity("<li>no div</li>", &url()),
            Err(Error::Scrape { .. })
        ));
        assert!(matches!(
            parse_user_activity("<li><div>no span</div></li>", &url()),
            Err(Error::Scrape {
                what: "span.actor",
                ..
            })
        ));
    }

    #[test]
    fn relative_times() {
        assert_eq!(
            parse_relative_time("1 year, 2 months ago"),
            Some(Duration::from_secs(365 * 86_400 + 60 * 86_400))
        );
        assert_eq!(parse_relative_time(""), None);
        assert_eq!(parse_relative_time("99999999999999999999 years ago"), None);
        assert_eq!(parse_relative_time("5 fortnights ago"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_user_activity(&s, &url());
            let _ = parse_relative_time(&s);
        }

        #[test]
        fn never_panics_on_activity_like_markup(s in "(<li>|<div>|<span class=\"actor\">|</span>|loved |<a href=\"/projects/[0-9]{0,3}/\">|</a>|<span class=\"time\">|[0-9] days?|, |&nbsp;|</div>|</li>){0,25}") {
            let _ = parse_user_activity(&s, &url());
        }
    }
}
