//! A client that behaves like scratchattach's template sprite, for testing hosts offline.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::time::Duration;

use futures_util::StreamExt;
use rand::Rng;
use tokio::time::{Instant, sleep_until};

use super::encoding::{Encoding, EncodingError};
use super::protocol::{PUSH_ID_PREFIX, PacketKind, TEMPLATE_TIMEOUT, read_packet, request_values};
use super::server::TO_HOST;
use scratchkit::cloud::{CloudError, CloudEvent, CloudEvents, CloudSender};

/// How many processed `FROM_HOST` values the template remembers (and ignores when repeated).
pub const TEMPLATE_MEMORY: usize = 20;
/// The template's wait between request chunks and between re-requests.
pub const TEMPLATE_PACING: Duration = Duration::from_millis(100);

/// Decides which incoming values are "lost".
type LossFilter = Box<dyn FnMut(&str) -> bool + Send>;

/// A reply as the template assembles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateReply {
    /// The `response` list: one item per list element (a plain string is one item; a raw
    /// number is one item of digits).
    pub items: Vec<String>,
    /// Whether the payload was raw digits (`3222`).
    pub raw: bool,
    /// Packets used (parts and the final one).
    pub packets: usize,
    /// Re-requests sent for missing parts.
    pub rerequests: usize,
}

/// Why a template request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// Nothing complete arrived within the timeout (the template's `TIMEOUT` status).
    #[error("no complete reply within {0:?}")]
    Timeout(Duration),
    /// A set failed.
    #[error(transparent)]
    Cloud(#[from] CloudError),
    /// The connection ended.
    #[error("the cloud connection ended")]
    Closed,
    /// The reply's digits do not decode.
    #[error(transparent)]
    Decode(#[from] EncodingError),
}

/// Packets of one reply being assembled: the part slots and the final packet.
#[derive(Debug, Default)]
struct Assembly {
    parts: Vec<Option<String>>,
    last: Option<(String, bool)>,
}

impl Assembly {
    fn add(&mut self, digits: String, kind: PacketKind) {
        match kind {
            PacketKind::Part(number) => {
                let index = number.saturating_sub(1);
                if self.parts.len() <= index {
                    self.parts.resize(index + 1, None);
                }
                self.parts[index] = Some(digits);
            }
            PacketKind::Final { raw } => self.last = Some((digits, raw)),
        }
    }

    /// The 1-based number of the first missing part, once the final packet is in.
    fn first_missing(&self) -> Option<usize> {
        self.last.as_ref()?;
        self.parts.iter().position(Option::is_none).map(|i| i + 1)
    }

    fn complete(&self) -> bool {
        self.last.is_some() && self.first_missing().is_none()
    }

    fn assemble(&self, rerequests: usize) -> Result<TemplateReply, EncodingError> {
        let (last, raw) = self.last.clone().unwrap_or_default();
        let mut digits: String = self.parts.iter().flatten().map(String::as_str).collect();
        digits.push_str(&last);
        let items = if raw {
            vec![digits]
        } else {
            Encoding::decode_list(&digits)?
        };
        Ok(TemplateReply {
            items,
            raw,
            packets: self.parts.len() + 1,
            rerequests,
        })
    }
}

/// A Rust stand-in for scratchattach's Cloud Requests template sprite, over a cloud
/// connection (for example to a sandbox): it sends requests exactly as the template does
/// (encoding with unknown characters dropped, 245-digit `-` chunks 0.1 s apart, a random
/// 6-digit id ending in 0), reads `FROM_HOST_1..9`, ignores values among the last 20 it
/// processed, fills part slots, re-requests the first missing part every 0.1 s with
/// `TO_HOST = "<k−1>.<id>9"`, and gives up after 10 s. Server pushes are collected for
/// [`next_push`](Self::next_push).
///
/// Like the template, it learns how many parts a reply has only from the parts it receives:
/// a lost **last** part (the one just before the final packet) goes unnoticed and the reply
/// is assembled without it. One difference: the real template samples the variables once
/// per frame, so it can miss a value overwritten within a frame; this client sees every
/// update.
///
/// ```no_run
/// use scratchkit::cloud::{CloudConfig, CloudConnection};
/// use scratchkit_cloud_requests::TemplateClient;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let config = CloudConfig::turbowarp(1234, "player", "tests/1.0 (me@example.com)")
///     .with_url("ws://127.0.0.1:8080/turbowarp");
/// let (sender, events) = CloudConnection::connect(config).await?;
/// let mut template = TemplateClient::new(sender, events);
/// let reply = template.request("ping", &[]).await?;
/// assert_eq!(reply.items, ["pong"]);
/// # Ok(()) }
/// ```
pub struct TemplateClient {
    sender: CloudSender,
    events: CloudEvents,
    seen: VecDeque<String>,
    pushes: VecDeque<TemplateReply>,
    push_parts: HashMap<String, Assembly>,
    pending: HashMap<String, Assembly>,
    loss: Option<LossFilter>,
    timeout: Duration,
    sent: Vec<String>,
}

impl fmt::Debug for TemplateClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemplateClient")
            .field("timeout", &self.timeout)
            .field("sent", &self.sent.len())
            .finish_non_exhaustive()
    }
}

impl TemplateClient {
    /// A template over this connection (it consumes the events).
    pub fn new(sender: CloudSender, events: CloudEvents) -> Self {
        TemplateClient {
            sender,
            events,
            seen: VecDeque::new(),
            pushes: VecDeque::new(),
            push_parts: HashMap::new(),
            pending: HashMap::new(),
            loss: None,
            timeout: TEMPLATE_TIMEOUT,
            sent: Vec::new(),
        }
    }

