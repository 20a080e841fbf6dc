//! One table row per model type: the columns people see in lists.

use scratchkit_model::{Comment, News, Project, Studio, StudioProject, User};

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
