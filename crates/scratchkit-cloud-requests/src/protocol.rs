//! The Cloud Requests wire format: parsing `TO_HOST` values, assembling chunked requests,
//! encoding replies and framing them into `FROM_HOST_n` packets, and reading packets the way
//! the template sprite does.
//!
//! Everything here is pure (no I/O), so that the exact values exchanged with the template
//! sprite can be tested directly.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

use super::encoding::{Encoding, EncodingError};

/// Digits per request chunk sent by the template (longer requests are split).
pub const REQUEST_CHUNK_DIGITS: usize = 245;
/// Most part packets a reply may have before its final packet (the part number has three
/// digits).
pub const MAX_PARTS: usize = 999;
/// The first nine digits of every server-push id.
pub const PUSH_ID_PREFIX: &str = "100000000";
/// The suffix of a final packet with an encoded payload.
pub const ENCODED_SUFFIX: &str = "2222";
/// The suffix of a final packet with a raw (digits-only) payload.
pub const RAW_SUFFIX: &str = "3222";
/// How long the template waits for a reply; chunk buffers older than this are dropped.
pub const TEMPLATE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a `TO_HOST` value or a `FROM_HOST` packet is not valid Cloud Requests traffic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// No `.` between payload and id (not Cloud Requests traffic).
    #[error("the value has no request id")]
    NoId,
    /// More than one `.`.
    #[error("the value has more than one '.'")]
    ManyDots,
    /// The id is empty or not all digits.
    #[error("the request id is not a digit string")]
    BadId,
    /// The payload has something other than digits (after an optional leading `-`).
    #[error("the payload is not a digit string")]
    BadPayload,
    /// The payload digits do not decode.
    #[error("the payload does not decode: {0}")]
    Encoding(#[from] EncodingError),
}

/// Why a reply cannot be framed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The reply needs more than [`MAX_PARTS`] part packets.
    #[error("the reply needs {parts} packets; at most {MAX_PARTS} plus the final one fit")]
    TooLong {
        /// Part packets it would need.
        parts: usize,
    },
    /// The value limit leaves no room for a payload after the id and suffix.
    #[error("a value limit of {max_len} characters leaves no room for a payload")]
    LimitTooSmall {
        /// The limit.
        max_len: usize,
    },
}

/// One `TO_HOST` value, parsed (§3.2 of the reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToHost {
    /// A leading piece of a long request (`-<digits>.<id>`).
    Chunk {
        /// Request id (6 digits from the template).
        id: String,
        /// This piece's digits.
        digits: String,
    },
    /// The final (or only) piece of a request (`<digits>.<id>`).
    Final {
        /// Request id.
        id: String,
        /// This piece's digits.
        digits: String,
    },
    /// A lost-packet re-request (`<k-1>.<id>9`, a 7-digit id ending in 9).
    Resend {
        /// The id of the reply (the 6 digits before the trailing 9).
        id: String,
        /// The 1-based number of the packet wanted.
        part: usize,
    },
}

