//! `scratch forum`: the Scratch forums (categories, topics, posts) and replying.

use clap::{Args, Subcommand};
use futures_util::StreamExt;
use scratchkit::forums::{ForumPost, ForumSection, TopicList, TopicSummary};
use scratchkit_model::{PostId, TopicId};
use serde_json::{Value, json};

use crate::commands::Ctx;
use crate::commands::comment::done;
use crate::exit::CliResult;
use crate::output::{Out, Table, date, excerpt, one_line, thousands};

/// `scratch forum`.
#[derive(Debug, Args)]
pub struct ForumArgs {
    /// What to show (default: the categories).
    #[command(subcommand)]
    pub action: Option<ForumAction>,
}

/// The `scratch forum` actions.
#[derive(Debug, Subcommand)]
pub enum ForumAction {
    /// The topics of a category (one page of them).
    #[command(
        after_help = "Examples:\n  scratch forum category 31\n  scratch forum category Suggestions --page 2 --json\n  scratch forum category 31 --all --max 100 --json"
    )]
    Category {
        /// The category: its ID or its name (see `scratch forum`).
        id: String,
        /// The page (from 1).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        page: u32,
        /// Every topic, page after page (with `--json`: one JSON object per line).
        #[arg(long, conflicts_with = "page")]
        all: bool,
        /// With `--all`: stop after this many topics.
        #[arg(long, requires = "all", value_name = "N")]
        max: Option<usize>,
    },
    /// The posts of a topic (one page of them).
    #[command(
        after_help = "Examples:\n  scratch forum topic 4242\n  scratch forum topic 4242 --page 3\n  scratch forum topic 4242 --all --json"
    )]
    Topic {
        /// The topic ID.
        id: u64,
        /// The page (from 1).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        page: u32,
        /// Every post, oldest first, page after page (with `--json`: one JSON object per
        /// line).
        #[arg(long, conflicts_with = "page")]
        all: bool,
        /// With `--all`: stop after this many posts.
        #[arg(long, requires = "all", value_name = "N")]
        max: Option<usize>,
    },
    /// One post, with its BBCode source.
    #[command(after_help = "Examples:\n  scratch forum post 98765")]
    Post {
        /// The post ID.
        id: u64,
    },
    /// A topic's posts, newest first (every page, last page first).
    #[command(after_help = "Examples:\n  scratch forum newest 4242 --max 5")]
    Newest {
        /// The topic ID.
        id: u64,
        /// Stop after this many posts.
        #[arg(long, value_name = "N")]
        max: Option<usize>,
    },
    /// The Atom feed of a topic (or, with --category, of a category).
    #[command(
        after_help = "Examples:\n  scratch forum feed 4242\n  scratch forum feed 31 --category --json"
    )]
    Feed {
        /// The topic ID (a category ID with --category).
        id: u64,
        /// Read a category's feed.
        #[arg(long)]
        category: bool,
    },
    /// Start a topic in a category (needs a login).
    #[command(
        after_help = "Examples:\n  scratch forum new-topic 31 \"More pen blocks\" \"Please add [b]pen[/b] blocks.\""
    )]
    NewTopic {
        /// The category: its ID or its name.
        category: String,
        /// The topic's title.
        title: String,
        /// The first post, in BBCode.
        text: String,
    },
    /// Edit one of your posts (needs a login).
    #[command(after_help = "Examples:\n  scratch forum edit 98765 \"Fixed: see below.\"")]
    Edit {
        /// The post ID.
        id: u64,
        /// The new text, in BBCode.
        text: String,
    },
    /// Report a post to the Scratch Team (needs a login).
    #[command(after_help = "Examples:\n  scratch forum report 98765 \"spam\"")]
    Report {
        /// The post ID.
        id: u64,
        /// Why.
        reason: String,
    },
    /// Set your forum signature (needs a login).
    #[command(
        after_help = "Examples:\n  scratch forum signature \"[i]Making games since 2012[/i]\""
    )]
    Signature {
        /// The signature, in BBCode.
        text: String,
    },
    /// Whether a post or a topic is gone: its page answers 404 (a deleted one and one that
    /// never existed look the same from outside). Prints "yes" or "no"; exit 0 either way.
    #[command(after_help = "\
