//! api.scratch.mit.edu shapes.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ImageUrl, ProjectImages, UserImages};
use crate::store::comments::Comment;
use crate::store::misc::{Classroom, CloudLogEntry, News};
use crate::store::projects::Project;
use crate::store::studios::{Activity, Studio, StudioProject};
use crate::store::users::User;
use crate::timefmt::{IsoTime, iso};

/// `/users/<u>` and every user list, as the client's own model type: the sandbox serves what
/// `scratchkit-model` writes, so the two cannot drift apart.
pub(crate) fn user(u: &User) -> scratchkit_model::User {
    use scratchkit_model::{Profile, ProfileId, Timestamp, UserHistory, UserId};
    scratchkit_model::User {
        id: UserId(u64::try_from(u.id).unwrap_or_default()),
        username: u.username.clone(),
        scratchteam: u.scratchteam(),
        history: UserHistory {
            joined: Timestamp::from_unix_seconds(u.joined),
            login: None,
        },
        profile: Profile {
            id: u
                .profile_id
                .and_then(|id| u64::try_from(id).ok())
                .map(ProfileId),
            images: Some(UserImages(u.id).to_images()),
            avatar: None,
            status: u.status.clone(),
            bio: u.bio.clone(),
            country: u.country.clone(),
        },
    }
}

/// The `history` of a project's author: always 1900, as live.
#[derive(Serialize)]
struct AuthorJoined {
    joined: &'static str,
}

/// The reduced author of a project: joined is always 1900 and the profile id null, as live.
#[derive(Serialize)]
struct AuthorJson<'a> {
    id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'a str>,
    scratchteam: bool,
    history: AuthorJoined,
    profile: AuthorProfile,
}

#[derive(Serialize)]
struct AuthorProfile {
    id: Option<i64>,
    images: UserImages,
}

#[derive(Serialize)]
struct ProjectHistory {
    created: IsoTime,
    modified: IsoTime,
    shared: Option<IsoTime>,
}

#[derive(Serialize)]
struct ProjectStats {
    views: i64,
    loves: i64,
    favorites: i64,
    remixes: i64,
}

#[derive(Serialize)]
struct Remix {
    parent: Option<i64>,
    root: Option<i64>,
}

/// `/projects/<id>` and the items of project lists (borrowing the project's text).
#[derive(Serialize)]
pub(crate) struct ProjectJson<'a> {
    id: i64,
    title: &'a str,
    description: &'a str,
    instructions: &'a str,
    visibility: &'static str,
    public: bool,
    comments_allowed: bool,
    is_published: bool,
    author: AuthorJson<'a>,
    image: ImageUrl,
    images: ProjectImages,
    history: ProjectHistory,
    stats: ProjectStats,
    remix: Remix,
    #[serde(skip_serializing_if = "Option::is_none")]
    project_token: Option<String>,
}

/// How a project is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProjectStyle {
    /// `/projects/<id>`: full author, real remix count, a project token.
    Full,
    /// `/users/<u>/projects`: no `author.username` (the live API leaves it out), remixes 0.
    OwnList,
    /// Other lists (favorites, remixes, explore, search): author name kept, remixes 0.
    List,
}

pub(crate) fn project(p: &Project, style: ProjectStyle, token: Option<String>) -> ProjectJson<'_> {
    ProjectJson {
        id: p.id,
        title: &p.title,
        description: &p.description,
        instructions: &p.instructions,
        visibility: "visible",
        public: p.shared,
        comments_allowed: p.comments_allowed,
        is_published: p.shared,
        author: AuthorJson {
            id: p.owner_id,
            username: (style != ProjectStyle::OwnList).then_some(p.owner_username.as_str()),
            scratchteam: p.owner_role == "scratch_team",
            history: AuthorJoined {
                joined: "1900-01-01T00:00:00.000Z",
            },
            profile: AuthorProfile {
                id: None,
                images: UserImages(p.owner_id),
            },
        },
        image: ImageUrl::project(p.id),
        images: ProjectImages {
            id: p.id,
            version: p.modified,
        },
        history: ProjectHistory {
            created: IsoTime(p.created),
            modified: IsoTime(p.modified),
            shared: p.shared_at.map(IsoTime),
        },
        stats: ProjectStats {
            views: p.views,
            loves: p.loves,
            favorites: p.favorites,
            remixes: if style == ProjectStyle::Full {
                p.remixes
            } else {
                0
            },
        },
        remix: Remix {
            parent: p.parent_id,
            root: p.root_id,
        },
        project_token: token,
    }
}

/// A comment (project or studio, with its author), as the client's own model type.
pub(crate) fn comment(c: &Comment) -> scratchkit_model::Comment {
    use scratchkit_model::{CommentAuthor, CommentId, Timestamp, UserId, Visibility};
    let id = |n: i64| u64::try_from(n).unwrap_or_default();
    scratchkit_model::Comment {
        id: CommentId(id(c.id)),
        parent_id: c.parent_id.map(|p| CommentId(id(p))),
        commentee_id: c.commentee_id.map(|u| UserId(id(u))),
        content: c.content.clone(),
        datetime_created: Timestamp::from_unix_seconds(c.created),
        datetime_modified: Timestamp::from_unix_seconds(c.modified),
        visibility: Some(Visibility::from(c.visibility.as_str())),
        author: CommentAuthor {
            id: UserId(id(c.author_id)),
            username: c.author_username.clone(),
            scratchteam: c.author_role == "scratch_team",
            image: Some(ImageUrl::user_60(c.author_id).to_url()),
        },
        reply_count: u64::try_from(c.reply_count).unwrap_or_default(),
    }
}

