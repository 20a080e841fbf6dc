//! The SQLite schema. Times are Unix seconds; booleans are 0/1.

/// Every table of the sandbox, created at startup (`IF NOT EXISTS`, so a data file is reused).
pub(crate) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('scratcher','new_scratcher','teacher','student','scratch_team')),
    joined INTEGER NOT NULL,
    profile_id INTEGER,
    status TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    country TEXT,
    muted_until INTEGER,
    banned INTEGER NOT NULL DEFAULT 0,
    classroom_id INTEGER,
    featured_project_id INTEGER,
    featured_label INTEGER,
    message_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS projects (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    instructions TEXT NOT NULL DEFAULT '',
    shared INTEGER NOT NULL DEFAULT 0,
    comments_allowed INTEGER NOT NULL DEFAULT 1,
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    shared_at INTEGER,
    views INTEGER NOT NULL DEFAULT 0,
    loves INTEGER NOT NULL DEFAULT 0,
    favorites INTEGER NOT NULL DEFAULT 0,
    parent_id INTEGER,
    root_id INTEGER,
    language TEXT NOT NULL DEFAULT 'en',
    tag TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS projects_by_owner ON projects(owner_id, shared, shared_at);
DROP INDEX IF EXISTS projects_by_parent;
CREATE INDEX IF NOT EXISTS projects_by_parent_shared ON projects(parent_id, shared, shared_at);
CREATE INDEX IF NOT EXISTS projects_by_shared ON projects(shared, shared_at);
CREATE INDEX IF NOT EXISTS projects_by_views ON projects(shared, views);
CREATE TABLE IF NOT EXISTS studios (
    id INTEGER PRIMARY KEY,
    host_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    open_to_all INTEGER NOT NULL DEFAULT 0,
    comments_allowed INTEGER NOT NULL DEFAULT 1,
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    followers INTEGER NOT NULL DEFAULT 0,
    language TEXT NOT NULL DEFAULT 'en',
    tag TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS studio_projects (
    studio_id INTEGER NOT NULL REFERENCES studios(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    actor_id INTEGER NOT NULL REFERENCES users(id),
    added INTEGER NOT NULL,
    PRIMARY KEY (studio_id, project_id)
);
CREATE INDEX IF NOT EXISTS studio_projects_by_project ON studio_projects(project_id);
CREATE TABLE IF NOT EXISTS studio_members (
    studio_id INTEGER NOT NULL REFERENCES studios(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('curator','manager','invited')),
    since INTEGER NOT NULL,
    PRIMARY KEY (studio_id, user_id)
);
CREATE INDEX IF NOT EXISTS studio_members_by_user ON studio_members(user_id);
CREATE TABLE IF NOT EXISTS studio_activity (
    id INTEGER PRIMARY KEY,
    studio_id INTEGER NOT NULL REFERENCES studios(id),
    type TEXT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES users(id),
    created INTEGER NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS studio_activity_by_studio ON studio_activity(studio_id, created);
CREATE TABLE IF NOT EXISTS follows (
    follower_id INTEGER NOT NULL REFERENCES users(id),
    followee_id INTEGER NOT NULL REFERENCES users(id),
    since INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX IF NOT EXISTS follows_by_followee ON follows(followee_id, since);
CREATE TABLE IF NOT EXISTS loves (
    user_id INTEGER NOT NULL REFERENCES users(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    since INTEGER NOT NULL,
    PRIMARY KEY (user_id, project_id)
);
CREATE TABLE IF NOT EXISTS favorites (
    user_id INTEGER NOT NULL REFERENCES users(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    since INTEGER NOT NULL,
    PRIMARY KEY (user_id, project_id)
);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY,
    place TEXT NOT NULL CHECK (place IN ('project','studio','user')),
    object_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    parent_id INTEGER,
    commentee_id INTEGER,
    content TEXT NOT NULL,
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'visible'
);
CREATE INDEX IF NOT EXISTS comments_by_place ON comments(place, object_id, parent_id, created);
CREATE TABLE IF NOT EXISTS news (
    id INTEGER PRIMARY KEY,
    stamp INTEGER NOT NULL,
    headline TEXT NOT NULL,
    url TEXT NOT NULL,
    image TEXT NOT NULL,
    copy TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS classrooms (
    id INTEGER PRIMARY KEY,
    educator_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    date_start INTEGER NOT NULL,
    date_end INTEGER,
    closed INTEGER NOT NULL DEFAULT 0,
    token TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cloud_log (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL,
    username TEXT NOT NULL,
    verb TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    timestamp_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS cloud_log_by_project ON cloud_log(project_id, timestamp_ms);
CREATE TABLE IF NOT EXISTS project_files (
    project_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    body BLOB NOT NULL,
    saved INTEGER NOT NULL,
    PRIMARY KEY (project_id, version)
);
CREATE TABLE IF NOT EXISTS assets (
    name TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    uploaded INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token TEXT NOT NULL UNIQUE,
    created INTEGER NOT NULL,
    login_ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS accounts (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    email TEXT NOT NULL DEFAULT '',
    activities INTEGER NOT NULL DEFAULT 1,
    teacher_tips INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    recipient_id INTEGER NOT NULL REFERENCES users(id),
    type TEXT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES users(id),
    created INTEGER NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    unread INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS messages_by_recipient ON messages(recipient_id, created);
CREATE TABLE IF NOT EXISTS admin_alerts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created INTEGER NOT NULL,
    message TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS user_activity (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES users(id),
    type TEXT NOT NULL,
    created INTEGER NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS user_activity_by_actor ON user_activity(actor_id, created);
CREATE TABLE IF NOT EXISTS studio_followers (
    studio_id INTEGER NOT NULL REFERENCES studios(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    since INTEGER NOT NULL,
    PRIMARY KEY (studio_id, user_id)
);
CREATE TABLE IF NOT EXISTS project_trash (
    project_id INTEGER PRIMARY KEY REFERENCES projects(id),
    trashed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    reporter_id INTEGER NOT NULL REFERENCES users(id),
    created INTEGER NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS backpack (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    type TEXT NOT NULL,
    mime TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    thumbnail TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS backpack_by_user ON backpack(user_id, created);
CREATE TABLE IF NOT EXISTS backpack_files (
    name TEXT PRIMARY KEY,
    content BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS creations (
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS creations_by_user ON creations(user_id, kind, created);
CREATE TABLE IF NOT EXISTS classroom_studios (
    classroom_id INTEGER NOT NULL REFERENCES classrooms(id),
    studio_id INTEGER NOT NULL REFERENCES studios(id),
    PRIMARY KEY (classroom_id, studio_id)
);
CREATE TABLE IF NOT EXISTS educator_alerts (
    id INTEGER PRIMARY KEY,
    classroom_id INTEGER NOT NULL REFERENCES classrooms(id),
    type TEXT NOT NULL,
    created INTEGER NOT NULL,
    target_user_id INTEGER NOT NULL REFERENCES users(id),
    actor_id INTEGER NOT NULL REFERENCES users(id),
    object_id INTEGER NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    read_at INTEGER
);
CREATE TABLE IF NOT EXISTS recently_viewed (
    user_id INTEGER NOT NULL REFERENCES users(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    viewed INTEGER NOT NULL,
    PRIMARY KEY (user_id, project_id)
);
CREATE TABLE IF NOT EXISTS scratcher_invites (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    actor_id INTEGER NOT NULL REFERENCES users(id),
    created INTEGER NOT NULL,
    accepted INTEGER
);
CREATE TABLE IF NOT EXISTS images (
    kind TEXT NOT NULL CHECK (kind IN ('user','project','gallery','classroom')),
    object_id INTEGER NOT NULL,
    mime TEXT NOT NULL,
    data BLOB NOT NULL,
    updated INTEGER NOT NULL,
    PRIMARY KEY (kind, object_id)
);
"#;

/// Tables emptied by a reset, children first.
pub(crate) const TABLES: &[&str] = &[
    "images",
    "scratcher_invites",
    "recently_viewed",
    "educator_alerts",
    "classroom_studios",
    "assets",
    "project_files",
    "creations",
    "backpack_files",
    "backpack",
    "reports",
    "project_trash",
    "studio_followers",
    "user_activity",
    "admin_alerts",
    "messages",
    "accounts",
    "sessions",
    "cloud_log",
    "classrooms",
    "news",
    "comments",
    "favorites",
    "loves",
    "follows",
    "studio_activity",
    "studio_members",
    "studio_projects",
    "studios",
    "projects",
    "users",
    "meta",
];
