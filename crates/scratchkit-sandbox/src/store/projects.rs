//! Projects: sharing, remixes, favorites, explore and search.

use std::sync::OnceLock;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::Page;

/// A project with its author's name and its remix count.
/// Public only for the doc-hidden `fuzz_hooks` (the fuzz targets build projects).
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    pub id: i64,
    pub owner_id: i64,
    pub owner_username: String,
    pub owner_role: String,
    pub title: String,
    pub description: String,
    pub instructions: String,
    pub shared: bool,
    pub comments_allowed: bool,
    pub created: i64,
    pub modified: i64,
    pub shared_at: Option<i64>,
    pub views: i64,
    pub loves: i64,
    pub favorites: i64,
    pub remixes: i64,
    pub parent_id: Option<i64>,
    pub root_id: Option<i64>,
}

/// The columns of a [`ProjectRow`] row, without the remix count: as a correlated subquery in a
/// list it was evaluated for every candidate row (thousands for a sorted explore page), so
/// lists fill it afterwards for the page's rows only, in one query (see [`fill_remixes`]).
const COLUMNS: &str = "p.id, p.owner_id, u.username, u.role, p.title, p.description, p.instructions, \
     p.shared, p.comments_allowed, p.created, p.modified, p.shared_at, p.views, p.loves, p.favorites, \
     p.parent_id, p.root_id";

const FROM: &str = "FROM projects p JOIN users u ON u.id = p.owner_id";

/// The remix count of one project (column 17 of [`by_id`]; one covering-index probe).
const REMIXES: &str = "(SELECT COUNT(*) FROM projects c WHERE c.parent_id = p.id AND c.shared = 1)";

/// The shared remixes of each project of a JSON array of ids (one index probe per id).
const REMIX_COUNTS: &str = "SELECT parent_id, COUNT(*) FROM projects \
     WHERE parent_id IN (SELECT value FROM json_each(?1)) AND shared = 1 GROUP BY parent_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ProjectRow> {
    Ok(ProjectRow {
        id: r.get(0)?,
        owner_id: r.get(1)?,
        owner_username: r.get(2)?,
        owner_role: r.get(3)?,
        title: r.get(4)?,
        description: r.get(5)?,
        instructions: r.get(6)?,
        shared: r.get(7)?,
        comments_allowed: r.get(8)?,
        created: r.get(9)?,
        modified: r.get(10)?,
        shared_at: r.get(11)?,
        views: r.get(12)?,
        loves: r.get(13)?,
        favorites: r.get(14)?,
        remixes: 0,
        parent_id: r.get(15)?,
        root_id: r.get(16)?,
    })
}

/// Sets `remixes` (shared remixes) of every project with one batched query.
fn fill_remixes(conn: &Connection, projects: &mut [ProjectRow]) -> rusqlite::Result<()> {
    let ids = match &*projects {
        [] => return Ok(()),
        [one] => one.id.to_string(),
        many => {
            let mut ids = String::with_capacity(many.len() * 8 + 2);
            ids.push('[');
            for (i, p) in many.iter().enumerate() {
                if i > 0 {
                    ids.push(',');
                }
                ids.push_str(&p.id.to_string());
            }
            ids.push(']');
            ids
        }
    };
    let mut stmt = conn.prepare_cached(REMIX_COUNTS)?;
    let mut rows = stmt.query([ids])?;
    while let Some(row) = rows.next()? {
        let (parent, count): (i64, i64) = (row.get(0)?, row.get(1)?);
        for p in projects.iter_mut().filter(|p| p.id == parent) {
            p.remixes = count;
        }
    }
    Ok(())
}

/// The SQL of a list query whose `LIMIT` and `OFFSET` are parameters `n - 1` and `n`.
fn list_sql(tail: &str, n: usize) -> String {
    format!(
        "SELECT {COLUMNS} {FROM} {tail} LIMIT ?{} OFFSET ?{}",
        n - 1,
        n
    )
}

/// Whether a list fills [`Project::remixes`]: the api's lists show 0 whatever the count (see
/// `ProjectStyle`), so only the old site's lists (featured rows, My Stuff) pay for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Remixes {
    Counted,
    LeftAtZero,
}

fn query(
    conn: &Connection,
    tail: &str,
    mut args: Vec<Value>,
    page: Page,
    remixes: Remixes,
) -> rusqlite::Result<Vec<ProjectRow>> {
    args.push(Value::Integer(page.limit));
    args.push(Value::Integer(page.offset));
    let mut stmt = conn.prepare_cached(&list_sql(tail, args.len()))?;
    let rows = stmt.query_map(params_from_iter(args), from_row)?;
    let mut list = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    if remixes == Remixes::Counted {
        fill_remixes(conn, &mut list)?;
    }
    Ok(list)
}

