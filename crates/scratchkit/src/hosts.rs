//! Base URLs of every Scratch host (and of the sandbox that stands in for them), built from
//! the host names and sandbox prefixes of [`scratchkit_wire::hosts`].

use std::net::SocketAddr;

use url::Url;

/// One of the HTTP hosts the client talks to (defined with the rest of the wire contract in
/// [`scratchkit_wire`]).
///
/// Used with [`Hosts::url`] and the [raw escape hatch](crate::Raw) to say which base URL a path
/// belongs to.
pub use scratchkit_wire::Host;
use scratchkit_wire::hosts::{CLOUD_WS_PREFIX, TURBOWARP_CLOUD_HOST, TURBOWARP_WS_PREFIX};

/// Every base URL the client uses, in one value.
///
/// [`Hosts::scratch`] is the live site; [`Hosts::sandbox`] points every host at a local
/// scratchkit sandbox, which serves them all on one port under fixed prefixes:
///
/// | host | live | sandbox |
/// |---|---|---|
/// | [`Host::Api`] | `https://api.scratch.mit.edu` | `http://ADDR/api` |
/// | [`Host::Site`] | `https://scratch.mit.edu` | `http://ADDR/site` |
/// | [`Host::Projects`] | `https://projects.scratch.mit.edu` | `http://ADDR/projects` |
/// | [`Host::Assets`] | `https://assets.scratch.mit.edu` | `http://ADDR/assets` |
/// | [`Host::Backpack`] | `https://backpack.scratch.mit.edu` | `http://ADDR/backpack` |
/// | [`Host::Cdn2`] | `https://cdn2.scratch.mit.edu` | `http://ADDR/cdn2` |
/// | [`Host::Uploads`] | `https://uploads.scratch.mit.edu` | `http://ADDR/uploads` |
/// | [`Host::CloudData`] | `https://clouddata.scratch.mit.edu` | `http://ADDR/clouddata` |
/// | cloud WebSocket | `wss://clouddata.scratch.mit.edu` | `ws://ADDR/cloud` |
/// | TurboWarp cloud WebSocket | `wss://clouddata.turbowarp.org` | `ws://ADDR/turbowarp` |
/// | [`Host::Ocular`] | `https://my-ocular.jeffalo.net` | `http://ADDR/ext/ocular` |
/// | [`Host::Nfe`] | `https://jeffalo.net` | `http://ADDR/ext/nfe` |
/// | [`Host::Translate`] | `https://translate-service.scratch.mit.edu` | `http://ADDR/ext/translate` |
/// | [`Host::Synthesis`] | `https://synthesis-service.scratch.mit.edu` | `http://ADDR/ext/synthesis` |
///
/// Any single base URL can be overridden with [`Hosts::with`] (or the WebSocket setters).
///
/// ```
/// use scratchkit::{Host, Hosts};
///
/// let hosts = Hosts::sandbox("127.0.0.1:8080".parse().unwrap());
/// assert_eq!(
///     hosts.url(Host::Api, "/users/griffpatch").as_str(),
///     "http://127.0.0.1:8080/api/users/griffpatch"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    /// The base URL of each host, by [`Host::index`].
    bases: [Url; Host::COUNT],
    cloud_ws: Url,
    turbowarp_ws: Url,
    sandbox: bool,
}

/// `scheme://name/` for one of the wire contract's host names.
fn fixed(scheme: &str, name: &str) -> Url {
    // The names are the wire crate's constants, all valid host names; a failure is a bug there
    // and is caught by the unit tests.
    Url::parse(&format!("{scheme}://{name}/"))
        .unwrap_or_else(|e| panic!("invalid built-in host {name}: {e}"))
}

/// `base` with `suffix` (which starts with `/`) appended to its path.
fn with_suffix(base: &Url, suffix: &str) -> Url {
    let mut url = base.clone();
    let path = format!("{}{}", base.path().trim_end_matches('/'), suffix);
    url.set_path(&path);
    url.set_query(None);
    url.set_fragment(None);
    url
}

/// `url` with its scheme switched from HTTP(S) to WS(S).
fn to_ws(mut url: Url) -> Url {
    let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
    // http <-> ws are both "special" schemes, so this cannot fail for an http(s) base; for any
    // other base the URL is kept as it is.
    let _ = url.set_scheme(scheme);
    url
}