    /// Simulates packet loss: every incoming `FROM_HOST` value for which `lose` returns true
    /// is ignored as if it never arrived (and is not remembered).
    pub fn with_loss(mut self, lose: impl FnMut(&str) -> bool + Send + 'static) -> Self {
        self.loss = Some(Box::new(lose));
        self
    }

    /// Changes the reply timeout (the template's `@timeout_after`, 10 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Every `TO_HOST` value sent so far, in order (requests, chunks and re-requests).
    pub fn sent(&self) -> &[String] {
        &self.sent
    }

    /// Sends a request with a fresh random id and waits for the reply.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Timeout`] after 10 s without a complete reply, or a connection or
    /// decoding error.
    pub async fn request(
        &mut self,
        name: &str,
        args: &[&str],
    ) -> Result<TemplateReply, TemplateError> {
        let number: u32 = rand::rng().random_range(10001..=99999);
        let id = format!("{number}0");
        self.request_with_id(name, args, &id).await
    }

    /// [`request`](Self::request) with a chosen id (six digits ending in 0).
    ///
    /// # Errors
    ///
    /// As [`request`](Self::request).
    pub async fn request_with_id(
        &mut self,
        name: &str,
        args: &[&str],
        id: &str,
    ) -> Result<TemplateReply, TemplateError> {
        let started = Instant::now();
        let deadline = started + self.timeout;
        let values = request_values(name, args, id);
        self.pending.insert(id.to_owned(), Assembly::default());
        let last = values.len() - 1;
        for (i, value) in values.iter().enumerate() {
            self.set_to_host(value)?;
            if i != last {
                self.pump_until(started + TEMPLATE_PACING * u32::try_from(i + 1).unwrap_or(1))
                    .await?;
            }
        }
        let mut rerequests = 0;
        let mut next_rerequest: Option<Instant> = None;
        loop {
            let assembly = self.pending.get(id);
            if let Some(assembly) = assembly {
                if assembly.complete() {
                    let reply = assembly.assemble(rerequests);
                    self.pending.remove(id);
                    return Ok(reply?);
                }
                if let Some(missing) = assembly.first_missing() {
                    let now = Instant::now();
                    if next_rerequest.is_none_or(|at| at <= now) {
                        self.set_to_host(&format!("{}.{id}9", missing - 1))?;
                        rerequests += 1;
                        next_rerequest = Some(now + TEMPLATE_PACING);
                    }
                }
            }
            let wake = next_rerequest.map_or(deadline, |at| at.min(deadline));
            if Instant::now() >= deadline {
                self.pending.remove(id);
                return Err(TemplateError::Timeout(self.timeout));
            }
            self.pump_until(wake).await?;
        }
    }

    /// Waits (up to the timeout) for the next complete server push.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Timeout`] if none completes in time; connection errors.
    pub async fn next_push(&mut self) -> Result<TemplateReply, TemplateError> {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(push) = self.pushes.pop_front() {
                return Ok(push);
            }
            if Instant::now() >= deadline {
                return Err(TemplateError::Timeout(self.timeout));
            }
            self.pump_until(deadline).await?;
        }
    }

    fn set_to_host(&mut self, value: &str) -> Result<(), TemplateError> {
        // A batch of one: never coalesced with the previous TO_HOST value still queued.
        self.sender.set_many(&[(TO_HOST, value)])?;
        self.sent.push(value.to_owned());
        Ok(())
    }

    /// Processes events until `until`, returning early after any `FROM_HOST` packet.
    async fn pump_until(&mut self, until: Instant) -> Result<(), TemplateError> {
        loop {
            tokio::select! {
                event = self.events.next() => match event {
                    Some(CloudEvent::Set { name, value }) => {
                        if name.starts_with("FROM_HOST_") && self.packet(&value)? {
                            return Ok(());
                        }
                    }
                    Some(CloudEvent::Closed { .. }) | None => return Err(TemplateError::Closed),
                    Some(_) => {}
                },
                _ = sleep_until(until) => return Ok(()),
            }
        }
    }

    /// Handles one `FROM_HOST` value; true if it was a packet for us.
    fn packet(&mut self, value: &str) -> Result<bool, TemplateError> {
        if self.seen.iter().any(|seen| seen == value) {
            return Ok(false);
        }
        if let Some(lose) = &mut self.loss
            && lose(value)
        {
            return Ok(false);
        }
        while self.seen.len() >= TEMPLATE_MEMORY {
            self.seen.pop_front();
        }
        self.seen.push_back(value.to_owned());
        let Some(packet) = read_packet(value) else {
            return Ok(false);
        };
        let Some((_, rest)) = value.split_once('.') else {
            return Ok(false);
        };
        if rest.starts_with(PUSH_ID_PREFIX) && rest.len() >= 13 {
            let id = rest[..13].to_owned();
            let assembly = self.push_parts.entry(id.clone()).or_default();
            assembly.add(packet.digits, packet.kind);
            if assembly.complete() {
                let reply = assembly.assemble(0);
                self.push_parts.remove(&id);
                self.pushes.push_back(reply?);
            }
            return Ok(true);
        }
        let Some(id) = rest.get(..6) else {
            return Ok(false);
        };
        match self.pending.get_mut(id) {
            Some(assembly) => {
                assembly.add(packet.digits, packet.kind);
                Ok(true)
            }
            None => Ok(false),
        }
    }
}
