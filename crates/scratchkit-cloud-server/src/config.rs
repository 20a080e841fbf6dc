//! The server's configuration: a TOML file, environment variables and command-line flags over
//! the defaults of two presets (Scratch's rules and TurboWarp's).
//!
//! Every setting has a key (`turbowarp.max_variables`), an environment variable
//! (`SCRATCH_CLOUD_TURBOWARP_MAX_VARIABLES`) and a flag (`--turbowarp-max-variables`); see
//! [`KEYS`]. A value given by flag wins over the environment, which wins over the file, which
//! wins over the preset's default.
//!
//! ```
//! use scratchkit_cloud_server::{ConfigSources, ServerConfig};
//!
//! let sources = ConfigSources {
//!     file_text: Some(("cloud.toml".into(), "clients_per_room = 50\n[turbowarp]\nmax_variables = 64\n".into())),
//!     env: vec![("SCRATCH_CLOUD_CLIENTS_PER_ROOM".into(), "60".into())],
//!     flags: vec![],
//! };
//! let config = ServerConfig::load(&sources).unwrap();
//! assert_eq!(config.clients_per_room, 60);
//! assert_eq!(config.turbowarp.max_variables, 64);
//! assert_eq!(config.scratch.max_variables, 10);
//! ```

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;

use std::time::Duration;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::blocks_file::{BLOCKS_FILE, BlocksFile};
use crate::filters::WordFilter;
use crate::gatekeeper::OperatorOptions;
use crate::options::{CloudMode, CloudOptions, InboundRate, OverLimit};
use crate::project_check::ProjectCheck;

/// Prefix of the environment variables.
pub const ENV_PREFIX: &str = "SCRATCH_CLOUD_";

/// What a setting's value looks like, for reading it from an environment variable or a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A whole number.
    Integer,
    /// A number.
    Float,
    /// `true` or `false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
    Bool,
    /// Text.
    Text,
    /// A comma-separated list of texts.
    List,
    /// `all`, or a comma-separated list.
    AllOrList,
    /// Text that is never shown.
    Secret,
}

/// One setting: its key in the file, its flag, its kind and what it does.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// Dotted key in the TOML file (`section.name`).
    pub path: &'static str,
    /// The command-line flag, without `--`.
    pub flag: &'static str,
    /// The value's kind.
    pub kind: KeyKind,
    /// One line of help.
    pub help: &'static str,
}

impl Key {
    /// The environment variable: [`ENV_PREFIX`] and the key in upper case, `.` as `_`.
    ///
    /// ```
    /// use scratchkit_cloud_server::KEYS;
    /// let key = KEYS.iter().find(|k| k.path == "turbowarp.max_variables").unwrap();
    /// assert_eq!(key.env(), "SCRATCH_CLOUD_TURBOWARP_MAX_VARIABLES");
    /// ```
    pub fn env(&self) -> String {
        format!("{ENV_PREFIX}{}", self.path.replace('.', "_").to_uppercase())
    }
}

macro_rules! keys {
    ($( $path:literal, $flag:literal, $kind:ident, $help:literal; )*) => {
        /// Every setting, in the order `--print-config` shows them.
        pub const KEYS: &[Key] = &[$( Key { path: $path, flag: $flag, kind: KeyKind::$kind, help: $help } ),*];
    };
}

