#![no_main]
//! Differential fuzz target: the sandbox's hand-written project JSON writer against serde
//! (byte for byte), and its fast ISO date writer against `time` + `format!`.

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use scratchkit_sandbox::fuzz_hooks::{self as hooks, Project};

#[derive(Debug, Arbitrary)]
struct Input {
    ints: [i64; 9],
    texts: [String; 5],
    flags: [bool; 2],
    options: [Option<i64>; 3],
    style: u8,
    token: Option<String>,
}

fuzz_target!(|input: Input| {
    let [
        id,
        owner_id,
        created,
        modified,
        views,
        loves,
        favorites,
        remixes,
        _,
    ] = input.ints;
    let [owner_username, owner_role, title, description, instructions] = input.texts;
    let project = Project {
        id,
        owner_id,
        owner_username,
        owner_role,
        title,
        description,
        instructions,
        shared: input.flags[0],
        comments_allowed: input.flags[1],
        created,
        modified,
        shared_at: input.options[0],
        views,
        loves,
        favorites,
        remixes,
        parent_id: input.options[1],
        root_id: input.options[2],
    };
    let (hand, serde) =
        hooks::project_json_hand_and_serde(&project, input.style, input.token.as_deref());
    assert_eq!(
        String::from_utf8_lossy(&hand),
        String::from_utf8_lossy(&serde),
        "hand-written and serde project JSON differ"
    );
    for ts in [created, modified, input.ints[8]] {
        let (fast, reference) = hooks::iso_fast_and_reference(ts);
        assert_eq!(fast, reference, "ISO date of {ts}");
    }
});
