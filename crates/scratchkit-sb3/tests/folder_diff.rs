//! Project folders (unpack/pack) round-trip exactly; diffs describe changes in words.

use std::fs;
use std::path::Path;

use scratchkit_sb3::diff::{Change, diff};
use scratchkit_sb3::folder::{pack, unpack};
use scratchkit_sb3::media::silent_wav;
use scratchkit_sb3::{Error, Op, Procedure, ProjectBuilder, ProjectDocument, Sb3, Script};

const DOT: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"/>"#;

fn game() -> Sb3 {
    let mut b = ProjectBuilder::new();
    b.stage().variable("score", 0).unwrap();
    let mut cat = b.add_sprite("Cat").unwrap();
    cat.costume("cat", DOT)
        .unwrap()
        .sound("meow", &silent_wav(8000, 80))
        .unwrap();
    cat.script(Script::new([Op::when_flag_clicked(), Op::say("hi")]))
        .unwrap();
    cat.procedure(Procedure::new("jump %s", ["h"]).body([Op::change_y_by(Op::argument("h"))]))
        .unwrap();
    b.finish()
}

#[test]
fn unpack_then_pack_is_exact_for_real_projects() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/real");
    let mut files: Vec<_> = fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("projects_json_sb3_")
        })
        .collect();
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rich_project.json"));
    for path in files {
        let project = ProjectDocument::from_json(&fs::read(&path).unwrap()).unwrap();
        // Real fixtures come without assets: pack needs them, so give each a stand-in.
        let mut sb3 = Sb3::new(project);
        let names: Vec<String> = sb3.project.asset_names().into_iter().collect();
        for name in names {
            let ext = name.split('.').nth(1).unwrap().to_owned();
            let bytes = format!("stand-in for {name}").into_bytes();
            let new_name = sb3.add_asset(bytes, &ext);
            for t in &mut sb3.project.targets {
                for c in &mut t.costumes {
                    if c.file_name() == name {
                        c.md5ext = Some(new_name.clone());
                        c.asset_id = new_name[..32].to_owned();
                    }
                }
                for s in &mut t.sounds {
                    if s.file_name() == name {
                        s.md5ext = Some(new_name.clone());
                        s.asset_id = new_name[..32].to_owned();
                    }
                }
            }
        }
        let folder = dir.path().join(path.file_stem().unwrap());
        unpack(&sb3, &folder).unwrap();
        let text = fs::read_to_string(folder.join("project.json")).unwrap();
        assert!(text.contains("\n  \"targets\": ["), "pretty-printed");
        let back = pack(&folder).unwrap();
        assert_eq!(
            back.project.to_json().unwrap(),
            sb3.project.to_json().unwrap(),
            "{path:?}"
        );
        assert_eq!(back.assets, sb3.assets);
    }
}

#[test]
fn pack_refuses_edited_and_missing_assets() {
    let dir = tempfile::tempdir().unwrap();
    let sb3 = game();
    let report = unpack(&sb3, dir.path()).unwrap();
    assert_eq!(report.assets, 3);
    let assets = dir.path().join("assets");
    let svg = fs::read_dir(&assets)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| fs::read(p).unwrap() == DOT)
        .unwrap();
    fs::write(&svg, b"<svg width='1' height='1'/>").unwrap();
    assert!(matches!(
        pack(dir.path()),
        Err(Error::AssetHashMismatch { .. })
    ));
    fs::remove_file(&svg).unwrap();
    assert!(matches!(pack(dir.path()), Err(Error::MissingAssets { .. })));
    fs::write(assets.join("notes.txt"), b"x").unwrap();
    // Unpacking again restores the asset and removes nothing it does not own.
    let report = unpack(&sb3, dir.path()).unwrap();
    assert!(report.removed.is_empty());
    assert!(matches!(
        pack(dir.path()),
        Err(Error::InvalidAssetName { .. })
    ));
    fs::remove_file(assets.join("notes.txt")).unwrap();
    assert_eq!(pack(dir.path()).unwrap().project, sb3.project);
    // A stale asset from an earlier version is removed on unpack.
    let mut changed = sb3.clone();
    changed
        .replace_costume("Cat", "cat", br#"<svg xmlns="x" width="4" height="4"/>"#)
        .unwrap();
    let report = unpack(&changed, dir.path()).unwrap();
    assert_eq!(report.removed.len(), 1);
    assert_eq!(pack(dir.path()).unwrap().assets, changed.assets);
}

#[test]
fn diff_in_words() {
    let before = game();
    assert!(diff(&before, &before).is_empty());
    let mut b = ProjectBuilder::edit(before.clone());
    b.stage().list("scores", [1, 2]).unwrap();
    b.add_sprite("Dog").unwrap().costume("dog", DOT).unwrap();
    b.target("Cat")
        .unwrap()
        .position(10.0, -5.0)
        .script(Script::new([
            Op::when_broadcast_received("go"),
            Op::pen_down(),
        ]))
        .unwrap();
    let mut after = b.finish();
    after
        .project
        .rename_variable(None, "score", "points")
        .unwrap();
    after
        .replace_sound("Cat", "meow", &silent_wav(8000, 99))
        .unwrap();
    let cat = after.project.sprite_mut("Cat").unwrap();
    let flag = cat.scripts_starting_with("event_whenflagclicked")[0]
        .top
        .clone();
    cat.delete_script(&flag);
    let words: Vec<String> = diff(&before, &after)
        .iter()
        .map(ToString::to_string)
        .collect();
    let expected = [
        "Stage: renamed \"score\" to \"points\"",
        "Stage: added list \"scores\"",
        "Cat: sound \"meow\" has a new file",
        "Cat: x 0 → 10",
        "Cat: y 0 → -5",
        "Cat: removed script \"when green flag clicked\" (2 blocks)",
        "Cat: added script \"when I receive [go]\" (2 blocks)",
        "added sprite \"Dog\"",
        "added broadcast \"go\"",
        "added extension pen",
    ];
    for needle in expected {
        assert!(
            words.iter().any(|w| w.contains(needle)),
            "{needle:?} not in {words:#?}"
        );
    }
    assert_eq!(words.len(), expected.len(), "{words:#?}");
    // Changing a block inside a script (same ids) is a changed script.
    let mut edited = before.clone();
    let cat = edited.project.sprite_mut("Cat").unwrap();
    for entry in cat.blocks.values_mut() {
        if let scratchkit_sb3::BlockEntry::Block(block) = entry
            && block.opcode == "looks_say"
        {
            block.opcode = "looks_think".into();
        }
    }
    let changes = diff(&before, &edited);
    assert!(
        matches!(
            &changes[..],
            [Change::ScriptChanged {
                before: 2,
                after: 2,
                ..
            }]
        ),
        "{changes:?}"
    );
}
