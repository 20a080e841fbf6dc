//! Which inputs of a fuzz corpus decode: the bases for `fuzz/json_variants.py`.
//!
//! ```sh
//! cargo run -p scratchkit-bench --bin fuzz-seed-bases -- model_json fuzz/corpus/model_json/*
//! cargo run -p scratchkit-bench --bin fuzz-seed-bases -- sb3_project_json fuzz/corpus/sb3_project_json/*
//! ```
//!
//! Prints one line per input that decodes as the fuzz target would decode it: for
//! `model_json`, `<type> <path>` when the body after the selector byte decodes as the type the
//! selector picks (the same list, in the same order, as `fuzz/fuzz_targets/model_json.rs`; a
//! test checks the two agree); for `sb3_project_json`, `<path>` when the input is a Scratch 3
//! project.json. Files that cannot be read are skipped with a note on stderr (a running fuzzer
//! replaces corpus files). Exit code 2 on a bad command line.

use scratchkit::model as m;
use scratchkit::sb3::ProjectFile;

/// One decode check per type of the `model_json` target, in its order.
macro_rules! checks {
    ($($t:ident),* $(,)?) => {
        /// The type names, for the test against the fuzz target's list.
        #[cfg(test)]
        const NAMES: &[&str] = &[$(stringify!($t)),*];
        /// Whether a body decodes as the type at each index.
        const CHECKS: &[(&str, fn(&[u8]) -> bool)] =
            &[$((stringify!($t), |body| serde_json::from_slice::<m::$t>(body).is_ok())),*];
    };
}

checks![
    Project,
    User,
    Profile,
    Studio,
    StudioProject,
    Comment,
    Message,
    Activity,
    News,
    Featured,
    Session,
    LoginResult,
    Classroom,
    CloudLogEntry,
    BackpackItem,
    BackpackHealth,
    OcularUser,
    OcularMeta,
    ProjectSaved,
    CommentRejection,
    NewComment,
    UsernameCheck,
    MessageCount,
    LegacyMessageCount,
    ProjectCount,
    ApiRoot,
    Health,
    CloudHealth,
    LoveStatus,
    FavoriteStatus,
    ProjectVisibility,
    StudioMembership,
    StudioClassroom,
    SiteProject,
    SiteUser,
    SiteClassroom,
    SiteGallery,
    EducatorAlert,
    ClassroomActivity,
    AdminAlert,
    StatisticsDaily,
    StatisticsMonthly,
    SiteUserFeatured,
    FeaturedProjectData,
    MuteStatus,
    PasswordCheck,
    Permissions,
    SessionFlags,
    XToken,
    SessionUser,
];

/// The type `model_json` decodes `input` as, when it decodes; `None` for the text-parser
/// selector (0xff), an empty input, or a body that does not decode.
fn model_json_type(input: &[u8]) -> Option<&'static str> {
    let (&selector, body) = input.split_first()?;
    if selector == 0xff {
        return None;
    }
    let (name, decodes) = CHECKS[usize::from(selector) % CHECKS.len()];
    decodes(body).then_some(name)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().unwrap_or_default();
    if !matches!(target.as_str(), "model_json" | "sb3_project_json") {
        eprintln!("usage: fuzz-seed-bases model_json|sb3_project_json FILE...");
        std::process::exit(2);
    }
    for path in args {
        let input = match std::fs::read(&path) {
            Ok(input) => input,
            Err(e) => {
                eprintln!("skipped {path}: {e}");
                continue;
            }
        };
        if target == "model_json" {
            if let Some(name) = model_json_type(&input) {
                println!("{name} {path}");
            }
        } else if let Ok(ProjectFile::Sb3(_)) = ProjectFile::parse(&input) {
            println!("{path}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_list_is_the_fuzz_targets() {
        let target = include_str!("../../../../fuzz/fuzz_targets/model_json.rs");
        let list = target
            .split("dispatch!(")
            .nth(1)
            .expect("the target dispatches");
        let names: Vec<&str> = list
            .lines()
            .filter_map(|line| line.trim().strip_prefix("m::"))
            .map(|name| name.trim_end_matches(','))
            .collect();
        assert_eq!(names, NAMES);
    }

    #[test]
    fn a_selector_picks_its_type_and_only_a_decoding_body_counts() {
        let session_flags = NAMES.iter().position(|n| *n == "SessionFlags").unwrap();
        let selector = u8::try_from(session_flags).unwrap();
        let mut input = vec![selector];
        input.extend_from_slice(b"{}");
        assert_eq!(model_json_type(&input), Some("SessionFlags"));
        input.truncate(1);
        input.extend_from_slice(b"{");
        assert_eq!(model_json_type(&input), None);
        assert_eq!(model_json_type(b"\xff2021-01-01"), None);
        assert_eq!(model_json_type(b""), None);
    }
}
