//! The client's operations: a name and a JSON object of arguments in, JSON out.
//!
//! One table for both APIs: the blocking `call` and the asyncio `submit` parse the same
//! [`Op`] and run the same [`run`]. Results are the model types of `scratchkit-model`
//! serialized with their own serde names (Scratch's field names), which the Python layer
//! wraps in its typed classes.

use scratchkit::model::{
    BackpackItemKind, ClassroomId, CommentId, ExploreMode, PostId, ProjectId, StudioId, TopicId,
    UserId,
};
use scratchkit::sb3::Sb3;
use scratchkit::{Client, CommentsHandler, ListRequest, MessageFilter, NewBackpackItem};
use serde::Serialize;
use serde_json::{Value, json};

/// Why an operation's arguments were refused before anything was sent.
#[derive(Debug)]
pub(crate) struct BadArguments(pub(crate) String);

/// One operation with its arguments.
#[derive(Debug)]
pub(crate) enum Op {
    User {
        username: String,
    },
    UserProjects {
        username: String,
        page: Paging,
    },
    UserFollowers {
        username: String,
        page: Paging,
    },
    Project {
        id: u64,
    },
    Comments {
        place: Place,
        page: Paging,
    },
    CommentReplies {
        place: Place,
        comment: u64,
        page: Paging,
    },
    UserFollowing {
        username: String,
        page: Paging,
    },
    IsFollowing {
        username: String,
        other: String,
    },
    FollowUser {
        username: String,
        on: bool,
    },
    FollowStudio {
        id: u64,
        on: bool,
    },
    ProjectRemixes {
        id: u64,
        page: Paging,
    },
    Studio {
        id: u64,
    },
    StudioProjects {
        id: u64,
        page: Paging,
    },
    StudioCurators {
        id: u64,
        page: Paging,
    },
    Explore {
        studios: bool,
        mode: String,
        query: String,
        page: Paging,
    },
    Search {
        studios: bool,
        mode: String,
        query: String,
        page: Paging,
    },
    Login {
        username: String,
        password: String,
    },
    Logout,
    PostComment {
        place: Place,
        content: String,
        parent: Option<u64>,
        commentee: Option<u64>,
    },
    Love {
        id: u64,
        on: bool,
    },
    Favorite {
        id: u64,
        on: bool,
    },
    SetTitle {
        id: u64,
        title: String,
    },
    MessageCount,
    Messages {
        page: Paging,
    },
    DownloadSb3 {
        id: u64,
        path: String,
    },
    CreateProject {
        path: String,
        title: Option<String>,
    },
    SaveProject {
        id: u64,
        path: String,
    },
    Backpack {
        page: Paging,
    },
    DeleteBackpackItem {
        item: String,
    },
    AddBackpackItem {
        kind: String,
        mime: String,
        name: String,
        body: Vec<u8>,
        thumbnail: Vec<u8>,
    },
    Classroom {
        id: u64,
    },
    ClassroomStudents {
        id: u64,
        page: u32,
    },
    ForumTopics {
        category: u64,
        page: u32,
    },
    ForumPosts {
        topic: u64,
        page: u32,
    },
    ForumPostSource {
        post: u64,
    },
    ForumReply {
        topic: u64,
        content: String,
    },
}

/// Where comments live: a project, a studio or a profile.
#[derive(Debug)]
pub(crate) enum Place {
    Project(u64),
    Studio(u64),
    Profile(String),
}

impl Place {
    /// From the arguments `place` (`project`, `studio`, `profile`) and `target` (an id, or
    /// a username for a profile).
    fn parse(args: &Value) -> Result<Place, BadArguments> {
        Ok(match text_or(args, "place", "project")?.as_str() {
            "project" => Place::Project(id(args, "target")?),
            "studio" => Place::Studio(id(args, "target")?),
            "profile" => Place::Profile(text(args, "target")?),
            other => {
                return Err(BadArguments(format!(
                    "`place` must be project, studio or profile, not {other:?}"
                )));
            }
        })
    }

    fn comments(self, client: &Client) -> CommentsHandler {
        match self {
            Place::Project(id) => client.project(ProjectId(id)).comments(),
            Place::Studio(id) => client.studio(StudioId(id)).comments(),
            Place::Profile(name) => client.user(name).comments(),
        }
    }
}

/// `limit` and `offset` of a list call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    limit: u32,
    offset: u32,
}

