//! Editing existing projects: find, rename everywhere, replace assets, delete sprites
//! cleanly, and validation catching what is broken.

use scratchkit_sb3::media::silent_wav;
use scratchkit_sb3::validate::{Check, Severity};
use scratchkit_sb3::vm::harness_or_skip;
use scratchkit_sb3::{
    BlockEntry, BuildError, Op, ProjectBuilder, Sb3, Script, validate, validate_project,
};
use serde_json::{Value, json};

const DOT: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="9"/></svg>"#;
const SQUARE: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 32"><rect width="64" height="32"/></svg>"#;

/// A stage with a global `score` and list `log`, a sprite `Cat` with a local `lives`, and a
/// sprite `Dog` whose scripts point at Cat in every sprite menu.
fn two_sprites() -> Sb3 {
    let mut b = ProjectBuilder::new();
    b.stage()
        .variable("score", 0)
        .unwrap()
        .list("log", Vec::<Value>::new())
        .unwrap()
        .monitor("score", 5, 5)
        .unwrap();
    let mut cat = b.add_sprite("Cat").unwrap();
    cat.costume("cat", DOT)
        .unwrap()
        .sound("meow", &silent_wav(22050, 300))
        .unwrap()
        .variable("lives", 3)
        .unwrap()
        .monitor("lives", 5, 40)
        .unwrap();
    cat.script(Script::new([
        Op::when_flag_clicked(),
        Op::set_var("score", 0),
        Op::repeat(
            Op::var("lives"),
            [
                Op::change_var("score", Op::var("lives")),
                Op::add_to_list("log", Op::var("score")),
            ],
        ),
    ]))
    .unwrap();
    let mut dog = b.add_sprite("Dog").unwrap();
    dog.costume("dog", SQUARE).unwrap();
    dog.script(Script::new([
        Op::when_flag_clicked(),
        Op::wait(0.5),
        Op::go_to("Cat"),
        Op::glide_to(1, "Cat"),
        Op::point_towards("Cat"),
        Op::create_clone_of("Cat"),
        Op::if_then(Op::touching("Cat"), [Op::say(Op::distance_to("Cat"))]),
        Op::set_var("score", Op::sensing_of("lives", "Cat")),
    ]))
    .unwrap();
    b.finish()
}

#[test]
fn built_project_is_clean_and_findable() {
    let sb3 = two_sprites();
    let problems = validate(&sb3);
    assert!(problems.is_empty(), "{problems:#?}");
    let project = &sb3.project;
    let cat = project.sprite("Cat").unwrap();
    assert_eq!(cat.scripts().len(), 1);
    assert_eq!(cat.scripts_starting_with("event_whenflagclicked").len(), 1);
    let lives = project.find_variable(Some("Cat"), "lives").unwrap();
    assert!(!lives.global && !lives.list);
    let score = project.find_variable(Some("Cat"), "score").unwrap();
    assert!(score.global);
    assert!(project.find_variable(Some("Dog"), "lives").is_none());
    assert!(project.find_variable(None, "log").unwrap().list);
    // The sound's header was read.
    let meow = &cat.sounds[0];
    assert_eq!(meow.rate.as_ref().unwrap().as_u64(), Some(22050));
    assert_eq!(meow.sample_count.as_ref().unwrap().as_u64(), Some(300));
    // Costume sizes: centre of a 64×32 viewBox.
    let dog = project.sprite("Dog").unwrap();
    assert_eq!(
        dog.costumes[0].rotation_center_x.as_ref().unwrap().as_f64(),
        Some(32.0)
    );
    assert_eq!(
        dog.costumes[0].rotation_center_y.as_ref().unwrap().as_f64(),
        Some(16.0)
    );
}

fn all_json(sb3: &Sb3) -> String {
    String::from_utf8(sb3.project.to_json().unwrap()).unwrap()
}

#[test]
fn rename_local_variable_everywhere() {
    let mut sb3 = two_sprites();
    let changed = sb3
        .project
        .rename_variable(Some("Cat"), "lives", "hearts")
        .unwrap();
    // Declaration, 2 reporters in Cat, the monitor, Dog's `[lives] of [Cat]`.
    assert_eq!(changed, 5);
    let text = all_json(&sb3);
    assert!(!text.contains("\"lives\""), "{text}");
    assert!(validate(&sb3).is_empty(), "{:#?}", validate(&sb3));
    // Renaming onto a taken name is refused.
    assert!(matches!(
        sb3.project.rename_variable(Some("Cat"), "hearts", "score"),
        Err(BuildError::DuplicateVariable { .. })
    ));
    assert!(matches!(
        sb3.project.rename_variable(None, "nope", "x"),
        Err(BuildError::UnknownData { .. })
    ));
    // And the renamed project still computes: 3 + 3 + 3.
    if let Some(harness) = harness_or_skip("rename_local_variable_everywhere") {
        let out = harness.run(&sb3.to_bytes().unwrap(), 60, false).unwrap();
        assert_eq!(
            out.global("score"),
            Some(&json!(3)),
            "Dog's sensing_of ran last"
        );
        assert_eq!(
            out.global_list("log"),
            Some(&vec![json!(3), json!(6), json!(9)])
        );
        assert_eq!(out.target("Cat").unwrap().variables["hearts"], json!(3));
    }
}

