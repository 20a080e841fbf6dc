//! [`Explore`] and [`Search`]: the site's explore pages and search.

use scratchkit_model::{ExploreMode, Project, Studio};

use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::list::{ListRequest, Offset, Source};
use crate::request::RequestSpec;
use crate::validate;

/// The explore pages, from [`Client::explore`].
#[derive(Debug, Clone)]
pub struct Explore {
    client: Client,
}

impl Explore {
    /// A handler sending with `client` (see the constructor on [`Client`]).
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Projects of the explore page.
    ///
    /// `GET https://api.scratch.mit.edu/explore/projects?q=&mode=[&language=]&offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit or an empty language
    /// ([`Error::InvalidInput`](crate::Error::InvalidInput)), else any request
    /// [`Error`](crate::Error).
    pub fn projects(&self) -> ExploreRequest<Project> {
        explore_list(self.client.clone(), "/explore/projects", None)
    }

    /// Studios of the explore page.
    ///
    /// `GET https://api.scratch.mit.edu/explore/studios?q=&mode=[&language=]&offset=&limit=`
    ///
    /// # Errors
    /// As [`projects`](Explore::projects).
    pub fn studios(&self) -> ExploreRequest<Studio> {
        explore_list(self.client.clone(), "/explore/studios", None)
    }
}

/// A search, from [`Client::search`].
#[derive(Debug, Clone)]
pub struct Search {
    client: Client,
    query: String,
}

impl Search {
    /// A handler sending with `client` (see the constructor on [`Client`]).
    pub(crate) fn new(client: Client, query: String) -> Self {
        Self { client, query }
    }

    /// The text searched for.
    pub fn text(&self) -> &str {
        &self.query
    }

    /// Projects matching the search.
    ///
    /// `GET https://api.scratch.mit.edu/search/projects?q=&mode=[&language=]&offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: an empty query, a bad limit or an empty language
    /// ([`Error::InvalidInput`](crate::Error::InvalidInput)), else any request
    /// [`Error`](crate::Error).
    pub fn projects(&self) -> ExploreRequest<Project> {
        explore_list(
            self.client.clone(),
            "/search/projects",
            Some(self.query.clone()),
        )
    }

    /// Studios matching the search.
    ///
    /// `GET https://api.scratch.mit.edu/search/studios?q=&mode=[&language=]&offset=&limit=`
    ///
    /// # Errors
    /// As [`projects`](Search::projects).
    pub fn studios(&self) -> ExploreRequest<Studio> {
        explore_list(
            self.client.clone(),
            "/search/studios",
            Some(self.query.clone()),
        )
    }
}

/// An explore or search list: a [`ListRequest`] with the options of [`ExploreQuery`]:
/// [`mode`](ListRequest::mode) (default trending), [`query`](ListRequest::query) and
/// [`language`](ListRequest::language) (default: none sent, the server decides). Nothing is
/// sent until it is awaited or streamed.
pub type ExploreRequest<T> = ListRequest<T, ExploreQuery>;

/// The query parameters of an explore or search list (`q`, `mode`, `language`), set with the
/// builder methods of [`ExploreRequest`].
///
/// ```no_run
/// # async fn demo() -> scratchkit::Result<()> {
/// use scratchkit::model::ExploreMode;
///
/// // GET https://api.scratch.mit.edu/search/projects?q=cats&mode=popular&language=en&offset=0&limit=40
/// let cats = scratchkit::Client::new()
///     .search("cats")
///     .projects()
///     .mode(ExploreMode::Popular)
///     .language("en")
///     .limit(40)
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ExploreQuery {
    /// `Some` for a search (the text, required), `None` for explore (a tag, `*` when unset).
    search: Option<String>,
    tag: Option<String>,
    mode: ExploreMode,
    language: Option<String>,
}

