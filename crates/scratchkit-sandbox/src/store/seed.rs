//! The deterministic demo world: the Scratch wiki's example objects (user `mres` 167,
//! project 142 "PlayWithYourFace", studio 5342, `griffpatch`, `ScratchCat`, `kakurenbo`…)
//! plus a few hundred generated users, projects (some remixes, some unshared), studios,
//! comments, news, classes and cloud logs, all from a RNG seeded with the sandbox's seed.
//!
//! Every seeded user shares one argon2 hash of the demo password (see `DEMO_PASSWORD`).
//! Everything is inserted in one transaction with cached statements, so the world (and the
//! `scale` benchmark world) is built in a fraction of a second.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, Transaction, params};
use scratchkit_model::{Activity, ActivityType, ProjectId};

use super::comments::{self, NewCommentRow, Place};
use super::messages;
use super::misc::{CloudLogRow, add_cloud_log};
use super::projects::{self, NewProject};
use super::studios::{self, NewStudio};
use super::users::{self, NewUser};
use crate::accounts::DEMO_USERS;
use crate::timefmt::WORLD_NOW;

const GENERATED_USERS: i64 = 300;
const GENERATED_STUDIOS: i64 = 60;
const DAY: i64 = 86_400;

const FIRST_NAMES: &[&str] = &[
    "pixel", "sky", "nova", "blaze", "luna", "echo", "frost", "ember", "comet", "river", "maple",
    "storm", "cosmo", "sunny", "zigzag", "bolt", "cookie", "mango", "panda", "tiger",
];
const LAST_NAMES: &[&str] = &[
    "coder",
    "cat",
    "games",
    "art",
    "maker",
    "fox",
    "studios",
    "dev",
    "wolf",
    "bee",
    "owl",
    "scratcher",
];
const COUNTRIES: &[&str] = &[
    "United States",
    "United Kingdom",
    "Germany",
    "Japan",
    "France",
    "Canada",
    "Australia",
    "Brazil",
    "India",
    "Poland",
    "Spain",
    "Netherlands",
    "Korea, Republic of",
    "Mexico",
    "Italy",
];
const STATUSES: &[&str] = &[
    "",
    "Working on a platformer!",
    "Making art",
    "F4F? no thanks",
    "On a break",
    "Learning clones",
];
const BIOS: &[&str] = &[
    "",
    "I like making games.",
    "Artist and animator.",
    "Hi! I love Scratch.",
    "Coding since 2015.",
];
const ADJECTIVES: &[&str] = &[
    "Super", "Tiny", "Epic", "Cosmic", "Pixel", "Happy", "Dark", "Neon", "Retro", "Magic",
    "Speedy", "Endless",
];
const NOUNS: &[&str] = &[
    "Cat", "Dragon", "Robot", "Castle", "Ocean", "Forest", "Rocket", "Ninja", "Penguin", "Planet",
    "Garden", "Maze",
];
const TAGS: &[(&str, &[&str])] = &[
    (
        "games",
        &["Platformer", "Clicker", "Runner", "Quest", "Adventure"],
    ),
    ("animations", &["Animation", "Cartoon", "Short"]),
    ("art", &["Drawing", "Art", "Speedpaint"]),
    ("music", &["Beat Maker", "Song", "Music Video"]),
    ("stories", &["Story", "Comic", "Tale"]),
    ("tutorials", &["Tutorial", "How To", "Guide"]),
];
const LANGUAGES: &[(&str, u32)] = &[
    ("en", 80),
    ("ja", 5),
    ("de", 4),
    ("fr", 4),
    ("es", 4),
    ("pl", 3),
];
const COMMENTS: &[&str] = &[
    "Awesome project!",
    "How did you make this?",
    "Love the art style :D",
    "This is so cool",
    "Great job!",
    "Can you add more levels?",
    "I remixed this!",
    "The music is amazing",
    "Nice! Followed.",
    "Wow, 10/10",
];
const REPLIES: &[&str] = &[
    "Thanks!",
    "Thank you so much :)",
    "I used clones for that.",
    "Maybe in the next update!",
    "Glad you like it!",
];
const HEADLINES: &[&str] = &[
    "New Scratch Design Studio!",
    "Scratch Week is here",
    "Become a Scratch Member!",
    "Scratch Conference",
    "New Tutorials",
    "Community Update",
    "Scratch Camp",
    "Welcome, new Scratchers!",
];

