//! Reading what project.json records about an asset from its bytes: image sizes (PNG header,
//! SVG `width`/`height`/`viewBox`), sound rates and sample counts (WAV header, MP3 frames).

use serde_json::Number;

use crate::{Costume, Sound, md5_hex};

/// Why an asset's bytes could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// The bytes are not a PNG, JPEG or SVG image.
    #[error("not a PNG, JPEG or SVG image")]
    UnknownImage,
    /// The bytes are not a WAV or MP3 sound.
    #[error("not a WAV or MP3 sound")]
    UnknownSound,
    /// The image is of a known format but its header is damaged.
    #[error("damaged {format} image: {reason}")]
    BadImage {
        /// `png`, `jpg` or `svg`.
        format: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The sound is of a known format but its header is damaged.
    #[error("damaged {format} sound: {reason}")]
    BadSound {
        /// `wav` or `mp3`.
        format: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
}

/// What an image's bytes say about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageInfo {
    /// `png`, `jpg` or `svg` (the `dataFormat` Scratch records).
    pub format: &'static str,
    /// Width in pixels (SVG: user units of `width`, else of the `viewBox`).
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
}

/// What a sound's bytes say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoundInfo {
    /// `wav` or `mp3`.
    pub format: &'static str,
    /// `"adpcm"` for IMA ADPCM WAV files, else `""` (the `format` Scratch records).
    pub sub_format: &'static str,
    /// Samples per second.
    pub rate: u32,
    /// Samples per channel.
    pub sample_count: u64,
}

/// Reads an image's format and size.
///
/// ```
/// let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="100.5"/>"#;
/// let info = scratchkit_sb3::media::probe_image(svg)?;
/// assert_eq!((info.format, info.width, info.height), ("svg", 96.0, 100.5));
/// # Ok::<(), scratchkit_sb3::media::MediaError>(())
/// ```
///
/// # Errors
///
/// [`MediaError::UnknownImage`] for other bytes, [`MediaError::BadImage`] when the header
/// is cut short or the SVG has no usable size.
pub fn probe_image(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return png_size(bytes);
    }
    if bytes.starts_with(b"\xFF\xD8") {
        return jpeg_size(bytes);
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    if text.contains("<svg") {
        return svg_size(&text);
    }
    Err(MediaError::UnknownImage)
}

fn png_size(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    let bad = |reason| MediaError::BadImage {
        format: "png",
        reason,
    };
    if bytes.len() < 24 || &bytes[12..16] != b"IHDR" {
        return Err(bad("no IHDR header"));
    }
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    if width == 0 || height == 0 {
        return Err(bad("zero width or height"));
    }
    Ok(ImageInfo {
        format: "png",
        width: f64::from(width),
        height: f64::from(height),
    })
}

fn jpeg_size(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            break;
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        // Start-of-frame markers (not DHT C4, JPG C8, DAC CC) carry the size.
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let height = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
            let width = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
            return Ok(ImageInfo {
                format: "jpg",
                width: f64::from(width),
                height: f64::from(height),
            });
        }
        i += 2 + len;
    }
    Err(MediaError::BadImage {
        format: "jpg",
        reason: "no frame header",
    })
}

fn svg_size(text: &str) -> Result<ImageInfo, MediaError> {
    let bad = |reason| MediaError::BadImage {
        format: "svg",
        reason,
    };
    let start = text.find("<svg").ok_or(bad("no <svg> element"))?;
    let tag = &text[start + 4..];
    let tag = &tag[..tag.find('>').ok_or(bad("unterminated <svg> tag"))?];
    let view_box: Option<Vec<f64>> = attribute(tag, "viewBox").map(|v| {
        v.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect()
    });
    let (vb_width, vb_height) = match view_box.as_deref() {
        Some([_, _, w, h]) => (Some(*w), Some(*h)),
        _ => (None, None),
    };
    let width = attribute(tag, "width").and_then(length).or(vb_width);
    let height = attribute(tag, "height").and_then(length).or(vb_height);
    match (width, height) {
        (Some(width), Some(height)) if width > 0.0 && height > 0.0 => Ok(ImageInfo {
            format: "svg",
            width,
            height,
        }),
        _ => Err(bad("no width/height or viewBox")),
    }
}

