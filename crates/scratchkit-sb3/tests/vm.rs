//! Projects built with `ProjectBuilder` run in Scratch's own engine (scratch-vm, through the
//! Node harness in `vm-harness/`) and compute what their scripts say.
//!
//! Skipped with a printed reason when node or the harness's `node_modules` are missing;
//! under `CI=true` that is a failure instead (`.ci/run` installs the harness).

use scratchkit_sb3::vm::{VmRun, harness_or_skip};
use scratchkit_sb3::{Op, Procedure, ProjectBuilder, Sb3, Script, validate};
use serde_json::{Value, json};

const DOT: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="9"/></svg>"#;

/// Validates (no errors), writes, reads back and runs the project.
fn run(test: &str, sb3: &Sb3, frames: u32) -> Option<VmRun> {
    let problems = validate(sb3);
    assert!(
        problems.iter().all(|d| !d.is_error()),
        "{test}: {problems:#?}"
    );
    let bytes = sb3.to_bytes().unwrap();
    let back = Sb3::from_bytes(&bytes).unwrap();
    assert_eq!(&back.project, &sb3.project, "{test}: archive round trip");
    let harness = harness_or_skip(test)?;
    Some(
        harness
            .run(&bytes, frames, false)
            .unwrap_or_else(|e| panic!("{test}: {e}")),
    )
}

#[test]
fn loop_sums_one_to_a_hundred() {
    let mut b = ProjectBuilder::new();
    b.stage()
        .variable("sum", 0)
        .unwrap()
        .variable("i", 0)
        .unwrap();
    b.add_sprite("Adder")
        .unwrap()
        .costume("dot", DOT)
        .unwrap()
        .script(Script::new([
            Op::when_flag_clicked(),
            Op::set_var("sum", 0),
            Op::set_var("i", 0),
            Op::repeat(
                100,
                [Op::change_var("i", 1), Op::change_var("sum", Op::var("i"))],
            )
            .comment("1 + 2 + … + 100"),
        ]))
        .unwrap();
    let sb3 = b.finish();
    // The comment is attached both ways: block → comment id, comment → block id.
    let adder = sb3.project.sprite("Adder").unwrap();
    let (comment_id, comment) = adder.comments.iter().next().unwrap();
    assert_eq!(comment.text, "1 + 2 + … + 100");
    let block = adder.blocks[comment.block_id.as_ref().unwrap()]
        .as_block()
        .unwrap();
    assert_eq!(block.opcode, "control_repeat");
    assert_eq!(block.comment.as_ref(), Some(comment_id));
    let Some(out) = run("loop_sums_one_to_a_hundred", &sb3, 300) else {
        return;
    };
    assert_eq!(out.global("sum"), Some(&json!(5050)));
    assert_eq!(out.global("i"), Some(&json!(100)));
}

#[test]
fn list_blocks() {
    let mut b = ProjectBuilder::new();
    b.stage()
        .variable("n", 0)
        .unwrap()
        .variable("len", 0)
        .unwrap()
        .variable("where", 0)
        .unwrap()
        .variable("has", "")
        .unwrap()
        .variable("third", "")
        .unwrap()
        .list("squares", ["stale"])
        .unwrap()
        .monitor("squares", 5, 5)
        .unwrap();
    b.stage()
        .script(Script::new([
            Op::when_flag_clicked(),
            Op::delete_all_of_list("squares"),
            Op::set_var("n", 0),
            Op::repeat(
                5,
                [
                    Op::change_var("n", 1),
                    Op::add_to_list("squares", Op::multiply(Op::var("n"), Op::var("n"))),
                ],
            ),
            // [1, 4, 9, 16, 25] → ["first", 1, 4, 9, 16, 25]
            Op::insert_at_list("squares", "first", 1),
            // → ["first", 1, "x", 9, 16, 25]
            Op::replace_item_of_list("squares", 3, "x"),
            // → ["first", "x", 9, 16, 25]
            Op::delete_of_list("squares", 2),
            Op::set_var("len", Op::length_of_list("squares")),
            Op::set_var("where", Op::item_num_of_list("squares", 16)),
            Op::set_var("third", Op::item_of_list("squares", 3)),
            Op::if_else(
                Op::list_contains("squares", "x"),
                [Op::set_var("has", "yes")],
                [Op::set_var("has", "no")],
            ),
        ]))
        .unwrap();
    let Some(out) = run("list_blocks", &b.finish(), 60) else {
        return;
    };
    assert_eq!(
        out.global_list("squares"),
        Some(&vec![
            json!("first"),
            json!("x"),
            json!(9),
            json!(16),
            json!(25)
        ])
    );
    assert_eq!(out.global("len"), Some(&json!(5)));
    assert_eq!(out.global("where"), Some(&json!(4)));
    assert_eq!(out.global("third"), Some(&json!(9)));
    assert_eq!(out.global("has"), Some(&json!("yes")));
}

