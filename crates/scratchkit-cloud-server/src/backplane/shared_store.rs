//! The store of an instance that shares its rooms: the instance's own store, kept in step
//! with Redis, and every change also queued for publishing.
//!
//! A change is applied to the local store at once (the server delivers it to this instance's
//! clients at once, as alone) and published once; other instances apply it when Redis
//! relays it. Log rows are applied when Redis relays them back, so every instance's log has
//! Redis's order.

use std::sync::Arc;

use super::events::encode_value;
use super::link::Link;
use super::ops::OpKind;
use crate::options::CloudMode;
use crate::store::{CloudStore, LogEntry, StoredValue};

/// A [`CloudStore`] that also publishes its changes through a [`Link`].
pub(crate) struct SharedStore {
    pub(crate) link: Arc<Link>,
}

impl SharedStore {
    fn local(&self) -> &dyn CloudStore {
        self.link.local()
    }
}

impl CloudStore for SharedStore {
    fn variables(&self, mode: CloudMode, project: &str) -> Vec<(String, StoredValue)> {
        self.local().variables(mode, project)
    }

    fn stored_rooms(&self) -> Option<Vec<(CloudMode, String)>> {
        // Every instance holds every room's values (loaded from Redis and kept in step).
        self.local().stored_rooms()
    }

    fn contains(&self, mode: CloudMode, project: &str, name: &str) -> bool {
        self.local().contains(mode, project, name)
    }

    fn count(&self, mode: CloudMode, project: &str) -> usize {
        self.local().count(mode, project)
    }

    fn set(&self, mode: CloudMode, project: &str, name: &str, value: StoredValue) {
        self.set_within(mode, project, name, value, usize::MAX);
    }

    fn set_within(
        &self,
        mode: CloudMode,
        project: &str,
        name: &str,
        value: StoredValue,
        max_variables: usize,
    ) -> bool {
        let encoded = encode_value(&value);
        if !self
            .local()
            .set_within(mode, project, name, value, max_variables)
        {
            return false;
        }
        self.link.enqueue(
            mode,
            project,
            OpKind::Set {
                name: name.to_owned(),
                value: encoded,
                max: max_variables,
            },
        );
        true
    }

    fn delete(&self, mode: CloudMode, project: &str, name: &str) -> Option<StoredValue> {
        let old = self.local().delete(mode, project, name)?;
        self.link.enqueue(
            mode,
            project,
            OpKind::Delete {
                name: name.to_owned(),
            },
        );
        Some(old)
    }

    fn rename(&self, mode: CloudMode, project: &str, name: &str, new_name: &str) -> bool {
        if !self.local().rename(mode, project, name, new_name) {
            return false;
        }
        self.link.enqueue(
            mode,
            project,
            OpKind::Rename {
                name: name.to_owned(),
                to: new_name.to_owned(),
            },
        );
        true
    }

    fn append_log(&self, project: &str, entry: LogEntry) {
        self.link
            .enqueue(CloudMode::Scratch, project, OpKind::Log(entry));
    }

    fn logs(&self, project: &str, limit: usize, offset: usize) -> Vec<LogEntry> {
        self.local().logs(project, limit, offset)
    }

    /// An empty room expires only when no instance has clients in it.
    fn clear_room(&self, mode: CloudMode, project: &str) {
        if self.link.remote_clients(mode, project) > 0 {
            return;
        }
        self.local().clear_room(mode, project);
        self.link.enqueue(mode, project, OpKind::Clear);
    }

    /// Forgets every room this instance knows of, here and in Redis.
    fn clear(&self) {
        for (mode, project) in self.link.known_rooms() {
            self.link.enqueue(mode, &project, OpKind::Clear);
        }
        self.local().clear();
    }

    /// Writes out the local store, then waits (up to two seconds, on a multi-threaded
    /// runtime) until Redis has acknowledged every queued change.
    fn flush(&self) {
        self.local().flush();
        self.link.wait_published(std::time::Duration::from_secs(2));
    }

    /// As a killed process: nothing queued is published, nothing more is received.
    fn crash(&self) {
        self.link.crash();
        self.local().crash();
    }

    fn persistence_backlog(&self) -> (u64, std::time::Duration) {
        self.local().persistence_backlog()
    }
}
