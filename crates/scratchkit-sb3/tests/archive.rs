//! .sb3 archives: write → read, hash checks, limits, bad input.

use std::io::{Cursor, Write};

use scratchkit_sb3::{Error, Limits, ProjectDocument, ReadOptions, Sb3, asset_name, md5_hex};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/real/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The real minimal project with its assets replaced by small generated files.
fn sample() -> Sb3 {
    let project = ProjectDocument::from_json(&fixture("projects_json_sb3_minimal.json")).unwrap();
    let mut sb3 = Sb3::new(project);
    let mut costumes = Vec::new();
    let mut sounds = Vec::new();
    for target in &sb3.project.targets {
        for c in &target.costumes {
            costumes.push(format!("<svg id='{}-{}'/>", target.name, c.name).into_bytes());
        }
        for s in &target.sounds {
            sounds.push(format!("RIFF {} {}", target.name, s.name).into_bytes());
        }
    }
    for data in &costumes {
        sb3.add_asset(data.clone(), "svg");
    }
    for data in &sounds {
        sb3.add_asset(data.clone(), "wav");
    }
    let (mut ci, mut si) = (0, 0);
    for target in &mut sb3.project.targets {
        for c in &mut target.costumes {
            let md5 = md5_hex(&costumes[ci]);
            ci += 1;
            c.md5ext = Some(format!("{md5}.svg"));
            c.asset_id = md5;
        }
        for s in &mut target.sounds {
            let md5 = md5_hex(&sounds[si]);
            si += 1;
            s.md5ext = Some(format!("{md5}.wav"));
            s.asset_id = md5;
        }
    }
    sb3
}

/// A zip of the given (name, bytes) entries.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn write_then_read_round_trips() {
    let sb3 = sample();
    assert!(sb3.missing_assets().is_empty());
    assert!(sb3.unused_assets().is_empty());
    assert_eq!(sb3.assets.len(), 5);
    let bytes = sb3.to_bytes().unwrap();
    let back = Sb3::from_bytes(&bytes).unwrap();
    assert_eq!(back, sb3);
    // Deterministic output.
    assert_eq!(sb3.to_bytes().unwrap(), bytes);
    // The archive holds exactly project.json and the md5-named assets.
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = sb3.assets.keys().cloned().collect();
    expected.push("project.json".to_owned());
    expected.sort();
    assert_eq!(names, expected);
    let mut json = Vec::new();
    std::io::copy(&mut archive.by_name("project.json").unwrap(), &mut json).unwrap();
    assert_eq!(ProjectDocument::from_json(&json).unwrap(), sb3.project);
    // Debug shows sizes, not bytes.
    let debug = format!("{sb3:?}");
    assert!(debug.contains(&format!("{}\": {}", names[0], sb3.assets[&names[0]].len())));
}

#[test]
fn md5_mismatch_is_detected() {
    let json = br#"{"targets":[{"isStage":true,"name":"Stage","costumes":[{"assetId":"d41d8cd98f00b204e9800998ecf8427e","name":"b","md5ext":"d41d8cd98f00b204e9800998ecf8427e.svg","dataFormat":"svg"}]}],"meta":{}}"#;
    let bytes = zip_of(&[
        ("project.json", json),
        ("d41d8cd98f00b204e9800998ecf8427e.svg", b"not empty"),
    ]);
    match Sb3::from_bytes(&bytes) {
        Err(Error::AssetHashMismatch { name, actual }) => {
            assert_eq!(name, "d41d8cd98f00b204e9800998ecf8427e.svg");
            assert_eq!(actual, md5_hex(b"not empty"));
        }
        other => panic!("expected a hash mismatch, got {other:?}"),
    }
    // Turning verification off accepts it.
    let options = ReadOptions {
        verify_hashes: false,
        ..ReadOptions::default()
    };
    let sb3 = Sb3::read_with(Cursor::new(&bytes), &options).unwrap();
    assert_eq!(
        sb3.assets["d41d8cd98f00b204e9800998ecf8427e.svg"],
        b"not empty"
    );
}

