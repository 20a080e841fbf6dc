//! The models of old-site answers that were never recorded: classes as their teacher sees
//! them, educator alerts, classroom activity, "My Stuff" galleries, Scratch Team alerts and
//! the password check. Each decodes the shape the sandbox emits (and encodes back into the
//! same JSON), the shapes endpoints.md documents, and variations a lenient model must survive.

use scratchkit_model::*;
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"))
}

/// `{username, pk, thumbnail_url, admin}` as the sandbox writes it.
fn old_user(name: &str, pk: u64, admin: bool) -> Value {
    json!({
        "username": name,
        "pk": pk,
        "thumbnail_url": format!("//uploads.scratch.mit.edu/users/avatars/{pk}.png"),
        "admin": admin,
    })
}

#[test]
fn site_classroom_from_the_sandbox_round_trips() {
    let body = json!({
        "id": 367806,
        "title": "Sandbox Class",
        "description": "Learning to code",
        "status": "Clones",
        "visibility": "visible",
        "datetime_created": "2024-09-01T08:00:00",
        "gallery_count": 1,
        "student_count": 4,
        "commenters_count": 2,
        "unread_alert_count": 2,
        "thumbnail_url": "//cdn2.scratch.mit.edu/get_image/classroom/367806_250x150.png",
        "token": "sandboxclass367806",
        "educator": {"username": "demo_teacher", "pk": 99000102},
        "educator_profile": old_user("demo_teacher", 99000102, false),
    });
    let class: SiteClassroom = decode(&body);
    assert_eq!(class.id, Some(ClassroomId(367806)));
    assert_eq!(class.title, "Sandbox Class");
    assert_eq!(class.description.as_deref(), Some("Learning to code"));
    assert_eq!(class.status.as_deref(), Some("Clones"));
    assert_eq!(class.visibility, Some(ClassroomVisibility::Visible));
    assert!(!class.is_closed());
    assert_eq!(
        class.datetime_created.unwrap().to_naive_string(),
        "2024-09-01T08:00:00"
    );
    assert_eq!(
        (
            class.gallery_count,
            class.student_count,
            class.unread_alert_count
        ),
        (1, 4, 2)
    );
    assert_eq!(class.commenters_count, Some(2));
    assert_eq!(class.token.as_deref(), Some("sandboxclass367806"));
    let educator = class.educator.as_ref().unwrap();
    assert_eq!(
        (educator.username.as_str(), educator.pk),
        ("demo_teacher", Some(UserId(99000102)))
    );
    assert_eq!(educator.thumbnail_url, None);
    assert_eq!(
        class
            .educator_profile
            .as_ref()
            .unwrap()
            .thumbnail_url
            .as_deref(),
        Some("//uploads.scratch.mit.edu/users/avatars/99000102.png")
    );
    assert!(class.extra.is_empty());
    // Same keys, same JSON types, same date form.
    assert_eq!(serde_json::to_value(&class).unwrap(), body);
}

#[test]
fn site_classroom_in_the_documented_shapes() {
    // endpoints.md §3.9, list item: no id; `visibility` "closed" for the /closed/ list.
    let item: SiteClassroom = decode(&json!({
        "datetime_created": "2023-01-05T10:11:12", "gallery_count": 0, "student_count": 12,
        "thumbnail_url": "//cdn2.scratch.mit.edu/get_image/classroom/1_250x150.png",
        "title": "Period 3", "token": "abc123", "unread_alert_count": 0,
        "visibility": "closed", "commenters_count": 5,
        "educator_profile": {"username": "teacher", "pk": 9, "admin": false, "bio": "hi"},
    }));
    assert_eq!(item.id, None);
    assert!(item.is_closed());
    assert_eq!(item.student_count, 12);
    let profile = item.educator_profile.unwrap();
    assert_eq!(profile.pk, Some(UserId(9)));
    assert_eq!(profile.extra["bio"], "hi");

    // endpoints.md §3.9, one class (SP's type): no visibility, no commenters_count; the id
    // may come as a string.
    let one: SiteClassroom = decode(&json!({
        "id": "42", "title": "T", "description": "D", "status": "S",
        "educator": {"username": "teacher", "pk": 9},
        "datetime_created": "2023-01-05T10:11:12.000Z", "gallery_count": 1,
        "student_count": 2, "thumbnail_url": "//x.png", "token": "t",
        "unread_alert_count": 3, "new_key": [1, 2],
    }));
    assert_eq!(one.id, Some(ClassroomId(42)));
    assert_eq!(one.visibility, None);
    assert!(!one.is_closed());
    assert_eq!(one.commenters_count, None);
    assert_eq!(one.extra["new_key"], json!([1, 2]));
    assert!(one.datetime_created.is_some());

    // A new visibility and nulls where values were expected to be optional.
    let odd: SiteClassroom = decode(&json!({
        "title": "X", "visibility": "archived", "token": null, "datetime_created": null,
    }));
    assert_eq!(
        odd.visibility,
        Some(ClassroomVisibility::Unknown("archived".into()))
    );
    assert!(!odd.is_closed());
    assert_eq!(odd.token, None);
    assert_eq!(
        decode::<SiteClassroom>(&json!({})),
        SiteClassroom::default()
    );
}