/// A shared project remembered for remixes, studios, favorites and comments.
#[derive(Clone, Copy)]
struct SharedRef {
    id: i64,
    owner: i64,
    root: i64,
    shared_at: i64,
}

struct World<'t> {
    tx: &'t Transaction<'t>,
    rng: StdRng,
    hash: &'t str,
    users: Vec<i64>,
    shared: Vec<SharedRef>,
    next_project: i64,
    next_comment: i64,
}

fn between(rng: &mut StdRng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..hi)
    }
}

impl World<'_> {
    fn pick_user(&mut self) -> i64 {
        self.users.choose(&mut self.rng).copied().unwrap_or(167)
    }

    fn language(&mut self) -> &'static str {
        let total: u32 = LANGUAGES.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.random_range(0..total);
        for (lang, weight) in LANGUAGES {
            if roll < *weight {
                return lang;
            }
            roll -= weight;
        }
        "en"
    }

    fn user(&mut self, id: i64, username: &str, role: &str, joined: i64) -> rusqlite::Result<()> {
        let country = *COUNTRIES.choose(&mut self.rng).unwrap_or(&"United States");
        let status = *STATUSES.choose(&mut self.rng).unwrap_or(&"");
        let bio = *BIOS.choose(&mut self.rng).unwrap_or(&"");
        let message_count = between(&mut self.rng, 0, 300);
        users::insert(
            self.tx,
            &NewUser {
                id: Some(id),
                username,
                password_hash: self.hash,
                role,
                joined,
                profile_id: Some(id - 940_000),
                status,
                bio,
                country: Some(country),
                muted_until: None,
                banned: false,
                message_count,
            },
        )?;
        self.users.push(id);
        Ok(())
    }

    /// Creates one project (random content unless `title` is given); returns its id.
    fn project(
        &mut self,
        owner: i64,
        joined: i64,
        id: Option<i64>,
        title: Option<&str>,
        shared: bool,
    ) -> rusqlite::Result<i64> {
        let (tag, kinds) = *TAGS.choose(&mut self.rng).unwrap_or(&TAGS[0]);
        let generated = format!(
            "{} {} {}",
            ADJECTIVES.choose(&mut self.rng).unwrap_or(&"Super"),
            NOUNS.choose(&mut self.rng).unwrap_or(&"Cat"),
            kinds.choose(&mut self.rng).unwrap_or(&"Game"),
        );
        let title = title.unwrap_or(&generated);
        let created = between(
            &mut self.rng,
            joined.max(1_200_000_000),
            WORLD_NOW - 2 * DAY,
        );
        let shared_at = (created + between(&mut self.rng, 0, 14 * DAY)).min(WORLD_NOW - DAY);
        let modified = (shared_at + between(&mut self.rng, 0, 30 * DAY)).min(WORLD_NOW - 3600);
        let remix_of = if self.shared.len() > 20 && self.rng.random_bool(0.2) {
            self.shared.choose(&mut self.rng).copied()
        } else {
            None
        };
        let mut views = between(&mut self.rng, 0, 2000);
        if self.rng.random_bool(0.05) {
            views *= 100;
        }
        let loves = views * between(&mut self.rng, 0, 30) / 100;
        let favorites = loves * between(&mut self.rng, 30, 90) / 100;
        let language = self.language();
        let description = if self.rng.random_bool(0.3) {
            String::new()
        } else {
            format!("Made in the scratchkit sandbox. #{tag}\n\nCredits: everyone who helped!")
        };
        let instructions = if self.rng.random_bool(0.3) {
            String::new()
        } else {
            "Press the green flag to start!\nArrow keys to move, space to jump.".to_owned()
        };
        let id = projects::insert(
            self.tx,
            &NewProject {
                id: Some(id.unwrap_or(self.next_project)),
                owner_id: owner,
                title,
                description: &description,
                instructions: &instructions,
                shared,
                created,
                modified: if shared {
                    modified
                } else {
                    created + (modified - shared_at)
                },
                shared_at: shared.then_some(shared_at),
                views: if shared { views } else { 0 },
                loves: if shared { loves } else { 0 },
                favorites: if shared { favorites } else { 0 },
                parent_id: remix_of.map(|p| p.id),
                root_id: remix_of.map(|p| p.root),
                language,
                tag,
            },
        )?;
        if id == self.next_project {
            self.next_project += 1;
        }
        if shared {
            self.shared.push(SharedRef {
                id,
                owner,
                root: remix_of.map_or(id, |p| p.root),
                shared_at,
            });
        }
        Ok(id)
    }

    fn comment(
        &mut self,
        place: Place,
        object_id: i64,
        author: i64,
        parent: Option<(i64, i64)>,
        content: &str,
        created: i64,
    ) -> rusqlite::Result<i64> {
        let id = self.next_comment;
        self.next_comment += 1;
        comments::insert(
            self.tx,
            &NewCommentRow {
                id: Some(id),
                place,
                object_id,
                author_id: author,
                parent_id: parent.map(|p| p.0),
                commentee_id: parent.map(|p| p.1),
                content,
                created,
            },
        )
    }

    /// A thread: one top-level comment and up to three replies.
    fn thread(
        &mut self,
        place: Place,
        object_id: i64,
        owner: i64,
        after: i64,
        min_replies: i64,
    ) -> rusqlite::Result<()> {
        let author = self.pick_user();
        let created = between(&mut self.rng, after, WORLD_NOW - 60);
        let text = *COMMENTS.choose(&mut self.rng).unwrap_or(&"Nice!");
        let top = self.comment(place, object_id, author, None, text, created)?;
        let mut answering = author;
        let mut when = created;
        for _ in 0..between(&mut self.rng, min_replies, 4) {
            let replier = if self.rng.random_bool(0.6) {
                owner
            } else {
                self.pick_user()
            };
            when = between(&mut self.rng, when + 1, WORLD_NOW - 1).max(when + 1);
            let text = *REPLIES.choose(&mut self.rng).unwrap_or(&"Thanks!");
            self.comment(
                place,
                object_id,
                replier,
                Some((top, answering)),
                text,
                when,
            )?;
            answering = replier;
        }
        Ok(())
    }
}

