//! Classes (teacher accounts): the classes themselves, their students, class studios,
//! educator alerts and the students' activity.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Page;
use super::users::{self, UserRow};

/// A class with its registration token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ClassroomRow {
    pub id: i64,
    pub educator_id: i64,
    pub title: String,
    pub description: String,
    /// "What we're working on".
    pub status: String,
    pub date_start: i64,
    pub date_end: Option<i64>,
    pub closed: bool,
    /// The class token: `/api/classtoken/<token>` and student registration.
    pub token: String,
}

const COLUMNS: &str =
    "id, educator_id, title, description, status, date_start, date_end, closed, token";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ClassroomRow> {
    Ok(ClassroomRow {
        id: r.get(0)?,
        educator_id: r.get(1)?,
        title: r.get(2)?,
        description: r.get(3)?,
        status: r.get(4)?,
        date_start: r.get(5)?,
        date_end: r.get(6)?,
        closed: r.get(7)?,
        token: r.get(8)?,
    })
}

/// A class by id.
pub(crate) fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<ClassroomRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM classrooms WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

/// A class by its token (exact match).
pub(crate) fn by_token(conn: &Connection, token: &str) -> rusqlite::Result<Option<ClassroomRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM classrooms WHERE token = ?1"),
        [token],
        from_row,
    )
    .optional()
}

/// A teacher's classes, open or closed, newest first.
pub(crate) fn of_educator(
    conn: &Connection,
    educator_id: i64,
    closed: bool,
    page: Page,
) -> rusqlite::Result<Vec<ClassroomRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM classrooms WHERE educator_id = ?1 AND closed = ?2
         ORDER BY date_start DESC, id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt.query_map(
        params![educator_id, closed, page.limit, page.offset],
        from_row,
    )?;
    rows.collect()
}

/// Creates an open class; returns its id.
pub(crate) fn insert(
    conn: &Connection,
    educator_id: i64,
    title: &str,
    description: &str,
    status: &str,
    now: i64,
    token: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO classrooms (educator_id, title, description, status, date_start, date_end, closed, token)
         VALUES (?1, ?2, ?3, ?4, ?5, NULL, 0, ?6)",
        params![educator_id, title, description, status, now, token],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Fields to change (`None` = unchanged).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ClassEdit {
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
}

/// Applies an edit.
pub(crate) fn update(conn: &Connection, id: i64, e: &ClassEdit) -> rusqlite::Result<()> {
    for (column, value) in [
        ("title", &e.title),
        ("description", &e.description),
        ("status", &e.status),
    ] {
        if let Some(value) = value {
            conn.execute(
                &format!("UPDATE classrooms SET {column} = ?2 WHERE id = ?1"),
                params![id, value],
            )?;
        }
    }
    Ok(())
}

/// Closes (`date_end` = now) or reopens (`date_end` cleared) a class.
pub(crate) fn set_closed(
    conn: &Connection,
    id: i64,
    closed: bool,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE classrooms SET closed = ?2, date_end = CASE WHEN ?2 THEN ?3 ELSE NULL END WHERE id = ?1",
        params![id, closed, now],
    )?;
    Ok(())
}

/// The students of a class, by username.
pub(crate) fn students(
    conn: &Connection,
    class_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<UserRow>> {
    users::list(
        conn,
        "FROM users u WHERE u.classroom_id = ?1 ORDER BY u.username COLLATE NOCASE, u.id",
        class_id,
        page,
    )
}

/// How many students a class has.
pub(crate) fn student_count(conn: &Connection, class_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM users WHERE classroom_id = ?1",
        [class_id],
        |r| r.get(0),
    )
}

/// Makes a studio a class studio.
pub(crate) fn add_studio(conn: &Connection, class_id: i64, studio_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO classroom_studios (classroom_id, studio_id) VALUES (?1, ?2)",
        params![class_id, studio_id],
    )?;
    Ok(())
}

/// The class studios' ids, newest first.
pub(crate) fn studio_ids(
    conn: &Connection,
    class_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT studio_id FROM classroom_studios WHERE classroom_id = ?1
         ORDER BY studio_id DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![class_id, page.limit, page.offset], |r| r.get(0))?;
    rows.collect()
}

