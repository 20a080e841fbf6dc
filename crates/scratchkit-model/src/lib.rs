//! Typed models of the Scratch website's responses (api.scratch.mit.edu, the old site
//! scratch.mit.edu, clouddata, backpack, projects) plus a few request bodies.
//!
//! This crate does no I/O: it only describes JSON. The `scratchkit` client decodes responses
//! into these types and the `scratchkit-sandbox` server encodes them.
//!
//! # Principles
//!
//! * **Lenient.** The live site changes without notice and old responses differ from new ones,
//!   so anything not guaranteed is an `Option` or has a default, unknown keys are ignored (or
//!   kept in an `extra` map where the shape is unrecorded), and string codes decode into enums
//!   with an `Unknown(String)` variant.
//! * **Faithful.** Serializing writes Scratch's own key names and JSON types, so a value
//!   decoded from the live site encodes back into the same shape (dates in the form each host
//!   uses, string IDs where Scratch sends strings).
//! * **Typed IDs.** [`UserId`], [`ProjectId`], [`StudioId`]… accept a JSON number or a numeric
//!   string and serialize as a number.
//! * **One date type.** [`Timestamp`] reads the api's `2021-03-09T21:20:14.000Z` and the old
//!   site's naive `2025-06-02T09:25:59`; helper modules in [`timestamp`] handle epoch numbers.
//! * **Secrets stay hidden.** [`XToken`] never shows in `Debug` output.
//!
//! # Example
//!
//! ```
//! use scratchkit_model::{Project, ProjectId, UserId};
//!
//! // A trimmed `GET https://api.scratch.mit.edu/projects/<id>` response.
//! let body = r#"{"id":499038694,"title":"Ski Jumping","description":"","instructions":"",
//!   "visibility":"visible","public":true,"comments_allowed":true,"is_published":true,
//!   "author":{"id":42178181,"username":"PMJ_Studio","scratchteam":false,
//!     "history":{"joined":"1900-01-01T00:00:00.000Z"},"profile":{"id":null,"images":{}}},
//!   "image":"https://cdn2.scratch.mit.edu/get_image/project/499038694_480x360.png","images":{},
//!   "history":{"created":"2021-03-09T21:20:14.000Z","modified":"2022-08-25T11:53:32.000Z",
//!     "shared":"2021-03-25T08:32:24.000Z"},
//!   "stats":{"views":10757,"loves":503,"favorites":439,"remixes":26},
//!   "remix":{"parent":null,"root":null},"project_token":"1693219125_d616"}"#;
//!
//! let project: Project = serde_json::from_str(body)?;
//! assert_eq!(project.id, ProjectId(499038694));
//! assert_eq!(project.author.id, UserId(42178181));
//! assert_eq!(project.stats.loves, 503);
//! assert_eq!(project.history.created.unwrap().to_string(), "2021-03-09T21:20:14.000Z");
//! assert!(!project.is_remix());
//! # Ok::<(), serde_json::Error>(())
//! ```

#![warn(missing_docs)]

mod int_code;
mod lenient;

pub mod activity;
pub mod backpack;
pub mod classroom;
pub mod cloud_log;
pub mod comment;
pub mod explore;
pub mod featured;
pub mod ids;
pub mod images;
pub mod js_number;
pub mod message;
pub mod mute;
pub mod news;
pub mod nullable;
pub mod project;
pub mod project_status;
pub mod session;
pub mod site;
pub mod site_api;
pub mod statistics;
pub mod studio;
pub mod third_party;
pub mod timestamp;
pub mod user;
pub mod visibility;

pub use activity::{Activity, ActivityType};
pub use backpack::{BackpackHealth, BackpackItem, BackpackItemKind};
pub use classroom::Classroom;
pub use cloud_log::{CloudLogEntry, CloudValue, CloudVerb};
pub use comment::{Comment, CommentAuthor, CommentRejection, NewComment, RejectionStatus};
pub use explore::ExploreMode;
pub use featured::{Featured, FeaturedItemKind, FeaturedProject, FeaturedStudio};
pub use ids::{
    ActivityId, ClassroomId, CommentId, NewsId, ParseIdError, PostId, ProfileId, ProjectId,
    StudioId, TopicId, UserId,
};
pub use images::Images;
pub use js_number::js_number_to_string;
pub use message::{CommentTarget, Message, MessageType};
pub use mute::{MuteOffense, MuteStatus};
pub use news::News;
pub use project::{AuthorProfile, Project, ProjectAuthor, ProjectHistory, ProjectStats, RemixInfo};
pub use project_status::{FavoriteStatus, LoveStatus, ProjectSaved, ProjectVisibility};
pub use session::{LoginResult, Permissions, Session, SessionFlags, SessionUser, XToken};
pub use site::{
    ApiRoot, CloudHealth, ConnectionHealth, DatabasePools, Health, HealthSql, LegacyMessageCount,
    MessageCount, PoolStats, ProjectCount, ScratchHealth, UsernameCheck, UsernameStatus,
};
pub use site_api::{
    FeaturedProjectData, SiteCreator, SiteProject, SiteProjectFields, SiteUserFeatured, SiteUserRef,
};
pub use statistics::{
    ChartPoint, ChartSeries, StatisticsDaily, StatisticsMonthly, StatisticsMonthlyGa,
};
pub use studio::{
    Studio, StudioClassroom, StudioHistory, StudioMembership, StudioProject, StudioStats,
};
pub use third_party::{OcularMeta, OcularUser};
pub use timestamp::{ParseTimestampError, Timestamp};
pub use user::{Profile, User, UserHistory};
pub use visibility::Visibility;

pub mod account;
pub mod admin_alert;
pub mod classroom_site;
pub mod gallery;
pub mod site_user;

pub use account::PasswordCheck;
pub use admin_alert::AdminAlert;
pub use classroom_site::{
    AdminAction, AlertCode, ClassroomActivity, ClassroomActivityType, ClassroomVisibility,
    EducatorAlert, EducatorAlertFields, SiteClassroom,
};
pub use gallery::{SiteGallery, SiteGalleryFields};
pub use ids::AlertId;
pub use site_user::SiteUser;