/// Parses one `TO_HOST` value.
///
/// ```
/// use scratchkit_cloud_requests::{parse_to_host, ToHost};
///
/// assert_eq!(
///     parse_to_host("51374733.123450")?,
///     ToHost::Final { id: "123450".into(), digits: "51374733".into() }
/// );
/// assert_eq!(parse_to_host("1.4234509")?, ToHost::Resend { id: "423450".into(), part: 2 });
/// # Ok::<(), scratchkit_cloud_requests::ProtocolError>(())
/// ```
///
/// # Errors
///
/// A [`ProtocolError`] for a value that is not Cloud Requests traffic.
pub fn parse_to_host(value: &str) -> Result<ToHost, ProtocolError> {
    let (raw, id) = value.split_once('.').ok_or(ProtocolError::NoId)?;
    if id.contains('.') {
        return Err(ProtocolError::ManyDots);
    }
    if !is_digits(id) {
        return Err(ProtocolError::BadId);
    }
    if id.len() == 7 && id.ends_with('9') {
        let index: usize = raw.parse().map_err(|_| ProtocolError::BadPayload)?;
        if !is_digits(raw) {
            return Err(ProtocolError::BadPayload);
        }
        return Ok(ToHost::Resend {
            id: id[..6].to_owned(),
            part: index.saturating_add(1),
        });
    }
    match raw.strip_prefix('-') {
        Some(chunk) if is_digits_or_empty(chunk) => Ok(ToHost::Chunk {
            id: id.to_owned(),
            digits: chunk.to_owned(),
        }),
        None if is_digits_or_empty(raw) => Ok(ToHost::Final {
            id: id.to_owned(),
            digits: raw.to_owned(),
        }),
        _ => Err(ProtocolError::BadPayload),
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_digits_or_empty(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// Splits decoded request text into its name and arguments (on `&`; there is no escaping).
///
/// ```
/// use scratchkit_cloud_requests::split_request;
///
/// assert_eq!(split_request("get&scores&alice"), ("get".to_owned(), vec!["scores".to_owned(), "alice".to_owned()]));
/// ```
pub fn split_request(text: &str) -> (String, Vec<String>) {
    let mut parts = text.split('&').map(str::to_owned);
    let name = parts.next().unwrap_or_default();
    (name, parts.collect())
}

/// Builds the `TO_HOST` values the template sends for a request: `name&arg1&arg2…` encoded
/// (unknown characters dropped, as the template does), cut into 245-digit chunks, every
/// chunk but the last prefixed with `-`, each followed by `.` and the id.
///
/// ```
/// use scratchkit_cloud_requests::request_values;
///
/// assert_eq!(request_values("ping", &[], "123450"), ["51374733.123450"]);
/// ```
pub fn request_values(name: &str, args: &[&str], id: &str) -> Vec<String> {
    let mut plain = name.to_owned();
    for arg in args {
        plain.push('&');
        plain.push_str(arg);
    }
    let digits = match Encoding::encode_with(&plain, super::encoding::Unknown::Drop) {
        Ok(encoded) => encoded.digits,
        Err(_) => String::new(),
    };
    if digits.len() < REQUEST_CHUNK_DIGITS {
        return vec![format!("{digits}.{id}")];
    }
    let chunks: Vec<&str> = digits
        .as_bytes()
        .chunks(REQUEST_CHUNK_DIGITS)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    let last = chunks.len() - 1;
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            if i == last {
                format!("{chunk}.{id}")
            } else {
                format!("-{chunk}.{id}")
            }
        })
        .collect()
}

/// What a handler answers. Convert from strings, numbers, lists or `()`.
///
/// * [`Response::Text`] is encoded (an empty string is sent as `-`, as scratchattach does, so
///   that the project gets an answer at all);
/// * [`Response::Number`] is sent as raw digits (`3222`) to a template request id, which the
///   project receives as the same number;
/// * [`Response::List`] is encoded item by item, each followed by 89: the project receives
///   one list item per element.
///
/// ```
/// use scratchkit_cloud_requests::Response;
///
/// assert_eq!(Response::from("hi"), Response::Text("hi".into()));
/// assert_eq!(Response::from(42u64), Response::Number(42));
/// assert_eq!(Response::from(-1i64), Response::Text("-1".into()));
/// assert_eq!(Response::from(1.5), Response::Text("1.5".into()));
/// assert_eq!(Response::from(vec!["a", "b"]), Response::List(vec!["a".into(), "b".into()]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response {
    /// A string.
    Text(String),
    /// A non-negative integer (sent raw when the id allows, else encoded).
    Number(u64),
    /// A list of strings.
    List(Vec<String>),
}

impl From<String> for Response {
    fn from(text: String) -> Self {
        Response::Text(text)
    }
}

impl From<&str> for Response {
    fn from(text: &str) -> Self {
        Response::Text(text.to_owned())
    }
}

impl From<()> for Response {
    fn from((): ()) -> Self {
        Response::Text(String::new())
    }
}

macro_rules! unsigned_response {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Response {
            fn from(number: $ty) -> Self {
                Response::Number(u64::from(number))
            }
        }
    )*};
}
unsigned_response!(u8, u16, u32, u64);

impl From<usize> for Response {
    fn from(number: usize) -> Self {
        match u64::try_from(number) {
            Ok(number) => Response::Number(number),
            Err(_) => Response::Text(number.to_string()),
        }
    }
}

macro_rules! signed_response {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Response {
            fn from(number: $ty) -> Self {
                match u64::try_from(number) {
                    Ok(number) => Response::Number(number),
                    Err(_) => Response::Text(number.to_string()),
                }
            }
        }
    )*};
}
signed_response!(i8, i16, i32, i64);

