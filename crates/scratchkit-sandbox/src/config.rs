//! The sandbox's configuration.

use std::path::PathBuf;

use crate::faults::FaultSpec;
use scratchkit_cloud_server::http_serve::ServerLimits;

/// How a sandbox is set up; `SandboxConfig::default()` is an in-memory demo world.
///
/// ```
/// use scratchkit_sandbox::SandboxConfig;
///
/// let config = SandboxConfig { scale: 1, seed: 7, ..SandboxConfig::default() };
/// assert!(config.data_dir.is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxConfig {
    /// Keep the database in `DIR/sandbox.sqlite3` (created and seeded on first use, reused
    /// afterwards). `None` (the default) keeps everything in memory for this instance.
    pub data_dir: Option<PathBuf>,
    /// Size of the generated world: `0` (the default) is just the demo world; with
    /// `scale >= 1` a user `bench` owns `2000 * scale` shared projects and `500 * scale`
    /// more projects belong to other generated users (for benchmarks).
    pub scale: u32,
    /// Faults to inject from the start (also settable at runtime with
    /// `POST /_sandbox/faults`).
    pub faults: Option<FaultSpec>,
    /// Append one JSON line per request to this file (secrets redacted).
    pub log_requests: Option<PathBuf>,
    /// Seed of the generated world and of the fault dice: the same seed gives the same world.
    pub seed: u64,
    /// Connection, request-head and body limits (see [`ServerLimits`]).
    pub limits: ServerLimits,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            data_dir: None,
            scale: 0,
            faults: None,
            log_requests: None,
            seed: 2007,
            limits: ServerLimits::default(),
        }
    }
}
