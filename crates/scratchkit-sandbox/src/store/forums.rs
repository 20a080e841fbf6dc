//! The forums (djangobb): categories in sections, topics, posts (BBCode source), topic
//! subscriptions, signatures and reports.
//!
//! The tables are created and seeded deterministically on first use, and again after a reset
//! ([`ensure`]): six categories in three sections; "Suggestions" (31) holds 30 topics (two
//! pages of 25) including a sticky closed one, and topic 4242 "Add more blocks" holds 25 posts
//! (two pages of 20); topic 4243 is closed.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::timefmt::WORLD_NOW;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS forum_categories (
    id INTEGER PRIMARY KEY,
    section TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    staff_only INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS forum_topics (
    id INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    author_id INTEGER NOT NULL,
    sticky INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    views INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS forum_topics_by_category ON forum_topics(category_id);
CREATE TABLE IF NOT EXISTS forum_posts (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    created INTEGER NOT NULL,
    edited INTEGER,
    edited_by TEXT
);
CREATE INDEX IF NOT EXISTS forum_posts_by_topic ON forum_posts(topic_id, id);
CREATE TABLE IF NOT EXISTS forum_subscriptions (
    user_id INTEGER NOT NULL,
    topic_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, topic_id)
);
CREATE TABLE IF NOT EXISTS forum_signatures (
    user_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS forum_reports (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL,
    reporter_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created INTEGER NOT NULL
);
";

const TABLES: &[&str] = &[
    "forum_reports",
    "forum_signatures",
    "forum_subscriptions",
    "forum_posts",
    "forum_topics",
    "forum_categories",
];

const SEEDED_KEY: &str = "forums_seeded";

/// Topics per category page and posts per topic page (as on the live site).
pub(crate) const TOPICS_PER_PAGE: i64 = 25;
/// Posts per topic page.
pub(crate) const POSTS_PER_PAGE: i64 = 20;

/// The seeded topic with two pages of posts.
pub(crate) const BIG_TOPIC: i64 = 4242;
/// The seeded closed topic.
pub(crate) const CLOSED_TOPIC: i64 = 4243;
/// The first post id of the seed.
const FIRST_POST: i64 = 98_765;

const GRIFFPATCH: i64 = 1_882_674;
const SCRATCHCAT: i64 = 15_883_188;
const KAKURENBO: i64 = 27_675_462;
const MAXIMOUSE: i64 = 40_210_166;
const PMJ: i64 = 42_178_181;
const PADDLE: i64 = 49_156;
const MRES: i64 = 167;
const POSTERS: &[i64] = &[GRIFFPATCH, KAKURENBO, MAXIMOUSE, PMJ, MRES];

const CATEGORIES: &[(i64, &str, &str, &str, bool)] = &[
    (
        5,
        "Welcome to Scratch",
        "Announcements",
        "Updates from the Scratch Team.",
        true,
    ),
    (
        6,
        "Welcome to Scratch",
        "New Scratchers",
        "A place for New Scratchers to get help and say hello.",
        false,
    ),
    (
        7,
        "Making Scratch Projects",
        "Help with Scripts",
        "Need help with your Scratch project? Ask here!",
        false,
    ),
    (
        31,
        "Making Scratch Projects",
        "Suggestions",
        "Have an idea for Scratch? Share it here.",
        false,
    ),
    (
        3,
        "About Scratch",
        "Bugs and Glitches",
        "Report a problem with the Scratch website or editor.",
        false,
    ),
    (
        4,
        "About Scratch",
        "Questions about Scratch",
        "Questions about the Scratch website.",
        false,
    ),
];

const IDEAS: &[&str] = &[
    "Add a dark mode",
    "More sound effects",
    "Folders in My Stuff",
    "Custom block colors",
    "Better search",
    "A when stop clicked block",
    "Bigger stage sizes",
    "Comment reactions",
    "Sprite folders",
    "Project tags",
];

const BODIES: &[&str] = &[
    "[b]Support![/b] This would be great :)",
    "No support, it could be [i]confusing[/i] for new Scratchers.",
    "Semi-support. See [url=https://scratch.mit.edu/discuss/topic/1/]the list[/url].",
    "[quote=griffpatch]Add more blocks[/quote]\nI agree with this.",
    "You can already do this with:\n[code]when flag clicked\nforever\nend[/code]",
    "Bump :D",
];

/// Creates the tables and seeds them when missing (first use, or after a reset emptied
/// `meta`). Cheap when already done.
pub(crate) fn ensure(conn: &Connection) -> rusqlite::Result<()> {
    let done: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [SEEDED_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    if done.is_some() {
        return Ok(());
    }
    conn.execute_batch(SCHEMA)?;
    for table in TABLES {
        conn.execute(&format!("DELETE FROM {table}"), [])?;
    }
    seed(conn)?;
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '1')",
        [SEEDED_KEY],
    )?;
    Ok(())
}

