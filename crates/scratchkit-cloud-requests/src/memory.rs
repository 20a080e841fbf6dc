//! The persisted memory of completed requests: a JSON array of `TO_HOST` values, written
//! atomically (a temporary file renamed over the old one).

use std::io;
use std::path::Path;

/// Reads the remembered values; a missing file is an empty memory.
pub(crate) fn load(path: &Path) -> io::Result<Vec<String>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(io::Error::other),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(error) => Err(error),
    }
}

/// Writes the remembered values atomically.
pub(crate) fn save(path: &Path, values: &[String]) -> io::Result<()> {
    let json = serde_json::to_vec(values).map_err(io::Error::other)?;
    write_atomically(path, &json)
}

/// Writes `bytes` to a sibling temporary file, syncs it and renames it over `path`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut name = path
        .file_name()
        .map(|name| name.to_os_string())
        .unwrap_or_else(|| "memory".into());
    name.push(format!(".tmp-{}", std::process::id()));
    let temp = path.with_file_name(name);
    {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&temp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_missing_file() {
        let dir = std::env::temp_dir().join(format!("scratchkit-memory-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("memory.json");
        let _ = std::fs::remove_file(&path);
        assert!(load(&path).unwrap().is_empty());
        save(&path, &["51374733.123450".to_owned()]).unwrap();
        assert_eq!(load(&path).unwrap(), ["51374733.123450"]);
        std::fs::write(&path, b"not json").unwrap();
        assert!(load(&path).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