#[test]
fn uppercase_and_nested_names_are_accepted() {
    let json = br#"{"targets":[{"isStage":true,"name":"Stage","costumes":[{"assetId":"d41d8cd98f00b204e9800998ecf8427e","name":"b","md5ext":"d41d8cd98f00b204e9800998ecf8427e.svg","dataFormat":"svg"}]}],"meta":{}}"#;
    let bytes = zip_of(&[
        ("__MACOSX/project.json", b"garbage"),
        ("My ProjectDocument/project.json", json),
        (
            "My ProjectDocument/D41D8CD98F00B204E9800998ECF8427E.svg",
            b"",
        ),
        ("My ProjectDocument/readme.txt", b"ignored"),
        ("other.txt", b"ignored"),
    ]);
    let sb3 = Sb3::from_bytes(&bytes).unwrap();
    assert_eq!(
        sb3.assets.keys().collect::<Vec<_>>(),
        ["d41d8cd98f00b204e9800998ecf8427e.svg"]
    );
    assert_eq!(sb3.project.targets[0].name, "Stage");
}

#[test]
fn missing_assets_are_an_error_unless_allowed() {
    let mut sb3 = sample();
    let removed = sb3.assets.keys().next().unwrap().clone();
    sb3.assets.remove(&removed);
    let bytes = sb3.to_bytes().unwrap();
    match Sb3::from_bytes(&bytes) {
        Err(Error::MissingAssets { names }) => assert_eq!(names, std::slice::from_ref(&removed)),
        other => panic!("expected missing assets, got {other:?}"),
    }
    let options = ReadOptions {
        allow_missing_assets: true,
        ..ReadOptions::default()
    };
    let read = Sb3::read_with(Cursor::new(&bytes), &options).unwrap();
    assert_eq!(read.missing_assets(), [removed]);
}

#[test]
fn write_rejects_bad_asset_keys() {
    let mut sb3 = sample();
    sb3.assets.insert("cat.png".to_owned(), b"x".to_vec());
    assert!(matches!(
        sb3.to_bytes(),
        Err(Error::InvalidAssetName { name }) if name == "cat.png"
    ));
    let mut sb3 = sample();
    let key = asset_name(b"one", "png");
    sb3.assets.insert(key.clone(), b"two".to_vec());
    assert!(matches!(
        sb3.to_bytes(),
        Err(Error::AssetHashMismatch { name, .. }) if name == key
    ));
}

