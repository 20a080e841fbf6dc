//! Classes as the old site shows them to their teacher (`scratch.mit.edu/site-api/classrooms/…`):
//! [`SiteClassroom`] (the class lists and one class), [`EducatorAlert`] (the alerts about a
//! class's students) and [`ClassroomActivity`] (what a class's students did).
//!
//! None of these answers was ever recorded; the keys follow endpoints.md §3.9 and §2.11.11 (the
//! clients that read them). Everything beyond the identity of an item is optional, and keys
//! not named here are kept in an `extra` map. Dates are the old site's naive datetimes
//! (`2025-06-02T09:25:59`) and serialize back in that form.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::ids::{AlertId, ClassroomId, CommentId, ProjectId, StudioId};
use crate::lenient::string_enum;
use crate::message::CommentTarget;
use crate::site_user::SiteUser;
use crate::timestamp::{Timestamp, naive_option};

string_enum! {
    /// Whether a class is open (`visibility` of a [`SiteClassroom`]).
    ClassroomVisibility {
        /// `visible`: open; students can log in.
        Visible = "visible",
        /// `closed`: closed by its teacher; hidden from the api, students cannot log in.
        Closed = "closed",
    }
}

/// A class as its teacher sees it: an item of `GET scratch.mit.edu/site-api/classrooms/all/`
/// (or `/closed/`), and the answer of `GET /site-api/classrooms/all/<id>/`.
///
/// The list items are documented without `id` and the single class without `visibility`, so
/// both are optional.
///
/// ```
/// use scratchkit_model::{ClassroomId, SiteClassroom};
/// let json = r#"{"id":367806,"title":"Sandbox Class","description":"","status":"",
///   "visibility":"visible","datetime_created":"2024-09-01T08:00:00","gallery_count":1,
///   "student_count":4,"commenters_count":0,"unread_alert_count":2,
///   "thumbnail_url":"//cdn2.scratch.mit.edu/get_image/classroom/367806_250x150.png",
///   "token":"sandboxclass367806","educator":{"username":"demo_teacher","pk":99000102}}"#;
/// let class: SiteClassroom = serde_json::from_str(json).unwrap();
/// assert_eq!(class.id, Some(ClassroomId(367806)));
/// assert!(!class.is_closed());
/// assert_eq!(class.student_count, 4);
/// assert_eq!(class.educator.unwrap().username, "demo_teacher");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SiteClassroom {
    /// The class's ID (sent by the single-class answer; not documented in the lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ClassroomId>,
    /// The class name.
    #[serde(default)]
    pub title: String,
    /// "About this class".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// "What we're working on".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Open or closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<ClassroomVisibility>,
    /// When the class was created (naive on the wire).
    #[serde(
        default,
        with = "naive_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub datetime_created: Option<Timestamp>,
    /// How many class studios it has.
    #[serde(default)]
    pub gallery_count: u64,
    /// How many students it has.
    #[serde(default)]
    pub student_count: u64,
    /// How many of its students have commented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commenters_count: Option<u64>,
    /// How many of its educator alerts are unread.
    #[serde(default)]
    pub unread_alert_count: u64,
    /// Protocol-relative URL of the class picture.
    #[serde(default)]
    pub thumbnail_url: String,
    /// The class's sign-up token (the last part of its registration link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The teacher (`{username, pk}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub educator: Option<SiteUser>,
    /// The teacher's profile as the lists send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub educator_profile: Option<SiteUser>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SiteClassroom {
    /// Whether the class is closed (`visibility: "closed"`); `false` when not said.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.visibility == Some(ClassroomVisibility::Closed)
    }
}

/// An educator alert: an item of `GET scratch.mit.edu/site-api/classrooms/alerts/[<id>/]`,
/// Django's serializer shape `{model, pk, fields: {educator_datetime_read, admin_action}}`.
/// It tells a teacher that the Scratch Team acted on one of their students.
///
/// ```
/// use scratchkit_model::{AlertId, EducatorAlert};
/// let json = r#"{"model":"educators.educatoralert","pk":7,"fields":{
///   "educator_datetime_read":null,
///   "admin_action":{"type":"comment_removed","datetime_created":"2025-06-02T09:25:59",
///     "target_user":{"username":"demo_student","pk":5,"thumbnail_url":"//u/5.png","admin":false},
///     "actor":{"username":"ScratchCat*","pk":1,"thumbnail_url":"//u/1.png","admin":true},
///     "object_id":1,"extra_data":{"reason":"Be respectful."}}}}"#;
/// let alert: EducatorAlert = serde_json::from_str(json).unwrap();
/// assert_eq!(alert.pk, Some(AlertId(7)));
/// assert!(!alert.is_read());
/// let action = alert.fields.admin_action.unwrap();
/// assert_eq!(action.kind.unwrap().to_string(), "comment_removed");
/// assert_eq!(action.target_user.unwrap().username, "demo_student");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EducatorAlert {
    /// The Django model name (`educators.educatoralert`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The alert's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pk: Option<AlertId>,
    /// The alert.
    #[serde(default)]
    pub fields: EducatorAlertFields,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl EducatorAlert {
    /// Whether the teacher has read the alert (`educator_datetime_read` is set).
    #[must_use]
    pub fn is_read(&self) -> bool {
        self.fields.educator_datetime_read.is_some()
    }
}