fn field<'a>(args: &'a Value, name: &str) -> Result<&'a Value, BadArguments> {
    args.get(name)
        .filter(|v| !v.is_null())
        .ok_or_else(|| BadArguments(format!("missing argument `{name}`")))
}

fn text(args: &Value, name: &str) -> Result<String, BadArguments> {
    field(args, name)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| BadArguments(format!("`{name}` must be a string")))
}

fn text_or(args: &Value, name: &str, default: &str) -> Result<String, BadArguments> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(default.to_owned()),
        Some(_) => text(args, name),
    }
}

fn id(args: &Value, name: &str) -> Result<u64, BadArguments> {
    field(args, name)?
        .as_u64()
        .ok_or_else(|| BadArguments(format!("`{name}` must be a non-negative integer")))
}

fn optional_id(args: &Value, name: &str) -> Result<Option<u64>, BadArguments> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => id(args, name).map(Some),
    }
}

fn flag(args: &Value, name: &str) -> Result<bool, BadArguments> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(true),
        Some(v) => v
            .as_bool()
            .ok_or_else(|| BadArguments(format!("`{name}` must be a boolean"))),
    }
}

fn optional_text(args: &Value, name: &str) -> Result<Option<String>, BadArguments> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => text(args, name).map(Some),
    }
}

/// Bytes sent from Python as hexadecimal text.
fn hex_bytes(args: &Value, name: &str) -> Result<Vec<u8>, BadArguments> {
    let digits = text(args, name)?;
    let bad = || BadArguments(format!("`{name}` must be bytes as hexadecimal text"));
    if digits.len() % 2 != 0 {
        return Err(bad());
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| {
            digits
                .get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(bad)
        })
        .collect()
}

/// The 1-based `page` of an HTML list (default 1).
fn page_number(args: &Value) -> Result<u32, BadArguments> {
    match args.get("page") {
        None | Some(Value::Null) => Ok(1),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n >= 1)
            .ok_or_else(|| BadArguments("`page` must be an integer from 1".into())),
    }
}

fn paging(args: &Value) -> Result<Paging, BadArguments> {
    let number = |name: &str, default: u32| -> Result<u32, BadArguments> {
        match args.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| BadArguments(format!("`{name}` must be a non-negative integer"))),
        }
    };
    Ok(Paging {
        limit: number("limit", 40)?,
        offset: number("offset", 0)?,
    })
}

