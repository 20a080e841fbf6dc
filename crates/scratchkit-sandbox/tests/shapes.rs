//! Every real fixture that corresponds to an endpoint the sandbox serves is compared, key by
//! key and type by type, with the sandbox's answer for the same endpoint.

mod common;

use std::collections::BTreeSet;

use common::{fixture, fixtures_dir, get_json, sandbox, shape_diff};
use scratchkit_sandbox::SandboxHandle;
use serde_json::Value;

/// How a fixture relates to the sandbox's answer.
#[derive(Clone, Copy)]
enum Compare {
    /// The fixture is the whole response.
    Whole,
    /// The fixture is one element of the response array (compared with our first element).
    Element,
}

/// Fixture → sandbox URL (prefix included).
const MAPPED: &[(&str, &str, Compare)] = &[
    (
        "accounts_check_username_exists.json",
        "/site/accounts/check_username/ScratchCat/",
        Compare::Whole,
    ),
    ("api_health_2025.json", "/api/health", Compare::Whole),
    ("api_news_2015.json", "/api/news", Compare::Whole),
    ("api_news_2025.json", "/api/news", Compare::Whole),
    (
        "api_news_compact_2022.json",
        "/api/news?limit=40",
        Compare::Whole,
    ),
    (
        "api_projects_499038694.json",
        "/api/projects/499038694",
        Compare::Whole,
    ),
    (
        "api_projects_comment_reply_object.json",
        "/api/users/ScratchCat/projects/1182391014/comments/447647641/replies",
        Compare::Element,
    ),
    (
        "api_proxy_featured_2025.json",
        "/api/proxy/featured",
        Compare::Whole,
    ),
    // The root document was only ever recorded in its 2015 form, which is still what it is.
    ("api_root_2015.json", "/api/", Compare::Whole),
    (
        "api_studios_37071074.json",
        "/api/studios/37071074",
        Compare::Whole,
    ),
    (
        "api_studios_comments_verification_codes.json",
        "/api/studios/37071074/comments",
        Compare::Whole,
    ),
    (
        "api_studios_curators_page_pydump.json",
        "/api/studios/5342/curators",
        Compare::Whole,
    ),
    (
        "api_studios_managers_page_pydump.json",
        "/api/studios/5342/managers",
        Compare::Whole,
    ),
    (
        "api_users_PMJ_Studio.json",
        "/api/users/PMJ_Studio",
        Compare::Whole,
    ),
    (
        "api_users_ScratchCat.json",
        "/api/users/ScratchCat",
        Compare::Whole,
    ),
    (
        "api_users_compact_2022.json",
        "/api/users/griffpatch",
        Compare::Whole,
    ),
    (
        "api_users_gdpr_deleted.json",
        "/api/users/mres",
        Compare::Whole,
    ),
    (
        "api_users_griffpatch_projects_2024.json",
        "/api/users/griffpatch/projects",
        Compare::Whole,
    ),
    (
        "api_users_kakurenbo_2022.json",
        "/api/users/kakurenbo",
        Compare::Whole,
    ),
    (
        "api_users_messages_count.json",
        "/api/users/mres/messages/count",
        Compare::Whole,
    ),
    (
        "api_users_student_empty_bio.json",
        "/api/users/demo_student",
        Compare::Whole,
    ),
    ("backpack_root.json", "/backpack/", Compare::Whole),
    (
        "clouddata_logs_entry.json",
        "/clouddata/logs?projectid=142&limit=40&offset=0",
        Compare::Element,
    ),
    ("scratch_health.json", "/site/health/", Compare::Whole),
    ("session_logged_out.json", "/site/session/", Compare::Whole),
    (
        "siteapi_projects_shared_item.json",
        "/site/site-api/projects/shared/ScratchCat/",
        Compare::Element,
    ),
    (
        "siteapi_users_all_ScratchCat.json",
        "/site/site-api/users/all/ScratchCat/",
        Compare::Whole,
    ),
    (
        "statistics_data_daily.json",
        "/site/statistics/data/daily/",
        Compare::Whole,
    ),
    (
        "statistics_data_monthly_ga.json",
        "/site/statistics/data/monthly-ga/",
        Compare::Whole,
    ),
];

/// Fixtures deliberately not compared, and why. The 2015 shapes are superseded by the
/// modern ones: the sandbox matches modern shapes only.
const NOT_MAPPED: &[(&str, &str)] = &[
    (
        "api_health_2015.json",
        "2015 shape, superseded by api_health_2025.json",
    ),
    (
        "api_users_mres_2015.json",
        "2015 user shape (avatar, login, HTML entities), superseded by the modern user fixtures",
    ),
    (
        "api_users_following_2015.json",
        "2015 user shape; /following is served in the modern user shape (compared below)",
    ),
    (
        "api_projects_pre_token_2022.json",
        "pre-2022 project without project_token, superseded by api_projects_499038694.json",
    ),
    (
        "ocular_api_user_Jeffalo.json",
        "third-party service under /ext/ocular: a later issue",
    ),
    (
        "projects_json_sb2_165661752.json",
        "project file (projects host): a later issue",
    ),
    (
        "projects_json_sb2_92887076.json",
        "project file (projects host): a later issue",
    ),
    (
        "projects_json_sb3_control_chars_217845144.json",
        "project file (projects host): a later issue",
    ),
    (
        "projects_json_sb3_minimal.json",
        "project file (projects host): a later issue",
    ),
    (
        "projects_json_sb3_monitors.json",
        "project file (projects host): a later issue",
    ),
    (
        "session_logged_in_student_REDACTED.json",
        "logged-in session: needs a session, compared in tests/login.rs",
    ),
];

