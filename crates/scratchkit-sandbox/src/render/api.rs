//! api.scratch.mit.edu shapes.

use serde::Serialize;

use super::{ImageUrl, ProjectImages, UserImages, unsigned};
use crate::store::classrooms::ClassroomRow;
use crate::store::comments::CommentRow;
use crate::store::misc::{CloudLogRow, NewsRow};
use crate::store::projects::ProjectRow;
use crate::store::studios::{StudioProjectRow, StudioRow};
use crate::store::users::UserRow;
use crate::timefmt::IsoTime;

/// `/users/<u>` and every user list, as the client's own model type: the sandbox serves what
/// `scratchkit-model` writes, so the two cannot drift apart.
pub(crate) fn user(u: &UserRow) -> scratchkit_model::User {
    use scratchkit_model::{Profile, ProfileId, Timestamp, UserHistory, UserId};
    scratchkit_model::User {
        id: UserId(unsigned(u.id)),
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
    profile: AuthorProfileJson,
}

#[derive(Serialize)]
struct AuthorProfileJson {
    id: Option<i64>,
    images: UserImages,
}

#[derive(Serialize)]
struct ProjectHistoryJson {
    created: IsoTime,
    modified: IsoTime,
    shared: Option<IsoTime>,
}

#[derive(Serialize)]
struct ProjectStatsJson {
    views: i64,
    loves: i64,
    favorites: i64,
    remixes: i64,
}

#[derive(Serialize)]
struct RemixJson {
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
    history: ProjectHistoryJson,
    stats: ProjectStatsJson,
    remix: RemixJson,
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

pub(crate) fn project(
    p: &ProjectRow,
    style: ProjectStyle,
    token: Option<String>,
) -> ProjectJson<'_> {
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
            profile: AuthorProfileJson {
                id: None,
                images: UserImages(p.owner_id),
            },
        },
        image: ImageUrl::project(p.id),
        images: ProjectImages {
            id: p.id,
            version: p.modified,
        },
        history: ProjectHistoryJson {
            created: IsoTime(p.created),
            modified: IsoTime(p.modified),
            shared: p.shared_at.map(IsoTime),
        },
        stats: ProjectStatsJson {
            views: p.views,
            loves: p.loves,
            favorites: p.favorites,
            remixes: if style == ProjectStyle::Full {
                p.remixes
            } else {
                0
            },
        },
        remix: RemixJson {
            parent: p.parent_id,
            root: p.root_id,
        },
        project_token: token,
    }
}

/// A comment (project or studio, with its author), as the client's own model type.
pub(crate) fn comment(c: &CommentRow) -> scratchkit_model::Comment {
    use scratchkit_model::{CommentAuthor, CommentId, Timestamp, UserId, Visibility};
    scratchkit_model::Comment {
        id: CommentId(unsigned(c.id)),
        parent_id: c.parent_id.map(|p| CommentId(unsigned(p))),
        commentee_id: c.commentee_id.map(|u| UserId(unsigned(u))),
        content: c.content.clone(),
        datetime_created: Timestamp::from_unix_seconds(c.created),
        datetime_modified: Timestamp::from_unix_seconds(c.modified),
        visibility: Some(Visibility::from(c.visibility.as_str())),
        author: CommentAuthor {
            id: UserId(unsigned(c.author_id)),
            username: c.author_username.clone(),
            scratchteam: c.author_role == "scratch_team",
            image: Some(ImageUrl::user_60(c.author_id).to_url()),
        },
        reply_count: unsigned(c.reply_count),
    }
}

/// `/studios/<id>` and studio lists, as the client's own model type.
pub(crate) fn studio(s: &StudioRow) -> scratchkit_model::Studio {
    use scratchkit_model::{StudioHistory, StudioId, StudioStats, Timestamp, UserId, Visibility};
    scratchkit_model::Studio {
        id: StudioId(unsigned(s.id)),
        title: s.title.clone(),
        host: Some(UserId(unsigned(s.host_id))),
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
            comments: unsigned(s.comments.min(100)),
            followers: unsigned(s.followers),
            managers: unsigned(s.managers),
            projects: unsigned(s.projects.min(100)),
        },
    }
}

/// An item of `/studios/<id>/projects`, as the client's own model type.
pub(crate) fn studio_project(sp: &StudioProjectRow) -> scratchkit_model::StudioProject {
    use scratchkit_model::{ProjectId, UserId};
    scratchkit_model::StudioProject {
        id: ProjectId(unsigned(sp.project_id)),
        title: sp.title.clone(),
        image: Some(ImageUrl::project(sp.project_id).to_url()),
        creator_id: Some(UserId(unsigned(sp.creator_id))),
        username: sp.username.clone(),
        avatar: UserImages(sp.creator_id).to_images(),
        actor_id: Some(UserId(unsigned(sp.actor_id))),
    }
}

/// A news item, as the client's own model type.
pub(crate) fn news(n: &NewsRow) -> scratchkit_model::News {
    scratchkit_model::News {
        id: scratchkit_model::NewsId(unsigned(n.id)),
        stamp: scratchkit_model::Timestamp::from_unix_seconds(n.stamp),
        headline: n.headline.clone(),
        url: n.url.clone(),
        image: n.image.clone(),
        copy: n.copy.clone(),
    }
}

/// `/classrooms/<id>` and `/classtoken/<token>`, as the client's own model type (an open
/// class writes `"date_end": null`, which scratchattach indexes).
pub(crate) fn classroom(c: &ClassroomRow, educator: &UserRow) -> scratchkit_model::Classroom {
    use scratchkit_model::{ClassroomId, Images, Timestamp};
    let mut images = Images::new();
    for size in ["200x150", "250x150", "500x375"] {
        images.insert(
            size,
            &format!(
                "https://cdn2.scratch.mit.edu/get_image/classroom/{}_{size}.png",
                c.id
            ),
        );
    }
    scratchkit_model::Classroom {
        id: ClassroomId(unsigned(c.id)),
        title: c.title.clone(),
        description: c.description.clone(),
        status: c.status.clone(),
        date_start: Timestamp::from_unix_seconds(c.date_start),
        date_end: c.date_end.and_then(Timestamp::from_unix_seconds),
        images,
        educator: Some(user(educator)),
    }
}

/// One clouddata `/logs` entry (values are strings, as recorded), as the client's own model
/// type. A row whose time cannot be a timestamp is left out.
pub(crate) fn cloud_log(e: &CloudLogRow) -> Option<scratchkit_model::CloudLogEntry> {
    Some(scratchkit_model::CloudLogEntry {
        user: e.user.clone(),
        verb: scratchkit_model::CloudVerb::from(e.verb.as_str()),
        name: e.name.clone(),
        value: scratchkit_model::CloudValue::Text(e.value.clone()),
        timestamp: scratchkit_model::Timestamp::from_unix_millis(e.timestamp_ms)?,
    })
}