/// A project by id, shared or not.
pub(crate) fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<ProjectRow>> {
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = SQL.get_or_init(|| format!("SELECT {COLUMNS}, {REMIXES} {FROM} WHERE p.id = ?1"));
    let mut stmt = conn.prepare_cached(sql)?;
    stmt.query_row([id], |r| {
        Ok(ProjectRow {
            remixes: r.get(17)?,
            ..from_row(r)?
        })
    })
    .optional()
}

/// The `WHERE … ORDER BY` of [`shared_by`].
const SHARED_BY: &str =
    "WHERE p.owner_id = ?1 AND p.shared = 1 ORDER BY p.shared_at DESC, p.id DESC";

/// The user's shared projects, most recently shared first.
pub(crate) fn shared_by(
    conn: &Connection,
    owner_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<ProjectRow>> {
    query(
        conn,
        SHARED_BY,
        vec![Value::Integer(owner_id)],
        page,
        Remixes::LeftAtZero,
    )
}

/// The user's favorites (shared projects only), most recent first.
pub(crate) fn favorites_of(
    conn: &Connection,
    user_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<ProjectRow>> {
    marked_by(conn, Mark::Favorite, user_id, page)
}

/// The shared projects the user loves, most recent love first (the old site's loves page).
pub(crate) fn loved_by(
    conn: &Connection,
    user_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<ProjectRow>> {
    marked_by(conn, Mark::Love, user_id, page)
}

/// The shared projects the user marked (loved or favorited), most recent mark first.
fn marked_by(
    conn: &Connection,
    mark: Mark,
    user_id: i64,
    page: Page,
) -> rusqlite::Result<Vec<ProjectRow>> {
    query(
        conn,
        &format!(
            "JOIN {} m ON m.project_id = p.id WHERE m.user_id = ?1 AND p.shared = 1 ORDER BY m.since DESC, p.id DESC",
            mark.table()
        ),
        vec![Value::Integer(user_id)],
        page,
        Remixes::LeftAtZero,
    )
}

/// Shared remixes of a project, newest first.
pub(crate) fn remixes_of(
    conn: &Connection,
    id: i64,
    page: Page,
) -> rusqlite::Result<Vec<ProjectRow>> {
    query(
        conn,
        "WHERE p.parent_id = ?1 AND p.shared = 1 ORDER BY p.shared_at DESC, p.id DESC",
        vec![Value::Integer(id)],
        page,
        Remixes::LeftAtZero,
    )
}

/// Shared projects in a fixed order for `/proxy/featured` rows (`order` is one of the
/// constant `ORDER BY` clauses of the featured module).
pub(crate) fn top(conn: &Connection, order: &str, limit: i64) -> rusqlite::Result<Vec<ProjectRow>> {
    query(
        conn,
        &format!("WHERE p.shared = 1 ORDER BY {order}"),
        Vec::new(),
        Page { limit, offset: 0 },
        Remixes::Counted,
    )
}

/// Shared projects of a studio, most recently added first (for featured rows).
pub(crate) fn in_studio(
    conn: &Connection,
    studio_id: i64,
    limit: i64,
) -> rusqlite::Result<Vec<ProjectRow>> {
    query(
        conn,
        "JOIN studio_projects sp ON sp.project_id = p.id WHERE sp.studio_id = ?1 AND p.shared = 1 \
         ORDER BY sp.added DESC, p.id DESC",
        vec![Value::Integer(studio_id)],
        Page { limit, offset: 0 },
        Remixes::Counted,
    )
}

/// Explore and search ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Loves weighted by age.
    Trending,
    /// Most viewed.
    Popular,
    /// Most recently shared.
    Recent,
}

impl Mode {
    pub(crate) fn parse(s: &str) -> Option<Mode> {
        match s {
            "trending" | "" => Some(Mode::Trending),
            "popular" => Some(Mode::Popular),
            "recent" => Some(Mode::Recent),
            _ => None,
        }
    }
}

/// An explore (`q` = tag or `*`) or search (`q` = text) query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Discover {
    pub mode: Mode,
    /// Tag for explore, text for search; `None` or `*` = everything.
    pub q: Option<String>,
    pub language: Option<String>,
    /// `q` is free text (search) rather than a tag (explore).
    pub text: bool,
}

/// Escapes `%`, `_` and `\` for `LIKE … ESCAPE '\'`.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The `WHERE` additions and arguments shared by project and studio discovery (`t` = table alias).
pub(crate) fn discover_filter(
    d: &Discover,
    t: &str,
    text_columns: &[&str],
    args: &mut Vec<Value>,
) -> String {
    let mut sql = String::new();
    if let Some(lang) = d.language.as_deref().filter(|l| !l.is_empty()) {
        args.push(Value::Text(lang.to_owned()));
        sql.push_str(&format!(" AND {t}.language = ?{}", args.len()));
    }
    if let Some(q) =
        d.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty() && *q != "*")
    {
        if d.text {
            args.push(Value::Text(like_pattern(q)));
            let n = args.len();
            let ors: Vec<String> = text_columns
                .iter()
                .map(|c| format!("{t}.{c} LIKE ?{n} ESCAPE '\\'"))
                .collect();
            sql.push_str(&format!(" AND ({})", ors.join(" OR ")));
        } else {
            args.push(Value::Text(q.trim_start_matches('#').to_ascii_lowercase()));
            sql.push_str(&format!(" AND {t}.tag = ?{}", args.len()));
        }
    }
    sql
}

