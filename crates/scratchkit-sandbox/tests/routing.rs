//! Hosts table, Host-header routing, trailing slashes, error shapes, paging.

mod common;

use common::{client, get_json, get_text, sandbox};
use serde_json::{Value, json};

#[tokio::test]
async fn trailing_slash_is_optional_everywhere() {
    let sb = sandbox().await;
    for (a, b) in [
        ("/api/users/mres", "/api/users/mres/"),
        ("/api/projects/count/all", "/api/projects/count/all/"),
        (
            "/api/studios/5342/curators?limit=3",
            "/api/studios/5342/curators/?limit=3",
        ),
        ("/site/session", "/site/session/"),
        (
            "/site/site-api/users/all/griffpatch",
            "/site/site-api/users/all/griffpatch/",
        ),
        ("/api", "/api/"),
    ] {
        assert_eq!(get_json(&sb, a).await, get_json(&sb, b).await, "{a} vs {b}");
    }
    assert_eq!(get_json(&sb, "/api/users/mres").await["id"], 167);
}

#[tokio::test]
async fn host_header_routes_to_the_right_prefix() {
    let sb = sandbox().await;
    let http = client();
    let get = |host: &'static str, path: &'static str| {
        http.get(format!("{}{path}", sb.base_url()))
            .header("Host", host)
            .send()
    };
    let user: Value = get("api.scratch.mit.edu", "/users/mres")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(user["username"], "mres");
    let root: Value = get("api.scratch.mit.edu:443", "/")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(root["api"], "api.scratch.mit.edu");
    let session: Value = get("scratch.mit.edu", "/session/")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(session.get("flags").is_some() && session.get("user").is_none());
    let backpack: Value = get("backpack.scratch.mit.edu", "/")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(backpack, json!({"ok": "👻"}));
    let logs: Value = get("clouddata.scratch.mit.edu", "/logs?projectid=142&limit=5")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(logs.as_array().map(Vec::len), Some(5));
    // An unknown host name is not rewritten: /users/mres is not a sandbox path.
    let other = get("example.org", "/users/mres").await.unwrap();
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn api_errors_have_scratch_shapes() {
    let sb = sandbox().await;
    let not_found = json!({"code": "NotFound", "message": ""});
    for path in [
        "/api/users/nobody_here_xyz",
        "/api/projects/999999999999",
        "/api/projects/not-a-number",
        "/api/projects/142/comments",
        "/api/studios/1",
        "/api/no/such/route",
        "/api/users/griffpatch/projects/142/comments",
    ] {
        let (status, body) = get_text(&sb, path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap(),
            not_found,
            "{path}"
        );
        assert!(!body.contains(' '), "compact JSON: {body}");
    }
    let bad = json!({"code": "BadRequest", "message": ""});
    for path in [
        "/api/users/griffpatch/projects?limit=41",
        "/api/users/griffpatch/projects?limit=abc",
        "/api/users/griffpatch/projects?offset=-3",
        "/api/news?limit=0",
        "/api/explore/projects?mode=sideways",
        "/api/studios/5342/activity?dateLimit=yesterday",
        "/clouddata/logs",
    ] {
        let (status, body) = get_text(&sb, path).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), bad, "{path}");
    }
    let response = client()
        .get(format!("{}/api/users/mres", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn site_404_is_the_whoops_page() {
    let sb = sandbox().await;
    let response = client()
        .get(format!("{}/site/no/such/page/", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let body = response.text().await.unwrap();
    assert!(
        body.contains("<h1>Whoops! Our server is Scratch'ing its head</h1>"),
        "{body}"
    );
    let (status, _) = get_text(&sb, "/site/site-api/users/all/nobody_here_xyz/").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn featured_is_served_as_xml_with_seven_rows() {
    let sb = sandbox().await;
    let response = client()
        .get(format!("{}/api/proxy/featured", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/xml");
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    let rows = body.as_object().unwrap();
    assert_eq!(rows.len(), 7);
    assert!(
        rows.values()
            .all(|r| r.as_array().is_some_and(|a| !a.is_empty()))
    );
    let (status, text) = get_text(&sb, "/site/health/").await;
    assert_eq!((status, text.as_str()), (200, r#"{"healthy":true}"#));
}

#[tokio::test]
async fn demo_world_holds_the_wiki_examples() {
    let sb = sandbox().await;
    let mres = get_json(&sb, "/api/users/MRES").await;
    assert_eq!(
        (mres["id"].as_i64(), mres["username"].as_str()),
        (Some(167), Some("mres"))
    );
    assert_eq!(mres["scratchteam"], true);
    assert_eq!(
        mres["profile"]["images"]["90x90"],
        "https://cdn2.scratch.mit.edu/get_image/user/167_90x90.png?v="
    );
    let p = get_json(&sb, "/api/projects/142").await;
    assert_eq!(p["title"], "PlayWithYourFace");
    assert_eq!(p["author"]["username"], "mres");
    assert_eq!(p["author"]["history"]["joined"], "1900-01-01T00:00:00.000Z");
    let token = p["project_token"].as_str().unwrap();
    let (ts, hex) = token.split_once('_').unwrap();
    assert!(
        ts.parse::<u64>().is_ok() && hex.len() == 128 && hex.chars().all(|c| c.is_ascii_hexdigit())
    );
    assert!(p["stats"]["remixes"].as_i64().unwrap() >= 3);
    let remixes = get_json(&sb, "/api/projects/142/remixes").await;
    assert!(
        remixes
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["remix"]["parent"] == 142)
    );
    assert_eq!(get_json(&sb, "/api/studios/5342").await["host"], 167);
    let managers = get_json(&sb, "/api/studios/5342/managers").await;
    assert_eq!(
        managers[0]["username"], "mres",
        "the host is the first manager"
    );
    let own = get_json(&sb, "/api/users/griffpatch/projects?limit=40").await;
    let own = own.as_array().unwrap();
    assert_eq!(own.len(), 31);
    assert!(
        own.iter()
            .all(|p| p["author"].get("username").is_none() && p["stats"]["remixes"] == 0)
    );
    let cat = get_json(&sb, "/site/site-api/users/all/ScratchCat/").await;
    assert_eq!(cat["user"]["username"], "ScratchCat*");
    assert_eq!(cat["featured_project"], 1182391014);
    let check = get_json(&sb, "/api/accounts/checkusername/griffpatch/").await;
    assert_eq!(
        check,
        json!({"username": "griffpatch", "msg": "username exists"})
    );
    let msgs = [
        ("fresh_name_42", "valid username"),
        ("no", "invalid username"),
        ("crapname", "bad username"),
    ];
    for (name, msg) in msgs {
        let check = get_json(&sb, &format!("/api/accounts/checkusername/{name}/")).await;
        assert_eq!(check["msg"], msg, "{name}");
        let old = get_json(&sb, &format!("/site/accounts/check_username/{name}/")).await;
        assert_eq!(old[0]["msg"], msg, "{name}");
    }
    assert_eq!(
        get_json(&sb, "/api/classrooms/367806").await["educator"]["username"],
        "demo_teacher"
    );
    assert_eq!(
        get_text(&sb, "/api/classrooms/367807").await.0,
        404,
        "closed class"
    );
}

#[tokio::test]
async fn unshared_projects_are_not_found() {
    let sb = sandbox().await;
    let created: Value = client()
        .post(format!("{}/_sandbox/projects", sb.base_url()))
        .body(r#"{"owner":"griffpatch","title":"secret","shared":false}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(get_text(&sb, &format!("/api/projects/{id}")).await.0, 404);
    let listed = get_json(&sb, "/api/users/griffpatch/projects?limit=40").await;
    assert!(listed.as_array().unwrap().iter().all(|p| p["id"] != id));
}

#[tokio::test]
async fn paging_is_deterministic_and_consistent() {
    let a = sandbox().await;
    let b = sandbox().await;
    for path in [
        "/api/users/griffpatch/projects",
        "/api/users/griffpatch/followers",
        "/api/explore/projects?q=*&mode=popular",
        "/api/explore/projects?q=games&mode=trending",
        "/api/search/projects?q=cat&mode=recent",
        "/api/studios/5342/projects",
        "/api/news",
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let whole = get_json(&a, &format!("{path}{sep}limit=40")).await;
        assert_eq!(
            whole,
            get_json(&b, &format!("{path}{sep}limit=40")).await,
            "same seed, same page: {path}"
        );
        let first = get_json(&a, &format!("{path}{sep}limit=10&offset=0")).await;
        let second = get_json(&a, &format!("{path}{sep}limit=10&offset=10")).await;
        let whole = whole.as_array().unwrap();
        let joined: Vec<Value> = first
            .as_array()
            .unwrap()
            .iter()
            .chain(second.as_array().unwrap())
            .cloned()
            .collect();
        let expected: Vec<Value> = whole.iter().take(20).cloned().collect();
        let ids = |v: &[Value]| v.iter().map(|x| x["id"].clone()).collect::<Vec<_>>();
        assert_eq!(ids(&joined), ids(&expected), "pages tile the list: {path}");
        assert!(!expected.is_empty(), "{path} is not empty");
    }
    let default = get_json(&a, "/api/users/griffpatch/projects").await;
    assert_eq!(default.as_array().unwrap().len(), 20, "default limit 20");
    let past_end = get_json(&a, "/api/users/griffpatch/projects?offset=1000").await;
    assert_eq!(past_end, json!([]));
}

#[tokio::test]
async fn explore_filters_by_tag_language_and_text() {
    let sb = sandbox().await;
    let games = get_json(&sb, "/api/explore/projects?q=games&limit=40").await;
    assert!(games.as_array().unwrap().iter().all(|p| {
        p["description"].as_str().unwrap_or("").contains("#games") || p["description"] == ""
    }));
    let found = get_json(&sb, "/api/search/projects?q=PlayWithYourFace").await;
    assert_eq!(found[0]["id"], 142);
    let recent = get_json(&sb, "/api/explore/projects?q=*&mode=recent&limit=40").await;
    let shared: Vec<&str> = recent
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["history"]["shared"].as_str().unwrap())
        .collect();
    let mut sorted = shared.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(shared, sorted, "recent = newest first");
    let ja = get_json(&sb, "/api/explore/projects?q=*&language=ja&limit=40").await;
    let all = get_json(&sb, "/api/explore/projects?q=*&limit=40").await;
    assert_ne!(ja, all);
    let studios = get_json(&sb, "/api/search/studios?q=Surprise").await;
    assert_eq!(studios[0]["id"], 37071074);
}

#[tokio::test]
async fn studio_activity_honours_date_limit() {
    let sb = sandbox().await;
    let all = get_json(&sb, "/api/studios/5342/activity?limit=40").await;
    let all = all.as_array().unwrap();
    assert!(all.len() > 3);
    assert!(
        all[0]["id"].as_str().unwrap().contains('-'),
        "studio activity ids are \"<type>-<n>\""
    );
    let cut = all[2]["datetime_created"].as_str().unwrap();
    let older = get_json(&sb, &format!("/api/studios/5342/activity?dateLimit={cut}")).await;
    let older = older.as_array().unwrap();
    assert!(!older.is_empty());
    assert!(
        older
            .iter()
            .all(|a| a["datetime_created"].as_str().unwrap() < cut)
    );
}

#[tokio::test]
async fn comment_threads_are_flat_and_scoped_to_their_author_path() {
    let sb = sandbox().await;
    let top = get_json(
        &sb,
        "/api/users/ScratchCat/projects/1182391014/comments/447647641",
    )
    .await;
    assert_eq!(top["parent_id"], Value::Null);
    assert!(top["reply_count"].as_i64().unwrap() >= 1);
    let replies = get_json(
        &sb,
        "/api/users/ScratchCat/projects/1182391014/comments/447647641/replies",
    )
    .await;
    assert_eq!(replies[0]["id"], 447648029);
    assert_eq!(replies[0]["parent_id"], 447647641);
    assert_eq!(replies[0]["commentee_id"], top["author"]["id"]);
    assert_eq!(replies[0]["author"]["username"], "Paddle2See");
    assert_eq!(
        get_text(&sb, "/api/users/mres/projects/1182391014/comments")
            .await
            .0,
        404
    );
    assert_eq!(
        get_text(&sb, "/api/users/ScratchCat/projects/1182391014/comments/1")
            .await
            .0,
        404
    );
}
