//! Old-site (scratch.mit.edu, scratchr2) shapes, and `/proxy/featured` which uses them too.

use scratchkit_model::{
    FeaturedItemKind, FeaturedProject, FeaturedProjectData, FeaturedStudio, ProfileId, ProjectId,
    SiteCreator, SiteGallery, SiteGalleryFields, SiteProject, SiteProjectFields, SiteUser,
    SiteUserFeatured, SiteUserRef, StudioId, Timestamp, UserId, Visibility,
};

use super::unsigned;
use crate::store::projects::ProjectRow;
use crate::store::studios::StudioRow;
use crate::store::users::UserRow;

/// The old site marks Scratch Team names with a `*`.
fn site_username(u: &UserRow) -> String {
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

/// `/site-api/users/all/<u>/`, as the client's own model type.
pub(crate) fn site_user(u: &UserRow, featured: Option<&ProjectRow>) -> SiteUserFeatured {
    SiteUserFeatured {
        id: u.profile_id.map(|id| ProfileId(unsigned(id))),
        user: SiteUserRef {
            username: site_username(u),
            pk: UserId(unsigned(u.id)),
        },
        thumbnail_url: avatar_thumbnail(u.id),
        featured_project: featured.map(|p| ProjectId(unsigned(p.id))),
        featured_project_label_id: u.featured_label.and_then(|l| u32::try_from(l).ok()),
        featured_project_label_name: label_name(u.featured_label).to_owned(),
        featured_project_data: featured.map(|p| FeaturedProjectData {
            id: ProjectId(unsigned(p.id)),
            title: p.title.clone(),
            creator: p.owner_username.clone(),
            thumbnail_url: project_thumbnail(p.id),
            datetime_modified: Timestamp::from_unix_seconds(p.modified),
        }),
    }
}

fn project_thumbnail(id: i64) -> String {
    format!("//uploads.scratch.mit.edu/projects/thumbnails/{id}.png")
}

/// A project row of `/proxy/featured`, as the client's own model type; callers add the keys
/// of their row kind (`remixers_count`, `gallery_id`, `curator_name`…).
pub(crate) fn featured_project(p: &ProjectRow) -> FeaturedProject {
    FeaturedProject {
        id: ProjectId(unsigned(p.id)),
        title: p.title.clone(),
        creator: p.owner_username.clone(),
        love_count: unsigned(p.loves),
        thumbnail_url: project_thumbnail(p.id),
        kind: Some(FeaturedItemKind::Project),
        remixers_count: None,
        gallery_id: None,
        gallery_title: None,
        curator_name: None,
    }
}

/// A studio row of `/proxy/featured`, as the client's own model type.
pub(crate) fn featured_studio(s: &StudioRow) -> FeaturedStudio {
    FeaturedStudio {
        id: StudioId(unsigned(s.id)),
        title: s.title.clone(),
        thumbnail_url: studio_thumbnail(s.id),
        kind: Some(FeaturedItemKind::Gallery),
    }
}

fn avatar_thumbnail(id: i64) -> String {
    format!("//uploads.scratch.mit.edu/users/avatars/{id}.png")
}

/// The old site's user reference `{username, pk, thumbnail_url, admin}` of a project's
/// creator.
pub(crate) fn site_creator(u: &UserRow) -> SiteCreator {
    SiteCreator {
        username: u.username.clone(),
        pk: UserId(unsigned(u.id)),
        thumbnail_url: avatar_thumbnail(u.id),
        admin: u.scratchteam(),
    }
}

/// The same reference where the model reads it leniently (a studio's owner, a class's
/// educator).
pub(crate) fn site_user_ref(u: &UserRow) -> SiteUser {
    let creator = site_creator(u);
    SiteUser {
        username: creator.username,
        pk: Some(creator.pk),
        thumbnail_url: Some(creator.thumbnail_url),
        admin: Some(creator.admin),
        extra: serde_json::Map::new(),
    }
}

/// A project of "My Stuff" and `/site-api/projects/shared/<u>/`, in Django's serializer
/// shape, as the client's own model type.
pub(crate) fn site_project(
    p: &ProjectRow,
    owner: &UserRow,
    trashed: bool,
    commenters: i64,
) -> SiteProject {
    SiteProject {
        fields: SiteProjectFields {
            title: p.title.clone(),
            is_published: p.shared,
            visibility: Some(if trashed {
                Visibility::TrashedByUser
            } else {
                Visibility::Visible
            }),
            view_count: unsigned(p.views),
            love_count: unsigned(p.loves),
            favorite_count: unsigned(p.favorites),
            remixers_count: unsigned(p.remixes),
            commenters_count: unsigned(commenters),
            datetime_created: Timestamp::from_unix_seconds(p.created),
            datetime_modified: Timestamp::from_unix_seconds(p.modified),
            datetime_shared: p.shared_at.and_then(Timestamp::from_unix_seconds),
            thumbnail_url: project_thumbnail(p.id),
            uncached_thumbnail_url: Some(format!(
                "//cdn2.scratch.mit.edu/get_image/project/{}_100x80.png",
                p.id
            )),
            thumbnail: Some(format!("{}.png", p.id)),
            creator: site_creator(owner),
        },
        model: "projects.project".to_owned(),
        pk: ProjectId(unsigned(p.id)),
    }
}

/// A studio of `/site-api/galleries/all/`, in Django's serializer shape, as the client's own
/// model type.
pub(crate) fn site_gallery(st: &StudioRow, owner: &UserRow, curators: i64) -> SiteGallery {
    SiteGallery {
        pk: StudioId(unsigned(st.id)),
        model: Some("galleries.gallery".to_owned()),
        fields: SiteGalleryFields {
            title: st.title.clone(),
            owner: Some(site_user_ref(owner)),
            thumbnail_url: studio_thumbnail(st.id),
            datetime_created: Timestamp::from_unix_seconds(st.created),
            datetime_modified: Timestamp::from_unix_seconds(st.modified),
            commenters_count: unsigned(st.comments),
            curators_count: unsigned(curators),
            projecters_count: unsigned(st.projects),
            ..SiteGalleryFields::default()
        },
        extra: serde_json::Map::new(),
    }
}

fn studio_thumbnail(id: i64) -> String {
    format!("//uploads.scratch.mit.edu/galleries/thumbnails/{id}.png")
}