/// The `fields` of an [`EducatorAlert`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EducatorAlertFields {
    /// When the teacher read the alert, or `null` while unread (naive on the wire).
    #[serde(default, with = "naive_option")]
    pub educator_datetime_read: Option<Timestamp>,
    /// What the Scratch Team did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_action: Option<AdminAction>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `admin_action` of an educator alert: what the Scratch Team did to a student.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AdminAction {
    /// The kind of action (`type`), a string or an integer code as sent: its values were never
    /// recorded.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AlertCode>,
    /// When it happened (naive on the wire).
    #[serde(
        default,
        with = "naive_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub datetime_created: Option<Timestamp>,
    /// The student it concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_user: Option<SiteUser>,
    /// The Scratch Team member who acted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<SiteUser>,
    /// The ID of what was acted on (a comment, a project…), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<Value>,
    /// Details of the action (such as a `reason`), as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_data: Option<Value>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A code that Scratch may send as a string or as an integer (the `type` of an
/// [`AdminAction`], whose values were never recorded). Encodes back as it came.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AlertCode {
    /// An integer code.
    Number(i64),
    /// A string code.
    Text(String),
}

impl fmt::Display for AlertCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => fmt::Display::fmt(n, f),
            Self::Text(s) => f.write_str(s),
        }
    }
}

