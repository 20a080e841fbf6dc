//! ProjectDocument files end to end: download as a complete .sb3, create, save, remix, and the
//! projects and assets hosts' checks (token, md5, size limits), client against sandbox.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use scratchkit::sb3::{self, ProjectDocument, Sb3};
use scratchkit::{AuthMode, Client, Error, Host, Method, Progress, RawRequest, StatusCode};
use scratchkit_sandbox::DEMO_PASSWORD;
use scratchkit_tests::TestSandbox;
use serde_json::json;

/// A fresh empty directory under the system's temp dir.
fn temp_dir(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("scratchkit-e2e-files-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn dir_entries(dir: &PathBuf) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

async fn logged_in(sandbox: &TestSandbox, username: &str) -> Client {
    let client = sandbox.client_builder().build().unwrap();
    client.login(username, DEMO_PASSWORD).await.unwrap();
    client
}

/// A new SVG costume added to the stage of `sb3`; returns its asset name.
fn add_backdrop(sb3: &mut Sb3, label: &str) -> String {
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>{label}</text></svg>"#
    );
    let name = sb3.add_asset(svg.into_bytes(), "svg");
    let costume = json!({
        "assetId": &name[..32], "name": label, "md5ext": name, "dataFormat": "svg",
        "rotationCenterX": 5, "rotationCenterY": 5
    });
    let stage = sb3.project.stage_mut().unwrap();
    stage
        .costumes
        .push(serde_json::from_value(costume).unwrap());
    name
}

#[tokio::test]
async fn download_to_file_then_upload_then_download_gives_the_same_project() {
    let sandbox = TestSandbox::start().await;
    let client = logged_in(&sandbox, "mres").await;
    let dir = temp_dir("roundtrip");
    let path = dir.join("142.sb3");

    let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let record = Arc::clone(&seen);
    let done = client
        .project(142u64)
        .download_to(&path)
        .concurrency(3)
        .on_progress(move |p| record.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_eq!(done.path, path);
    assert_eq!(dir_entries(&dir), ["142.sb3"], "no temporary file is left");
    assert_eq!(done.project.sprites().count(), 4);
    let expected_assets = done.project.asset_names().len();
    assert_eq!(done.assets, expected_assets);
    assert!(expected_assets >= 5, "{expected_assets}");
    let progress = seen.lock().unwrap().clone();
    assert_eq!(progress.len(), expected_assets + 1);
    assert_eq!(progress[0].assets_done, 0);
    let last = progress.last().unwrap();
    assert_eq!(
        (last.assets_done, last.assets_total),
        (expected_assets, expected_assets)
    );

    // The file is a complete, verified .sb3 (read checks every md5 and that nothing is missing).
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len() as u64, done.file_size);
    let mut file = Sb3::from_bytes(&bytes).unwrap();
    assert_eq!(file.project, done.project);
    assert_eq!(file.assets.len(), expected_assets);

    // Upload it with one new asset: only that one is sent.
    let new_asset = add_backdrop(&mut file, "round trip");
    let created = client
        .create_project(file.clone())
        .title("Round trip")
        .await
        .unwrap();
    assert_eq!(created.title, "Round trip");
    assert_eq!(created.assets_uploaded, 1);
    assert_ne!(created.id.get(), 142);

    // The new project is unshared: its owner downloads it with the token from info().
    let back = client.project(created.id).download_sb3().await.unwrap();
    assert_eq!(back.project, file.project);
    assert_eq!(back.assets, file.assets);
    assert!(back.assets.contains_key(&new_asset));
    let info = client.project(created.id).info().await.unwrap();
    assert_eq!(info.title, "Round trip");
    assert_eq!(info.remix.parent, None);

    std::fs::remove_dir_all(&dir).unwrap();
    sandbox.shutdown().await;
}

#[tokio::test]
async fn save_replaces_the_project_and_only_its_owner_may_save() {
    let sandbox = TestSandbox::start().await;
    let owner = logged_in(&sandbox, "mres").await;
    let sb3 = owner.project(142u64).download_sb3().await.unwrap();
    let created = owner.create_project(sb3.clone()).await.unwrap();
    assert_eq!(created.title, "Untitled");
    let project = owner.project(created.id);

    let mut changed = sb3.clone();
    changed.project.targets[1].name = "Renamed cat".into();
    let new_asset = add_backdrop(&mut changed, "saved");
    project.save(changed.clone()).await.unwrap();
    let back = project.download_sb3().await.unwrap();
    assert_eq!(back.project, changed.project);
    assert!(back.assets.contains_key(&new_asset));

    // project.json alone works when the server has every asset.
    let mut json_only = changed.project.clone();
    json_only.targets[1].name = "Renamed again".into();
    project.save(json_only.clone()).await.unwrap();
    assert_eq!(project.project_json().await.unwrap(), json_only);

    // Someone else may not save it (nor even see it: unshared).
    let other = logged_in(&sandbox, "griffpatch").await;
    let err = other
        .project(created.id)
        .save(json_only.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err}");
    let err = other.project(created.id).download_sb3().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");

    // A project.json naming an asset nobody has is refused before anything is created.
    let mut dangling = json_only.clone();
    let ghost = sb3::asset_name(b"never uploaded", "svg");
    dangling.stage_mut().unwrap().costumes[0].md5ext = Some(ghost.clone());
    let err = owner.create_project(dangling).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { reason, .. } if reason.contains(&ghost)),
        "{err}"
    );

    // Logged out: refused before sending.
    let err = sandbox
        .client()
        .project(created.id)
        .save(json_only)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LoginRequired), "{err}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn remix_records_its_parent_and_default_title() {
    let sandbox = TestSandbox::start().await;
    let client = logged_in(&sandbox, "griffpatch").await;
    let original = client.project(142u64);
    let sb3 = original.download_sb3().await.unwrap();
    let remix = original.remix(sb3.clone()).await.unwrap();
    assert_eq!(remix.title, "PlayWithYourFace remix");
    let info = client.project(remix.id).info().await.unwrap();
    assert_eq!(info.remix.parent.map(|p| p.get()), Some(142));
    assert_eq!(info.remix.root.map(|p| p.get()), Some(142));
    assert_eq!(info.author.username.as_deref(), Some("griffpatch"));
    let back = client.project(remix.id).download_sb3().await.unwrap();
    assert_eq!(back.project, sb3.project);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_corrupted_asset_is_detected_and_nothing_is_written() {
    let sandbox = TestSandbox::start().await;
    let client = sandbox.client().clone();
    let project = client.project(142u64).project_json().await.unwrap();
    let victim = project.asset_names().into_iter().next().unwrap();

    // Serve other bytes under the asset's name (administration path, no md5 check).
    let url = format!("http://{}/_sandbox/assets/{victim}", sandbox.addr());
    let status = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .put(url)
        .body("corrupted")
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success(), "{status}");

    let err = client.project(142u64).download_sb3().await.unwrap_err();
    match &err {
        Error::AssetHashMismatch { name, actual, .. } => {
            assert_eq!(name, &victim);
            assert_eq!(actual, &sb3::md5_hex(b"corrupted"));
        }
        other => panic!("expected a hash mismatch, got {other}"),
    }

    let dir = temp_dir("corrupt");
    let path = dir.join("142.sb3");
    let err = client
        .project(142u64)
        .download_to(&path)
        .concurrency(1)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AssetHashMismatch { .. }), "{err}");
    assert!(dir_entries(&dir).is_empty(), "{:?}", dir_entries(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unshared_project_needs_its_token() {
    let sandbox = TestSandbox::start().await;
    let made = sandbox
        .admin_post(
            "/projects",
            json!({"owner": "mres", "title": "Secret", "shared": false}),
        )
        .await;
    let id = made["id"].as_u64().unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let body_url = format!("http://{}/projects/{id}", sandbox.addr());

    // No token, or a forged one: 403 "missing", as on the live site.
    for url in [body_url.clone(), format!("{body_url}?token=1700000000_abc")] {
        let response = http.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(response.text().await.unwrap(), "missing");
    }
    // A stranger cannot get a token (the project is invisible to them).
    let err = sandbox
        .client()
        .project(id)
        .download_sb3()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");

    // The owner's info() carries a token that opens the body.
    let owner = logged_in(&sandbox, "mres").await;
    let token = owner
        .project(id)
        .info()
        .await
        .unwrap()
        .project_token
        .unwrap();
    let response = http
        .get(format!("{body_url}?token={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let sb3 = owner.project(id).download_sb3().await.unwrap();
    assert!(sb3.missing_assets().is_empty());
    assert!(!sb3.assets.is_empty());

    // A shared project is readable without a token (peers that send none still work).
    let response = http
        .get(format!("http://{}/projects/142", sandbox.addr()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    ProjectDocument::from_json(&response.bytes().await.unwrap()).unwrap();
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_hosts_check_md5_sizes_and_login() {
    let sandbox = TestSandbox::start().await;
    let client = logged_in(&sandbox, "mres").await;
    let raw = client.raw();
    let send = |request: RawRequest| raw.send(request);

    // An asset whose body does not have the md5 of its name: 400.
    let name = sb3::asset_name(b"right", "svg");
    let wrong = RawRequest::post(Host::Assets, format!("/{name}"))
        .auth(AuthMode::Both)
        .body(Some("image/svg+xml"), &b"wrong"[..]);
    assert_eq!(send(wrong).await.unwrap().status, StatusCode::BAD_REQUEST);
    // The right body is stored, and can be read back (also with HEAD).
    let right = RawRequest::post(Host::Assets, format!("/{name}"))
        .auth(AuthMode::Both)
        .body(Some("image/svg+xml"), &b"right"[..]);
    assert_eq!(send(right).await.unwrap().status, StatusCode::OK);
    let path = format!("/internalapi/asset/{name}/get/");
    assert_eq!(
        client
            .raw()
            .get_bytes(Host::Assets, &path, &[])
            .await
            .unwrap(),
        &b"right"[..]
    );
    let head = RawRequest::new(Method::HEAD, Host::Assets, &path);
    assert_eq!(send(head).await.unwrap().status, StatusCode::OK);

    // Over 10 MB: 413.
    let big = vec![7u8; scratchkit::MAX_ASSET_BYTES + 1];
    let big_name = sb3::asset_name(&big, "wav");
    let too_big = RawRequest::post(Host::Assets, format!("/{big_name}"))
        .auth(AuthMode::Both)
        .body(Some("audio/x-wav"), big);
    assert_eq!(
        send(too_big).await.unwrap().status,
        StatusCode::PAYLOAD_TOO_LARGE
    );

    // Logged out: 401.
    let anonymous = RawRequest::post(Host::Assets, format!("/{name}"))
        .body(Some("image/svg+xml"), &b"right"[..]);
    let status = sandbox.client().raw().send(anonymous).await.unwrap().status;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A project.json over 5 MB: 413; not JSON: 400.
    let mut huge = br#"{"targets":[],"pad":""#.to_vec();
    huge.resize(scratchkit::MAX_PROJECT_JSON_BYTES + 10, b'x');
    huge.extend_from_slice(b"\"}");
    let create = |body: Vec<u8>| {
        RawRequest::post(Host::Projects, "/")
            .query("is_remix", "0")
            .auth(AuthMode::Both)
            .body(Some("application/json"), body)
    };
    assert_eq!(
        send(create(huge)).await.unwrap().status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        send(create(b"not json".to_vec())).await.unwrap().status,
        StatusCode::BAD_REQUEST
    );

    // The client refuses such a project before sending anything.
    let mut project = client.project(142u64).project_json().await.unwrap();
    project.extra.insert(
        "pad".into(),
        serde_json::Value::String("x".repeat(scratchkit::MAX_PROJECT_JSON_BYTES)),
    );
    let err = client.create_project(project).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                what: "project.json",
                ..
            }
        ),
        "{err}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_scratch2_project_is_a_clear_error() {
    let sandbox = TestSandbox::start().await;
    let client = logged_in(&sandbox, "mres").await;
    let sb3 = client.project(142u64).download_sb3().await.unwrap();
    let created = client.create_project(sb3).await.unwrap();
    // Store Scratch 2 JSON as the project's body (the live site still serves such projects).
    let sb2 = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/real/projects_json_sb2_92887076.json"),
    )
    .unwrap();
    let put = RawRequest::new(Method::PUT, Host::Projects, format!("/{}", created.id))
        .auth(AuthMode::Both)
        .body(Some("application/json"), sb2);
    assert_eq!(client.raw().send(put).await.unwrap().status, StatusCode::OK);
    let err = client.project(created.id).download_sb3().await.unwrap_err();
    assert!(
        matches!(err, Error::ProjectFile(sb3::Error::Scratch2Unsupported)),
        "{err}"
    );
    sandbox.shutdown().await;
}