keys! {
    "listen", "listen", Text, "address and port to listen on";
    "data", "data", Text, "directory of the database that keeps values across restarts";
    "redis", "redis", Secret, "Redis URL shared by several instances (unset: this instance alone)";
    "root", "root", Text, "rules served on `/`: turbowarp, scratch or none";
    "clients_per_room", "clients-per-room", Integer, "clients in one room";
    "rooms", "rooms", Integer, "rooms with clients at once";
    "connections_per_ip", "connections-per-ip", Integer, "open connections from one address (0: no limit)";
    "max_connections", "max-connections", Integer, "open TCP connections in all, WebSockets included (over it: HTTP 503)";
    "header_timeout_secs", "header-timeout-secs", Integer, "time a client has to send its HTTP request head (slower ones are dropped)";
    "trusted_proxies", "trusted-proxies", List, "proxies (addresses or CIDRs) whose X-Forwarded-For is believed";
    "shutdown_grace_secs", "shutdown-grace-secs", Integer, "how long a graceful shutdown waits for clients to close";
    "max_gather_ms", "max-gather-ms", Integer, "longest a busy connection gathers lines between two writes (0: writes at once)";
    "threads", "threads", Integer, "threads that run the server: 1 (least CPU per delivery), more for more cores, 0 one per core";
    "projects.allow", "projects-allow", AllOrList, "projects that may have a room: all, or a list of ids";
    "projects.check_url", "projects-check-url", Text, "URL asked whether a project may have a room ({id} is replaced)";
    "projects.check_timeout_ms", "projects-check-timeout-ms", Integer, "timeout of the check";
    "projects.check_cache_secs", "projects-check-cache-secs", Integer, "how long a check's answer is reused";
    "admin.token", "admin-token", Secret, "bearer token of the admin API (unset: no admin API)";
    "admin.token_file", "admin-token-file", Text, "file holding the admin token";
    "admin.public_values", "admin-public-values", Bool, "serve a room's values read-only at /values/{rules}/{project}";
    "scratch.preset", "scratch-preset", Text, "limits the /cloud rules start from: scratch or turbowarp";
    "scratch.max_variables", "scratch-max-variables", Integer, "variables per room";
    "scratch.max_value_len", "scratch-max-value-len", Integer, "longest value, in characters";
    "scratch.sets_per_second", "scratch-sets-per-second", Float, "sets per second per connection (0: no limit)";
    "scratch.burst", "scratch-burst", Integer, "sets accepted at once above the rate";
    "scratch.over_limit", "scratch-over-limit", Text, "over the rate: drop the message or close the connection";
    "scratch.room_expiry_secs", "scratch-room-expiry-secs", Integer, "an empty room's values are forgotten after this (0: kept)";
    "scratch.allowed_origins", "scratch-allowed-origins", List, "accepted Origin headers (empty: any)";
    "scratch.blocked_usernames", "scratch-blocked-usernames", List, "usernames refused at handshake";
    "scratch.username_filter", "scratch-username-filter", Text, "filter file of refused usernames";
    "turbowarp.preset", "turbowarp-preset", Text, "limits the /turbowarp rules start from: turbowarp or scratch";
    "turbowarp.max_variables", "turbowarp-max-variables", Integer, "variables per room";
    "turbowarp.max_value_len", "turbowarp-max-value-len", Integer, "longest value, in characters";
    "turbowarp.sets_per_second", "turbowarp-sets-per-second", Float, "sets per second per connection (0: no limit)";
    "turbowarp.burst", "turbowarp-burst", Integer, "sets accepted at once above the rate";
    "turbowarp.over_limit", "turbowarp-over-limit", Text, "over the rate: drop the message or close the connection";
    "turbowarp.room_expiry_secs", "turbowarp-room-expiry-secs", Integer, "an empty room's values are forgotten after this (0: kept)";
    "turbowarp.allowed_origins", "turbowarp-allowed-origins", List, "accepted Origin headers (empty: any)";
    "turbowarp.blocked_usernames", "turbowarp-blocked-usernames", List, "usernames refused at handshake";
    "turbowarp.username_filter", "turbowarp-username-filter", Text, "filter file of refused usernames";
    "turbowarp.name_filter", "turbowarp-name-filter", Text, "filter file of refused variable names";
    "turbowarp.require_user_agent", "turbowarp-require-user-agent", Bool, "refuse clients without a User-Agent";
}

/// A rule set whose limits a section starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// clouddata.scratch.mit.edu: 10 variables, 256 characters, 10 sets/s (burst 15, excess
    /// dropped), rooms kept.
    Scratch,
    /// clouddata.turbowarp.org: 128 variables, 100 000 characters, no rate limit, empty rooms
    /// forgotten after an hour.
    Turbowarp,
}

/// Which rules `/` serves (TurboWarp's clients connect to the server's root).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RootRules {
    /// TurboWarp rules on `/`.
    Turbowarp,
    /// Scratch rules on `/`.
    Scratch,
    /// Nothing on `/` besides a short text.
    None,
}

/// Over the rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OverLimitSetting {
    /// Drop the message.
    Drop,
    /// Close the connection (4000).
    Close,
}

/// Projects that may have a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProjectList {
    /// `"all"`.
    All(AllWord),
    /// Only these ids.
    Only(Vec<String>),
}

/// The word `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AllWord {
    /// `all`.
    All,
}

/// An address or a network (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Network(pub IpNet);

impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if let Ok(net) = text.parse::<IpNet>() {
            return Ok(Network(net));
        }
        text.parse::<IpAddr>()
            .map(|addr| Network(IpNet::from(addr)))
            .map_err(|_| format!("`{text}` is not an address or a CIDR network"))
    }
}

impl TryFrom<String> for Network {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Network> for String {
    fn from(net: Network) -> String {
        net.0.to_string()
    }
}

/// A secret (the admin token): never shown by `Debug` or [`ServerConfig::to_toml`].
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("[redacted]")
    }
}

/// `[projects]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectsConfig {
    /// `all`, or the ids that may have a room.
    pub allow: ProjectList,
    /// Asked with `GET` (`{id}` replaced by the project id) before a room opens: a 2xx answer
    /// allows the project, 403/404/410 refuse it (close 4004); anything else, or no answer in
    /// time, closes with 4003 (the client retries later).
    pub check_url: Option<String>,
    /// Timeout of the check.
    pub check_timeout_ms: u64,
    /// How long an answer (allowed or refused) is reused.
    pub check_cache_secs: u64,
}

impl Default for ProjectsConfig {
    fn default() -> Self {
        ProjectsConfig {
            allow: ProjectList::All(AllWord::All),
            check_url: None,
            check_timeout_ms: 2_000,
            check_cache_secs: 300,
        }
    }
}

/// `[admin]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminConfig {
    /// The bearer token; without it (and without `token_file`) the admin API answers 404.
    pub token: Option<Secret>,
    /// A file whose first line is the token.
    pub token_file: Option<PathBuf>,
    /// Serve `GET /values/{rules}/{project}` (read-only, no token).
    pub public_values: bool,
}