/// Builds the whole world inside one transaction.
pub(crate) fn seed(
    conn: &mut Connection,
    seed: u64,
    scale: u32,
    demo_hash: &str,
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut w = World {
            tx: &tx,
            rng: StdRng::seed_from_u64(seed),
            hash: demo_hash,
            users: Vec::new(),
            shared: Vec::new(),
            next_project: 1_000_000_001,
            next_comment: 500_000_001,
        };
        demo_users(&mut w)?;
        generated_users(&mut w)?;
        projects_for_everyone(&mut w)?;
        social(&mut w)?;
        studios_and_activity(&mut w)?;
        project_comments(&mut w)?;
        site_content(&mut w)?;
        unread_messages(&mut w)?;
        super::classrooms::seed(w.tx, WORLD_NOW)?;
        if scale >= 1 {
            bench(&mut w, scale)?;
        }
        for (key, value) in [
            ("seeded", "1".to_owned()),
            ("seed", seed.to_string()),
            ("scale", scale.to_string()),
            ("demo_hash", demo_hash.to_owned()),
        ] {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![key, value],
            )?;
        }
    }
    tx.commit()
}

fn demo_users(w: &mut World<'_>) -> rusqlite::Result<()> {
    for u in DEMO_USERS {
        users::insert(
            w.tx,
            &NewUser {
                id: Some(u.id),
                username: u.username,
                password_hash: w.hash,
                role: u.role.as_str(),
                joined: u.joined,
                profile_id: Some(u.profile_id),
                status: u.status,
                bio: u.bio,
                country: Some(u.country),
                muted_until: u.muted_until,
                banned: u.banned,
                message_count: if u.role.as_str() == "scratch_team" {
                    75_668
                } else {
                    12
                },
            },
        )?;
        w.users.push(u.id);
    }
    w.tx.execute(
        "UPDATE users SET classroom_id = 367806 WHERE username = 'demo_student'",
        [],
    )?;
    Ok(())
}