#[test]
fn oversized_entry_is_rejected() {
    let big = vec![0u8; 2 * 1024 * 1024];
    let name = asset_name(&big, "wav");
    let json = br#"{"targets":[{"isStage":true,"name":"Stage"}],"meta":{}}"#;
    let bytes = zip_of(&[("project.json", json), (&name, &big)]);
    // Highly compressible: the archive itself is tiny.
    assert!(bytes.len() < 20 * 1024);
    let options = ReadOptions {
        limits: Limits {
            max_entry_size: 1024 * 1024,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    match Sb3::read_with(Cursor::new(&bytes), &options) {
        Err(Error::EntryTooLarge { name: n, limit }) => {
            assert_eq!(n, name);
            assert_eq!(limit, 1024 * 1024);
        }
        other => panic!("expected EntryTooLarge, got {other:?}"),
    }
    // Within the default limits it reads fine.
    assert_eq!(
        Sb3::from_bytes(&bytes).unwrap().assets[&name].len(),
        big.len()
    );
}

#[test]
fn lying_size_header_does_not_get_past_the_entry_limit() {
    let big = vec![7u8; 3 * 1024 * 1024];
    let name = asset_name(&big, "wav");
    let json = br#"{"targets":[{"isStage":true,"name":"Stage"}],"meta":{}}"#;
    let mut bytes = zip_of(&[("project.json", json), (&name, &big)]);
    // Patch every uncompressed-size field that says 3 MiB (local header and central
    // directory) to claim 100 bytes.
    let real = (big.len() as u32).to_le_bytes();
    let fake = 100u32.to_le_bytes();
    let mut patched = 0;
    for i in 0..bytes.len() - 4 {
        if bytes[i..i + 4] == real {
            bytes[i..i + 4].copy_from_slice(&fake);
            patched += 1;
        }
    }
    assert!(patched >= 2, "size fields not found");
    let options = ReadOptions {
        limits: Limits {
            max_entry_size: 1024 * 1024,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    // The zip reader notices the lie (or, failing that, our own bounded read does): an
    // error, never 3 MiB in memory.
    let result = Sb3::read_with(Cursor::new(&bytes), &options);
    let ok = match &result {
        Err(Error::EntryTooLarge { .. }) => true,
        Err(Error::Io(e)) => e.kind() == std::io::ErrorKind::InvalidData,
        _ => false,
    };
    assert!(ok, "lying archive not rejected as such: {result:?}");
}

#[test]
fn total_size_limit_is_enforced() {
    let json = br#"{"targets":[{"isStage":true,"name":"Stage"}],"meta":{}}"#;
    let parts: Vec<Vec<u8>> = (0..4u8).map(|i| vec![i; 1024 * 1024]).collect();
    let names: Vec<String> = parts.iter().map(|p| asset_name(p, "png")).collect();
    let mut entries: Vec<(&str, &[u8])> = vec![("project.json", json)];
    for (name, part) in names.iter().zip(&parts) {
        entries.push((name, part));
    }
    let bytes = zip_of(&entries);
    let options = ReadOptions {
        limits: Limits {
            max_total_size: 3 * 1024 * 1024,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    assert!(matches!(
        Sb3::read_with(Cursor::new(&bytes), &options),
        Err(Error::ArchiveTooLarge { limit }) if limit == 3 * 1024 * 1024
    ));
}

#[test]
fn too_many_entries_is_rejected() {
    let json = br#"{"targets":[{"isStage":true,"name":"Stage"}],"meta":{}}"#;
    let names: Vec<String> = (0..10).map(|i| format!("junk{i}.txt")).collect();
    let mut entries: Vec<(&str, &[u8])> = vec![("project.json", json)];
    for name in &names {
        entries.push((name, b"x"));
    }
    let bytes = zip_of(&entries);
    let options = ReadOptions {
        limits: Limits {
            max_entries: 5,
            ..Limits::default()
        },
        ..ReadOptions::default()
    };
    assert!(matches!(
        Sb3::read_with(Cursor::new(&bytes), &options),
        Err(Error::TooManyEntries {
            count: 11,
            limit: 5
        })
    ));
}

#[test]
fn default_limits_are_documented_values() {
    let limits = Limits::default();
    assert_eq!(limits.max_total_size, 512 * 1024 * 1024);
    assert_eq!(limits.max_entry_size, 128 * 1024 * 1024);
    assert_eq!(limits.max_entries, 20_000);
    let options = ReadOptions::default();
    assert!(options.verify_hashes);
    assert!(!options.allow_missing_assets);
}

#[test]
fn garbage_and_truncated_archives_are_errors() {
    assert!(matches!(
        Sb3::from_bytes(b""),
        Err(Error::Archive(_) | Error::Io(_))
    ));
    assert!(Sb3::from_bytes(b"this is not a zip file at all").is_err());
    assert!(Sb3::from_bytes(&[0xff; 4096]).is_err());
    let bytes = sample().to_bytes().unwrap();
    for cut in [10, bytes.len() / 2, bytes.len() - 10] {
        assert!(Sb3::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    // A zip without project.json.
    let bytes = zip_of(&[("hello.txt", b"hi")]);
    assert!(matches!(
        Sb3::from_bytes(&bytes),
        Err(Error::MissingProjectJson)
    ));
    // A zip whose project.json is not JSON.
    let bytes = zip_of(&[("project.json", b"{oops")]);
    assert!(matches!(Sb3::from_bytes(&bytes), Err(Error::Json { .. })));
}

#[test]
fn sb2_archive_is_reported_as_scratch2() {
    let bytes = zip_of(&[("project.json", &fixture("projects_json_sb2_92887076.json"))]);
    assert!(matches!(
        Sb3::from_bytes(&bytes),
        Err(Error::Scratch2Unsupported)
    ));
}
