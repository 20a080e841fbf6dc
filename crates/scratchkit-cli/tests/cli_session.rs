//! Sessions across processes, writes, project files and completions: the `scratch` binary
//! against a `scratch sandbox` process on 127.0.0.1, with its config directory in a temp dir.

mod support;

use std::path::Path;
use std::process::Stdio;

use serde_json::Value;
use support::*;

#[test]
fn login_whoami_write_logout_across_processes() {
    let sandbox = Sandbox::start();
    let config = tempfile::tempdir().unwrap();
    let addr = sandbox.addr.as_str();

    // Not logged in yet: exit 4 with a hint.
    let out = run(config.path(), &at(addr, &["whoami"]));
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(stderr(&out).contains("scratch login"), "{}", stderr(&out));

    // Log in with the password from the environment.
    let out = command(config.path())
        .args(at(addr, &["--json", "login", "griffpatch"]))
        .env("SCRATCH_PASSWORD", scratchkit_sandbox::DEMO_PASSWORD)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let login: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(login["username"], "griffpatch");
    let file = login["session_file"].as_str().expect("a session file");
    let port = sandbox.addr.rsplit(':').next().unwrap();
    assert!(
        file.ends_with(&format!(
            "sandboxes/127.0.0.1-{port}/accounts/griffpatch.json"
        )),
        "{file}"
    );
    let text = std::fs::read_to_string(file).unwrap();
    assert!(!text.contains(scratchkit_sandbox::DEMO_PASSWORD), "{text}");
    assert!(text.contains("session_id"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // Nothing printed the session id either.
    let session_id: Value = serde_json::from_str(&text).unwrap();
    let session_id = session_id["session_id"].as_str().unwrap();
    assert!(!stdout(&out).contains(session_id) && !stderr(&out).contains(session_id));

    // A new process is still logged in.
    let me = json(config.path(), &at(addr, &["--json", "whoami"]));
    assert_eq!(me["username"], "griffpatch");
    assert_eq!(me["kind"], "Scratcher");

    // A write, then read back by a third process.
    let posted = json(
        config.path(),
        &at(
            addr,
            &[
                "--json",
                "comment",
                "post",
                "project",
                "142",
                "posted from a test",
            ],
        ),
    );
    let id = posted["id"].as_u64().expect("a comment id");
    let comments = json(
        config.path(),
        &at(
            addr,
            &[
                "--json", "comment", "list", "project", "142", "--limit", "40",
            ],
        ),
    );
    assert!(
        comments
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id && c["author"]["username"] == "griffpatch"),
        "{comments}"
    );
    let loved = json(
        config.path(),
        &at(addr, &["--json", "project", "love", "142"]),
    );
    assert_eq!(loved["userLove"], true);

    // Log out: the file is gone and the next command is logged out again.
    let out = run(config.path(), &at(addr, &["logout"]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Logged out griffpatch"),
        "{}",
        stdout(&out)
    );
    assert!(!Path::new(file).exists());
    let out = run(config.path(), &at(addr, &["messages", "count"]));
    assert_eq!(code(&out), 4, "{}", stderr(&out));
}

#[test]
fn sandbox_accounts_log_in_within_one_command() {
    let config = tempfile::tempdir().unwrap();
    let out = run(
        config.path(),
        &[
            "--sandbox",
            "--account",
            "kakurenbo",
            "--json",
            "messages",
            "count",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let count: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(count["username"], "kakurenbo");
    assert!(count["count"].is_u64());
    // --sandbox keeps nothing.
    assert_eq!(std::fs::read_dir(config.path()).unwrap().count(), 0);
    let out = run(config.path(), &["--sandbox", "messages", "count"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
}

#[test]
fn download_makes_a_valid_sb3_and_info_reads_it() {
    let config = tempfile::tempdir().unwrap();
    let path = config.path().join("142.sb3");
    let file = path.to_str().unwrap();
    let done = json(
        config.path(),
        &[
            "--sandbox",
            "--json",
            "project",
            "download",
            "142",
            "-o",
            file,
        ],
    );
    assert_eq!(done["id"], 142);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(done["bytes"], bytes.len() as u64);
    let sb3 = scratchkit_sb3::Sb3::from_bytes(&bytes).expect("a valid .sb3");
    assert_eq!(done["assets"], sb3.assets.len() as u64);
    assert!(sb3.project.sprites().count() >= 1);
    assert!(sb3.missing_assets().is_empty());

    let info = json(config.path(), &["--json", "project", "info", file]);
    assert_eq!(info["file"], "142.sb3");
    assert_eq!(info["blocks"], sb3.project.block_count() as u64);
    assert_eq!(info["assets"], sb3.assets.len() as u64);
    let targets = info["targets"].as_array().unwrap();
    assert_eq!(targets.len(), sb3.project.targets.len());
    assert_eq!(targets[0]["stage"], true);

    // The same, for people (deterministic: the sandbox world is seeded).
    let out = run(config.path(), &["project", "info", file]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    insta::assert_snapshot!("project_info_142", stdout(&out));

    // Not an .sb3: exit 1 with a hint.
    let bad = config.path().join("bad.sb3");
    std::fs::write(&bad, b"hello").unwrap();
    let out = run(config.path(), &["project", "info", bad.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a valid .sb3"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_owner_downloads_an_unshared_upload_and_others_cannot() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let owner = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let nobody = tempfile::tempdir().unwrap();

    // A shared project to upload again, downloaded logged out.
    let source = owner.path().join("source.sb3");
    json(
        owner.path(),
        &at(
            addr,
            &[
                "--json",
                "project",
                "download",
                "142",
                "-o",
                source.to_str().unwrap(),
            ],
        ),
    );
    login(owner.path(), addr, "griffpatch");
    let uploaded = json(
        owner.path(),
        &at(
            addr,
            &[
                "--json",
                "project",
                "upload",
                source.to_str().unwrap(),
                "--title",
                "Unshared copy",
            ],
        ),
    );
    let id = uploaded["id"].as_u64().expect("an id").to_string();

    // The owner: info (with a token) and download, right after the upload.
    let info = json(owner.path(), &at(addr, &["--json", "project", &id]));
    assert_eq!(info["title"], "Unshared copy");
    assert!(info["project_token"].is_string(), "{info}");
    let copy = owner.path().join("copy.sb3");
    let done = json(
        owner.path(),
        &at(
            addr,
            &[
                "--json",
                "project",
                "download",
                &id,
                "-o",
                copy.to_str().unwrap(),
            ],
        ),
    );
    assert_eq!(done["id"].to_string(), id);
    let bytes = std::fs::read(&copy).unwrap();
    scratchkit_sb3::Sb3::from_bytes(&bytes).expect("a valid .sb3");

    // Someone else, and nobody: not found (exit 3), as on the live site.
    login(other.path(), addr, "kakurenbo");
    for config in [other.path(), nobody.path()] {
        let target = config.join("x.sb3");
        let target = target.to_str().unwrap();
        let download = vec!["project", "download", id.as_str(), "-o", target];
        for args in [vec!["project", id.as_str()], download] {
            let out = run(config, &at(addr, &args));
            assert_eq!(code(&out), 3, "{args:?}: {}", stderr(&out));
        }
        assert!(!config.join("x.sb3").exists());
    }
}

#[test]
fn completions_are_printed() {
    let config = tempfile::tempdir().unwrap();
    let out = run(config.path(), &["completions", "bash"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let script = stdout(&out);
    assert!(script.len() > 1000, "{script}");
    assert!(script.contains("complete") && script.contains("scratch"));
    assert!(script.contains("whoami") && script.contains("download"));
    assert_eq!(code(&run(config.path(), &["completions", "tcsh"])), 2);
}

#[test]
fn site_wide_commands_work_on_the_sandbox() {
    let config = tempfile::tempdir().unwrap();
    let check = json(
        config.path(),
        &["--sandbox", "--json", "check-username", "mres"],
    );
    assert_eq!(check["available"], false);
    let check = json(
        config.path(),
        &["--sandbox", "--json", "check-username", "nobody_has_this_1"],
    );
    assert_eq!(check["available"], true);
    let stats = json(config.path(), &["--sandbox", "--json", "stats"]);
    assert!(stats["PROJECT_COUNT"].as_u64().unwrap() > 0);
    let front = json(config.path(), &["--sandbox", "--json", "frontpage"]);
    assert!(front["community_featured_projects"].is_array());
    let activity = json(
        config.path(),
        &[
            "--sandbox",
            "--json",
            "studio",
            "activity",
            "5342",
            "--limit",
            "3",
        ],
    );
    assert!(activity.as_array().unwrap().len() <= 3);
    let class = json(
        config.path(),
        &["--sandbox", "--json", "classroom", "367806", "--students"],
    );
    assert_eq!(class["classroom"]["id"], 367806);
    assert!(
        class["students"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "demo_student")
    );
    let forum = json(config.path(), &["--sandbox", "--json", "forum"]);
    assert!(
        forum
            .as_array()
            .unwrap()
            .iter()
            .any(|s| !s["categories"].as_array().unwrap().is_empty())
    );
}

#[test]
fn new_commands_have_examples_in_their_help() {
    let config = tempfile::tempdir().unwrap();
    for cmd in [
        &["login"][..],
        &["logout"],
        &["whoami"],
        &["comment"],
        &["comment", "post"],
        &["follow"],
        &["messages"],
        &["feed"],
        &["mystuff"],
        &["backpack"],
        &["frontpage"],
        &["stats"],
        &["health"],
        &["check-username"],
        &["forum"],
        &["classroom"],
        &["completions"],
        &["project", "download"],
        &["project", "upload"],
        &["project", "info"],
        &["project", "love"],
        &["studio", "add-project"],
        &["studio", "commenting"],
        &["user"],
        &["account"],
        &["account", "secrets"],
        &["account", "invite"],
        &["services"],
        &["services", "translate"],
        &["services", "speak"],
        &["services", "cloud-status"],
        &["cloud", "values"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let out = run(config.path(), &args);
        assert_eq!(code(&out), 0, "{cmd:?} --help");
        assert!(
            stdout(&out).contains("Examples:"),
            "{cmd:?} --help has examples"
        );
    }
}

#[test]
fn user_lists_stream_and_follow_questions_answer() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    // `--all` streams one list as JSON lines; `--max` stops it.
    let out = run(
        config.path(),
        &at(
            addr,
            &[
                "--json",
                "user",
                "griffpatch",
                "--followers",
                "--all",
                "--max",
                "45",
            ],
        ),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 45, "past the first page of 40");
    assert!(lines.iter().all(|u| u["username"].is_string()));
    // `--all` needs exactly one list.
    let out = run(config.path(), &at(addr, &["user", "griffpatch", "--all"]));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let follower = lines[44]["username"].as_str().unwrap();
    let answer = json(
        config.path(),
        &at(
            addr,
            &["--json", "user", "griffpatch", "--followed-by", follower],
        ),
    );
    assert_eq!(answer["answer"], true);
    let out = run(
        config.path(),
        &at(
            addr,
            &["user", "griffpatch", "--followed-by", "nobody_here_x"],
        ),
    );
    assert_eq!(stdout(&out).trim(), "no");
    let page = json(
        config.path(),
        &at(
            addr,
            &["--json", "user", "griffpatch", "--loves", "--counts"],
        ),
    );
    assert!(
        page["loves"].is_array() && page["counts"]["followers"].is_u64(),
        "{page}"
    );
}

#[test]
fn account_services_and_cloud_values_commands() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    // Logged out: the account commands say so (exit 4); the services need no login.
    let out = run(config.path(), &at(addr, &["account", "secrets"]));
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let translated = json(
        config.path(),
        &at(
            addr,
            &["--json", "services", "translate", "hello", "--to", "de"],
        ),
    );
    assert_eq!(translated["result"], "Hallo");
    let out = run(
        config.path(),
        &at(addr, &["services", "translate", "hello", "--to", "xx"]),
    );
    assert_ne!(code(&out), 0);
    let mp3 = config.path().join("hi.mp3");
    let spoken = json(
        config.path(),
        &at(
            addr,
            &[
                "--json",
                "services",
                "speak",
                "hi there",
                "--voice",
                "kitten",
                "-o",
                mp3.to_str().unwrap(),
            ],
        ),
    );
    assert_eq!(spoken["bytes"], std::fs::metadata(&mp3).unwrap().len());
    let out = run(
        config.path(),
        &at(
            addr,
            &[
                "services",
                "speak",
                "hi",
                "--voice",
                "robot",
                "-o",
                mp3.to_str().unwrap(),
            ],
        ),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let status = json(
        config.path(),
        &at(addr, &["--json", "services", "cloud-status"]),
    );
    assert_eq!(status["redis"]["ready"], true);
    let values = json(
        config.path(),
        &at(addr, &["--json", "cloud", "values", "142"]),
    );
    assert!(
        values["high score"].is_string() || values["high score"].is_number(),
        "{values}"
    );

    // Logged in: secrets stay hidden unless --reveal.
    login(config.path(), addr, "griffpatch");
    let saved: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::fs::read_dir(config.path().join("sandboxes"))
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path()
                .join("accounts/griffpatch.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let session_id = saved["session_id"].as_str().unwrap();
    let out = run(config.path(), &at(addr, &["account", "secrets"]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stdout(&out).contains(session_id), "hidden by default");
    let revealed = json(
        config.path(),
        &at(addr, &["--json", "account", "secrets", "--reveal"]),
    );
    assert_eq!(
        revealed["session_id"].as_str().unwrap().trim_matches('"'),
        session_id
    );
    assert!(revealed["x_token"].as_str().is_some_and(|t| !t.is_empty()));
    let invite = json(config.path(), &at(addr, &["--json", "account", "invite"]));
    assert!(
        invite["invite"].is_null(),
        "a Scratcher has no invite: {invite}"
    );
}

#[test]
fn forum_site_project_and_comment_reads_reach_the_library() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    let lines = |args: &[&str]| -> Vec<Value> {
        let out = run(config.path(), &at(addr, args));
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect()
    };
    // Newest first: post #25 of topic 4242 first, then #24.
    let newest = lines(&["--json", "forum", "newest", "4242", "--max", "2"]);
    let indexes: Vec<_> = newest.iter().map(|p| p["index"].as_u64()).collect();
    assert_eq!(indexes, [Some(25), Some(24)]);
    // A category by name or by ID: the same page.
    let by_name = json(
        config.path(),
        &at(addr, &["--json", "forum", "category", "suggestions"]),
    );
    let by_id = json(
        config.path(),
        &at(addr, &["--json", "forum", "category", "31"]),
    );
    assert_eq!(by_name, by_id);
    let out = run(config.path(), &at(addr, &["forum", "category", "No such"]));
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let feed = json(
        config.path(),
        &at(addr, &["--json", "forum", "feed", "4242"]),
    );
    assert_eq!(feed["entries"].as_array().unwrap().len(), 25);

    let count = json(
        config.path(),
        &at(addr, &["--json", "stats", "--shared-count"]),
    );
    assert!(count["shared_projects"].as_u64().unwrap() > 0);
    let studios = lines(&["--json", "project", "studios", "142", "--all"]);
    assert!(!studios.is_empty() && studios.iter().all(|s| s["id"].is_u64()));

    // Replies of the first comment that has some.
    let comments = json(
        config.path(),
        &at(
            addr,
            &[
                "--json", "comment", "list", "studio", "5342", "--limit", "40",
            ],
        ),
    );
    let thread = comments
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["reply_count"].as_u64() > Some(0))
        .expect("a comment with replies");
    let id = thread["id"].to_string();
    let replies = json(
        config.path(),
        &at(
            addr,
            &["--json", "comment", "replies", "studio", "5342", &id],
        ),
    );
    assert_eq!(
        replies.as_array().unwrap().len() as u64,
        thread["reply_count"].as_u64().unwrap().min(20)
    );
    let out = run(config.path(), &at(addr, &["messages", "admin"]));
    assert_eq!(code(&out), 4, "needs a login: {}", stderr(&out));
}
