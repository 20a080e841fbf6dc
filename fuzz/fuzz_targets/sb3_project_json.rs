//! ProjectDocument JSON parsing must never panic, and whatever decodes must re-encode losslessly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scratchkit_sb3::{ProjectDocument, ProjectFile};

fuzz_target!(|data: &[u8]| {
    if let Ok(ProjectFile::Sb3(project)) = ProjectFile::parse(data) {
        let json = project.to_json().expect("encoding a decoded project");
        let again = ProjectDocument::from_json(&json).expect("decoding our own output");
        assert_eq!(again, project);
    }
});