impl Op {
    /// The operation `name` with the JSON object `args`.
    pub(crate) fn parse(name: &str, args: &Value) -> Result<Op, BadArguments> {
        let studios = || Ok::<bool, BadArguments>(text_or(args, "kind", "projects")? == "studios");
        Ok(match name {
            "user" => Op::User {
                username: text(args, "username")?,
            },
            "user_projects" => Op::UserProjects {
                username: text(args, "username")?,
                page: paging(args)?,
            },
            "user_followers" => Op::UserFollowers {
                username: text(args, "username")?,
                page: paging(args)?,
            },
            "project" => Op::Project {
                id: id(args, "id")?,
            },
            "comments" => Op::Comments {
                place: Place::parse(args)?,
                page: paging(args)?,
            },
            "comment_replies" => Op::CommentReplies {
                place: Place::parse(args)?,
                comment: id(args, "comment_id")?,
                page: paging(args)?,
            },
            "user_following" => Op::UserFollowing {
                username: text(args, "username")?,
                page: paging(args)?,
            },
            "is_following" => Op::IsFollowing {
                username: text(args, "username")?,
                other: text(args, "other")?,
            },
            "follow_user" => Op::FollowUser {
                username: text(args, "username")?,
                on: flag(args, "on")?,
            },
            "follow_studio" => Op::FollowStudio {
                id: id(args, "id")?,
                on: flag(args, "on")?,
            },
            "project_remixes" => Op::ProjectRemixes {
                id: id(args, "id")?,
                page: paging(args)?,
            },
            "studio" => Op::Studio {
                id: id(args, "id")?,
            },
            "studio_projects" => Op::StudioProjects {
                id: id(args, "id")?,
                page: paging(args)?,
            },
            "studio_curators" => Op::StudioCurators {
                id: id(args, "id")?,
                page: paging(args)?,
            },
            "explore" => Op::Explore {
                studios: studios()?,
                mode: text_or(args, "mode", "trending")?,
                query: text_or(args, "query", "*")?,
                page: paging(args)?,
            },
            "search" => Op::Search {
                studios: studios()?,
                mode: text_or(args, "mode", "popular")?,
                query: text(args, "query")?,
                page: paging(args)?,
            },
            "login" => Op::Login {
                username: text(args, "username")?,
                password: text(args, "password")?,
            },
            "logout" => Op::Logout,
            "post_comment" => Op::PostComment {
                place: Place::parse(args)?,
                content: text(args, "content")?,
                parent: optional_id(args, "parent_id")?,
                commentee: optional_id(args, "commentee_id")?,
            },
            "love" => Op::Love {
                id: id(args, "id")?,
                on: flag(args, "on")?,
            },
            "favorite" => Op::Favorite {
                id: id(args, "id")?,
                on: flag(args, "on")?,
            },
            "set_title" => Op::SetTitle {
                id: id(args, "id")?,
                title: text(args, "title")?,
            },
            "message_count" => Op::MessageCount,
            "messages" => Op::Messages {
                page: paging(args)?,
            },
            "download_sb3" => Op::DownloadSb3 {
                id: id(args, "id")?,
                path: text(args, "path")?,
            },
            "create_project" => Op::CreateProject {
                path: text(args, "path")?,
                title: optional_text(args, "title")?,
            },
            "save_project" => Op::SaveProject {
                id: id(args, "id")?,
                path: text(args, "path")?,
            },
            "backpack" => Op::Backpack {
                page: paging(args)?,
            },
            "delete_backpack_item" => Op::DeleteBackpackItem {
                item: text(args, "item_id")?,
            },
            "add_backpack_item" => Op::AddBackpackItem {
                kind: text(args, "kind")?,
                mime: text(args, "mime")?,
                name: text(args, "name")?,
                body: hex_bytes(args, "body")?,
                thumbnail: hex_bytes(args, "thumbnail")?,
            },
            "classroom" => Op::Classroom {
                id: id(args, "id")?,
            },
            "classroom_students" => Op::ClassroomStudents {
                id: id(args, "id")?,
                page: page_number(args)?,
            },
            "forum_topics" => Op::ForumTopics {
                category: id(args, "category_id")?,
                page: page_number(args)?,
            },
            "forum_posts" => Op::ForumPosts {
                topic: id(args, "topic_id")?,
                page: page_number(args)?,
            },
            "forum_post_source" => Op::ForumPostSource {
                post: id(args, "post_id")?,
            },
            "forum_reply" => Op::ForumReply {
                topic: id(args, "topic_id")?,
                content: text(args, "content")?,
            },
            other => return Err(BadArguments(format!("unknown operation `{other}`"))),
        })
    }
}

/// `value` as JSON text (straight from the model types: no intermediate `Value`).
fn to_json<T: Serialize + ?Sized>(value: &T) -> scratchkit::Result<String> {
    serde_json::to_string(value)
        .map_err(|e| scratchkit::Error::Build(format!("cannot serialize a result: {e}")))
}

async fn page<T: Serialize, Q>(
    request: ListRequest<T, Q>,
    page: Paging,
) -> scratchkit::Result<String>
where
    ListRequest<T, Q>: std::future::IntoFuture<Output = scratchkit::Result<scratchkit::Page<T>>>,
{
    let page = request.limit(page.limit).offset(page.offset).await?;
    to_json(&page.items)
}

