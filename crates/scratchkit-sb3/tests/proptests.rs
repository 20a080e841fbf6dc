//! Property tests: asset names, and parsers that never panic.

use proptest::prelude::*;
use scratchkit_sb3::{
    ProjectDocument, ProjectFile, Sb3, Variable, asset_name, md5_hex, parse_asset_name,
};
use serde_json::{Number, Value};

fn minimal() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/real/projects_json_sb3_minimal.json"
    ))
    .unwrap()
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
        any::<String>().prop_map(Value::String),
        any::<bool>().prop_map(Value::Bool),
    ]
}

proptest! {
    #[test]
    fn asset_name_is_md5_dot_ext(data in proptest::collection::vec(any::<u8>(), 0..512),
                                 ext in "[a-z0-9]{1,5}") {
        let name = asset_name(&data, &ext);
        prop_assert_eq!(name.len(), 33 + ext.len());
        prop_assert!(name[..32].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        prop_assert_eq!(&name[..32], md5_hex(&data));
        let (md5, parsed_ext) = parse_asset_name(&name).unwrap();
        prop_assert_eq!(md5, md5_hex(&data));
        prop_assert_eq!(parsed_ext, ext.as_str());
        // Same bytes, same name; one more byte, another name.
        prop_assert_eq!(asset_name(&data, &ext), name.clone());
        let mut more = data.clone();
        more.push(0);
        prop_assert_ne!(asset_name(&more, &ext), name);
    }

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = ProjectFile::parse(&bytes);
        let _ = Sb3::from_bytes(&bytes);
    }

    #[test]
    fn parse_never_panics_on_damaged_project_json(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = minimal();
        for (index, byte) in flips {
            let i = index.index(bytes.len());
            bytes[i] = byte;
        }
        if let Ok(ProjectFile::Sb3(project)) = ProjectFile::parse(&bytes) {
            // Whatever decodes must encode and decode again to the same thing.
            let again = ProjectDocument::from_json(&project.to_json().unwrap()).unwrap();
            prop_assert_eq!(again, project);
        }
    }

    #[test]
    fn read_never_panics_on_damaged_archive(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let project = ProjectDocument::from_json(br#"{"targets":[{"isStage":true,"name":"Stage"}],"meta":{}}"#).unwrap();
        let mut sb3 = Sb3::new(project);
        sb3.add_asset(b"<svg/>".to_vec(), "svg");
        let mut bytes = sb3.to_bytes().unwrap();
        for (index, byte) in flips {
            let i = index.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = Sb3::from_bytes(&bytes);
    }

    #[test]
    fn variables_round_trip(vars in proptest::collection::vec(("[a-zA-Z0-9 ]{0,12}", scalar(), proptest::option::of(any::<bool>())), 0..10)) {
        let mut project = ProjectDocument::from_json(&minimal()).unwrap();
        let stage = project.stage_mut().unwrap();
        for (i, (name, value, cloud)) in vars.iter().enumerate() {
            stage.variables.insert(format!("id{i}"), Variable { name: name.clone(), value: value.clone(), cloud: *cloud });
        }
        let json = project.to_json().unwrap();
        let back = ProjectDocument::from_json(&json).unwrap();
        prop_assert_eq!(&back, &project);
        let cloud = back.stage().unwrap().cloud_variables().count();
        prop_assert_eq!(cloud, vars.iter().filter(|v| v.2 == Some(true)).count());
    }
}
