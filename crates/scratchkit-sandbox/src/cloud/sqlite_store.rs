//! The cloud store in the sandbox's own database: the cloud server's
//! [`SqliteStore`](scratchkit_cloud_server::SqliteStore) runs its statements on the sandbox's
//! connection, so its `cloud_log` rows are the ones `GET /clouddata/logs` reads (one source of
//! truth).

use std::sync::Arc;

use rusqlite::Connection;
use scratchkit_cloud_server::{SqliteDatabase, SqliteStore};

use crate::state::AppState;

/// The sandbox's database, as the cloud store sees it.
struct SandboxDatabase(Arc<AppState>);

impl SqliteDatabase for SandboxDatabase {
    fn with_connection(
        &self,
        f: &mut dyn FnMut(&Connection) -> rusqlite::Result<()>,
    ) -> rusqlite::Result<()> {
        self.0.store.read(|c| f(c))
    }
}

/// A cloud store in the sandbox's database (cloud tables created if needed).
pub(crate) fn sandbox_store(state: Arc<AppState>) -> rusqlite::Result<SqliteStore> {
    SqliteStore::shared(Arc::new(SandboxDatabase(state)))
}
