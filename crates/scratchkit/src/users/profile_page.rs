//! The old-site profile page (`/users/<u>/`: rank, class, existence) and the count pages
//! (`/users/<u>/followers/` … "Followers (N)"), `html.md` §5–§6.1.

use scraper::Html;
use scratchkit_model::{ClassroomId, Timestamp};
use url::Url;

use super::UserHandler;
use crate::error::Result;
use crate::hosts::Host;
use crate::html::dom::{self, missing, sel};
use crate::request::RequestSpec;

/// A user's rank as the profile page shows it (`<span class="group">`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum Rank {
    /// "New Scratcher".
    NewScratcher,
    /// "Scratcher".
    Scratcher,
    /// "Scratch Team".
    ScratchTeam,
    /// Any other text (kept as shown, whitespace collapsed; e.g. a teacher account's label).
    Other(String),
}

impl Rank {
    /// The rank for the text of `span.group` (case-insensitive).
    ///
    /// ```
    /// use scratchkit::html::Rank;
    /// assert_eq!(Rank::from_text("\n  New Scratcher\n"), Rank::NewScratcher);
    /// assert_eq!(Rank::from_text("Scratch Team"), Rank::ScratchTeam);
    /// assert_eq!(Rank::from_text("Scratcher"), Rank::Scratcher);
    /// ```
    pub fn from_text(text: &str) -> Self {
        let text = dom::collapse(text);
        let lower = text.to_lowercase();
        if lower.contains("new scratcher") {
            Rank::NewScratcher
        } else if lower.contains("scratch team") {
            Rank::ScratchTeam
        } else if lower == "scratcher" {
            Rank::Scratcher
        } else {
            Rank::Other(text)
        }
    }
}

/// The class a student account belongs to (`Student of: <name>` on the profile page).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StudentClass {
    /// The class id (`/classes/<id>/`).
    pub id: ClassroomId,
    /// The class name.
    pub name: String,
    /// Whether the class has ended (`(ended)` after the name).
    pub ended: bool,
}

/// What the old-site profile page tells that the API does not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProfilePage {
    /// The username in the page heading (the site's capitalisation), when present.
    pub username: Option<String>,
    /// New Scratcher, Scratcher or Scratch Team.
    pub rank: Rank,
    /// The class, for a student account.
    pub class: Option<StudentClass>,
    /// The location line, when shown.
    pub location: Option<String>,
    /// The join date (`Joined <span title="YYYY-MM-DD">`), when readable.
    pub joined: Option<Timestamp>,
}

/// Parses the profile page `GET /users/<u>/`.
///
/// ```
/// use scratchkit::html::{parse_profile_page, Rank};
/// use scratchkit::Url;
///
/// let html = r#"<div class="header-text"><h2>alice</h2><p class="profile-details">
///   <span class="group">
///     New Scratcher
///   </span> Joined <span title="2020-03-25">5 years</span> ago</p></div>"#;
/// let url = Url::parse("https://scratch.mit.edu/users/alice/").unwrap();
/// let page = parse_profile_page(html, &url).unwrap();
/// assert_eq!(page.rank, Rank::NewScratcher);
/// assert_eq!(page.username.as_deref(), Some("alice"));
/// ```
///
/// # Errors
/// [`Error::Scrape`](crate::Error::Scrape) when the page has no `span.group` (not a profile
/// page).
pub fn parse_profile_page(html: &str, url: &Url) -> Result<ProfilePage> {
    let doc = Html::parse_document(html);
    // The last `span.group` is the rank (scratchattach looks at the last one too).
    let group = doc
        .select(&sel("span.group"))
        .next_back()
        .ok_or_else(|| missing("span.group", url))?;
    let rank = Rank::from_text(&group.text().collect::<String>());
    let username = doc
        .select(&sel("div.header-text h2"))
        .next()
        .map(dom::text)
        .filter(|s| !s.is_empty());
    let details = doc.select(&sel("p.profile-details")).next();
    let class = details.and_then(|p| {
        p.select(&sel("a[href]")).find_map(|a| {
            let href = a.attr("href")?;
            let id = dom::id_after(href, "/classes/")?;
            let text = dom::text(a);
            let ended = text.ends_with("(ended)");
            let name = text
                .trim_end_matches("(ended)")
                .trim()
                .trim_start_matches("Student of:")
                .trim()
                .to_owned();
            Some(StudentClass {
                id: ClassroomId(id),
                name,
                ended,
            })
        })
    });
    let location = details
        .and_then(|p| p.select(&sel("span.location")).next())
        .map(dom::text)
        .filter(|s| !s.is_empty());
    let joined = details
        .and_then(|p| p.select(&sel("span[title]")).next())
        .and_then(|s| s.attr("title"))
        .and_then(|t| {
            let t = t.trim();
            Timestamp::parse(t)
                .or_else(|_| Timestamp::parse(&format!("{t}T00:00:00")))
                .ok()
        });
    Ok(ProfilePage {
        username,
        rank,
        class,
        location,
        joined,
    })
}

