//! `scratch classroom <id>`: a class's details, and optionally its students and studios;
//! `scratch classroom <action>`: what a teacher does (create, edit, close, sign-up link,
//! alerts, activity) and a student's sign-up.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use scratchkit::StudentRegistration;
use scratchkit_model::{ClassroomId, Timestamp};
use serde_json::json;

use crate::commands::Ctx;
use crate::commands::comment::done;
use crate::exit::{CliError, CliResult};
use crate::output::{Table, date, excerpt, one_line};

/// `scratch classroom`: `scratch classroom <ID> [--students…]`, or `scratch classroom <action>`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ClassroomArgs {
    /// An action instead of showing a class.
    #[command(subcommand)]
    pub action: Option<ClassroomAction>,

    /// The class ID (the number in https://scratch.mit.edu/classes/<ID>/).
    #[arg(required = true)]
    pub id: Option<u64>,

    /// Also list the students (one page of them).
    #[arg(long)]
    pub students: bool,

    /// Also list the class studios (one page of their IDs).
    #[arg(long)]
    pub studios: bool,

    /// With `--students` / `--studios`: the page (from 1).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
}

/// Which page of a teacher's list (from 1).
#[derive(Debug, Clone, Copy, Args)]
pub struct PageFlag {
    /// The page (from 1).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
}

/// The `scratch classroom` actions (teacher accounts, except `by-token` and `register`).
#[derive(Debug, Subcommand)]
pub enum ClassroomAction {
    /// Your classes (open ones, or closed ones with --closed).
    #[command(
        after_help = "Examples:\n  scratch classroom mine\n  scratch classroom mine --closed --json"
    )]
    Mine {
        /// The closed classes instead.
        #[arg(long)]
        closed: bool,
        #[command(flatten)]
        page: PageFlag,
    },
    /// Create a class.
    #[command(
        after_help = "Examples:\n  scratch classroom create \"Year 7 games\" --description \"Clones and lists\""
    )]
    Create {
        /// The title.
        title: String,
        /// The description.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Set a class's title.
    #[command(after_help = "Examples:\n  scratch classroom set-title 367806 \"Year 8 games\"")]
    SetTitle {
        /// The class ID.
        id: u64,
        /// The new title.
        title: String,
    },
    /// Set a class's description.
    #[command(after_help = "Examples:\n  scratch classroom set-description 367806 \"…\"")]
    SetDescription {
        /// The class ID.
        id: u64,
        /// The new description.
        text: String,
    },
    /// Set a class's "What we're working on".
    #[command(after_help = "Examples:\n  scratch classroom set-status 367806 \"Pong\"")]
    SetStatus {
        /// The class ID.
        id: u64,
        /// The new text.
        text: String,
    },
    /// Set a class's picture from an image file (PNG, JPEG, GIF).
    #[command(after_help = "Examples:\n  scratch classroom thumbnail 367806 class.png")]
    Thumbnail {
        /// The class ID.
        id: u64,
        /// The image file.
        file: PathBuf,
    },
    /// Close a class (students can no longer log in).
    #[command(after_help = "Examples:\n  scratch classroom close 367806")]
    Close {
        /// The class ID.
        id: u64,
    },
    /// Reopen a closed class.
    #[command(after_help = "Examples:\n  scratch classroom reopen 367806")]
    Reopen {
        /// The class ID.
        id: u64,
    },
    /// The class's sign-up link for new students (its last part is the class token).
    #[command(after_help = "Examples:\n  scratch classroom link 367806")]
    Link {
        /// The class ID.
        id: u64,
    },
    /// Add a class studio.
    #[command(
        after_help = "Examples:\n  scratch classroom add-studio 367806 sandboxclass367806 \"Our games\""
    )]
    AddStudio {
        /// The class ID.
        id: u64,
        /// The class token (see `scratch classroom link`).
        token: String,
        /// The studio's title.
        title: String,
        /// The studio's description.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Alerts about your students (all classes, or one with --class).
    #[command(
        after_help = "Examples:\n  scratch classroom alerts\n  scratch classroom alerts --class 367806 --json"
    )]
    Alerts {
        /// Only this class.
        #[arg(long, value_name = "ID")]
        class: Option<u64>,
        #[command(flatten)]
        page: PageFlag,
    },
    /// What the students of a class did (or one student, with --student).
    #[command(
        after_help = "Examples:\n  scratch classroom activity 367806\n  scratch classroom activity 367806 --student demo_student --json"
    )]
    Activity {
        /// The class ID.
        id: u64,
        /// Only this student.
        #[arg(long, value_name = "NAME")]
        student: Option<String>,
        #[command(flatten)]
        page: PageFlag,
    },
    /// The class a sign-up token belongs to (no login needed).
    #[command(after_help = "Examples:\n  scratch classroom by-token sandboxclass367806")]
    ByToken {
        /// The class token.
        token: String,
    },
    /// Sign up a new student account in a class with its token, as the sign-up page does (no
    /// login needed). The password comes from SCRATCH_NEW_PASSWORD or a prompt without echo.
    #[command(after_help = "\