Examples:
  scratch forum deleted post 98765
  scratch forum deleted topic 4242 --json          {\"kind\", \"id\", \"deleted\"}")]
    Deleted {
        /// `post` or `topic`.
        #[arg(value_enum)]
        kind: ForumThing,
        /// Its ID.
        id: u64,
    },
    /// The emoji reactions to a post (my-ocular, jeffalo.net: a third-party service).
    #[command(after_help = "Examples:\n  scratch forum reactions 98765 --json")]
    Reactions {
        /// The post ID.
        id: u64,
    },
    /// A user's my-ocular status (the status line shown under forum posts by the ocular
    /// browser extension; jeffalo.net, a third-party service).
    #[command(after_help = "Examples:\n  scratch forum ocular griffpatch")]
    Ocular {
        /// The username.
        username: String,
    },
    /// Reply to a topic (needs a login).
    #[command(after_help = "Examples:\n  scratch forum reply 4242 \"Thanks, that fixed it!\"")]
    Reply {
        /// The topic ID.
        id: u64,
        /// The post, in BBCode.
        text: String,
    },
}

/// A post or a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ForumThing {
    /// A post (`/discuss/post/<id>/`).
    Post,
    /// A topic (`/discuss/topic/<id>/`).
    Topic,
}

/// Shows the forums, or replies to a topic.
///
/// # Errors
/// No such category, topic or post (exit 3), no login for a reply (4), a page that cannot be
/// read (1), network failures (5).
pub async fn run(ctx: &Ctx, args: ForumArgs) -> CliResult {
    let forum = ctx.client.forum();
    let out = &ctx.out;
    match args.action {
        None => {
            let sections = forum.categories().await?;
            if out.is_json() {
                return out.json(&sections.iter().map(section_json).collect::<Vec<_>>());
            }
            for section in &sections {
                out.heading(&section.name)?;
                let mut table =
                    Table::new(&["ID", "Category", "Topics", "Posts"]).right(&[0, 2, 3]);
                for c in &section.categories {
                    table.row(vec![
                        c.id.to_string(),
                        c.name.clone(),
                        c.topic_count.map(thousands).unwrap_or_default(),
                        c.post_count.map(thousands).unwrap_or_default(),
                    ]);
                }
                out.table(table)?;
            }
            Ok(())
        }
        Some(ForumAction::Category {
            id, all: true, max, ..
        }) => {
            let topics = category(&forum, &id).await?.all_topics();
            let mut topics = std::pin::pin!(topics.take(max.unwrap_or(usize::MAX)));
            let mut table = topic_table();
            while let Some(topic) = topics.next().await {
                let topic = topic?;
                if out.is_json() {
                    out.json_line(&topic_json(&topic))?;
                } else {
                    table.row(topic_row(&topic));
                }
            }
            if out.is_json() {
                return Ok(());
            }
            out.table(table)
        }
        Some(ForumAction::Category { id, page, .. }) => {
            let list = category(&forum, &id).await?.topics(page).await?;
            if out.is_json() {
                return out.json(&topics_json(&list));
            }
            let name = list
                .category_name
                .clone()
                .unwrap_or_else(|| format!("Category {id}"));
            out.title(&name, &format!("page {} of {}", list.page, list.page_count))?;
            let mut table = topic_table();
            for t in &list.topics {
                table.row(topic_row(t));
            }
            out.table(table)
        }
        Some(ForumAction::Topic {
            id, all: true, max, ..
        }) => {
            let posts = forum.topic(TopicId(id)).all_posts();
            let mut posts = std::pin::pin!(posts.take(max.unwrap_or(usize::MAX)));
            while let Some(post) = posts.next().await {
                let post = post?;
                if out.is_json() {
                    out.json_line(&post_json(&post))?;
                } else {
                    print_post(out, &post)?;
                }
            }
            Ok(())
        }
        Some(ForumAction::Topic { id, page, .. }) => {
            let list = forum.topic(TopicId(id)).posts(page).await?;
            if out.is_json() {
                return out.json(&json!({
                    "topic_id": list.topic_id,
                    "title": list.topic_title,
                    "category_id": list.category_id,
                    "page": list.page,
                    "page_count": list.page_count,
                    "posts": list.posts.iter().map(post_json).collect::<Vec<_>>(),
                }));
            }
            let title = list
                .topic_title
                .clone()
                .unwrap_or_else(|| format!("Topic {id}"));
            out.title(
                &title,
                &format!("page {} of {}", list.page, list.page_count),
            )?;
            list.posts.iter().try_for_each(|post| print_post(out, post))
        }
        Some(ForumAction::Deleted { kind, id }) => {
            let (deleted, name) = match kind {
                ForumThing::Post => (forum.post(PostId(id)).is_deleted().await?, "post"),
                ForumThing::Topic => (forum.topic(TopicId(id)).is_deleted().await?, "topic"),
            };
            done(
                ctx,
                &json!({"kind": name, "id": id, "deleted": deleted}),
                if deleted { "yes" } else { "no" },
            )
        }
        Some(ForumAction::Reactions { id }) => {
            let reactions = ctx.client.ocular().reactions(PostId(id)).await?;
            if out.is_json() {
                return out.json(&reactions);
            }
            let mut table = Table::new(&["Emoji", "Count", "Who"]).right(&[1]);
            for r in &reactions {
                table.row(vec![
                    r.emoji.clone(),
                    r.users.len().to_string(),
                    one_line(&r.users.join(", "), 60),
                ]);
            }
            out.table(table)
        }
        Some(ForumAction::Ocular { username }) => {
            let status = ctx.client.ocular().user(&username).await?;
            if out.is_json() {
                return out.json(&status);
            }
            out.title(&status.name, "my-ocular")?;
            out.fields(&[
                ("Status", status.status.clone()),
                ("Colour", status.color.clone().unwrap_or_default()),
            ])
        }
        Some(ForumAction::Post { id }) => {
            let handler = forum.post(PostId(id));
            let post = handler.get().await?;
            let source = handler.source().await?;
            if out.is_json() {
                let mut doc = post_json(&post);
                doc["source"] = json!(source);
                return out.json(&doc);
            }
            out.title(&format!("Post {id}"), &format!("by {}", post.author))?;
            out.fields(&[("Posted", date(post.posted)), ("Source", source)])
        }
        Some(ForumAction::Newest { id, max }) => {
            let posts = forum.topic(TopicId(id)).posts_newest_first();
            let mut posts = std::pin::pin!(posts.take(max.unwrap_or(usize::MAX)));
            let mut table = Table::new(&["ID", "#", "Author", "Posted", "Text"]).right(&[0, 1]);
            while let Some(post) = posts.next().await {
                let post = post?;
                if out.is_json() {
                    out.json_line(&post_json(&post))?;
                } else {
                    table.row(vec![
                        post.id.to_string(),
                        post.index.map(|i| i.to_string()).unwrap_or_default(),
                        post.author.clone(),
                        post.posted_text.clone(),
                        one_line(&post.content_text, 50),
                    ]);
                }
            }
            if out.is_json() {
                Ok(())
            } else {
                out.table(table)
            }
        }
        Some(ForumAction::Feed { id, category }) => {
            let feed = if category {
                forum.category(id).feed().await?
            } else {
                forum.topic(TopicId(id)).feed().await?
            };
            if out.is_json() {
                return out.json(&feed);
            }
            out.title(&feed.title, &format!("{} entries", feed.entries.len()))?;
            let mut table = Table::new(&["Post", "Author", "Published", "Title"]).right(&[0]);
            for e in &feed.entries {
                table.row(vec![
                    e.post_id.map(|p| p.to_string()).unwrap_or_default(),
                    e.author.clone().unwrap_or_default(),
                    date(e.published),
                    one_line(&e.title, 50),
                ]);
            }
            out.table(table)
        }
        Some(ForumAction::NewTopic {
            category: which,
            title,
            text,
        }) => {
            ctx.ensure_login().await?;
            let handler = category(&forum, &which).await?;
            let topic = handler.new_topic(&title, &text).await?;
            let message = match topic {
                Some(topic) => format!("Started topic {topic} in category {}.", handler.id()),
                None => format!("Started a topic in category {}.", handler.id()),
            };
            done(
                ctx,
                &json!({"category_id": handler.id(), "topic_id": topic}),
                &message,
            )
        }
        Some(ForumAction::Edit { id, text }) => {
            ctx.ensure_login().await?;
            forum.post(PostId(id)).edit(&text).await?;
            done(
                ctx,
                &json!({"post_id": id, "edited": true}),
                &format!("Edited post {id}."),
            )
        }
        Some(ForumAction::Report { id, reason }) => {
            ctx.ensure_login().await?;
            forum.post(PostId(id)).report(&reason).await?;
            done(
                ctx,
                &json!({"post_id": id, "reported": true}),
                &format!("Reported post {id}."),
            )
        }
        Some(ForumAction::Signature { text }) => {
            ctx.ensure_login().await?;
            forum.set_signature(&text).await?;
            done(ctx, &json!({"signature": text}), "Signature updated.")
        }
        Some(ForumAction::Reply { id, text }) => {
            ctx.ensure_login().await?;
            let post = forum.topic(TopicId(id)).reply(&text).await?;
            let message = match post {
                Some(post) => format!("Posted #{post} in topic {id}."),
                None => format!("Posted in topic {id}."),
            };
            done(ctx, &json!({"topic_id": id, "post_id": post}), &message)
        }
    }
}