/// `/studios/<id>` and studio lists, as the client's own model type.
pub(crate) fn studio(s: &Studio) -> scratchkit_model::Studio {
    use scratchkit_model::{StudioHistory, StudioId, StudioStats, Timestamp, UserId, Visibility};
    let count = |n: i64| u64::try_from(n).unwrap_or_default();
    scratchkit_model::Studio {
        id: StudioId(count(s.id)),
        title: s.title.clone(),
        host: Some(UserId(count(s.host_id))),
        description: s.description.clone(),
        visibility: Some(Visibility::Visible),
        public: true,
        open_to_all: s.open_to_all,
        comments_allowed: s.comments_allowed,
        image: Some(ImageUrl::studio(s.id).to_url()),
        history: StudioHistory {
            created: Timestamp::from_unix_seconds(s.created),
            modified: Timestamp::from_unix_seconds(s.modified),
        },
        // The live API caps comments and projects at 100 (the site shows "100+").
        stats: StudioStats {
            comments: count(s.comments.min(100)),
            followers: count(s.followers),
            managers: count(s.managers),
            projects: count(s.projects.min(100)),
        },
    }
}

/// An item of `/studios/<id>/projects`, as the client's own model type.
pub(crate) fn studio_project(sp: &StudioProject) -> scratchkit_model::StudioProject {
    use scratchkit_model::{ProjectId, UserId};
    let id = |n: i64| u64::try_from(n).unwrap_or_default();
    scratchkit_model::StudioProject {
        id: ProjectId(id(sp.project_id)),
        title: sp.title.clone(),
        image: Some(ImageUrl::project(sp.project_id).to_url()),
        creator_id: Some(UserId(id(sp.creator_id))),
        username: sp.username.clone(),
        avatar: UserImages(sp.creator_id).to_images(),
        actor_id: Some(UserId(id(sp.actor_id))),
    }
}

/// A studio activity item: base keys plus the per-type keys kept in `extra`.
pub(crate) fn activity(a: &Activity) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), Value::String(format!("{}-{}", a.kind, a.id)));
    map.insert("type".into(), Value::String(a.kind.clone()));
    map.insert("actor_id".into(), Value::from(a.actor_id));
    map.insert(
        "actor_username".into(),
        Value::String(a.actor_username.clone()),
    );
    map.insert("datetime_created".into(), Value::String(iso(a.created)));
    if let Ok(Value::Object(extra)) = serde_json::from_str::<Value>(&a.extra) {
        map.extend(extra);
    }
    Value::Object(map)
}

/// A news item, as the client's own model type.
pub(crate) fn news(n: &News) -> scratchkit_model::News {
    scratchkit_model::News {
        id: scratchkit_model::NewsId(u64::try_from(n.id).unwrap_or_default()),
        stamp: scratchkit_model::Timestamp::from_unix_seconds(n.stamp),
        headline: n.headline.clone(),
        url: n.url.clone(),
        image: n.image.clone(),
        copy: n.copy.clone(),
    }
}

/// `/classrooms/<id>`.
#[derive(Serialize)]
pub(crate) struct ClassroomJson {
    id: i64,
    title: String,
    description: String,
    status: String,
    date_start: String,
    /// Always present (`null` while open): scratchattach indexes it.
    date_end: Option<String>,
    images: Map<String, Value>,
    educator: scratchkit_model::User,
}

pub(crate) fn classroom(c: &Classroom, educator: &User) -> ClassroomJson {
    let images = ["500x375", "250x150", "200x150"]
        .into_iter()
        .map(|size| {
            (
                size.to_owned(),
                Value::String(format!(
                    "https://cdn2.scratch.mit.edu/get_image/classroom/{}_{size}.png",
                    c.id
                )),
            )
        })
        .collect();
    ClassroomJson {
        id: c.id,
        title: c.title.clone(),
        description: c.description.clone(),
        status: c.status.clone(),
        date_start: iso(c.date_start),
        date_end: c.date_end.map(iso),
        images,
        educator: user(educator),
    }
}

/// One clouddata `/logs` entry (values are strings, as recorded), as the client's own model
/// type. A row whose time cannot be a timestamp is left out.
pub(crate) fn cloud_log(e: &CloudLogEntry) -> Option<scratchkit_model::CloudLogEntry> {
    Some(scratchkit_model::CloudLogEntry {
        user: e.user.clone(),
        verb: scratchkit_model::CloudVerb::from(e.verb.as_str()),
        name: e.name.clone(),
        value: scratchkit_model::CloudValue::Text(e.value.clone()),
        timestamp: scratchkit_model::Timestamp::from_unix_millis(e.timestamp_ms)?,
    })
}

/// A message (`/users/<me>/messages`) or a feed item: base keys plus the per-type keys.
pub(crate) fn message(m: &crate::store::messages::Item) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), Value::from(m.id));
    map.insert("datetime_created".into(), Value::String(iso(m.created)));
    map.insert(
        "actor_username".into(),
        Value::String(m.actor_username.clone()),
    );
    map.insert("actor_id".into(), Value::from(m.actor_id));
    map.insert("type".into(), Value::String(m.kind.clone()));
    if let Ok(Value::Object(extra)) = serde_json::from_str::<Value>(&m.extra) {
        map.extend(extra);
    }
    Value::Object(map)
}