fn seed(conn: &Connection) -> rusqlite::Result<()> {
    for (position, (id, section, name, description, staff)) in CATEGORIES.iter().enumerate() {
        conn.execute(
            "INSERT INTO forum_categories (id, section, position, name, description, staff_only)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, section, position as i64, name, description, staff],
        )?;
    }
    let mut post_id = FIRST_POST;
    let mut add_post = |topic: i64, author: i64, body: &str, created: i64| {
        let id = post_id;
        post_id += 1;
        conn.execute(
            "INSERT INTO forum_posts (id, topic_id, author_id, body, created) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, topic, author, body, created],
        )
    };
    let topic = |id: i64,
                 cat: i64,
                 title: &str,
                 author: i64,
                 sticky: bool,
                 closed: bool,
                 views: i64,
                 created: i64| {
        conn.execute(
            "INSERT INTO forum_topics (id, category_id, title, author_id, sticky, closed, views, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, cat, title, author, sticky, closed, views, created],
        )
    };
    let day = 86_400;
    // The big topic: 25 posts.
    topic(
        BIG_TOPIC,
        31,
        "Add more blocks",
        GRIFFPATCH,
        false,
        false,
        345,
        WORLD_NOW - 30 * day,
    )?;
    add_post(
        BIG_TOPIC,
        GRIFFPATCH,
        "Please add [b]more[/b] blocks.\nFor example a [i]when stop clicked[/i] hat :)",
        WORLD_NOW - 30 * day,
    )?;
    for i in 1..25_i64 {
        let author = POSTERS[(i as usize) % POSTERS.len()];
        let body = BODIES[(i as usize) % BODIES.len()];
        add_post(BIG_TOPIC, author, body, WORLD_NOW - 30 * day + i * 3_600)?;
    }
    // A closed topic.
    topic(
        CLOSED_TOPIC,
        31,
        "Make Scratch 4.0",
        KAKURENBO,
        false,
        true,
        1_200,
        WORLD_NOW - 20 * day,
    )?;
    add_post(
        CLOSED_TOPIC,
        KAKURENBO,
        "When is Scratch 4.0 coming?",
        WORLD_NOW - 20 * day,
    )?;
    add_post(
        CLOSED_TOPIC,
        PADDLE,
        "Closed: this is a duplicate. Please read the sticky.",
        WORLD_NOW - 20 * day + 600,
    )?;
    // A sticky, closed topic in Suggestions, and 27 more topics (two pages in all).
    topic(
        1,
        31,
        "Read this before posting",
        PADDLE,
        true,
        true,
        99_999,
        WORLD_NOW - 900 * day,
    )?;
    add_post(
        1,
        PADDLE,
        "Search before you suggest. [url=https://scratch.mit.edu/discuss/31/]Suggestions[/url] only.",
        WORLD_NOW - 900 * day,
    )?;
    for i in 0..27_i64 {
        let id = 5_000 + i;
        let author = POSTERS[(i as usize) % POSTERS.len()];
        let title = format!("{} #{}", IDEAS[(i as usize) % IDEAS.len()], i + 1);
        topic(
            id,
            31,
            &title,
            author,
            false,
            false,
            10 + i * 7,
            WORLD_NOW - (60 - i) * day,
        )?;
        add_post(
            id,
            author,
            &format!("I think we need: {title}"),
            WORLD_NOW - (60 - i) * day,
        )?;
        if i % 3 == 0 {
            add_post(
                id,
                POSTERS[(i as usize + 1) % POSTERS.len()],
                BODIES[(i as usize) % BODIES.len()],
                WORLD_NOW - (60 - i) * day + 7_200,
            )?;
        }
    }
    // One topic in each other category.
    let others: &[(i64, i64, &str, i64, &str)] = &[
        (
            6_001,
            5,
            "Welcome to the sandbox forums",
            SCRATCHCAT,
            "Meow! These forums run offline. :D",
        ),
        (
            6_002,
            6,
            "Hello, I am new!",
            99_000_101,
            "Hi everyone, how do I make a sprite move?",
        ),
        (
            6_003,
            7,
            "How do I make a sprite jump?",
            PMJ,
            "[scratchblocks]\nwhen [space v] key pressed\nchange y by (10)\n[/scratchblocks]",
        ),
        (
            6_004,
            3,
            "Green flag does not work",
            MAXIMOUSE,
            "Steps:\n[list]\n[*]open a project\n[*]click the flag\n[/list]",
        ),
        (
            6_005,
            4,
            "What is a Scratcher?",
            KAKURENBO,
            "[color=red]Question:[/color] how do I become a Scratcher?",
        ),
    ];
    for &(id, cat, title, author, body) in others {
        topic(
            id,
            cat,
            title,
            author,
            false,
            false,
            42,
            WORLD_NOW - 10 * day,
        )?;
        add_post(id, author, body, WORLD_NOW - 10 * day)?;
    }
    conn.execute(
        "INSERT INTO forum_signatures (user_id, signature) VALUES (?1, ?2)",
        params![GRIFFPATCH, "[i]Making games since 2012[/i]"],
    )?;
    Ok(())
}