/// One of the counts shown on the profile's list pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum ProfileCount {
    /// `/users/<u>/followers/`: "Followers (N)".
    Followers,
    /// `/users/<u>/following/`: "Following (N)".
    Following,
    /// `/users/<u>/favorites/`: "Favorites (N)".
    Favorites,
    /// `/users/<u>/studios/`: "Studios I Curate (N)".
    StudiosCurated,
    /// `/users/<u>/studios_following/`: "Studios I Follow (N)".
    StudiosFollowed,
    /// `/users/<u>/projects/`: "Shared Projects (N)".
    SharedProjects,
}

impl ProfileCount {
    /// Every count, in the order of [`ProfileCounts`]' fields.
    pub const ALL: [ProfileCount; 6] = [
        ProfileCount::Followers,
        ProfileCount::Following,
        ProfileCount::Favorites,
        ProfileCount::StudiosCurated,
        ProfileCount::StudiosFollowed,
        ProfileCount::SharedProjects,
    ];

    /// The last path segment of the page (`followers`, `studios_following`…).
    pub fn page(self) -> &'static str {
        match self {
            ProfileCount::Followers => "followers",
            ProfileCount::Following => "following",
            ProfileCount::Favorites => "favorites",
            ProfileCount::StudiosCurated => "studios",
            ProfileCount::StudiosFollowed => "studios_following",
            ProfileCount::SharedProjects => "projects",
        }
    }

    /// The label before `(N)` on the page (`Followers`, `Studios I Curate`…).
    pub fn label(self) -> &'static str {
        match self {
            ProfileCount::Followers => "Followers",
            ProfileCount::Following => "Following",
            ProfileCount::Favorites => "Favorites",
            ProfileCount::StudiosCurated => "Studios I Curate",
            ProfileCount::StudiosFollowed => "Studios I Follow",
            ProfileCount::SharedProjects => "Shared Projects",
        }
    }
}

/// All six counts of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProfileCounts {
    /// Followers.
    pub followers: u64,
    /// Users followed.
    pub following: u64,
    /// Favorite projects.
    pub favorites: u64,
    /// Studios curated.
    pub studios_curated: u64,
    /// Studios followed.
    pub studios_followed: u64,
    /// Shared projects.
    pub shared_projects: u64,
}

/// Parses a count page (`/users/<u>/followers/` …): the number in the first `<label> (N)` of the
/// page's text.
///
/// ```
/// use scratchkit::html::{parse_profile_count, ProfileCount};
/// use scratchkit::Url;
///
/// let html = r#"<div class="box-head"><h2><a href="/users/alice/">alice</a> &raquo;
///   Followers (1,234)</h2></div>"#;
/// let url = Url::parse("https://scratch.mit.edu/users/alice/followers/").unwrap();
/// assert_eq!(parse_profile_count(html, &url, ProfileCount::Followers).unwrap(), 1234);
/// ```
///
/// # Errors
/// [`Error::Scrape`](crate::Error::Scrape) when the label or its number is missing.
pub fn parse_profile_count(html: &str, url: &Url, kind: ProfileCount) -> Result<u64> {
    let doc = Html::parse_document(html);
    let text = dom::collapse(&doc.root_element().text().collect::<String>());
    let needle = format!("{} (", kind.label());
    let start = text
        .find(&needle)
        .map(|i| i + needle.len())
        .ok_or_else(|| missing("count label", url))?;
    let rest = &text[start..];
    let end = rest.find(')').ok_or_else(|| missing("count number", url))?;
    dom::number(&rest[..end]).ok_or_else(|| missing("count number", url))
}

impl UserHandler {
    /// The profile page: rank, class, location, join date.
    ///
    /// `GET https://scratch.mit.edu/users/<name>/`
    ///
    /// # Errors
    /// [`Error::NotFound`](crate::Error::NotFound) for an unknown user,
    /// [`Error::Scrape`](crate::Error::Scrape) for an unexpected page, or a transport error.
    pub async fn profile_page(&self) -> Result<ProfilePage> {
        let path = format!("/users/{}/", self.segment()?);
        let response = self.client.send(RequestSpec::get(Host::Site, path)).await?;
        parse_profile_page(&response.text(), &response.url)
    }

