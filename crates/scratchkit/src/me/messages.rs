//! Your messages and feeds on [`Client`]: messages (with filters), count, clear, admin alerts,
//! "What's happening", the following feeds and recently viewed projects.

use scratchkit_model::{Activity, AdminAlert, Message, MessageCount, Project};

use super::MeHandler;
use crate::error::Result;
use crate::hosts::Host;
use crate::list::ListRequest;
use crate::request::{AuthMode, RequestSpec};

/// Which messages [`MeHandler::messages`] lists (the `filter` query parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MessageFilter {
    /// Every message.
    #[default]
    All,
    /// Comments on your projects, profile and studios, and replies.
    Comments,
    /// Loves, favorites, remixes of your projects.
    Projects,
    /// Studio activity, invitations, promotions.
    Studios,
    /// Forum posts in topics you follow.
    Forums,
}

impl MessageFilter {
    fn query(self) -> Option<&'static str> {
        match self {
            MessageFilter::All => None,
            MessageFilter::Comments => Some("comments"),
            MessageFilter::Projects => Some("projects"),
            MessageFilter::Studios => Some("studios"),
            MessageFilter::Forums => Some("forums"),
        }
    }
}

impl MeHandler {
    /// A list under `/users/<me><suffix>` on the api, with the X-Token; when logged out the
    /// list fails with [`Error::LoginRequired`](crate::Error::LoginRequired) when awaited,
    /// before anything is sent.
    fn my_list<T>(&self, suffix: &str) -> ListRequest<T> {
        let spec = self.client.me_for_path().map(|(_, me)| {
            RequestSpec::get(Host::Api, format!("/users/{me}{suffix}")).auth(AuthMode::Token)
        });
        ListRequest::ready(self.client.clone(), spec)
    }

    /// Your messages, newest first, optionally only one kind.
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/messages?offset=&limit=[&filter=…]` with the
    /// X-Token.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use scratchkit::MessageFilter;
    ///
    /// for message in client.me().messages(MessageFilter::Comments).limit(40).await?.items {
    ///     println!("{:?} by {}", message.kind, message.actor_username);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// When awaited or streamed: [`Error::LoginRequired`](crate::Error::LoginRequired) when
    /// logged out (nothing sent), a bad limit, any request error.
    pub fn messages(&self, filter: MessageFilter) -> ListRequest<Message> {
        let spec = self.client.me_for_path().map(|(_, me)| {
            let spec =
                RequestSpec::get(Host::Api, format!("/users/{me}/messages")).auth(AuthMode::Token);
            match filter.query() {
                Some(filter) => spec.query("filter", filter),
                None => spec,
            }
        });
        ListRequest::ready(self.client.clone(), spec)
    }

    /// How many unread messages you have (fresh: sent with your X-Token).
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/messages/count`
    ///
    /// # Errors
    /// [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out (nothing sent);
    /// any request error.
    pub async fn message_count(&self) -> Result<u64> {
        let (_, me) = self.client.me_for_path()?;
        let spec = RequestSpec::get(Host::Api, format!("/users/{me}/messages/count"))
            .auth(AuthMode::Token);
        let count: MessageCount = self.client.send_authed_json(spec).await?;
        Ok(count.count)
    }

    /// Marks all your messages as read.
    ///
    /// `POST https://scratch.mit.edu/site-api/messages/messages-clear/` with the session cookie.
    ///
    /// # Errors
    /// [`Error::LoginRequired`](crate::Error::LoginRequired) when logged out (nothing sent);
    /// any request error.
    pub async fn clear_messages(&self) -> Result<()> {
        self.client.require_auth()?;
        let spec = RequestSpec::post(Host::Site, "/site-api/messages/messages-clear/")
            .auth(AuthMode::Cookie)
            .header("Referer", self.client.site_page("/messages/"));
        self.client.send_authed(spec).await.map(|_| ())
    }

    /// Alerts from the Scratch Team. Their shape was never recorded: each [`AdminAlert`] reads
    /// `id`, `message` and `datetime_created` when present and keeps every other key in
    /// `extra`.
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/messages/admin?offset=&limit=`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// for alert in client.me().admin_messages().limit(20).await?.items {
    ///     println!("{}", alert.message.unwrap_or_default());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`MeHandler::messages`].
    pub fn admin_messages(&self) -> ListRequest<AdminAlert> {
        self.my_list("/messages/admin")
    }

    /// "What's happening": what the people you follow did.
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/following/users/activity?offset=&limit=`
    ///
    /// # Errors
    /// As [`MeHandler::messages`].
    pub fn whats_happening(&self) -> ListRequest<Activity> {
        self.my_list("/following/users/activity")
    }

    /// Projects loved by the people you follow.
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/following/users/loves?offset=&limit=`
    ///
    /// # Errors
    /// As [`MeHandler::messages`].
    pub fn following_loves(&self) -> ListRequest<Project> {
        self.my_list("/following/users/loves")
    }

    /// Projects shared by the people you follow.
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/following/users/projects?offset=&limit=`
    ///
    /// # Errors
    /// As [`MeHandler::messages`].
    pub fn following_projects(&self) -> ListRequest<Project> {
        self.my_list("/following/users/projects")
    }

    /// Projects added to the studios you follow.
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/following/studios/projects?offset=&limit=`
    ///
    /// # Errors
    /// As [`MeHandler::messages`].
    pub fn followed_studios_projects(&self) -> ListRequest<Project> {
        self.my_list("/following/studios/projects")
    }

    /// Projects you viewed recently.
    ///
    /// `GET https://api.scratch.mit.edu/users/<me>/projects/recentlyviewed?offset=&limit=`
    ///
    /// # Errors
    /// As [`MeHandler::messages`].
    pub fn recently_viewed(&self) -> ListRequest<Project> {
        self.my_list("/projects/recentlyviewed")
    }
}