impl From<f64> for Response {
    /// Floats are always encoded as text (JavaScript formatting), never truncated.
    fn from(number: f64) -> Self {
        Response::Text(scratchkit::cloud::js_number_to_string(number))
    }
}

impl<S: Into<String>> From<Vec<S>> for Response {
    fn from(items: Vec<S>) -> Self {
        Response::List(items.into_iter().map(Into::into).collect())
    }
}

/// A reply's payload: digits plus how the project must read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// Encoded text (final suffix `2222`).
    Encoded(String),
    /// Raw digits (final suffix `3222`).
    Raw(String),
}

impl Payload {
    /// The payload of a reply to request `id`, and the characters the Encoding had to
    /// replace with spaces. Numbers go raw only when `id` ends in `0` (every template id
    /// does), as the template expects.
    pub fn of(response: &Response, id: &str) -> (Payload, Vec<char>) {
        match response {
            Response::Number(number) if id.ends_with('0') => {
                (Payload::Raw(number.to_string()), Vec::new())
            }
            Response::Number(number) => {
                let encoded = Encoding::encode(&number.to_string());
                (Payload::Encoded(encoded.digits), encoded.replaced)
            }
            Response::Text(text) => {
                let text = if text.is_empty() { "-" } else { text };
                let encoded = Encoding::encode(text);
                (Payload::Encoded(encoded.digits), encoded.replaced)
            }
            Response::List(items) => {
                let encoded = Encoding::encode_list(items);
                (Payload::Encoded(encoded.digits), encoded.replaced)
            }
        }
    }

    /// The payload of a server push: always encoded (numbers as their digits' text).
    pub fn for_push(response: &Response) -> (Payload, Vec<char>) {
        match response {
            Response::Number(number) => {
                let encoded = Encoding::encode(&number.to_string());
                (Payload::Encoded(encoded.digits), encoded.replaced)
            }
            other => Payload::of(other, "1"),
        }
    }

    fn parts(&self) -> (&str, &'static str) {
        match self {
            Payload::Encoded(digits) => (digits, ENCODED_SUFFIX),
            Payload::Raw(digits) => (digits, RAW_SUFFIX),
        }
    }
}

/// Cuts a payload into the packet values for `FROM_HOST_n` (§4.3): while more than
/// `L = max_len − (len(id) + 6)` digits remain, `piece + "." + id + NNN + "1"` (1-based part
/// number on three digits); then `rest + "." + id + "2222"` (or `"3222"` for raw digits).
///
/// ```
/// use scratchkit_cloud_requests::{frame, Payload};
///
/// let packets = frame(&Payload::Encoded("51494733".into()), "123450", 256)?;
/// assert_eq!(packets, ["51494733.1234502222"]);
/// let packets = frame(&Payload::Encoded("1".repeat(600)), "123450", 256)?;
/// assert_eq!(packets.iter().map(String::len).collect::<Vec<_>>(), [255, 255, 123]);
/// assert!(packets[0].ends_with(".1234500011"));
/// # Ok::<(), scratchkit_cloud_requests::FrameError>(())
/// ```
///
/// # Errors
///
/// [`FrameError::TooLong`] beyond [`MAX_PARTS`] parts; [`FrameError::LimitTooSmall`] when
/// `max_len` leaves no room.
pub fn frame(payload: &Payload, id: &str, max_len: usize) -> Result<Vec<String>, FrameError> {
    let (digits, suffix) = payload.parts();
    let room = max_len
        .checked_sub(id.len() + 6)
        .filter(|room| *room > 0)
        .ok_or(FrameError::LimitTooSmall { max_len })?;
    let parts = digits.len().saturating_sub(1) / room;
    if parts > MAX_PARTS {
        return Err(FrameError::TooLong { parts });
    }
    let mut packets = Vec::with_capacity(parts + 1);
    let mut rest = digits;
    let mut number = 1;
    while rest.len() > room {
        let (piece, tail) = rest.split_at(room);
        packets.push(format!("{piece}.{id}{number:03}1"));
        rest = tail;
        number += 1;
    }
    packets.push(format!("{rest}.{id}{suffix}"));
    Ok(packets)
}

/// One `FROM_HOST_n` packet, read the way the template reads it (§5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// The digits before the first `.`.
    pub digits: String,
    /// What kind of packet.
    pub kind: PacketKind,
}