#[test]
fn rename_global_list_and_cloud_variable() {
    let mut sb3 = two_sprites();
    sb3.project.rename_variable(None, "log", "history").unwrap();
    assert!(!all_json(&sb3).contains("\"log\""));
    let mut b = ProjectBuilder::edit(sb3);
    b.add_cloud_variable("best", 0).unwrap();
    let mut sb3 = b.finish();
    sb3.project.rename_variable(None, "☁ best", "top").unwrap();
    let stage = sb3.project.stage().unwrap();
    assert_eq!(stage.cloud_variables().next().unwrap().1.name, "☁ top");
    assert!(validate(&sb3).is_empty());
}

#[test]
fn delete_sprite_leaves_no_dangling_references() {
    let mut sb3 = two_sprites();
    let cat_costume = sb3.project.sprite("Cat").unwrap().costumes[0].file_name();
    let removed = sb3.delete_sprite("Cat").unwrap();
    assert_eq!(removed.name, "Cat");
    assert!(
        !sb3.assets.contains_key(&cat_costume),
        "unused asset dropped"
    );
    let text = all_json(&sb3);
    assert!(!text.contains("\"Cat\""), "{text}");
    assert!(sb3.project.monitors.iter().all(|m| m.sprite_name.is_none()));
    assert_eq!(sb3.project.monitors.len(), 1);
    let problems = validate(&sb3);
    assert!(problems.is_empty(), "{problems:#?}");
    let dog = sb3.project.sprite("Dog").unwrap();
    assert_eq!(dog.layer_order.as_ref().unwrap().as_i64(), Some(1));
    let menus: Vec<(String, Value)> = dog
        .blocks
        .values()
        .filter_map(BlockEntry::as_block)
        .filter(|b| b.shadow && b.opcode.ends_with("menu"))
        .map(|b| {
            (
                b.opcode.clone(),
                b.fields.values().next().unwrap()[0].clone(),
            )
        })
        .collect();
    assert!(menus.contains(&("motion_goto_menu".into(), json!("_random_"))));
    assert!(menus.contains(&("sensing_of_object_menu".into(), json!("_stage_"))));
    assert!(menus.contains(&("control_create_clone_of_menu".into(), json!("_myself_"))));
    assert!(matches!(
        sb3.delete_sprite("Cat"),
        Err(BuildError::UnknownTarget { .. })
    ));
    // Without the clean-up, validation names the dangling menu.
    let mut raw = two_sprites();
    let index = raw
        .project
        .targets
        .iter()
        .position(|t| t.name == "Cat")
        .unwrap();
    raw.project.targets.remove(index);
    let found = validate_project(&raw.project);
    let dangling: Vec<_> = found
        .iter()
        .filter(|d| d.check == Check::DanglingReference)
        .collect();
    assert_eq!(dangling.len(), 7, "{found:#?}");
    assert!(dangling[0].to_string().contains("names sprite \"Cat\""));
    assert!(found.iter().any(|d| d.check == Check::DanglingMonitor));
}

#[test]
fn replace_costume_and_sound() {
    let mut sb3 = two_sprites();
    let old = sb3.project.sprite("Cat").unwrap().costumes[0].file_name();
    sb3.replace_costume("Cat", "cat", SQUARE).unwrap();
    let cat = sb3.project.sprite("Cat").unwrap();
    assert_eq!(cat.costumes[0].name, "cat");
    assert_eq!(
        cat.costumes[0].rotation_center_x.as_ref().unwrap().as_f64(),
        Some(32.0)
    );
    // Dog uses the same square, so only the dot is gone.
    assert!(!sb3.assets.contains_key(&old));
    assert_eq!(sb3.assets.len(), 3, "backdrop, square, meow");
    sb3.replace_sound("Cat", "meow", &silent_wav(44100, 10))
        .unwrap();
    let meow = &sb3.project.sprite("Cat").unwrap().sounds[0];
    assert_eq!(meow.sample_count.as_ref().unwrap().as_u64(), Some(10));
    assert!(validate(&sb3).is_empty());
    assert!(matches!(
        sb3.replace_costume("Cat", "nope", DOT),
        Err(BuildError::UnknownAsset { .. })
    ));
    assert!(matches!(
        sb3.replace_costume("Cat", "cat", b"not an image"),
        Err(BuildError::Media { .. })
    ));
}