/// `[scratch]` and `[turbowarp]`: the rules of one endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// The preset the limits below default to.
    pub preset: Preset,
    /// Variables per room.
    pub max_variables: usize,
    /// Longest value.
    pub max_value_len: usize,
    /// Sets per second per connection; 0 for no limit.
    pub sets_per_second: f64,
    /// Sets accepted at once.
    pub burst: u32,
    /// Over the rate.
    pub over_limit: OverLimitSetting,
    /// Seconds an empty room keeps its values; 0 keeps them.
    pub room_expiry_secs: u64,
    /// Accepted `Origin` headers; empty accepts any.
    pub allowed_origins: Vec<String>,
    /// Usernames refused with 4002 (letters and digits compared, case ignored).
    pub blocked_usernames: Vec<String>,
    /// A filter file of refused usernames.
    pub username_filter: Option<PathBuf>,
    /// A filter file of refused variable names (TurboWarp rules only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_filter: Option<PathBuf>,
    /// Refuse clients without a User-Agent (TurboWarp rules only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_user_agent: Option<bool>,
}

impl RulesConfig {
    /// The defaults of `endpoint`'s section with the limits of `preset`.
    pub fn preset(endpoint: Preset, preset: Preset) -> Self {
        let (max_variables, max_value_len, sets_per_second, room_expiry_secs) = match preset {
            Preset::Scratch => (10, 256, 10.0, 0),
            Preset::Turbowarp => (128, 100_000, 0.0, 3_600),
        };
        let (allowed_origins, blocked_usernames, require_user_agent) = match endpoint {
            Preset::Scratch => (vec!["https://scratch.mit.edu".to_owned()], Vec::new(), None),
            Preset::Turbowarp => (
                Vec::new(),
                ["ScratchCat", "Scratch", "ScratchTeam", "TurboWarp"]
                    .map(String::from)
                    .to_vec(),
                Some(true),
            ),
        };
        RulesConfig {
            preset,
            max_variables,
            max_value_len,
            sets_per_second,
            burst: 15,
            over_limit: OverLimitSetting::Drop,
            room_expiry_secs,
            allowed_origins,
            blocked_usernames,
            username_filter: None,
            name_filter: None,
            require_user_agent,
        }
    }
}

/// The whole configuration, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address and port.
    pub listen: SocketAddr,
    /// Database directory (values survive a restart); `None` keeps them in memory.
    pub data: Option<PathBuf>,
    /// Redis URL shared by several instances (`redis://[[user]:password@]host[:port][/db]`
    /// or `unix:///path`); `None` runs alone. Shown as `[redacted]`: it may hold a password.
    pub redis: Option<Secret>,
    /// Rules on `/`.
    pub root: RootRules,
    /// Clients per room.
    pub clients_per_room: usize,
    /// Rooms with clients at once.
    pub rooms: usize,
    /// Open connections from one address; 0 for no limit.
    pub connections_per_ip: usize,
    /// Open TCP connections in all ([`ServerLimits::max_connections`](crate::http_serve::ServerLimits)).
    pub max_connections: usize,
    /// Seconds a client has to send its HTTP request head
    /// ([`ServerLimits::header_read_timeout`](crate::http_serve::ServerLimits)).
    pub header_timeout_secs: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<Network>,
    /// Seconds a graceful shutdown waits for clients to close.
    pub shutdown_grace_secs: u64,
    /// Threads that run the server (`scratch cloud-server`): 1, the default, runs every
    /// connection on one thread, which measured 15–43 % less CPU per delivered update than a
    /// pool of worker threads (no wake-up crosses threads); more use more cores; 0 is one per
    /// core. The SQLite writer has its own thread either way.
    pub threads: usize,
    /// Longest a busy connection gathers lines between two writes, in milliseconds
    /// ([`CloudOptions::max_gather`]).
    pub max_gather_ms: u64,
    /// `[projects]`.
    pub projects: ProjectsConfig,
    /// `[admin]`.
    pub admin: AdminConfig,
    /// `[scratch]`: the rules on `/cloud`.
    pub scratch: RulesConfig,
    /// `[turbowarp]`: the rules on `/turbowarp`.
    pub turbowarp: RulesConfig,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8008)),
            data: None,
            redis: None,
            root: RootRules::Turbowarp,
            clients_per_room: 128,
            rooms: 16_384,
            connections_per_ip: 0,
            max_connections: 65_536,
            header_timeout_secs: 30,
            trusted_proxies: Vec::new(),
            shutdown_grace_secs: 5,
            threads: 1,
            // DEFAULT_MAX_GATHER.
            max_gather_ms: 5,
            projects: ProjectsConfig::default(),
            admin: AdminConfig::default(),
            scratch: RulesConfig::preset(Preset::Scratch, Preset::Scratch),
            turbowarp: RulesConfig::preset(Preset::Turbowarp, Preset::Turbowarp),
        }
    }
}

/// Most bytes of a configuration file: far more than every key with long lists, little
/// enough that a path pointed at something endless fails at once.
pub const CONFIG_FILE_LIMIT: u64 = 1024 * 1024;