#[test]
fn educator_alerts_from_the_sandbox_round_trip() {
    let body = json!({
        "model": "educators.educatoralert",
        "pk": 2,
        "fields": {
            "educator_datetime_read": null,
            "admin_action": {
                "type": "project_censored",
                "datetime_created": "2025-06-01T09:25:59",
                "target_user": old_user("demo_student", 99000103, false),
                "actor": old_user("ScratchCat", 1, true),
                "object_id": 2,
                "extra_data": {"reason": "Project unshared: please give credit when remixing."},
            },
        },
    });
    let alert: EducatorAlert = decode(&body);
    assert_eq!(alert.pk, Some(AlertId(2)));
    assert_eq!(alert.model.as_deref(), Some("educators.educatoralert"));
    assert!(!alert.is_read());
    let action = alert.fields.admin_action.as_ref().unwrap();
    assert_eq!(
        action.kind,
        Some(AlertCode::Text("project_censored".into()))
    );
    assert_eq!(
        action.target_user.as_ref().unwrap().pk,
        Some(UserId(99000103))
    );
    assert!(action.actor.as_ref().unwrap().is_scratch_team());
    assert_eq!(action.object_id, Some(json!(2)));
    assert_eq!(
        action.extra_data.as_ref().unwrap()["reason"],
        "Project unshared: please give credit when remixing."
    );
    assert_eq!(serde_json::to_value(&alert).unwrap(), body);

    // Read, with an integer type code.
    let read: EducatorAlert = decode(&json!({
        "model": "educators.educatoralert", "pk": "3",
        "fields": {"educator_datetime_read": "2025-06-02T10:00:00",
                   "admin_action": {"type": 4, "object_id": "77"}},
    }));
    assert!(read.is_read());
    assert_eq!(read.pk, Some(AlertId(3)));
    let action = read.fields.admin_action.unwrap();
    assert_eq!(action.kind, Some(AlertCode::Number(4)));
    assert_eq!(action.kind.unwrap().to_string(), "4");
    assert_eq!(action.object_id, Some(json!("77")));

    // The bare minimum (what a stub server may send).
    let bare: EducatorAlert = decode(&json!({"pk": 1, "fields": {}}));
    assert_eq!(bare.pk, Some(AlertId(1)));
    assert!(bare.fields.admin_action.is_none() && !bare.is_read());
    // A type that is neither a string nor a number is refused, not guessed.
    assert!(serde_json::from_value::<AlertCode>(json!({"a": 1})).is_err());
}

