//! Site-wide small responses: [`ApiRoot`], [`Health`] (api), [`ScratchHealth`] (old site),
//! counters ([`ProjectCount`], [`MessageCount`], [`LegacyMessageCount`]) and username checks
//! ([`UsernameCheck`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lenient::string_enum;
use crate::timestamp::{Timestamp, epoch_millis_option};

/// `GET api.scratch.mit.edu/`:
/// `{"api":"api.scratch.mit.edu","help":"help@scratch.mit.edu","website":"scratch.mit.edu"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiRoot {
    /// The API host name.
    #[serde(default)]
    pub api: String,
    /// The help e-mail address.
    #[serde(default)]
    pub help: String,
    /// The website host name.
    #[serde(default)]
    pub website: String,
}

/// `GET api.scratch.mit.edu/health`.
///
/// Decodes both known shapes: 2015 (`{uptime:int, load, sql:{started,min,max}}`) and 2025
/// (`version`, float `uptime`, per-database connection pools under `sql`, `timestamp`,
/// `cache`). Every field is optional.
///
/// ```
/// use scratchkit_model::Health;
/// let h: Health = serde_json::from_str(
///     r#"{"uptime":3083522,"load":[0.05,0.04,0.04],"sql":{"started":"2015-11-24T17:26:38.842Z","min":0,"max":20}}"#,
/// ).unwrap();
/// assert_eq!(h.uptime, Some(3083522.0));
/// assert_eq!(h.sql.unwrap().max, Some(20));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// Server build (seen with a leading space, e.g. `" scratch-api-f205902826"`). 2025 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Seconds since the server started (an integer in 2015, a float in 2025).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime: Option<f64>,
    /// The 1, 5 and 15 minute load averages.
    #[serde(default)]
    pub load: Vec<f64>,
    /// Database state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<HealthSql>,
    /// Server time of the answer (epoch milliseconds on the wire). 2025 only.
    #[serde(
        default,
        with = "epoch_millis_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub timestamp: Option<Timestamp>,
    /// Cache (redis) state. 2025 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<ConnectionHealth>,
}

/// The `sql` object of [`Health`]: 2015 keys directly, 2025 one entry per database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthSql {
    /// 2015: when the pool started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Timestamp>,
    /// 2015: minimum pool size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    /// 2015: maximum pool size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// 2025: pools by database name (`main`, `project_comments`, `gallery_comments`,
    /// `userprofile_comments`).
    #[serde(flatten)]
    pub databases: BTreeMap<String, DatabasePools>,
}

/// The primary and replica pools of one database in [`HealthSql`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabasePools {
    /// The primary's pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<PoolStats>,
    /// The replica's pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica: Option<PoolStats>,
}

/// Connection-pool counters in [`DatabasePools`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolStats {
    /// Whether connections use TLS.
    #[serde(default)]
    pub ssl: bool,
    /// Whether the pool was shut down.
    #[serde(default)]
    pub destroyed: bool,
    /// Minimum pool size.
    #[serde(default)]
    pub min: u64,
    /// Maximum pool size.
    #[serde(default)]
    pub max: u64,
    /// Connections in use (`numUsed`).
    #[serde(default)]
    pub num_used: u64,
    /// Idle connections (`numFree`).
    #[serde(default)]
    pub num_free: u64,
    /// Waiting acquisitions (`pendingAcquires`).
    #[serde(default)]
    pub pending_acquires: u64,
    /// Connections being opened (`pendingCreates`).
    #[serde(default)]
    pub pending_creates: u64,
}

/// `{"connected":bool,"ready":bool}`: the api cache in [`Health`], and redis in the clouddata
/// `/health`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionHealth {
    /// Whether the connection is up.
    #[serde(default)]
    pub connected: bool,
    /// Whether it is ready for commands.
    #[serde(default)]
    pub ready: bool,
}

/// `GET scratch.mit.edu/health/`: `{"healthy":true}` (served as `text/plain`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScratchHealth {
    /// Whether the old site reports itself healthy.
    #[serde(default)]
    pub healthy: bool,
}

/// `GET api.scratch.mit.edu/projects/count/all`: `{"count":int}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectCount {
    /// Number of shared projects on the site.
    pub count: u64,
}

/// `GET api.scratch.mit.edu/users/<u>/messages/count`: `{"count":int}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageCount {
    /// Number of unread messages.
    pub count: u64,
}

/// `GET scratch.mit.edu/messages/ajax/get-message-count/`: `{"msg_count":int}` (needs the
/// session cookie).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyMessageCount {
    /// Number of unread messages.
    pub msg_count: u64,
}

string_enum! {
    /// The verdict of a username check (`msg`).
    UsernameStatus {
        /// `valid username`: free and acceptable.
        Valid = "valid username",
        /// `username exists`: taken.
        Exists = "username exists",
        /// `invalid username`: not allowed (characters, length).
        Invalid = "invalid username",
        /// `bad username`: refused by the word filter.
        Bad = "bad username",
    }
}

/// A username check: `GET api.scratch.mit.edu/accounts/checkusername/<u>/` returns one;
/// the old site's `GET scratch.mit.edu/accounts/check_username/<u>/` returns a one-element
/// array of them.
///
/// ```
/// use scratchkit_model::{UsernameCheck, UsernameStatus};
/// let c: Vec<UsernameCheck> =
///     serde_json::from_str(r#"[{"username":"ScratchCat","msg":"username exists"}]"#).unwrap();
/// assert_eq!(c[0].msg, UsernameStatus::Exists);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsernameCheck {
    /// The name checked.
    #[serde(default)]
    pub username: String,
    /// The verdict.
    pub msg: UsernameStatus,
}

impl UsernameCheck {
    /// Whether the name can be registered.
    #[must_use]
    pub fn is_available(&self) -> bool {
        self.msg == UsernameStatus::Valid
    }
}

/// `GET clouddata.scratch.mit.edu/health`: `{"uptime","load","redis":{"connected","ready"}}`
/// (unrecorded; every field optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudHealth {
    /// Seconds since the cloud server started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime: Option<f64>,
    /// Load averages.
    #[serde(default)]
    pub load: Vec<f64>,
    /// Redis state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<ConnectionHealth>,
}