/// A category with its counts and latest post.
#[derive(Debug, Clone)]
pub(crate) struct Category {
    pub id: i64,
    pub section: String,
    pub name: String,
    pub description: String,
    pub staff_only: bool,
    pub topic_count: i64,
    pub post_count: i64,
    pub last_post: Option<LastPost>,
}

/// The latest post of a category or topic.
#[derive(Debug, Clone)]
pub(crate) struct LastPost {
    pub id: i64,
    pub created: i64,
    pub author: String,
}

fn last_post_where(
    conn: &Connection,
    condition: &str,
    key: i64,
) -> rusqlite::Result<Option<LastPost>> {
    conn.query_row(
        &format!(
            "SELECT p.id, p.created, u.username FROM forum_posts p JOIN forum_topics t ON t.id = p.topic_id
             JOIN users u ON u.id = p.author_id WHERE {condition} ORDER BY p.created DESC, p.id DESC LIMIT 1"
        ),
        [key],
        |r| {
            Ok(LastPost {
                id: r.get(0)?,
                created: r.get(1)?,
                author: r.get(2)?,
            })
        },
    )
    .optional()
}

const CATEGORY_COLUMNS: &str = "c.id, c.section, c.name, c.description, c.staff_only,
    (SELECT COUNT(*) FROM forum_topics t WHERE t.category_id = c.id),
    (SELECT COUNT(*) FROM forum_posts p JOIN forum_topics t ON t.id = p.topic_id WHERE t.category_id = c.id)";

fn category_row(r: &Row<'_>) -> rusqlite::Result<Category> {
    Ok(Category {
        id: r.get(0)?,
        section: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        staff_only: r.get(4)?,
        topic_count: r.get(5)?,
        post_count: r.get(6)?,
        last_post: None,
    })
}

