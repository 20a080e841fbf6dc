//! Server pushes: data the host sends without a request (§8 of the reference).

use rand::Rng;

use super::protocol::{PUSH_ID_PREFIX, Payload, Response};
use super::server::{RequestEvent, RequestsError, RequestsHandle, lock};

/// A fresh push id: `100000000` followed by a random number from 1000 to 9999 (13 digits),
/// which the template recognises by its `.100000000` marker.
///
/// ```
/// let id = scratchkit_cloud_requests::push_id();
/// assert_eq!(id.len(), 13);
/// assert!(id.starts_with("100000000"));
/// ```
pub fn push_id() -> String {
    let number: u16 = rand::rng().random_range(1000..=9999);
    format!("{PUSH_ID_PREFIX}{number}")
}

impl RequestsHandle {
    /// Sends `data` to every running copy of the project, unrequested: framed like a reply
    /// under a fresh 13-digit [`push_id`], always encoded (the template's
    /// `on_server_message` receives it in its `response` list). Returns the push id.
    ///
    /// ```no_run
    /// # async fn run(host: scratchkit_cloud_requests::RequestsHandle) -> Result<(), scratchkit_cloud_requests::RequestsError> {
    /// host.push("The server restarts in 5 minutes")?;
    /// host.push(vec!["leaderboard", "alice 42", "bob 17"])?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`RequestsError::Frame`] when it does not fit in 999 packets,
    /// [`RequestsError::Cloud`] when the connection has closed.
    pub fn push(&self, data: impl Into<Response>) -> Result<String, RequestsError> {
        let (payload, _lossy) = Payload::for_push(&data.into());
        self.push_payload(&payload)
    }

    /// Pushes a non-negative integer as raw digits (suffix `3222`) rather than encoded.
    ///
    /// # Errors
    ///
    /// As [`push`](Self::push).
    pub fn push_raw(&self, number: u64) -> Result<String, RequestsError> {
        self.push_payload(&Payload::Raw(number.to_string()))
    }

    fn push_payload(&self, payload: &Payload) -> Result<String, RequestsError> {
        let id = push_id();
        let packets = lock(&self.responder).send(payload, &id)?;
        let _ = self.events.send(RequestEvent::Pushed {
            id: id.clone(),
            packets,
        });
        Ok(id)
    }
}

/// Whether a `FROM_HOST` value is a server push (it carries the `.100000000` marker).
///
/// ```
/// use scratchkit_cloud_requests::is_push;
///
/// assert!(is_push("3537.10000000055692222"));
/// assert!(!is_push("51494733.1234502222"));
/// ```
pub fn is_push(value: &str) -> bool {
    value.contains(&format!(".{PUSH_ID_PREFIX}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Encoding;

    #[test]
    fn push_ids_are_thirteen_digits() {
        for _ in 0..100 {
            let id = push_id();
            assert_eq!(id.len(), 13);
            let tail: u16 = id[9..].parse().unwrap();
            assert!((1000..=9999).contains(&tail));
        }
        // The reference's sample push decodes to `hi`.
        assert_eq!(Encoding::decode("3537").unwrap(), "hi");
    }
}
