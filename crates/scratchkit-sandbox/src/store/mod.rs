//! The SQLite store: one connection per sandbox (in memory, or a file under `--data`), the
//! schema, the seeded world and one query module per table group.

pub(crate) mod account;
pub(crate) mod assets;
pub(crate) mod backpack;
pub(crate) mod classrooms;
pub(crate) mod comments;
pub(crate) mod forums;
pub(crate) mod images;
pub(crate) mod invites;
pub(crate) mod messages;
pub(crate) mod misc;
pub(crate) mod profile_comments;
pub(crate) mod project_files;
pub(crate) mod projects;
pub(crate) mod recently_viewed;
pub(crate) mod schema;
mod seed;
pub(crate) mod sessions;
pub(crate) mod studios;
pub(crate) mod users;

use std::path::Path;
use std::sync::Mutex;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension};

use crate::accounts::{DEMO_PASSWORD, hash_password};
use crate::error::SandboxError;

/// How many prepared statements the connection keeps (distinct SQL texts of the read paths).
const STATEMENT_CACHE: usize = 256;

/// A page of a list: `LIMIT limit OFFSET offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub limit: i64,
    pub offset: i64,
}

/// The sandbox's database.
pub(crate) struct Store {
    conn: Mutex<Connection>,
    seed: u64,
    scale: u32,
    /// The argon2 hash of [`DEMO_PASSWORD`], computed once and shared by every seeded user.
    demo_hash: String,
}

impl Store {
    /// Opens (and, when new, seeds) the database: `DIR/sandbox.sqlite3` or a private in-memory one.
    pub(crate) fn open(
        data_dir: Option<&Path>,
        seed: u64,
        scale: u32,
    ) -> Result<Self, SandboxError> {
        let conn = match data_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|source| SandboxError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
                let conn = Connection::open(dir.join("sandbox.sqlite3"))?;
                conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
                conn
            }
            None => Connection::open_in_memory()?,
        };
        // Every read path uses `prepare_cached`; rusqlite keeps only 16 statements by default,
        // fewer than the distinct queries of a busy client, so they were parsed again and again.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Without the query planner stability guarantee, SQLite plans `LIMIT ?`/`OFFSET ?`
        // with the bound values and marks the statement for re-preparing whenever they
        // change (and rusqlite clears the bindings when a statement goes back to the cache),
        // so every page of a list was parsed and planned again. Plans here never depend on
        // bound values (no ANALYZE statistics), so nothing is lost.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.execute_batch(schema::SCHEMA)?;
        let stored_hash: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'demo_hash'", [], |r| {
                r.get(0)
            })
            .optional()?;
        let demo_hash = match stored_hash {
            Some(hash) => hash,
            None => hash_password(DEMO_PASSWORD)?,
        };
        let store = Self {
            conn: Mutex::new(conn),
            seed,
            scale,
            demo_hash,
        };
        let seeded: Option<String> = store.read(|c| {
            c.query_row("SELECT value FROM meta WHERE key = 'seeded'", [], |r| {
                r.get(0)
            })
            .optional()
        })?;
        if seeded.is_none() {
            store.write(|c| seed::seed(c, seed, scale, &store.demo_hash))?;
        }
        Ok(store)
    }

    /// Empties every table and seeds the world again (same seed and scale).
    pub(crate) fn reset(&self) -> rusqlite::Result<()> {
        self.write(|c| {
            let tx = c.transaction()?;
            for table in schema::TABLES {
                tx.execute(&format!("DELETE FROM {table}"), [])?;
            }
            tx.commit()?;
            seed::seed(c, self.seed, self.scale, &self.demo_hash)
        })
    }

    /// Runs a read on the connection.
    pub(crate) fn read<R>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> rusqlite::Result<R> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        f(&conn)
    }

    /// Runs a write (may open transactions) on the connection.
    pub(crate) fn write<R>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<R>,
    ) -> rusqlite::Result<R> {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut conn)
    }

    /// The seed of the world.
    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    /// The scale of the world.
    pub(crate) fn scale(&self) -> u32 {
        self.scale
    }
}

/// `COUNT(*)` of a table.
#[cfg(test)]
pub(crate) fn count(conn: &Connection, table: &str) -> rusqlite::Result<i64> {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_one_creates_the_bench_user_with_2000_projects() {
        let store = Store::open(None, 1, 1).unwrap();
        let (bench_projects, total): (i64, i64) = store
            .read(|c| {
                let bench = c.query_row(
                    "SELECT COUNT(*) FROM projects p JOIN users u ON u.id = p.owner_id
                     WHERE u.username = 'bench' AND p.shared = 1",
                    [],
                    |r| r.get(0),
                )?;
                Ok((bench, count(c, "projects")?))
            })
            .unwrap();
        assert_eq!(bench_projects, 2000);
        let base = Store::open(None, 1, 0)
            .unwrap()
            .read(|c| count(c, "projects"))
            .unwrap();
        assert!(total >= base + 2000 + 500, "total {total}, base {base}");
    }

    #[test]
    fn same_seed_same_world_and_reset_restores_it() {
        let a = Store::open(None, 42, 0).unwrap();
        let b = Store::open(None, 42, 0).unwrap();
        let names = |s: &Store| {
            s.read(|c| {
                let mut stmt = c.prepare("SELECT username FROM users ORDER BY id")?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap()
        };
        assert_eq!(names(&a), names(&b));
        let users = names(&a).len();
        a.write(|c| {
            c.execute(
                "UPDATE users SET username = 'renamed' WHERE username = 'mres'",
                [],
            )
        })
        .unwrap();
        assert_eq!(names(&a).len(), users);
        assert_ne!(names(&a), names(&b));
        a.reset().unwrap();
        assert_eq!(names(&a), names(&b));
    }

    #[test]
    fn data_dir_persists_without_reseeding() {
        let dir =
            std::env::temp_dir().join(format!("scratchkit-sandbox-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let store = Store::open(Some(&dir), 3, 0).unwrap();
            store
                .write(|c| {
                    c.execute(
                        "UPDATE users SET bio = 'persisted' WHERE username = 'mres'",
                        [],
                    )
                })
                .unwrap();
        }
        let store = Store::open(Some(&dir), 3, 0).unwrap();
        let bio: String = store
            .read(|c| {
                c.query_row("SELECT bio FROM users WHERE username = 'mres'", [], |r| {
                    r.get(0)
                })
            })
            .unwrap();
        assert_eq!(bio, "persisted");
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
