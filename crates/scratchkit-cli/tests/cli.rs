//! The `scratch` binary driven as a process, against sandboxes on 127.0.0.1 only.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

/// `scratch` with these arguments, colour off and no sandbox from the environment.
fn scratch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scratch"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SCRATCH_SANDBOX")
        .output()
        .expect("the scratch binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `scratch --sandbox --json ARGS`, expects success and parses stdout as one document.
fn json(args: &[&str]) -> Value {
    let mut all = vec!["--sandbox", "--json"];
    all.extend_from_slice(args);
    let out = scratch(&all);
    assert!(
        out.status.success(),
        "scratch {all:?} failed: {}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}): {}", stdout(&out)))
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

#[test]
fn user_json_is_the_profile() {
    let user = json(&["user", "mres"]);
    assert_eq!(user["id"], 167);
    assert_eq!(user["username"], "mres");
    assert_eq!(user["scratchteam"], true);
}

#[test]
fn user_with_lists_is_one_document() {
    let doc = json(&["user", "mres", "--projects", "--limit", "3"]);
    assert_eq!(doc["user"]["id"], 167);
    let projects = doc["projects"].as_array().expect("projects array");
    assert!(!projects.is_empty() && projects.len() <= 3, "{projects:?}");
    assert!(projects.iter().all(|p| p["author"]["username"] == "mres"));
}

#[test]
fn project_json_has_title_and_comments() {
    let project = json(&["project", "142"]);
    assert_eq!(project["id"], 142);
    assert_eq!(project["title"], "PlayWithYourFace");

    let doc = json(&["project", "142", "--comments", "--remixes"]);
    assert_eq!(doc["project"]["title"], "PlayWithYourFace");
    assert!(doc["comments"].is_array());
    let remixes = doc["remixes"].as_array().expect("remixes array");
    assert!(!remixes.is_empty(), "the demo world has remixes of 142");
    assert!(remixes.iter().all(|r| r["remix"]["parent"] == 142));
}

#[test]
fn studio_json_with_curators() {
    let studio = json(&["studio", "5342"]);
    assert_eq!(studio["id"], 5342);
    let doc = json(&["studio", "5342", "--projects", "--curators"]);
    assert_eq!(doc["studio"]["id"], 5342);
    let projects = doc["projects"].as_array().expect("projects array");
    assert!(!projects.is_empty());
    assert!(
        projects
            .iter()
            .all(|p| p["id"].is_u64() && p["username"].is_string())
    );
    assert!(doc["curators"].is_array());
}

#[test]
fn search_and_explore_return_lists() {
    let found = json(&["search", "game", "--limit", "5"]);
    let found = found.as_array().expect("an array");
    assert!(!found.is_empty() && found.len() <= 5);

    let studios = json(&["search", "game", "--studios"]);
    assert!(studios.is_array());

    let trending = json(&["explore", "--limit", "7"]);
    assert_eq!(trending.as_array().expect("an array").len(), 7);
    let recent = json(&["explore", "--mode", "recent", "--studios", "--limit", "3"]);
    assert!(recent.as_array().expect("an array").len() <= 3);
}

#[test]
fn news_is_an_array_of_items() {
    let news = json(&["news", "--limit", "3"]);
    let news = news.as_array().expect("an array");
    assert!(!news.is_empty() && news.len() <= 3);
    assert!(news.iter().all(|n| n["headline"].is_string()));
}

#[test]
fn all_streams_json_lines() {
    let out = scratch(&["--sandbox", "--json", "explore", "--all", "--max", "45"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 45);
    assert!(lines.iter().all(|p| p["id"].is_u64()));
}

#[test]
fn not_found_exits_3_with_a_hint() {
    let out = scratch(&["--sandbox", "user", "nobody_here_at_all"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("not found"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(stdout(&out).is_empty());

    let out = scratch(&["--sandbox", "project", "999999999999"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(code(&scratch(&["user", "mres", "--no-such-flag"])), 2);
    assert_eq!(code(&scratch(&["news", "--limit", "41"])), 2);
    assert_eq!(code(&scratch(&["project", "not-a-number"])), 2);
    assert_eq!(code(&scratch(&["frobnicate"])), 2);
    // A name the client refuses before sending anything.
    let out = scratch(&["--sandbox", "user", "no spaces allowed!"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

#[test]
fn help_documents_exit_codes_and_examples() {
    let out = scratch(&["--help"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("Exit codes:") && text.contains("3  not found"),
        "{text}"
    );
    for cmd in [
        "user", "project", "studio", "news", "explore", "search", "sandbox", "demo",
    ] {
        let out = scratch(&[cmd, "--help"]);
        assert!(out.status.success(), "{cmd} --help");
        assert!(
            stdout(&out).contains("Examples:"),
            "{cmd} --help has examples"
        );
    }
}

#[test]
fn demo_tours_every_section() {
    let out = scratch(&["demo"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for header in [
        "A user",
        "Their projects",
        "A project and its comments",
        "A studio and its curators",
        "Explore: trending projects",
        "Search: \"game\"",
        "News",
        "Front page rows",
        "Statistics",
        "Log in",
        "Post a comment and read it back",
        "Love a project",
        "A forum post",
        "Download it as an .sb3",
        "Cloud variables: set, then read back",
        "A Cloud Request",
    ] {
        assert!(
            text.lines().any(|l| l == header),
            "missing section {header:?} in:\n{text}"
        );
    }
    assert!(text.contains("PlayWithYourFace") || text.contains("mres"));
    assert!(
        text.contains("BBCode source  Hello from the [b]scratchkit[/b] demo!"),
        "the forum post's source is read back:\n{text}"
    );
    assert!(
        text.contains("Reply    pong") && text.contains("Reply    tikhctarcs"),
        "the Cloud Requests are answered:\n{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn demo_json_is_one_line_per_section() {
    let out = scratch(&["demo", "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let sections: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(sections.len(), 16);
    assert_eq!(sections[0]["section"], "A user");
    assert_eq!(sections[0]["data"]["username"], "mres");
    let section = |title: &str| -> &Value {
        &sections
            .iter()
            .find(|s| s["section"] == title)
            .unwrap_or_else(|| panic!("no section {title}"))["data"]
    };
    assert_eq!(section("Log in")["username"], "griffpatch");
    let comment = section("Post a comment and read it back");
    assert_eq!(comment["author"]["username"], "griffpatch");
    assert_eq!(comment["content"], "Hello from the scratchkit demo!");
    let love = section("Love a project");
    assert_eq!(love["status"]["userLove"], true);
    assert_eq!(
        love["loves_after"].as_u64().unwrap(),
        love["loves_before"].as_u64().unwrap() + 1
    );
    let sb3 = section("Download it as an .sb3");
    assert!(sb3["assets"].as_u64().unwrap() > 0);
    assert!(sb3["targets"].as_array().unwrap().len() > 1);
    let cloud = section("Cloud variables: set, then read back");
    assert_eq!(cloud["user"], "griffpatch");
    assert!(cloud["name"].as_str().unwrap().ends_with("score"));
    let forum = section("A forum post");
    assert_eq!(forum["topic_id"], 4242);
    assert_eq!(forum["post"]["author"], "griffpatch");
    assert!(forum["post"]["id"].as_u64().unwrap() > 0);
    assert_eq!(forum["source"], "Hello from the [b]scratchkit[/b] demo!");
    assert_eq!(
        forum["post"]["content_text"],
        "Hello from the scratchkit demo!"
    );
    let request = section("A Cloud Request");
    assert_eq!(request["rules"], "turbowarp");
    let exchanges = request["exchanges"].as_array().unwrap();
    assert_eq!(exchanges.len(), 2);
    assert_eq!(exchanges[0]["request"], "ping");
    assert_eq!(exchanges[0]["reply"], serde_json::json!(["pong"]));
    assert_eq!(exchanges[1]["args"], serde_json::json!(["scratchkit"]));
    assert_eq!(exchanges[1]["reply"], serde_json::json!(["tikhctarcs"]));
    // The template's TO_HOST value: the encoded request, a dot, a 6-digit id ending in 0.
    let to_host = exchanges[0]["to_host"][0].as_str().unwrap();
    assert!(to_host.starts_with("51374733."), "{to_host}");
    assert_eq!(
        request["host_received"],
        serde_json::json!(["ping", "reverse"])
    );
}

#[test]
fn human_user_output_is_stable() {
    let out = scratch(&["--sandbox", "user", "mres"]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!("user_mres", stdout(&out));
}

/// A `scratch sandbox` process, stopped (SIGINT) when dropped if still running.
struct SandboxProcess {
    child: Child,
    addr: String,
}

impl SandboxProcess {
    fn start(extra: &[&str]) -> Self {
        let mut args = vec!["sandbox", "--port", "0", "--json"];
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_scratch"))
            .args(&args)
            .env("NO_COLOR", "1")
            .env_remove("SCRATCH_SANDBOX")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sandbox starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("the sandbox prints its address");
        let info: Value = serde_json::from_str(&first).expect("a JSON line");
        let addr = info["address"].as_str().expect("an address").to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        assert_eq!(info["hosts"]["api"], format!("http://{addr}/api"));
        Self { child, addr }
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit code.
    fn interrupt(mut self) -> i32 {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let code = self.child.wait().expect("the sandbox exits").code();
        code.unwrap_or(-1)
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[cfg(unix)]
#[test]
fn sandbox_command_serves_until_ctrl_c() {
    let sandbox = SandboxProcess::start(&[]);
    let out = scratch(&[
        "--sandbox-at",
        &sandbox.addr,
        "--json",
        "user",
        "griffpatch",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let user: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(user["username"], "griffpatch");
    assert_eq!(sandbox.interrupt(), 0);
}

#[cfg(unix)]
#[test]
fn server_errors_exit_5() {
    let sandbox = SandboxProcess::start(&["--faults", "rate=1,kinds=500"]);
    let out = scratch(&["--sandbox-at", &sandbox.addr, "user", "mres"]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("500"), "{}", stderr(&out));
    assert_eq!(sandbox.interrupt(), 0);
}

#[test]
fn bad_fault_specs_exit_2() {
    let out = scratch(&["sandbox", "--port", "0", "--faults", "explode=yes"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--faults"), "{}", stderr(&out));
}

#[test]
fn profile_comments_honour_limit_and_offset() {
    let all = json(&["comment", "list", "profile", "mres", "--limit", "40"]);
    let all = all.as_array().expect("an array");
    assert!(all.len() >= 4, "mres has comments in the demo world");
    let first = json(&["comment", "list", "profile", "mres", "--limit", "2"]);
    assert_eq!(first.as_array().unwrap()[..], all[..2]);
    let next = json(&[
        "comment", "list", "profile", "mres", "--limit", "2", "--offset", "2",
    ]);
    assert_eq!(next.as_array().unwrap()[..], all[2..4]);
    let past = json(&["comment", "list", "profile", "mres", "--offset", "1000"]);
    assert_eq!(past, serde_json::json!([]));
    let out = scratch(&["--sandbox", "comment", "list", "profile", "no_such_user_zz"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn following_yourself_is_a_usage_error_sent_nowhere() {
    let out = scratch(&[
        "--sandbox",
        "--account",
        "griffpatch",
        "follow",
        "GriffPatch",
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot follow yourself"));
}

#[test]
fn download_goes_into_a_directory_and_checks_the_parent_first() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().to_str().unwrap();
    let out = scratch(&["--sandbox", "project", "download", "142", "-o", target]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(dir.path().join("142.sb3").is_file());
    let missing = dir.path().join("missing").join("game.sb3");
    let out = scratch(&[
        "--sandbox",
        "project",
        "download",
        "142",
        "-o",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no such directory"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn monthly_stats_are_a_table_for_people_and_unchanged_json() {
    let out = scratch(&["--sandbox", "stats", "--monthly"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.trim_start().starts_with('{'), "{text}");
    assert!(
        text.contains("Month") && text.contains("New Projects"),
        "{text}"
    );
    assert!(text.contains("Project Creators"), "{text}");
    // Newest first: the sandbox's months run from 2024-06 to 2025-05.
    let (newest, oldest) = (text.find("2025-05").unwrap(), text.find("2024-06").unwrap());
    assert!(newest < oldest, "{text}");
    assert!(text.trim_end().ends_with("--json"), "{text}");
    let doc = json(&["stats", "--monthly"]);
    assert_eq!(doc["activity_data"][0]["key"], "New Projects");
    assert!(doc["country_distribution"].is_object());
}

#[test]
fn studio_card_names_its_host() {
    let out = scratch(&["--sandbox", "studio", "5342"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let host = text
        .lines()
        .find(|l| l.trim_start().starts_with("Host"))
        .unwrap_or_else(|| panic!("no Host line: {text}"));
    assert_eq!(
        host.split_whitespace().collect::<Vec<_>>(),
        ["Host", "mres"]
    );
    // JSON keeps the studio as Scratch sends it: the host's id.
    assert_eq!(json(&["studio", "5342"])["host"], 167);
}

#[test]
fn list_hints_say_when_more_only_may_follow() {
    // Studio 5342 has exactly 2 managers: a full page of 2 may or may not have more.
    let out = scratch(&["--sandbox", "studio", "5342", "--managers", "--limit", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("\n  there may be more: --offset 2\n"),
        "{text}"
    );
    assert!(!text.contains("\n  more:"), "{text}");
    // A page that is not full ends the list: no hint at all.
    let out = scratch(&["--sandbox", "studio", "5342", "--managers", "--limit", "3"]);
    let text = stdout(&out);
    assert!(!text.contains("more"), "{text}");
    // Profile comments are a list like the others: a full page suggests more.
    let out = scratch(&[
        "--sandbox",
        "comment",
        "list",
        "profile",
        "mres",
        "--limit",
        "2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.ends_with("\n  there may be more: --offset 2\n"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn an_endless_config_file_is_refused_at_once() {
    // `/dev/zero` never ends: the read stops at the size limit with a clear error instead of
    // filling memory, before the server binds anything.
    let out = scratch(&["cloud-server", "--config", "/dev/zero", "--print-config"]);
    assert_eq!(code(&out), 2, "stderr: {}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains("/dev/zero") && message.contains("larger than 1048576 bytes"),
        "{message}"
    );
}
