//! [`News`]: the front page news items (`GET api.scratch.mit.edu/news`).

use serde::{Deserialize, Serialize};

use crate::ids::NewsId;
use crate::timestamp::Timestamp;

/// One news item.
///
/// ```
/// use scratchkit_model::{News, NewsId};
/// let json = r#"{"id":697105880184946700,"stamp":"2022-10-03T15:46:13.000Z",
///   "headline":"New Scratch Design Studio!","url":"https://scratch.mit.edu/studios/32165724",
///   "image":"https://64.media.tumblr.com/x.png","copy":"Learn more here!"}"#;
/// let news: News = serde_json::from_str(json).unwrap();
/// assert_eq!(news.id, NewsId(697105880184946700));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct News {
    /// The item's ID (exceeds 2^53; exact as sent).
    pub id: NewsId,
    /// The publication date. Unreliable: can be years off.
    #[serde(default)]
    pub stamp: Option<Timestamp>,
    /// The headline.
    #[serde(default)]
    pub headline: String,
    /// Where the item links to.
    #[serde(default)]
    pub url: String,
    /// The image URL.
    #[serde(default)]
    pub image: String,
    /// The body text.
    #[serde(default)]
    pub copy: String,
}
