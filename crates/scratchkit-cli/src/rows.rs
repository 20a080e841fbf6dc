//! One table row per model type: the columns people see in lists.

use scratchkit_model::{
    Activity, ActivityType, BackpackItem, Comment, Message, MessageType, News, Project,
    SiteProject, Studio, StudioProject, User,
};

use crate::output::{Table, date, one_line, thousands};

/// A model type shown as a table row.
pub trait Tabular {
    /// The column headers.
    const HEADERS: &'static [&'static str];
    /// The columns aligned right (numbers).
    const RIGHT: &'static [usize];
    /// The cells of one row.
    fn cells(&self) -> Vec<String>;
}

/// A table of `items`.
pub fn table_of<T: Tabular>(items: &[T]) -> Table {
    let mut table = Table::new(T::HEADERS).right(T::RIGHT);
    for item in items {
        table.row(item.cells());
    }
    table
}

impl Tabular for Project {
    const HEADERS: &'static [&'static str] = &["ID", "Title", "Author", "Loves", "Views", "Shared"];
    const RIGHT: &'static [usize] = &[0, 3, 4];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            one_line(&self.title, 40),
            self.author.username.clone().unwrap_or_default(),
            thousands(self.stats.loves),
            thousands(self.stats.views),
            date(self.history.shared),
        ]
    }
}

impl Tabular for scratchkit::html::GridProject {
    const HEADERS: &'static [&'static str] = &["ID", "Title", "Author"];
    const RIGHT: &'static [usize] = &[0];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            one_line(&self.title, 40),
            self.author.clone(),
        ]
    }
}

impl Tabular for scratchkit_model::AdminAlert {
    const HEADERS: &'static [&'static str] = &["ID", "Date", "Message"];
    const RIGHT: &'static [usize] = &[0];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.map(|id| id.to_string()).unwrap_or_default(),
            date(self.datetime_created),
            one_line(self.message.as_deref().unwrap_or(""), 60),
        ]
    }
}

impl Tabular for Studio {
    const HEADERS: &'static [&'static str] = &["ID", "Title", "Projects", "Followers", "Created"];
    const RIGHT: &'static [usize] = &[0, 2, 3];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            one_line(&self.title, 40),
            thousands(self.stats.projects),
            thousands(self.stats.followers),
            date(self.history.created),
        ]
    }
}

impl Tabular for StudioProject {
    const HEADERS: &'static [&'static str] = &["ID", "Title", "Author"];
    const RIGHT: &'static [usize] = &[0];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            one_line(&self.title, 40),
            self.username.clone(),
        ]
    }
}

impl Tabular for User {
    const HEADERS: &'static [&'static str] = &["ID", "Username", "Country", "Joined"];
    const RIGHT: &'static [usize] = &[0];

    fn cells(&self) -> Vec<String> {
        let name = if self.scratchteam {
            format!("{} (Scratch Team)", self.username)
        } else {
            self.username.clone()
        };
        vec![
            self.id.to_string(),
            name,
            self.profile.country.clone().unwrap_or_default(),
            date(self.history.joined),
        ]
    }
}

impl Tabular for Comment {
    const HEADERS: &'static [&'static str] = &["ID", "Author", "Date", "Replies", "Comment"];
    const RIGHT: &'static [usize] = &[0, 3];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.author.username.clone(),
            date(self.datetime_created),
            thousands(self.reply_count),
            one_line(&self.content, 60),
        ]
    }
}

impl Tabular for News {
    const HEADERS: &'static [&'static str] = &["Date", "Headline", "Link"];
    const RIGHT: &'static [usize] = &[];

    fn cells(&self) -> Vec<String> {
        vec![
            date(self.stamp),
            one_line(&self.headline, 50),
            self.url.clone(),
        ]
    }
}

impl Tabular for Message {
    const HEADERS: &'static [&'static str] = &["Date", "From", "Message"];
    const RIGHT: &'static [usize] = &[];

    fn cells(&self) -> Vec<String> {
        vec![
            date(self.datetime_created),
            self.actor_username.clone(),
            one_line(&message_text(self), 70),
        ]
    }
}

/// A message as a sentence ("loved Pong", "commented on Pong: nice!").
pub fn message_text(m: &Message) -> String {
    let or = |a: &Option<String>, b: &Option<String>| {
        a.clone().or_else(|| b.clone()).unwrap_or_default()
    };
    match &m.kind {
        MessageType::FollowUser => "followed you".to_owned(),
        MessageType::LoveProject => format!("loved {}", or(&m.title, &m.project_title)),
        MessageType::FavoriteProject => {
            format!("favourited {}", or(&m.project_title, &m.title))
        }
        MessageType::AddComment => format!(
            "commented on {}: {}",
            m.comment_obj_title.clone().unwrap_or_default(),
            m.comment_fragment.clone().unwrap_or_default()
        ),
        MessageType::CuratorInvite => {
            format!("invited you to curate {}", or(&m.title, &m.gallery_title))
        }
        MessageType::RemixProject => format!(
            "remixed {} as {}",
            m.parent_title.clone().unwrap_or_default(),
            m.title.clone().unwrap_or_default()
        ),
        MessageType::StudioActivity => {
            format!("new activity in {}", or(&m.title, &m.gallery_title))
        }
        MessageType::ForumPost => {
            format!("posted in {}", m.topic_title.clone().unwrap_or_default())
        }
        MessageType::BecomeOwnerStudio => {
            format!("made you a manager of {}", or(&m.gallery_title, &m.title))
        }
        MessageType::BecomeHostStudio => {
            format!("made you the host of {}", or(&m.gallery_title, &m.title))
        }
        MessageType::UserJoin => "welcome to Scratch!".to_owned(),
        MessageType::ShareProject => format!("shared {}", or(&m.title, &m.project_title)),
        other => other.to_string(),
    }
}

