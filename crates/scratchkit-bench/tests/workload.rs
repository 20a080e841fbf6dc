//! The scratchkit side of the benchmark against an in-process scaled sandbox.

use scratchkit::Client;
use scratchkit_bench::workload::{list_projects, lookups, spread};
use scratchkit_sandbox::{SandboxConfig, spawn_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_every_bench_project_and_looks_them_up() {
    let sandbox = spawn_with(
        ([127, 0, 0, 1], 0).into(),
        SandboxConfig {
            scale: 1,
            ..SandboxConfig::default()
        },
    )
    .await
    .expect("sandbox starts");
    let client = Client::sandbox(sandbox.addr());

    let (ids, list) = list_projects(&client, "bench").await.expect("list");
    assert_eq!(ids.len(), 2000);
    assert_eq!(list.items, 2000);
    assert_eq!(list.requests, 51, "50 full pages and one empty page");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 2000, "no project listed twice");

    let chosen = spread(&ids, 30);
    assert_eq!(chosen.len(), 30);
    let one_by_one = lookups(&client, &chosen, 1)
        .await
        .expect("sequential lookups");
    assert_eq!((one_by_one.requests, one_by_one.items), (30, 30));
    let parallel = lookups(&client, &chosen, 16)
        .await
        .expect("concurrent lookups");
    assert_eq!((parallel.requests, parallel.items), (30, 30));

    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_missing_user_is_an_error_not_an_empty_list() {
    let sandbox = scratchkit_sandbox::spawn(([127, 0, 0, 1], 0).into())
        .await
        .expect("sandbox starts");
    let client = Client::sandbox(sandbox.addr());
    // scale 0: there is no user `bench`.
    let outcome = list_projects(&client, "bench").await;
    assert!(outcome.is_err(), "{outcome:?}");
    sandbox.shutdown().await;
}

#[test]
fn spread_keeps_everything_when_asked_for_more() {
    let ids: Vec<_> = (1..=3).map(scratchkit::model::ProjectId).collect();
    assert_eq!(spread(&ids, 10), ids);
    assert!(spread(&[], 5).is_empty());
}
