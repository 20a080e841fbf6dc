//! The client's operations: a name and a JSON object of arguments in, JSON out.
//!
//! One table for both APIs: the blocking `call` and the asyncio `submit` parse the same
//! [`Op`] and run the same [`run`]. Results are the model types of `scratchkit-model`
//! serialized with their own serde names (Scratch's field names), which the Python layer
//! wraps in its typed classes.

use scratchkit::model::{CommentId, ExploreMode, ProjectId, StudioId, UserId};
use scratchkit::{Client, ListRequest, MessageFilter};
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
    ProjectComments {
        id: u64,
        page: Paging,
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
        project: u64,
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
            "project_comments" => Op::ProjectComments {
                id: id(args, "id")?,
                page: paging(args)?,
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
                project: id(args, "project_id")?,
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
        Op::ProjectComments { id, page: p } => {
            page(client.project(ProjectId(id)).comments().list(), p).await
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
            project,
            content,
            parent,
            commentee,
        } => {
            let comments = client.project(ProjectId(project)).comments();
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
    }
}
