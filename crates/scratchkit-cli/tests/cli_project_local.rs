//! `scratch project unpack | pack | validate | diff`, driven as a user would, on a project
//! downloaded from a sandbox and on hand-broken copies.

use std::path::Path;
use std::process::{Command, Output};

use scratchkit_sb3::Sb3;
use serde_json::Value;

fn scratch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scratch"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SCRATCH_SANDBOX")
        .output()
        .expect("the scratch binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = scratch(args);
    assert!(
        out.status.success(),
        "scratch {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn unpack_pack_validate_diff() {
    let dir = tempfile::tempdir().unwrap();
    let game = dir.path().join("game.sb3");
    ok(&["--sandbox", "project", "download", "142", "-o", path(&game)]);

    // unpack with the default folder name, then pack back: the same bytes.
    let said = ok(&["project", "unpack", path(&game)]);
    let folder = dir.path().join("game");
    assert!(said.contains("into") && said.contains("assets"), "{said}");
    let json = std::fs::read_to_string(folder.join("project.json")).unwrap();
    assert!(
        json.starts_with("{\n  \"targets\": ["),
        "pretty: {json:.40}"
    );
    let again = dir.path().join("again.sb3");
    let said = ok(&[
        "project",
        "pack",
        &format!("{}/", path(&folder)),
        path(&again),
    ]);
    assert!(!said.contains("//"), "{said}");
    // The same project.json byte for byte, the same assets. (The downloaded archive's entry
    // order follows the order assets arrived in, so the archives themselves may differ.)
    let read = |p: &Path| Sb3::from_bytes(&std::fs::read(p).unwrap()).unwrap();
    let (downloaded, packed) = (read(&game), read(&again));
    assert!(downloaded.project.to_json().unwrap() == packed.project.to_json().unwrap());
    assert!(downloaded.assets == packed.assets);
    // Our own archives are reproducible: pack again, same bytes.
    let third = dir.path().join("third.sb3");
    ok(&["project", "pack", path(&folder), path(&third)]);
    assert!(std::fs::read(&again).unwrap() == std::fs::read(&third).unwrap());

    assert!(ok(&["project", "validate", path(&game)]).contains("no problems found"));
    assert_eq!(
        ok(&["project", "diff", path(&game), path(&folder)]).trim(),
        "No changes."
    );

    // Edit the folder like a person with a text editor: rename a variable, move a sprite,
    // break a script.
    let mut doc: Value = serde_json::from_str(&json).unwrap();
    let stage = &mut doc["targets"][0];
    let (var_id, _) = stage["variables"]
        .as_object()
        .unwrap()
        .iter()
        .next()
        .unwrap();
    let var_id = var_id.clone();
    stage["variables"][&var_id][0] = "renamed".into();
    let sprite = &mut doc["targets"][1];
    let name = sprite["name"].as_str().unwrap().to_owned();
    sprite["x"] = 123.into();
    let blocks = sprite["blocks"].as_object_mut().unwrap();
    let (victim, _) = blocks
        .iter()
        .find(|(_, b)| b["parent"].is_string() && b["shadow"] == false)
        .unwrap();
    let victim = victim.clone();
    blocks.remove(&victim);
    std::fs::write(
        folder.join("project.json"),
        serde_json::to_string_pretty(&doc).unwrap(),
    )
    .unwrap();

    let diff = ok(&["project", "diff", path(&game), path(&folder)]);
    assert!(
        diff.contains("Stage: renamed \"my variable\" to \"renamed\""),
        "{diff}"
    );
    assert!(diff.contains(&format!("{name}: x 0 → 123")), "{diff}");
    assert!(diff.contains(&format!("{name}: changed script")), "{diff}");
    let json_diff: Value = serde_json::from_str(&ok(&[
        "--json",
        "project",
        "diff",
        path(&game),
        path(&folder),
    ]))
    .unwrap();
    assert_eq!(json_diff["changes"].as_array().unwrap().len(), 3);

    let out = scratch(&["project", "validate", path(&folder)]);
    assert_eq!(out.status.code(), Some(1), "errors exit 1");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("error: \"{name}\", block")) && text.contains(&victim),
        "names the sprite and the missing block: {text}"
    );
    let out = scratch(&["--json", "project", "validate", path(&folder)]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["errors"].as_u64().unwrap() >= 1);
    assert_eq!(report["findings"][0]["target"], name.as_str());

    // pack refuses an asset edited in place, with the file named.
    let assets = folder.join("assets");
    let asset = std::fs::read_dir(&assets)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&asset, b"edited").unwrap();
    let out = scratch(&["project", "pack", path(&folder), path(&again)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("md5"), "{err}");
}
