//! Assets (costumes and sounds), content-addressed by `<md5>.<ext>` like the live assets host.
//!
//! Uploaded assets live in the `assets` table; the generated files of never-saved projects
//! (see [`generated`](super::project_files::generated)) are served from memory.

use rusqlite::{Connection, OptionalExtension, params};
use scratchkit_sb3::{md5_hex, parse_asset_name};

use super::project_files::generated;

/// The live site's limit on one asset file (10 MB).
pub(crate) const MAX_ASSET_BYTES: usize = 10 * 1024 * 1024;

/// Why an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AssetError {
    /// The name is not `<32 hex digits>.<ext>`.
    BadName,
    /// The body is larger than [`MAX_ASSET_BYTES`].
    TooLarge,
    /// The md5 of the body is not the one in the name.
    HashMismatch {
        /// The md5 of the body.
        actual: String,
    },
}

/// The canonical form of an asset name: md5 lowercased, extension lowercased.
pub(crate) fn normalize(name: &str) -> Option<String> {
    let (md5, ext) = parse_asset_name(name)?;
    Some(format!("{md5}.{}", ext.to_ascii_lowercase()))
}

/// Checks an upload: name, size and md5. Returns the canonical name.
pub(crate) fn check(name: &str, data: &[u8]) -> Result<String, AssetError> {
    let name = normalize(name).ok_or(AssetError::BadName)?;
    if data.len() > MAX_ASSET_BYTES {
        return Err(AssetError::TooLarge);
    }
    let actual = md5_hex(data);
    if name[..32] != actual {
        return Err(AssetError::HashMismatch { actual });
    }
    Ok(name)
}

/// The bytes of an asset: an uploaded one, else a generated one.
pub(crate) fn get(conn: &Connection, name: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    let Some(name) = normalize(name) else {
        return Ok(None);
    };
    let stored: Option<Vec<u8>> = conn
        .query_row("SELECT data FROM assets WHERE name = ?1", [&name], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(stored.or_else(|| generated::asset_bytes(&name).map(<[u8]>::to_vec)))
}

/// Whether an asset is available (uploaded or generated).
pub(crate) fn exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    let Some(name) = normalize(name) else {
        return Ok(false);
    };
    if generated::asset_bytes(&name).is_some() {
        return Ok(true);
    }
    conn.query_row("SELECT 1 FROM assets WHERE name = ?1", [&name], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

/// Stores a checked asset (see [`check`]); returns `false` when it was already there (content
/// addressing: the same name always holds the same bytes).
pub(crate) fn put(conn: &Connection, name: &str, data: &[u8], now: i64) -> rusqlite::Result<bool> {
    if exists(conn, name)? {
        return Ok(false);
    }
    conn.execute(
        "INSERT OR IGNORE INTO assets (name, data, uploaded) VALUES (?1, ?2, ?3)",
        params![name, data, now],
    )
    .map(|n| n > 0)
}

/// Administration only: stores `data` under `name` without any check, replacing what was
/// there (to serve a corrupted asset in tests).
pub(crate) fn put_unchecked(
    conn: &Connection,
    name: &str,
    data: &[u8],
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO assets (name, data, uploaded) VALUES (?1, ?2, ?3)",
        params![name, data, now],
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn check_refuses_bad_names_wrong_hashes_and_large_bodies() {
        let name = scratchkit_sb3::asset_name(b"<svg/>", "svg");
        assert_eq!(check(&name, b"<svg/>"), Ok(name.clone()));
        assert_eq!(
            check(&name.to_ascii_uppercase(), b"<svg/>"),
            Ok(name.clone())
        );
        assert_eq!(check("project.json", b"{}"), Err(AssetError::BadName));
        assert_eq!(check("../etc/passwd", b""), Err(AssetError::BadName));
        assert_eq!(
            check(&name, b"<svg />"),
            Err(AssetError::HashMismatch {
                actual: md5_hex(b"<svg />")
            })
        );
        let big = vec![0u8; MAX_ASSET_BYTES + 1];
        let big_name = scratchkit_sb3::asset_name(&big, "wav");
        assert_eq!(check(&big_name, &big), Err(AssetError::TooLarge));
        let limit = vec![0u8; MAX_ASSET_BYTES];
        let limit_name = scratchkit_sb3::asset_name(&limit, "wav");
        assert!(check(&limit_name, &limit).is_ok());
    }

    #[test]
    fn put_get_and_overwrite() {
        let store = Store::open(None, 1, 0).unwrap();
        let name = scratchkit_sb3::asset_name(b"sound", "wav");
        store
            .write(|c| {
                assert!(!exists(c, &name)?);
                assert_eq!(get(c, &name)?, None);
                assert!(put(c, &name, b"sound", 1)?);
                assert!(!put(c, &name, b"sound", 2)?);
                assert!(exists(c, &name)?);
                assert_eq!(get(c, &name.to_ascii_uppercase())?.unwrap(), b"sound");
                put_unchecked(c, &name, b"corrupt", 3)?;
                assert_eq!(get(c, &name)?.unwrap(), b"corrupt");
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn generated_assets_are_served() {
        let store = Store::open(None, 1, 0).unwrap();
        let project =
            scratchkit_sb3::ProjectDocument::from_json(&generated::project_json(142)).unwrap();
        for name in project.asset_names() {
            let bytes = store.read(|c| get(c, &name)).unwrap().unwrap();
            assert_eq!(md5_hex(&bytes), name[..32]);
        }
    }
}
