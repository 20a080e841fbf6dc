//! Uploaded images: avatars, project and studio thumbnails, class thumbnails.

use rusqlite::{Connection, OptionalExtension, params};

/// What an image belongs to (the `get_image/<kind>/` segment of the image hosts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageKind {
    /// An avatar (user id).
    User,
    /// A project thumbnail.
    Project,
    /// A studio thumbnail.
    Gallery,
    /// A class thumbnail.
    Classroom,
}

impl ImageKind {
    /// The name in URLs and in the table.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ImageKind::User => "user",
            ImageKind::Project => "project",
            ImageKind::Gallery => "gallery",
            ImageKind::Classroom => "classroom",
        }
    }

    /// The kind named in a `get_image/<kind>/` URL.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "user" => Some(ImageKind::User),
            "project" => Some(ImageKind::Project),
            "gallery" => Some(ImageKind::Gallery),
            "classroom" => Some(ImageKind::Classroom),
            _ => None,
        }
    }
}

/// A stored image.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Image {
    pub mime: String,
    pub data: Vec<u8>,
    pub updated: i64,
}

/// Stores (or replaces) an image.
pub(crate) fn put(
    conn: &Connection,
    kind: ImageKind,
    object_id: i64,
    mime: &str,
    data: &[u8],
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO images (kind, object_id, mime, data, updated) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![kind.as_str(), object_id, mime, data, now],
    )?;
    Ok(())
}

/// The image of an object, when one was uploaded.
pub(crate) fn get(
    conn: &Connection,
    kind: ImageKind,
    object_id: i64,
) -> rusqlite::Result<Option<Image>> {
    conn.query_row(
        "SELECT mime, data, updated FROM images WHERE kind = ?1 AND object_id = ?2",
        params![kind.as_str(), object_id],
        |r| {
            Ok(Image {
                mime: r.get(0)?,
                data: r.get(1)?,
                updated: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Forgets the image of a deleted object.
pub(crate) fn delete(conn: &Connection, kind: ImageKind, object_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM images WHERE kind = ?1 AND object_id = ?2",
        params![kind.as_str(), object_id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn put_replace_get_delete() {
        let store = Store::open(None, 1, 0).unwrap();
        store
            .write(|c| {
                assert_eq!(get(c, ImageKind::User, 5)?, None);
                put(c, ImageKind::User, 5, "image/png", b"one", 10)?;
                put(c, ImageKind::User, 5, "image/gif", b"two", 20)?;
                put(c, ImageKind::Project, 5, "image/png", b"three", 20)?;
                let img = get(c, ImageKind::User, 5)?.expect("stored");
                assert_eq!(
                    (img.mime.as_str(), img.data.as_slice()),
                    ("image/gif", &b"two"[..])
                );
                delete(c, ImageKind::User, 5)?;
                assert_eq!(get(c, ImageKind::User, 5)?, None);
                assert!(get(c, ImageKind::Project, 5)?.is_some());
                Ok(())
            })
            .unwrap();
        assert_eq!(ImageKind::parse("gallery"), Some(ImageKind::Gallery));
        assert_eq!(ImageKind::parse("avatar"), None);
    }
}