/// The value of attribute `name` in the inside of a tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(pos) = rest.find(name) {
        let before = rest[..pos].chars().next_back();
        let after = rest[pos + name.len()..].trim_start();
        rest = &rest[pos + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(after) = after.strip_prefix('=') else {
            continue;
        };
        let after = after.trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let value = &after[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
    None
}

/// A length in user units: a number with an optional `px`; other units and percentages
/// are not sizes we can use.
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let value = value.strip_suffix("px").unwrap_or(value);
    value.parse().ok()
}

/// Reads a sound's format, rate and sample count.
///
/// WAV files are read exactly from their `fmt `, `fact` and `data` chunks. MP3 is best
/// effort: the frames are walked from the first frame header (after an ID3v2 tag) and the
/// count is frames × samples per frame, which can differ from a decoder's count by the
/// encoder's padding (a frame or two).
///
/// # Errors
///
/// [`MediaError::UnknownSound`] for other bytes, [`MediaError::BadSound`] for damaged
/// headers.
pub fn probe_sound(bytes: &[u8]) -> Result<SoundInfo, MediaError> {
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WAVE") {
        return wav_info(bytes);
    }
    if bytes.starts_with(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
    {
        return mp3_info(bytes);
    }
    Err(MediaError::UnknownSound)
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn wav_info(bytes: &[u8]) -> Result<SoundInfo, MediaError> {
    let bad = |reason| MediaError::BadSound {
        format: "wav",
        reason,
    };
    let mut at = 12;
    let mut fmt = None;
    let mut fact = None;
    let mut data = None;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = le32(bytes, at + 4) as usize;
        let body = at + 8;
        match id {
            b"fmt " if body + 16 <= bytes.len() => {
                fmt = Some((
                    le16(bytes, body),
                    le32(bytes, body + 4),
                    le16(bytes, body + 12),
                ));
            }
            b"fact" if body + 4 <= bytes.len() => fact = Some(le32(bytes, body)),
            // A data chunk may claim more than the file holds; count what is there.
            b"data" => data = Some(size.min(bytes.len().saturating_sub(body))),
            _ => {}
        }
        at = body.saturating_add(size).saturating_add(size & 1);
    }
    let (format_tag, rate, block_align) = fmt.ok_or(bad("no fmt chunk"))?;
    let data = data.ok_or(bad("no data chunk"))?;
    if rate == 0 || block_align == 0 {
        return Err(bad("zero rate or block size"));
    }
    let adpcm = format_tag == 0x11;
    let sample_count = match (adpcm, fact) {
        (true, Some(samples)) => u64::from(samples),
        (true, None) => return Err(bad("ADPCM without a fact chunk")),
        (false, _) => (data / usize::from(block_align)) as u64,
    };
    Ok(SoundInfo {
        format: "wav",
        sub_format: if adpcm { "adpcm" } else { "" },
        rate,
        sample_count,
    })
}

fn mp3_info(bytes: &[u8]) -> Result<SoundInfo, MediaError> {
    let bad = |reason| MediaError::BadSound {
        format: "mp3",
        reason,
    };
    let mut at = 0;
    if bytes.starts_with(b"ID3") && bytes.len() >= 10 {
        let size = bytes[6..10]
            .iter()
            .fold(0usize, |acc, b| (acc << 7) | usize::from(b & 0x7F));
        at = 10 + size;
    }
    let mut frames = 0u64;
    let mut first: Option<(u32, u64)> = None;
    while at + 4 <= bytes.len() {
        let Some((rate, samples, len)) = mp3_frame(&bytes[at..at + 4]) else {
            if frames == 0 {
                // Skip padding before the first frame.
                at += 1;
                continue;
            }
            break;
        };
        if first.is_none() {
            first = Some((rate, samples));
        }
        frames += 1;
        at += len;
    }
    let (rate, samples) = first.ok_or(bad("no MPEG audio frame"))?;
    Ok(SoundInfo {
        format: "mp3",
        sub_format: "",
        rate,
        sample_count: frames * samples,
    })
}

