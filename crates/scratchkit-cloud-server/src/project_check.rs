//! Asking an operator's URL whether a project may have a room, with a cache and a timeout.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Where and how to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectCheck {
    /// The URL, `{id}` replaced by the percent-encoded project id.
    pub url: String,
    /// No answer in this time counts as no answer (4003, not cached).
    pub timeout: Duration,
    /// How long an answer is reused.
    pub cache_for: Duration,
}

/// What the check said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// 2xx.
    Allowed,
    /// 403, 404 or 410.
    Refused,
    /// Anything else, an error or a timeout.
    Unknown,
}

/// The check with its cache of definite answers.
#[derive(Debug)]
pub(crate) struct Checker {
    check: ProjectCheck,
    client: reqwest::Client,
    cache: Mutex<HashMap<String, (bool, Instant)>>,
}

/// Most answers kept; the cache is emptied of stale entries when it is full.
const CACHE_LIMIT: usize = 100_000;

fn encode(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl Checker {
    pub(crate) fn new(check: ProjectCheck) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(check.timeout)
            .redirect(reqwest::redirect::Policy::limited(3))
            .user_agent(concat!(
                "scratchkit-cloud-server/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .unwrap_or_default();
        Checker {
            check,
            client,
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, (bool, Instant)>> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cached answer for `id`, if fresh.
    pub(crate) fn cached(&self, id: &str) -> Verdict {
        match self.cache().get(id) {
            Some((allowed, at)) if at.elapsed() < self.check.cache_for => {
                if *allowed {
                    Verdict::Allowed
                } else {
                    Verdict::Refused
                }
            }
            _ => Verdict::Unknown,
        }
    }

    /// Asks the URL unless a fresh answer is cached; definite answers are cached.
    pub(crate) async fn ask(&self, id: &str) -> Verdict {
        let cached = self.cached(id);
        if cached != Verdict::Unknown {
            return cached;
        }
        let url = self.check.url.replace("{id}", &encode(id));
        let verdict = match tokio::time::timeout(self.check.timeout, self.client.get(&url).send())
            .await
        {
            Ok(Ok(response)) if response.status().is_success() => Verdict::Allowed,
            Ok(Ok(response)) if matches!(response.status().as_u16(), 403 | 404 | 410) => {
                Verdict::Refused
            }
            Ok(Ok(response)) => {
                tracing::warn!(status = %response.status(), "project check answered neither yes nor no");
                Verdict::Unknown
            }
            Ok(Err(error)) => {
                tracing::warn!(%error, "project check failed");
                Verdict::Unknown
            }
            Err(_) => {
                tracing::warn!("project check timed out");
                Verdict::Unknown
            }
        };
        if verdict != Verdict::Unknown {
            let mut cache = self.cache();
            if cache.len() >= CACHE_LIMIT {
                let fresh_for = self.check.cache_for;
                cache.retain(|_, (_, at)| at.elapsed() < fresh_for);
                if cache.len() >= CACHE_LIMIT {
                    cache.clear();
                }
            }
            cache.insert(id.to_owned(), (verdict == Verdict::Allowed, Instant::now()));
        }
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn ids_are_percent_encoded() {
        assert_eq!(encode("123"), "123");
        assert_eq!(encode("a b/?"), "a%20b%2F%3F");
    }
}
