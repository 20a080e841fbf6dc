//! Scratch's hosts and the sandbox's prefixes: a sandbox serves every host on one port, each
//! under a fixed path prefix (`https://api.scratch.mit.edu/users/x` is
//! `http://ADDR/api/users/x`).

/// Every real host name and the sandbox prefix that serves it (`www.scratch.mit.edu` is the
/// site too; the cloud WebSocket of `clouddata.scratch.mit.edu` is [`CLOUD_WS_PREFIX`]).
pub const SANDBOX_PREFIXES: &[(&str, &str)] = &[
    ("api.scratch.mit.edu", "/api"),
    ("scratch.mit.edu", "/site"),
    ("www.scratch.mit.edu", "/site"),
    ("projects.scratch.mit.edu", "/projects"),
    ("assets.scratch.mit.edu", "/assets"),
    ("backpack.scratch.mit.edu", "/backpack"),
    ("cdn2.scratch.mit.edu", "/cdn2"),
    ("uploads.scratch.mit.edu", "/uploads"),
    ("clouddata.scratch.mit.edu", "/clouddata"),
    (TURBOWARP_CLOUD_HOST, TURBOWARP_WS_PREFIX),
    ("my-ocular.jeffalo.net", "/ext/ocular"),
    ("jeffalo.net", "/ext/nfe"),
    ("translate-service.scratch.mit.edu", "/ext/translate"),
    ("synthesis-service.scratch.mit.edu", "/ext/synthesis"),
];

/// The sandbox path of Scratch's cloud WebSocket (`wss://clouddata.scratch.mit.edu/`).
pub const CLOUD_WS_PREFIX: &str = "/cloud";
/// The host of TurboWarp's cloud WebSocket.
pub const TURBOWARP_CLOUD_HOST: &str = "clouddata.turbowarp.org";
/// The sandbox path of TurboWarp's cloud WebSocket.
pub const TURBOWARP_WS_PREFIX: &str = "/turbowarp";
/// The sandbox's own endpoints (state, faults, reset).
pub const SANDBOX_ADMIN_PREFIX: &str = "/_sandbox";

/// One of the HTTP hosts a client talks to.
///
/// ```
/// use scratchkit_wire::Host;
///
/// assert_eq!(Host::Site.name(), "scratch.mit.edu");
/// assert_eq!(Host::Nfe.sandbox_prefix(), "/ext/nfe");
/// assert_eq!(Host::ALL.len(), 12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host {
    /// `https://api.scratch.mit.edu`: the JSON REST API (also `/proxy/*`).
    Api,
    /// `https://scratch.mit.edu`: the old site (site-api, login, session, accounts, discuss,
    /// statistics, HTML pages).
    Site,
    /// `https://projects.scratch.mit.edu`: project JSON storage.
    Projects,
    /// `https://assets.scratch.mit.edu`: costumes and sounds.
    Assets,
    /// `https://backpack.scratch.mit.edu`: the per-user backpack.
    Backpack,
    /// `https://cdn2.scratch.mit.edu`: thumbnails and avatars.
    Cdn2,
    /// `https://uploads.scratch.mit.edu`: thumbnails and avatars (older URLs).
    Uploads,
    /// `https://clouddata.scratch.mit.edu`: cloud variable history (`/logs`).
    CloudData,
    /// `https://my-ocular.jeffalo.net`: the my-ocular third-party service (statuses).
    Ocular,
    /// `https://jeffalo.net`: the nfe third-party service ("not for everyone" checks).
    Nfe,
    /// `https://translate-service.scratch.mit.edu`: the Translate extension's service.
    Translate,
    /// `https://synthesis-service.scratch.mit.edu`: the Text to Speech extension's service.
    Synthesis,
}

