//! The extensions' services, under `/ext/translate` and `/ext/synthesis`
//! (`translate-service.scratch.mit.edu`, `synthesis-service.scratch.mit.edu`):
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/ext/translate/translate?language=<code>&text=<text>` | `{"result":str}`; an unknown language is a 400 `{"error":…}` |
//! | GET | `/ext/translate/supported` | `{"result":[{"code","name"}…]}` |
//! | GET | `/ext/synthesis/synth?locale=<loc>&gender=male\|female&text=<text>` | `audio/mpeg` bytes; an unknown locale or gender is a 400 |
//!
//! The sandbox does not translate or speak: a few phrases have fixed translations, anything
//! else comes back as `[<code>] <text>`; speech is silent MP3 frames, longer for longer text.
//! Both are deterministic, so tests can compare answers.

use axum::Json;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::routes::reply::Params;
use crate::state::Shared;

/// The languages the sandbox's translate service knows (code, name in English).
pub(crate) const LANGUAGES: [(&str, &str); 12] = [
    ("de", "German"),
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ru", "Russian"),
    ("zh-cn", "Chinese (Simplified)"),
];

/// Fixed translations of "hello" (lower case); other texts are only tagged.
const HELLO: [(&str, &str); 8] = [
    ("de", "Hallo"),
    ("en", "Hello"),
    ("es", "Hola"),
    ("fr", "Bonjour"),
    ("it", "Ciao"),
    ("ja", "こんにちは"),
    ("nl", "Hallo"),
    ("pt", "Olá"),
];

/// The locales the sandbox's speech service accepts.
pub(crate) const TTS_LOCALES: [&str; 10] = [
    "de-DE", "en-GB", "en-US", "es-ES", "fr-FR", "it-IT", "ja-JP", "ko-KR", "nl-NL", "pt-BR",
];

pub(crate) fn translate_router() -> Router<Shared> {
    Router::new()
        .route("/translate", get(translate))
        .route("/supported", get(supported))
}

pub(crate) fn synthesis_router() -> Router<Shared> {
    Router::new().route("/synth", get(synth))
}

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

async fn translate(params: Params) -> Response {
    let code = params.get("language").unwrap_or("").trim().to_lowercase();
    let text = params.get("text").unwrap_or("");
    if !LANGUAGES.iter().any(|(c, _)| *c == code) {
        return bad_request("unsupported language");
    }
    let result = match HELLO.iter().find(|(c, _)| *c == code) {
        Some((_, hello)) if text.trim().eq_ignore_ascii_case("hello") => (*hello).to_owned(),
        _ => format!("[{code}] {text}"),
    };
    Json(json!({ "result": result })).into_response()
}

async fn supported() -> Response {
    let list: Vec<_> = LANGUAGES
        .iter()
        .map(|(code, name)| json!({"code": code, "name": name}))
        .collect();
    Json(json!({ "result": list })).into_response()
}

/// One silent MPEG-1 Layer III frame: 128 kbit/s, 44.1 kHz, mono, no CRC (417 bytes; all
/// side information zero, so it decodes to silence).
fn silent_frame() -> [u8; 417] {
    let mut frame = [0u8; 417];
    frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0xC0]);
    frame
}

async fn synth(params: Params) -> Response {
    let locale = params.get("locale").unwrap_or("");
    let gender = params.get("gender").unwrap_or("");
    let text = params.get("text").unwrap_or("");
    if !TTS_LOCALES.iter().any(|l| l.eq_ignore_ascii_case(locale)) {
        return bad_request("unsupported locale");
    }
    if gender != "male" && gender != "female" {
        return bad_request("gender must be male or female");
    }
    // About a quarter of a second of silence per word (10 frames of 26 ms), at least one frame.
    let words = text.split_whitespace().count();
    let frames = (words * 10).clamp(1, 4000);
    let frame = silent_frame();
    let mut audio = Vec::with_capacity(frames * frame.len());
    for _ in 0..frames {
        audio.extend_from_slice(&frame);
    }
    ([(header::CONTENT_TYPE, "audio/mpeg")], audio).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_silent_frame_has_an_mpeg1_layer3_header() {
        let f = silent_frame();
        assert_eq!(f.len(), 144 * 128_000 / 44_100);
        assert_eq!(f[0], 0xFF);
        assert_eq!(f[1] & 0xE0, 0xE0, "frame sync");
        assert_eq!((f[1] >> 3) & 0b11, 0b11, "MPEG-1");
        assert_eq!((f[1] >> 1) & 0b11, 0b01, "layer III");
    }
}
