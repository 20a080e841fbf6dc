//! Every real project JSON in `fixtures/real` is recognised; Scratch 3 ones round-trip
//! losslessly through the typed model.

use std::fs;
use std::path::PathBuf;

use scratchkit_sb3::{BlockEntry, Error, ProjectDocument, ProjectFile};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/real"))
}

fn files(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with(prefix) && name.ends_with(".json")
        })
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            (name, fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn read(name: &str) -> Vec<u8> {
    fs::read(fixtures().join(name)).unwrap()
}

/// decode → encode → decode, compared with the original as JSON values.
fn assert_round_trip(name: &str, bytes: &[u8]) -> ProjectDocument {
    let original: Value = serde_json::from_slice(bytes).unwrap();
    let project = ProjectDocument::from_json(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let encoded = project.to_json().unwrap();
    let reencoded: Value = serde_json::from_slice(&encoded).unwrap();
    assert_eq!(reencoded, original, "{name}: encode changed the JSON");
    let again = ProjectDocument::from_json(&encoded).unwrap();
    assert_eq!(again, project, "{name}: second decode differs");
    // Byte-for-byte stability of our own output.
    assert_eq!(
        again.to_json().unwrap(),
        encoded,
        "{name}: output not stable"
    );
    project
}

#[test]
fn every_real_sb3_project_round_trips() {
    let all = files("projects_json_sb3_");
    assert_eq!(all.len(), 3, "expected the three real Scratch 3 files");
    for (name, bytes) in &all {
        let project = assert_round_trip(name, bytes);
        assert!(matches!(
            ProjectFile::parse(bytes).unwrap(),
            ProjectFile::Sb3(_)
        ));
        assert!(project.stage().is_some(), "{name}: no stage");
        assert_eq!(project.meta.semver.as_deref(), Some("3.0.0"), "{name}");
    }
}

#[test]
fn hand_written_rich_project_round_trips() {
    let bytes = fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/rich_project.json"
    ))
    .unwrap();
    let project = assert_round_trip("rich_project.json", &bytes);

    let stage = project.stage().unwrap();
    let cloud: Vec<_> = stage.cloud_variables().collect();
    assert_eq!(cloud.len(), 1);
    assert_eq!(cloud[0].0, "v1");
    assert_eq!(cloud[0].1.name, "☁ high score");
    assert_eq!(cloud[0].1.value, Value::from("1200"));
    assert_eq!(stage.text_to_speech_language, Some(Some("en".to_owned())));
    assert_eq!(stage.extra["targetPaneOrder"], Value::from(0));
    assert_eq!(stage.broadcasts["b2"], "game over");
    assert_eq!(stage.lists["l1"].items.len(), 4);
    // Two loose reporters, both primitives.
    assert_eq!(stage.block_count(), 2);
    assert!(matches!(stage.blocks["loose"], BlockEntry::Primitive(_)));

    let cat = project.sprite("Cat").unwrap();
    assert_eq!(cat.cloud_variables().count(), 0);
    // 7 entries, 2 of them shadows (prototype and argument reporter).
    assert_eq!(cat.blocks.len(), 7);
    assert_eq!(cat.block_count(), 5);
    let heads: Vec<&str> = cat.top_level_blocks().map(|(id, _)| id).collect();
    assert_eq!(heads, ["hat", "def", "pen"]);
    let proto = cat.blocks["proto"].as_block().unwrap();
    let mutation = proto.mutation.as_ref().unwrap();
    assert_eq!(mutation.argument_names().unwrap(), ["height"]);
    assert!(mutation.is_warp());
    assert_eq!(cat.comments["c1"].x, Some(None));
    assert_eq!(cat.rotation_style.as_deref(), Some("left-right"));
    assert_eq!(project.block_count(), 7);
    assert_eq!(project.extensions, ["pen", "music"]);
    assert_eq!(project.meta.extra["origin"], "scratchkit tests");
    assert!(project.extra.contains_key("futureTopLevel"));

    // Map order is kept.
    let ids: Vec<&str> = cat.blocks.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        ["hat", "call", "stop", "def", "proto", "argrep", "pen"]
    );

    // Assets: costume without md5ext falls back to assetId.dataFormat; pop and backdrop once.
    let assets: Vec<_> = project.assets().collect();
    assert_eq!(assets.len(), 5);
    assert_eq!(assets[2].md5ext, "e6ddc55a6ddd9cc9d84fe0b4c21e016f.png");
    assert_eq!(assets[2].target, "Cat");
    assert_eq!(project.asset_names().len(), 5);
}

#[test]
fn control_chars_file_keeps_its_backspaces() {
    let bytes = read("projects_json_sb3_control_chars_217845144.json");
    let project = ProjectDocument::from_json(&bytes).unwrap();
    let stage = project.stage().unwrap();
    let (id, var) = stage.variables.iter().next().unwrap();
    assert!(id.contains('\u{8}'));
    assert_eq!(var.name, "\u{8}b-damage");
    assert_eq!(var.value, serde_json::json!(47.600000000000406));
    assert!(!var.is_cloud());
    let sprite = project.sprites().next().unwrap();
    assert_eq!(sprite.name, "Sprite1");
    assert_eq!(sprite.block_count(), 5);
    assert_eq!(sprite.top_level_blocks().count(), 1);
    let encoded = String::from_utf8(project.to_json().unwrap()).unwrap();
    assert!(
        encoded.contains(r"\bb-damage"),
        "control char must be escaped as \\b"
    );
}

