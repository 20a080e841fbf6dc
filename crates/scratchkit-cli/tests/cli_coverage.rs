//! The commands that close issue 15's CLI gaps, each driven as a user would: the `scratch`
//! binary against a `scratch sandbox` process on 127.0.0.1 (or, for the cloud handshake, a
//! bare loopback listener), with its config directory in a temp dir.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;
use support::*;

/// Runs a command that must succeed and print JSON lines.
fn lines(config: &Path, args: &[&str]) -> Vec<Value> {
    let out = run(config, args);
    assert_eq!(code(&out), 0, "scratch {args:?}: {}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

/// The saved session id of the only account logged in under `config`.
fn saved_session_id(config: &Path, name: &str) -> String {
    let dir = std::fs::read_dir(config.join("sandboxes"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let saved: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("accounts/{name}.json"))).unwrap(),
    )
    .unwrap();
    saved["session_id"].as_str().unwrap().to_owned()
}

/// A GET on the sandbox with a bare socket: the status line and the body.
fn http_get(addr: &str, path: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.lines().next().unwrap_or_default().to_owned();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    (status, raw[split + 4..].to_vec())
}

/// `scratch ARGS…` started in the background (killed when the guard drops), and the lines
/// it prints on stdout, read on a thread (so a test can wait with a timeout).
fn spawn_lines(config: &Path, args: &[&str]) -> (Kill, mpsc::Receiver<String>) {
    let mut child = command(config)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = BufReader::new(child.stdout.take().expect("piped stdout"));
    std::thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (Kill(child), rx)
}

/// Kills a child process started by a test, even when the test fails.
struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A sandbox with griffpatch logged in under the first config directory and kakurenbo under
/// the second.
fn two_accounts() -> (Sandbox, tempfile::TempDir, tempfile::TempDir) {
    let sandbox = Sandbox::start();
    let g = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    login(g.path(), &sandbox.addr, "griffpatch");
    login(k.path(), &sandbox.addr, "kakurenbo");
    (sandbox, g, k)
}

/// A 1×1 PNG.
const PNG: [u8; 68] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00, 0x00, 0xb5, 0x1c, 0x0c,
    0x02, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0x00, 0x00,
    0x00, 0x06, 0x00, 0x02, 0x30, 0x81, 0xd0, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

#[test]
fn session_decode_shows_only_the_non_secret_fields_unless_asked() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    login(config.path(), addr, "griffpatch");
    let session_id = saved_session_id(config.path(), "griffpatch");
    let whoami = json(config.path(), &at(addr, &["--json", "whoami"]));

    let decode = |extra: &[&str]| {
        let out = command(config.path())
            .args(["--json", "session", "decode"])
            .args(extra)
            .env("SCRATCH_SESSION_ID", &session_id)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(!stdout(&out).contains(&session_id) && !stderr(&out).contains(&session_id));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let plain = decode(&[]);
    assert_eq!(plain["username"], "griffpatch");
    assert_eq!(plain["user_id"], whoami["user_id"], "{plain} vs {whoami}");
    assert!(plain.get("x_token").is_none(), "{plain}");
    let revealed = decode(&["--reveal"]);
    let token = revealed["x_token"]
        .as_str()
        .expect("an X-Token with --reveal");
    assert!(!token.is_empty());

    // From stdin, for people: the token is hidden.
    let mut child = command(config.path())
        .args(["session", "decode"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{session_id}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("griffpatch"), "{text}");
    assert!(text.contains("--reveal") && !text.contains(token), "{text}");

    // Not a session id: a usage error, and the value is not echoed.
    let out = command(config.path())
        .args(["session", "decode"])
        .env("SCRATCH_SESSION_ID", "not-a-session-id-1234")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(!stderr(&out).contains("not-a-session-id-1234"));
}

#[test]
fn profile_commands_reach_the_sandbox() {
    let (sandbox, g, k) = two_accounts();
    let addr = sandbox.addr.as_str();

    // Featured project: the answer and the profile card agree.
    let projects = json(
        g.path(),
        &at(addr, &["--json", "user", "griffpatch", "--projects"]),
    );
    let project = &projects["projects"][0];
    let (id, title) = (
        project["id"].to_string(),
        project["title"].as_str().unwrap(),
    );
    let featured = json(
        g.path(),
        &at(
            addr,
            &[
                "--json",
                "account",
                "set-featured",
                &id,
                "--label",
                "work-in-progress",
            ],
        ),
    );
    assert_eq!(featured["featured_project"].to_string(), id, "{featured}");
    assert_eq!(featured["featured_project_label_id"], 1, "{featured}");
    let out = run(g.path(), &at(addr, &["user", "griffpatch"]));
    let card = stdout(&out);
    assert!(card.contains(&format!("{title} ({id})")), "{card}");

    // Avatar: the uploads host serves the new picture.
    let png = g.path().join("me.png");
    std::fs::write(&png, PNG).unwrap();
    let out = run(
        g.path(),
        &at(addr, &["account", "set-avatar", png.to_str().unwrap()]),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let user_id = json(g.path(), &at(addr, &["--json", "whoami"]))["user_id"].to_string();
    let (status, body) = http_get(addr, &format!("/uploads/users/avatars/{user_id}.png"));
    assert!(status.contains("200"), "{status}");
    assert_eq!(body, PNG);
    let text = g.path().join("notes.txt");
    std::fs::write(&text, "not an image").unwrap();
    let out = run(
        g.path(),
        &at(addr, &["account", "set-avatar", text.to_str().unwrap()]),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    // Profile comments off: kakurenbo's comment is refused; on again: it is posted.
    let comment = |text: &str| {
        run(
            k.path(),
            &at(addr, &["comment", "post", "profile", "griffpatch", text]),
        )
    };
    let out = run(g.path(), &at(addr, &["account", "toggle-comments"]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let refused = comment("Hello while closed");
    assert_ne!(code(&refused), 0, "comments are off: {}", stdout(&refused));
    let out = run(g.path(), &at(addr, &["account", "toggle-comments"]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let posted = comment("Hello while open");
    assert_eq!(code(&posted), 0, "{}", stderr(&posted));

    // Ocular shows the status line; activity lists a fresh love.
    let out = run(
        g.path(),
        &at(addr, &["account", "set-status", "Testing ocular"]),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let ocular = json(
        g.path(),
        &at(addr, &["--json", "forum", "ocular", "griffpatch"]),
    );
    assert_eq!(ocular["name"], "griffpatch");
    assert_eq!(ocular["status"], "Testing ocular");
    let out = run(k.path(), &at(addr, &["project", "love", &id]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let activity = json(
        k.path(),
        &at(addr, &["--json", "user", "kakurenbo", "--activity", "5"]),
    );
    let events = activity["activity"].as_array().expect("an activity list");
    assert!(events.len() <= 5, "{activity}");
    assert!(
        events.iter().any(|e| e["actor"] == "kakurenbo"
            && e["targets"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t["id"] == project["id"]))),
        "the love of {id} is in {activity}"
    );
}

#[test]
fn account_password_email_and_subscriptions() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    login(config.path(), addr, "kakurenbo");
    let with_password = |args: &[&str], password: &str| {
        command(config.path())
            .args(at(addr, args))
            .env("SCRATCH_PASSWORD", password)
            .env("SCRATCH_NEW_PASSWORD", "a-new-password-42")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let demo = scratchkit_sandbox::DEMO_PASSWORD;

    let out = with_password(&["--json", "account", "verify-password"], demo);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = with_password(&["account", "verify-password"], "wrong-password");
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    // No password anywhere and no terminal: a usage error, nothing sent.
    let out = run(config.path(), &at(addr, &["account", "verify-password"]));
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    let out = with_password(&["account", "change-email", "kak@example.org"], demo);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = with_password(&["account", "change-email", "not an address"], demo);
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    let subs = json(
        config.path(),
        &at(
            addr,
            &["--json", "account", "subscriptions", "--activities"],
        ),
    );
    assert_eq!(
        subs,
        serde_json::json!({"activities": true, "teacher_tips": false})
    );

    // A wrong current password is refused; the right one changes it, and the new one logs in.
    let out = with_password(&["account", "change-password"], "wrong-password");
    assert_ne!(code(&out), 0, "{}", stdout(&out));
    let out = with_password(&["account", "change-password"], demo);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = with_password(&["account", "verify-password"], "a-new-password-42");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = with_password(&["account", "verify-password"], demo);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
}

#[test]
fn project_save_and_remix_from_an_sb3() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    login(config.path(), addr, "griffpatch");
    let dir = config.path();
    let file = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let (first, second) = (file("first.sb3"), file("second.sb3"));
    let target_names = |sb3: &str| -> Vec<String> {
        let info = json(dir, &["--json", "project", "info", sb3]);
        info["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };

    // A project as a file, and a changed copy: its first sprite renamed.
    let popular = lines(
        dir,
        &at(addr, &["--json", "explore", "--all", "--max", "10"]),
    );
    let source = popular[0]["id"].to_string();
    let out = run(
        dir,
        &at(addr, &["project", "download", &source, "-o", &first]),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let unpacked = file("unpacked");
    let out = run(dir, &["project", "unpack", &first, &unpacked]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json_path = dir.join("unpacked/project.json");
    let mut project: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let sprite = project["targets"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["isStage"] == false)
        .expect("a sprite");
    let old_name = sprite["name"].as_str().unwrap().to_owned();
    sprite["name"] = "Renamed by the test".into();
    std::fs::write(&json_path, serde_json::to_string(&project).unwrap()).unwrap();
    let out = run(dir, &["project", "pack", &unpacked, &second]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(target_names(&first).contains(&old_name));

    let created = json(dir, &at(addr, &["--json", "project", "upload", &first]));
    let id = created["id"].to_string();
    let saved = json(dir, &at(addr, &["--json", "project", "save", &id, &second]));
    assert_eq!(saved["id"].to_string(), id);
    let again = file("again.sb3");
    let out = run(dir, &at(addr, &["project", "download", &id, "-o", &again]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let names = target_names(&again);
    assert!(
        names.iter().any(|n| n == "Renamed by the test") && !names.contains(&old_name),
        "the saved version: {names:?}"
    );

    // Someone else's project cannot be saved over.
    let other = popular
        .iter()
        .find(|p| p["author"]["username"] != "griffpatch")
        .expect("a project by someone else");
    let out = run(
        dir,
        &at(addr, &["project", "save", &other["id"].to_string(), &first]),
    );
    assert_eq!(code(&out), 4, "{}", stderr(&out));

    // A remix names its parent.
    let parent = other["id"].to_string();
    let remix = json(
        dir,
        &at(
            addr,
            &[
                "--json", "project", "remix", &parent, &first, "--title", "My remix",
            ],
        ),
    );
    assert_eq!(remix["title"], "My remix");
    assert_eq!(remix["remix_of"].to_string(), parent);
    let shown = json(
        dir,
        &at(addr, &["--json", "project", &remix["id"].to_string()]),
    );
    assert_eq!(shown["remix"]["parent"].to_string(), parent, "{shown}");
    let out = run(dir, &at(addr, &["project", "save", &id, "missing.sb3"]));
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

#[test]
fn studio_transfer_then_delete() {
    let (sandbox, g, k) = two_accounts();
    let addr = sandbox.addr.as_str();
    let ok = |config: &Path, args: &[&str]| {
        let out = run(config, &at(addr, args));
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    };
    let created = json(
        g.path(),
        &at(addr, &["--json", "studio", "create", "--title", "Handover"]),
    );
    let id = created["id"].to_string();
    ok(g.path(), &["studio", "invite", &id, "kakurenbo"]);
    ok(k.path(), &["studio", "accept-invite", &id]);
    ok(g.path(), &["studio", "promote", &id, "kakurenbo"]);

    let transfer = |password: &str| {
        command(g.path())
            .args(at(
                addr,
                &["--json", "studio", "transfer", &id, "kakurenbo"],
            ))
            .env("SCRATCH_PASSWORD", password)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = transfer("wrong-password");
    assert_ne!(code(&out), 0, "{}", stdout(&out));
    let out = transfer(scratchkit_sandbox::DEMO_PASSWORD);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let kakurenbo = json(k.path(), &at(addr, &["--json", "whoami"]))["user_id"].clone();
    let studio = json(g.path(), &at(addr, &["--json", "studio", &id]));
    assert_eq!(studio["host"], kakurenbo, "{studio}");

    // Deleting needs --yes, and the host.
    let out = run(k.path(), &at(addr, &["studio", "delete", &id]));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    let out = run(g.path(), &at(addr, &["studio", "delete", &id, "--yes"]));
    assert_ne!(code(&out), 0, "no longer the host: {}", stdout(&out));
    ok(k.path(), &["studio", "delete", &id, "--yes"]);
    let out = run(g.path(), &at(addr, &["studio", &id]));
    assert_eq!(code(&out), 3, "deleted: {}", stdout(&out));
}

#[test]
fn messages_follow_prints_a_new_message_as_a_json_line() {
    let (sandbox, g, k) = two_accounts();
    let addr = sandbox.addr.as_str();
    let out = run(g.path(), &at(addr, &["messages", "clear"]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let (_child, rx) = spawn_lines(
        g.path(),
        &at(
            addr,
            &[
                "--json",
                "messages",
                "--follow",
                "--interval",
                "1",
                "--unread",
            ],
        ),
    );

    // A comment on griffpatch's project (the sandbox sends no message for profile comments).
    let projects = json(
        g.path(),
        &at(addr, &["--json", "user", "griffpatch", "--projects"]),
    );
    let project = projects["projects"][0]["id"].to_string();
    let out = run(
        k.path(),
        &at(
            addr,
            &["comment", "post", "project", &project, "Ping from the test"],
        ),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let message = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("a message line within 30 s");
        let value: Value = serde_json::from_str(&line).expect("a JSON line");
        if value["actor_username"] == "kakurenbo" {
            break value;
        }
    };
    assert_eq!(message["type"], "addcomment", "{message}");
    assert!(
        message["comment_fragment"]
            .as_str()
            .is_some_and(|f| f.contains("Ping from the test")),
        "{message}"
    );
    // --follow does not mix with --all or --filter.
    let out = run(g.path(), &at(addr, &["messages", "--follow", "--all"]));
    assert_eq!(code(&out), 2);
}

#[test]
fn cloud_header_is_sent_with_the_handshake() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let config = tempfile::tempdir().unwrap();
    let (_child, _lines) = spawn_lines(
        config.path(),
        &at(
            &addr,
            &[
                "cloud",
                "watch",
                "5",
                "--turbowarp",
                "--user",
                "tester",
                "--header",
                "X-Bot: scoreboard",
                "--header",
                "X-Key:abc",
            ],
        ),
    );
    let (mut socket, _) = listener.accept().unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buf).expect("the handshake arrives");
        assert_ne!(n, 0, "closed before the end of the handshake");
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    assert!(head.starts_with("get "), "{head}");
    assert!(head.contains("upgrade: websocket"), "{head}");
    assert!(head.contains("\r\nx-bot: scoreboard\r\n"), "{head}");
    assert!(head.contains("\r\nx-key: abc\r\n"), "{head}");

    let out = run(
        config.path(),
        &at(
            &addr,
            &["cloud", "get", "5", "--turbowarp", "--header", "no colon"],
        ),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

#[test]
fn cloud_requests_encoding_round_trips() {
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();
    let encoded = json(
        dir,
        &["--json", "cloud-requests", "encode", "Hello, world!"],
    );
    let digits = encoded["digits"].as_str().unwrap().to_owned();
    assert!(
        digits.len() == 26 && digits.bytes().all(|b| b.is_ascii_digit()),
        "{digits}"
    );
    assert_eq!(encoded["replaced"], serde_json::json!([]));
    let out = run(dir, &["cloud-requests", "decode", &digits]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello, world!\n");

    let list = json(
        dir,
        &["--json", "cloud-requests", "encode", "--list", "ab", "cd"],
    );
    let items = json(
        dir,
        &[
            "--json",
            "cloud-requests",
            "decode",
            "--list",
            list["digits"].as_str().unwrap(),
        ],
    );
    assert_eq!(items, serde_json::json!(["ab", "cd"]));

    // Unknown characters: spaces (reported), or a usage error with --strict.
    let lossy = json(dir, &["--json", "cloud-requests", "encode", "a☃b"]);
    assert_eq!(lossy["replaced"], serde_json::json!(["☃"]));
    let out = run(dir, &["cloud-requests", "encode", "--strict", "a☃b"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = run(dir, &["cloud-requests", "decode", "123"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}

#[test]
fn cloud_storage_host_serves_the_template() {
    use scratchkit_cloud_requests::TemplateClient;

    let sandbox = Sandbox::start();
    let addr = sandbox.addr.clone();
    let config = tempfile::tempdir().unwrap();
    let data = config.path().join("storage.json");
    let (_child, rx) = spawn_lines(
        config.path(),
        &at(
            &addr,
            &[
                "--json",
                "cloud-requests",
                "storage",
                "77",
                "--turbowarp",
                "--user",
                "host",
                "--db",
                "scores",
                "--data",
                data.to_str().unwrap(),
            ],
        ),
    );
    let ready = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the host reports");
    assert_eq!(
        serde_json::from_str::<Value>(&ready).unwrap()["event"],
        "ready"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let replies = runtime.block_on(async {
        let client = scratchkit::Client::sandbox(addr.parse().unwrap());
        let (sender, events) = client.turbowarp_cloud(77u64, "player1").await.unwrap();
        let mut template =
            TemplateClient::new(sender.clone(), events).with_timeout(Duration::from_secs(20));
        let set = template
            .request("set", &["scores", "alice", "42"])
            .await
            .unwrap();
        let get = template.request("get", &["scores", "alice"]).await.unwrap();
        let names = template.request("database_names", &[]).await.unwrap();
        sender.close();
        (set.items, get.items, names.items)
    });
    assert_eq!(replies.1, ["42"], "{replies:?}");
    assert_eq!(replies.2, ["scores"], "{replies:?}");
    // The set was written through to the data file.
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap();
    assert_eq!(saved["scores"]["alice"], "42", "{saved}");
    // The host reported what it served.
    let mut names = Vec::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_millis(500)) {
        let event: Value = serde_json::from_str(&line).unwrap();
        if event["event"] == "received" {
            names.push(event["name"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(names, ["set", "get", "database_names"]);
}

#[test]
fn forum_flags_backpack_and_my_stuff_pages() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();

    let topic = json(dir, &at(addr, &["--json", "forum", "topic", "4242"]));
    let post = topic["posts"][0]["id"].to_string();
    let alive = json(
        dir,
        &at(addr, &["--json", "forum", "deleted", "post", &post]),
    );
    assert_eq!(alive["deleted"], false, "{alive}");
    let gone = json(
        dir,
        &at(addr, &["--json", "forum", "deleted", "post", "987654321"]),
    );
    assert_eq!(gone["deleted"], true, "{gone}");
    let out = run(dir, &at(addr, &["forum", "deleted", "topic", "4242"]));
    assert_eq!((code(&out), stdout(&out)), (0, "no\n".to_owned()));

    // Reactions: every reacting user is a known account, the emoji are distinct.
    let reactions = json(dir, &at(addr, &["--json", "forum", "reactions", &post]));
    let list = reactions.as_array().expect("a list");
    assert!(!list.is_empty());
    let mut emoji: Vec<&str> = list.iter().map(|r| r["emoji"].as_str().unwrap()).collect();
    emoji.dedup();
    assert_eq!(emoji.len(), list.len());
    assert!(
        list.iter()
            .any(|r| !r["users"].as_array().unwrap().is_empty())
    );

    // Backpack: a costume goes in and is listed; an unknown kind is a usage error.
    login(dir, addr, "griffpatch");
    let svg = dir.join("cat.svg");
    std::fs::write(
        &svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>"#,
    )
    .unwrap();
    let added = json(
        dir,
        &at(
            addr,
            &[
                "--json",
                "backpack",
                "add",
                svg.to_str().unwrap(),
                "--name",
                "Cat",
            ],
        ),
    );
    assert_eq!(
        (added["type"].as_str(), added["name"].as_str()),
        (Some("costume"), Some("Cat"))
    );
    let items = lines(dir, &at(addr, &["--json", "backpack", "--all"]));
    assert!(items.iter().any(|i| i["id"] == added["id"]), "{items:?}");
    let back = dir.join("back.svg");
    let item = added["id"].as_str().unwrap();
    let out = run(
        dir,
        &at(
            addr,
            &["backpack", "download", item, "-o", back.to_str().unwrap()],
        ),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(&svg).unwrap());
    let out = run(dir, &at(addr, &["backpack", "download", "no-such-item"]));
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let txt = dir.join("notes.txt");
    std::fs::write(&txt, "hello").unwrap();
    let out = run(dir, &at(addr, &["backpack", "add", txt.to_str().unwrap()]));
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    // My Stuff: --all streams every page, the first page is its start.
    let page = json(dir, &at(addr, &["--json", "mystuff"]));
    let all = lines(dir, &at(addr, &["--json", "mystuff", "--all"]));
    let page = page.as_array().unwrap();
    assert!(!page.is_empty());
    assert!(all.len() >= page.len());
    assert_eq!(&all[..page.len()], page.as_slice());
    let studios = lines(dir, &at(addr, &["--json", "mystuff", "--studios", "--all"]));
    assert!(studios.iter().all(|s| s["pk"].is_u64()), "{studios:?}");
    let feed = lines(dir, &at(addr, &["--json", "feed", "viewed", "--all"]));
    assert!(feed.iter().all(|p| p["id"].is_u64()), "{feed:?}");
}

#[test]
fn trash_passwords_ranks_and_whole_forum_lists() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();
    let with_password = |args: &[&str], password: &str| {
        command(dir)
            .args(at(addr, args))
            .env("SCRATCH_PASSWORD", password)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };

    // The profile page's rank and class.
    let student = json(
        dir,
        &at(addr, &["--json", "user", "demo_student", "--rank"]),
    );
    assert_eq!(student["profile_page"]["class"]["id"], 367806, "{student}");
    let new = json(dir, &at(addr, &["--json", "user", "demo_new", "--rank"]));
    assert_eq!(new["profile_page"]["rank"], "NewScratcher", "{new}");
    let out = run(dir, &at(addr, &["user", "demo_new", "--rank"]));
    assert!(
        stdout(&out).contains("Rank      New Scratcher"),
        "{}",
        stdout(&out)
    );

    // A password for a new account, from SCRATCH_NEW_PASSWORD: refused (exit 2) or accepted
    // (exit 0). The login's SCRATCH_PASSWORD (set to a fine password here) is not read.
    let check_password = |args: &[&str], candidate: &str| {
        command(dir)
            .args(at(addr, args))
            .env("SCRATCH_PASSWORD", "a-fine-login-password-88")
            .env("SCRATCH_NEW_PASSWORD", candidate)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = check_password(&["check-password"], "abc");
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = check_password(&["--json", "check-password"], "a-fine-long-password-77");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["valid"], true);
    let out = with_password(&["check-password"], "a-fine-long-password-77");
    assert_eq!(
        code(&out),
        2,
        "no SCRATCH_NEW_PASSWORD, no terminal: {}",
        stderr(&out)
    );

    // Whole forum lists as JSON lines.
    let posts = lines(
        dir,
        &at(addr, &["--json", "forum", "topic", "4242", "--all"]),
    );
    let feed = json(dir, &at(addr, &["--json", "forum", "feed", "4242"]));
    assert_eq!(posts.len(), feed["entries"].as_array().unwrap().len());
    let topics = lines(
        dir,
        &at(
            addr,
            &["--json", "forum", "category", "31", "--all", "--max", "2"],
        ),
    );
    assert_eq!(topics.len(), 2);

    // The trash: a project goes in, and emptying it (with --yes and the password) deletes it.
    login(dir, addr, "griffpatch");
    let sb3 = dir.join("p.sb3");
    let out = run(
        dir,
        &at(
            addr,
            &["project", "download", "142", "-o", sb3.to_str().unwrap()],
        ),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let created = json(
        dir,
        &at(
            addr,
            &["--json", "project", "upload", sb3.to_str().unwrap()],
        ),
    );
    let id = created["id"].to_string();
    let out = run(dir, &at(addr, &["project", "trash", &id]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let trashed = |dir: &Path| -> Vec<String> {
        json(
            dir,
            &at(addr, &["--json", "mystuff", "--filter", "trashed"]),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pk"].to_string())
        .collect()
    };
    assert!(trashed(dir).contains(&id));
    let out = run(dir, &at(addr, &["project", "empty-trash"]));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = with_password(&["project", "empty-trash", "--yes"], "wrong-password");
    assert_ne!(code(&out), 0, "{}", stdout(&out));
    assert!(
        trashed(dir).contains(&id),
        "a wrong password deletes nothing"
    );
    let out = with_password(
        &["--json", "project", "empty-trash", "--yes"],
        scratchkit_sandbox::DEMO_PASSWORD,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let emptied: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(emptied["deleted"].as_u64() >= Some(1), "{emptied}");
    assert!(trashed(dir).is_empty());
}

#[test]
fn classroom_teacher_and_student_commands() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();

    // No login needed: the class of a token, and a student's sign-up.
    let class = json(
        dir,
        &at(
            addr,
            &["--json", "classroom", "by-token", "sandboxclass367806"],
        ),
    );
    assert_eq!(class["id"], 367806, "{class}");
    let out = command(dir)
        .args(at(
            addr,
            &[
                "--json",
                "classroom",
                "register",
                "367806",
                "sandboxclass367806",
                "new_kid_1",
            ],
        ))
        .env("SCRATCH_NEW_PASSWORD", "a-good-password-9")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let students = json(
        dir,
        &at(addr, &["--json", "classroom", "367806", "--students"]),
    );
    assert!(
        students["students"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "new_kid_1"),
        "{students}"
    );

    // A teacher's actions need the teacher's login.
    let out = run(dir, &at(addr, &["classroom", "mine"]));
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    login(dir, addr, "demo_teacher");
    let created = json(
        dir,
        &at(
            addr,
            &[
                "--json",
                "classroom",
                "create",
                "Games club",
                "--description",
                "Clones",
            ],
        ),
    );
    let id = created["id"].to_string();
    let out = run(
        dir,
        &at(addr, &["classroom", "set-title", &id, "Games club 2"]),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mine = json(dir, &at(addr, &["--json", "classroom", "mine"]));
    let titles: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Games club 2"), "{titles:?}");
    let out = run(dir, &at(addr, &["classroom", "close", &id]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let closed = json(dir, &at(addr, &["--json", "classroom", "mine", "--closed"]));
    assert!(
        closed
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == created["id"]),
        "{closed}"
    );
    let out = run(dir, &at(addr, &["classroom", "reopen", &id]));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let link = json(dir, &at(addr, &["--json", "classroom", "link", "367806"]));
    assert!(
        link["link"]
            .as_str()
            .unwrap()
            .ends_with("sandboxclass367806"),
        "{link}"
    );
    for args in [
        &["--json", "classroom", "alerts"][..],
        &["--json", "classroom", "alerts", "--class", "367806"],
        &["--json", "classroom", "activity", "367806"],
    ] {
        let value = json(dir, &at(addr, args));
        assert!(value.is_array(), "{args:?}: {value}");
    }
}

#[test]
fn studio_and_project_lists_stream_with_all() {
    let sandbox = Sandbox::start();
    let addr = sandbox.addr.as_str();
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();
    for (resource, flag, key) in [
        (&["studio", "5342"][..], "--projects", "projects"),
        (&["studio", "5342"], "--curators", "curators"),
        (&["project", "142"], "--comments", "comments"),
        (&["project", "142"], "--remixes", "remixes"),
    ] {
        let mut page_args = vec!["--json"];
        page_args.extend_from_slice(resource);
        page_args.extend([flag, "--limit", "40"]);
        let page = json(dir, &at(addr, &page_args));
        let page = page[key].as_array().unwrap().clone();
        assert!(!page.is_empty() || key == "remixes", "{resource:?} {flag}");
        let mut all_args = vec!["--json"];
        all_args.extend_from_slice(resource);
        all_args.extend([flag, "--all"]);
        let all = lines(dir, &at(addr, &all_args));
        assert!(all.len() >= page.len(), "{resource:?} {flag}");
        assert_eq!(&all[..page.len()], page.as_slice(), "{resource:?} {flag}");
    }
    let capped = lines(
        dir,
        &at(
            addr,
            &[
                "--json",
                "project",
                "142",
                "--comments",
                "--all",
                "--max",
                "2",
            ],
        ),
    );
    assert_eq!(capped.len(), 2);
    let out = run(dir, &at(addr, &["studio", "5342", "--all"]));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("exactly one of --projects"),
        "{}",
        stderr(&out)
    );
}