impl ConfigSources {
    /// Reads a configuration file for [`ConfigSources::file_text`]: its name (as given) and
    /// its text, at most [`CONFIG_FILE_LIMIT`] bytes.
    ///
    /// ```
    /// use scratchkit_cloud_server::ConfigSources;
    ///
    /// let path = std::env::temp_dir().join(format!("cloud-doc-{}.toml", std::process::id()));
    /// std::fs::write(&path, "listen = \"127.0.0.1:9000\"\n")?;
    /// let sources = ConfigSources {
    ///     file_text: Some(ConfigSources::read_file(&path)?),
    ///     ..ConfigSources::default()
    /// };
    /// std::fs::remove_file(&path)?;
    /// assert!(sources.file_text.unwrap().1.contains("9000"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ConfigError::Read`] when the file cannot be opened or read, is not UTF-8, or holds
    /// more than [`CONFIG_FILE_LIMIT`] bytes (`/dev/zero`, say).
    pub fn read_file(path: &std::path::Path) -> Result<(String, String), ConfigError> {
        let name = path.display().to_string();
        match crate::bounded_read::read_text(path, CONFIG_FILE_LIMIT) {
            Ok(text) => Ok((name, text)),
            Err(source) => Err(ConfigError::Read { path: name, source }),
        }
    }
}

/// Where settings come from, lowest precedence first after the presets.
#[derive(Debug, Clone, Default)]
pub struct ConfigSources {
    /// The configuration file: its name (for messages) and its text.
    pub file_text: Option<(String, String)>,
    /// Environment variables (only those starting with [`ENV_PREFIX`] are read).
    pub env: Vec<(String, String)>,
    /// Flags: a key's path ([`Key::path`]) and its value as typed.
    pub flags: Vec<(String, String)>,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a value in it is wrong.
    #[error("{file}, line {line}{}: {message}", key.as_ref().map(|k| format!(", key `{k}`")).unwrap_or_default())]
    File {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// The key, when known.
        key: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// An environment variable has a bad value or is unknown.
    #[error("environment variable {var}: {message}")]
    Env {
        /// The variable.
        var: String,
        /// What is wrong.
        message: String,
    },
    /// A flag has a bad value.
    #[error("--{flag}: {message}")]
    Flag {
        /// The flag, without `--`.
        flag: String,
        /// What is wrong.
        message: String,
    },
    /// A setting is inconsistent with another, or a file it names cannot be used.
    #[error("setting `{key}`: {message}")]
    Invalid {
        /// The key.
        key: String,
        /// What is wrong.
        message: String,
    },
}

type Table = toml::Table;

/// Converts an env or flag value to the TOML value of its key.
fn typed(kind: KeyKind, text: &str) -> Result<toml::Value, String> {
    let list = |text: &str| {
        toml::Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| toml::Value::String(item.to_owned()))
                .collect(),
        )
    };
    Ok(match kind {
        KeyKind::Integer => toml::Value::Integer(
            text.trim()
                .parse::<i64>()
                .map_err(|_| format!("`{text}` is not a whole number"))?,
        ),
        KeyKind::Float => toml::Value::Float(
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| format!("`{text}` is not a number"))?,
        ),
        KeyKind::Bool => toml::Value::Boolean(match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => true,
            "false" | "0" | "no" | "off" => false,
            _ => return Err(format!("`{text}` is not true or false")),
        }),
        KeyKind::Text | KeyKind::Secret => toml::Value::String(text.to_owned()),
        KeyKind::List => list(text),
        KeyKind::AllOrList if text.trim() == "all" => toml::Value::String("all".to_owned()),
        KeyKind::AllOrList => list(text),
    })
}

/// Sets `path` (dotted) in `table`.
fn insert(table: &mut Table, path: &str, value: toml::Value) {
    match path.split_once('.') {
        Some((section, rest)) => {
            let entry = table
                .entry(section.to_owned())
                .or_insert_with(|| toml::Value::Table(Table::new()));
            if !entry.is_table() {
                *entry = toml::Value::Table(Table::new());
            }
            if let toml::Value::Table(inner) = entry {
                insert(inner, rest, value);
            }
        }
        None => {
            table.insert(path.to_owned(), value);
        }
    }
}

/// Lays `top` over `base`, section by section.
fn overlay(base: &mut Table, top: Table) {
    for (key, value) in top {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(top_inner)) => {
                overlay(inner, top_inner);
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Which key of the file starts on the line of `offset` (the text before `=`), with its
/// section.
fn key_at(text: &str, offset: usize) -> (usize, Option<String>) {
    let line = text[..offset.min(text.len())].matches('\n').count() + 1;
    let mut section = None;
    let mut key = None;
    for (index, raw) in text.lines().enumerate().take(line) {
        let trimmed = raw.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = Some(name.trim().to_owned());
        }
        if index + 1 == line {
            key = trimmed
                .split_once('=')
                .map(|(k, _)| k.trim().trim_matches('"').to_owned());
        }
    }
    let key = key.map(|key| match &section {
        Some(section) => format!("{section}.{key}"),
        None => key,
    });
    (line, key)
}

/// Deserializes a (partial) layer over the defaults, naming the first wrong key.
fn check_layer(layer: &Table) -> Result<(), (String, String)> {
    let mut merged = defaults_for(layer);
    overlay(&mut merged, layer.clone());
    let deserializer = toml::Value::Table(merged);
    serde_path_to_error::deserialize::<_, ServerConfig>(deserializer)
        .map(|_| ())
        .map_err(|error| (error.path().to_string(), error.inner().message().to_owned()))
}

/// The defaults as a table, with the presets `layer` chooses.
fn defaults_for(layer: &Table) -> Table {
    let preset = |section: &str, fallback: Preset| {
        layer
            .get(section)
            .and_then(|s| s.get("preset"))
            .and_then(toml::Value::as_str)
            .and_then(|name| match name {
                "scratch" => Some(Preset::Scratch),
                "turbowarp" => Some(Preset::Turbowarp),
                _ => None,
            })
            .unwrap_or(fallback)
    };
    let config = ServerConfig {
        scratch: RulesConfig::preset(Preset::Scratch, preset("scratch", Preset::Scratch)),
        turbowarp: RulesConfig::preset(Preset::Turbowarp, preset("turbowarp", Preset::Turbowarp)),
        ..ServerConfig::default()
    };
    match toml::Value::try_from(&config) {
        Ok(toml::Value::Table(table)) => table,
        _ => Table::new(),
    }
}

fn key_for_path(path: &str) -> Option<&'static Key> {
    KEYS.iter().find(|key| key.path == path)
}