#[test]
fn custom_blocks_with_arguments_and_recursion() {
    let mut b = ProjectBuilder::new();
    b.stage()
        .variable("product", 0)
        .unwrap()
        .variable("f", 0)
        .unwrap()
        .variable("flagged", "")
        .unwrap();
    let mut sprite = b.add_sprite("Maths").unwrap();
    sprite.costume("dot", DOT).unwrap();
    sprite
        .procedure(
            Procedure::new("multiply %s by %s", ["a", "b"])
                .warp(true)
                .body([Op::set_var(
                    "product",
                    Op::multiply(Op::argument("a"), Op::argument("b")),
                )]),
        )
        .unwrap();
    // fact(n): if n < 2 then f = 1 else { fact(n - 1); f = f * n }
    sprite
        .procedure(
            Procedure::new("fact %s", ["n"])
                .warp(true)
                .body([Op::if_else(
                    Op::lt(Op::argument("n"), 2),
                    [Op::set_var("f", 1)],
                    [
                        Op::call("fact %s", [Op::subtract(Op::argument("n"), 1).into()]),
                        Op::set_var("f", Op::multiply(Op::var("f"), Op::argument("n"))),
                    ],
                )]),
        )
        .unwrap();
    sprite
        .procedure(Procedure::new("mark if %b", ["on"]).body([Op::if_then(
            Op::argument_bool("on"),
            [Op::set_var("flagged", "on")],
        )]))
        .unwrap();
    sprite
        .script(Script::new([
            Op::when_flag_clicked(),
            Op::call("multiply %s by %s", [6.into(), 7.into()]),
            Op::call("fact %s", [10.into()]),
            Op::call("mark if %b", [Op::gt(3, 2).into()]),
        ]))
        .unwrap();
    let Some(out) = run(
        "custom_blocks_with_arguments_and_recursion",
        &b.finish(),
        60,
    ) else {
        return;
    };
    assert_eq!(out.global("product"), Some(&json!(42)));
    assert_eq!(out.global("f"), Some(&json!(3_628_800)));
    assert_eq!(out.global("flagged"), Some(&json!("on")));
}

#[test]
fn broadcasts_reach_every_sprite() {
    let mut b = ProjectBuilder::new();
    b.stage()
        .variable("x", 0)
        .unwrap()
        .variable("heard", 0)
        .unwrap();
    b.stage()
        .script(Script::new([
            Op::when_flag_clicked(),
            Op::set_var("x", 1),
            Op::set_var("heard", 0),
            Op::broadcast_and_wait("double"),
            Op::broadcast_and_wait("double"),
            Op::broadcast_and_wait("double"),
            Op::broadcast("done"),
        ]))
        .unwrap();
    for name in ["A", "B"] {
        let mut sprite = b.add_sprite(name).unwrap();
        sprite.costume("dot", DOT).unwrap();
        sprite
            .script(Script::new([
                Op::when_broadcast_received("done"),
                Op::change_var("heard", 1),
            ]))
            .unwrap();
    }
    b.target("A")
        .unwrap()
        .script(Script::new([
            Op::when_broadcast_received("double"),
            Op::set_var("x", Op::multiply(Op::var("x"), 2)),
        ]))
        .unwrap();
    let sb3 = b.finish();
    assert_eq!(sb3.project.stage().unwrap().broadcasts.len(), 2);
    let Some(out) = run("broadcasts_reach_every_sprite", &sb3, 60) else {
        return;
    };
    assert_eq!(out.global("x"), Some(&json!(8)));
    assert_eq!(out.global("heard"), Some(&json!(2)));
}