/// How many class studios a class has.
pub(crate) fn studio_count(conn: &Connection, class_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM classroom_studios WHERE classroom_id = ?1",
        [class_id],
        |r| r.get(0),
    )
}

/// Forgets a deleted studio.
pub(crate) fn forget_studio(conn: &Connection, studio_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM classroom_studios WHERE studio_id = ?1",
        [studio_id],
    )?;
    Ok(())
}

/// An alert for a teacher: the Scratch Team acted on one of their students.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alert {
    pub id: i64,
    pub class_id: i64,
    pub kind: String,
    pub created: i64,
    pub target: UserRow,
    pub actor: UserRow,
    pub object_id: i64,
    pub extra: String,
    pub read_at: Option<i64>,
}

/// Adds an educator alert.
#[allow(clippy::too_many_arguments)]
pub(crate) fn add_alert(
    conn: &Connection,
    class_id: i64,
    kind: &str,
    created: i64,
    target_id: i64,
    actor_id: i64,
    object_id: i64,
    extra: &serde_json::Value,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO educator_alerts (classroom_id, type, created, target_user_id, actor_id, object_id, extra)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            class_id,
            kind,
            created,
            target_id,
            actor_id,
            object_id,
            extra.to_string()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The alerts of a teacher's classes (or of one class), newest first (`oldest_first` reverses).
pub(crate) fn alerts(
    conn: &Connection,
    educator_id: i64,
    class_id: Option<i64>,
    oldest_first: bool,
    page: Page,
) -> rusqlite::Result<Vec<Alert>> {
    let order = if oldest_first { "ASC" } else { "DESC" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.classroom_id, a.type, a.created, a.target_user_id, a.actor_id, a.object_id, a.extra, a.read_at
         FROM educator_alerts a JOIN classrooms c ON c.id = a.classroom_id
         WHERE c.educator_id = ?1 AND (?2 IS NULL OR a.classroom_id = ?2)
         ORDER BY a.created {order}, a.id {order} LIMIT ?3 OFFSET ?4"
    ))?;
    let raw = stmt
        .query_map(
            params![educator_id, class_id, page.limit, page.offset],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<i64>>(8)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(raw.len());
    for (id, class_id, kind, created, target, actor, object_id, extra, read_at) in raw {
        let (Some(target), Some(actor)) = (users::by_id(conn, target)?, users::by_id(conn, actor)?)
        else {
            continue;
        };
        out.push(Alert {
            id,
            class_id,
            kind,
            created,
            target,
            actor,
            object_id,
            extra,
            read_at,
        });
    }
    Ok(out)
}

/// Marks alerts read (by id) at `now`, leaving already read ones alone.
pub(crate) fn mark_alerts_read(conn: &Connection, ids: &[i64], now: i64) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE educator_alerts SET read_at = ?2 WHERE id = ?1 AND read_at IS NULL",
    )?;
    for id in ids {
        stmt.execute(params![id, now])?;
    }
    Ok(())
}

/// Unread alerts of one class.
pub(crate) fn unread_alerts(conn: &Connection, class_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM educator_alerts WHERE classroom_id = ?1 AND read_at IS NULL",
        [class_id],
        |r| r.get(0),
    )
}

/// Something a student did (a row of the activity that feeds followers' "What's happening").
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StudentActivity {
    pub kind: String,
    pub actor: UserRow,
    pub created: i64,
    pub extra: String,
}

/// The recorded activity kinds that the classroom activity shows (as SQL literals).
const SHOWN_KINDS: &str = "'followuser','followstudio','loveproject','favoriteproject','shareproject','becomeownerstudio'";

/// The activity of a class's students (or of one student), newest first (`oldest_first`
/// reverses).
pub(crate) fn activity(
    conn: &Connection,
    class_id: i64,
    student_id: Option<i64>,
    oldest_first: bool,
    page: Page,
) -> rusqlite::Result<Vec<StudentActivity>> {
    let order = if oldest_first { "ASC" } else { "DESC" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.type, a.actor_id, a.created, a.extra FROM user_activity a
         JOIN users u ON u.id = a.actor_id
         WHERE u.classroom_id = ?1 AND (?2 IS NULL OR a.actor_id = ?2) AND a.type IN ({SHOWN_KINDS})
         ORDER BY a.created {order}, a.id {order} LIMIT ?3 OFFSET ?4"
    ))?;
    let raw = stmt
        .query_map(
            params![class_id, student_id, page.limit, page.offset],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(raw.len());
    for (kind, actor, created, extra) in raw {
        if let Some(actor) = users::by_id(conn, actor)? {
            out.push(StudentActivity {
                kind,
                actor,
                created,
                extra,
            });
        }
    }
    Ok(out)
}

