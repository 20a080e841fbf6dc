//! [`ListRequest`]: the builder every list of the API returns.

use std::fmt;
use std::future::IntoFuture;

use futures_util::future::{BoxFuture, Either};
use futures_util::stream::BoxStream;
use futures_util::{FutureExt, Stream, StreamExt, TryStreamExt, stream};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Result;
use crate::page::{Page, PageRequest, paginate};
use crate::request::RequestSpec;

/// Produces the request of a list once something needs it (for lists whose path needs a lookup,
/// such as project comments without a known author).
pub(crate) type Resolve = Box<dyn FnOnce() -> BoxFuture<'static, Result<RequestSpec>> + Send>;

/// Produces every item of a list that is not an `?offset=&limit=` API list (the old site's
/// `?page=N` HTML pages), from the first item on.
pub(crate) type Items<T> = Box<dyn FnOnce() -> BoxStream<'static, Result<T>> + Send>;

/// The request of an `?offset=&limit=` list.
pub(crate) enum Offset {
    /// Known now (or already known to be invalid: the error is returned when awaited).
    Ready(Result<RequestSpec>),
    /// Known after an asynchronous step.
    Lazy(Resolve),
}

impl Offset {
    async fn resolve(self) -> Result<RequestSpec> {
        match self {
            Offset::Ready(spec) => spec,
            Offset::Lazy(resolve) => resolve().await,
        }
    }
}

/// Where a list's items come from.
pub(crate) enum Source<T> {
    /// An `?offset=&limit=` list of the API.
    Offset(Offset),
    /// Any other list: its items in order; offset, limit and max are applied to the stream.
    #[cfg_attr(
        not(feature = "html"),
        expect(
            dead_code,
            reason = "only the old-site (html) lists are numbered pages"
        )
    )]
    Items(Items<T>),
}

/// The extra query parameters of a list, applied to its request when it is sent: `apply`
/// adds `options` (or returns the error of an invalid one).
type ApplyQuery<Q> = fn(&Q, RequestSpec) -> Result<RequestSpec>;

/// The options of a list that has no query parameters besides `offset` and `limit` (the
/// default `Q` of [`ListRequest`]).
///
/// ```
/// use scratchkit::{ListRequest, NoQuery, model::User};
///
/// let followers: ListRequest<User, NoQuery> = scratchkit::Client::new().user("mres").followers();
/// assert_eq!(followers.page_request().limit, 20);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoQuery;

/// One list of Scratch (`?offset=&limit=` on the API), to fetch one page or stream.
///
/// Built by the handlers ([`UserHandler::projects`](crate::UserHandler::projects),
/// [`Client::news`]…); nothing is sent until it is awaited or streamed. Lists with query
/// parameters of their own have them as builder methods: [`ExploreRequest`](crate::ExploreRequest)
/// (`mode`, `query`, `language`) and [`ActivityRequest`](crate::ActivityRequest)
/// (`date_limit`) are this type with other options `Q`.
///
/// * `.await` fetches one [`Page`]: [`limit`](ListRequest::limit) items (1 to 40, default 20)
///   from [`offset`](ListRequest::offset) (default 0).
/// * [`stream`](ListRequest::stream) yields every item from the offset on, 40 per request, up
///   to [`max`](ListRequest::max) items; a short page ends it.
///
/// Arguments are checked when the request is awaited or streamed, before anything is sent: a
/// bad username or a limit outside 1 to 40 is an [`Error::InvalidInput`](crate::Error::InvalidInput).
///
/// ```no_run
/// # async fn demo() -> scratchkit::Result<()> {
/// use futures_util::StreamExt;
///
/// let client = scratchkit::Client::new();
/// // GET https://api.scratch.mit.edu/users/griffpatch/projects?offset=0&limit=40
/// let page = client.user("griffpatch").projects().limit(40).await?;
/// println!("{} projects on the first page", page.len());
///
/// // Every follower, 40 per request, at most 100.
/// let mut followers = std::pin::pin!(client.user("griffpatch").followers().max(100).stream());
/// while let Some(user) = followers.next().await {
///     println!("{}", user?.username);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a list request does nothing until it is awaited or streamed"]
pub struct ListRequest<T, Q = NoQuery> {
    client: Client,
    source: Source<T>,
    page: PageRequest,
    options: Q,
    apply: ApplyQuery<Q>,
}

impl<T, Q: fmt::Debug> fmt::Debug for ListRequest<T, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ListRequest");
        match &self.source {
            Source::Offset(Offset::Ready(Ok(spec))) => {
                d.field("host", &spec.host).field("path", &spec.path)
            }
            Source::Offset(Offset::Ready(Err(e))) => d.field("invalid", &e.to_string()),
            Source::Offset(Offset::Lazy(_)) => d.field("path", &"(after a lookup)"),
            Source::Items(_) => d.field("path", &"(numbered pages)"),
        };
        d.field("options", &self.options)
            .field("page", &self.page)
            .finish_non_exhaustive()
    }
}

impl<T> ListRequest<T> {
    /// A list whose request is `source`.
    pub(crate) fn new(client: Client, source: Source<T>) -> Self {
        Self::with_options(client, source, NoQuery, |_, spec| Ok(spec))
    }