Examples:
  scratch classroom register 367806 sandboxclass367806 new_student
  SCRATCH_NEW_PASSWORD=… scratch classroom register 367806 sandboxclass367806 new_student --json")]
    Register {
        /// The class ID.
        id: u64,
        /// The class token.
        token: String,
        /// The new account's name.
        username: String,
    },
}

/// Runs `scratch classroom`: shows a class, or does an action.
///
/// # Errors
/// No such class (exit 3), no login or not the class's teacher (4), a refused change (1),
/// network or server failures (5).
pub async fn run(ctx: &Ctx, args: ClassroomArgs) -> CliResult {
    let Some(action) = args.action else {
        return show(ctx, args).await;
    };
    let out = &ctx.out;
    let class = |id: u64| ctx.client.classroom(ClassroomId(id));
    match action {
        ClassroomAction::ByToken { token } => {
            let found = ctx.client.classroom_by_token(&token).await?;
            done(
                ctx,
                &serde_json::to_value(&found)?,
                &format!("{} (class {})", found.title, found.id),
            )
        }
        ClassroomAction::Register {
            id,
            token,
            username,
        } => {
            let password = crate::commands::auth::secret(
                crate::commands::account::NEW_PASSWORD_ENV,
                "Password for the new account: ",
                "password",
            )?;
            let student = StudentRegistration::new(id, token.as_str(), username.as_str(), password);
            let name = ctx.client.register_student(&student).await?;
            done(
                ctx,
                &json!({"class": id, "username": name}),
                &format!("Signed up {name} in class {id}."),
            )
        }
        action => {
            ctx.ensure_login().await?;
            match action {
                ClassroomAction::Mine { closed, page } => {
                    let classes = ctx.client.me().classrooms(closed, page.page).await?;
                    if out.is_json() {
                        return out.json(&classes);
                    }
                    let mut table =
                        Table::new(&["ID", "Title", "Students", "Studios"]).right(&[0, 2, 3]);
                    for c in &classes {
                        table.row(vec![
                            c.id.map(|id| id.to_string()).unwrap_or_default(),
                            one_line(&c.title, 40),
                            c.student_count.to_string(),
                            c.gallery_count.to_string(),
                        ]);
                    }
                    out.table(table)
                }
                ClassroomAction::Create { title, description } => {
                    let created = ctx.client.create_classroom(&title, &description).await?;
                    let id = created.id();
                    done(
                        ctx,
                        &json!({"id": id, "title": title}),
                        &format!("Created class {id} \"{title}\"."),
                    )
                }
                ClassroomAction::SetTitle { id, title } => {
                    class(id).set_title(&title).await?;
                    done(
                        ctx,
                        &json!({"id": id, "title": title}),
                        &format!("Class {id} is now called \"{title}\"."),
                    )
                }
                ClassroomAction::SetDescription { id, text } => {
                    class(id).set_description(&text).await?;
                    done(
                        ctx,
                        &json!({"id": id, "description": text}),
                        &format!("Set the description of class {id}."),
                    )
                }
                ClassroomAction::SetStatus { id, text } => {
                    class(id).set_status(&text).await?;
                    done(
                        ctx,
                        &json!({"id": id, "status": text}),
                        &format!("Set what class {id} is working on."),
                    )
                }
                ClassroomAction::Thumbnail { id, file } => {
                    let image = std::fs::read(&file).map_err(|e| CliError::file(&file, e))?;
                    class(id).set_thumbnail(image).await?;
                    done(
                        ctx,
                        &json!({"id": id, "thumbnail": file}),
                        &format!("Set the picture of class {id}."),
                    )
                }
                ClassroomAction::Close { id } => {
                    class(id).close().await?;
                    done(
                        ctx,
                        &json!({"id": id, "closed": true}),
                        &format!("Closed class {id}."),
                    )
                }
                ClassroomAction::Reopen { id } => {
                    class(id).reopen().await?;
                    done(
                        ctx,
                        &json!({"id": id, "closed": false}),
                        &format!("Reopened class {id}."),
                    )
                }
                ClassroomAction::Link { id } => {
                    let link = class(id).registration_link().await?;
                    done(ctx, &json!({"id": id, "link": link}), &link)
                }
                ClassroomAction::AddStudio {
                    id,
                    token,
                    title,
                    description,
                } => {
                    class(id).add_studio(&token, &title, &description).await?;
                    done(
                        ctx,
                        &json!({"id": id, "studio_title": title}),
                        &format!("Added the studio \"{title}\" to class {id}."),
                    )
                }
                ClassroomAction::Alerts { class: one, page } => {
                    let alerts = match one {
                        Some(id) => class(id).alerts(page.page).await?,
                        None => ctx.client.me().educator_alerts(page.page).await?,
                    };
                    if out.is_json() {
                        return out.json(&alerts);
                    }
                    let mut table = Table::new(&["ID", "Read"]);
                    for a in &alerts {
                        table.row(vec![
                            a.pk.map(|id| id.to_string()).unwrap_or_default(),
                            read_date(a.fields.educator_datetime_read),
                        ]);
                    }
                    out.table(table)
                }
                ClassroomAction::Activity { id, student, page } => {
                    let events = class(id).activity(student.as_deref(), page.page).await?;
                    if out.is_json() {
                        return out.json(&events);
                    }
                    let mut table = Table::new(&["When", "Who", "About"]);
                    for e in &events {
                        let about = e
                            .title
                            .clone()
                            .or_else(|| e.project_title.clone())
                            .unwrap_or_default();
                        table.row(vec![
                            date(e.datetime_created),
                            e.actor
                                .as_ref()
                                .map(|u| u.username.clone())
                                .unwrap_or_default(),
                            one_line(&about, 50),
                        ]);
                    }
                    out.table(table)
                }
                ClassroomAction::ByToken { .. } | ClassroomAction::Register { .. } => Ok(()),
            }
        }
    }
}