#[test]
fn classroom_activity_items_from_the_sandbox() {
    let actor = old_user("demo_student", 99000103, false);
    let items = json!([
        {"type": 0, "actor": actor, "datetime_created": "2025-06-02T09:25:59",
         "followed_username": "mres", "followed_user": 3},
        {"type": 1, "actor": actor, "datetime_created": "2025-06-02T09:25:59",
         "gallery": 5342, "title": "Games"},
        {"type": 2, "actor": actor, "datetime_created": "2025-06-02T09:25:59",
         "project": 142, "title": "Pong", "recipient": old_user("mres", 3, false)},
        {"type": 3, "actor": actor, "datetime_created": "2025-06-02T09:25:59",
         "project": 142, "project_title": "Pong", "project_creator": "mres"},
        {"type": 8, "actor": actor, "datetime_created": "2025-06-02T09:25:59",
         "project": 143, "title": "Mine", "is_reshare": false},
        {"type": 20, "actor": actor, "datetime_created": "2025-06-02T09:25:59",
         "gallery": 5342, "gallery_title": "Games", "recipient": null,
         "recipient_username": "kid2"},
    ]);
    let decoded: Vec<ClassroomActivity> = decode(&items);
    let kinds: Vec<ClassroomActivityType> = decoded.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [
            ClassroomActivityType::FollowUser,
            ClassroomActivityType::FollowStudio,
            ClassroomActivityType::LoveProject,
            ClassroomActivityType::FavoriteProject,
            ClassroomActivityType::ShareProject(8),
            ClassroomActivityType::PromoteToManager(20),
        ]
    );
    assert!(decoded.iter().all(|a| {
        a.actor.as_ref().and_then(|u| u.pk) == Some(UserId(99000103))
            && a.datetime_created.is_some()
    }));
    assert_eq!(decoded[0].followed_username.as_deref(), Some("mres"));
    assert_eq!(decoded[0].extra["followed_user"], 3);
    assert_eq!(decoded[1].gallery, Some(StudioId(5342)));
    assert_eq!(decoded[2].project, Some(ProjectId(142)));
    assert_eq!(decoded[2].recipient_user().unwrap().username, "mres");
    assert_eq!(decoded[3].project_creator.as_deref(), Some("mres"));
    assert_eq!(decoded[4].is_reshare, Some(false));
    assert_eq!(decoded[5].recipient, Some(None));
    assert!(decoded[5].recipient_user().is_none());
    assert_eq!(decoded[5].recipient_username.as_deref(), Some("kid2"));

    // Encoding writes the same keys back, the `null` recipient included.
    assert_eq!(serde_json::to_value(&decoded).unwrap(), items);
}

#[test]
fn classroom_activity_in_the_documented_shapes() {
    // endpoints.md §2.11.11: remix, comment, profile update (unknown-shaped keys go to extra).
    let remix: ClassroomActivity = decode(&json!({
        "type": 11, "actor": {"username": "kid", "pk": 5, "thumbnail_url": "//u", "admin": false},
        "datetime_created": "2025-01-01T00:00:00", "project": "900", "title": "Remix",
        "parent": 800, "parent_title": "Original", "recipient": {"username": "author", "pk": 6},
    }));
    assert_eq!(remix.kind, ClassroomActivityType::RemixProject);
    assert_eq!(remix.project, Some(ProjectId(900)));
    assert_eq!(remix.parent, Some(ProjectId(800)));
    assert_eq!(remix.parent_title.as_deref(), Some("Original"));

    let comment: ClassroomActivity = decode(&json!({
        "type": 27, "actor": {"username": "kid"}, "datetime_created": "2025-01-01T00:00:00",
        "comment_type": 0, "comment_fragment": "nice", "comment_id": 12345,
        "comment_obj_id": 142, "comment_obj_title": "Pong", "commentee_username": null,
        "recipient": null,
    }));
    assert_eq!(comment.kind, ClassroomActivityType::Comment(27));
    assert_eq!(comment.comment_type, Some(CommentTarget::Project));
    assert_eq!(comment.comment_id, Some(CommentId(12345)));
    assert_eq!(comment.comment_obj_id, Some(142));
    assert_eq!(comment.commentee_username, Some(None));
    assert_eq!(comment.actor.unwrap().pk, None);

    let profile: ClassroomActivity = decode(&json!({
        "type": 24, "changed_fields": {"bio": true}, "datetime_created": null,
    }));
    assert_eq!(profile.kind, ClassroomActivityType::UpdateProfile(24));
    assert_eq!(profile.extra["changed_fields"], json!({"bio": true}));
    assert!(profile.actor.is_none() && profile.datetime_created.is_none());

    // Without a type an item is not an activity item.
    assert!(serde_json::from_value::<ClassroomActivity>(json!({"actor": {}})).is_err());
}