/// Kind of a [`Packet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketKind {
    /// A part packet with its 1-based number.
    Part(usize),
    /// The final packet: encoded (`2222`) or raw digits (`3222`).
    Final {
        /// Whether the payload is raw digits.
        raw: bool,
    },
}

/// Reads a `FROM_HOST_n` value as the template does: the last character says part (`1`) or
/// final (`2`); a part's number is the three characters before it; a final packet's fourth
/// character from the end is `3` for raw digits. `None` for anything else.
///
/// ```
/// use scratchkit_cloud_requests::{read_packet, PacketKind};
///
/// let packet = read_packet("12345.2234503222").unwrap();
/// assert_eq!(packet.digits, "12345");
/// assert_eq!(packet.kind, PacketKind::Final { raw: true });
/// assert_eq!(read_packet("11.4234500021").unwrap().kind, PacketKind::Part(2));
/// ```
pub fn read_packet(value: &str) -> Option<Packet> {
    let (digits, _) = value.split_once('.')?;
    let bytes = value.as_bytes();
    let kind = match bytes.last()? {
        b'2' => PacketKind::Final {
            raw: bytes.len() >= 4 && bytes[bytes.len() - 4] == b'3',
        },
        b'1' if bytes.len() >= 4 => {
            let number = value.get(value.len() - 4..value.len() - 1)?;
            PacketKind::Part(number.parse().ok()?)
        }
        _ => return None,
    };
    Some(Packet {
        digits: digits.to_owned(),
        kind,
    })
}

/// A bounded set of recently seen strings (oldest forgotten first).
#[derive(Debug, Clone, Default)]
pub(crate) struct Recent {
    order: VecDeque<String>,
    set: HashSet<String>,
    capacity: usize,
}

impl Recent {
    pub(crate) fn new(capacity: usize) -> Self {
        Recent {
            order: VecDeque::new(),
            set: HashSet::new(),
            capacity: capacity.max(1),
        }
    }

    pub(crate) fn contains(&self, item: &str) -> bool {
        self.set.contains(item)
    }

    /// Adds `item`; false if it was already there.
    pub(crate) fn insert(&mut self, item: String) -> bool {
        if self.set.contains(&item) {
            return false;
        }
        while self.order.len() >= self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        self.set.insert(item.clone());
        self.order.push_back(item);
        true
    }

    pub(crate) fn remove(&mut self, item: &str) {
        if self.set.remove(item) {
            self.order.retain(|kept| kept != item);
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &String> {
        self.order.iter()
    }
}

/// What one `TO_HOST` value amounts to, for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Incoming {
    /// A chunk was buffered, or the value is not for us.
    Nothing,
    /// Not Cloud Requests traffic, or undecodable.
    Malformed(ProtocolError),
    /// The final piece of a request already handled.
    Duplicate {
        /// Request id.
        id: String,
    },
    /// A lost-packet re-request.
    Resend {
        /// Reply id.
        id: String,
        /// 1-based packet number.
        part: usize,
    },
    /// A complete request.
    Request(AssembledRequest),
}

/// A complete request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AssembledRequest {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) args: Vec<String>,
    /// The final piece's exact value (the key of the duplicate memory and of the requester
    /// lookup).
    pub(crate) value: String,
}

/// The host's request state machine: chunk buffers (per id, expiring after the template's
/// timeout, dropped on reconnect) and the memory of completed requests, keyed by the final
/// piece's exact value so that a recycled id carrying another request is still served.
#[derive(Debug)]
pub(crate) struct Assembler {
    buffers: HashMap<String, (Instant, String)>,
    pub(crate) completed: Recent,
    ttl: Duration,
}

impl Assembler {
    pub(crate) fn new(memory: usize, ttl: Duration) -> Self {
        Assembler {
            buffers: HashMap::new(),
            completed: Recent::new(memory),
            ttl,
        }
    }

    /// Forgets partial requests (a new connection epoch).
    pub(crate) fn clear_buffers(&mut self) {
        self.buffers.clear();
    }