impl ExploreQuery {
    /// Adds `q`, `mode` and `language` to `spec`.
    fn apply(&self, spec: RequestSpec) -> Result<RequestSpec> {
        let q = match &self.search {
            Some(text) => validate::not_blank("search query", text)?,
            None => match self.tag.as_deref().map(str::trim) {
                Some(tag) if !tag.is_empty() => tag,
                _ => "*",
            },
        };
        let mut spec = spec.query("q", q).query("mode", self.mode.as_str());
        if let Some(language) = &self.language {
            spec = spec.query(
                "language",
                validate::not_blank("language", language)?.trim(),
            );
        }
        Ok(spec)
    }
}

/// An explore (`search: None`) or search list of `path`.
fn explore_list<T>(
    client: Client,
    path: &'static str,
    search: Option<String>,
) -> ExploreRequest<T> {
    let options = ExploreQuery {
        search,
        tag: None,
        mode: ExploreMode::Trending,
        language: None,
    };
    let spec = RequestSpec::get(Host::Api, path);
    ListRequest::with_options(
        client,
        Source::Offset(Offset::Ready(Ok(spec))),
        options,
        ExploreQuery::apply,
    )
}

impl<T> ListRequest<T, ExploreQuery> {
    /// The sort order (`mode`): trending (default), popular or recent.
    pub fn mode(mut self, mode: ExploreMode) -> Self {
        self.options_mut().mode = mode;
        self
    }

    /// Explore: only projects or studios with this tag (`q`; `*`, all, when unset or empty).
    /// Search: replaces the text searched for.
    pub fn query(mut self, query: impl Into<String>) -> Self {
        let query = query.into();
        let options = self.options_mut();
        match &mut options.search {
            Some(text) => *text = query,
            None => options.tag = Some(query),
        }
        self
    }

    /// Only results in this language (`language`), such as `en`, `de` or `pt-br`. Without
    /// this call no `language` is sent and the server applies its default (the site itself
    /// sends the reader's language). An empty code is an
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when awaited.
    pub fn language(mut self, code: impl Into<String>) -> Self {
        self.options_mut().language = Some(code.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::test_support::{clients, get_url};

    fn url(req: Result<crate::transport::Outgoing>) -> String {
        get_url(&req.unwrap())
    }

    #[test]
    fn explore_requests() {
        for (client, api, _) in clients() {
            let e = client.explore();
            assert_eq!(
                url(e.projects().build()),
                format!("{api}/explore/projects?q=*&mode=trending&offset=0&limit=20")
            );
            assert_eq!(
                url(e
                    .studios()
                    .mode(ExploreMode::Recent)
                    .query("music & art")
                    .language("pt-br")
                    .limit(40)
                    .offset(40)
                    .build()),
                format!(
                    "{api}/explore/studios?q=music+%26+art&mode=recent&language=pt-br&offset=40&limit=40"
                )
            );
            assert_eq!(
                url(e.projects().query("  ").mode(ExploreMode::Popular).build()),
                format!("{api}/explore/projects?q=*&mode=popular&offset=0&limit=20")
            );
        }
    }

    #[test]
    fn search_requests_encode_the_query() {
        for (client, api, _) in clients() {
            let s = client.search("a&b#c+d é/?");
            assert_eq!(s.text(), "a&b#c+d é/?");
            assert_eq!(
                url(s.projects().build()),
                format!(
                    "{api}/search/projects?q=a%26b%23c%2Bd+%C3%A9%2F%3F&mode=trending&offset=0&limit=20"
                )
            );
            assert_eq!(
                url(s.studios().query("cats").mode(ExploreMode::Popular).build()),
                format!("{api}/search/studios?q=cats&mode=popular&offset=0&limit=20")
            );
        }
    }

    #[test]
    fn invalid_search_and_options() {
        let client = Client::new();
        assert!(matches!(
            client.search("").projects().build(),
            Err(Error::InvalidInput {
                what: "search query",
                ..
            })
        ));
        assert!(matches!(
            client.search("ok").studios().query(" ").build(),
            Err(Error::InvalidInput {
                what: "search query",
                ..
            })
        ));
        assert!(matches!(
            client.explore().projects().language("").build(),
            Err(Error::InvalidInput {
                what: "language",
                ..
            })
        ));
        assert!(matches!(
            client.explore().projects().limit(41).build(),
            Err(Error::InvalidInput { what: "limit", .. })
        ));
    }
}
