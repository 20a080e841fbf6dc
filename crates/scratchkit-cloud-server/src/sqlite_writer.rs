//! Writing a [`SqliteStore`](crate::SqliteStore)'s changes behind the server's back: changes
//! are queued in memory (a variable set again before the next write keeps only its last
//! value) and a background thread writes what is queued every [`WRITE_INTERVAL`], in one
//! transaction. A set therefore costs the server a queue push, not a SQLite write.
//!
//! Durability: what is queued when the process is killed is lost, at most the last
//! [`WRITE_INTERVAL`] (plus the time a write takes). scratchkit's cloud client sends again
//! what it set in the two seconds before a connection was lost, so its values come back when
//! it reconnects; [`WriteBehind::flush`] (graceful shutdown) writes everything out.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, params};

use crate::options::CloudMode;
use crate::sqlite_store::{SqliteDatabase, mode_name};
use crate::store::LogEntry;

/// How often queued changes are written.
pub(crate) const WRITE_INTERVAL: Duration = Duration::from_millis(50);

/// Where the connection lives.
pub(crate) enum Db {
    /// A database of its own (`scratch cloud-server --data`).
    Own(Mutex<Connection>),
    /// An application's database (shared with its other tables).
    Shared(Arc<dyn SqliteDatabase>),
}

impl Db {
    /// Runs `f` on the connection.
    pub(crate) fn run<R>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> rusqlite::Result<R> {
        match self {
            Db::Own(conn) => f(&conn.lock().unwrap_or_else(|e| e.into_inner())),
            Db::Shared(db) => {
                let mut f = Some(f);
                let mut out = None;
                db.with_connection(&mut |c| {
                    if let Some(f) = f.take() {
                        out = Some(f(c)?);
                    }
                    Ok(())
                })?;
                out.ok_or(rusqlite::Error::InvalidQuery)
            }
        }
    }
}

/// One queued change of `cloud_vars`.
#[derive(Debug)]
pub(crate) enum Change {
    Set {
        mode: CloudMode,
        project: String,
        name: String,
        text: String,
        is_number: bool,
    },
    Delete {
        mode: CloudMode,
        project: String,
        name: String,
    },
    Rename {
        mode: CloudMode,
        project: String,
        name: String,
        new_name: String,
    },
    ClearRoom {
        mode: CloudMode,
        project: String,
    },
}

/// What waits to be written.
#[derive(Debug, Default)]
struct Queue {
    changes: Vec<Change>,
    /// Where the last `Set` of a variable is in `changes`, while nothing but sets followed it
    /// (a later set of the same variable replaces it in place).
    last_set: HashMap<(CloudMode, String, String), usize>,
    logs: Vec<(i64, LogEntry)>,
    /// When the oldest queued change came (for the persistence lag metric).
    since: Option<std::time::Instant>,
}

impl Queue {
    fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.logs.is_empty()
    }
}

struct Inner {
    db: Db,
    queue: Mutex<Queue>,
    /// Wakes the writer thread early (to stop).
    wake: Condvar,
    /// Held while a batch is taken and written, so batches reach the database in order.
    writing: Mutex<()>,
    stopping: AtomicBool,
    crashed: AtomicBool,
    interval: Duration,
}

/// The queue and its writer thread.
pub(crate) struct WriteBehind {
    inner: Arc<Inner>,
    thread: Option<JoinHandle<()>>,
}

impl WriteBehind {
    /// Starts the writer thread over `db`, writing every `interval`.
    pub(crate) fn start(db: Db, interval: Duration) -> Self {
        let inner = Arc::new(Inner {
            db,
            queue: Mutex::new(Queue::default()),
            wake: Condvar::new(),
            writing: Mutex::new(()),
            stopping: AtomicBool::new(false),
            crashed: AtomicBool::new(false),
            interval,
        });
        let worker = Arc::clone(&inner);
        let thread = std::thread::Builder::new()
            .name("cloud-sqlite-writer".into())
            .spawn(move || worker.run())
            .map_err(
                |error| tracing::warn!(%error, "no writer thread: changes are written on flush"),
            )
            .ok();
        WriteBehind { inner, thread }
    }

    /// The database (for reads).
    pub(crate) fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Queues a change of `cloud_vars`.
    pub(crate) fn change(&self, change: Change) {
        if self.inner.crashed.load(Ordering::Relaxed) {
            return;
        }
        let mut queue = self.inner.queue();
        queue.since.get_or_insert_with(std::time::Instant::now);
        if let Change::Set {
            mode,
            project,
            name,
            text,
            is_number,
        } = &change
        {
            let key = (*mode, project.clone(), name.clone());
            if let Some(&index) = queue.last_set.get(&key)
                && let Some(Change::Set {
                    text: queued,
                    is_number: queued_number,
                    ..
                }) = queue.changes.get_mut(index)
            {
                queued.clone_from(text);
                *queued_number = *is_number;
                return;
            }
            let index = queue.changes.len();
            queue.last_set.insert(key, index);
        } else {
            // Deletes, renames and clears must stay in order with the sets around them.
            queue.last_set.clear();
        }
        queue.changes.push(change);
    }