/// When an alert was read, or "unread".
fn read_date(read: Option<Timestamp>) -> String {
    match read {
        Some(_) => date(read),
        None => "unread".to_owned(),
    }
}

/// Shows a class (and its students or studios).
///
/// # Errors
/// No such class (exit 3), network or server failures (5).
pub async fn show(ctx: &Ctx, args: ClassroomArgs) -> CliResult {
    let Some(id) = args.id else {
        return Err(CliError::Usage(
            "which class? `scratch classroom <ID>` (see `scratch classroom --help`)".into(),
        ));
    };
    let handler = ctx.client.classroom(ClassroomId(id));
    let class = handler.info().await?;
    let students = if args.students {
        Some(handler.students(args.page).await?)
    } else {
        None
    };
    let studios = if args.studios {
        Some(handler.studios(args.page).await?)
    } else {
        None
    };
    let out = &ctx.out;
    if out.is_json() {
        if students.is_none() && studios.is_none() {
            return out.json(&class);
        }
        let mut doc = json!({"classroom": class});
        if let Some(students) = &students {
            doc["students"] = json!(students);
        }
        if let Some(studios) = &studios {
            doc["studios"] = json!(studios);
        }
        return out.json(&doc);
    }
    let educator = class
        .educator
        .as_ref()
        .map(|u| format!("by {}", u.username))
        .unwrap_or_default();
    out.title(&class.title, &educator)?;
    out.fields(&[
        ("ID", class.id.to_string()),
        ("Working on", class.status.clone()),
        ("Started", date(class.date_start)),
        ("About", excerpt(&class.description, 4, 100)),
    ])?;
    if let Some(students) = students {
        out.heading("Students")?;
        let mut table = Table::new(&["Username"]);
        for name in students {
            table.row(vec![name]);
        }
        out.table(table)?;
    }
    if let Some(studios) = studios {
        out.heading("Class studios")?;
        let mut table = Table::new(&["Studio ID"]).right(&[0]);
        for studio in studios {
            table.row(vec![studio.to_string()]);
        }
        out.table(table)?;
    }
    Ok(())
}
