//! State shared by every request.

use std::sync::Arc;
use std::time::Instant;

use crate::faults::FaultController;
use crate::reqlog::RequestLog;
use crate::store::Store;

/// Everything a handler may need.
pub(crate) struct AppState {
    pub store: Store,
    pub faults: FaultController,
    pub log: Option<RequestLog>,
    /// Signs project tokens (and, later, session cookies).
    pub secret: [u8; 32],
    pub started: Instant,
}

/// The state as handlers receive it.
pub(crate) type Shared = Arc<AppState>;
