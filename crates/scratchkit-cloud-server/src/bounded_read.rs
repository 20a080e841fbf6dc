//! Reading the operator's files (token, filters, blocks) with a size limit, so that a setting
//! pointed at something endless (`/dev/zero`, a FIFO nobody closes) fails instead of hanging
//! or filling memory.

use std::io::{self, Read};
use std::path::Path;

/// Most bytes of an admin token file (its first line is the token).
pub(crate) const TOKEN_FILE_LIMIT: u64 = 64 * 1024;
/// Most bytes of a filter file.
pub(crate) const FILTER_FILE_LIMIT: u64 = 16 * 1024 * 1024;
/// Most bytes of the blocks file.
pub(crate) const BLOCKS_FILE_LIMIT: u64 = 64 * 1024 * 1024;

/// The text of `path`, or an [`io::ErrorKind::InvalidData`] error when it holds more than
/// `limit` bytes or is not UTF-8.
pub(crate) fn read_text(path: &Path, limit: u64) -> io::Result<String> {
    let file = std::fs::File::open(path)?;
    let mut text = String::new();
    file.take(limit.saturating_add(1))
        .read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_within_the_limit_is_read_and_a_larger_one_refused() {
        let path = std::env::temp_dir().join(format!(
            "scratchkit-bounded-read-{}-token",
            std::process::id()
        ));
        std::fs::write(&path, "secret\n").unwrap();
        let within = read_text(&path, 7);
        let over = read_text(&path, 6);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(within.unwrap(), "secret\n");
        let error = over.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("larger than 6 bytes"));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_refused_instead_of_read_forever() {
        let error = read_text(Path::new("/dev/zero"), TOKEN_FILE_LIMIT).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }
}
