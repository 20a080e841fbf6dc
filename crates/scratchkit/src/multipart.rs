//! A one-file `multipart/form-data` body (avatar and thumbnail uploads), and image checks.

use bytes::Bytes;

use crate::error::{Error, Result};

/// The largest image accepted for upload (Scratch's own limit is not documented; its editor
/// refuses files over 10 MB).
pub(crate) const MAX_IMAGE: usize = 10 * 1024 * 1024;

/// The MIME type of an image by its first bytes: PNG, JPEG or GIF.
///
/// # Errors
/// [`Error::InvalidInput`] for empty, oversized or unknown data.
pub(crate) fn image_type(data: &[u8]) -> Result<&'static str> {
    if data.is_empty() {
        return Err(Error::invalid("image", "it is empty"));
    }
    if data.len() > MAX_IMAGE {
        return Err(Error::invalid("image", "it is larger than 10 MB"));
    }
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else if data.starts_with(b"\xff\xd8\xff") {
        Ok("image/jpeg")
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Ok("image/gif")
    } else {
        Err(Error::invalid(
            "image",
            "it is not a PNG, JPEG or GIF image",
        ))
    }
}

/// A `multipart/form-data` body with one file field `name`: the `Content-Type` (with its
/// boundary) and the body.
pub(crate) fn one_file(name: &str, filename: &str, mime: &str, data: &[u8]) -> (String, Bytes) {
    let boundary = format!("----scratchkit{}", crate::auth::new_csrf_token());
    let mut body = Vec::with_capacity(data.len() + 256);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (
        format!("multipart/form-data; boundary={boundary}"),
        Bytes::from(body),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\nrest").unwrap(), "image/png");
        assert_eq!(image_type(b"\xff\xd8\xff\xe0").unwrap(), "image/jpeg");
        assert_eq!(image_type(b"GIF89a..").unwrap(), "image/gif");
        assert!(image_type(b"").is_err());
        assert!(image_type(b"<svg/>").is_err());
        assert!(image_type(&vec![0x89; MAX_IMAGE + 1]).is_err());
    }

    #[test]
    fn multipart_layout() {
        let (ct, body) = one_file("file", "a.png", "image/png", b"DATA");
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert_eq!(
            text,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nDATA\r\n--{boundary}--\r\n"
            )
        );
    }
}