fn generated_users(w: &mut World<'_>) -> rusqlite::Result<()> {
    for i in 1..=GENERATED_USERS {
        let first = *FIRST_NAMES.choose(&mut w.rng).unwrap_or(&"pixel");
        let last = *LAST_NAMES.choose(&mut w.rng).unwrap_or(&"cat");
        let name = format!("{first}_{last}{i}");
        let role = match w.rng.random_range(0..100) {
            0..80 => "scratcher",
            80..92 => "new_scratcher",
            92..97 => "student",
            _ => "teacher",
        };
        let joined = between(&mut w.rng, 1_200_000_000, WORLD_NOW - 30 * DAY);
        w.user(90_000_000 + i, &name, role, joined)?;
    }
    Ok(())
}

fn projects_for_everyone(w: &mut World<'_>) -> rusqlite::Result<()> {
    // The wiki's and the fixtures' projects, with their ids.
    let fixed: &[(i64, i64, &str)] = &[
        (142, 167, "PlayWithYourFace"),
        (1_182_391_014, 15_883_188, "Happy Pride Month!"),
        (948_573_479, 1_882_674, "CUBES v0.19 - Work In Progress"),
        (499_038_694, 42_178_181, "Skoki Narciarskie 4 | Ski Jumping"),
        (
            624_134_306,
            27_675_462,
            "【競プロ】#196 Coprime to Each Other 解答",
        ),
    ];
    for (id, owner, title) in fixed {
        w.project(*owner, 1_200_000_000, Some(*id), Some(title), true)?;
    }
    w.tx.execute("UPDATE projects SET created = 1174000000, shared_at = 1174100000, modified = 1174200000 WHERE id = 142", [])?;
    w.tx.execute(
        "UPDATE users SET featured_project_id = 1182391014, featured_label = 2 WHERE id = 15883188",
        [],
    )?;
    w.tx.execute(
        "UPDATE users SET featured_project_id = 948573479, featured_label = 1 WHERE id = 1882674",
        [],
    )?;
    w.tx.execute(
        "UPDATE users SET featured_project_id = 142 WHERE id = 167",
        [],
    )?;
    // Demo accounts: a few shared projects each and one unshared.
    let extra: &[(i64, i64)] = &[
        (167, 5),
        (15_883_188, 5),
        (1_882_674, 30),
        (27_675_462, 4),
        (40_210_166, 6),
        (42_178_181, 3),
        (49_156, 1),
    ];
    for (owner, n) in extra {
        for _ in 0..*n {
            w.project(*owner, 1_200_000_000, None, None, true)?;
        }
        w.project(*owner, 1_200_000_000, None, None, false)?;
    }
    for u in DEMO_USERS
        .iter()
        .filter(|u| u.username.starts_with("demo_"))
    {
        w.project(u.id, u.joined, None, None, true)?;
        w.project(u.id, u.joined, None, None, false)?;
    }
    // Generated users: 0 to 5 projects, one in ten unshared.
    for i in 1..=GENERATED_USERS {
        let owner = 90_000_000 + i;
        let joined: i64 =
            w.tx.query_row("SELECT joined FROM users WHERE id = ?1", [owner], |r| {
                r.get(0)
            })?;
        for _ in 0..between(&mut w.rng, 0, 6) {
            let shared = !w.rng.random_bool(0.1);
            w.project(owner, joined, None, None, shared)?;
        }
    }
    // A few remixes of the wiki's project 142.
    let remixers: Vec<i64> = w
        .shared
        .iter()
        .filter(|p| p.owner >= 90_000_000)
        .take(3)
        .map(|p| p.id)
        .collect();
    for id in remixers {
        w.tx.execute(
            "UPDATE projects SET parent_id = 142, root_id = 142 WHERE id = ?1",
            [id],
        )?;
    }
    Ok(())
}

