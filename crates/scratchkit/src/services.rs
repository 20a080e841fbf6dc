//! Scratch's own services beyond the website: the Translate extension's service, the Text to
//! Speech extension's service and the cloud server's health. From [`Client::services`].

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::hosts::Host;
use crate::request::RequestSpec;

/// Scratch's extension services and the cloud status, from [`Client::services`]. None needs
/// a login.
#[derive(Debug, Clone)]
pub struct ServicesHandler {
    client: Client,
}

/// A language of the translate service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Language {
    /// The code the service takes (`de`, `zh-cn`…).
    pub code: String,
    /// The language's name.
    pub name: String,
}

/// A Text to Speech voice as the Scratch editor offers them: each is one of the service's two
/// genders, played back at its own rate (the service itself knows only `male` and `female`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[non_exhaustive]
pub enum Voice {
    /// "alto": the female voice at normal speed.
    #[default]
    Alto,
    /// "tenor": the male voice at normal speed.
    Tenor,
    /// "squeak": the female voice played 1.19× faster.
    Squeak,
    /// "giant": the male voice played at 0.84×.
    Giant,
    /// "kitten": the female voice at 1.41×, every word spoken as "meow".
    Kitten,
}

impl Voice {
    /// The service's `gender` parameter for this voice.
    pub fn gender(self) -> &'static str {
        match self {
            Voice::Tenor | Voice::Giant => "male",
            Voice::Alto | Voice::Squeak | Voice::Kitten => "female",
        }
    }

    /// The playback rate the editor applies to this voice's audio.
    pub fn playback_rate(self) -> f32 {
        match self {
            Voice::Alto | Voice::Tenor => 1.0,
            Voice::Squeak => 1.19,
            Voice::Giant => 0.84,
            Voice::Kitten => 1.41,
        }
    }

    /// A voice by its editor name (`alto`, `tenor`, `squeak`, `giant`, `kitten`) or by the
    /// service's genders (`female` is alto, `male` is tenor), any case.
    ///
    /// ```
    /// use scratchkit::Voice;
    /// assert_eq!(Voice::from_name("Giant"), Some(Voice::Giant));
    /// assert_eq!(Voice::from_name("male"), Some(Voice::Tenor));
    /// assert_eq!(Voice::from_name("robot"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Voice> {
        Some(match name.to_ascii_lowercase().as_str() {
            "alto" | "female" => Voice::Alto,
            "tenor" | "male" => Voice::Tenor,
            "squeak" => Voice::Squeak,
            "giant" => Voice::Giant,
            "kitten" => Voice::Kitten,
            _ => return None,
        })
    }
}

/// Spoken text from [`ServicesHandler::speak`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Speech {
    /// The MP3 audio as served.
    pub audio: Bytes,
    /// The rate to play it at for the chosen voice (1.0 for alto and tenor).
    pub playback_rate: f32,
}

/// The cloud server's health (`clouddata.scratch.mit.edu/health`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CloudStatus {
    /// Seconds since the server started.
    #[serde(default)]
    pub uptime: Option<f64>,
    /// The 1, 5 and 15 minute load averages.
    #[serde(default)]
    pub load: Vec<f64>,
    /// The state of the server's Redis.
    #[serde(default)]
    pub redis: Option<RedisStatus>,
}

/// The Redis part of a [`CloudStatus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RedisStatus {
    /// Connected to Redis.
    #[serde(default)]
    pub connected: bool,
    /// Redis is ready.
    #[serde(default)]
    pub ready: bool,
}

#[derive(Deserialize)]
struct Translated {
    result: String,
}

#[derive(Deserialize)]
struct Supported {
    result: Vec<Language>,
}

/// The most text the services are sent (Scratch's blocks send short strings; this keeps a
/// mistaken call from sending a book in a URL).
pub const MAX_SERVICE_TEXT: usize = 2000;

fn check_text(text: &str) -> Result<()> {
    if text.chars().count() > MAX_SERVICE_TEXT {
        return Err(Error::invalid(
            "text",
            format!("longer than {MAX_SERVICE_TEXT} characters"),
        ));
    }
    Ok(())
}

impl Client {
    /// Scratch's extension services (translate, text to speech) and the cloud status.
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let client = scratchkit::Client::new();
    /// println!("{}", client.services().translate("hello", "de").await?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn services(&self) -> ServicesHandler {
        ServicesHandler {
            client: self.clone(),
        }
    }
}

impl ServicesHandler {
    /// Translates `text` into the language `code` (see [`languages`](Self::languages)).
    ///
    /// `GET https://translate-service.scratch.mit.edu/translate?language=<code>&text=<text>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// let german = client.services().translate("Good morning", "de").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an empty language code or a text over
    /// [`MAX_SERVICE_TEXT`] characters (nothing sent); [`Error::BadRequest`] for a language
    /// the service does not know; [`Error::Decode`] for an answer without `result`; any
    /// request error.
    pub async fn translate(&self, text: &str, code: &str) -> Result<String> {
        check_text(text)?;
        let code = code.trim();
        if code.is_empty() {
            return Err(Error::invalid("language", "empty language code"));
        }
        let spec = RequestSpec::get(Host::Translate, "/translate")
            .query("language", code)
            .query("text", text);
        let answer: Translated = self.client.send_json(spec).await?;
        Ok(answer.result)
    }

    /// The languages the translate service knows.
    ///
    /// `GET https://translate-service.scratch.mit.edu/supported`
    ///
    /// # Errors
    /// [`Error::Decode`] for an unexpected answer; any request error.
    pub async fn languages(&self) -> Result<Vec<Language>> {
        let spec = RequestSpec::get(Host::Translate, "/supported");
        let answer: Supported = self.client.send_json(spec).await?;
        Ok(answer.result)
    }

    /// Speaks `text` in `locale` (`en-US`, `de-DE`…) with `voice`, as MP3 audio and the rate
    /// to play it at. The kitten voice says "meow" for every word, as in the editor.
    ///
    /// `GET https://synthesis-service.scratch.mit.edu/synth?locale=<locale>&gender=<male|female>&text=<text>`
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use scratchkit::Voice;
    /// let speech = client.services().speak("Hello!", "en-US", Voice::Giant).await?;
    /// std::fs::write("hello.mp3", &speech.audio)?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an empty locale or a text over [`MAX_SERVICE_TEXT`]
    /// characters (nothing sent); [`Error::BadRequest`] for a locale the service does not
    /// know; any request error.
    pub async fn speak(&self, text: &str, locale: &str, voice: Voice) -> Result<Speech> {
        check_text(text)?;
        let locale = locale.trim();
        if locale.is_empty() {
            return Err(Error::invalid("locale", "empty locale"));
        }
        let text = if voice == Voice::Kitten {
            text.split_whitespace()
                .map(|_| "meow")
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            text.to_owned()
        };
        let spec = RequestSpec::get(Host::Synthesis, "/synth")
            .query("locale", locale)
            .query("gender", voice.gender())
            .query("text", text);
        let response = self.client.send(spec).await?;
        Ok(Speech {
            audio: response.body,
            playback_rate: voice.playback_rate(),
        })
    }

    /// The cloud server's health: uptime, load and Redis state.
    ///
    /// `GET https://clouddata.scratch.mit.edu/health`
    ///
    /// # Errors
    /// A server that is down answers with an error status or not at all: that request
    /// [`Error`]; [`Error::Decode`] for a body that is not the health JSON.
    pub async fn cloud_status(&self) -> Result<CloudStatus> {
        self.client
            .send_json(RequestSpec::get(Host::CloudData, "/health"))
            .await
    }
}
