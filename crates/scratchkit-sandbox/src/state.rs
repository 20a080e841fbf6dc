//! State shared by every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Instant;

use crate::faults::FaultController;
use crate::reqlog::RequestLog;
use crate::settings::Settings;
use crate::store::Store;

/// Everything a handler may need.
pub(crate) struct AppState {
    pub store: Store,
    pub faults: FaultController,
    pub log: Option<RequestLog>,
    /// Signs project tokens and session cookies.
    pub secret: [u8; 32],
    /// Issues and checks project tokens (keyed from `secret` once).
    pub tokens: crate::tokens::ProjectTokens,
    pub started: Instant,
    /// Runtime rules (`/_sandbox/settings`).
    pub settings: RwLock<Settings>,
    /// Failed logins per lower-cased username (reset by a success or a captcha retry).
    pub login_failures: Mutex<HashMap<String, u32>>,
    /// The cloud server mounted on `/cloud` and `/turbowarp` (set when the router is built),
    /// so that `/_sandbox/reset` can forget cloud values too.
    pub cloud: OnceLock<crate::cloud::CloudState>,
    /// The last requests served, for the panel's live request log.
    pub recent: crate::web::recent::Recent,
}

impl AppState {
    /// A copy of the current rules.
    pub(crate) fn settings(&self) -> Settings {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The state as handlers receive it.
pub(crate) type Shared = Arc<AppState>;