fn social(w: &mut World<'_>) -> rusqlite::Result<()> {
    let all = w.users.clone();
    let mut follow = w.tx.prepare_cached(
        "INSERT OR IGNORE INTO follows (follower_id, followee_id, since) VALUES (?1, ?2, ?3)",
    )?;
    let mut favorite = w.tx.prepare_cached(
        "INSERT OR IGNORE INTO favorites (user_id, project_id, since) VALUES (?1, ?2, ?3)",
    )?;
    let mut love = w.tx.prepare_cached(
        "INSERT OR IGNORE INTO loves (user_id, project_id, since) VALUES (?1, ?2, ?3)",
    )?;
    for &user in &all {
        let mut targets: Vec<i64> = (0..between(&mut w.rng, 0, 12))
            .filter_map(|_| all.choose(&mut w.rng).copied())
            .collect();
        for (star, p) in [(1_882_674, 0.5), (167, 0.3), (15_883_188, 0.3)] {
            if w.rng.random_bool(p) {
                targets.push(star);
            }
        }
        for target in targets.into_iter().filter(|t| *t != user) {
            follow.execute(params![
                user,
                target,
                between(&mut w.rng, WORLD_NOW - 900 * DAY, WORLD_NOW)
            ])?;
        }
        for _ in 0..between(&mut w.rng, 0, 8) {
            if let Some(p) = w.shared.choose(&mut w.rng).copied() {
                favorite.execute(params![
                    user,
                    p.id,
                    between(&mut w.rng, p.shared_at, WORLD_NOW)
                ])?;
            }
        }
        for _ in 0..between(&mut w.rng, 0, 10) {
            if let Some(p) = w.shared.choose(&mut w.rng).copied() {
                love.execute(params![
                    user,
                    p.id,
                    between(&mut w.rng, p.shared_at, WORLD_NOW)
                ])?;
            }
        }
    }
    Ok(())
}

