//! The limits themselves and the count of open connections they are checked against.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The connection, request-head and body limits of a server.
///
/// The defaults are generous enough for benchmarks that open hundreds of connections from
/// loopback, and tight enough that one misbehaving client cannot exhaust the process.
///
/// ```
/// use std::time::Duration;
/// use scratchkit_cloud_server::http_serve::ServerLimits;
///
/// let limits = ServerLimits {
///     max_connections_per_ip: 8,
///     header_read_timeout: Duration::from_secs(5),
///     ..ServerLimits::default()
/// };
/// assert_eq!(limits.max_connections, ServerLimits::default().max_connections);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerLimits {
    /// Connections open at once, all addresses together (WebSockets included). A connection
    /// over the limit is answered `503 Service Unavailable` and closed.
    pub max_connections: usize,
    /// Connections open at once from one IP address. A connection over the limit is answered
    /// `503 Service Unavailable` and closed, while other addresses are still served.
    pub max_connections_per_ip: usize,
    /// Time a client has to send a whole request head once it has started one; a client
    /// that is slower (a "slowloris") is disconnected.
    pub header_read_timeout: Duration,
    /// Size of a request head (request line and headers) in bytes; a larger head is answered
    /// `431 Request Header Fields Too Large`. Values below 8 192 are raised to 8 192.
    pub max_header_bytes: usize,
    /// Size of a request body in bytes for routes that do not set their own limit; a larger
    /// body is answered `413 Payload Too Large`. The server applies it as axum's
    /// `DefaultBodyLimit` on its router (see [`body_limit`](super::body_limit)).
    pub max_body_bytes: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            max_connections_per_ip: 1024,
            header_read_timeout: Duration::from_secs(30),
            max_header_bytes: 64 * 1024,
            max_body_bytes: 2 * 1024 * 1024,
        }
    }
}

impl ServerLimits {
    /// The head size hyper is given: hyper refuses buffers below 8 KiB.
    pub(crate) fn header_buffer(&self) -> usize {
        self.max_header_bytes.max(8192)
    }
}

/// Why a connection was refused before any request was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// [`ServerLimits::max_connections`] reached.
    Total(usize),
    /// [`ServerLimits::max_connections_per_ip`] reached for this address.
    PerAddress(usize),
}

impl Refusal {
    /// The whole HTTP response sent on a refused connection before it is closed.
    pub(crate) fn response(self, ip: IpAddr) -> String {
        let body = match self {
            Refusal::Total(limit) => {
                format!("too many connections to this server (limit {limit}); retry shortly\n")
            }
            Refusal::PerAddress(limit) => {
                format!(
                    "too many connections from {ip} (limit {limit} per address); retry shortly\n"
                )
            }
        };
        format!(
            "HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\nretry-after: 1\r\n\
             content-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
    }
}

/// Counts open connections, in total and per address.
#[derive(Debug, Clone)]
pub(crate) struct ConnectionCounter {
    inner: Arc<Mutex<Counts>>,
    max_total: usize,
    max_per_ip: usize,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

impl ConnectionCounter {
    pub(crate) fn new(limits: &ServerLimits) -> Self {
        Self {
            inner: Arc::default(),
            max_total: limits.max_connections,
            max_per_ip: limits.max_connections_per_ip,
        }
    }

    /// Counts a new connection from `ip`, or says which limit it is over. The connection is
    /// counted until the returned slot is dropped.
    pub(crate) fn admit(&self, ip: IpAddr) -> Result<ConnectionSlot, Refusal> {
        let mut counts = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if counts.total >= self.max_total {
            return Err(Refusal::Total(self.max_total));
        }
        let from_ip = counts.per_ip.entry(ip).or_insert(0);
        if *from_ip >= self.max_per_ip {
            return Err(Refusal::PerAddress(self.max_per_ip));
        }
        *from_ip += 1;
        counts.total += 1;
        Ok(ConnectionSlot {
            counter: self.inner.clone(),
            ip,
        })
    }

    /// Connections counted now.
    #[cfg(test)]
    fn open(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

/// One admitted connection; dropping it frees its place.
#[derive(Debug)]
pub(crate) struct ConnectionSlot {
    counter: Arc<Mutex<Counts>>,
    ip: IpAddr,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut counts = self.counter.lock().unwrap_or_else(|e| e.into_inner());
        counts.total = counts.total.saturating_sub(1);
        if let Some(n) = counts.per_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                counts.per_ip.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(total: usize, per_ip: usize) -> ConnectionCounter {
        ConnectionCounter::new(&ServerLimits {
            max_connections: total,
            max_connections_per_ip: per_ip,
            ..ServerLimits::default()
        })
    }

    #[test]
    fn one_address_is_held_to_its_share_while_others_get_in() {
        let c = counter(10, 2);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = c.admit(a).expect("first");
        let _second = c.admit(a).expect("second");
        assert_eq!(c.admit(a).unwrap_err(), Refusal::PerAddress(2));
        let _other = c.admit(b).expect("another address is still admitted");
        drop(first);
        assert!(c.admit(a).is_ok(), "a freed slot can be used again");
    }

    #[test]
    fn the_total_is_shared_by_every_address_and_freed_on_drop() {
        let c = counter(2, 10);
        let slots: Vec<_> = (1..=2u8)
            .map(|i| c.admit([10, 0, 0, i].into()).expect("under the total"))
            .collect();
        assert_eq!(
            c.admit([10, 0, 0, 3].into()).unwrap_err(),
            Refusal::Total(2)
        );
        drop(slots);
        assert_eq!(c.open(), 0);
        assert!(c.inner.lock().unwrap().per_ip.is_empty());
    }

    #[test]
    fn a_refusal_is_a_complete_http_response_that_names_the_limit() {
        let text = Refusal::PerAddress(3).response([127, 0, 0, 1].into());
        let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
        assert!(head.starts_with("HTTP/1.1 503 "));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        assert!(body.contains("127.0.0.1") && body.contains("limit 3"));
    }

    #[test]
    fn tiny_head_limits_are_raised_to_what_hyper_accepts() {
        let limits = ServerLimits {
            max_header_bytes: 100,
            ..ServerLimits::default()
        };
        assert_eq!(limits.header_buffer(), 8192);
        assert_eq!(ServerLimits::default().header_buffer(), 64 * 1024);
    }
}