#[test]
fn operators_compute_like_scratch() {
    let cases: Vec<(&str, Op, Value)> = vec![
        (
            "join",
            Op::join("Hello", Op::join(" ", "World")),
            json!("Hello World"),
        ),
        ("letter", Op::letter_of(2, "abc"), json!("b")),
        ("length", Op::length("hello"), json!(5)),
        ("mod", Op::modulo(17, 5), json!(2)),
        ("mod_negative", Op::modulo(-7, 3), json!(2)),
        ("round", Op::round(2.5), json!(3)),
        ("sqrt", Op::math("sqrt", 144), json!(12)),
        ("abs", Op::math("abs", -5), json!(5)),
        ("floor", Op::math("floor", 2.7), json!(2)),
        ("divide", Op::divide(1, 4), json!(0.25)),
        ("add_text_numbers", Op::add("3", "4"), json!(7)),
        ("subtract", Op::subtract(10, 15), json!(-5)),
        ("random_fixed", Op::random(5, 5), json!(5)),
    ];
    let tests: Vec<(&str, Op, &str)> = vec![
        ("equals_ignores_case", Op::equals("a", "A"), "true"),
        ("gt_numbers", Op::gt(10, 9), "true"),
        ("gt_text_numbers", Op::gt("10", "9"), "true"),
        ("lt", Op::lt(1, 0), "false"),
        ("and", Op::and(Op::gt(2, 1), Op::lt(2, 1)), "false"),
        ("or", Op::or(Op::gt(2, 1), Op::lt(2, 1)), "true"),
        ("not", !Op::equals(1, 2), "true"),
        ("contains", Op::contains("banana", "NAN"), "true"),
    ];
    let mut b = ProjectBuilder::new();
    let mut script = vec![Op::when_flag_clicked()];
    for (name, op, _) in &cases {
        b.stage().variable(name, "").unwrap();
        script.push(Op::set_var(*name, op.clone()));
    }
    for (name, op, _) in &tests {
        b.stage().variable(name, "").unwrap();
        script.push(Op::if_else(
            op.clone(),
            [Op::set_var(*name, "true")],
            [Op::set_var(*name, "false")],
        ));
    }
    b.stage().script(Script::new(script)).unwrap();
    let Some(out) = run("operators_compute_like_scratch", &b.finish(), 30) else {
        return;
    };
    for (name, _, expected) in &cases {
        assert_eq!(out.global(name), Some(expected), "{name}");
    }
    for (name, _, expected) in &tests {
        assert_eq!(out.global(name), Some(&json!(expected)), "{name}");
    }
}

#[test]
fn motion_looks_sensing_and_clones() {
    let mut b = ProjectBuilder::new();
    b.stage()
        .variable("cat_x", 0)
        .unwrap()
        .variable("clones", 0)
        .unwrap()
        .variable("loops", 0)
        .unwrap();
    let mut cat = b.add_sprite("Cat").unwrap();
    cat.costume("a", DOT)
        .unwrap()
        .costume("b", DOT)
        .unwrap()
        .variable("my_costume", 0)
        .unwrap()
        .variable("my_dir", 0)
        .unwrap();
    cat.script(Script::new([
        Op::when_flag_clicked(),
        Op::go_to_xy(10, 20),
        Op::change_x_by(5),
        Op::point_in_direction(90),
        Op::turn_right(45),
        // Without a renderer scratch-vm ignores size changes, and without an audio engine
        // volume blocks never finish: neither is checked here.
        Op::switch_costume_to("a"),
        Op::next_costume(),
        Op::set_var("my_costume", Op::costume_number_name("number")),
        Op::set_var("my_dir", Op::direction()),
        Op::broadcast_and_wait("measure"),
        Op::repeat(3, [Op::create_clone_of("_myself_")]),
        Op::repeat_until(Op::gt(Op::var("loops"), 4), [Op::change_var("loops", 1)]),
    ]))
    .unwrap();
    cat.script(Script::new([
        Op::when_i_start_as_clone(),
        Op::change_var("clones", 1),
        Op::delete_this_clone(),
    ]))
    .unwrap();
    b.stage()
        .script(Script::new([
            Op::when_broadcast_received("measure"),
            Op::set_var("cat_x", Op::sensing_of("x position", "Cat")),
        ]))
        .unwrap();
    let Some(out) = run("motion_looks_sensing_and_clones", &b.finish(), 60) else {
        return;
    };
    assert_eq!(out.global("cat_x"), Some(&json!(15)));
    assert_eq!(out.global("clones"), Some(&json!(3)));
    assert_eq!(out.global("loops"), Some(&json!(5)));
    let cat = out.target("Cat").unwrap();
    assert_eq!(cat.variables["my_costume"], json!(2));
    assert_eq!(cat.variables["my_dir"], json!(135));
}
