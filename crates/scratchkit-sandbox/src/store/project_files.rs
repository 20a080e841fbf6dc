//! Project bodies (`project.json`) as stored by the projects host: one row per saved version.
//!
//! A project that was never saved through the projects host serves a deterministic generated
//! file (see [`generated`]).

pub(crate) mod generated;

use rusqlite::{Connection, OptionalExtension, params};

/// The live site's limit on a project.json body (5 MB, enforced by Scratch's project server).
pub(crate) const MAX_PROJECT_JSON_BYTES: usize = 5 * 1024 * 1024;

/// The newest saved body of a project, if it was ever saved.
pub(crate) fn latest(conn: &Connection, project_id: i64) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.query_row(
        "SELECT body FROM project_files WHERE project_id = ?1 ORDER BY version DESC LIMIT 1",
        [project_id],
        |r| r.get(0),
    )
    .optional()
}

/// The body to serve: the newest saved version, or the generated file.
pub(crate) fn current(conn: &Connection, project_id: i64) -> rusqlite::Result<Vec<u8>> {
    Ok(latest(conn, project_id)?.unwrap_or_else(|| generated::project_json(project_id)))
}

/// How many versions of a project were saved.
pub(crate) fn version_count(conn: &Connection, project_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM project_files WHERE project_id = ?1",
        [project_id],
        |r| r.get(0),
    )
}

/// Stores a new version of a project's body and bumps the project's `modified` time; returns
/// the version number (1 for the first save).
pub(crate) fn save(
    conn: &Connection,
    project_id: i64,
    body: &[u8],
    now: i64,
) -> rusqlite::Result<i64> {
    let version = version_count(conn, project_id)? + 1;
    conn.execute(
        "INSERT INTO project_files (project_id, version, body, saved) VALUES (?1, ?2, ?3, ?4)",
        params![project_id, version, body, now],
    )?;
    conn.execute(
        "UPDATE projects SET modified = ?2 WHERE id = ?1",
        params![project_id, now],
    )?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn unsaved_projects_serve_the_generated_file_and_saves_are_versioned() {
        let store = Store::open(None, 1, 0).unwrap();
        store
            .write(|c| {
                assert_eq!(latest(c, 142)?, None);
                assert_eq!(current(c, 142)?, generated::project_json(142));
                assert_eq!(save(c, 142, b"{\"targets\":[]}", 1_800_000_000)?, 1);
                assert_eq!(save(c, 142, b"{\"targets\":[1]}", 1_800_000_001)?, 2);
                assert_eq!(current(c, 142)?, b"{\"targets\":[1]}");
                assert_eq!(version_count(c, 142)?, 2);
                let modified: i64 =
                    c.query_row("SELECT modified FROM projects WHERE id = 142", [], |r| {
                        r.get(0)
                    })?;
                assert_eq!(modified, 1_800_000_001);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn reset_forgets_saved_versions() {
        let store = Store::open(None, 1, 0).unwrap();
        store.write(|c| save(c, 142, b"{}", 1)).unwrap();
        store.reset().unwrap();
        assert_eq!(store.read(|c| latest(c, 142)).unwrap(), None);
    }
}
