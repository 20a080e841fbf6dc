//! Classes: the api reads, the teacher's site-api routes, student registration, class
//! studios, activity, educator alerts and the public class pages.

mod common;

use common::admin;
use common::sandbox;
use common::session::{Caller, Reply};
use serde_json::json;

const CLASS: i64 = 367_806;
const CLOSED_CLASS: i64 = 367_807;

/// The seeded class's token, read as its teacher.
async fn token_of(teacher: &Caller, class: i64) -> String {
    let r = teacher
        .get(&format!("/site/site-api/classrooms/all/{class}/"))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["token"].as_str().expect("token").to_owned()
}

async fn register(anon: &Caller, class: i64, token: &str, username: &str) -> Reply {
    let form = format!(
        "classroom_id={class}&classroom_token={token}&username={username}&password=pass123word\
&birth_month=1&birth_year=2012&gender=%28Prefer+not+to+say%29&country=United+States&is_robot=false"
    );
    anon.send_raw(
        "POST",
        "/site/classes/register_new_student/",
        "application/x-www-form-urlencoded",
        form.into_bytes(),
    )
    .await
}

#[tokio::test]
async fn api_reads_by_id_and_by_token() {
    let sb = sandbox().await;
    let anon = Caller::anonymous(&sb);
    let by_id = anon.get(&format!("/api/classrooms/{CLASS}")).await;
    assert_eq!(by_id.status, 200);
    assert_eq!(by_id.body["educator"]["username"], "demo_teacher");
    assert!(
        by_id.body["date_end"].is_null() && by_id.body.get("date_end").is_some(),
        "date_end present and null while open: {:?}",
        by_id.body
    );
    // The answer is the client's model type, written back unchanged.
    let class: scratchkit_model::Classroom = serde_json::from_value(by_id.body.clone()).unwrap();
    assert_eq!(class.date_end, None);
    assert_eq!(serde_json::to_value(&class).unwrap(), by_id.body);
    let by_token = anon.get("/api/classtoken/sandboxclass367806").await;
    assert_eq!(by_token.status, 200);
    assert_eq!(by_token.body, by_id.body);
    // Closed classes and unknown tokens are not served.
    assert_eq!(
        anon.get("/api/classtoken/sandboxclass367807").await.status,
        404
    );
    assert_eq!(
        anon.get("/api/classtoken/nope").await.body["code"],
        "NotFound"
    );
    assert_eq!(
        anon.get(&format!("/api/classrooms/{CLOSED_CLASS}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn teacher_creates_edits_closes_and_reopens_a_class() {
    let sb = sandbox().await;
    let teacher = Caller::login(&sb, "demo_teacher").await;
    let anon = Caller::anonymous(&sb);
    let created = teacher
        .post(
            "/site/classes/create_classroom/",
            json!({"title": "Robotics", "description": "Robots", "status": "Motors"}),
        )
        .await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    let item = &created.body[0];
    assert_eq!(item["success"], true);
    assert_eq!(item["title"], "Robotics");
    let id = item["id"].as_i64().expect("id");

    let api = anon.get(&format!("/api/classrooms/{id}")).await.body;
    assert_eq!(
        (
            api["title"].as_str(),
            api["description"].as_str(),
            api["status"].as_str()
        ),
        (Some("Robotics"), Some("Robots"), Some("Motors"))
    );
    assert_eq!(api["educator"]["username"], "demo_teacher");
    let token = token_of(&teacher, id).await;
    assert_eq!(
        anon.get(&format!("/api/classtoken/{token}")).await.body["id"],
        id
    );

    let edited = teacher
        .put(
            &format!("/site/site-api/classrooms/all/{id}/"),
            json!({"title": "Robotics II", "description": "More robots"}),
        )
        .await;
    assert_eq!(edited.status, 200);
    assert_eq!(edited.body["title"], "Robotics II");
    assert_eq!(edited.body["description"], "More robots");
    assert_eq!(edited.body["status"], "Motors");
    assert_eq!(edited.body["visibility"], "visible");
    assert_eq!(edited.body["student_count"], 0);
    let status = teacher
        .put(
            &format!("/site/site-api/classrooms/all/{id}/"),
            json!({"status": "Sensors"}),
        )
        .await;
    assert_eq!(status.body["status"], "Sensors");
    // An empty title or an unknown visibility is refused without any change.
    for body in [json!({"title": " "}), json!({"visibility": "gone"})] {
        let r = teacher
            .put(&format!("/site/site-api/classrooms/all/{id}/"), body)
            .await;
        assert_eq!(r.status, 400);
    }
    assert_eq!(
        anon.get(&format!("/api/classrooms/{id}")).await.body["title"],
        "Robotics II"
    );

    let closed = teacher
        .post(
            &format!("/site/site-api/classrooms/close_classroom/{id}/"),
            json!({}),
        )
        .await;
    assert_eq!(closed.status, 200);
    assert_eq!(closed.body["visibility"], "closed");
    assert_eq!(anon.get(&format!("/api/classrooms/{id}")).await.status, 404);
    let ids = |r: Reply| -> Vec<i64> {
        r.body
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|k| k["id"].as_i64())
            .collect()
    };
    let open_ids = ids(teacher.get("/site/site-api/classrooms/all/").await);
    let closed_ids = ids(teacher.get("/site/site-api/classrooms/closed/").await);
    assert!(
        !open_ids.contains(&id) && open_ids.contains(&CLASS),
        "{open_ids:?}"
    );
    assert!(
        closed_ids.contains(&id) && closed_ids.contains(&CLOSED_CLASS),
        "{closed_ids:?}"
    );
    // No registration link for a closed class.
    assert_eq!(
        teacher
            .get(&format!(
                "/site/site-api/classrooms/generate_registration_link/{id}/"
            ))
            .await
            .status,
        400
    );

    let reopened = teacher
        .put(
            &format!("/site/site-api/classrooms/all/{id}/"),
            json!({"visibility": "visible"}),
        )
        .await;
    assert_eq!(reopened.body["visibility"], "visible");
    let api = anon.get(&format!("/api/classrooms/{id}")).await;
    assert_eq!(api.status, 200);
    assert!(api.body["date_end"].is_null());
    // Past the last page: 404.
    assert_eq!(
        teacher
            .get("/site/site-api/classrooms/all/?page=2")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn only_the_teacher_acts_and_refusals_change_nothing() {
    let sb = sandbox().await;
    admin(
        &sb,
        "/users",
        json!({"username": "other_teacher", "password": "pass123word", "role": "teacher"}),
    )
    .await;
    let anon = Caller::anonymous(&sb);
    let scratcher = Caller::login(&sb, "griffpatch").await;
    let student = Caller::login(&sb, "demo_student").await;
    let other_teacher = Caller::login(&sb, "other_teacher").await;
    let teacher = Caller::login(&sb, "demo_teacher").await;
    let before = anon.get(&format!("/api/classrooms/{CLASS}")).await.body;

    for (who, expected) in [(&anon, 401), (&scratcher, 403), (&student, 403)] {
        let r = who
            .post("/site/classes/create_classroom/", json!({"title": "Nope"}))
            .await;
        assert_eq!(r.status, expected, "create as {}", who.name());
    }
    for (who, expected) in [(&anon, 401), (&student, 403), (&other_teacher, 403)] {
        let edit = who
            .put(
                &format!("/site/site-api/classrooms/all/{CLASS}/"),
                json!({"title": "Hijacked"}),
            )
            .await;
        assert_eq!(edit.status, expected, "edit as {}", who.name());
        let close = who
            .post(
                &format!("/site/site-api/classrooms/close_classroom/{CLASS}/"),
                json!({}),
            )
            .await;
        assert_eq!(close.status, expected, "close as {}", who.name());
        for path in [
            format!("/site/site-api/classrooms/all/{CLASS}/"),
            format!("/site/site-api/classrooms/generate_registration_link/{CLASS}/"),
            format!("/site/site-api/classrooms/activity/{CLASS}/all/"),
            format!("/site/site-api/classrooms/alerts/{CLASS}/"),
        ] {
            assert_eq!(
                who.get(&path).await.status,
                expected,
                "{path} as {}",
                who.name()
            );
        }
    }
    assert_eq!(
        anon.get(&format!("/api/classrooms/{CLASS}")).await.body,
        before
    );
    // The other teacher's own lists do not show someone else's class.
    let mine = other_teacher.get("/site/site-api/classrooms/all/").await;
    assert_eq!(mine.body, json!([]));
    assert_eq!(
        teacher
            .get("/site/site-api/classrooms/all/999999/")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn registration_link_and_student_registration() {
    let sb = sandbox().await;
    let teacher = Caller::login(&sb, "demo_teacher").await;
    let anon = Caller::anonymous(&sb);
    let link = teacher
        .get(&format!(
            "/site/site-api/classrooms/generate_registration_link/{CLASS}/"
        ))
        .await;
    assert_eq!(link.status, 200);
    let reg_link = link.body["reg_link"].as_str().expect("reg_link");
    let token = reg_link
        .strip_prefix("https://scratch.mit.edu/signup/")
        .expect("signup link");
    assert_eq!(token, token_of(&teacher, CLASS).await);
    let count_before = teacher
        .get(&format!("/site/site-api/classrooms/all/{CLASS}/"))
        .await
        .body["student_count"]
        .as_i64()
        .unwrap();
    assert!(count_before >= 3, "seeded students: {count_before}");

    let ok = register(&anon, CLASS, token, "new_pupil").await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    assert_eq!(ok.body[0]["username"], "new_pupil");
    assert_eq!(ok.body[0]["success"], true);
    assert_eq!(anon.get("/api/users/new_pupil").await.status, 200);
    let pupil = Caller::login(&sb, "new_pupil").await;
    let session = pupil.get("/site/session/").await.body;
    assert_eq!(session["user"]["classroomId"], CLASS);
    assert_eq!(
        teacher
            .get(&format!("/site/site-api/classrooms/all/{CLASS}/"))
            .await
            .body["student_count"],
        count_before + 1
    );
    let (_, students) = common::get_text(&sb, &format!("/site/classes/{CLASS}/students/")).await;
    assert!(
        students.contains("        <a href=\"/users/new_pupil/\">"),
        "{students}"
    );

    // Refusals: no `username` key, and no account made.
    for (class, token, name, status) in [
        (CLASS, "wrongtoken", "pupil_two", 403),
        (CLOSED_CLASS, "sandboxclass367807", "pupil_three", 403),
        (999_999, token, "pupil_four", 404),
        (CLASS, token, "new_pupil", 400),
        (CLASS, token, "x", 400),
    ] {
        let r = register(&anon, class, token, name).await;
        assert_eq!(r.status, status, "{name}: {:?}", r.body);
        assert_eq!(r.body[0]["success"], false);
        assert!(r.body[0].get("username").is_none(), "{:?}", r.body);
    }
    for name in ["pupil_two", "pupil_three", "pupil_four"] {
        assert_eq!(anon.get(&format!("/api/users/{name}")).await.status, 404);
    }
}

/// The registration link leads somewhere: `/site/signup/<token>` (the link through the hosts
/// table) and `/web/signup/<token>` serve the class's sign-up form, wired to the class.
#[tokio::test]
async fn the_registration_link_serves_a_sign_up_form() {
    let sb = sandbox().await;
    let teacher = Caller::login(&sb, "demo_teacher").await;
    let token = token_of(&teacher, CLASS).await;
    let title = teacher
        .get(&format!("/site/site-api/classrooms/all/{CLASS}/"))
        .await
        .body["title"]
        .as_str()
        .expect("title")
        .to_owned();
    for path in [
        format!("/site/signup/{token}"),
        format!("/site/signup/{token}/"),
        format!("/web/signup/{token}"),
    ] {
        let (status, page) = common::get_text(&sb, &path).await;
        assert_eq!(status, 200, "{path}: {page}");
        assert!(page.contains("id=\"signup-form\""), "{path}: {page}");
        assert!(
            page.contains(&format!("data-classroom-id=\"{CLASS}\"")),
            "{path}: {page}"
        );
        assert!(
            page.contains(&format!("data-classroom-token=\"{token}\"")),
            "{path}: {page}"
        );
        assert!(
            page.contains("demo_teacher"),
            "{path}: the teacher is named"
        );
        let escaped = title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;");
        assert!(page.contains(&escaped), "{path}: the title {title:?}");
    }
    // The page's form posts these fields as a form body, like `register` (the Chromium test
    // submits the form itself); the class still takes new students after the page is read.
    let anon = Caller::anonymous(&sb);
    let ok = register(&anon, CLASS, &token, "form_pupil").await;
    assert_eq!(ok.body[0]["success"], true, "{:?}", ok.body);

    let (status, page) = common::get_text(&sb, "/site/signup/nosuchtoken").await;
    assert_eq!(status, 404, "{page}");
    let closed = token_of(&teacher, CLOSED_CLASS).await;
    let (status, page) = common::get_text(&sb, &format!("/web/signup/{closed}")).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("id=\"signup-closed\""), "{page}");
    assert!(!page.contains("signup-form"), "{page}");
}

#[tokio::test]
async fn class_studios_and_class_pages() {
    let sb = sandbox().await;
    let teacher = Caller::login(&sb, "demo_teacher").await;
    let other = Caller::login(&sb, "griffpatch").await;
    let anon = Caller::anonymous(&sb);
    let token = token_of(&teacher, CLASS).await;
    let body = |token: &str| {
        json!({"classroom_id": CLASS.to_string(), "classroom_token": token,
               "title": "Class Games", "description": "Our games"})
    };
    assert_eq!(
        other
            .post("/site/classes/create_classroom_gallery/", body(&token))
            .await
            .status,
        403
    );
    assert_eq!(
        teacher
            .post("/site/classes/create_classroom_gallery/", body("bad"))
            .await
            .status,
        403
    );
    let count = |r: Reply| r.body["gallery_count"].as_i64().unwrap();
    let detail = format!("/site/site-api/classrooms/all/{CLASS}/");
    assert_eq!(count(teacher.get(&detail).await), 0);
    let made = teacher
        .post("/site/classes/create_classroom_gallery/", body(&token))
        .await;
    assert_eq!(made.status, 200, "{:?}", made.body);
    assert_eq!(made.body["success"], true);
    let redirect = made.body["redirect"].as_str().unwrap();
    let studio: i64 = redirect
        .trim_start_matches("/studios/")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let api = anon.get(&format!("/api/studios/{studio}")).await.body;
    assert_eq!(api["title"], "Class Games");
    assert_eq!(count(teacher.get(&detail).await), 1);

    let (status, page) = common::get_text(&sb, &format!("/site/classes/{CLASS}/")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<title>Sandbox Class on Scratch</title>"),
        "{page}"
    );
    assert_eq!(page.matches("<p class=\"overview\">").count(), 2);
    assert!(page.contains("Class Studios (1)"));
    assert!(page.contains("Students ("));
    assert!(page.contains(
        "Scratch.INIT_DATA.PROFILE = {\n  model: {\n    id: 'demo_teacher',\n    userId: "
    ));
    assert!(page.contains("/users/demo_student/"));
    let (_, studios) = common::get_text(&sb, &format!("/site/classes/{CLASS}/studios/")).await;
    assert!(
        studios.contains(&format!(
            "<span class=\"title\">\n    <a href=\"/studios/{studio}/\">"
        )),
        "{studios}"
    );
    assert_eq!(
        common::get_text(&sb, &format!("/site/classes/{CLASS}/studios/?page=2"))
            .await
            .0,
        404
    );
    let (status, whoops) = common::get_text(&sb, "/site/classes/999999/").await;
    assert_eq!(status, 404);
    assert!(whoops.contains("Whoops! Our server is Scratch'ing its head"));
    // Closed classes keep their page.
    let (status, closed) = common::get_text(&sb, &format!("/site/classes/{CLOSED_CLASS}/")).await;
    assert_eq!(status, 200);
    assert!(
        closed.contains("Last Year&#39;s Class on Scratch"),
        "{closed}"
    );
}

/// Each item of `items` decodes into the client's model type `T` and writes back unchanged.
fn round_trips<T: serde::de::DeserializeOwned + serde::Serialize>(items: &serde_json::Value) {
    for item in items.as_array().expect("a list") {
        let decoded: T = serde_json::from_value(item.clone()).expect("decodes");
        assert_eq!(&serde_json::to_value(&decoded).unwrap(), item);
    }
}

#[tokio::test]
async fn student_activity_and_educator_alerts() {
    let sb = sandbox().await;
    let teacher = Caller::login(&sb, "demo_teacher").await;
    let student = Caller::login(&sb, "demo_student").await;
    let project = admin(
        &sb,
        "/projects",
        json!({"owner": "griffpatch", "title": "Lovable", "shared": true}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    admin(
        &sb,
        "/users",
        json!({"username": "followme", "password": "pass123word"}),
    )
    .await;
    let love = student
        .post(
            &format!("/api/projects/{project}/loves/user/demo_student"),
            json!({}),
        )
        .await;
    assert_eq!(love.status, 200, "{:?}", love.body);
    let follow = student
        .put(
            "/site/site-api/users/followers/followme/add/?usernames=demo_student",
            json!({}),
        )
        .await;
    assert_eq!(follow.status, 200);

    let all = teacher
        .get(&format!("/site/site-api/classrooms/activity/{CLASS}/all/"))
        .await;
    assert_eq!(all.status, 200);
    let items = all.body.as_array().expect("list");
    assert_eq!(items.len(), 2, "{items:?}");
    round_trips::<scratchkit_model::ClassroomActivity>(&all.body);
    let follow_item = &items[0];
    assert_eq!(follow_item["type"], 0);
    assert_eq!(follow_item["followed_username"], "followme");
    assert_eq!(follow_item["actor"]["username"], "demo_student");
    let love_item = &items[1];
    assert_eq!(love_item["type"], 2);
    assert_eq!(love_item["project"], project);
    assert_eq!(love_item["title"], "Lovable");
    assert_eq!(love_item["recipient"]["username"], "griffpatch");
    assert!(love_item["datetime_created"].as_str().unwrap().len() == 19);
    let oldest = teacher
        .get(&format!(
            "/site/site-api/classrooms/activity/{CLASS}/all/?ascsort=date&descsort="
        ))
        .await;
    assert_eq!(oldest.body[0]["type"], 2);
    let one = teacher
        .get(&format!(
            "/site/site-api/classrooms/activity/{CLASS}/demo_student/"
        ))
        .await;
    assert_eq!(one.body.as_array().map(Vec::len), Some(2));
    assert_eq!(
        teacher
            .get(&format!(
                "/site/site-api/classrooms/activity/{CLASS}/griffpatch/"
            ))
            .await
            .status,
        404,
        "not a student of the class"
    );

    let detail = format!("/site/site-api/classrooms/all/{CLASS}/");
    let class = teacher.get(&detail).await.body;
    assert_eq!(class["unread_alert_count"], 2);
    round_trips::<scratchkit_model::SiteClassroom>(&json!([class]));
    let alerts = teacher.get("/site/site-api/classrooms/alerts/").await;
    assert_eq!(alerts.status, 200);
    round_trips::<scratchkit_model::EducatorAlert>(&alerts.body);
    let list = alerts.body.as_array().expect("list");
    assert_eq!(list.len(), 2);
    let fields = &list[0]["fields"];
    assert!(fields["educator_datetime_read"].is_null());
    assert_eq!(
        fields["admin_action"]["target_user"]["username"],
        "demo_student"
    );
    assert!(fields["admin_action"]["actor"]["admin"].as_bool().unwrap());
    assert!(fields["admin_action"]["type"].is_string());
    // Listing marked them read.
    assert_eq!(teacher.get(&detail).await.body["unread_alert_count"], 0);
    let again = teacher
        .get(&format!("/site/site-api/classrooms/alerts/{CLASS}/"))
        .await;
    assert!(again.body[0]["fields"]["educator_datetime_read"].is_string());
}
