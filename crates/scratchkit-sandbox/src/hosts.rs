//! Routing by host: the rewrite that serves a request by its `Host` header (with the wire
//! contract's table of [`scratchkit_wire::hosts`]) and drops trailing slashes.

use scratchkit_wire::hosts::{
    CLOUD_WS_PREFIX, Host, SANDBOX_ADMIN_PREFIX, SANDBOX_PREFIXES, TURBOWARP_WS_PREFIX,
    host_name_for_prefix, prefix_for_host_name,
};

/// The prefix for a `Host` header value (port ignored), when it names a real host.
pub(crate) fn prefix_for_host(host: &str) -> Option<&'static str> {
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(name, _)| name);
    prefix_for_host_name(name)
}

/// Removes trailing slashes (the live site accepts both forms; routes are declared without).
pub(crate) fn strip_trailing_slash(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() { "/" } else { trimmed }
}

/// The sandbox path for a request: prefixed by the `Host` header's host when it is a real
/// Scratch host (a WebSocket upgrade to `clouddata.scratch.mit.edu/` goes to `/cloud`, and
/// one to `clouddata.turbowarp.org` to `/turbowarp`), without trailing slash.
pub(crate) fn sandbox_path(host: Option<&str>, websocket: bool, path: &str) -> String {
    let path = strip_trailing_slash(path);
    let clouddata = Host::CloudData.sandbox_prefix();
    match host.and_then(prefix_for_host) {
        Some(prefix) if prefix == clouddata && websocket && path == "/" => {
            CLOUD_WS_PREFIX.to_owned()
        }
        Some(TURBOWARP_WS_PREFIX) if path == "/" => TURBOWARP_WS_PREFIX.to_owned(),
        Some(prefix) if path == "/" => prefix.to_owned(),
        Some(prefix) => format!("{prefix}{path}"),
        None => path.to_owned(),
    }
}

/// False when [`sandbox_path`] would give back `path` unchanged (no real Scratch host, no
/// trailing slash): the common case of a client talking to the sandbox's own address.
pub(crate) fn needs_rewrite(host: Option<&str>, path: &str) -> bool {
    strip_trailing_slash(path).len() != path.len() || host.and_then(prefix_for_host).is_some()
}

/// Splits a sandbox path into the logical host and the host's own path
/// (`/api/users/mres` → `("api.scratch.mit.edu", "/users/mres")`).
pub(crate) fn logical(path: &str) -> (String, String) {
    let rest = |prefix: &str| {
        let r = &path[prefix.len()..];
        if r.is_empty() {
            "/".to_owned()
        } else {
            r.to_owned()
        }
    };
    let matches = |prefix: &str| {
        path == prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|r| r.starts_with('/'))
    };
    if matches(CLOUD_WS_PREFIX) {
        return (Host::CloudData.name().to_owned(), rest(CLOUD_WS_PREFIX));
    }
    if matches(SANDBOX_ADMIN_PREFIX) {
        return ("sandbox".to_owned(), rest(SANDBOX_ADMIN_PREFIX));
    }
    if let Some(after) = path.strip_prefix("/ext/") {
        let (service, tail) = after.split_once('/').unwrap_or((after, ""));
        let host = host_name_for_prefix(&format!("/ext/{service}"))
            .map_or_else(|| service.to_owned(), str::to_owned);
        return (host, format!("/{tail}"));
    }
    for (host, prefix) in SANDBOX_PREFIXES {
        if matches(prefix) {
            return ((*host).to_owned(), rest(prefix));
        }
    }
    ("sandbox".to_owned(), path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_by_host_header() {
        assert_eq!(
            sandbox_path(Some("api.scratch.mit.edu"), false, "/users/mres/"),
            "/api/users/mres"
        );
        assert_eq!(
            sandbox_path(Some("scratch.mit.edu:443"), false, "/session/"),
            "/site/session"
        );
        assert_eq!(
            sandbox_path(Some("API.Scratch.MIT.edu"), false, "/"),
            "/api"
        );
        assert_eq!(
            sandbox_path(Some("clouddata.scratch.mit.edu"), true, "/"),
            "/cloud"
        );
        assert_eq!(
            sandbox_path(Some("clouddata.scratch.mit.edu"), false, "/logs"),
            "/clouddata/logs"
        );
        assert_eq!(
            sandbox_path(Some("my-ocular.jeffalo.net"), false, "/api/user/x"),
            "/ext/ocular/api/user/x"
        );
        assert_eq!(
            sandbox_path(Some("127.0.0.1:8080"), false, "/api/users/mres/"),
            "/api/users/mres"
        );
        assert_eq!(sandbox_path(None, false, "/"), "/");
    }

    #[test]
    fn unchanged_paths_need_no_rewrite() {
        let hosts = [
            None,
            Some("127.0.0.1:8080"),
            Some("localhost"),
            Some("api.scratch.mit.edu"),
            Some("clouddata.scratch.mit.edu"),
            Some("clouddata.turbowarp.org"),
            Some("jeffalo.net:443"),
        ];
        let paths = ["/", "//", "/api/users/x", "/api/users/x/", "/site", "/a//"];
        for host in hosts {
            for path in paths {
                for websocket in [false, true] {
                    if !needs_rewrite(host, path) {
                        assert_eq!(sandbox_path(host, websocket, path), path, "{host:?} {path}");
                    }
                }
            }
        }
        assert!(!needs_rewrite(Some("127.0.0.1:8080"), "/api/projects/1"));
        assert!(!needs_rewrite(None, "/"));
        assert!(needs_rewrite(None, "/api/projects/1/"));
        assert!(needs_rewrite(Some("api.scratch.mit.edu"), "/projects/1"));
    }

    #[test]
    fn splits_logical_host() {
        assert_eq!(
            logical("/api/users/mres"),
            ("api.scratch.mit.edu".into(), "/users/mres".into())
        );
        assert_eq!(logical("/api"), ("api.scratch.mit.edu".into(), "/".into()));
        assert_eq!(
            logical("/site/session"),
            ("scratch.mit.edu".into(), "/session".into())
        );
        assert_eq!(
            logical("/clouddata/logs"),
            ("clouddata.scratch.mit.edu".into(), "/logs".into())
        );
        assert_eq!(
            logical("/cloud"),
            ("clouddata.scratch.mit.edu".into(), "/".into())
        );
        assert_eq!(
            logical("/ext/ocular/api/user/x"),
            ("my-ocular.jeffalo.net".into(), "/api/user/x".into())
        );
        assert_eq!(logical("/apix"), ("sandbox".into(), "/apix".into()));
    }
}