impl Hosts {
    /// The live Scratch website and the third-party services it links to.
    pub fn scratch() -> Self {
        Self {
            bases: Host::ALL.map(|host| fixed("https", host.name())),
            cloud_ws: fixed("wss", Host::CloudData.name()),
            turbowarp_ws: fixed("wss", TURBOWARP_CLOUD_HOST),
            sandbox: false,
        }
    }

    /// A scratchkit sandbox listening on `addr` (plain HTTP), with the prefixes of the table
    /// above.
    pub fn sandbox(addr: SocketAddr) -> Self {
        // A SocketAddr always formats as a valid authority (IPv6 in brackets).
        let base = Url::parse(&format!("http://{addr}/"))
            .unwrap_or_else(|e| panic!("socket address {addr} is not a valid URL host: {e}"));
        Self::sandbox_url(base)
    }

    /// A sandbox served under any base URL (for example behind a reverse proxy at
    /// `https://example.org/scratch/`): every host gets its prefix appended to `base`'s path, and
    /// the WebSocket URLs use `ws`/`wss` to match `http`/`https`.
    ///
    /// ```
    /// use scratchkit::{Host, Hosts};
    /// use scratchkit::Url;
    ///
    /// let hosts = Hosts::sandbox_url(Url::parse("https://example.org/scratch/").unwrap());
    /// assert_eq!(hosts.url(Host::Site, "/session/").as_str(), "https://example.org/scratch/site/session/");
    /// assert_eq!(hosts.cloud_ws().as_str(), "wss://example.org/scratch/cloud");
    /// ```
    pub fn sandbox_url(base: Url) -> Self {
        Self {
            bases: Host::ALL.map(|host| with_suffix(&base, host.sandbox_prefix())),
            cloud_ws: to_ws(with_suffix(&base, CLOUD_WS_PREFIX)),
            turbowarp_ws: to_ws(with_suffix(&base, TURBOWARP_WS_PREFIX)),
            sandbox: true,
        }
    }

    /// Whether these hosts were made by [`Hosts::sandbox`] or [`Hosts::sandbox_url`] (the client
    /// then uses no rate limit by default).
    pub fn is_sandbox(&self) -> bool {
        self.sandbox
    }

    /// The base URL of `host`.
    pub fn base(&self, host: Host) -> &Url {
        &self.bases[host.index()]
    }

    /// Replaces the base URL of one host. A path in `base` is kept as a prefix by
    /// [`Hosts::url`].
    ///
    /// ```
    /// use scratchkit::{Host, Hosts};
    /// use scratchkit::Url;
    ///
    /// let hosts = Hosts::scratch().with(Host::Api, Url::parse("http://127.0.0.1:9000/v1").unwrap());
    /// assert_eq!(hosts.url(Host::Api, "/health").as_str(), "http://127.0.0.1:9000/v1/health");
    /// ```
    pub fn with(mut self, host: Host, base: Url) -> Self {
        self.bases[host.index()] = base;
        self
    }

    /// The WebSocket URL of Scratch's cloud variable server.
    pub fn cloud_ws(&self) -> &Url {
        &self.cloud_ws
    }

    /// Replaces the WebSocket URL of Scratch's cloud variable server.
    pub fn with_cloud_ws(mut self, url: Url) -> Self {
        self.cloud_ws = url;
        self
    }

    /// The WebSocket URL of TurboWarp's cloud variable server.
    pub fn turbowarp_ws(&self) -> &Url {
        &self.turbowarp_ws
    }

    /// Replaces the WebSocket URL of TurboWarp's cloud variable server.
    pub fn with_turbowarp_ws(mut self, url: Url) -> Self {
        self.turbowarp_ws = url;
        self
    }

    /// The full URL of `path` on `host`.
    ///
    /// `path` should start with `/` (one is added if it does not) and holds no query string
    /// (characters such as `?` and `#` are percent-encoded). The base URL's own path is kept as a
    /// prefix, so the sandbox's `/api` survives the join.
    pub fn url(&self, host: Host, path: &str) -> Url {
        if path.starts_with('/') {
            with_suffix(self.base(host), path)
        } else {
            with_suffix(self.base(host), &format!("/{path}"))
        }
    }
}