    /// A list whose request is known now (or is already known to be invalid).
    pub(crate) fn ready(client: Client, spec: Result<RequestSpec>) -> Self {
        Self::new(client, Source::Offset(Offset::Ready(spec)))
    }

    /// A list that is not an `?offset=&limit=` list: `items` yields all of it, in order.
    #[cfg(feature = "html")]
    pub(crate) fn items(client: Client, items: Items<T>) -> Self {
        Self::new(client, Source::Items(items))
    }
}

impl<T, Q> ListRequest<T, Q> {
    /// A list with extra query parameters: `apply(&options, spec)` adds them to the request
    /// when it is sent.
    pub(crate) fn with_options(
        client: Client,
        source: Source<T>,
        options: Q,
        apply: ApplyQuery<Q>,
    ) -> Self {
        Self {
            client,
            source,
            page: PageRequest::new(),
            options,
            apply,
        }
    }

    /// The extra options, for the builder methods of lists that have some.
    pub(crate) fn options_mut(&mut self) -> &mut Q {
        &mut self.options
    }

    /// How many items one page holds: 1 to 40 (default 20). Out of range is an
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when awaited (nothing is sent).
    /// Streams always ask for 40 per request.
    pub fn limit(mut self, n: u32) -> Self {
        self.page = self.page.limit(n);
        self
    }

    /// Where to start in the list (default 0), for a page and for a stream.
    pub fn offset(mut self, n: u32) -> Self {
        self.page = self.page.offset(n);
        self
    }

    /// At most how many items [`stream`](ListRequest::stream) yields in all (the last request
    /// asks only for what is still needed).
    pub fn max(mut self, n: usize) -> Self {
        self.page = self.page.max(n);
        self
    }

    /// The paging options set so far.
    pub fn page_request(&self) -> PageRequest {
        self.page
    }
}

impl<T, Q> ListRequest<T, Q>
where
    T: DeserializeOwned + Send + 'static,
    Q: Send + 'static,
{
    /// Every item from the [offset](ListRequest::offset) on, at most [`max`](ListRequest::max),
    /// 40 per request; the stream ends after a short page or after yielding an error (an
    /// invalid argument is its only item).
    pub fn stream(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        let Self {
            client,
            source,
            page,
            options,
            apply,
        } = self;
        let offset_source = match source {
            Source::Items(items) => {
                let skip = usize::try_from(page.offset).unwrap_or(usize::MAX);
                let max = page.max.unwrap_or(usize::MAX);
                return Either::Left(items().skip(skip).take(max));
            }
            Source::Offset(offset_source) => offset_source,
        };
        let resolved = async move {
            let spec = offset_source.resolve().await?;
            apply(&options, spec)
        };
        Either::Right(
            stream::once(resolved)
                .map(move |spec| match spec {
                    Ok(spec) => Either::Left(all_items::<T>(client.clone(), spec, page)),
                    Err(e) => Either::Right(stream::once(std::future::ready(Err(e)))),
                })
                .flatten(),
        )
    }

    /// Builds the HTTP request of the page without sending it (tests).
    #[cfg(test)]
    pub(crate) fn build(self) -> Result<crate::transport::Outgoing> {
        let spec = match self.source {
            Source::Offset(Offset::Ready(spec)) => spec?,
            _ => panic!("not a ready offset list"),
        };
        let spec = (self.apply)(&self.options, spec)?;
        let limit = self.page.checked_limit()?;
        let spec = spec.query("offset", self.page.offset).query("limit", limit);
        self.client.build_request(&spec)
    }
}

/// Every item of `spec`'s list as `page` says, 40 per request (what `Client::list_stream`
/// does, with a stream that owns its client: no borrow of a caller's `Client` is kept).
fn all_items<T>(
    client: Client,
    spec: RequestSpec,
    page: PageRequest,
) -> impl Stream<Item = Result<T>> + Send + 'static
where
    T: DeserializeOwned + Send + 'static,
{
    let fetch = move |offset, limit| {
        let client = client.clone();
        let spec = spec.clone();
        async move { client.get_list(spec, offset, limit).await }
    };
    paginate(fetch, page.offset, page.max)
}

impl<T, Q> IntoFuture for ListRequest<T, Q>
where
    T: DeserializeOwned + Send + 'static,
    Q: Send + 'static,
{
    type Output = Result<Page<T>>;
    type IntoFuture = BoxFuture<'static, Result<Page<T>>>;

    fn into_future(self) -> Self::IntoFuture {
        async move {
            // Checked first, so that a bad limit costs no lookup either.
            let limit = self.page.checked_limit()?;
            let spec = match self.source {
                Source::Items(items) => {
                    let offset = self.page.offset;
                    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
                    let items = items()
                        .skip(skip)
                        .take(limit as usize)
                        .try_collect()
                        .await?;
                    return Ok(Page {
                        items,
                        offset,
                        limit,
                    });
                }
                Source::Offset(offset_source) => offset_source.resolve().await?,
            };
            let spec = (self.apply)(&self.options, spec)?;
            self.client.list_page(spec, self.page).await
        }
        .boxed()
    }
}