fn studio_with_members(
    w: &mut World<'_>,
    id: Option<i64>,
    host: i64,
    title: &str,
    description: &str,
    n_projects: i64,
) -> rusqlite::Result<()> {
    let created = between(&mut w.rng, WORLD_NOW - 1500 * DAY, WORLD_NOW - 20 * DAY);
    let followers = between(&mut w.rng, 0, 4000);
    let tag = TAGS.choose(&mut w.rng).map_or("games", |t| t.0);
    let language = w.language();
    let open_to_all = w.rng.random_bool(0.3);
    let studio = studios::insert(
        w.tx,
        &NewStudio {
            id,
            host_id: host,
            title,
            description,
            open_to_all,
            created,
            followers,
            language,
            tag,
        },
    )?;
    let mut when = created;
    let mut members = vec![host];
    for _ in 0..between(&mut w.rng, 0, 4) {
        let manager = w.pick_user();
        if members.contains(&manager) {
            continue;
        }
        when += between(&mut w.rng, 60, 5 * DAY);
        studios::add_member(w.tx, studio, manager, "manager", when)?;
        let name: String =
            w.tx.query_row("SELECT username FROM users WHERE id = ?1", [manager], |r| {
                r.get(0)
            })?;
        let item = Activity {
            recipient_username: Some(name),
            ..messages::new_activity(ActivityType::BecomeOwnerStudio)
        };
        studios::add_activity(w.tx, studio, host, when, &item)?;
        members.push(manager);
    }
    for _ in 0..between(&mut w.rng, 0, 13) {
        let curator = w.pick_user();
        if members.contains(&curator) {
            continue;
        }
        when += between(&mut w.rng, 60, 5 * DAY);
        studios::add_member(w.tx, studio, curator, "curator", when)?;
        let name: String =
            w.tx.query_row("SELECT username FROM users WHERE id = ?1", [curator], |r| {
                r.get(0)
            })?;
        let item = Activity {
            username: Some(name),
            ..messages::new_activity(ActivityType::BecomeCurator)
        };
        studios::add_activity(w.tx, studio, curator, when, &item)?;
        members.push(curator);
    }
    for _ in 0..n_projects {
        let Some(p) = w.shared.choose(&mut w.rng).copied() else {
            break;
        };
        let actor = *members.choose(&mut w.rng).unwrap_or(&host);
        let added = between(&mut w.rng, created.max(p.shared_at), WORLD_NOW - 60);
        if studios::add_project(w.tx, studio, p.id, actor, added)? {
            let title: String =
                w.tx.query_row("SELECT title FROM projects WHERE id = ?1", [p.id], |r| {
                    r.get(0)
                })?;
            let item = Activity {
                project_id: Some(ProjectId(crate::render::unsigned(p.id))),
                project_title: Some(title),
                ..messages::new_activity(ActivityType::AddProjectToStudio)
            };
            studios::add_activity(w.tx, studio, actor, added, &item)?;
        }
    }
    let update = messages::new_activity(ActivityType::UpdateStudio);
    studios::add_activity(w.tx, studio, host, created + 60, &update)?;
    for n in 0..between(&mut w.rng, 1, 9) {
        // The first thread of a studio always has an answer.
        w.thread(
            Place::Studio,
            studio,
            host,
            created,
            if n == 0 { 1 } else { 0 },
        )?;
    }
    Ok(())
}

fn studios_and_activity(w: &mut World<'_>) -> rusqlite::Result<()> {
    studio_with_members(
        w,
        Some(5342),
        167,
        "Sandbox Showcase",
        "Projects from around the sandbox. Add yours!",
        40,
    )?;
    studios::add_project(w.tx, 5342, 142, 167, WORLD_NOW - 100 * DAY)?;
    for (user, role) in [
        (15_883_188, "manager"),
        (1_882_674, "curator"),
        (40_210_166, "curator"),
    ] {
        studios::add_member(w.tx, 5342, user, role, WORLD_NOW - 200 * DAY)?;
    }
    studio_with_members(
        w,
        Some(37_071_074),
        15_883_188,
        "Surprise Party! - Scratch Week 2025",
        "Shhh, don't tell Scratch Cat… It's a surprise!",
        30,
    )?;
    studios::add_project(
        w.tx,
        37_071_074,
        1_182_391_014,
        15_883_188,
        WORLD_NOW - 5 * DAY,
    )?;
    for i in 1..=GENERATED_STUDIOS {
        let host = w.pick_user();
        let title = match w.rng.random_range(0..3) {
            0 => format!(
                "{} {} Studio",
                ADJECTIVES.choose(&mut w.rng).unwrap_or(&"Epic"),
                NOUNS.choose(&mut w.rng).unwrap_or(&"Cat")
            ),
            1 => format!(
                "Best {} #{i}",
                TAGS.choose(&mut w.rng).map_or("games", |t| t.0)
            ),
            _ => format!("The {} Club", NOUNS.choose(&mut w.rng).unwrap_or(&"Cat")),
        };
        let n = between(&mut w.rng, 3, 31);
        studio_with_members(
            w,
            Some(40_000_000 + i),
            host,
            &title,
            "A studio of the sandbox world.",
            n,
        )?;
    }
    Ok(())
}