impl Tabular for Activity {
    const HEADERS: &'static [&'static str] = &["Date", "Who", "What"];
    const RIGHT: &'static [usize] = &[];

    fn cells(&self) -> Vec<String> {
        let project = self
            .project_title
            .clone()
            .or_else(|| self.title.clone())
            .unwrap_or_default();
        let studio = self.gallery_title.clone().unwrap_or_default();
        let user = self
            .username
            .clone()
            .or_else(|| self.recipient_username.clone())
            .unwrap_or_default();
        let what = match &self.kind {
            ActivityType::UpdateStudio => format!("updated the studio {studio}"),
            ActivityType::BecomeCurator => format!("{user} became a curator {studio}"),
            ActivityType::RemoveCuratorStudio => format!("removed {user} {studio}"),
            ActivityType::BecomeHostStudio => format!("made {user} the host {studio}"),
            ActivityType::AddProjectToStudio => format!("added {project} {studio}"),
            ActivityType::RemoveProjectStudio => format!("removed {project} {studio}"),
            ActivityType::BecomeOwnerStudio => format!("made {user} a manager {studio}"),
            ActivityType::ShareProject => format!("shared {project}"),
            ActivityType::LoveProject => format!("loved {project}"),
            ActivityType::FavoriteProject => format!("favourited {project}"),
            ActivityType::FollowStudio => format!("followed {studio}"),
            other => other.to_string(),
        };
        vec![
            date(self.datetime_created),
            self.actor_username.clone(),
            one_line(&what, 70),
        ]
    }
}

impl Tabular for scratchkit::html::ActivityEvent {
    const HEADERS: &'static [&'static str] = &["Who", "Did", "What", "When"];
    const RIGHT: &'static [usize] = &[];

    fn cells(&self) -> Vec<String> {
        let targets: Vec<&str> = self.targets.iter().map(|t| t.name.as_str()).collect();
        vec![
            self.actor.clone(),
            one_line(&self.phrase, 30),
            one_line(&targets.join(", "), 40),
            self.time_text.clone(),
        ]
    }
}

impl Tabular for BackpackItem {
    const HEADERS: &'static [&'static str] = &["ID", "Kind", "Name", "File"];
    const RIGHT: &'static [usize] = &[];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.kind.to_string(),
            one_line(&self.name, 40),
            self.body.clone(),
        ]
    }
}

impl Tabular for SiteProject {
    const HEADERS: &'static [&'static str] =
        &["ID", "Title", "Shared", "Loves", "Views", "Modified"];
    const RIGHT: &'static [usize] = &[0, 3, 4];

    fn cells(&self) -> Vec<String> {
        let f = &self.fields;
        vec![
            self.pk.to_string(),
            one_line(&f.title, 40),
            if f.is_published { "yes" } else { "no" }.to_owned(),
            thousands(f.love_count),
            thousands(f.view_count),
            date(f.datetime_modified),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/../../fixtures/real/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn a_real_project_makes_a_readable_row() {
        let p: Project = serde_json::from_str(&fixture("api_projects_499038694.json")).unwrap();
        let cells = p.cells();
        assert_eq!(cells.len(), Project::HEADERS.len());
        assert_eq!(cells[0], "499038694");
        assert_eq!(cells[2], "PMJ_Studio");
        assert_eq!(cells[3], thousands(p.stats.loves));
        assert!(cells[5].starts_with("20"), "{}", cells[5]);
    }

    #[test]
    fn real_users_and_news_make_rows() {
        let u: User = serde_json::from_str(&fixture("api_users_ScratchCat.json")).unwrap();
        let cells = u.cells();
        assert_eq!(cells[1], "ScratchCat (Scratch Team)");
        assert_eq!(cells.len(), User::HEADERS.len());

        let news: Vec<News> = serde_json::from_str(&fixture("api_news_2025.json")).unwrap();
        let table = table_of(&news);
        assert_eq!(table.len(), news.len());
        assert!(!news.is_empty());
        assert_eq!(news[0].cells().len(), News::HEADERS.len());
    }

    #[test]
    fn messages_read_as_sentences() {
        let m: Message = serde_json::from_value(serde_json::json!({
            "id": 1, "type": "addcomment", "actor_username": "griffpatch",
            "comment_obj_title": "Pong", "comment_fragment": "nice!", "comment_type": 0
        }))
        .unwrap();
        assert_eq!(message_text(&m), "commented on Pong: nice!");
        let cells = m.cells();
        assert_eq!(cells.len(), Message::HEADERS.len());
        assert_eq!(cells[1], "griffpatch");
        let odd: Message =
            serde_json::from_value(serde_json::json!({"id": 2, "type": "somethingnew"})).unwrap();
        assert_eq!(message_text(&odd), "somethingnew");
    }

    #[test]
    fn every_type_has_as_many_cells_as_headers() {
        let s: Studio = serde_json::from_str(&fixture("api_studios_37071074.json")).unwrap();
        assert_eq!(s.cells().len(), Studio::HEADERS.len());
        assert!(Studio::RIGHT.iter().all(|&i| i < Studio::HEADERS.len()));
        assert!(Comment::RIGHT.iter().all(|&i| i < Comment::HEADERS.len()));
        assert!(
            StudioProject::RIGHT
                .iter()
                .all(|&i| i < StudioProject::HEADERS.len())
        );
    }
}
