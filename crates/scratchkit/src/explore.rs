//! [`Explore`] and [`Search`]: the site's explore pages and search.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use futures_util::Stream;
use futures_util::future::BoxFuture;
use scratchkit_model::{ExploreMode, Project, Studio};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::list::ListRequest;
use crate::page::{Page, PageRequest};
use crate::request::RequestSpec;
use crate::validate;

impl Client {
    /// The explore pages: trending, popular or recent projects and studios, optionally by tag.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// use scratchkit::model::ExploreMode;
    ///
    /// let client = scratchkit::Client::new();
    /// // GET https://api.scratch.mit.edu/explore/projects?q=games&mode=popular&offset=0&limit=20
    /// let page = client.explore().projects().mode(ExploreMode::Popular).query("games").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn explore(&self) -> Explore {
        Explore {
            client: self.clone(),
        }
    }

    /// A search for `query` among projects or studios. An empty query is an
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when awaited.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// // GET https://api.scratch.mit.edu/search/projects?q=cat+%26+mouse&mode=trending&offset=0&limit=20
    /// for project in client.search("cat & mouse").projects().await? {
    ///     println!("{} {}", project.id, project.title);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn search(&self, query: impl Into<String>) -> Search {
        Search {
            client: self.clone(),
            query: query.into(),
        }
    }
}

/// The explore pages, from [`Client::explore`].
#[derive(Debug, Clone)]
pub struct Explore {
    client: Client,
}

impl Explore {
    /// Projects of the explore page.
    ///
    /// `GET https://api.scratch.mit.edu/explore/projects?q=&mode=[&language=]&offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit or an empty language
    /// ([`Error::InvalidInput`](crate::Error::InvalidInput)), else any request
    /// [`Error`](crate::Error).
    pub fn projects(&self) -> ExploreRequest<Project> {
        ExploreRequest::new(self.client.clone(), "/explore/projects", None)
    }

    /// Studios of the explore page.
    ///
    /// `GET https://api.scratch.mit.edu/explore/studios?q=&mode=[&language=]&offset=&limit=`
    ///
    /// # Errors
    /// As [`projects`](Explore::projects).
    pub fn studios(&self) -> ExploreRequest<Studio> {
        ExploreRequest::new(self.client.clone(), "/explore/studios", None)
    }
}

/// A search, from [`Client::search`].
#[derive(Debug, Clone)]
pub struct Search {
    client: Client,
    query: String,
}

impl Search {
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
        ExploreRequest::new(
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
        ExploreRequest::new(
            self.client.clone(),
            "/search/studios",
            Some(self.query.clone()),
        )
    }
}

/// An explore or search list: [`mode`](ExploreRequest::mode) (default trending),
/// [`query`](ExploreRequest::query), [`language`](ExploreRequest::language) (default: none
/// sent, the server decides) and the options of a [`ListRequest`]. Nothing is sent until it is
/// awaited or streamed.
#[must_use = "a list request does nothing until it is awaited or streamed"]
pub struct ExploreRequest<T> {
    client: Client,
    path: &'static str,
    /// `Some` for a search (the text, required), `None` for explore (a tag, `*` when unset).
    search: Option<String>,
    tag: Option<String>,
    mode: ExploreMode,
    language: Option<String>,
    page: PageRequest,
    _item: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for ExploreRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExploreRequest")
            .field("path", &self.path)
            .field("search", &self.search)
            .field("tag", &self.tag)
            .field("mode", &self.mode)
            .field("language", &self.language)
            .field("page", &self.page)
            .finish_non_exhaustive()
    }
}

impl<T> ExploreRequest<T> {
    fn new(client: Client, path: &'static str, search: Option<String>) -> Self {
        Self {
            client,
            path,
            search,
            tag: None,
            mode: ExploreMode::Trending,
            language: None,
            page: PageRequest::new(),
            _item: PhantomData,
        }
    }

    /// The sort order (`mode`): trending (default), popular or recent.
    pub fn mode(mut self, mode: ExploreMode) -> Self {
        self.mode = mode;
        self
    }

    /// Explore: only projects or studios with this tag (`q`; `*`, all, when unset or empty).
    /// Search: replaces the text searched for.
    pub fn query(mut self, query: impl Into<String>) -> Self {
        let query = query.into();
        match &mut self.search {
            Some(text) => *text = query,
            None => self.tag = Some(query),
        }
        self
    }

    /// Only results in this language (`language`), such as `en`, `de` or `pt-br`. Without
    /// this call no `language` is sent and the server applies its default (the site itself
    /// sends the reader's language). An empty code is an
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when awaited.
    pub fn language(mut self, code: impl Into<String>) -> Self {
        self.language = Some(code.into());
        self
    }

    /// Items per page: 1 to 40 (default 20); checked when awaited.
    pub fn limit(mut self, n: u32) -> Self {
        self.page = self.page.limit(n);
        self
    }

    /// Where to start in the list.
    pub fn offset(mut self, n: u32) -> Self {
        self.page = self.page.offset(n);
        self
    }

    /// At most how many items [`stream`](ExploreRequest::stream) yields.
    pub fn max(mut self, n: usize) -> Self {
        self.page = self.page.max(n);
        self
    }

    fn spec(&self) -> Result<RequestSpec> {
        let q = match &self.search {
            Some(text) => validate::not_blank("search query", text)?,
            None => match self.tag.as_deref().map(str::trim) {
                Some(tag) if !tag.is_empty() => tag,
                _ => "*",
            },
        };
        let mut spec = RequestSpec::get(Host::Api, self.path)
            .query("q", q)
            .query("mode", self.mode.as_str());
        if let Some(language) = &self.language {
            spec = spec.query(
                "language",
                validate::not_blank("language", language)?.trim(),
            );
        }
        Ok(spec)
    }

    fn into_list(self) -> ListRequest<T> {
        let spec = self.spec();
        let mut list = ListRequest::ready(self.client, spec)
            .limit(self.page.get_limit())
            .offset(self.page.get_offset());
        if let Some(max) = self.page.get_max() {
            list = list.max(max);
        }
        list
    }
}

impl<T> ExploreRequest<T>
where
    T: DeserializeOwned + Send + 'static,
{
    /// Every result, 40 per request, at most [`max`](ExploreRequest::max); see
    /// [`ListRequest::stream`].
    pub fn stream(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        self.into_list().stream()
    }

    #[cfg(test)]
    pub(crate) fn build(self) -> Result<crate::transport::Outgoing> {
        self.into_list().build()
    }
}

impl<T> IntoFuture for ExploreRequest<T>
where
    T: DeserializeOwned + Send + 'static,
{
    type Output = Result<Page<T>>;
    type IntoFuture = BoxFuture<'static, Result<Page<T>>>;

    fn into_future(self) -> Self::IntoFuture {
        self.into_list().into_future()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::hosts::Hosts;
    use http::Method;

    fn clients() -> [(Client, &'static str); 2] {
        [
            (Client::new(), "https://api.scratch.mit.edu"),
            (
                Client::builder()
                    .hosts(Hosts::sandbox("127.0.0.1:4000".parse().unwrap()))
                    .build()
                    .unwrap(),
                "http://127.0.0.1:4000/api",
            ),
        ]
    }

    fn url(req: Result<crate::transport::Outgoing>) -> String {
        let req = req.unwrap();
        assert_eq!(req.method(), Method::GET);
        req.url().to_string()
    }

    #[test]
    fn explore_requests() {
        for (client, api) in clients() {
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
        for (client, api) in clients() {
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
