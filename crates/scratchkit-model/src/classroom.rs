//! [`Classroom`]: a class (`GET api.scratch.mit.edu/classrooms/<id>` and
//! `/classtoken/<token>`).

use serde::{Deserialize, Serialize};

use crate::ids::ClassroomId;
use crate::images::Images;
use crate::timestamp::Timestamp;
use crate::user::User;

/// An open class. Closed classes are not served by the api. No response was recorded; the
/// keys follow the clients that read it.
///
/// ```
/// use scratchkit_model::{Classroom, ClassroomId};
/// let c: Classroom = serde_json::from_str(
///     r#"{"id":1,"title":"Class","description":"","status":"","date_start":"2024-01-01T00:00:00.000Z","images":{}}"#,
/// ).unwrap();
/// assert_eq!(c.id, ClassroomId(1));
/// assert!(c.educator.is_none());
/// // An open class writes `"date_end": null`, as the live site sends it.
/// assert!(serde_json::to_string(&c).unwrap().contains(r#""date_end":null"#));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classroom {
    /// The class's ID.
    pub id: ClassroomId,
    /// The class name.
    #[serde(default)]
    pub title: String,
    /// "About this class".
    #[serde(default)]
    pub description: String,
    /// "What we're working on".
    #[serde(default)]
    pub status: String,
    /// When the class started.
    #[serde(default)]
    pub date_start: Option<Timestamp>,
    /// When the class ended, if it did. Written as `null` while the class is open: the live
    /// site always sends the key, and some clients index it.
    #[serde(default)]
    pub date_end: Option<Timestamp>,
    /// Class thumbnail URLs by size.
    #[serde(default)]
    pub images: Images,
    /// The teacher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub educator: Option<User>,
}