/// Endpoints without a recording of their own, compared with the fixture of the same object
/// kind. `allowed` lists differences that are deliberate.
const SAME_KIND: &[(&str, &str, Compare, &[&str])] = &[
    (
        "api_users_ScratchCat.json",
        "/api/users/griffpatch/followers",
        Compare::Element,
        &[],
    ),
    (
        "api_users_ScratchCat.json",
        "/api/users/mres/following",
        Compare::Element,
        &[],
    ),
    (
        "api_studios_37071074.json",
        "/api/users/griffpatch/studios/curate",
        Compare::Element,
        &[],
    ),
    (
        "api_studios_37071074.json",
        "/api/users/mres/projects/142/studios",
        Compare::Element,
        &[],
    ),
    (
        "api_studios_37071074.json",
        "/api/explore/studios?mode=popular&q=*",
        Compare::Element,
        &[],
    ),
    (
        "api_studios_37071074.json",
        "/api/search/studios?q=studio",
        Compare::Element,
        &[],
    ),
    (
        "api_studios_comments_verification_codes.json",
        "/api/users/mres/projects/142/comments",
        Compare::Whole,
        &[],
    ),
    (
        "api_projects_comment_reply_object.json",
        "/api/studios/5342/comments/500000001/replies",
        Compare::Element,
        &[],
    ),
    (
        "api_projects_comment_reply_object.json",
        "/api/users/ScratchCat/projects/1182391014/comments/447648029",
        Compare::Whole,
        &[],
    ),
    (
        "api_studios_comments_verification_codes.json",
        "/api/studios/5342/comments",
        Compare::Whole,
        &[],
    ),
    // Lists other than the owner's keep the author's name: nothing else would tell it.
    (
        "api_users_griffpatch_projects_2024.json",
        "/api/explore/projects?mode=trending&q=*",
        Compare::Whole,
        &["$[0].author: extra key username"],
    ),
    (
        "api_users_griffpatch_projects_2024.json",
        "/api/search/projects?q=the&mode=popular",
        Compare::Whole,
        &["$[0].author: extra key username"],
    ),
    (
        "api_users_griffpatch_projects_2024.json",
        "/api/users/griffpatch/favorites",
        Compare::Whole,
        &["$[0].author: extra key username"],
    ),
    (
        "api_users_griffpatch_projects_2024.json",
        "/api/projects/142/remixes",
        Compare::Whole,
        &["$[0].author: extra key username"],
    ),
    (
        "api_users_messages_count.json",
        "/api/projects/count/all",
        Compare::Whole,
        &[],
    ),
];

async fn compare(sb: &SandboxHandle, name: &str, url: &str, how: Compare) -> Vec<String> {
    let real = fixture(name);
    let ours = get_json(sb, url).await;
    let ours = match how {
        Compare::Whole => ours,
        Compare::Element => match ours {
            Value::Array(items) if !items.is_empty() => items[0].clone(),
            other => return vec![format!("{url}: expected a non-empty array, got {other}")],
        },
    };
    shape_diff(&real, &ours)
}

#[tokio::test]
async fn every_mapped_fixture_has_the_same_shape() {
    let sb = sandbox().await;
    let mut failures = Vec::new();
    for (name, url, how) in MAPPED {
        for diff in compare(&sb, name, url, *how).await {
            failures.push(format!("{name} vs {url}: {diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "shape differences:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn unrecorded_endpoints_match_their_object_kind() {
    let sb = sandbox().await;
    let mut failures = Vec::new();
    for (name, url, how, allowed) in SAME_KIND {
        for diff in compare(&sb, name, url, *how).await {
            if !allowed.contains(&diff.as_str()) {
                failures.push(format!("{name} vs {url}: {diff}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "shape differences:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_fixture_is_either_mapped_or_explained() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    let mapped: BTreeSet<String> = MAPPED.iter().map(|m| m.0.to_owned()).collect();
    let explained: BTreeSet<String> = NOT_MAPPED.iter().map(|m| m.0.to_owned()).collect();
    assert!(
        mapped.is_disjoint(&explained),
        "a fixture is in both tables"
    );
    let known: BTreeSet<String> = mapped.union(&explained).cloned().collect();
    let unknown: Vec<_> = on_disk.difference(&known).collect();
    assert!(unknown.is_empty(), "fixtures in neither table: {unknown:?}");
    let missing: Vec<_> = known.difference(&on_disk).collect();
    assert!(
        missing.is_empty(),
        "tables name fixtures that do not exist: {missing:?}"
    );
}

#[test]
fn shape_diff_finds_differences() {
    use serde_json::json;
    let real = json!({"a": 1, "b": [{"c": "x"}], "d": null, "f": 1.5});
    assert!(shape_diff(&real, &json!({"a": 2, "b": [{"c": "y"}], "d": 3, "f": 2})).is_empty());
    let diff = shape_diff(
        &real,
        &json!({"a": "2", "b": [{"e": 1}], "d": null, "f": 1.0, "g": 0}),
    );
    assert_eq!(diff.len(), 4, "{diff:?}");
    assert!(diff.contains(&"$: extra key g".to_owned()));
    assert!(diff.contains(&"$.a: expected integer, found string".to_owned()));
    assert!(diff.contains(&"$.b[0]: missing key c".to_owned()));
    assert!(diff.contains(&"$.b[0]: extra key e".to_owned()));
    assert_eq!(shape_diff(&json!([1]), &json!([])).len(), 1);
    assert_eq!(shape_diff(&json!({"n": 1}), &json!({"n": 1.5})).len(), 1);
}