/// A category by ID, or by name (looked up on the forum index).
async fn category(
    forum: &scratchkit::forums::ForumHandler,
    which: &str,
) -> CliResult<scratchkit::forums::CategoryHandler> {
    match which.trim().parse::<u64>() {
        Ok(id) => Ok(forum.category(id)),
        Err(_) => Ok(forum.category_by_name(which).await?),
    }
}

fn section_json(s: &ForumSection) -> Value {
    json!({
        "name": s.name,
        "categories": s.categories.iter().map(|c| json!({
            "id": c.id,
            "name": c.name,
            "description": c.description,
            "topic_count": c.topic_count,
            "post_count": c.post_count,
        })).collect::<Vec<_>>(),
    })
}

fn topics_json(list: &TopicList) -> Value {
    json!({
        "category_name": list.category_name,
        "page": list.page,
        "page_count": list.page_count,
        "topics": list.topics.iter().map(topic_json).collect::<Vec<_>>(),
    })
}

fn topic_json(t: &TopicSummary) -> Value {
    json!({
        "id": t.id,
        "title": t.title,
        "author": t.author,
        "sticky": t.sticky,
        "closed": t.closed,
        "replies": t.replies,
        "views": t.views,
    })
}

/// The table of a category's topics (rows from [`topic_row`]).
fn topic_table() -> Table {
    Table::new(&["ID", "Topic", "Author", "Replies", "Views"]).right(&[0, 3, 4])
}

fn topic_row(t: &TopicSummary) -> Vec<String> {
    let mut title = one_line(&t.title, 50);
    if t.sticky {
        title.insert_str(0, "📌 ");
    }
    if t.closed {
        title.push_str(" (closed)");
    }
    vec![
        t.id.to_string(),
        title,
        t.author.clone().unwrap_or_default(),
        t.replies.map(thousands).unwrap_or_default(),
        t.views.map(thousands).unwrap_or_default(),
    ]
}

/// A post for people: author, ID, date, then the text (at most 8 lines).
fn print_post(out: &Out, post: &ForumPost) -> CliResult {
    out.line("")?;
    out.line(format!(
        "{} {}  {}",
        out.bold(&post.author),
        out.dim(&format!("#{}", post.id)),
        out.dim(&post.posted_text)
    ))?;
    out.line(excerpt(&post.content_text, 8, 100))
}

fn post_json(p: &ForumPost) -> Value {
    json!({
        "id": p.id,
        "index": p.index,
        "author": p.author,
        "author_id": p.author_id,
        "posted": p.posted,
        "content": p.content_text,
        "content_html": p.content_html,
    })
}
