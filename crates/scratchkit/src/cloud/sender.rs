//! The cloneable sending half of a cloud connection and the state it shares with the
//! background task.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::fmt::Display;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

use super::error::CloudError;
use super::events::CloseReason;
use scratchkit_wire::cloud::{
    CLOUD_PREFIX, ClientMessage, CloudRules, ValidationError, strip_cloud_prefix, validate_name,
};

/// One queued message; messages of one `set_many` share a batch number and one frame.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) message: ClientMessage,
    pub(crate) batch: Option<u64>,
}

/// State shared by the senders and the connection task.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Latest known value per bare name.
    pub(crate) values: HashMap<String, String>,
    /// Messages not yet written to a socket.
    pub(crate) pending: VecDeque<Pending>,
    pub(crate) next_batch: u64,
    /// A frame is being written right now.
    pub(crate) in_flight: bool,
    pub(crate) connected: bool,
    pub(crate) closed: Option<CloseReason>,
    pub(crate) close_requested: bool,
    pub(crate) senders_gone: bool,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    /// Senders → task: something to send, or a close request.
    pub(crate) wake: Notify,
    /// Task → `flush` waiters: the queue shrank or the connection closed.
    pub(crate) progress: Notify,
    pub(crate) rules: CloudRules,
}

impl Shared {
    pub(crate) fn new(rules: CloudRules) -> Self {
        Shared {
            state: Mutex::new(State::default()),
            wake: Notify::new(),
            progress: Notify::new(),
            rules,
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Lets the task know when the last sender is gone.
#[derive(Debug)]
struct SenderGuard {
    shared: Arc<Shared>,
}

impl Drop for SenderGuard {
    fn drop(&mut self) {
        self.shared.lock().senders_gone = true;
        self.shared.wake.notify_one();
    }
}

/// The sending half of a cloud connection: cheap to clone, usable from many tasks.
///
/// Operations are validated, queued and return at once; a background task sends them as fast
/// as the rate limit allows, over the current connection or after the next reconnect. Queued
/// sets of one variable are coalesced (only the latest value is sent), so nothing is lost and
/// nothing stale is sent. Use [`flush`](Self::flush) to wait until everything was written.
#[derive(Clone)]
pub struct CloudSender {
    shared: Arc<Shared>,
    _guard: Arc<SenderGuard>,
}

impl fmt::Debug for CloudSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.lock();
        f.debug_struct("CloudSender")
            .field("rules", &self.shared.rules)
            .field("connected", &state.connected)
            .field("pending", &state.pending.len())
            .finish_non_exhaustive()
    }
}

impl CloudSender {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        let guard = Arc::new(SenderGuard {
            shared: Arc::clone(&shared),
        });
        CloudSender {
            shared,
            _guard: guard,
        }
    }

    /// Sets a cloud variable (name with or without the `☁ ` prefix). Returns once queued.
    ///
    /// ```no_run
    /// # use scratchkit::cloud::{CloudConfig, CloudConnection};
    /// # async fn run() -> Result<(), scratchkit::cloud::CloudError> {
    /// let config = CloudConfig::turbowarp(1234, "player42", "my-bot/1.0 (me@example.com)");
    /// let (sender, _events) = CloudConnection::connect(config).await?;
    /// sender.set("score", 42)?;
    /// sender.set("☁ score", "-4.5")?;
    /// sender.flush().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`CloudError::Invalid`] for a bad name, a non-numeric or too long value, or a new
    /// variable beyond the server's limit; [`CloudError::Closed`] once the connection ended.
    pub fn set(&self, name: &str, value: impl Display) -> Result<(), CloudError> {
        let value = value.to_string();
        let bare = validate_name(name)?;
        self.shared.rules.validate_value(&value)?;
        let mut state = self.open_state()?;
        check_room_for(&state, self.shared.rules, [bare])?;
        let full = format!("{CLOUD_PREFIX}{bare}");
        state.values.insert(bare.to_owned(), value.clone());
        // Coalesce with a queued set of the same variable, unless something else about that
        // variable (a rename, a delete, a batch) was queued after it.
        let last = state
            .pending
            .iter()
            .rposition(|pending| touches(&pending.message, &full));
        if let Some(position) = last
            && let Some(Pending {
                message: ClientMessage::Set { value: queued, .. },
                batch: None,
            }) = state.pending.get_mut(position)
        {
            *queued = value;
            return Ok(());
        }
        state.pending.push_back(Pending {
            message: ClientMessage::Set { name: full, value },
            batch: None,
        });
        drop(state);
        self.shared.wake.notify_one();
        Ok(())
    }

    /// Sets several variables in one frame (newline-separated messages). Nothing is queued
    /// if any of them is invalid.
    ///
    /// Scratch's server may or may not accept several messages per frame, and TurboWarp's
    /// server closes the connection on such a frame: prefer [`set`](Self::set) there.
    ///
    /// # Errors
    ///
    /// As [`set`](Self::set), for the first invalid pair.
    pub fn set_many<N: AsRef<str>, V: Display>(&self, vars: &[(N, V)]) -> Result<(), CloudError> {
        let mut batch = Vec::with_capacity(vars.len());
        for (name, value) in vars {
            let value = value.to_string();
            let bare = validate_name(name.as_ref())?;
            self.shared.rules.validate_value(&value)?;
            batch.push((bare.to_owned(), value));
        }
        if batch.is_empty() {
            return Ok(());
        }
        let mut state = self.open_state()?;
        check_room_for(
            &state,
            self.shared.rules,
            batch.iter().map(|(bare, _)| bare.as_str()),
        )?;
        let id = state.next_batch;
        state.next_batch += 1;
        for (bare, value) in batch {
            state.values.insert(bare.clone(), value.clone());
            state.pending.push_back(Pending {
                message: ClientMessage::Set {
                    name: format!("{CLOUD_PREFIX}{bare}"),
                    value,
                },
                batch: Some(id),
            });
        }
        drop(state);
        self.shared.wake.notify_one();
        Ok(())
    }