#[test]
fn minimal_file_facts() {
    let project = ProjectDocument::from_json(&read("projects_json_sb3_minimal.json")).unwrap();
    assert_eq!(project.targets.len(), 2);
    assert_eq!(project.sprites().count(), 1);
    assert_eq!(project.sprites().next().unwrap().name, "project1-sprite");
    let stage = project.stage().unwrap();
    assert_eq!(stage.text_to_speech_language, Some(None));
    assert_eq!(stage.video_state.as_deref(), Some("on"));
    let names = project.asset_names();
    assert!(names.contains("83c36d806dc92327b9e7049a565c6bff.wav"));
    assert_eq!(project.assets().count(), 5);
    assert_eq!(names.len(), 5);
}

#[test]
fn monitors_file_facts() {
    let project = ProjectDocument::from_json(&read("projects_json_sb3_monitors.json")).unwrap();
    assert_eq!(project.monitors.len(), 2);
    let m = &project.monitors[1];
    assert_eq!(m.opcode, "translate_getViewerLanguage");
    assert_eq!(m.value, Value::from("English"));
    assert_eq!(m.sprite_name, None);
    assert_eq!(m.is_discrete, Some(true));
    assert_eq!(project.meta.vm.as_deref(), Some("1.2.54"));
}

#[test]
fn real_sb2_files_are_detected_and_summarised() {
    let all = files("projects_json_sb2_");
    assert_eq!(all.len(), 2);
    for (name, bytes) in &all {
        let file = ProjectFile::parse(bytes).unwrap();
        assert!(file.is_sb2(), "{name}");
        assert!(
            matches!(
                ProjectDocument::from_json(bytes),
                Err(Error::Scratch2Unsupported)
            ),
            "{name}"
        );
        assert!(matches!(file.into_sb3(), Err(Error::Scratch2Unsupported)));
    }

    let ProjectFile::Sb2(small) =
        ProjectFile::parse(&read("projects_json_sb2_92887076.json")).unwrap()
    else {
        panic!("not sb2")
    };
    assert_eq!(small.obj_name, "Stage");
    assert_eq!(small.children, 0);
    assert!(small.sprite_names.is_empty());
    assert_eq!(small.costume_count, 1);
    assert_eq!(small.sound_count, 1);
    assert_eq!(small.project_id().as_deref(), Some("92887076"));
    assert_eq!(small.swf_version(), Some("v442"));
    assert_eq!(small.has_cloud_data(), Some(false));
    assert_eq!(small.sprite_count(), Some(0));
    assert_eq!(small.script_count(), Some(1));
    assert!(small.user_agent().unwrap().starts_with("Mozilla/5.0"));
}

#[test]
fn sb2_with_sprites_counts_them() {
    let bytes = read("projects_json_sb2_165661752.json");
    let raw: Value = serde_json::from_slice(&bytes).unwrap();
    let ProjectFile::Sb2(summary) = ProjectFile::parse(&bytes).unwrap() else {
        panic!("not sb2")
    };
    // Compute the expected facts independently from the raw JSON.
    let children = raw["children"].as_array().unwrap();
    let sprites: Vec<&Value> = children
        .iter()
        .filter(|c| c.get("objName").is_some())
        .collect();
    assert!(!sprites.is_empty());
    assert_eq!(summary.children, children.len());
    assert_eq!(summary.sprite_names.len(), sprites.len());
    assert_eq!(summary.sprite_names[0], "Balloon1");
    let costumes = raw["costumes"].as_array().unwrap().len()
        + sprites
            .iter()
            .map(|s| s["costumes"].as_array().map_or(0, Vec::len))
            .sum::<usize>();
    assert_eq!(summary.costume_count, costumes);
    assert!(summary.sound_count >= 1);
}

#[test]
fn other_inputs_give_typed_errors() {
    assert!(matches!(
        ProjectFile::parse(b"PK\x03\x04rest"),
        Err(Error::IsArchive)
    ));
    assert!(matches!(
        ProjectFile::parse(b"ScratchV02\x00\x00"),
        Err(Error::Scratch1Unsupported)
    ));
    assert!(matches!(
        ProjectFile::parse(b"[1,2]"),
        Err(Error::UnknownFormat)
    ));
    assert!(matches!(
        ProjectFile::parse(b"{\"a\":1}"),
        Err(Error::UnknownFormat)
    ));
    assert!(matches!(
        ProjectFile::parse(b"{\"targets\":"),
        Err(Error::Json { .. })
    ));
    // A Scratch 3 document of the wrong shape says where.
    let err = ProjectFile::parse(br#"{"targets":[{"isStage":true,"name":5}]}"#).unwrap_err();
    match err {
        Error::Json { path, .. } => assert_eq!(path, "targets[0].name"),
        other => panic!("unexpected {other:?}"),
    }
    // Deep nesting is refused by the JSON parser's depth limit, without overflowing the stack.
    let deep = format!(
        r#"{{"targets":[{{"isStage":true,"name":"S","variables":{{"v":["v",{}{}]}}}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(matches!(
        ProjectFile::parse(deep.as_bytes()),
        Err(Error::Json { .. })
    ));
    // A UTF-8 BOM is accepted.
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(&read("projects_json_sb3_minimal.json"));
    assert!(matches!(
        ProjectFile::parse(&with_bom),
        Ok(ProjectFile::Sb3(_))
    ));
}