#[test]
fn classroom_activity_codes_round_trip() {
    for code in -2..40 {
        let kind = ClassroomActivityType::from(code);
        assert_eq!(kind.code(), code);
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(code));
        assert_eq!(
            serde_json::from_value::<ClassroomActivityType>(json!(code)).unwrap(),
            kind
        );
        let known = matches!(code, 0..=3 | 7..=11 | 13 | 15..=27);
        assert_eq!(kind.is_known(), known, "{code}");
    }
    assert_eq!(
        ClassroomActivityType::from(99),
        ClassroomActivityType::Unknown(99)
    );
    // A numeric string is accepted; other strings are not.
    assert_eq!(
        serde_json::from_value::<ClassroomActivityType>(json!("7")).unwrap(),
        ClassroomActivityType::AddProjectToStudio
    );
    assert!(serde_json::from_value::<ClassroomActivityType>(json!("love")).is_err());
}

#[test]
fn site_galleries_from_the_sandbox_round_trip() {
    let body = json!({
        "pk": 5342,
        "model": "galleries.gallery",
        "fields": {
            "title": "Games",
            "owner": old_user("Maximouse", 7, false),
            "thumbnail_url": "//uploads.scratch.mit.edu/galleries/thumbnails/5342.png",
            "datetime_created": "2025-06-02T09:25:59",
            "datetime_modified": "2025-06-03T10:00:00",
            "commenters_count": 2,
            "curators_count": 3,
            "projecters_count": 40,
        },
    });
    let studio: SiteGallery = decode(&body);
    assert_eq!(studio.pk, StudioId(5342));
    assert_eq!(studio.fields.title, "Games");
    assert_eq!(studio.fields.owner.as_ref().unwrap().name(), "Maximouse");
    assert_eq!(
        (
            studio.fields.commenters_count,
            studio.fields.curators_count,
            studio.fields.projecters_count
        ),
        (2, 3, 40)
    );
    assert!(studio.fields.datetime_created < studio.fields.datetime_modified);
    assert_eq!(serde_json::to_value(&studio).unwrap(), body);

    // Documented keys only partly: everything but the pk may be missing.
    let bare: SiteGallery = decode(&json!({"pk": "5", "fields": {"title": "S", "is_open": true}}));
    assert_eq!(bare.pk, StudioId(5));
    assert_eq!(bare.fields.title, "S");
    assert_eq!(bare.fields.extra["is_open"], true);
    assert!(bare.fields.owner.is_none() && bare.model.is_none());
    assert!(serde_json::from_value::<SiteGallery>(json!({"fields": {}})).is_err());
}

#[test]
fn admin_alerts_keep_what_they_do_not_know() {
    let body = json!({"id": 12, "message": "Please be kind", "datetime_created": "2025-06-02T09:25:59.000Z"});
    let alert: AdminAlert = decode(&body);
    assert_eq!(alert.id, Some(AlertId(12)));
    assert_eq!(alert.message.as_deref(), Some("Please be kind"));
    assert_eq!(alert.datetime_created.unwrap().unix_seconds(), 1748856359);
    assert_eq!(serde_json::to_value(&alert).unwrap(), body);

    let other: AdminAlert = decode(&json!({"id": "9", "kind": "warning", "message": null}));
    assert_eq!(other.id, Some(AlertId(9)));
    assert_eq!(other.message, None);
    assert_eq!(other.extra["kind"], "warning");
    assert_eq!(decode::<AdminAlert>(&json!({})), AdminAlert::default());
}

#[test]
fn password_checks() {
    let ok: PasswordCheck = decode(&json!({"msg": "valid password"}));
    assert!(ok.is_valid());
    assert_eq!(ok, PasswordCheck::new("valid password"));
    assert!(!decode::<PasswordCheck>(&json!({"msg": "invalid password"})).is_valid());
    assert!(!decode::<PasswordCheck>(&json!({})).is_valid());
    assert_eq!(
        serde_json::to_value(PasswordCheck::new("invalid password")).unwrap(),
        json!({"msg": "invalid password"})
    );
}

#[test]
fn site_users_strip_the_scratch_team_star() {
    let u: SiteUser = decode(&json!({"username": "ScratchCat*", "pk": 1, "admin": true}));
    assert_eq!(u.name(), "ScratchCat");
    assert_eq!(u.username, "ScratchCat*");
    let plain: SiteUser = decode(&json!({"username": "mres"}));
    assert_eq!(plain.name(), "mres");
    assert!(!plain.is_scratch_team() && plain.pk.is_none() && plain.admin.is_none());
    assert!(decode::<SiteUser>(&json!({"username": "x", "admin": true})).is_scratch_team());
}
