//! [`MeHandler`]: the logged-in account, from [`Client::me`].
//!
//! Everything that acts on "my" account lives here, one file per area:
//!
//! | area | file | Scratch paths |
//! |---|---|---|
//! | profile edits: bio, status, featured project, avatar | `profile.rs` | `PUT /site-api/users/all/<me>/`, `POST /site-api/users/all/<me>/` (avatar) |
//! | account settings: country, password, email, subscriptions | `account.rs` | `POST /accounts/settings/`, `/accounts/password_change/`, `/accounts/email_change/`, `/accounts/settings/update_subscription/`, `/accounts/check_password/` |
//! | messages, count, clear, admin alerts, feeds, recently viewed | `messages.rs` | `GET api /users/<me>/messages[/count\|/admin]`, `GET api /users/<me>/following/…`, `GET api /users/<me>/projects/recentlyviewed`, `POST /site-api/messages/messages-clear/` |
//! | new messages as a stream | `message_events.rs` | `GET api /users/<me>/messages/count`, `GET api /users/<me>/messages` |
//! | My Stuff: projects, studios, trash | `my_stuff.rs` | `GET /site-api/projects/<filter>/`, `GET /site-api/galleries/all/`, `PUT /site-api/projects/trashed/empty/` |
//! | the Scratcher invite: read, accept | `invites.rs` | `GET api /users/<me>/invites`, `GET /users/<me>/promote-to-scratcher/` |
//! | backpack | `backpack.rs` | `GET`, `POST`, `DELETE backpack /<me>[/<item>]` |
//! | the teacher's classes and alerts | `../classrooms.rs` | `GET /site-api/classrooms/all/`, `GET /site-api/classrooms/alerts/` |
//! | turning profile comments on and off | `../comments/profile.rs` | `POST /site-api/comments/user/<me>/toggle-comments/` |
//!
//! Every call needs a login: it fails with [`Error::LoginRequired`](crate::Error::LoginRequired)
//! before sending anything when the client has none (and with
//! [`Error::SessionExpired`](crate::Error::SessionExpired) once Scratch has rejected the
//! session).

mod account;
mod backpack;
mod invites;
pub mod message_events;
mod messages;
mod my_stuff;
mod profile;

pub use account::PasswordCheck;
pub(crate) use account::require_password;
pub use backpack::NewBackpackItem;
pub use invites::ScratcherInvite;
pub use messages::MessageFilter;
pub use my_stuff::{MyStuffFilter, MyStuffSort};
pub use profile::{FeaturedLabel, MAX_PROFILE_TEXT};

use crate::client::Client;

/// The logged-in account, from [`Client::me`]: profile edits, account settings, messages, My
/// Stuff, the backpack and the trash.
///
/// Cheap to clone, `Send + Sync + 'static`. The login is read when a call is made, so a
/// handler made before [`Client::login`] works once the client is logged in.
///
/// ```no_run
/// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
/// let me = client.me();
/// me.set_bio("I make platformers.").await?;
/// println!("{} unread messages", me.message_count().await?);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct MeHandler {
    pub(crate) client: Client,
}

impl MeHandler {
    /// The client this handler sends with.
    ///
    /// ```
    /// let client = scratchkit::Client::new();
    /// assert!(!client.me().client().is_logged_in());
    /// ```
    pub fn client(&self) -> &Client {
        &self.client
    }
}