#[test]
fn builder_refuses_bad_scripts() {
    let mut b = ProjectBuilder::new();
    b.stage().variable("x", 0).unwrap();
    let mut stage = b.stage();
    let cases: Vec<(Script, &str)> = vec![
        (Script::new([Op::set_var("nope", 1)]), "UnknownVariable"),
        (Script::new([Op::add_to_list("nope", 1)]), "UnknownList"),
        (
            Script::new([Op::call("jump %s", [1.into()])]),
            "UnknownProcedure",
        ),
        (Script::new([Op::if_then(Op::var("x"), [])]), "WrongInput"),
        (Script::new([Op::move_steps(Op::say("hi"))]), "WrongInput"),
        (
            Script::new([Op::when_flag_clicked(), Op::add(1, 2)]),
            "NotAStatement",
        ),
        (
            Script::new([Op::move_steps(1).with_input("NOPE", 1)]),
            "UnknownInput",
        ),
        (
            Script::new([Op::repeat(vec![Op::show()], [])]),
            "WrongInput",
        ),
        (Script::new([]), "EmptyScript"),
    ];
    for (script, expected) in cases {
        let err = stage.script(script).unwrap_err();
        assert!(
            format!("{err:?}").starts_with(expected),
            "{expected}: {err:?}"
        );
    }
    assert!(
        stage.target().blocks.is_empty(),
        "failed scripts add nothing"
    );
    assert!(matches!(
        stage.variable("x", 1),
        Err(BuildError::DuplicateVariable { .. })
    ));
    assert!(matches!(
        b.add_sprite("Stage"),
        Err(BuildError::DuplicateTarget { .. })
    ));
    assert!(matches!(
        b.stage().costume("bad", b"GIF89a"),
        Err(BuildError::Media { .. })
    ));
}

#[test]
fn validation_names_sprite_and_block() {
    let mut sb3 = two_sprites();
    let cat = sb3.project.sprite_mut("Cat").unwrap();
    let (hat_id, next_id) = cat
        .blocks
        .iter()
        .find_map(|(id, e)| {
            let b = e.as_block()?;
            (b.opcode == "event_whenflagclicked").then(|| (id.clone(), b.next.clone().unwrap()))
        })
        .unwrap();
    // A dangling next, a literal in a boolean slot, a duplicate variable id, a missing
    // broadcast, a missing asset.
    if let Some(BlockEntry::Block(b)) = cat.blocks.get_mut(&hat_id) {
        b.next = Some("gone".into());
    }
    if let Some(BlockEntry::Block(b)) = cat.blocks.get_mut(&next_id) {
        b.opcode = "control_wait_until".into();
        b.inputs.insert("CONDITION".into(), json!([1, [10, "yes"]]));
        b.fields.clear();
        b.inputs.shift_remove("VALUE");
    }
    let lives_id = cat.variables.keys().next().unwrap().clone();
    let stage = sb3.project.stage_mut().unwrap();
    stage
        .variables
        .insert(lives_id, scratchkit_sb3::Variable::new("copy", 0));
    let dog = sb3.project.sprite_mut("Dog").unwrap();
    dog.blocks.insert(
        "b1".into(),
        serde_json::from_value(
            json!({"opcode": "event_broadcast", "next": null, "parent": null,
            "inputs": {"BROADCAST_INPUT": [1, [11, "ghost", "nope"]]}, "fields": {},
            "shadow": false, "topLevel": true, "x": 0, "y": 0}),
        )
        .unwrap(),
    );
    sb3.assets.clear();
    let found = validate(&sb3);
    let has = |check: Check, needle: &str| {
        found.iter().any(|d| {
            d.check == check && d.severity == Severity::Error && d.to_string().contains(needle)
        })
    };
    assert!(
        has(Check::DanglingBlock, "next block gone does not exist"),
        "{found:#?}"
    );
    assert!(has(Check::BrokenLink, "\"Cat\", block"), "{found:#?}");
    assert!(
        has(Check::WrongInputKind, "input CONDITION takes a block"),
        "{found:#?}"
    );
    assert!(has(Check::DuplicateId, "also used in"), "{found:#?}");
    assert!(
        has(
            Check::MissingBroadcast,
            "\"Dog\", block b1 (event_broadcast)"
        ),
        "{found:#?}"
    );
    assert!(
        has(Check::MissingAsset, "\"meow\" uses asset"),
        "{found:#?}"
    );
    assert!(
        found.windows(2).all(|w| w[0].severity <= w[1].severity),
        "errors first"
    );
}