/// `/explore/projects` and `/search/projects`.
pub(crate) fn discover(
    conn: &Connection,
    d: &Discover,
    page: Page,
) -> rusqlite::Result<Vec<ProjectRow>> {
    let mut args = Vec::new();
    let filter = discover_filter(d, "p", &["title", "description", "instructions"], &mut args);
    let order = match d.mode {
        Mode::Trending => {
            "(p.loves * 1000) / (1 + (SELECT MAX(shared_at) FROM projects) / 86400 - p.shared_at / 86400) DESC, p.id DESC"
        }
        Mode::Popular => "p.views DESC, p.id DESC",
        Mode::Recent => "p.shared_at DESC, p.id DESC",
    };
    query(
        conn,
        &format!("WHERE p.shared = 1{filter} ORDER BY {order}"),
        args,
        page,
        Remixes::LeftAtZero,
    )
}

/// A project to create.
#[derive(Debug, Clone)]
pub(crate) struct NewProject<'a> {
    pub id: Option<i64>,
    pub owner_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub instructions: &'a str,
    pub shared: bool,
    pub created: i64,
    pub modified: i64,
    pub shared_at: Option<i64>,
    pub views: i64,
    pub loves: i64,
    pub favorites: i64,
    pub parent_id: Option<i64>,
    pub root_id: Option<i64>,
    pub language: &'a str,
    pub tag: &'a str,
}

