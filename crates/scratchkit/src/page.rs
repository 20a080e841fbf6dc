//! Lists: one [`Page`] at a time, or a stream of every item.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::Stream;
use futures_util::stream;

use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::RequestSpec;

/// The most items Scratch's API returns per request.
pub const MAX_LIMIT: u32 = scratchkit_wire::limits::PAGE_MAX_LIMIT;

/// The number of items per page when none is asked for.
pub const DEFAULT_LIMIT: u32 = scratchkit_wire::limits::PAGE_DEFAULT_LIMIT;

/// One page of a list.
///
/// Scratch gives no total count and no "next" link: a page shorter than its `limit` is the last
/// one ([`Page::is_last`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The position of the first item in the whole list.
    pub offset: u32,
    /// The page size asked for.
    pub limit: u32,
}

impl<T> Page<T> {
    /// Whether no items follow this page (it is shorter than its limit).
    ///
    /// ```
    /// use scratchkit::Page;
    ///
    /// let page = Page { items: vec![1, 2], offset: 40, limit: 20 };
    /// assert!(page.is_last());
    /// assert_eq!(page.next_offset(), 42);
    /// ```
    pub fn is_last(&self) -> bool {
        self.items.len() < self.limit as usize
    }

    /// The offset of the page after this one.
    pub fn next_offset(&self) -> u32 {
        let len = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
        self.offset.saturating_add(len)
    }

    /// The number of items on this page.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether this page has no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Which part of a list to fetch: `limit` items (1 to 40, default 20) from `offset` (default 0)
/// for one page; for a stream, where to start and at most how many items (`max`) in all.
///
/// The limit is checked when the request is made, before anything is sent.
///
/// ```
/// use scratchkit::PageRequest;
///
/// let req = PageRequest::new().limit(40).offset(80).max(100);
/// assert_eq!(req.checked_limit().unwrap(), 40);
/// assert_eq!((req.offset, req.max), (80, Some(100)));
/// assert!(PageRequest::new().limit(41).checked_limit().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// The page size asked for (checked by [`checked_limit`](PageRequest::checked_limit)).
    pub limit: u32,
    /// Where to start in the list.
    pub offset: u32,
    /// The cap on a stream's items, if any.
    pub max: Option<usize>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: DEFAULT_LIMIT,
            offset: 0,
            max: None,
        }
    }
}

impl PageRequest {
    /// The first 20 items.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many items per page (1 to 40).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }

    /// Where to start in the list.
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = offset;
        self
    }

    /// At most how many items a stream yields in all.
    pub fn max(mut self, max: usize) -> Self {
        self.max = Some(max);
        self
    }

    /// The page size, checked.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the limit is not within 1 to 40.
    pub fn checked_limit(&self) -> Result<u32> {
        check_limit(self.limit)
    }
}

/// Checks a page size against Scratch's 1 to 40.
///
/// # Errors
/// [`Error::InvalidInput`] with `what: "limit"` when out of range.
pub(crate) fn check_limit(limit: u32) -> Result<u32> {
    if (1..=MAX_LIMIT).contains(&limit) {
        Ok(limit)
    } else {
        Err(Error::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}, not {limit}"),
        ))
    }
}

/// Fetches one page: `fetch(offset, limit)` after checking the limit.
///
/// # Errors
/// [`Error::InvalidInput`] for a bad limit (nothing is sent), else whatever `fetch` returns.
pub(crate) async fn fetch_page<T, F, Fut>(request: PageRequest, fetch: F) -> Result<Page<T>>
where
    F: FnOnce(u32, u32) -> Fut,
    Fut: Future<Output = Result<Vec<T>>>,
{
    let limit = request.checked_limit()?;
    let items = fetch(request.offset, limit).await?;
    Ok(Page {
        items,
        offset: request.offset,
        limit,
    })
}

