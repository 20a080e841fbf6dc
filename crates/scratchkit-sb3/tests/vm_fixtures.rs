//! Every real Scratch 3 project file in the fixtures (and the .sb3 files of scratch-parser's
//! own tests, once the harness is installed) validates without errors and loads in
//! scratch-vm, which sees the same variables and lists we read; our reader/writer saves each
//! back unchanged, and the VM's own save of it reads back through our model unchanged too.

use std::fs;
use std::path::{Path, PathBuf};

use scratchkit_sb3::vm::harness_or_skip;
use scratchkit_sb3::{ProjectDocument, Sb3, validate_project};
use serde_json::Value;

fn project_files() -> Vec<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![manifest.join("../../fixtures/real")];
    let shared = Path::new("/work/shared/fixtures/real");
    if shared.is_dir() {
        dirs.push(shared.to_owned());
    }
    let mut out: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            (name.starts_with("projects_json_sb3_") && name.ends_with(".json"))
                || name.ends_with(".sb3")
        })
        .collect();
    out.push(manifest.join("tests/data/rich_project.json"));
    // Real .sb3 files from Scratch's own parser tests, present once the harness is installed.
    let parser_data = manifest.join("vm-harness/node_modules/scratch-parser/test/fixtures/data");
    if let Ok(entries) = fs::read_dir(parser_data) {
        out.extend(
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "sb3")),
        );
    }
    // The shared folder mirrors the repository's: run each distinct file once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(fs::read(p).unwrap()));
    out
}

/// decode → encode gives the same JSON value, and encoding is stable.
fn assert_round_trip(what: &str, bytes: &[u8]) -> ProjectDocument {
    let project = ProjectDocument::from_json(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    let encoded = project.to_json().unwrap();
    let original: Value = serde_json::from_slice(bytes).unwrap();
    let again: Value = serde_json::from_slice(&encoded).unwrap();
    assert_eq!(again, original, "{what}: our writer changed it");
    assert_eq!(
        ProjectDocument::from_json(&encoded)
            .unwrap()
            .to_json()
            .unwrap(),
        encoded
    );
    project
}

#[test]
fn real_projects_load_in_scratch_vm_and_save_back_unchanged() {
    let files = project_files();
    assert!(files.len() >= 4, "{files:?}");
    let harness = harness_or_skip("real_projects_load_in_scratch_vm_and_save_back_unchanged");
    for path in files {
        let what = path.display().to_string();
        let bytes = fs::read(&path).unwrap();
        let (project, bytes) = if bytes.starts_with(b"PK") {
            let sb3 = Sb3::from_bytes(&bytes).unwrap();
            let again = Sb3::from_bytes(&sb3.to_bytes().unwrap()).unwrap();
            assert_eq!(again.project, sb3.project, "{what}");
            assert_eq!(again.assets, sb3.assets, "{what}");
            (sb3.project, bytes)
        } else {
            (assert_round_trip(&what, &bytes), bytes)
        };
        let errors: Vec<_> = validate_project(&project)
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(
            errors.is_empty(),
            "{what}: real files validate: {errors:#?}"
        );
        let Some(harness) = &harness else { continue };
        let run = harness
            .run(&bytes, 0, true)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        // The VM sees the targets, variables and lists we read.
        assert_eq!(run.targets.len(), project.targets.len(), "{what}");
        for target in &project.targets {
            let seen = run
                .target(&target.name)
                .unwrap_or_else(|| panic!("{what}: {}", target.name));
            for var in target.variables.values() {
                // scratch-parser deletes backspace characters from the JSON while loading.
                let vm_name = var.name.replace('\u{8}', "");
                let vm_value = seen.variables.get(&vm_name).unwrap_or_else(|| {
                    panic!(
                        "{what}: {}.{} is not in the VM: {seen:?}",
                        target.name, var.name
                    )
                });
                assert!(
                    loosely_equal(vm_value, &var.value),
                    "{what}: {}.{} is {vm_value} in the VM, {} in the file",
                    target.name,
                    var.name,
                    var.value
                );
            }
            for list in target.lists.values() {
                let vm_name = list.name.replace('\u{8}', "");
                assert_eq!(
                    seen.lists[&vm_name].len(),
                    list.items.len(),
                    "{what}: {}",
                    list.name
                );
            }
        }
        // What the VM saves reads through our model unchanged.
        let saved = run.saved.expect("asked the harness to save");
        let saved_bytes = serde_json::to_vec(&saved).unwrap();
        let reread = assert_round_trip(&format!("{what} (saved by scratch-vm)"), &saved_bytes);
        assert_eq!(reread.targets.len(), project.targets.len(), "{what}");
        assert_eq!(
            reread.block_count(),
            project.block_count(),
            "{what}: blocks lost by the VM"
        );
    }
}

/// Scratch keeps numbers and numeric strings interchangeably in variables.
fn loosely_equal(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let strip = |v: &Value| match v {
        Value::String(s) => Value::String(s.replace('\u{8}', "")),
        other => other.clone(),
    };
    strip(a) == strip(b) || matches!((num(a), num(b)), (Some(x), Some(y)) if x == y)
}