/// Runs `op` with `client`.
pub(crate) async fn run(client: &Client, op: Op) -> scratchkit::Result<String> {
    match op {
        Op::User { username } => to_json(&client.user(username).info().await?),
        Op::UserProjects { username, page: p } => page(client.user(username).projects(), p).await,
        Op::UserFollowers { username, page: p } => page(client.user(username).followers(), p).await,
        Op::Project { id } => to_json(&client.project(ProjectId(id)).info().await?),
        Op::Comments { place, page: p } => page(place.comments(client).list(), p).await,
        Op::CommentReplies {
            place,
            comment,
            page: p,
        } => page(place.comments(client).replies(CommentId(comment)), p).await,
        Op::UserFollowing { username, page: p } => page(client.user(username).following(), p).await,
        Op::IsFollowing { username, other } => {
            to_json(&client.user(username).is_following(&other).await?)
        }
        Op::FollowUser { username, on } => {
            let user = client.user(username);
            if on {
                user.follow().await?;
            } else {
                user.unfollow().await?;
            }
            to_json(&on)
        }
        Op::FollowStudio { id, on } => {
            let studio = client.studio(StudioId(id));
            if on {
                studio.follow().await?;
            } else {
                studio.unfollow().await?;
            }
            to_json(&on)
        }
        Op::ProjectRemixes { id, page: p } => {
            page(client.project(ProjectId(id)).remixes(), p).await
        }
        Op::Studio { id } => to_json(&client.studio(StudioId(id)).info().await?),
        Op::StudioProjects { id, page: p } => page(client.studio(StudioId(id)).projects(), p).await,
        Op::StudioCurators { id, page: p } => page(client.studio(StudioId(id)).curators(), p).await,
        Op::Explore {
            studios,
            mode,
            query,
            page: p,
        } => {
            let explore = client.explore();
            let mode = ExploreMode::from(mode.as_str());
            if studios {
                page(explore.studios().mode(mode).query(query), p).await
            } else {
                page(explore.projects().mode(mode).query(query), p).await
            }
        }
        Op::Search {
            studios,
            mode,
            query,
            page: p,
        } => {
            let search = client.search(query);
            let mode = ExploreMode::from(mode.as_str());
            if studios {
                page(search.studios().mode(mode), p).await
            } else {
                page(search.projects().mode(mode), p).await
            }
        }
        Op::Login { username, password } => {
            let me = client.login(&username, password).await?;
            to_json(&json!({"username": me.username, "id": me.user_id.map(|UserId(id)| id)}))
        }
        Op::Logout => {
            client.logout().await?;
            to_json(&Value::Null)
        }
        Op::PostComment {
            place,
            content,
            parent,
            commentee,
        } => {
            let comments = place.comments(client);
            let comment = match parent {
                Some(parent) => {
                    comments
                        .reply(CommentId(parent), commentee.map(UserId), &content)
                        .await?
                }
                None => comments.post(&content).await?,
            };
            to_json(&comment)
        }
        Op::Love { id, on } => {
            let project = client.project(ProjectId(id));
            to_json(&if on {
                project.love().await?
            } else {
                project.unlove().await?
            })
        }
        Op::Favorite { id, on } => {
            let project = client.project(ProjectId(id));
            to_json(&if on {
                project.favorite().await?
            } else {
                project.unfavorite().await?
            })
        }
        Op::SetTitle { id, title } => {
            to_json(&client.project(ProjectId(id)).set_title(&title).await?)
        }
        Op::MessageCount => to_json(&client.me().message_count().await?),
        Op::Messages { page: p } => page(client.me().messages(MessageFilter::All), p).await,
        Op::DownloadSb3 { id, path } => {
            client.project(ProjectId(id)).download_to(&path).await?;
            to_json(&path)
        }
        Op::CreateProject { path, title } => {
            let request = client.create_project(read_sb3(&path).await?);
            let created = match title {
                Some(title) => request.title(title).await?,
                None => request.await?,
            };
            to_json(&json!({
                "id": created.id.0,
                "title": created.title,
                "assets_uploaded": created.assets_uploaded,
            }))
        }
        Op::SaveProject { id, path } => {
            client
                .project(ProjectId(id))
                .save(read_sb3(&path).await?)
                .await?;
            to_json(&id)
        }
        Op::Backpack { page: p } => page(client.me().backpack(), p).await,
        Op::DeleteBackpackItem { item } => {
            client.me().delete_from_backpack(&item).await?;
            to_json(&item)
        }
        Op::AddBackpackItem {
            kind,
            mime,
            name,
            body,
            thumbnail,
        } => {
            let item =
                NewBackpackItem::new(BackpackItemKind::from(kind), mime, name, body, thumbnail);
            to_json(&client.me().add_to_backpack(&item).await?)
        }
        Op::Classroom { id } => to_json(&client.classroom(ClassroomId(id)).info().await?),
        Op::ClassroomStudents { id, page } => {
            to_json(&client.classroom(ClassroomId(id)).students(page).await?)
        }
        Op::ForumTopics { category, page } => {
            to_json(&client.forum().category(category).topics(page).await?)
        }
        Op::ForumPosts { topic, page } => {
            to_json(&client.forum().topic(TopicId(topic)).posts(page).await?)
        }
        Op::ForumPostSource { post } => to_json(&client.forum().post(PostId(post)).source().await?),
        Op::ForumReply { topic, content } => {
            let post = client.forum().topic(TopicId(topic)).reply(&content).await?;
            to_json(&post.map(|PostId(id)| id))
        }
    }
}

/// The .sb3 file at `path`.
async fn read_sb3(path: &str) -> scratchkit::Result<Sb3> {
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|source| scratchkit::Error::File {
            path: path.to_owned(),
            source,
        })?;
    Ok(Sb3::from_bytes(&bytes)?)
}