    /// Handles one `TO_HOST` value. With `replay_possible` (the first value of a connection:
    /// it may be the join snapshot repeating an old request), a final piece equal to a
    /// completed one is a [`Incoming::Duplicate`]. Otherwise it is a new request even if
    /// equal: ids are recycled (90 000 of them), and the same request with the same id from
    /// a live client must be answered.
    pub(crate) fn feed(&mut self, value: &str, now: Instant, replay_possible: bool) -> Incoming {
        let ttl = self.ttl;
        self.buffers
            .retain(|_, (started, _)| now.saturating_duration_since(*started) <= ttl);
        let parsed = match parse_to_host(value) {
            Ok(parsed) => parsed,
            Err(error) => return Incoming::Malformed(error),
        };
        match parsed {
            ToHost::Resend { id, part } => Incoming::Resend { id, part },
            ToHost::Chunk { id, digits } => {
                self.buffers
                    .entry(id)
                    .or_insert_with(|| (now, String::new()))
                    .1
                    .push_str(&digits);
                Incoming::Nothing
            }
            ToHost::Final { id, digits } => {
                if replay_possible && self.completed.contains(value) {
                    self.buffers.remove(&id);
                    return Incoming::Duplicate { id };
                }
                self.completed.remove(value);
                self.completed.insert(value.to_owned());
                let mut full = self
                    .buffers
                    .remove(&id)
                    .map(|(_, buffered)| buffered)
                    .unwrap_or_default();
                full.push_str(&digits);
                match Encoding::decode(&full) {
                    Ok(text) => {
                        let (name, args) = split_request(&text);
                        Incoming::Request(AssembledRequest {
                            id,
                            name,
                            args,
                            value: value.to_owned(),
                        })
                    }
                    Err(error) => Incoming::Malformed(error.into()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_request_values() {
        // §3.1: the real value saved in the template.
        assert_eq!(
            request_values("foo", &["TimMcCool"], "417950"),
            ["31494996603745462526494943.417950"]
        );
        // §3.1 example: `echo&` + 150 x = 310 digits → a `-` chunk of 245 digits, then 65.
        let long = "x".repeat(150);
        let values = request_values("echo", &[&long], "123450");
        assert_eq!(values.len(), 2);
        assert_eq!(values[0].len(), 253);
        assert!(values[0].starts_with("-292535499667"));
        assert!(values[0].ends_with(".123450"));
        assert_eq!(values[1].len(), 72);
        assert!(!values[1].starts_with('-'));
        // Unknown characters are dropped by the template.
        assert_eq!(request_values("a{", &[], "123450"), ["21.123450"]);
    }

    #[test]
    fn parsing_to_host_values() {
        assert_eq!(
            parse_to_host("-2123.123450").unwrap(),
            ToHost::Chunk {
                id: "123450".into(),
                digits: "2123".into()
            }
        );
        assert_eq!(
            parse_to_host("0.1234509").unwrap(),
            ToHost::Resend {
                id: "123450".into(),
                part: 1
            }
        );
        assert_eq!(parse_to_host("12345"), Err(ProtocolError::NoId));
        assert_eq!(parse_to_host("1.2.3"), Err(ProtocolError::ManyDots));
        assert_eq!(parse_to_host("12."), Err(ProtocolError::BadId));
        assert_eq!(parse_to_host("1-2.123450"), Err(ProtocolError::BadPayload));
        assert_eq!(parse_to_host("-1.1234509"), Err(ProtocolError::BadPayload));
    }

    #[test]
    fn reply_payloads() {
        let pong = Payload::of(&Response::from("pong"), "123450").0;
        assert_eq!(
            frame(&pong, "123450", 256).unwrap(),
            ["51494733.1234502222"]
        );
        let raw = Payload::of(&Response::from(12345u32), "223450").0;
        assert_eq!(frame(&raw, "223450", 256).unwrap(), ["12345.2234503222"]);
        // A number to an id not ending in 0 is encoded.
        assert_eq!(
            Payload::of(&Response::from(7u32), "223451").0,
            Payload::Encoded("16".into())
        );
        // Empty text is sent as `-`; lists end every item with 89.
        assert_eq!(
            Payload::of(&Response::from(""), "123450").0,
            Payload::Encoded("83".into())
        );
        assert_eq!(
            Payload::of(&Response::from(vec!["alice", "42"]), "123450").0,
            Payload::Encoded("214337252989131189".into())
        );
        // Pushes are encoded even for numbers.
        assert_eq!(
            Payload::for_push(&Response::from(5u32)).0,
            Payload::Encoded("14".into())
        );
        // §8 sample: `hi` pushed with id 1000000005569.
        let hi = Payload::for_push(&Response::from("hi")).0;
        assert_eq!(
            frame(&hi, "1000000005569", 256).unwrap(),
            ["3537.10000000055692222"]
        );
        // Lossy characters are reported.
        assert_eq!(Payload::of(&Response::from("{"), "123450").1, ['{']);
    }

    #[test]
    fn framing_lengths_and_limits() {
        let payload = Payload::Encoded("21".repeat(300));
        let packets = frame(&payload, "123450", 256).unwrap();
        assert_eq!(
            packets.iter().map(String::len).collect::<Vec<_>>(),
            [255, 255, 123]
        );
        assert!(packets[0].ends_with(".1234500011"));
        assert!(packets[1].ends_with(".1234500021"));
        assert!(packets[2].ends_with(".1234502222"));
        let joined: String = packets
            .iter()
            .map(|p| p.split('.').next().unwrap())
            .collect();
        assert_eq!(joined, "21".repeat(300));
        // Push ids leave 237 digits.
        let push = frame(&Payload::Encoded("1".repeat(238)), "1000000001234", 256).unwrap();
        assert_eq!(push[0].len(), 237 + 1 + 13 + 4);
        // Exactly L digits: one final packet.
        assert_eq!(
            frame(&Payload::Encoded("1".repeat(244)), "123450", 256)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            frame(&Payload::Encoded("1".repeat(244 * 1000)), "123450", 256)
                .unwrap()
                .len(),
            1000
        );
        assert_eq!(
            frame(&Payload::Encoded("1".repeat(244 * 1000 + 1)), "123450", 256),
            Err(FrameError::TooLong { parts: 1000 })
        );
        assert_eq!(
            frame(&Payload::Encoded("1".into()), "123450", 12),
            Err(FrameError::LimitTooSmall { max_len: 12 })
        );
    }

    #[test]
    fn reading_packets() {
        assert_eq!(
            read_packet("51494733.1234502222"),
            Some(Packet {
                digits: "51494733".into(),
                kind: PacketKind::Final { raw: false }
            })
        );
        assert_eq!(
            read_packet("2121.1234500121").unwrap().kind,
            PacketKind::Part(12)
        );
        assert_eq!(read_packet("12345"), None);
        assert_eq!(read_packet("1.5"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn assembling_chunks_duplicates_and_expiry() {
        let mut assembler = Assembler::new(35, TEMPLATE_TIMEOUT);
        let now = Instant::now();
        let long = "y".repeat(200);
        let values = request_values("echo", &[&long], "555550");
        assert_eq!(values.len(), 2);
        // Interleaved with another request.
        assert_eq!(assembler.feed(&values[0], now, false), Incoming::Nothing);
        let Incoming::Request(ping) = assembler.feed("51374733.123450", now, false) else {
            panic!("ping expected");
        };
        assert_eq!((ping.name.as_str(), ping.args.len()), ("ping", 0));
        let Incoming::Request(echo) = assembler.feed(&values[1], now, false) else {
            panic!("echo expected");
        };
        assert_eq!(echo.name, "echo");
        assert_eq!(echo.args, std::slice::from_ref(&long));
        assert_eq!(echo.value, values[1]);
        // The same final value again is a duplicate when it may be a replay (the first value
        // of a connection), a new request otherwise; the same id with other content is new.
        assert!(matches!(
            assembler.feed("51374733.123450", now, false),
            Incoming::Request(_)
        ));
        assert_eq!(
            assembler.feed("51374733.123450", now, true),
            Incoming::Duplicate {
                id: "123450".into()
            }
        );
        assert!(matches!(
            assembler.feed("2123.123450", now, false),
            Incoming::Request(_)
        ));
        // A chunk older than the template's timeout is forgotten.
        assembler.feed(&values[0].replace("555550", "666660"), now, false);
        let later = now + Duration::from_secs(11);
        // Alone, the second piece has an odd number of digits: the buffer was dropped.
        assert!(matches!(
            assembler.feed(&values[1].replace("555550", "666660"), later, false),
            Incoming::Malformed(ProtocolError::Encoding(EncodingError::OddLength { .. }))
        ));
        assert!(matches!(
            assembler.feed("1.2.3", now, false),
            Incoming::Malformed(ProtocolError::ManyDots)
        ));
        assert!(matches!(
            assembler.feed("515.777770", now, false),
            Incoming::Malformed(ProtocolError::Encoding(_))
        ));
    }
}
