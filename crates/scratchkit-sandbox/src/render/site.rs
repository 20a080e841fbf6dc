//! Old-site (scratch.mit.edu, scratchr2) shapes, and `/proxy/featured` which uses them too.

use serde::Serialize;

use crate::store::projects::Project;
use crate::store::studios::Studio;
use crate::store::users::User;
use crate::timefmt::naive;

/// The old site marks Scratch Team names with a `*`.
fn site_username(u: &User) -> String {
    if u.scratchteam() {
        format!("{}*", u.username)
    } else {
        u.username.clone()
    }
}

/// Localized (English) name of a featured-project label code.
pub(crate) fn label_name(label: Option<i64>) -> &'static str {
    match label {
        Some(0) => "Featured Tutorial",
        Some(1) => "Work In Progress",
        Some(2) => "Remix This!",
        Some(3) => "My Favorite Things",
        Some(4) => "Why I Scratch",
        _ => "Featured Project",
    }
}

#[derive(Serialize)]
pub(crate) struct FeaturedData {
    creator: String,
    thumbnail_url: String,
    id: i64,
    datetime_modified: String,
    title: String,
}

#[derive(Serialize)]
struct SiteUserRef {
    username: String,
    pk: i64,
}

/// `/site-api/users/all/<u>/`.
#[derive(Serialize)]
pub(crate) struct SiteUserJson {
    featured_project_label_name: &'static str,
    featured_project_data: Option<FeaturedData>,
    featured_project: Option<i64>,
    thumbnail_url: String,
    user: SiteUserRef,
    featured_project_label_id: Option<i64>,
    id: Option<i64>,
}

pub(crate) fn site_user(u: &User, featured: Option<&Project>) -> SiteUserJson {
    SiteUserJson {
        featured_project_label_name: label_name(u.featured_label),
        featured_project_data: featured.map(|p| FeaturedData {
            creator: p.owner_username.clone(),
            thumbnail_url: format!("//uploads.scratch.mit.edu/projects/thumbnails/{}.png", p.id),
            id: p.id,
            datetime_modified: naive(p.modified),
            title: p.title.clone(),
        }),
        featured_project: featured.map(|p| p.id),
        thumbnail_url: format!("//uploads.scratch.mit.edu/users/avatars/{}.png", u.id),
        user: SiteUserRef {
            username: site_username(u),
            pk: u.id,
        },
        featured_project_label_id: u.featured_label,
        id: u.profile_id,
    }
}

/// A project row of `/proxy/featured`; the optional keys depend on the row kind.
#[derive(Serialize)]
pub(crate) struct FeaturedProjectRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    gallery_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gallery_title: Option<String>,
    thumbnail_url: String,
    title: String,
    creator: String,
    #[serde(rename = "type")]
    kind: &'static str,
    id: i64,
    love_count: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    remixers_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    curator_name: Option<String>,
}

/// Extra keys of a featured project row.
#[derive(Default)]
pub(crate) struct RowExtras {
    pub remixers: bool,
    pub gallery: Option<(i64, String)>,
    pub curator: Option<String>,
}

pub(crate) fn featured_project(p: &Project, extras: RowExtras) -> FeaturedProjectRow {
    FeaturedProjectRow {
        gallery_id: extras.gallery.as_ref().map(|g| g.0),
        gallery_title: extras.gallery.map(|g| g.1),
        thumbnail_url: format!("//uploads.scratch.mit.edu/projects/thumbnails/{}.png", p.id),
        title: p.title.clone(),
        creator: p.owner_username.clone(),
        kind: "project",
        id: p.id,
        love_count: p.loves,
        remixers_count: extras.remixers.then_some(p.remixes),
        curator_name: extras.curator,
    }
}

/// A studio row of `/proxy/featured`.
#[derive(Serialize)]
pub(crate) struct FeaturedStudioRow {
    thumbnail_url: String,
    title: String,
    #[serde(rename = "type")]
    kind: &'static str,
    id: i64,
}

pub(crate) fn featured_studio(s: &Studio) -> FeaturedStudioRow {
    FeaturedStudioRow {
        thumbnail_url: format!(
            "//uploads.scratch.mit.edu/galleries/thumbnails/{}.png",
            s.id
        ),
        title: s.title.clone(),
        kind: "gallery",
        id: s.id,
    }
}