impl Serialize for AlertCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(n) => serializer.serialize_i64(*n),
            Self::Text(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for AlertCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AlertCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an integer code")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AlertCode, E> {
                Ok(AlertCode::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AlertCode, E> {
                i64::try_from(v)
                    .map(AlertCode::Number)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AlertCode, E> {
                Ok(AlertCode::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The integer `type` of a [`ClassroomActivity`] (endpoints.md §2.11.11). Codes that share a
/// meaning keep their exact code; unknown codes are kept as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClassroomActivityType {
    /// `0`: followed a user (`followed_username`).
    FollowUser,
    /// `1`: followed a studio (`gallery`, `title`).
    FollowStudio,
    /// `2`: loved a project (`project`, `title`, `recipient`).
    LoveProject,
    /// `3`: favorited a project (`project`, `project_title`, `project_creator`).
    FavoriteProject,
    /// `7`: added a project to a studio (`project`, `project_title`, `gallery`,
    /// `gallery_title`, `recipient`).
    AddProjectToStudio,
    /// `8`–`10`: shared a project (`project`, `title`, `is_reshare`).
    ShareProject(i64),
    /// `11`: remixed a project (`project`, `title`, `parent`, `parent_title`, `recipient`).
    RemixProject,
    /// `13`: created a studio (`gallery`).
    CreateStudio,
    /// `15`: updated a studio (`gallery`, `title`).
    UpdateStudio,
    /// `16`–`19`: removed a project from a studio.
    RemoveProjectFromStudio(i64),
    /// `20`–`22`: promoted to manager of a studio (`gallery`, `gallery_title`, `recipient`,
    /// `recipient_username`).
    PromoteToManager(i64),
    /// `23`–`25`: updated their profile (`changed_fields`, kept in `extra`).
    UpdateProfile(i64),
    /// `26`–`27`: commented (`comment_type`, `comment_fragment`, `comment_id`,
    /// `comment_obj_id`, `comment_obj_title`, `commentee_username`, `recipient`).
    Comment(i64),
    /// Any other code, kept as sent.
    Unknown(i64),
}

impl ClassroomActivityType {
    /// The integer code Scratch uses.
    #[must_use]
    pub fn code(self) -> i64 {
        match self {
            Self::FollowUser => 0,
            Self::FollowStudio => 1,
            Self::LoveProject => 2,
            Self::FavoriteProject => 3,
            Self::AddProjectToStudio => 7,
            Self::RemixProject => 11,
            Self::CreateStudio => 13,
            Self::UpdateStudio => 15,
            Self::ShareProject(code)
            | Self::RemoveProjectFromStudio(code)
            | Self::PromoteToManager(code)
            | Self::UpdateProfile(code)
            | Self::Comment(code)
            | Self::Unknown(code) => code,
        }
    }

    /// Whether this is a code this version of the crate knows.
    #[must_use]
    pub fn is_known(self) -> bool {
        !matches!(self, Self::Unknown(_))
    }
}

impl From<i64> for ClassroomActivityType {
    fn from(code: i64) -> Self {
        match code {
            0 => Self::FollowUser,
            1 => Self::FollowStudio,
            2 => Self::LoveProject,
            3 => Self::FavoriteProject,
            7 => Self::AddProjectToStudio,
            8..=10 => Self::ShareProject(code),
            11 => Self::RemixProject,
            13 => Self::CreateStudio,
            15 => Self::UpdateStudio,
            16..=19 => Self::RemoveProjectFromStudio(code),
            20..=22 => Self::PromoteToManager(code),
            23..=25 => Self::UpdateProfile(code),
            26..=27 => Self::Comment(code),
            other => Self::Unknown(other),
        }
    }
}

impl Serialize for ClassroomActivityType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for ClassroomActivityType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::int_code::deserialize(deserializer, "an integer activity type", true)
    }
}

/// One item of a class's activity: `GET scratch.mit.edu/site-api/classrooms/activity/<id>/
/// <student|all>/` (endpoints.md §2.11.11).
///
/// Every item has `type`, `actor` and `datetime_created`; the per-type keys below are
/// optional (which ones a type carries is listed on [`ClassroomActivityType`]), and any other
/// key (such as `followed_user` or `changed_fields`, whose shapes are unknown) is kept in
/// [`extra`](ClassroomActivity::extra).
///
/// ```
/// use scratchkit_model::{ClassroomActivity, ClassroomActivityType, ProjectId};
/// let json = r#"{"type":2,"actor":{"username":"kid","pk":5,"thumbnail_url":"//u/5.png","admin":false},
///   "datetime_created":"2025-06-02T09:25:59","project":142,"title":"Pong",
///   "recipient":{"username":"mres","pk":3,"thumbnail_url":"//u/3.png","admin":false}}"#;
/// let item: ClassroomActivity = serde_json::from_str(json).unwrap();
/// assert_eq!(item.kind, ClassroomActivityType::LoveProject);
/// assert_eq!(item.project, Some(ProjectId(142)));
/// assert_eq!(item.recipient_user().unwrap().username, "mres");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassroomActivity {
    /// What happened (`type`).
    #[serde(rename = "type")]
    pub kind: ClassroomActivityType,
    /// The student who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<SiteUser>,
    /// When (naive on the wire).
    #[serde(
        default,
        with = "naive_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub datetime_created: Option<Timestamp>,
    /// The project concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ProjectId>,
    /// The project's or studio's title (types 1, 2, 8–11, 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The project's title (types 3, 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_title: Option<String>,
    /// The project author's name (type 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_creator: Option<String>,
    /// The studio concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery: Option<StudioId>,
    /// The studio's title (types 7, 20–22).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gallery_title: Option<String>,
    /// The user on the receiving end (a project's author, a promoted user…). `None` when
    /// the key was not sent, `Some(None)` when it was sent as `null` (written back as
    /// `null`). [`ClassroomActivity::recipient_user`] reads it flat.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::nullable::deserialize"
    )]
    pub recipient: Option<Option<SiteUser>>,
    /// The receiving user's name (types 20–22).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_username: Option<String>,
    /// The followed user's name (type 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followed_username: Option<String>,
    /// The remixed project (type 11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ProjectId>,
    /// The remixed project's title (type 11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_title: Option<String>,
    /// Whether a share was a re-share (types 8–10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_reshare: Option<bool>,
    /// Where a comment is (types 26–27).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_type: Option<CommentTarget>,
    /// The start of the comment (types 26–27).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_fragment: Option<String>,
    /// The comment's ID (types 26–27).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_id: Option<CommentId>,
    /// The ID of what was commented on: project, studio, or the profile owner's user ID
    /// (types 26–27; see [`comment_type`](ClassroomActivity::comment_type)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_obj_id: Option<u64>,
    /// The title of what was commented on (types 26–27).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_obj_title: Option<String>,
    /// The name of the user replied to (types 26–27): `None` when the key was not sent,
    /// `Some(None)` when it was sent as `null` (not a reply; written back as `null`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::nullable::deserialize"
    )]
    pub commentee_username: Option<Option<String>>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ClassroomActivity {
    /// The user on the receiving end, if there is one (whether the key was absent or `null`
    /// does not matter here).
    ///
    /// ```
    /// use scratchkit_model::ClassroomActivity;
    /// let item: ClassroomActivity =
    ///     serde_json::from_str(r#"{"type":20,"recipient":null,"recipient_username":"kid"}"#)
    ///         .unwrap();
    /// assert!(item.recipient_user().is_none());
    /// assert_eq!(item.recipient, Some(None));
    /// ```
    #[must_use]
    pub fn recipient_user(&self) -> Option<&SiteUser> {
        self.recipient.as_ref()?.as_ref()
    }
}