impl ServerConfig {
    /// Resolves the configuration: presets, then the file, then the environment, then flags.
    ///
    /// # Errors
    ///
    /// [`ConfigError::File`] with the line and key of a bad file, [`ConfigError::Env`] for an
    /// unknown `SCRATCH_CLOUD_…` variable or a bad value, [`ConfigError::Flag`] for a bad flag
    /// value, [`ConfigError::Invalid`] for a value that is well-typed but unusable.
    pub fn load(sources: &ConfigSources) -> Result<Self, ConfigError> {
        let mut layers = Table::new();
        if let Some((name, text)) = &sources.file_text {
            let file: Table = toml::from_str(text).map_err(|error| {
                let offset = error.span().map_or(0, |span| span.start);
                let (line, key) = key_at(text, offset);
                ConfigError::File {
                    file: name.clone(),
                    line,
                    key,
                    message: error.message().trim().to_owned(),
                }
            })?;
            // Typed errors with their line: deserialize the text itself.
            if let Err((path, message)) = check_layer(&file) {
                let line = find_line(text, &path);
                return Err(ConfigError::File {
                    file: name.clone(),
                    line,
                    key: Some(path),
                    message,
                });
            }
            overlay(&mut layers, file);
        }
        let mut env_layer = Table::new();
        for (var, value) in &sources.env {
            let Some(rest) = var.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            if rest == "CONFIG" {
                continue;
            }
            let key =
                KEYS.iter()
                    .find(|key| key.env() == *var)
                    .ok_or_else(|| ConfigError::Env {
                        var: var.clone(),
                        message: "no such setting (see `scratch cloud-server --help`)".to_owned(),
                    })?;
            let typed = typed(key.kind, value).map_err(|message| ConfigError::Env {
                var: var.clone(),
                message: redact(key, message),
            })?;
            let mut single = Table::new();
            insert(&mut single, key.path, typed.clone());
            if let Err((_, message)) = check_layer(&single) {
                return Err(ConfigError::Env {
                    var: var.clone(),
                    message: redact(key, message),
                });
            }
            insert(&mut env_layer, key.path, typed);
        }
        overlay(&mut layers, env_layer);
        let mut flag_layer = Table::new();
        for (path, value) in &sources.flags {
            let key = key_for_path(path).ok_or_else(|| ConfigError::Invalid {
                key: path.clone(),
                message: "no such setting".to_owned(),
            })?;
            let flag_error = |message| ConfigError::Flag {
                flag: key.flag.to_owned(),
                message: redact(key, message),
            };
            let typed = typed(key.kind, value).map_err(flag_error)?;
            let mut single = Table::new();
            insert(&mut single, key.path, typed.clone());
            check_layer(&single).map_err(|(_, message)| flag_error(message))?;
            insert(&mut flag_layer, key.path, typed);
        }
        overlay(&mut layers, flag_layer);
        let mut merged = defaults_for(&layers);
        overlay(&mut merged, layers);
        let config: ServerConfig = serde_path_to_error::deserialize(toml::Value::Table(merged))
            .map_err(|error| ConfigError::Invalid {
                key: error.path().to_string(),
                message: error.inner().message().to_owned(),
            })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks what types cannot: URLs, ranges.
    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            key: key.to_owned(),
            message,
        };
        if let Some(url) = &self.projects.check_url {
            if !url.contains("{id}") {
                return Err(invalid(
                    "projects.check_url",
                    "must contain `{id}`".to_owned(),
                ));
            }
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(invalid(
                    "projects.check_url",
                    "must start with http:// or https://".to_owned(),
                ));
            }
        }
        for (name, rules) in [("scratch", &self.scratch), ("turbowarp", &self.turbowarp)] {
            if !(rules.sets_per_second >= 0.0 && rules.sets_per_second.is_finite()) {
                return Err(invalid(
                    &format!("{name}.sets_per_second"),
                    "must be 0 or more".to_owned(),
                ));
            }
        }
        if let Some(url) = &self.redis {
            let url = url.expose();
            if !["redis://", "unix://", "redis+unix://"]
                .iter()
                .any(|scheme| url.starts_with(scheme))
            {
                // The URL is not repeated: it may hold a password.
                return Err(invalid(
                    "redis",
                    "must start with redis://, unix:// or redis+unix://".to_owned(),
                ));
            }
        }
        if self.clients_per_room == 0 || self.rooms == 0 {
            let key = if self.rooms == 0 {
                "rooms"
            } else {
                "clients_per_room"
            };
            return Err(invalid(key, "must be at least 1".to_owned()));
        }
        Ok(())
    }

    /// The admin token: `admin.token`, or the first line of `admin.token_file`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] when the token file cannot be read or is empty.
    pub fn admin_token(&self) -> Result<Option<Secret>, ConfigError> {
        if let Some(token) = &self.admin.token {
            return Ok((!token.expose().trim().is_empty()).then(|| token.clone()));
        }
        let Some(path) = &self.admin.token_file else {
            return Ok(None);
        };
        let text = crate::bounded_read::read_text(path, crate::bounded_read::TOKEN_FILE_LIMIT)
            .map_err(|error| ConfigError::Invalid {
                key: "admin.token_file".to_owned(),
                message: format!("cannot read {}: {error}", path.display()),
            })?;
        let token = text.lines().next().unwrap_or("").trim().to_owned();
        if token.is_empty() {
            return Err(ConfigError::Invalid {
                key: "admin.token_file".to_owned(),
                message: format!("{} is empty", path.display()),
            });
        }
        Ok(Some(Secret(token)))
    }

    /// The configuration as TOML, the admin token shown as `[redacted]`.
    ///
    /// ```
    /// use scratchkit_cloud_server::{ServerConfig, Secret};
    ///
    /// let mut config = ServerConfig::default();
    /// config.admin.token = Some(Secret::new("hunter2"));
    /// let text = config.to_toml();
    /// assert!(text.contains("[redacted]") && !text.contains("hunter2"));
    /// ```
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|error| format!("# cannot show: {error}\n"))
    }
}