/// Rate, samples per frame and byte length of an MPEG audio frame header.
fn mp3_frame(h: &[u8]) -> Option<(u32, u64, usize)> {
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
    let layer = (h[1] >> 1) & 3; // 1 = III, 2 = II, 3 = I
    let bitrate_index = usize::from(h[2] >> 4);
    let rate_index = usize::from((h[2] >> 2) & 3);
    let padding = usize::from((h[2] >> 1) & 1);
    if version == 1 || layer == 0 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 {
        return None;
    }
    const RATES: [u32; 3] = [44100, 48000, 32000];
    let rate = match version {
        3 => RATES[rate_index],
        2 => RATES[rate_index] / 2,
        _ => RATES[rate_index] / 4,
    };
    const V1_L1: [u32; 15] = [
        0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
    ];
    const V1_L2: [u32; 15] = [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
    ];
    const V1_L3: [u32; 15] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ];
    const V2_L1: [u32; 15] = [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
    ];
    const V2_L23: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    let kbps = match (version == 3, layer) {
        (true, 3) => V1_L1,
        (true, 2) => V1_L2,
        (true, _) => V1_L3,
        (false, 3) => V2_L1,
        (false, _) => V2_L23,
    }[bitrate_index];
    let bitrate = kbps as usize * 1000;
    let rate_usize = rate as usize;
    let (samples, len) = match layer {
        3 => (384, (12 * bitrate / rate_usize + padding) * 4),
        2 => (1152, 144 * bitrate / rate_usize + padding),
        _ if version == 3 => (1152, 144 * bitrate / rate_usize + padding),
        _ => (576, 72 * bitrate / rate_usize + padding),
    };
    (len >= 4).then_some((rate, samples, len))
}

/// A costume for image bytes: md5 asset id, format and rotation centre (the middle of the
/// image) read from the bytes. Returns the costume and the asset file name.
///
/// `bitmap_resolution` is recorded for bitmaps (PNG/JPEG): 1 for images drawn at stage
/// size, 2 for the double-resolution bitmaps Scratch's paint editor makes. SVGs always get 1.
///
/// ```
/// let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"/>"#;
/// let (costume, file) = scratchkit_sb3::media::costume_from_bytes("box", svg, 1)?;
/// assert_eq!(costume.data_format, "svg");
/// assert_eq!(costume.rotation_center_x.unwrap().as_f64(), Some(20.0));
/// assert_eq!(file, costume.md5ext.clone().unwrap());
/// # Ok::<(), scratchkit_sb3::media::MediaError>(())
/// ```
///
/// # Errors
///
/// As [`probe_image`].
pub fn costume_from_bytes(
    name: &str,
    bytes: &[u8],
    bitmap_resolution: u32,
) -> Result<(Costume, String), MediaError> {
    let info = probe_image(bytes)?;
    let md5 = md5_hex(bytes);
    let file = format!("{md5}.{}", info.format);
    let resolution = if info.format == "svg" {
        1
    } else {
        bitmap_resolution.max(1)
    };
    let costume = Costume {
        asset_id: md5,
        name: name.to_owned(),
        data_format: info.format.to_owned(),
        md5ext: Some(file.clone()),
        bitmap_resolution: Some(Number::from(resolution)),
        rotation_center_x: Some(number(info.width / 2.0)),
        rotation_center_y: Some(number(info.height / 2.0)),
        extra: Default::default(),
    };
    Ok((costume, file))
}

