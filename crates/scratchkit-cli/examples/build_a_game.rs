//! Builds a small game from code, checks it, uploads it to an in-process sandbox (an offline
//! Scratch on 127.0.0.1) and downloads it back, identical.
//!
//! ```text
//! cargo run -p scratchkit-cli --example build_a_game [-- out.sb3]
//! ```
//!
//! The game: arrow keys move a bowl along the bottom; apples fall from random places; each
//! catch scores a point (a cloud high score keeps the best), plays a sound and draws a dot
//! with the pen; missing three apples ends the game.

use std::error::Error;
use std::f64::consts::TAU;

use scratchkit::Client;
use scratchkit_sb3::{Op, Procedure, ProjectBuilder, Sb3, Script, validate};

const BACKDROP: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360" viewBox="0 0 480 360"><rect width="480" height="360" fill="#cfefff"/><rect y="320" width="480" height="40" fill="#7ac943"/></svg>"##;
const BOWL: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30" viewBox="0 0 80 30"><path d="M0 0h80a40 30 0 0 1-80 0z" fill="#8b5a2b"/></svg>"##;
const APPLE: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" width="30" height="32" viewBox="0 0 30 32"><circle cx="15" cy="18" r="14" fill="#e0312b"/><rect x="14" y="0" width="3" height="7" fill="#5b3a1a"/></svg>"##;

/// A short 16-bit mono WAV: a sine tone of `hz` for `ms` milliseconds.
fn tone(hz: f64, ms: u32) -> Vec<u8> {
    let rate = 22_050u32;
    let samples = rate * ms / 1000;
    let mut wav = scratchkit_sb3::media::silent_wav(rate, samples);
    for i in 0..samples as usize {
        let t = i as f64 / f64::from(rate);
        let value = ((t * hz * TAU).sin() * 8000.0) as i16;
        wav[44 + 2 * i..46 + 2 * i].copy_from_slice(&value.to_le_bytes());
    }
    wav
}

fn build() -> Result<Sb3, Box<dyn Error>> {
    let mut game = ProjectBuilder::new();
    game.stage()
        .costume("garden", BACKDROP)?
        .variable("score", 0)?
        .variable("missed", 0)?
        .list("catches", Vec::<i64>::new())?
        .monitor("score", 5, 5)?
        .monitor("missed", 5, 32)?;
    game.add_cloud_variable("high score", 0)?;
    game.stage().script(Script::new([
        Op::when_flag_clicked(),
        Op::set_var("score", 0),
        Op::set_var("missed", 0),
        Op::delete_all_of_list("catches"),
        Op::pen_clear(),
        Op::wait_until(Op::gt(Op::var("missed"), 2)),
        Op::if_then(
            Op::gt(Op::var("score"), Op::var("☁ high score")),
            [Op::set_var("☁ high score", Op::var("score"))],
        ),
        Op::broadcast("game over"),
    ]))?;

    let mut bowl = game.add_sprite("Bowl")?;
    bowl.costume("bowl", BOWL)?.position(0.0, -140.0);
    bowl.script(
        Script::new([
            Op::when_flag_clicked(),
            Op::go_to_xy(0, -140),
            Op::forever([
                Op::if_then(Op::key_pressed("left arrow"), [Op::change_x_by(-8)]),
                Op::if_then(Op::key_pressed("right arrow"), [Op::change_x_by(8)]),
            ]),
        ])
        .at(40.0, 40.0),
    )?;
    bowl.script(Script::new([
        Op::when_broadcast_received("game over"),
        Op::say_for_secs(Op::join("Game over! Score: ", Op::var("score")), 2),
        Op::stop("all"),
    ]))?;

    let mut apple = game.add_sprite("Apple")?;
    apple
        .costume("apple", APPLE)?
        .sound("crunch", &tone(660.0, 120))?
        .variable("speed", 3)?;
    apple.procedure(Procedure::named("drop from top").warp(true).body([
        Op::go_to_xy(Op::random(-220, 220), 170),
        Op::change_var("speed", 0.2),
    ]))?;
    apple.procedure(Procedure::new("caught at %s", ["x"]).body([
        Op::change_var("score", 1),
        Op::add_to_list("catches", Op::round(Op::argument("x"))),
        Op::play_sound("crunch"),
        Op::set_pen_color("#ffcc00"),
        Op::pen_down(),
        Op::pen_up(),
    ]))?;
    apple.script(
        Script::new([
            Op::when_flag_clicked(),
            Op::set_var("speed", 3),
            Op::call("drop from top", []),
            Op::forever([
                Op::change_y_by(Op::subtract(0, Op::var("speed"))),
                Op::if_then(
                    Op::touching("Bowl"),
                    [
                        Op::call("caught at %s", [Op::x_position().into()]),
                        Op::call("drop from top", []),
                    ],
                ),
                Op::if_then(
                    Op::lt(Op::y_position(), -170),
                    [Op::change_var("missed", 1), Op::call("drop from top", [])],
                ),
            ])
            .comment("falls faster after every drop"),
        ])
        .at(40.0, 400.0),
    )?;
    Ok(game.finish())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let sb3 = build()?;
    let problems = validate(&sb3);
    for problem in &problems {
        eprintln!("{problem}");
    }
    if problems.iter().any(|p| p.is_error()) {
        return Err("the game does not validate".into());
    }
    let bytes = sb3.to_bytes()?;
    println!(
        "Built a game: {} sprites, {} blocks, {} assets, {} bytes.",
        sb3.project.sprites().count(),
        sb3.project.block_count(),
        sb3.assets.len(),
        bytes.len()
    );
    if let Some(path) = std::env::args().nth(1) {
        std::fs::write(&path, &bytes)?;
        println!("Wrote {path}.");
    }

    // An offline Scratch on a free loopback port, and a client logged in to it.
    let sandbox = scratchkit_sandbox::spawn(([127, 0, 0, 1], 0).into()).await?;
    let client = Client::sandbox(sandbox.addr());
    client
        .login("griffpatch", scratchkit_sandbox::DEMO_PASSWORD)
        .await?;
    let created = client
        .create_project(sb3.clone())
        .title("Apple catcher")
        .await?;
    println!("Uploaded as project {}.", created.id);

    let back = client.project(created.id).download_sb3().await?;
    let same = back.project == sb3.project && back.assets == sb3.assets;
    println!(
        "Downloaded it back: {}.",
        if same { "identical" } else { "DIFFERENT" }
    );
    sandbox.shutdown().await;
    if !same {
        return Err("the downloaded project differs from the uploaded one".into());
    }
    Ok(())
}