fn load_filter(key: &str, path: Option<&PathBuf>) -> Result<WordFilter, ConfigError> {
    match path {
        None => Ok(WordFilter::default()),
        Some(path) => WordFilter::load(path).map_err(|error| ConfigError::Invalid {
            key: key.to_owned(),
            message: format!("{}: {error}", path.display()),
        }),
    }
}

impl RulesConfig {
    /// The rate limit, `None` for `sets_per_second = 0`.
    fn rate(&self) -> Option<InboundRate> {
        (self.sets_per_second > 0.0).then_some(InboundRate {
            per_second: self.sets_per_second,
            burst: self.burst.max(1),
        })
    }

    fn over_limit(&self) -> OverLimit {
        match self.over_limit {
            OverLimitSetting::Drop => OverLimit::Drop,
            OverLimitSetting::Close => OverLimit::Close,
        }
    }

    fn room_expiry(&self) -> Option<Duration> {
        (self.room_expiry_secs > 0).then(|| Duration::from_secs(self.room_expiry_secs))
    }
}

impl ServerConfig {
    /// The server options this configuration describes; filter files and the admin token
    /// file are read here.
    ///
    /// ```
    /// use scratchkit_cloud_server::ServerConfig;
    ///
    /// let mut config = ServerConfig::default();
    /// config.turbowarp.max_variables = 64;
    /// let options = config.to_options().unwrap();
    /// assert_eq!(options.turbowarp.max_variables, 64);
    /// assert_eq!(options.scratch.max_variables, 10);
    /// ```
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] when a filter file or the token file cannot be used.
    pub fn to_options(&self) -> Result<CloudOptions, ConfigError> {
        let mut options = CloudOptions {
            max_clients_per_room: self.clients_per_room,
            max_rooms: self.rooms,
            max_gather: Duration::from_millis(self.max_gather_ms),
            http: crate::http_serve::ServerLimits {
                max_connections: self.max_connections,
                header_read_timeout: Duration::from_secs(self.header_timeout_secs),
                ..CloudOptions::default().http
            },
            ..CloudOptions::default()
        };
        let scratch = &self.scratch;
        options.scratch.max_variables = scratch.max_variables;
        options.scratch.max_value_len = scratch.max_value_len;
        options.scratch.rate = scratch.rate();
        options.scratch.over_limit = scratch.over_limit();
        options.scratch.room_expiry = scratch.room_expiry();
        options.scratch.allowed_origins = scratch.allowed_origins.clone();
        options.scratch.username_blocklist = scratch.blocked_usernames.clone();
        options.scratch.username_filter =
            load_filter("scratch.username_filter", scratch.username_filter.as_ref())?;
        let turbowarp = &self.turbowarp;
        options.turbowarp.max_variables = turbowarp.max_variables;
        options.turbowarp.max_value_len = turbowarp.max_value_len;
        options.turbowarp.rate = turbowarp.rate();
        options.turbowarp.over_limit = turbowarp.over_limit();
        options.turbowarp.room_expiry = turbowarp.room_expiry();
        options.turbowarp.allowed_origins = turbowarp.allowed_origins.clone();
        options.turbowarp.username_blocklist = turbowarp.blocked_usernames.clone();
        options.turbowarp.username_filter = load_filter(
            "turbowarp.username_filter",
            turbowarp.username_filter.as_ref(),
        )?;
        options.turbowarp.name_filter =
            load_filter("turbowarp.name_filter", turbowarp.name_filter.as_ref())?;
        options.turbowarp.require_user_agent = turbowarp.require_user_agent.unwrap_or(true);
        options.operator = OperatorOptions {
            connections_per_ip: self.connections_per_ip,
            trusted_proxies: self.trusted_proxies.iter().map(|net| net.0).collect(),
            admin_token: self.admin_token()?,
            public_values: self.admin.public_values,
            allowed_projects: match &self.projects.allow {
                ProjectList::All(_) => None,
                ProjectList::Only(ids) => Some(ids.iter().cloned().collect()),
            },
            project_check: self.projects.check_url.as_ref().map(|url| ProjectCheck {
                url: url.clone(),
                timeout: Duration::from_millis(self.projects.check_timeout_ms.max(1)),
                cache_for: Duration::from_secs(self.projects.check_cache_secs),
            }),
            root: match self.root {
                RootRules::Turbowarp => Some(CloudMode::TurboWarp),
                RootRules::Scratch => Some(CloudMode::Scratch),
                RootRules::None => None,
            },
            shutdown_grace: Duration::from_secs(self.shutdown_grace_secs),
            blocks_file: self.data.as_ref().map(|dir| dir.join(BLOCKS_FILE)),
        };
        if let Some(path) = &options.operator.blocks_file {
            // A damaged file stops the start here rather than being ignored (and saved over).
            BlocksFile::load(path).map_err(|error| ConfigError::Invalid {
                key: "data".to_owned(),
                message: error.to_string(),
            })?;
        }
        options.redis = self.redis.clone();
        Ok(options)
    }
}