    /// Whether the account exists (its profile page answers 200, not 404).
    ///
    /// `GET https://scratch.mit.edu/users/<name>/`
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for a malformed name; any error other
    /// than a 404.
    pub async fn exists(&self) -> Result<bool> {
        let path = format!("/users/{}/", self.segment()?);
        match self.client.send(RequestSpec::get(Host::Site, path)).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// One count from the profile's list pages.
    ///
    /// `GET https://scratch.mit.edu/users/<name>/<followers|following|favorites|studios|studios_following|projects>/`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::html::ProfileCount;
    /// let n = client.user("griffpatch").count(ProfileCount::Followers).await?;
    /// println!("{n} followers");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`UserHandler::profile_page`].
    pub async fn count(&self, kind: ProfileCount) -> Result<u64> {
        let path = format!("/users/{}/{}/", self.segment()?, kind.page());
        let response = self.client.send(RequestSpec::get(Host::Site, path)).await?;
        parse_profile_count(&response.text(), &response.url, kind)
    }

    /// All six counts (six requests, one after the other).
    ///
    /// # Errors
    /// The first error of [`UserHandler::count`].
    pub async fn counts(&self) -> Result<ProfileCounts> {
        Ok(ProfileCounts {
            followers: self.count(ProfileCount::Followers).await?,
            following: self.count(ProfileCount::Following).await?,
            favorites: self.count(ProfileCount::Favorites).await?,
            studios_curated: self.count(ProfileCount::StudiosCurated).await?,
            studios_followed: self.count(ProfileCount::StudiosFollowed).await?,
            shared_projects: self.count(ProfileCount::SharedProjects).await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn url() -> Url {
        Url::parse("https://scratch.mit.edu/users/alice/").unwrap()
    }

    /// html.md §5's synthetic fragment.
    const SYNTHETIC: &str = r#"<div class="header-text">
  <h2>alice</h2>
  <p class="profile-details">
    <span class="group">
      Scratcher
    </span>
    Joined <span title="2020-03-25">5 years</span> ago
    <span class="location">United States</span>
    <a href="/classes/367806/">Student of: Class 5B
      (ended)</a>
  </p>
</div>"#;

    #[test]
    fn parses_rank_class_and_details() {
        let page = parse_profile_page(SYNTHETIC, &url()).unwrap();
        assert_eq!(page.rank, Rank::Scratcher);
        assert_eq!(page.username.as_deref(), Some("alice"));
        assert_eq!(page.location.as_deref(), Some("United States"));
        assert_eq!(
            page.joined.unwrap().to_naive_string(),
            "2020-03-25T00:00:00"
        );
        let class = page.class.unwrap();
        assert_eq!(class.id, ClassroomId(367806));
        assert_eq!(class.name, "Class 5B");
        assert!(class.ended);
    }

    #[test]
    fn last_group_wins_and_missing_group_is_an_error() {
        let html = r#"<span class="group">Scratch Team</span><p><span class="group">New Scratcher</span></p>"#;
        assert_eq!(
            parse_profile_page(html, &url()).unwrap().rank,
            Rank::NewScratcher
        );
        let html = r#"<span class="group">Teacher</span>"#;
        assert_eq!(
            parse_profile_page(html, &url()).unwrap().rank,
            Rank::Other("Teacher".into())
        );
        assert!(matches!(
            parse_profile_page("<h1>Whoops!</h1>", &url()),
            Err(Error::Scrape {
                what: "span.group",
                ..
            })
        ));
    }

    #[test]
    fn parses_counts() {
        let html = "<div class=\"box-head\"><h2><a href=\"/users/alice/\">alice</a> &raquo;\n  Studios I Curate (12)</h2></div>";
        assert_eq!(
            parse_profile_count(html, &url(), ProfileCount::StudiosCurated).unwrap(),
            12
        );
        assert!(parse_profile_count(html, &url(), ProfileCount::Followers).is_err());
        let html = "<h2>Followers (many)</h2>";
        assert!(parse_profile_count(html, &url(), ProfileCount::Followers).is_err());
        let html = "<h2>Followers (";
        assert!(parse_profile_count(html, &url(), ProfileCount::Followers).is_err());
        for kind in ProfileCount::ALL {
            let html = format!("<h2>x &raquo; {} (7)</h2>", kind.label());
            assert_eq!(parse_profile_count(&html, &url(), kind).unwrap(), 7);
            assert!(!kind.page().is_empty());
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = parse_profile_page(&s, &url());
            let _ = parse_profile_count(&s, &url(), ProfileCount::Followers);
        }

        #[test]
        fn never_panics_on_profile_like_markup(s in "(<span class=\"group\">|<p class=\"profile-details\">|<a href=\"/classes/[0-9]{0,4}/\">|Student of:|\\(ended\\)|Followers \\(|[0-9]{1,3}|\\)|</a>|</span>|</p>){0,20}") {
            let _ = parse_profile_page(&s, &url());
            let _ = parse_profile_count(&s, &url(), ProfileCount::Followers);
        }
    }
}