/// Inserts a project; returns its id.
pub(crate) fn insert(conn: &Connection, p: &NewProject<'_>) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO projects (id, owner_id, title, description, instructions, shared, created, modified,
                               shared_at, views, loves, favorites, parent_id, root_id, language, tag)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    stmt.execute(params![
        p.id,
        p.owner_id,
        p.title,
        p.description,
        p.instructions,
        p.shared,
        p.created,
        p.modified,
        p.shared_at,
        p.views,
        p.loves,
        p.favorites,
        p.parent_id,
        p.root_id,
        p.language,
        p.tag
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Changes the editable texts and the comment switch of a project (only the given ones).
pub(crate) fn update(
    conn: &Connection,
    id: i64,
    edit: &ProjectEdit,
    modified: i64,
) -> rusqlite::Result<()> {
    if let Some(title) = &edit.title {
        conn.execute(
            "UPDATE projects SET title = ?2 WHERE id = ?1",
            params![id, title],
        )?;
    }
    if let Some(text) = &edit.instructions {
        conn.execute(
            "UPDATE projects SET instructions = ?2 WHERE id = ?1",
            params![id, text],
        )?;
    }
    if let Some(text) = &edit.description {
        conn.execute(
            "UPDATE projects SET description = ?2 WHERE id = ?1",
            params![id, text],
        )?;
    }
    if let Some(allowed) = edit.comments_allowed {
        conn.execute(
            "UPDATE projects SET comments_allowed = ?2 WHERE id = ?1",
            params![id, allowed],
        )?;
    }
    conn.execute(
        "UPDATE projects SET modified = ?2 WHERE id = ?1",
        params![id, modified],
    )?;
    Ok(())
}

/// The fields of a project edit (`None` = unchanged).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ProjectEdit {
    pub title: Option<String>,
    pub instructions: Option<String>,
    pub description: Option<String>,
    pub comments_allowed: Option<bool>,
}

/// Shares (stamping the share time) or unshares a project.
pub(crate) fn set_shared(
    conn: &Connection,
    id: i64,
    shared: bool,
    now: i64,
) -> rusqlite::Result<()> {
    if shared {
        conn.execute(
            "UPDATE projects SET shared = 1, shared_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
    } else {
        conn.execute("UPDATE projects SET shared = 0 WHERE id = ?1", [id])?;
    }
    Ok(())
}

/// Whether the owner moved the project to the trash.
pub(crate) fn is_trashed(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM project_trash WHERE project_id = ?1",
            [id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Moves a project to the trash (unsharing it, as Scratch does) or restores it.
pub(crate) fn set_trashed(
    conn: &Connection,
    id: i64,
    trashed: bool,
    now: i64,
) -> rusqlite::Result<()> {
    if trashed {
        conn.execute(
            "INSERT OR IGNORE INTO project_trash (project_id, trashed) VALUES (?1, ?2)",
            params![id, now],
        )?;
        conn.execute("UPDATE projects SET shared = 0 WHERE id = ?1", [id])?;
    } else {
        conn.execute("DELETE FROM project_trash WHERE project_id = ?1", [id])?;
    }
    Ok(())
}

/// Deletes every trashed project of a user for good; returns how many.
pub(crate) fn empty_trash(conn: &Connection, owner_id: i64) -> rusqlite::Result<i64> {
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare(
            "SELECT p.id FROM projects p JOIN project_trash t ON t.project_id = p.id WHERE p.owner_id = ?1",
        )?;
        let rows = stmt.query_map([owner_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for id in &ids {
        for sql in [
            "DELETE FROM project_trash WHERE project_id = ?1",
            "DELETE FROM loves WHERE project_id = ?1",
            "DELETE FROM favorites WHERE project_id = ?1",
            "DELETE FROM studio_projects WHERE project_id = ?1",
            "DELETE FROM comments WHERE place = 'project' AND object_id = ?1",
            "UPDATE projects SET parent_id = NULL WHERE parent_id = ?1",
            "DELETE FROM projects WHERE id = ?1",
        ] {
            conn.execute(sql, [id])?;
        }
    }
    Ok(ids.len() as i64)
}

/// Loves and favorites: the two tables share their shape and their counter's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    Love,
    Favorite,
}

impl Mark {
    fn table(self) -> &'static str {
        match self {
            Mark::Love => "loves",
            Mark::Favorite => "favorites",
        }
    }
}

/// Whether the user loves (or favorites) the project.
pub(crate) fn has_mark(
    conn: &Connection,
    mark: Mark,
    user_id: i64,
    project_id: i64,
) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT 1 FROM {} WHERE user_id = ?1 AND project_id = ?2",
                mark.table()
            ),
            params![user_id, project_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Sets or clears a love (favorite) and keeps the counter; true when the state changed.
pub(crate) fn set_mark(
    conn: &Connection,
    mark: Mark,
    user_id: i64,
    project_id: i64,
    on: bool,
    now: i64,
) -> rusqlite::Result<bool> {
    let table = mark.table();
    let changed = if on {
        conn.execute(
            &format!(
                "INSERT OR IGNORE INTO {table} (user_id, project_id, since) VALUES (?1, ?2, ?3)"
            ),
            params![user_id, project_id, now],
        )?
    } else {
        conn.execute(
            &format!("DELETE FROM {table} WHERE user_id = ?1 AND project_id = ?2"),
            params![user_id, project_id],
        )?
    } > 0;
    if changed {
        let delta = if on { 1 } else { -1 };
        conn.execute(
            &format!("UPDATE projects SET {table} = MAX(0, {table} + ?2) WHERE id = ?1"),
            params![project_id, delta],
        )?;
    }
    Ok(changed)
}

/// Counts one view.
pub(crate) fn add_view(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE projects SET views = views + 1 WHERE id = ?1", [id])?;
    Ok(())
}

/// "My Stuff" filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MineFilter {
    All,
    Shared,
    NotShared,
    Trashed,
}

/// The owner's projects for "My Stuff" (`order` is a constant `ORDER BY` clause).
pub(crate) fn mine(
    conn: &Connection,
    owner_id: i64,
    filter: MineFilter,
    order: &str,
    page: Page,
) -> rusqlite::Result<Vec<ProjectRow>> {
    let trashed = "EXISTS (SELECT 1 FROM project_trash t WHERE t.project_id = p.id)";
    let condition = match filter {
        MineFilter::All => format!("NOT {trashed}"),
        MineFilter::Shared => format!("p.shared = 1 AND NOT {trashed}"),
        MineFilter::NotShared => format!("p.shared = 0 AND NOT {trashed}"),
        MineFilter::Trashed => trashed.to_owned(),
    };
    query(
        conn,
        &format!("WHERE p.owner_id = ?1 AND {condition} ORDER BY {order}, p.id DESC"),
        vec![Value::Integer(owner_id)],
        page,
        Remixes::Counted,
    )
}

/// Feeds of "what's happening": projects of people or studios the user follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Feed {
    /// Shared by users I follow, newest first.
    SharedByFollowed,
    /// Loved by users I follow, most recently loved first.
    LovedByFollowed,
    /// In studios I follow, most recently added first.
    InFollowedStudios,
}

/// One page of a feed.
pub(crate) fn feed(
    conn: &Connection,
    me: i64,
    feed: Feed,
    page: Page,
) -> rusqlite::Result<Vec<ProjectRow>> {
    let tail = match feed {
        Feed::SharedByFollowed => {
            "JOIN follows f ON f.followee_id = p.owner_id WHERE f.follower_id = ?1 AND p.shared = 1 \
             ORDER BY p.shared_at DESC, p.id DESC"
        }
        Feed::LovedByFollowed => {
            "WHERE p.shared = 1 AND p.id IN (SELECT l.project_id FROM loves l JOIN follows f ON f.followee_id = l.user_id \
             WHERE f.follower_id = ?1) ORDER BY (SELECT MAX(l.since) FROM loves l JOIN follows f ON f.followee_id = l.user_id \
             WHERE f.follower_id = ?1 AND l.project_id = p.id) DESC, p.id DESC"
        }
        Feed::InFollowedStudios => {
            "WHERE p.shared = 1 AND p.id IN (SELECT sp.project_id FROM studio_projects sp JOIN studio_followers sf \
             ON sf.studio_id = sp.studio_id WHERE sf.user_id = ?1) ORDER BY p.shared_at DESC, p.id DESC"
        }
    };
    query(
        conn,
        tail,
        vec![Value::Integer(me)],
        page,
        Remixes::LeftAtZero,
    )
}

#[cfg(test)]
mod tests {
    use rusqlite::StatementStatus;

    use super::*;
    use crate::store::Store;

    fn plan(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([1], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn remix_counts_probe_the_parent_index_not_every_shared_project() {
        let store = Store::open(None, 7, 0).unwrap();
        store
            .read(|c| {
                for sql in [
                    REMIX_COUNTS.to_owned(),
                    format!("SELECT {COLUMNS}, {REMIXES} {FROM} WHERE p.id = ?1"),
                ] {
                    let plan = plan(c, &sql);
                    assert!(plan.contains("projects_by_parent_shared"), "{plan}");
                    assert!(!plan.contains("projects_by_shared"), "{plan}");
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn list_remix_counts_match_single_lookups_and_a_direct_count() {
        let store = Store::open(None, 7, 0).unwrap();
        store
            .read(|c| {
                let page = Page {
                    limit: 100_000,
                    offset: 0,
                };
                let listed = top(c, "p.id DESC", page.limit)?;
                assert!(listed.len() > 100, "{} shared projects", listed.len());
                let mut remixed = 0;
                for p in &listed {
                    let direct: i64 = c.query_row(
                        "SELECT COUNT(*) FROM projects WHERE parent_id = ?1 AND shared = 1",
                        [p.id],
                        |r| r.get(0),
                    )?;
                    let single = by_id(c, p.id)?.expect("listed project exists");
                    assert_eq!(p.remixes, direct, "project {}", p.id);
                    assert_eq!(single, *p);
                    remixed += usize::from(direct > 0);
                }
                assert!(remixed > 0, "the seeded world has remixes");
                assert_eq!(by_id(c, 1)?, None);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn paging_through_a_list_reuses_the_prepared_statement() {
        let store = Store::open(None, 7, 1).unwrap();
        store
            .read(|c| {
                let bench: i64 =
                    c.query_row("SELECT id FROM users WHERE username = 'bench'", [], |r| {
                        r.get(0)
                    })?;
                let mut seen = 0;
                for offset in (0..200).step_by(40) {
                    let page = shared_by(c, bench, Page { limit: 40, offset })?;
                    assert_eq!(page.len(), 40);
                    seen += page.len();
                }
                assert_eq!(seen, 200);
                // LIMIT/OFFSET are bound parameters: without the planner stability guarantee
                // SQLite would re-prepare the statement every time they change.
                let stmt = c.prepare_cached(&list_sql(SHARED_BY, 3))?;
                assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0);
                Ok(())
            })
            .unwrap();
    }
}