/// Never repeats a secret's value in a message.
fn redact(key: &Key, message: String) -> String {
    if key.kind == KeyKind::Secret {
        "bad value".to_owned()
    } else {
        message
    }
}

/// The line where the dotted `path` is set in `text` (1 when it cannot be found).
fn find_line(text: &str, path: &str) -> usize {
    let (section, key) = match path.rsplit_once('.') {
        Some((section, key)) => (Some(section), key),
        None => (None, path),
    };
    // A list item path (`trusted_proxies[1]`) points at its key.
    let key = key.split('[').next().unwrap_or(key);
    let section = section.map(|s| s.split('[').next().unwrap_or(s));
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            current = Some(name.trim().to_owned());
            continue;
        }
        let Some((k, _)) = trimmed.split_once('=') else {
            continue;
        };
        let k = k.trim().trim_matches('"');
        let full = match &current {
            Some(current) => format!("{current}.{k}"),
            None => k.to_owned(),
        };
        let wanted = match section {
            Some(section) => format!("{section}.{key}"),
            None => key.to_owned(),
        };
        if full == wanted {
            return index + 1;
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_endless_configuration_file_is_refused() {
        let error = ConfigSources::read_file(std::path::Path::new("/dev/zero")).unwrap_err();
        let ConfigError::Read { path, source } = &error else {
            panic!("not a read error: {error}");
        };
        assert_eq!(path, "/dev/zero");
        assert_eq!(source.kind(), std::io::ErrorKind::InvalidData);
    }

    fn load(
        file: &str,
        env: &[(&str, &str)],
        flags: &[(&str, &str)],
    ) -> Result<ServerConfig, ConfigError> {
        ServerConfig::load(&ConfigSources {
            file_text: Some(("cloud.toml".to_owned(), file.to_owned())),
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            flags: flags
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        })
    }

    #[test]
    fn defaults_are_todays_constants() {
        let config = load("", &[], &[]).unwrap();
        assert_eq!(config, ServerConfig::default());
        assert_eq!(config.listen.to_string(), "127.0.0.1:8008");
        assert_eq!(config.scratch.max_variables, 10);
        assert_eq!(config.scratch.max_value_len, 256);
        assert_eq!(config.turbowarp.max_variables, 128);
        assert_eq!(config.turbowarp.max_value_len, 100_000);
        assert_eq!(config.turbowarp.room_expiry_secs, 3_600);
    }

    #[test]
    fn flag_beats_env_beats_file_beats_preset() {
        let file = "rooms = 10\nclients_per_room = 20\nconnections_per_ip = 30\n";
        let env = [
            ("SCRATCH_CLOUD_CLIENTS_PER_ROOM", "21"),
            ("SCRATCH_CLOUD_CONNECTIONS_PER_IP", "31"),
        ];
        let flags = [("connections_per_ip", "32")];
        let config = load(file, &env, &flags).unwrap();
        assert_eq!(config.rooms, 10);
        assert_eq!(config.clients_per_room, 21);
        assert_eq!(config.connections_per_ip, 32);
        assert_eq!(config.shutdown_grace_secs, 5);
    }

    #[test]
    fn a_preset_sets_a_sections_limits_and_keys_override_them() {
        let config = load(
            "[turbowarp]\npreset = \"scratch\"\nmax_value_len = 1000\n",
            &[],
            &[],
        )
        .unwrap();
        assert_eq!(config.turbowarp.max_variables, 10);
        assert_eq!(config.turbowarp.max_value_len, 1000);
        assert_eq!(config.turbowarp.sets_per_second, 10.0);
        // The endpoint's own settings stay.
        assert_eq!(config.turbowarp.require_user_agent, Some(true));
        let config = load("", &[("SCRATCH_CLOUD_SCRATCH_PRESET", "turbowarp")], &[]).unwrap();
        assert_eq!(config.scratch.max_variables, 128);
        assert_eq!(
            config.scratch.allowed_origins,
            vec!["https://scratch.mit.edu".to_owned()]
        );
    }

    #[test]
    fn file_errors_name_line_and_key() {
        let error = load(
            "rooms = 5\n\n[turbowarp]\nmax_variables = \"lots\"\n",
            &[],
            &[],
        )
        .unwrap_err();
        match error {
            ConfigError::File { line, key, .. } => {
                assert_eq!(line, 4);
                assert_eq!(key.as_deref(), Some("turbowarp.max_variables"));
            }
            other => panic!("{other}"),
        }
        let error = load("rooms = 5\nroms = 6\n", &[], &[]).unwrap_err();
        assert!(
            matches!(error, ConfigError::File { line: 2, .. }),
            "{error}"
        );
        let error = load("rooms = \n", &[], &[]).unwrap_err();
        assert!(
            matches!(error, ConfigError::File { line: 1, .. }),
            "{error}"
        );
        let error = load("trusted_proxies = [\"10.0.0.0/8\", \"nope\"]\n", &[], &[]).unwrap_err();
        assert!(error.to_string().contains("nope"), "{error}");
        assert!(
            matches!(error, ConfigError::File { line: 1, .. }),
            "{error}"
        );
    }

    #[test]
    fn env_and_flag_errors_name_the_variable_or_flag() {
        let error = load("", &[("SCRATCH_CLOUD_ROOMS", "many")], &[]).unwrap_err();
        assert!(
            matches!(&error, ConfigError::Env { var, .. } if var == "SCRATCH_CLOUD_ROOMS"),
            "{error}"
        );
        let error = load("", &[("SCRATCH_CLOUD_ROMS", "5")], &[]).unwrap_err();
        assert!(
            matches!(&error, ConfigError::Env { var, .. } if var == "SCRATCH_CLOUD_ROMS"),
            "{error}"
        );
        let error = load("", &[], &[("turbowarp.over_limit", "explode")]).unwrap_err();
        assert_eq!(
            error.to_string().split(':').next(),
            Some("--turbowarp-over-limit")
        );
        let error = load("", &[], &[("projects.check_url", "http://x/check")]).unwrap_err();
        assert!(matches!(error, ConfigError::Invalid { .. }), "{error}");
    }

    #[test]
    fn lists_and_all() {
        let config = load(
            "",
            &[("SCRATCH_CLOUD_PROJECTS_ALLOW", "1, 2")],
            &[("trusted_proxies", "127.0.0.1,10.0.0.0/8")],
        )
        .unwrap();
        assert_eq!(
            config.projects.allow,
            ProjectList::Only(vec!["1".into(), "2".into()])
        );
        assert_eq!(config.trusted_proxies.len(), 2);
        let config = load(
            "[projects]\nallow = [\"5\"]\n",
            &[],
            &[("projects.allow", "all")],
        )
        .unwrap();
        assert_eq!(config.projects.allow, ProjectList::All(AllWord::All));
    }

    #[test]
    fn the_token_never_shows() {
        let config = load("[admin]\ntoken = \"s3cret-token\"\n", &[], &[]).unwrap();
        assert_eq!(
            config.admin_token().unwrap().unwrap().expose(),
            "s3cret-token"
        );
        assert!(!format!("{config:?}").contains("s3cret"));
        assert!(!config.to_toml().contains("s3cret"));
        let error = load(
            "",
            &[("SCRATCH_CLOUD_ADMIN_TOKEN", "")],
            &[("admin.public_values", "maybe")],
        )
        .unwrap_err();
        assert!(error.to_string().contains("maybe"));
    }

    #[test]
    fn the_redis_url_never_shows() {
        let config = load("", &[], &[("redis", "redis://:hunter2@10.0.0.5:6379/0")]).unwrap();
        assert_eq!(
            config.redis.as_ref().map(Secret::expose),
            Some("redis://:hunter2@10.0.0.5:6379/0")
        );
        assert!(!config.to_toml().contains("hunter2"));
        assert!(!format!("{config:?}").contains("hunter2"));
        let options = config.to_options().unwrap();
        assert!(!format!("{options:?}").contains("hunter2"));
        let error = load("", &[], &[("redis", "http://:hunter2@x/")]).unwrap_err();
        assert!(error.to_string().contains("redis://"), "{error}");
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }

    #[test]
    fn every_key_is_a_real_setting() {
        // Each key alone, with a value of its kind, is accepted by the configuration.
        for key in KEYS {
            let value = match key.kind {
                KeyKind::Integer => "3",
                KeyKind::Float => "2.5",
                KeyKind::Bool => "true",
                KeyKind::List | KeyKind::AllOrList => "1,2",
                KeyKind::Text | KeyKind::Secret => match key.path {
                    "listen" => "0.0.0.0:9",
                    "root" => "scratch",
                    "scratch.preset" | "turbowarp.preset" => "scratch",
                    "scratch.over_limit" | "turbowarp.over_limit" => "close",
                    "projects.check_url" => "http://127.0.0.1:1/{id}",
                    "redis" => "redis://127.0.0.1:6379/0",
                    _ => "x",
                },
            };
            let value = if key.path == "trusted_proxies" {
                "::1,10.0.0.0/8"
            } else {
                value
            };
            load("", &[], &[(key.path, value)]).unwrap_or_else(|e| panic!("{}: {e}", key.path));
        }
    }
}
