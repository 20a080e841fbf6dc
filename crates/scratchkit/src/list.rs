//! [`ListRequest`]: the builder every list of the API returns.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use futures_util::future::{BoxFuture, Either};
use futures_util::{FutureExt, Stream, StreamExt, stream};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::Result;
use crate::page::{Page, PageRequest, paginate};
use crate::request::RequestSpec;

/// Produces the request of a list once something needs it (for lists whose path needs a lookup,
/// such as project comments without a known author).
pub(crate) type Resolve = Box<dyn FnOnce() -> BoxFuture<'static, Result<RequestSpec>> + Send>;

/// Where a list's request comes from.
pub(crate) enum Source {
    /// Known now (or already known to be invalid: the error is returned when awaited).
    Ready(Result<RequestSpec>),
    /// Known after an asynchronous step.
    Lazy(Resolve),
}

impl Source {
    async fn resolve(self) -> Result<RequestSpec> {
        match self {
            Source::Ready(spec) => spec,
            Source::Lazy(resolve) => resolve().await,
        }
    }
}

/// One list of the Scratch API (`?offset=&limit=`), to fetch one page or stream.
///
/// Built by the handlers ([`UserHandler::projects`](crate::UserHandler::projects),
/// [`Client::news`]…); nothing is sent until it is awaited or streamed.
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
pub struct ListRequest<T> {
    client: Client,
    source: Source,
    page: PageRequest,
    _item: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for ListRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ListRequest");
        match &self.source {
            Source::Ready(Ok(spec)) => d.field("host", &spec.host).field("path", &spec.path),
            Source::Ready(Err(e)) => d.field("invalid", &e.to_string()),
            Source::Lazy(_) => d.field("path", &"(after a lookup)"),
        };
        d.field("page", &self.page).finish_non_exhaustive()
    }
}

impl<T> ListRequest<T> {
    /// A list whose request is `source`.
    pub(crate) fn new(client: Client, source: Source) -> Self {
        Self {
            client,
            source,
            page: PageRequest::new(),
            _item: PhantomData,
        }
    }

    /// A list whose request is known now (or is already known to be invalid).
    pub(crate) fn ready(client: Client, spec: Result<RequestSpec>) -> Self {
        Self::new(client, Source::Ready(spec))
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

impl<T> ListRequest<T>
where
    T: DeserializeOwned + Send + 'static,
{
    /// Every item from the [offset](ListRequest::offset) on, at most [`max`](ListRequest::max),
    /// 40 per request; the stream ends after a short page or after yielding an error (an
    /// invalid argument is its only item).
    pub fn stream(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        let Self {
            client,
            source,
            page,
            ..
        } = self;
        stream::once(source.resolve())
            .map(move |spec| match spec {
                Ok(spec) => Either::Left(all_items::<T>(client.clone(), spec, page)),
                Err(e) => Either::Right(stream::once(std::future::ready(Err(e)))),
            })
            .flatten()
    }

    /// Builds the HTTP request of the page without sending it (tests).
    #[cfg(test)]
    pub(crate) fn build(self) -> Result<crate::transport::Outgoing> {
        let spec = match self.source {
            Source::Ready(spec) => spec?,
            Source::Lazy(_) => panic!("a lazy list needs a lookup first"),
        };
        let limit = self.page.checked_limit()?;
        let spec = spec
            .query("offset", self.page.get_offset())
            .query("limit", limit);
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
    paginate(fetch, page.get_offset(), page.get_max())
}

impl<T> IntoFuture for ListRequest<T>
where
    T: DeserializeOwned + Send + 'static,
{
    type Output = Result<Page<T>>;
    type IntoFuture = BoxFuture<'static, Result<Page<T>>>;

    fn into_future(self) -> Self::IntoFuture {
        async move {
            // Checked first, so that a bad limit costs no lookup either.
            self.page.checked_limit()?;
            let spec = self.source.resolve().await?;
            self.client.list_page(spec, self.page).await
        }
        .boxed()
    }
}
