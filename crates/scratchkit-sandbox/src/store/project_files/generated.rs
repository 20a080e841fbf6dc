//! Deterministic project files for projects that were never saved through the projects host.
//!
//! Every project of the seeded world (and every project made through `/_sandbox/projects`)
//! has a small valid Scratch 3 `project.json` generated from its id, with real assets: tiny
//! SVG costumes and short 8-bit WAV sounds, content-addressed like the live assets host.
//!
//! * ProjectDocument 142 has a stage and four sprites.
//! * ProjectDocument [`BENCH_ASSETS_PROJECT`] (the `bench` user's first project, present with
//!   `scale >= 1`) uses exactly [`BENCH_ASSET_COUNT`] distinct assets, for download benchmarks.
//! * Every other project has a stage and one sprite with two costumes and a sound.
//!
//! Nothing here touches the database: the files and their assets are computed on demand (the
//! assets once per process).

use std::collections::HashMap;
use std::sync::OnceLock;

use scratchkit_sb3::asset_name;
use serde_json::{Value, json};

/// The project that uses [`BENCH_ASSET_COUNT`] assets ("Bench project 0", scale ≥ 1).
pub(crate) const BENCH_ASSETS_PROJECT: i64 = 2_000_000_001;

/// How many distinct assets [`BENCH_ASSETS_PROJECT`] uses.
pub(crate) const BENCH_ASSET_COUNT: usize = 200;

/// Costume colours; a project's sprite takes its colours from its id.
const COLOURS: &[&str] = &[
    "#4c97ff", "#ffab19", "#ff6680", "#59c059", "#9966ff", "#5cb1d6", "#ff8c1a", "#cf63cf",
];

/// Sprites of project 142.
const SPRITES_142: &[&str] = &["Cat", "Ball", "Star", "Face"];

/// Sample rate of the generated sounds.
const RATE: u32 = 11_025;

/// Samples in one generated sound (0.05 s).
const SAMPLES: u32 = 551;

/// Sound tones (square-wave periods in samples): "pop" and "beep".
const TONES: &[(&str, u32)] = &[("pop", 25), ("beep", 12)];

fn backdrop_svg() -> Vec<u8> {
    br##"<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360" viewBox="0 0 480 360"><rect width="480" height="360" fill="#ffffff"/></svg>"##.to_vec()
}

fn costume_svg(colour: &str, label: &str) -> Vec<u8> {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><circle cx="48" cy="48" r="40" fill="{colour}" stroke="#000000" stroke-width="2"/><text x="48" y="56" text-anchor="middle" font-family="sans-serif" font-size="20">{label}</text></svg>"##
    )
    .into_bytes()
}

/// An 8-bit mono PCM WAV file: a square wave of `period` samples.
fn wav(period: u32) -> Vec<u8> {
    let data_len = SAMPLES;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&RATE.to_le_bytes()); // bytes per second
    out.extend_from_slice(&1u16.to_le_bytes()); // block align
    out.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    let half = (period / 2).max(1);
    for i in 0..SAMPLES {
        out.push(if (i / half).is_multiple_of(2) {
            0xa0
        } else {
            0x60
        });
    }
    out
}

/// One asset file with the metadata project.json records.
struct Asset {
    name: String,
    md5: String,
    ext: &'static str,
    bytes: Vec<u8>,
}

fn asset(bytes: Vec<u8>, ext: &'static str) -> Asset {
    let name = asset_name(&bytes, ext);
    let md5 = name[..32].to_owned();
    Asset {
        name,
        md5,
        ext,
        bytes,
    }
}

fn bench_costume(n: usize) -> Asset {
    asset(
        costume_svg(COLOURS[n % COLOURS.len()], &format!("{n}")),
        "svg",
    )
}

/// Every generated asset, by `<md5>.<ext>`.
fn catalogue() -> &'static HashMap<String, Vec<u8>> {
    static CATALOGUE: OnceLock<HashMap<String, Vec<u8>>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let mut all = vec![asset(backdrop_svg(), "svg")];
        for colour in COLOURS {
            for label in ["1", "2"] {
                all.push(asset(costume_svg(colour, label), "svg"));
            }
        }
        for (_, period) in TONES {
            all.push(asset(wav(*period), "wav"));
        }
        all.extend((0..BENCH_ASSET_COUNT - 2).map(bench_costume));
        all.into_iter().map(|a| (a.name, a.bytes)).collect()
    })
}

/// The bytes of a generated asset, if `name` (`<md5>.<ext>`, md5 lowercase) is one.
pub(crate) fn asset_bytes(name: &str) -> Option<&'static [u8]> {
    catalogue().get(name).map(Vec::as_slice)
}

fn costume_json(a: &Asset, name: &str, centre: (i64, i64)) -> Value {
    json!({
        "assetId": a.md5, "name": name, "bitmapResolution": 1, "md5ext": a.name,
        "dataFormat": a.ext, "rotationCenterX": centre.0, "rotationCenterY": centre.1
    })
}

fn sound_json(a: &Asset, name: &str) -> Value {
    json!({
        "assetId": a.md5, "name": name, "dataFormat": a.ext, "format": "", "rate": RATE,
        "sampleCount": SAMPLES, "md5ext": a.name
    })
}