    /// Creates a cloud variable with an initial value (servers treat it like a set).
    ///
    /// # Errors
    ///
    /// As [`set`](Self::set).
    pub fn create(&self, name: &str, value: impl Display) -> Result<(), CloudError> {
        let value = value.to_string();
        let bare = validate_name(name)?;
        self.shared.rules.validate_value(&value)?;
        let mut state = self.open_state()?;
        check_room_for(&state, self.shared.rules, [bare])?;
        state.values.insert(bare.to_owned(), value.clone());
        self.push(
            state,
            ClientMessage::Create {
                name: format!("{CLOUD_PREFIX}{bare}"),
                value,
            },
        );
        Ok(())
    }

    /// Deletes a cloud variable (TurboWarp ignores deletes).
    ///
    /// # Errors
    ///
    /// [`CloudError::Invalid`] for a bad name; [`CloudError::Closed`] once the connection
    /// ended.
    pub fn delete(&self, name: &str) -> Result<(), CloudError> {
        let bare = validate_name(name)?;
        let mut state = self.open_state()?;
        state.values.remove(bare);
        self.push(
            state,
            ClientMessage::Delete {
                name: format!("{CLOUD_PREFIX}{bare}"),
            },
        );
        Ok(())
    }

    /// Renames a cloud variable (TurboWarp ignores renames).
    ///
    /// # Errors
    ///
    /// [`CloudError::Invalid`] for a bad name; [`CloudError::Closed`] once the connection
    /// ended.
    pub fn rename(&self, name: &str, new_name: &str) -> Result<(), CloudError> {
        let bare = validate_name(name)?;
        let new_bare = validate_name(new_name)?;
        let mut state = self.open_state()?;
        if let Some(value) = state.values.remove(bare) {
            state.values.insert(new_bare.to_owned(), value);
        }
        self.push(
            state,
            ClientMessage::Rename {
                name: format!("{CLOUD_PREFIX}{bare}"),
                new_name: format!("{CLOUD_PREFIX}{new_bare}"),
            },
        );
        Ok(())
    }

    /// The latest known value of a variable (name with or without the prefix): the last value
    /// received (the join snapshot included) or set through this connection.
    pub fn get(&self, name: &str) -> Option<String> {
        let bare = strip_cloud_prefix(name);
        self.shared.lock().values.get(bare).cloned()
    }

    /// Every known variable (bare name → latest value).
    pub fn values(&self) -> HashMap<String, String> {
        self.shared.lock().values.clone()
    }

    /// The validation rules of this connection (value length, variable count), for code
    /// that must size what it sends, such as Cloud Requests' packet framing.
    pub fn rules(&self) -> CloudRules {
        self.shared.rules
    }

    /// Whether a connection is open right now.
    pub fn is_connected(&self) -> bool {
        self.shared.lock().connected
    }

    /// How many messages wait to be sent.
    pub fn pending(&self) -> usize {
        self.shared.lock().pending.len()
    }

    /// Waits until every queued message has been written to the socket (reconnecting first if
    /// needed).
    ///
    /// # Errors
    ///
    /// [`CloudError::Closed`] if the connection ends for good before that.
    pub async fn flush(&self) -> Result<(), CloudError> {
        loop {
            let progress = self.shared.progress.notified();
            tokio::pin!(progress);
            progress.as_mut().enable();
            {
                let state = self.shared.lock();
                if let Some(reason) = &state.closed {
                    return Err(CloudError::Closed(reason.clone()));
                }
                if state.pending.is_empty() && !state.in_flight {
                    return Ok(());
                }
            }
            progress.await;
        }
    }

    /// Closes the connection for good: the events stream ends with
    /// [`CloseReason::ClientClosed`]. Messages still queued are dropped; call
    /// [`flush`](Self::flush) first to send them.
    pub fn close(&self) {
        self.shared.lock().close_requested = true;
        self.shared.wake.notify_one();
    }

    fn open_state(&self) -> Result<MutexGuard<'_, State>, CloudError> {
        let state = self.shared.lock();
        match &state.closed {
            Some(reason) => Err(CloudError::Closed(reason.clone())),
            None if state.close_requested => Err(CloudError::Closed(CloseReason::ClientClosed)),
            None => Ok(state),
        }
    }

    fn push(&self, mut state: MutexGuard<'_, State>, message: ClientMessage) {
        state.pending.push_back(Pending {
            message,
            batch: None,
        });
        drop(state);
        self.shared.wake.notify_one();
    }
}

/// Refuses new variables beyond the server's limit.
fn check_room_for<'a>(
    state: &State,
    rules: CloudRules,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<(), ValidationError> {
    let mut new: Vec<&str> = Vec::new();
    for name in names {
        if !state.values.contains_key(name) && !new.contains(&name) {
            new.push(name);
        }
    }
    if state.values.len() + new.len() > rules.max_variables() {
        return Err(ValidationError::TooManyVariables {
            max: rules.max_variables(),
        });
    }
    Ok(())
}

pub(crate) fn touches(message: &ClientMessage, full: &str) -> bool {
    match message {
        ClientMessage::Set { name, .. }
        | ClientMessage::Create { name, .. }
        | ClientMessage::Delete { name } => name == full,
        ClientMessage::Rename { name, new_name } => name == full || new_name == full,
        // The handshake, and kinds the wire crate may add, name no variable.
        _ => false,
    }
}