fn project_comments(w: &mut World<'_>) -> rusqlite::Result<()> {
    let shared = w.shared.clone();
    for p in shared {
        let always = matches!(p.id, 142 | 1_182_391_014 | 948_573_479);
        if always || w.rng.random_bool(0.35) {
            for _ in 0..between(
                &mut w.rng,
                if always { 25 } else { 1 },
                if always { 30 } else { 7 },
            ) {
                w.thread(Place::Project, p.id, p.owner, p.shared_at, 0)?;
            }
        }
    }
    // The recorded reply (fixture api_projects_comment_reply_object.json), with its ids.
    let asker = w.pick_user();
    comments::insert(
        w.tx,
        &NewCommentRow {
            id: Some(447_647_641),
            place: Place::Project,
            object_id: 1_182_391_014,
            author_id: asker,
            parent_id: None,
            commentee_id: None,
            content: "Someone is spamming in the comments",
            created: WORLD_NOW - 3 * DAY,
        },
    )?;
    comments::insert(
        w.tx,
        &NewCommentRow {
            id: Some(447_648_029),
            place: Place::Project,
            object_id: 1_182_391_014,
            author_id: 49_156,
            parent_id: Some(447_647_641),
            commentee_id: Some(asker),
            content: "Please use the Report button for moderation issues.",
            created: WORLD_NOW - 3 * DAY + 600,
        },
    )?;
    // Profile comments of the demo accounts (served as HTML by a later issue).
    for u in DEMO_USERS {
        for _ in 0..between(&mut w.rng, 2, 6) {
            w.thread(
                Place::User,
                u.id,
                u.id,
                u.joined.max(WORLD_NOW - 400 * DAY),
                0,
            )?;
        }
    }
    Ok(())
}

fn site_content(w: &mut World<'_>) -> rusqlite::Result<()> {
    let mut news = w.tx.prepare_cached(
        "INSERT INTO news (id, stamp, headline, url, image, copy) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for i in 0..30_i64 {
        let headline = HEADLINES[usize::try_from(i).unwrap_or(0) % HEADLINES.len()];
        let studio = 40_000_001 + i % GENERATED_STUDIOS;
        news.execute(params![
            724_656_224_564_543_500_i64 - i * 987_654_321_000,
            WORLD_NOW - i * 9 * DAY - between(&mut w.rng, 0, DAY),
            headline,
            format!("https://scratch.mit.edu/studios/{studio}"),
            format!("https://cdn2.scratch.mit.edu/get_image/gallery/{studio}_170x100.png"),
            format!("{headline} Check out what's new in the sandbox this week."),
        ])?;
    }
    let mut class = w.tx.prepare_cached(
        "INSERT INTO classrooms (id, educator_id, title, description, status, date_start, date_end, closed, token)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    class.execute(params![
        367_806,
        99_000_102,
        "Sandbox Class",
        "A class of the scratchkit sandbox.",
        "Making games with clones",
        WORLD_NOW - 300 * DAY,
        Option::<i64>::None,
        false,
        "sandboxclass367806"
    ])?;
    class.execute(params![
        367_807,
        99_000_102,
        "Last Year's Class",
        "Closed.",
        "",
        WORLD_NOW - 700 * DAY,
        Some(WORLD_NOW - 400 * DAY),
        true,
        "sandboxclass367807"
    ])?;
    let mut cloud_projects = vec![142, 1_182_391_014];
    for _ in 0..5 {
        if let Some(p) = w.shared.choose(&mut w.rng) {
            cloud_projects.push(p.id);
        }
    }
    for project in cloud_projects {
        let mut ts = (WORLD_NOW - 7 * DAY) * 1000;
        for n in 0..40 {
            ts += between(&mut w.rng, 1_000, 10_000_000);
            let user = w.pick_user();
            let user: String =
                w.tx.query_row("SELECT username FROM users WHERE id = ?1", [user], |r| {
                    r.get(0)
                })?;
            let name = if n % 3 == 0 {
                "☁ high score"
            } else {
                "☁ score"
            };
            add_cloud_log(
                w.tx,
                project,
                &CloudLogRow {
                    user,
                    verb: if n < 2 { "create_var" } else { "set_var" }.to_owned(),
                    name: name.to_owned(),
                    value: between(&mut w.rng, 0, 100_000).to_string(),
                    timestamp_ms: ts,
                },
            )?;
        }
    }
    Ok(())
}