    /// Queues a log row.
    pub(crate) fn log(&self, project_id: i64, entry: LogEntry) {
        if self.inner.crashed.load(Ordering::Relaxed) {
            return;
        }
        let mut queue = self.inner.queue();
        queue.since.get_or_insert_with(std::time::Instant::now);
        queue.logs.push((project_id, entry));
    }

    /// How many changes and log rows wait to be written, and since when the oldest waits.
    pub(crate) fn backlog(&self) -> (u64, Duration) {
        let queue = self.inner.queue();
        let count = queue.changes.len() + queue.logs.len();
        let age = queue.since.map_or(Duration::ZERO, |since| since.elapsed());
        (u64::try_from(count).unwrap_or(u64::MAX), age)
    }

    /// Writes everything queued so far, on this thread; returns when it is in the database.
    pub(crate) fn flush(&self) {
        self.inner.write_out();
    }

    /// Forgets what is queued and runs `f` on the database before anything else is written
    /// (a clear that supersedes the queued changes).
    pub(crate) fn replace_queue<R>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> rusqlite::Result<R> {
        let _writing = self.inner.writing();
        *self.inner.queue() = Queue::default();
        self.inner.db.run(f)
    }

    /// Forgets what is queued and writes nothing more (a killed process).
    pub(crate) fn crash(&self) {
        let _writing = self.inner.writing();
        self.inner.crashed.store(true, Ordering::SeqCst);
        *self.inner.queue() = Queue::default();
    }
}

impl Drop for WriteBehind {
    fn drop(&mut self) {
        self.inner.stopping.store(true, Ordering::SeqCst);
        self.inner.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.inner.write_out();
    }
}

impl Inner {
    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn writing(&self) -> MutexGuard<'_, ()> {
        self.writing.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The writer thread: every interval, write what is queued.
    fn run(&self) {
        loop {
            {
                let queue = self.queue();
                if self.stopping.load(Ordering::SeqCst) || self.crashed.load(Ordering::SeqCst) {
                    return;
                }
                let _ = self
                    .wake
                    .wait_timeout(queue, self.interval)
                    .unwrap_or_else(|e| e.into_inner());
            }
            if self.stopping.load(Ordering::SeqCst) {
                return;
            }
            self.write_out();
        }
    }

    /// Takes the queue and writes it in one transaction.
    fn write_out(&self) {
        let _writing = self.writing();
        if self.crashed.load(Ordering::SeqCst) {
            return;
        }
        let queue = std::mem::take(&mut *self.queue());
        if queue.is_empty() {
            return;
        }
        let count = queue.changes.len() + queue.logs.len();
        if let Err(error) = self.db.run(|c| write_batch(c, &queue)) {
            tracing::error!(%error, count, "cloud store: queued changes could not be written");
        }
    }
}

fn write_batch(conn: &Connection, queue: &Queue) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    for change in &queue.changes {
        match change {
            Change::Set {
                mode,
                project,
                name,
                text,
                is_number,
            } => {
                tx.prepare_cached(
                    "INSERT INTO cloud_vars (mode, project, name, value, is_number)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (mode, project, name)
                     DO UPDATE SET value = excluded.value, is_number = excluded.is_number",
                )?
                .execute(params![
                    mode_name(*mode),
                    project,
                    name,
                    text,
                    is_number
                ])?;
            }
            Change::Delete {
                mode,
                project,
                name,
            } => {
                tx.prepare_cached(
                    "DELETE FROM cloud_vars WHERE mode = ?1 AND project = ?2 AND name = ?3",
                )?
                .execute(params![mode_name(*mode), project, name])?;
            }
            Change::Rename {
                mode,
                project,
                name,
                new_name,
            } => {
                tx.prepare_cached(
                    "UPDATE cloud_vars SET name = ?4 WHERE mode = ?1 AND project = ?2 AND name = ?3",
                )?
                .execute(params![mode_name(*mode), project, name, new_name])?;
            }
            Change::ClearRoom { mode, project } => {
                tx.prepare_cached("DELETE FROM cloud_vars WHERE mode = ?1 AND project = ?2")?
                    .execute(params![mode_name(*mode), project])?;
            }
        }
    }
    for (project_id, entry) in &queue.logs {
        tx.prepare_cached(
            "INSERT INTO cloud_log (project_id, username, verb, name, value, timestamp_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            project_id,
            entry.user,
            entry.verb,
            entry.name,
            entry.value,
            entry.timestamp
        ])?;
    }
    tx.commit()
}