/// Every category, in index order.
pub(crate) fn categories(conn: &Connection) -> rusqlite::Result<Vec<Category>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM forum_categories c ORDER BY c.position"
    ))?;
    let mut out = stmt
        .query_map([], category_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for c in &mut out {
        c.last_post = last_post_where(conn, "t.category_id = ?1", c.id)?;
    }
    Ok(out)
}

/// One category.
pub(crate) fn category(conn: &Connection, id: i64) -> rusqlite::Result<Option<Category>> {
    let c = conn
        .query_row(
            &format!("SELECT {CATEGORY_COLUMNS} FROM forum_categories c WHERE c.id = ?1"),
            [id],
            category_row,
        )
        .optional()?;
    match c {
        Some(mut c) => {
            c.last_post = last_post_where(conn, "t.category_id = ?1", c.id)?;
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

/// A topic with its author, counts and category.
#[derive(Debug, Clone)]
pub(crate) struct Topic {
    pub id: i64,
    pub category_id: i64,
    pub category_name: String,
    pub title: String,
    pub author: String,
    pub sticky: bool,
    pub closed: bool,
    pub views: i64,
    pub post_count: i64,
    pub last_post: Option<LastPost>,
}

const TOPIC_SELECT: &str = "SELECT t.id, t.category_id, c.name, t.title, u.username, t.sticky, t.closed, t.views,
    (SELECT COUNT(*) FROM forum_posts p WHERE p.topic_id = t.id)
    FROM forum_topics t JOIN users u ON u.id = t.author_id JOIN forum_categories c ON c.id = t.category_id";

fn topic_row(r: &Row<'_>) -> rusqlite::Result<Topic> {
    Ok(Topic {
        id: r.get(0)?,
        category_id: r.get(1)?,
        category_name: r.get(2)?,
        title: r.get(3)?,
        author: r.get(4)?,
        sticky: r.get(5)?,
        closed: r.get(6)?,
        views: r.get(7)?,
        post_count: r.get(8)?,
        last_post: None,
    })
}

fn with_last_posts(conn: &Connection, mut topics: Vec<Topic>) -> rusqlite::Result<Vec<Topic>> {
    for t in &mut topics {
        t.last_post = last_post_where(conn, "t.id = ?1", t.id)?;
    }
    Ok(topics)
}

/// A page of a category's topics: sticky first, then by latest post.
pub(crate) fn topics(
    conn: &Connection,
    category_id: i64,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Vec<Topic>> {
    let mut stmt = conn.prepare(&format!(
        "{TOPIC_SELECT} WHERE t.category_id = ?1
         ORDER BY t.sticky DESC, (SELECT MAX(p.created) FROM forum_posts p WHERE p.topic_id = t.id) DESC, t.id DESC
         LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt
        .query_map(params![category_id, limit, offset], topic_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_last_posts(conn, rows)
}

/// One topic.
pub(crate) fn topic(conn: &Connection, id: i64) -> rusqlite::Result<Option<Topic>> {
    let t = conn
        .query_row(&format!("{TOPIC_SELECT} WHERE t.id = ?1"), [id], topic_row)
        .optional()?;
    match t {
        Some(t) => Ok(with_last_posts(conn, vec![t])?.pop()),
        None => Ok(None),
    }
}

/// Counts a view of a topic page.
pub(crate) fn add_view(conn: &Connection, topic_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE forum_topics SET views = views + 1 WHERE id = ?1",
        [topic_id],
    )?;
    Ok(())
}

/// A post with its author and signature.
#[derive(Debug, Clone)]
pub(crate) struct Post {
    pub id: i64,
    pub topic_id: i64,
    pub author_id: i64,
    pub author: String,
    pub author_role: String,
    pub author_posts: i64,
    pub body: String,
    pub created: i64,
    pub edited: Option<i64>,
    pub edited_by: Option<String>,
    pub signature: Option<String>,
}

const POST_SELECT: &str = "SELECT p.id, p.topic_id, p.author_id, u.username, u.role,
    (SELECT COUNT(*) FROM forum_posts q WHERE q.author_id = p.author_id),
    p.body, p.created, p.edited, p.edited_by, s.signature
    FROM forum_posts p JOIN users u ON u.id = p.author_id
    LEFT JOIN forum_signatures s ON s.user_id = p.author_id";

fn post_row(r: &Row<'_>) -> rusqlite::Result<Post> {
    Ok(Post {
        id: r.get(0)?,
        topic_id: r.get(1)?,
        author_id: r.get(2)?,
        author: r.get(3)?,
        author_role: r.get(4)?,
        author_posts: r.get(5)?,
        body: r.get(6)?,
        created: r.get(7)?,
        edited: r.get(8)?,
        edited_by: r.get(9)?,
        signature: r.get(10)?,
    })
}

/// A page of a topic's posts, oldest first.
pub(crate) fn posts(
    conn: &Connection,
    topic_id: i64,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Vec<Post>> {
    let mut stmt = conn.prepare(&format!(
        "{POST_SELECT} WHERE p.topic_id = ?1 ORDER BY p.id LIMIT ?2 OFFSET ?3"
    ))?;
    stmt.query_map(params![topic_id, limit, offset], post_row)?
        .collect()
}

/// The latest posts of a topic or a category (for feeds), newest first.
pub(crate) fn latest_posts(
    conn: &Connection,
    topic_id: Option<i64>,
    category_id: Option<i64>,
    limit: i64,
) -> rusqlite::Result<Vec<Post>> {
    let mut stmt = conn.prepare(&format!(
        "{POST_SELECT} JOIN forum_topics t ON t.id = p.topic_id
         WHERE (?1 IS NULL OR p.topic_id = ?1) AND (?2 IS NULL OR t.category_id = ?2)
         ORDER BY p.created DESC, p.id DESC LIMIT ?3"
    ))?;
    stmt.query_map(params![topic_id, category_id, limit], post_row)?
        .collect()
}

/// One post.
pub(crate) fn post(conn: &Connection, id: i64) -> rusqlite::Result<Option<Post>> {
    conn.query_row(&format!("{POST_SELECT} WHERE p.id = ?1"), [id], post_row)
        .optional()
}

/// The 1-based position of a post in its topic.
pub(crate) fn position(conn: &Connection, topic_id: i64, post_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM forum_posts WHERE topic_id = ?1 AND id <= ?2",
        params![topic_id, post_id],
        |r| r.get(0),
    )
}

/// When the user last posted in the forums.
pub(crate) fn last_post_time(conn: &Connection, user_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT MAX(created) FROM forum_posts WHERE author_id = ?1",
        [user_id],
        |r| r.get(0),
    )
}

/// Adds a post; returns its id.
pub(crate) fn insert_post(
    conn: &Connection,
    topic_id: i64,
    author_id: i64,
    body: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO forum_posts (topic_id, author_id, body, created) VALUES (?1, ?2, ?3, ?4)",
        params![topic_id, author_id, body, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Adds a topic with its first post; returns (topic id, post id).
pub(crate) fn insert_topic(
    conn: &Connection,
    category_id: i64,
    author_id: i64,
    title: &str,
    body: &str,
    now: i64,
) -> rusqlite::Result<(i64, i64)> {
    conn.execute(
        "INSERT INTO forum_topics (category_id, title, author_id, created) VALUES (?1, ?2, ?3, ?4)",
        params![category_id, title, author_id, now],
    )?;
    let topic = conn.last_insert_rowid();
    let post = insert_post(conn, topic, author_id, body, now)?;
    Ok((topic, post))
}

/// Replaces a post's text.
pub(crate) fn edit_post(
    conn: &Connection,
    id: i64,
    body: &str,
    editor: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE forum_posts SET body = ?2, edited = ?3, edited_by = ?4 WHERE id = ?1",
        params![id, body, now, editor],
    )?;
    Ok(())
}

/// Follows or unfollows a topic.
pub(crate) fn set_subscription(
    conn: &Connection,
    user_id: i64,
    topic_id: i64,
    on: bool,
) -> rusqlite::Result<()> {
    if on {
        conn.execute(
            "INSERT OR IGNORE INTO forum_subscriptions (user_id, topic_id) VALUES (?1, ?2)",
            params![user_id, topic_id],
        )?;
    } else {
        conn.execute(
            "DELETE FROM forum_subscriptions WHERE user_id = ?1 AND topic_id = ?2",
            params![user_id, topic_id],
        )?;
    }
    Ok(())
}

/// Whether the user follows the topic.
#[cfg_attr(not(test), allow(dead_code))] // read by the tests only
pub(crate) fn is_subscribed(
    conn: &Connection,
    user_id: i64,
    topic_id: i64,
) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT COUNT(*) FROM forum_subscriptions WHERE user_id = ?1 AND topic_id = ?2",
        params![user_id, topic_id],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Sets (or, when empty, removes) a signature.
pub(crate) fn set_signature(
    conn: &Connection,
    user_id: i64,
    signature: &str,
) -> rusqlite::Result<()> {
    if signature.trim().is_empty() {
        conn.execute("DELETE FROM forum_signatures WHERE user_id = ?1", [user_id])?;
    } else {
        conn.execute(
            "INSERT OR REPLACE INTO forum_signatures (user_id, signature) VALUES (?1, ?2)",
            params![user_id, signature],
        )?;
    }
    Ok(())
}

/// Records a report.
pub(crate) fn report(
    conn: &Connection,
    post_id: i64,
    reporter_id: i64,
    reason: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO forum_reports (post_id, reporter_id, reason, created) VALUES (?1, ?2, ?3, ?4)",
        params![post_id, reporter_id, reason, now],
    )?;
    Ok(())
}

/// Number of reports of a post.
#[cfg_attr(not(test), allow(dead_code))] // read by the tests only
pub(crate) fn report_count(conn: &Connection, post_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM forum_reports WHERE post_id = ?1",
        [post_id],
        |r| r.get(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn seed_has_pages_and_is_deterministic_after_reset() {
        let store = Store::open(None, 1, 0).unwrap();
        store.write(|c| ensure(c)).unwrap();
        let cats = store.read(categories).unwrap();
        assert_eq!(cats.len(), 6);
        let suggestions = cats.iter().find(|c| c.id == 31).unwrap();
        assert_eq!(suggestions.topic_count, 30);
        assert!(suggestions.last_post.is_some());
        let page1 = store.read(|c| topics(c, 31, TOPICS_PER_PAGE, 0)).unwrap();
        assert_eq!(page1.len(), 25);
        assert!(page1[0].sticky && page1[0].closed);
        let big = store.read(|c| topic(c, BIG_TOPIC)).unwrap().unwrap();
        assert_eq!(big.post_count, 25);
        let first = store.read(|c| posts(c, BIG_TOPIC, 20, 0)).unwrap();
        assert_eq!(first[0].id, FIRST_POST);
        assert_eq!(
            first[0].signature.as_deref(),
            Some("[i]Making games since 2012[/i]")
        );
        store
            .write(|c| insert_post(c, BIG_TOPIC, 167, "new", WORLD_NOW))
            .unwrap();
        store
            .write(|c| set_subscription(c, 167, BIG_TOPIC, true))
            .unwrap();
        assert!(store.read(|c| is_subscribed(c, 167, BIG_TOPIC)).unwrap());
        store
            .write(|c| set_subscription(c, 167, BIG_TOPIC, false))
            .unwrap();
        assert!(!store.read(|c| is_subscribed(c, 167, BIG_TOPIC)).unwrap());
        store
            .write(|c| report(c, FIRST_POST, 167, "spam", WORLD_NOW))
            .unwrap();
        assert_eq!(store.read(|c| report_count(c, FIRST_POST)).unwrap(), 1);
        store.reset().unwrap();
        store.write(|c| ensure(c)).unwrap();
        let big = store.read(|c| topic(c, BIG_TOPIC)).unwrap().unwrap();
        assert_eq!(big.post_count, 25);
    }
}