// Shortcuts for `?offset=&limit=` JSON lists, for [`ListRequest`](crate::ListRequest).
impl Client {
    /// One page of `spec`'s list: `spec` with `offset` and `limit` added, decoded as a JSON array.
    pub(crate) async fn get_list<T: DeserializeOwned>(
        &self,
        spec: RequestSpec,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<T>> {
        self.send_json(spec.query("offset", offset).query("limit", limit))
            .await
    }

    /// One [`Page`] of `spec`'s list as `request` says (limit checked before sending).
    pub(crate) async fn list_page<T: DeserializeOwned>(
        &self,
        spec: RequestSpec,
        request: PageRequest,
    ) -> Result<Page<T>> {
        fetch_page(request, |offset, limit| self.get_list(spec, offset, limit)).await
    }
}

/// The state of [`paginate_with`]: the request to make next (`None`: the list has ended), how
/// many items may still be yielded, and the items fetched but not yet yielded.
struct PaginateState<T, C, F> {
    fetch: F,
    next: Option<C>,
    remaining: Option<usize>,
    buffer: VecDeque<T>,
}

/// The one paginator: every item of a list fetched request after request, at most `max` in all.
///
/// `fetch(cursor, remaining)` gets the items at `cursor` and the cursor of the next request
/// (`None` when the list ends there); `remaining` is how many items may still be yielded. The
/// stream ends when a fetch answers no next cursor, after `max` items, or after yielding an
/// error.
fn paginate_with<T, C, F, Fut>(
    fetch: F,
    start: C,
    max: Option<usize>,
) -> impl Stream<Item = Result<T>> + Send
where
    T: Send,
    C: Send,
    F: FnMut(C, Option<usize>) -> Fut + Send,
    Fut: Future<Output = Result<(Vec<T>, Option<C>)>> + Send,
{
    let state = PaginateState {
        fetch,
        next: Some(start),
        remaining: max,
        buffer: VecDeque::new(),
    };
    stream::unfold(state, |mut st| async move {
        loop {
            if st.remaining == Some(0) {
                return None;
            }
            if let Some(item) = st.buffer.pop_front() {
                if let Some(left) = st.remaining.as_mut() {
                    *left -= 1;
                }
                return Some((Ok(item), st));
            }
            let cursor = st.next.take()?;
            match (st.fetch)(cursor, st.remaining).await {
                Ok((items, next)) => {
                    st.next = next;
                    st.buffer.extend(items);
                }
                // `next` is already `None`: the error is the last item.
                Err(e) => return Some((Err(e), st)),
            }
        }
    })
}

/// Every item of an `?offset=&limit=` list, from `start_offset`, at most `max` in all.
///
/// `fetch(offset, limit)` gets one page; 40 items are asked for per request (fewer when `max`
/// needs fewer). The stream ends after a short or empty page, after `max` items, or after
/// yielding an error.
pub(crate) fn paginate<T, F, Fut>(
    mut fetch: F,
    start_offset: u32,
    max: Option<usize>,
) -> impl Stream<Item = Result<T>> + Send
where
    T: Send,
    F: FnMut(u32, u32) -> Fut + Send,
    Fut: Future<Output = Result<Vec<T>>> + Send,
{
    let next_page = move |offset: u32, remaining: Option<usize>| {
        let limit = remaining.map_or(MAX_LIMIT, |left| {
            u32::try_from(left).unwrap_or(MAX_LIMIT).min(MAX_LIMIT)
        });
        let page = fetch(offset, limit);
        async move {
            let items = page.await?;
            let len = u32::try_from(items.len()).unwrap_or(u32::MAX);
            let next = if len < limit {
                None
            } else {
                offset.checked_add(len)
            };
            Ok((items, next))
        }
    };
    paginate_with(next_page, start_offset, max)
}

/// Every item of an old-site `?page=N` list (1-based), from page `start_page`, at most `max`
/// in all.
///
/// `fetch(page)` gets one page. The stream ends after an empty page, a page shorter than
/// `page_size` (when known: 40 for site-api lists, 25 topics or 20 posts on the forums), a
/// [`Error::NotFound`] (the site's answer past the last page: the end, not an error), after
/// `max` items, or after yielding any other error.
#[cfg(feature = "html")]
pub(crate) fn paginate_pages<T, F, Fut>(
    mut fetch: F,
    start_page: u32,
    page_size: Option<usize>,
    max: Option<usize>,
) -> impl Stream<Item = Result<T>> + Send
where
    T: Send,
    F: FnMut(u32) -> Fut + Send,
    Fut: Future<Output = Result<Vec<T>>> + Send,
{
    let next_page = move |page: u32, _remaining: Option<usize>| {
        let items = fetch(page);
        async move {
            match items.await {
                Ok(items) => {
                    let short = page_size.is_some_and(|size| items.len() < size);
                    let next = if items.is_empty() || short {
                        None
                    } else {
                        page.checked_add(1)
                    };
                    Ok((items, next))
                }
                Err(e) if e.is_not_found() => Ok((Vec::new(), None)),
                Err(e) => Err(e),
            }
        }
    };
    paginate_with(next_page, start_page.max(1), max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::{Arc, Mutex};

    fn assert_send<S: Send>(s: S) -> S {
        s
    }

    /// A list of `total` numbers served `?offset=&limit=`-style, recording each call.
    fn list(
        total: u32,
        calls: Arc<Mutex<Vec<(u32, u32)>>>,
    ) -> impl FnMut(u32, u32) -> std::future::Ready<Result<Vec<u32>>> + Send {
        move |offset, limit| {
            calls.lock().unwrap().push((offset, limit));
            let end = offset.saturating_add(limit).min(total);
            std::future::ready(Ok((offset.min(end)..end).collect()))
        }
    }

    #[test]
    fn limits_are_validated() {
        assert_eq!(check_limit(1).unwrap(), 1);
        assert_eq!(check_limit(40).unwrap(), 40);
        assert!(matches!(
            check_limit(0),
            Err(Error::InvalidInput { what: "limit", .. })
        ));
        assert!(check_limit(41).is_err());
        assert_eq!(PageRequest::new().checked_limit().unwrap(), 20);
        let r = PageRequest::new().limit(7).offset(3).max(9);
        assert_eq!((r.limit, r.offset, r.max), (7, 3, Some(9)));
    }

    #[tokio::test]
    async fn fetch_page_checks_the_limit_before_fetching() {
        let called = Arc::new(Mutex::new(false));
        let c = Arc::clone(&called);
        let r: Result<Page<u32>> = fetch_page(PageRequest::new().limit(50), |_, _| {
            *c.lock().unwrap() = true;
            std::future::ready(Ok(vec![]))
        })
        .await;
        assert!(r.is_err());
        assert!(!*called.lock().unwrap());

        let calls = Arc::new(Mutex::new(Vec::new()));
        let page = fetch_page(
            PageRequest::new().limit(5).offset(8),
            list(10, calls.clone()),
        )
        .await
        .unwrap();
        assert_eq!(page.items, vec![8, 9]);
        assert!(page.is_last());
        assert_eq!(page.next_offset(), 10);
        assert_eq!(*calls.lock().unwrap(), vec![(8, 5)]);
    }

    #[tokio::test]
    async fn stream_reads_every_page_and_stops_on_a_short_one() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<u32> = assert_send(paginate(list(95, calls.clone()), 0, None))
            .map(|r| r.unwrap())
            .collect()
            .await;
        assert_eq!(items, (0..95).collect::<Vec<_>>());
        assert_eq!(*calls.lock().unwrap(), vec![(0, 40), (40, 40), (80, 40)]);
    }

    #[tokio::test]
    async fn stream_with_exact_multiple_needs_one_empty_page() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<_> = paginate(list(80, calls.clone()), 0, None).collect().await;
        assert_eq!(items.len(), 80);
        assert_eq!(calls.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn stream_respects_start_and_max() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<u32> = paginate(list(1000, calls.clone()), 10, Some(50))
            .map(|r| r.unwrap())
            .collect()
            .await;
        assert_eq!(items, (10..60).collect::<Vec<_>>());
        // The second request asks only for what is still needed.
        assert_eq!(*calls.lock().unwrap(), vec![(10, 40), (50, 10)]);

        let calls = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<_> = paginate(list(1000, calls.clone()), 0, Some(0))
            .collect()
            .await;
        assert!(items.is_empty());
        assert!(calls.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn stream_ends_after_yielding_an_error() {
        let mut n = 0;
        let fetch = move |offset: u32, limit: u32| {
            n += 1;
            let r = if n == 1 {
                Ok((offset..offset + limit).collect())
            } else {
                Err(Error::Server {
                    status: http::StatusCode::INTERNAL_SERVER_ERROR,
                    url: "u".into(),
                    snippet: String::new(),
                })
            };
            std::future::ready(r)
        };
        let items: Vec<Result<u32>> = paginate(fetch, 0, None).collect().await;
        assert_eq!(items.len(), 41);
        assert!(items[..40].iter().all(|r| r.is_ok()));
        assert!(matches!(
            items[40],
            Err(Error::Server {
                status: http::StatusCode::INTERNAL_SERVER_ERROR,
                ..
            })
        ));
    }

    #[cfg(feature = "html")]
    #[tokio::test]
    async fn page_numbers_end_on_not_found() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let c = calls.clone();
        let fetch = move |page: u32| {
            c.lock().unwrap().push(page);
            let r = if page <= 2 {
                Ok(vec![page * 10, page * 10 + 1])
            } else {
                Err(Error::NotFound { url: "u".into() })
            };
            std::future::ready(r)
        };
        let items: Vec<u32> = assert_send(paginate_pages(fetch, 1, None, None))
            .map(|r| r.unwrap())
            .collect()
            .await;
        assert_eq!(items, vec![10, 11, 20, 21]);
        assert_eq!(*calls.lock().unwrap(), vec![1, 2, 3]);
    }

    #[cfg(feature = "html")]
    #[tokio::test]
    async fn page_numbers_end_on_a_short_page_and_respect_max() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let c = calls.clone();
        let fetch = move |page: u32| {
            c.lock().unwrap().push(page);
            let n = if page < 3 { 3 } else { 1 };
            std::future::ready(Ok::<_, Error>(vec![page; n]))
        };
        let items: Vec<u32> = paginate_pages(fetch, 1, Some(3), None)
            .map(|r| r.unwrap())
            .collect()
            .await;
        assert_eq!(items, vec![1, 1, 1, 2, 2, 2, 3]);
        assert_eq!(*calls.lock().unwrap(), vec![1, 2, 3]);

        let fetch = |page: u32| std::future::ready(Ok::<_, Error>(vec![page; 40]));
        let items: Vec<_> = paginate_pages(fetch, 0, Some(40), Some(45)).collect().await;
        assert_eq!(items.len(), 45);
        assert!(matches!(items[44], Ok(2)));
    }

    #[cfg(feature = "html")]
    #[tokio::test]
    async fn page_numbers_yield_other_errors() {
        let fetch = |_page: u32| {
            std::future::ready(Err::<Vec<u32>, _>(Error::Forbidden {
                url: "u".into(),
                code: None,
                snippet: String::new(),
            }))
        };
        let items: Vec<_> = paginate_pages(fetch, 1, None, None).collect().await;
        assert_eq!(items.len(), 1);
        assert!(matches!(items[0], Err(Error::Forbidden { .. })));
    }

    /// Serves the numbers `0..total` as an `?offset=&limit=` JSON list.
    struct NumberList {
        total: u32,
    }

    impl wiremock::Respond for NumberList {
        fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
            let param = |name: &str| {
                request
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == name)
                    .and_then(|(_, v)| v.parse::<u32>().ok())
            };
            let offset = param("offset").unwrap_or(0);
            let limit = param("limit").unwrap_or(20);
            if limit > 40 {
                return wiremock::ResponseTemplate::new(400);
            }
            let end = offset.saturating_add(limit).min(self.total);
            let items: Vec<u32> = (offset.min(end)..end).collect();
            wiremock::ResponseTemplate::new(200).set_body_json(items)
        }
    }

    async fn number_server(total: u32) -> (wiremock::MockServer, Client) {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::path("/api/numbers"))
            .and(wiremock::matchers::query_param("mode", "all"))
            .respond_with(NumberList { total })
            .mount(&server)
            .await;
        let hosts = crate::Hosts::sandbox_url(url::Url::parse(&server.uri()).unwrap());
        let client = Client::builder().hosts(hosts).build().unwrap();
        (server, client)
    }

    fn numbers() -> RequestSpec {
        RequestSpec::get(crate::Host::Api, "/numbers").query("mode", "all")
    }

    #[tokio::test]
    async fn list_helpers_over_http() {
        let (server, client) = number_server(95).await;
        let page: Page<u32> = client
            .list_page(numbers(), PageRequest::new().offset(90).limit(10))
            .await
            .unwrap();
        assert_eq!(page.items, vec![90, 91, 92, 93, 94]);
        assert!(page.is_last());

        let err = client
            .list_page::<u32>(numbers(), PageRequest::new().limit(41))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput { what: "limit", .. }));
        assert_eq!(server.received_requests().await.unwrap().len(), 1);

        let list = crate::ListRequest::<u32>::ready(client.clone(), Ok(numbers()));
        let stream = assert_send(list.stream());
        let all: Vec<u32> = stream.map(|r| r.unwrap()).collect().await;
        assert_eq!(all, (0..95).collect::<Vec<_>>());
        // 1 page request + 3 stream requests of 40.
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 4);
        assert_eq!(received[3].url.query(), Some("mode=all&offset=80&limit=40"));

        let some: Vec<u32> = crate::ListRequest::<u32>::ready(client.clone(), Ok(numbers()))
            .offset(5)
            .max(3)
            .stream()
            .map(|r| r.unwrap())
            .collect()
            .await;
        assert_eq!(some, vec![5, 6, 7]);
    }
}