/// "When green flag clicked: move 10 steps, start sound".
fn script(sound: &str) -> Value {
    json!({
        "flag": {"opcode": "event_whenflagclicked", "next": "move", "parent": null, "inputs": {},
                 "fields": {}, "shadow": false, "topLevel": true, "x": 0, "y": 0},
        "move": {"opcode": "motion_movesteps", "next": "play", "parent": "flag",
                 "inputs": {"STEPS": [1, [4, "10"]]}, "fields": {}, "shadow": false, "topLevel": false},
        "play": {"opcode": "sound_play", "next": null, "parent": "move",
                 "inputs": {"SOUND_MENU": [1, "menu"]}, "fields": {}, "shadow": false, "topLevel": false},
        "menu": {"opcode": "sound_sounds_menu", "next": null, "parent": "play", "inputs": {},
                 "fields": {"SOUND_MENU": [sound, null]}, "shadow": true, "topLevel": false}
    })
}

fn sprite(
    name: &str,
    layer: usize,
    costumes: Vec<Value>,
    sound: &Asset,
    sound_name: &str,
) -> Value {
    json!({
        "isStage": false, "name": name, "variables": {}, "lists": {}, "broadcasts": {},
        "blocks": script(sound_name), "comments": {}, "currentCostume": 0,
        "costumes": costumes, "sounds": [sound_json(sound, sound_name)], "volume": 100,
        "layerOrder": layer, "visible": true, "x": (layer as i64 - 1) * 60, "y": 0, "size": 100,
        "direction": 90, "draggable": false, "rotationStyle": "all around"
    })
}

fn two_costumes(colour: &str) -> Vec<Value> {
    ["1", "2"]
        .iter()
        .map(|label| {
            costume_json(
                &asset(costume_svg(colour, label), "svg"),
                &format!("costume{label}"),
                (48, 48),
            )
        })
        .collect()
}

/// The generated `project.json` of project `id` (compact JSON).
pub(crate) fn project_json(id: i64) -> Vec<u8> {
    let backdrop = asset(backdrop_svg(), "svg");
    let colour_of =
        |k: i64| COLOURS[usize::try_from(k.rem_euclid(COLOURS.len() as i64)).unwrap_or(0)];
    let (tone_name, period) = TONES[usize::try_from(id.rem_euclid(2)).unwrap_or(0)];
    let tone = asset(wav(period), "wav");
    let sprites: Vec<Value> = if id == BENCH_ASSETS_PROJECT {
        let costumes = (0..BENCH_ASSET_COUNT - 2)
            .map(|n| costume_json(&bench_costume(n), &format!("frame{n}"), (48, 48)))
            .collect();
        vec![sprite("Bench", 1, costumes, &tone, tone_name)]
    } else if id == 142 {
        SPRITES_142
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let (sound_name, period) = TONES[i % TONES.len()];
                let sound = asset(wav(period), "wav");
                sprite(
                    name,
                    i + 1,
                    two_costumes(colour_of(i as i64)),
                    &sound,
                    sound_name,
                )
            })
            .collect()
    } else {
        vec![sprite(
            "Sprite1",
            1,
            two_costumes(colour_of(id)),
            &tone,
            tone_name,
        )]
    };
    let stage = json!({
        "isStage": true, "name": "Stage",
        "variables": {"score": ["my variable", 0]}, "lists": {}, "broadcasts": {},
        "blocks": {}, "comments": {}, "currentCostume": 0,
        "costumes": [costume_json(&backdrop, "backdrop1", (240, 180))], "sounds": [],
        "volume": 100, "layerOrder": 0, "tempo": 60, "videoTransparency": 50,
        "videoState": "on", "textToSpeechLanguage": null
    });
    let mut targets = vec![stage];
    targets.extend(sprites);
    let project = json!({
        "targets": targets, "monitors": [], "extensions": [],
        "meta": {"semver": "3.0.0", "vm": "0.2.0", "agent": "scratchkit-sandbox"}
    });
    serde_json::to_vec(&project).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scratchkit_sb3::ProjectDocument;

    fn parse(id: i64) -> ProjectDocument {
        ProjectDocument::from_json(&project_json(id)).unwrap()
    }

    #[test]
    fn generated_projects_are_valid_and_their_assets_exist() {
        for id in [1, 142, 2, BENCH_ASSETS_PROJECT, 499_038_694] {
            let project = parse(id);
            assert!(project.stage().is_some());
            for name in project.asset_names() {
                let bytes = asset_bytes(&name).unwrap_or_else(|| panic!("{name} missing"));
                assert_eq!(asset_name(bytes, &name[33..]), name);
            }
        }
    }

    #[test]
    fn project_142_has_sprites_and_bench_project_200_assets() {
        assert_eq!(parse(142).sprites().count(), 4);
        assert_eq!(parse(7).sprites().count(), 1);
        assert_eq!(
            parse(BENCH_ASSETS_PROJECT).asset_names().len(),
            BENCH_ASSET_COUNT
        );
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(project_json(142), project_json(142));
        assert_ne!(project_json(3), project_json(4));
    }

    #[test]
    fn wav_is_well_formed() {
        let w = wav(25);
        assert_eq!(&w[..4], b"RIFF");
        assert_eq!(&w[8..12], b"WAVE");
        assert_eq!(w.len(), 44 + SAMPLES as usize);
        assert_eq!(
            u32::from_le_bytes([w[4], w[5], w[6], w[7]]) as usize,
            w.len() - 8
        );
    }
}