impl Default for Hosts {
    /// The live site ([`Hosts::scratch`]).
    fn default() -> Self {
        Self::scratch()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_hosts() {
        let h = Hosts::scratch();
        let expected = [
            "https://api.scratch.mit.edu/x",
            "https://scratch.mit.edu/x",
            "https://projects.scratch.mit.edu/x",
            "https://assets.scratch.mit.edu/x",
            "https://backpack.scratch.mit.edu/x",
            "https://cdn2.scratch.mit.edu/x",
            "https://uploads.scratch.mit.edu/x",
            "https://clouddata.scratch.mit.edu/x",
            "https://my-ocular.jeffalo.net/x",
            "https://jeffalo.net/x",
            "https://translate-service.scratch.mit.edu/x",
            "https://synthesis-service.scratch.mit.edu/x",
        ];
        for (host, want) in Host::ALL.iter().zip(expected) {
            assert_eq!(h.url(*host, "/x").as_str(), want, "{host:?}");
        }
        assert_eq!(h.cloud_ws().as_str(), "wss://clouddata.scratch.mit.edu/");
        assert_eq!(h.turbowarp_ws().as_str(), "wss://clouddata.turbowarp.org/");
        assert!(!h.is_sandbox());
        assert_eq!(Hosts::default(), h);
    }

    #[test]
    fn sandbox_hosts_follow_the_design_table() {
        let h = Hosts::sandbox("127.0.0.1:4000".parse().unwrap());
        let expected = [
            "http://127.0.0.1:4000/api/users/a",
            "http://127.0.0.1:4000/site/users/a",
            "http://127.0.0.1:4000/projects/users/a",
            "http://127.0.0.1:4000/assets/users/a",
            "http://127.0.0.1:4000/backpack/users/a",
            "http://127.0.0.1:4000/cdn2/users/a",
            "http://127.0.0.1:4000/uploads/users/a",
            "http://127.0.0.1:4000/clouddata/users/a",
            "http://127.0.0.1:4000/ext/ocular/users/a",
            "http://127.0.0.1:4000/ext/nfe/users/a",
            "http://127.0.0.1:4000/ext/translate/users/a",
            "http://127.0.0.1:4000/ext/synthesis/users/a",
        ];
        for (host, want) in Host::ALL.iter().zip(expected) {
            assert_eq!(h.url(*host, "/users/a").as_str(), want, "{host:?}");
        }
        assert_eq!(
            h.url(Host::CloudData, "/logs").as_str(),
            "http://127.0.0.1:4000/clouddata/logs"
        );
        assert_eq!(h.cloud_ws().as_str(), "ws://127.0.0.1:4000/cloud");
        assert_eq!(h.turbowarp_ws().as_str(), "ws://127.0.0.1:4000/turbowarp");
        assert!(h.is_sandbox());
    }

    #[test]
    fn sandbox_ipv6_and_base_with_prefix() {
        let h = Hosts::sandbox("[::1]:80".parse().unwrap());
        assert_eq!(h.url(Host::Api, "/a").as_str(), "http://[::1]/api/a");

        let h = Hosts::sandbox_url(Url::parse("https://example.org/pre/").unwrap());
        assert_eq!(
            h.url(Host::Projects, "/1").as_str(),
            "https://example.org/pre/projects/1"
        );
        assert_eq!(h.turbowarp_ws().as_str(), "wss://example.org/pre/turbowarp");
    }

    #[test]
    fn join_keeps_prefix_trailing_slash_and_adds_missing_slash() {
        let h = Hosts::scratch().with(Host::Site, Url::parse("http://h/prefix/").unwrap());
        assert_eq!(
            h.url(Host::Site, "/session/").as_str(),
            "http://h/prefix/session/"
        );
        assert_eq!(
            h.url(Host::Site, "session").as_str(),
            "http://h/prefix/session"
        );
        assert_eq!(h.url(Host::Site, "/").as_str(), "http://h/prefix/");
        // A query-like path is encoded, not turned into a query.
        assert_eq!(h.url(Host::Site, "/a?b").as_str(), "http://h/prefix/a%3Fb");
        // Other hosts are untouched.
        assert_eq!(
            h.url(Host::Api, "/x").as_str(),
            "https://api.scratch.mit.edu/x"
        );
    }

    #[test]
    fn websocket_setters() {
        let h = Hosts::scratch()
            .with_cloud_ws(Url::parse("ws://127.0.0.1:1/c").unwrap())
            .with_turbowarp_ws(Url::parse("ws://127.0.0.1:1/t").unwrap());
        assert_eq!(h.cloud_ws().as_str(), "ws://127.0.0.1:1/c");
        assert_eq!(h.turbowarp_ws().as_str(), "ws://127.0.0.1:1/t");
    }
}
