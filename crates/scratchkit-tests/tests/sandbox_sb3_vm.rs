//! Every kind of .sb3 the sandbox serves (project 142, an ordinary generated project, the
//! 200-asset bench project, and a project uploaded from `ProjectBuilder`) reads and writes
//! back unchanged through scratchkit-sb3 and loads and runs in Scratch's own engine
//! (scratch-vm through `scratchkit-sb3/vm-harness`; skipped with a printed reason when node
//! or the harness's node_modules are missing, a failure under `CI=true`).

use scratchkit::sb3::vm::harness_or_skip;
use scratchkit::sb3::{Op, ProjectBuilder, ProjectDocument, Sb3, Script};
use scratchkit_sandbox::SandboxConfig;
use scratchkit_tests::TestSandbox;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_served_sb3_round_trips_and_runs_in_scratch_vm() {
    let sandbox = TestSandbox::start_with(SandboxConfig {
        scale: 1,
        ..SandboxConfig::default()
    })
    .await;
    let ordinary = sandbox.create_project("griffpatch", "Ordinary", true).await;

    // A project built from code, uploaded: served back as uploaded.
    let mut b = ProjectBuilder::new();
    b.stage().variable("sum", 0).unwrap();
    b.stage()
        .script(Script::new([
            Op::when_flag_clicked(),
            Op::set_var("sum", 0),
            Op::repeat(10, [Op::change_var("sum", 2)]),
        ]))
        .unwrap();
    let built = b.finish();
    let owner = sandbox.logged_in("griffpatch").await;
    let uploaded = owner
        .create_project(built.clone())
        .title("Built")
        .await
        .unwrap()
        .id;

    let harness = harness_or_skip("every_kind_of_served_sb3_round_trips_and_runs_in_scratch_vm");
    for id in [142, ordinary, 2_000_000_001, uploaded.0] {
        let sb3 = owner.project(id).download_sb3().await.unwrap();
        let bytes = sb3.to_bytes().unwrap();
        let again = Sb3::from_bytes(&bytes).unwrap();
        assert_eq!(again.project, sb3.project, "project {id}");
        assert_eq!(again.assets, sb3.assets, "project {id}");
        assert_eq!(
            again.to_bytes().unwrap(),
            bytes,
            "project {id}: stable bytes"
        );
        if id == uploaded.0 {
            assert_eq!(sb3.project, built.project, "served as uploaded");
        }
        let Some(harness) = &harness else { continue };
        let run = harness
            .run(&bytes, 30, true)
            .unwrap_or_else(|e| panic!("project {id}: {e}"));
        assert_eq!(run.targets.len(), sb3.project.targets.len(), "project {id}");
        let saved = serde_json::to_vec(run.saved.as_ref().unwrap()).unwrap();
        let reread = ProjectDocument::from_json(&saved).unwrap();
        assert_eq!(
            reread.block_count(),
            sb3.project.block_count(),
            "project {id}"
        );
        assert_eq!(
            reread.asset_names(),
            sb3.project.asset_names(),
            "project {id}: scratch-vm kept every asset"
        );
        if id == uploaded.0 {
            assert_eq!(run.global("sum"), Some(&json!(20)));
        }
    }
    sandbox.shutdown().await;
}