/// `scale >= 1`: user `bench` with `2000 * scale` shared projects, and `500 * scale` more
/// projects spread over the generated users.
/// At most this many unread messages are seeded per user.
const MAX_SEEDED_MESSAGES: i64 = 25;

/// Unread messages behind every user's bell: "followed you" messages from other seeded users,
/// so that `/users/<u>/messages` lists what `/users/<u>/messages/count` announces. Each user's
/// count is set to the number of messages actually seeded.
fn unread_messages(w: &mut World<'_>) -> rusqlite::Result<()> {
    let people: Vec<(i64, String, i64)> = {
        let mut stmt =
            w.tx.prepare("SELECT id, username, message_count FROM users ORDER BY id")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (id, username, announced) in people {
        let message = messages::follow_message(id, &username);
        let wanted = announced.clamp(0, MAX_SEEDED_MESSAGES);
        let mut seeded = 0;
        for _ in 0..wanted {
            let actor = w.pick_user();
            if actor == id {
                continue;
            }
            let created = WORLD_NOW - between(&mut w.rng, 0, 30 * DAY);
            messages::insert(w.tx, id, actor, created, &message)?;
            seeded += 1;
        }
        w.tx.execute(
            "UPDATE users SET message_count = ?1 WHERE id = ?2",
            params![seeded, id],
        )?;
    }
    Ok(())
}

fn bench(w: &mut World<'_>, scale: u32) -> rusqlite::Result<()> {
    let bench_id = 99_500_000;
    users::insert(
        w.tx,
        &NewUser {
            id: Some(bench_id),
            username: "bench",
            password_hash: w.hash,
            role: "scratcher",
            joined: WORLD_NOW - 1000 * DAY,
            profile_id: Some(bench_id - 940_000),
            status: "Benchmarking",
            bio: "I own a lot of projects.",
            country: Some("United States"),
            muted_until: None,
            banned: false,
            message_count: 0,
        },
    )?;
    let scale = i64::from(scale);
    let mut insert = w.tx.prepare_cached(
        "INSERT INTO projects (id, owner_id, title, description, instructions, shared, created, modified, shared_at,
                               views, loves, favorites, language, tag)
         VALUES (?1, ?2, ?3, '', '', 1, ?4, ?4, ?4, ?5, ?6, ?7, 'en', 'games')",
    )?;
    let base = 2_000_000_001;
    for n in 0..2000 * scale {
        let t = WORLD_NOW - 1000 * DAY + n * 60;
        insert.execute(params![
            base + n,
            bench_id,
            format!("Bench project {n}"),
            t,
            n % 977,
            n % 97,
            n % 31
        ])?;
    }
    let extra_base = base + 2000 * scale;
    for n in 0..500 * scale {
        let owner = 90_000_001 + n % GENERATED_USERS;
        let t = WORLD_NOW - 500 * DAY + n * 60;
        insert.execute(params![
            extra_base + n,
            owner,
            format!("Extra project {n}"),
            t,
            n % 500,
            n % 50,
            n % 20
        ])?;
    }
    Ok(())
}
