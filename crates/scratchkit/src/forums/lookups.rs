//! Forum questions answered from the pages: a category by its name, a topic's posts newest
//! first, and whether a topic or post is gone (deleted, or never existed).

use futures_util::{Stream, StreamExt, stream};

use super::{CategoryHandler, ForumCategory, ForumHandler, ForumPost, PostHandler, TopicHandler};
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::request::RequestSpec;

/// `Ok(true)` when `answer` is the site's 404, `Ok(false)` when it is there.
fn gone<T>(answer: Result<T>) -> Result<bool> {
    match answer {
        Ok(_) => Ok(false),
        Err(e) if e.is_not_found() => Ok(true),
        Err(e) => Err(e),
    }
}

impl ForumHandler {
    /// The category called `name` (case and surrounding spaces ignored), found on the forum
    /// index; `None` when no category has that name.
    ///
    /// `GET https://scratch.mit.edu/discuss/`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// if let Some(category) = client.forum().category_named("Suggestions").await? {
    ///     let topics = client.forum().category(category.id).topics(1).await?;
    ///     println!("{} topics on page 1", topics.topics.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`categories`](ForumHandler::categories).
    pub async fn category_named(&self, name: &str) -> Result<Option<ForumCategory>> {
        let wanted = name.trim().to_lowercase();
        Ok(self
            .categories()
            .await?
            .into_iter()
            .flat_map(|section| section.categories)
            .find(|c| c.name.trim().to_lowercase() == wanted))
    }

    /// A handler for the category called `name` (see
    /// [`category_named`](ForumHandler::category_named)).
    ///
    /// # Errors
    /// [`Error::NotFound`] when no category has that name; as
    /// [`categories`](ForumHandler::categories).
    pub async fn category_by_name(&self, name: &str) -> Result<CategoryHandler> {
        match self.category_named(name).await? {
            Some(c) => Ok(self.category(c.id)),
            None => Err(Error::NotFound {
                url: format!("forum category named {name:?}"),
            }),
        }
    }
}

impl TopicHandler {
    /// Every post of the topic, newest first: the last page is read first, each page
    /// reversed. The site itself only shows topics oldest first (scratchattach's other orders
    /// no longer work), so this costs one request per page like
    /// [`all_posts`](TopicHandler::all_posts).
    ///
    /// `GET https://scratch.mit.edu/discuss/topic/<id>/?page=1`, then `?page=<last>`, …, `2`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use futures_util::StreamExt;
    /// use scratchkit::model::TopicId;
    /// let newest = client.forum().topic(TopicId(4242)).posts_newest_first();
    /// let newest: Vec<_> = std::pin::pin!(newest).take(5).collect().await;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Yields the errors of [`posts`](TopicHandler::posts) and stops.
    pub fn posts_newest_first(&self) -> impl Stream<Item = Result<ForumPost>> + Send + 'static {
        let this = self.clone();
        stream::once(async move {
            let first = this.posts(1).await?;
            Ok::<_, Error>((this, first))
        })
        .map(|start| match start {
            Ok((this, first)) => {
                let last = first.page_count.max(1);
                let head = stream::iter((2..=last).rev()).then(move |page| {
                    let this = this.clone();
                    async move { this.posts(page).await.map(|list| list.posts) }
                });
                let tail = stream::once(std::future::ready(Ok(first.posts)));
                head.chain(tail)
                    .flat_map(|page| match page {
                        Ok(posts) => stream::iter(posts.into_iter().rev().map(Ok)).left_stream(),
                        Err(e) => stream::once(std::future::ready(Err(e))).right_stream(),
                    })
                    .left_stream()
            }
            Err(e) => stream::once(std::future::ready(Err(e))).right_stream(),
        })
        .flatten()
        .scan(false, |failed, item| {
            // Stop after the first error, as the other forum streams do.
            if *failed {
                return std::future::ready(None);
            }
            *failed = item.is_err();
            std::future::ready(Some(item))
        })
    }

    /// Whether the topic is gone: the site answers its page with a 404 (a deleted topic and
    /// one that never existed look the same from outside).
    ///
    /// `GET https://scratch.mit.edu/discuss/topic/<id>/`
    ///
    /// # Errors
    /// Any error other than the 404.
    pub async fn is_deleted(&self) -> Result<bool> {
        gone(self.posts(1).await)
    }
}

impl PostHandler {
    /// Whether the post is gone: the site answers `/discuss/post/<id>/` with a 404 (deleted
    /// and never-existing posts look the same from outside; scratchattach's `deleted` flag is
    /// always false for the same reason, since a deleted post cannot be read at all).
    ///
    /// `GET https://scratch.mit.edu/discuss/post/<id>/`
    ///
    /// # Errors
    /// Any error other than the 404.
    pub async fn is_deleted(&self) -> Result<bool> {
        let spec = RequestSpec::get(Host::Site, format!("/discuss/post/{}/", self.id));
        gone(self.client.send(spec).await)
    }
}