/// A sound for audio bytes: md5 asset id, format, rate and sample count read from the bytes
/// (see [`probe_sound`]). Returns the sound and the asset file name.
///
/// # Errors
///
/// As [`probe_sound`].
pub fn sound_from_bytes(name: &str, bytes: &[u8]) -> Result<(Sound, String), MediaError> {
    let info = probe_sound(bytes)?;
    let md5 = md5_hex(bytes);
    let file = format!("{md5}.{}", info.format);
    let sound = Sound {
        asset_id: md5,
        name: name.to_owned(),
        data_format: info.format.to_owned(),
        format: Some(info.sub_format.to_owned()),
        rate: Some(Number::from(info.rate)),
        sample_count: Some(Number::from(info.sample_count)),
        md5ext: Some(file.clone()),
        extra: Default::default(),
    };
    Ok((sound, file))
}

/// A JSON number: an integer when the value is whole, else a float.
pub(crate) fn number(value: f64) -> Number {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Number::from(value as i64)
    } else {
        Number::from_f64(value).unwrap_or_else(|| Number::from(0))
    }
}

/// A small WAV file of `samples` silent 16-bit mono samples at `rate` Hz (tests, examples,
/// placeholders).
///
/// ```
/// let wav = scratchkit_sb3::media::silent_wav(22050, 100);
/// let info = scratchkit_sb3::media::probe_sound(&wav)?;
/// assert_eq!((info.rate, info.sample_count), (22050, 100));
/// # Ok::<(), scratchkit_sb3::media::MediaError>(())
/// ```
pub fn silent_wav(rate: u32, samples: u32) -> Vec<u8> {
    let data_len = samples * 2;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out.resize(44 + data_len as usize, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&480u32.to_be_bytes());
        png.extend_from_slice(&360u32.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0]);
        let info = probe_image(&png).unwrap();
        assert_eq!(
            (info.format, info.width, info.height),
            ("png", 480.0, 360.0)
        );
        assert!(matches!(
            probe_image(&png[..20]),
            Err(MediaError::BadImage { format: "png", .. })
        ));
    }

    #[test]
    fn svg_sizes() {
        let a = probe_image(br#"<?xml version="1.0"?><svg version="1.1" width="95.5px" height='100' viewBox="0 0 1 1">"#).unwrap();
        assert_eq!((a.width, a.height), (95.5, 100.0));
        let b = probe_image(br#"<svg xmlns="x" viewBox="-1 -2, 30 40"></svg>"#).unwrap();
        assert_eq!((b.width, b.height), (30.0, 40.0));
        let c = probe_image(br#"<svg width="100%" height="100%" viewBox="0 0 8 9"/>"#).unwrap();
        assert_eq!((c.width, c.height), (8.0, 9.0));
        assert!(probe_image(br#"<svg xmlns="x"/>"#).is_err());
        assert_eq!(probe_image(b"hello"), Err(MediaError::UnknownImage));
    }

    #[test]
    fn jpeg_frame_header() {
        let jpg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0, 20, 0, 30, 3, 0, 0, 0,
        ];
        let info = probe_image(&jpg).unwrap();
        assert_eq!((info.format, info.width, info.height), ("jpg", 30.0, 20.0));
    }

    #[test]
    fn wav_header() {
        let wav = silent_wav(44100, 1032);
        let info = probe_sound(&wav).unwrap();
        assert_eq!(
            info,
            SoundInfo {
                format: "wav",
                sub_format: "",
                rate: 44100,
                sample_count: 1032
            }
        );
        assert!(probe_sound(&wav[..30]).is_err());
        assert_eq!(probe_sound(b"OggS"), Err(MediaError::UnknownSound));
    }

    #[test]
    fn mp3_frames_are_counted() {
        // MPEG1 layer III, 128 kbps, 44.1 kHz, no padding: 417-byte frames of 1152 samples.
        let mut mp3 = b"ID3\x03\0\0\0\0\0\x02xx".to_vec();
        for _ in 0..3 {
            let mut frame = vec![0xFF, 0xFB, 0x90, 0x00];
            frame.resize(417, 0);
            mp3.extend_from_slice(&frame);
        }
        let info = probe_sound(&mp3).unwrap();
        assert_eq!((info.rate, info.sample_count), (44100, 3 * 1152));
    }
}