/// Seeds the class world: a few more students in the open class 367806 (the first seeded
/// student accounts by id), one in the closed class 367807, and two educator alerts about
/// `demo_student`. Runs after the users and classes are seeded.
pub(crate) fn seed(conn: &Connection, world_now: i64) -> rusqlite::Result<()> {
    const OPEN: i64 = 367_806;
    const CLOSED: i64 = 367_807;
    conn.execute(
        "UPDATE users SET classroom_id = ?1 WHERE id IN (
             SELECT id FROM users WHERE role = 'student' AND classroom_id IS NULL ORDER BY id LIMIT 4)",
        [OPEN],
    )?;
    conn.execute(
        "UPDATE users SET classroom_id = ?1 WHERE id IN (
             SELECT id FROM users WHERE role = 'student' AND classroom_id IS NULL ORDER BY id LIMIT 1)",
        [CLOSED],
    )?;
    let student: Option<i64> = conn
        .query_row(
            "SELECT id FROM users WHERE username = 'demo_student' AND classroom_id = ?1",
            [OPEN],
            |r| r.get(0),
        )
        .optional()?;
    let moderator: Option<i64> = conn
        .query_row(
            "SELECT id FROM users WHERE role = 'scratch_team' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let open_exists = by_id(conn, OPEN)?.is_some();
    if let (Some(student), Some(moderator), true) = (student, moderator, open_exists) {
        add_alert(
            conn,
            OPEN,
            "comment_removed",
            world_now - 3 * 86_400,
            student,
            moderator,
            1,
            &serde_json::json!({"reason": "Comment removed for not being respectful."}),
        )?;
        add_alert(
            conn,
            OPEN,
            "project_censored",
            world_now - 86_400,
            student,
            moderator,
            2,
            &serde_json::json!({"reason": "Project unshared: please give credit when remixing."}),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn page() -> Page {
        Page {
            limit: 40,
            offset: 0,
        }
    }

    #[test]
    fn seeded_class_has_students_alerts_and_a_token() {
        let store = Store::open(None, 1, 0).unwrap();
        store
            .read(|c| {
                let class = by_id(c, 367_806)?.expect("class");
                assert!(!class.closed);
                assert_eq!(by_token(c, &class.token)?.map(|k| k.id), Some(367_806));
                let names: Vec<String> = students(c, class.id, page())?
                    .into_iter()
                    .map(|u| u.username)
                    .collect();
                assert!(names.iter().any(|n| n == "demo_student"), "{names:?}");
                assert!(names.len() >= 3, "{names:?}");
                assert_eq!(student_count(c, class.id)?, names.len() as i64);
                let alerts = alerts(c, class.educator_id, Some(class.id), false, page())?;
                assert_eq!(alerts.len(), 2);
                assert!(alerts[0].created > alerts[1].created);
                assert_eq!(unread_alerts(c, class.id)?, 2);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn close_reopen_and_edit() {
        let store = Store::open(None, 1, 0).unwrap();
        store
            .write(|c| {
                let id = insert(c, 99_000_102, "T", "D", "S", 1_000, "tok123")?;
                set_closed(c, id, true, 2_000)?;
                let k = by_id(c, id)?.expect("class");
                assert!(k.closed);
                assert_eq!(k.date_end, Some(2_000));
                set_closed(c, id, false, 3_000)?;
                update(
                    c,
                    id,
                    &ClassEdit {
                        title: Some("New".into()),
                        ..ClassEdit::default()
                    },
                )?;
                let k = by_id(c, id)?.expect("class");
                assert!(!k.closed);
                assert_eq!(k.date_end, None);
                assert_eq!(k.title, "New");
                assert_eq!(k.description, "D");
                Ok(())
            })
            .unwrap();
    }
}