impl Host {
    /// Every host.
    pub const ALL: [Host; 12] = [
        Host::Api,
        Host::Site,
        Host::Projects,
        Host::Assets,
        Host::Backpack,
        Host::Cdn2,
        Host::Uploads,
        Host::CloudData,
        Host::Ocular,
        Host::Nfe,
        Host::Translate,
        Host::Synthesis,
    ];

    /// How many hosts there are (the length of [`Host::ALL`]).
    pub const COUNT: usize = Host::ALL.len();

    /// This host's position in [`Host::ALL`] (for tables indexed by host).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The real host name (served over HTTPS on the default port).
    pub fn name(self) -> &'static str {
        match self {
            Host::Api => "api.scratch.mit.edu",
            Host::Site => "scratch.mit.edu",
            Host::Projects => "projects.scratch.mit.edu",
            Host::Assets => "assets.scratch.mit.edu",
            Host::Backpack => "backpack.scratch.mit.edu",
            Host::Cdn2 => "cdn2.scratch.mit.edu",
            Host::Uploads => "uploads.scratch.mit.edu",
            Host::CloudData => "clouddata.scratch.mit.edu",
            Host::Ocular => "my-ocular.jeffalo.net",
            Host::Nfe => "jeffalo.net",
            Host::Translate => "translate-service.scratch.mit.edu",
            Host::Synthesis => "synthesis-service.scratch.mit.edu",
        }
    }

    /// The path prefix under which a sandbox serves this host.
    pub fn sandbox_prefix(self) -> &'static str {
        // Every name of `Host::name` is in the table (checked by the tests).
        prefix_for_host_name(self.name()).unwrap_or("/")
    }
}

/// The sandbox prefix of a real host name (any case, a trailing dot ignored), or `None` for
/// any other name.
///
/// ```
/// use scratchkit_wire::hosts::prefix_for_host_name;
///
/// assert_eq!(prefix_for_host_name("API.scratch.mit.edu."), Some("/api"));
/// assert_eq!(prefix_for_host_name("www.scratch.mit.edu"), Some("/site"));
/// assert_eq!(prefix_for_host_name("example.org"), None);
/// ```
pub fn prefix_for_host_name(name: &str) -> Option<&'static str> {
    let name = name.trim_end_matches('.');
    SANDBOX_PREFIXES
        .iter()
        .find(|(real, _)| real.eq_ignore_ascii_case(name))
        .map(|(_, prefix)| *prefix)
}

/// The real host name served under a sandbox prefix (the first name in the table when there
/// are several), or `None` for a path that is no host's prefix.
///
/// ```
/// use scratchkit_wire::hosts::host_name_for_prefix;
///
/// assert_eq!(host_name_for_prefix("/site"), Some("scratch.mit.edu"));
/// assert_eq!(host_name_for_prefix("/nope"), None);
/// ```
pub fn host_name_for_prefix(prefix: &str) -> Option<&'static str> {
    SANDBOX_PREFIXES
        .iter()
        .find(|(_, p)| *p == prefix)
        .map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_host_has_a_prefix_and_prefixes_name_their_host() {
        for (index, host) in Host::ALL.into_iter().enumerate() {
            assert_eq!(host.index(), index);
            let prefix = prefix_for_host_name(host.name())
                .unwrap_or_else(|| panic!("{} has no prefix", host.name()));
            assert_eq!(host.sandbox_prefix(), prefix);
            assert_eq!(host_name_for_prefix(prefix), Some(host.name()));
        }
        assert_eq!(
            prefix_for_host_name(TURBOWARP_CLOUD_HOST),
            Some(TURBOWARP_WS_PREFIX)
        );
    }

    #[test]
    fn prefixes_are_distinct_path_segments() {
        for (name, prefix) in SANDBOX_PREFIXES {
            assert!(prefix.starts_with('/') && !prefix.ends_with('/'), "{name}");
            assert_ne!(*prefix, CLOUD_WS_PREFIX);
            assert_ne!(*prefix, SANDBOX_ADMIN_PREFIX);
        }
    }
}
