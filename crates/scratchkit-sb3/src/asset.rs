//! Costumes, sounds and the md5-based names of asset files.

use indexmap::IndexMap;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

/// A costume (or backdrop) of a target.
///
/// The image itself is an asset file named [`md5ext`](Costume::md5ext), i.e.
/// `<assetId>.<dataFormat>`, where `assetId` is the md5 of the file's bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Costume {
    /// md5 of the image file, lowercase hex.
    #[serde(rename = "assetId")]
    pub asset_id: String,
    /// The costume's name as shown in the editor.
    pub name: String,
    /// Image format: `svg`, `png`, `jpg`…
    #[serde(rename = "dataFormat")]
    pub data_format: String,
    /// Name of the asset file, `<assetId>.<dataFormat>` (absent in some very old files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5ext: Option<String>,
    /// 1 for vector costumes, 2 for bitmaps drawn at double resolution.
    #[serde(
        rename = "bitmapResolution",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bitmap_resolution: Option<Number>,
    /// Horizontal rotation center, in costume pixels.
    #[serde(
        rename = "rotationCenterX",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rotation_center_x: Option<Number>,
    /// Vertical rotation center, in costume pixels.
    #[serde(
        rename = "rotationCenterY",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rotation_center_y: Option<Number>,
    /// Keys this model does not know, kept as they were.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

/// A sound of a target.
///
/// The audio itself is an asset file named [`md5ext`](Sound::md5ext).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sound {
    /// md5 of the audio file, lowercase hex.
    #[serde(rename = "assetId")]
    pub asset_id: String,
    /// The sound's name as shown in the editor.
    pub name: String,
    /// Audio file format: `wav`, `mp3`…
    #[serde(rename = "dataFormat")]
    pub data_format: String,
    /// Sub-format (`""` or `"adpcm"` for wav files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Sample rate in Hz.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Number>,
    /// Number of samples.
    #[serde(
        rename = "sampleCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sample_count: Option<Number>,
    /// Name of the asset file, `<assetId>.<dataFormat>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5ext: Option<String>,
    /// Keys this model does not know, kept as they were.
    #[serde(flatten)]
    pub extra: IndexMap<String, Value>,
}

impl Costume {
    /// Name of the asset file: `md5ext`, or `<assetId>.<dataFormat>` when it is absent.
    pub fn file_name(&self) -> String {
        file_name(self.md5ext.as_deref(), &self.asset_id, &self.data_format)
    }
}

impl Sound {
    /// Name of the asset file: `md5ext`, or `<assetId>.<dataFormat>` when it is absent.
    pub fn file_name(&self) -> String {
        file_name(self.md5ext.as_deref(), &self.asset_id, &self.data_format)
    }
}

fn file_name(md5ext: Option<&str>, asset_id: &str, data_format: &str) -> String {
    match md5ext {
        Some(name) => name.to_owned(),
        None => format!("{asset_id}.{data_format}"),
    }
}

/// Whether an asset is an image or a sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssetKind {
    /// A costume or backdrop.
    Costume,
    /// A sound.
    Sound,
}

/// One reference from a project to an asset file (see [`ProjectDocument::assets`](crate::ProjectDocument::assets)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AssetRef {
    /// Name of the asset file, `<md5>.<ext>`: its name in an .sb3 archive and on
    /// `assets.scratch.mit.edu/internalapi/asset/<md5ext>/get/`.
    pub md5ext: String,
    /// The asset's md5 as recorded in project.json.
    pub asset_id: String,
    /// File format (`svg`, `png`, `wav`…).
    pub data_format: String,
    /// Costume or sound.
    pub kind: AssetKind,
    /// Name of the target that uses it.
    pub target: String,
    /// Name of the costume or sound.
    pub name: String,
}

/// The md5 of `bytes` as 32 lowercase hex digits.
///
/// ```
/// assert_eq!(scratchkit_sb3::md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
/// ```
pub fn md5_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Md5::digest(bytes);
    let mut out = String::with_capacity(32);
    for byte in digest.iter() {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// The name Scratch gives an asset file: md5 of its bytes, a dot, and the extension
/// (a leading dot on `ext` is ignored).
///
/// ```
/// let name = scratchkit_sb3::asset_name(b"<svg/>", "svg");
/// assert_eq!(name.len(), 32 + ".svg".len());
/// assert!(name.ends_with(".svg"));
/// ```
pub fn asset_name(bytes: &[u8], ext: &str) -> String {
    let ext = ext.strip_prefix('.').unwrap_or(ext);
    format!("{}.{ext}", md5_hex(bytes))
}

/// Splits an asset file name `<md5>.<ext>` into its md5 (lowercased) and extension.
///
/// Returns `None` when the part before the first dot is not 32 hex digits or the extension is
/// empty or not made of ASCII letters and digits (so a name never holds a path).
///
/// ```
/// let (md5, ext) = scratchkit_sb3::parse_asset_name("83A9787D4CB6F3B7632B4DDFEBF74367.wav").unwrap();
/// assert_eq!(md5, "83a9787d4cb6f3b7632b4ddfebf74367");
/// assert_eq!(ext, "wav");
/// assert!(scratchkit_sb3::parse_asset_name("project.json").is_none());
/// ```
pub fn parse_asset_name(name: &str) -> Option<(String, &str)> {
    let (md5, ext) = name.split_once('.')?;
    if md5.len() != 32
        || !md5.bytes().all(|b| b.is_ascii_hexdigit())
        || ext.is_empty()
        || !ext.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    Some((md5.to_ascii_lowercase(), ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_known_vectors() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            md5_hex(b"The quick brown fox jumps over the lazy dog"),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
    }

    #[test]
    fn asset_name_strips_leading_dot() {
        assert_eq!(
            asset_name(b"", ".png"),
            "d41d8cd98f00b204e9800998ecf8427e.png"
        );
        assert_eq!(
            asset_name(b"", "png"),
            "d41d8cd98f00b204e9800998ecf8427e.png"
        );
    }

    #[test]
    fn parse_asset_name_rejects_bad_names() {
        assert!(parse_asset_name("d41d8cd98f00b204e9800998ecf8427e.").is_none());
        assert!(parse_asset_name("d41d8cd98f00b204e9800998ecf8427.png").is_none());
        assert!(parse_asset_name("g41d8cd98f00b204e9800998ecf8427e.png").is_none());
        assert!(parse_asset_name("no-dot").is_none());
        assert!(parse_asset_name("d41d8cd98f00b204e9800998ecf8427e.svg/../x").is_none());
        assert!(parse_asset_name("d41d8cd98f00b204e9800998ecf8427e.tar.gz").is_none());
        assert_eq!(
            parse_asset_name("d41d8cd98f00b204e9800998ecf8427e.png"),
            Some(("d41d8cd98f00b204e9800998ecf8427e".to_owned(), "png"))
        );
    }

    #[test]
    fn file_name_falls_back_to_asset_id_and_format() {
        let costume: Costume = serde_json::from_str(
            r#"{"assetId":"abc","name":"c","dataFormat":"svg","rotationCenterX":1}"#,
        )
        .unwrap();
        assert_eq!(costume.file_name(), "abc.svg");
    }
}
