//! Behaviour of the lenient enums and of the models of responses that were never recorded.

use scratchkit_model::*;
use serde_json::{Value, json};

#[test]
fn lenient_enums_keep_unknown_strings() {
    let v: Visibility = serde_json::from_str("\"censbyadmin\"").unwrap();
    assert_eq!(v, Visibility::Unknown("censbyadmin".into()));
    assert!(!v.is_known());
    assert_eq!(serde_json::to_string(&v).unwrap(), "\"censbyadmin\"");

    let t: ActivityType = serde_json::from_str("\"somethingnew\"").unwrap();
    assert_eq!(t.as_str(), "somethingnew");
    assert_eq!(serde_json::to_value(&t).unwrap(), json!("somethingnew"));

    let m: MessageType = "addcomment".parse().unwrap();
    assert_eq!(m, MessageType::AddComment);
    assert!(m.is_known());
    assert_eq!(m.to_string(), "addcomment");

    let u: UsernameStatus = serde_json::from_str("\"too short\"").unwrap();
    assert_eq!(u, UsernameStatus::Unknown("too short".into()));
    for known in [
        "valid username",
        "username exists",
        "invalid username",
        "bad username",
    ] {
        let s = UsernameStatus::from(known);
        assert!(s.is_known(), "{known}");
        assert_eq!(serde_json::to_value(&s).unwrap(), json!(known));
    }

    assert_eq!(
        ExploreMode::from(String::from("popular")),
        ExploreMode::Popular
    );
    assert_eq!(ExploreMode::from("weekly").as_str(), "weekly");
    assert_eq!(CloudVerb::from("rename_var"), CloudVerb::Rename);
    assert_eq!(FeaturedItemKind::from("gallery"), FeaturedItemKind::Gallery);
    assert_eq!(BackpackItemKind::from("sprite"), BackpackItemKind::Sprite);
    // Only strings are enum values.
    assert!(serde_json::from_str::<Visibility>("3").is_err());
}

#[test]
fn studio_activity_and_feed_items() {
    let studio = json!({
        "id": "becomehoststudio-77", "type": "becomehoststudio", "actor_id": 5,
        "actor_username": "st", "datetime_created": "2024-02-03T04:05:06.000Z",
        "admin_actor": true, "former_host_username": "old", "recipient_username": "new"
    });
    let a: Activity = serde_json::from_value(studio.clone()).unwrap();
    assert_eq!(a.id, ActivityId::Text("becomehoststudio-77".into()));
    assert_eq!(a.kind, ActivityType::BecomeHostStudio);
    assert_eq!(a.admin_actor, Some(true));
    assert_eq!(a.recipient_username.as_deref(), Some("new"));
    assert!(a.extra.is_empty());
    assert_eq!(serde_json::to_value(&a).unwrap(), studio);

    let feed = json!({
        "id": 123456, "type": "becomecurator", "actor_id": 9, "actor_username": "x",
        "datetime_created": "2024-02-03T04:05:06.000Z", "username": "y",
        "gallery_id": 42, "gallery_title": "S", "some_future_key": [1, 2]
    });
    let f: Activity = serde_json::from_value(feed.clone()).unwrap();
    assert_eq!(f.id, ActivityId::Number(123_456));
    assert_eq!(f.gallery_id, Some(StudioId(42)));
    assert_eq!(f.extra["some_future_key"], json!([1, 2]));
    assert_eq!(serde_json::to_value(&f).unwrap(), feed);
}

#[test]
fn messages() {
    let comment = json!({
        "id": 1, "datetime_created": "2017-10-31T20:28:56.000Z", "comment_type": 2,
        "comment_fragment": "hey", "type": "addcomment", "actor_id": 3, "actor_username": "a",
        "comment_id": 4, "comment_obj_id": 5, "comment_obj_title": "Studio",
        "commentee_username": "b"
    });
    let m: Message = serde_json::from_value(comment.clone()).unwrap();
    assert_eq!(m.kind, MessageType::AddComment);
    assert_eq!(m.comment_type, Some(CommentTarget::Studio));
    assert_eq!(m.comment_id, Some(CommentId(4)));
    assert_eq!(serde_json::to_value(&m).unwrap(), comment);
    assert_eq!(m.commentee(), Some("b"));

    // Not a reply: the live site sends `"commentee_username": null`, and it is written back.
    let not_reply = json!({
        "id": 6, "datetime_created": "2017-10-31T20:28:56.000Z", "comment_type": 1,
        "comment_fragment": "hi", "type": "addcomment", "actor_id": 3, "actor_username": "a",
        "comment_id": 7, "comment_obj_id": 8, "comment_obj_title": "me",
        "commentee_username": null
    });
    let m: Message = serde_json::from_value(not_reply.clone()).unwrap();
    assert_eq!(m.commentee_username, Some(None));
    assert_eq!(m.commentee(), None);
    assert_eq!(serde_json::to_value(&m).unwrap(), not_reply);

    let odd = json!({"id": 2, "type": "newkind", "actor_username": "a", "comment_type": 9,
        "datetime_created": "2017-10-31T20:28:56.000Z", "whatever": {"k": "v"}});
    let m: Message = serde_json::from_value(odd.clone()).unwrap();
    assert_eq!(m.kind, MessageType::Unknown("newkind".into()));
    assert_eq!(m.comment_type, Some(CommentTarget::Unknown(9)));
    assert_eq!(m.extra["whatever"], json!({"k": "v"}));
    assert_eq!(serde_json::to_value(&m).unwrap(), odd);

    let remix = json!({"id": 3, "type": "remixproject", "actor_username": "r",
        "datetime_created": "2017-10-31T20:28:56.000Z", "project_id": "10",
        "title": "Remix", "parent_id": 9, "parent_title": "Orig"});
    let m: Message = serde_json::from_value(remix).unwrap();
    assert_eq!(m.project_id, Some(ProjectId(10)));
    assert_eq!(m.parent_id, Some(ProjectId(9)));
}

#[test]
fn unrecorded_small_shapes() {
    let vis: ProjectVisibility = serde_json::from_value(json!({
        "projectId": 1, "creatorId": 2, "deleted": false, "censored": true,
        "censoredByAdmin": true, "censoredByCommunity": false, "reshareable": false,
        "message": "Your project was censored."
    }))
    .unwrap();
    assert!(vis.censored_by_admin && !vis.censored_by_community);
    assert_eq!(serde_json::to_value(&vis).unwrap()["censoredByAdmin"], true);

    let fav: FavoriteStatus = serde_json::from_value(
        json!({"projectId": "12", "userFavorite": true, "statusChanged": true}),
    )
    .unwrap();
    assert_eq!(fav.project_id, ProjectId(12));
    assert_eq!(serde_json::to_value(&fav).unwrap()["projectId"], "12");

    let role: StudioMembership = serde_json::from_value(
        json!({"manager": false, "curator": true, "invited": false, "following": true}),
    )
    .unwrap();
    assert!(role.curator && role.following && !role.manager);

    let item: StudioProject = serde_json::from_value(json!({
        "id": 5, "title": "P", "image": "https://x/5.png", "creator_id": 6, "username": "u",
        "avatar": {"90x90": "https://x/6_90x90.png"}, "actor_id": 7
    }))
    .unwrap();
    assert_eq!(item.actor_id, Some(UserId(7)));
    assert_eq!(item.avatar.get("90x90"), Some("https://x/6_90x90.png"));

    let class: Classroom = serde_json::from_value(json!({
        "id": 8, "title": "C", "description": "d", "status": "s",
        "date_start": "2020-01-01T00:00:00.000Z", "images": {"250x150": "https://x/8.png"},
        "educator": {"id": 1, "username": "teacher", "scratchteam": false,
            "history": {"joined": "2019-01-01T00:00:00.000Z"},
            "profile": {"id": 2, "images": {}, "status": "", "bio": "", "country": "France"}}
    }))
    .unwrap();
    assert_eq!(class.educator.unwrap().username, "teacher");

    let bp: BackpackItem = serde_json::from_value(json!({
        "id": "a1b2", "type": "costume", "mime": "image/svg+xml", "name": "cat",
        "body": "abc.svg", "thumbnail": "abc.jpg"
    }))
    .unwrap();
    assert_eq!(bp.kind, BackpackItemKind::Costume);

    let monthly: StatisticsMonthly = serde_json::from_value(json!({
        "age_distribution_data": [{"key": "Age", "color": "#f00",
            "values": [{"x": 10, "y": 500}, {"x": 11, "y": 700}]}],
        "_TS": 1.5
    }))
    .unwrap();
    assert_eq!(monthly.age_distribution_data[0].values[1].y, 700.0);
    assert!(monthly.activity_data.is_empty());

    let cloud: CloudHealth = serde_json::from_value(
        json!({"uptime": 12.5, "load": [0.1, 0.2, 0.3], "redis": {"connected": true, "ready": false}}),
    )
    .unwrap();
    assert_eq!(
        cloud.redis,
        Some(ConnectionHealth {
            connected: true,
            ready: false
        })
    );
}

#[test]
fn comment_rejection_with_mute() {
    let r: CommentRejection = serde_json::from_value(json!({
        "rejected": "isMuted",
        "status": {"mute_status": {"offenses": [{"expiresAt": 1700000300, "messageType": "pii",
            "createdAt": 1700000000}], "showWarning": true, "muteExpiresAt": 1700000300,
            "currentMessageType": "pii"}}
    }))
    .unwrap();
    let mute = r.status.unwrap().mute_status;
    assert!(mute.is_muted());
    assert_eq!(
        mute.offenses[0].created_at.unwrap().unix_seconds(),
        1_700_000_000
    );
    let back = serde_json::to_value(&mute).unwrap();
    assert_eq!(back["muteExpiresAt"], 1_700_000_300);
}

#[test]
fn new_comment_body() {
    let body = NewComment {
        content: "x".into(),
        parent_id: Some(CommentId(1)),
        commentee_id: None,
    };
    let v: Value = serde_json::to_value(&body).unwrap();
    assert_eq!(
        v,
        json!({"content": "x", "parent_id": 1, "commentee_id": ""})
    );
    assert_eq!(serde_json::from_value::<NewComment>(v).unwrap(), body);
    // A sandbox reading bodies sent by other clients: "" and null mean "none", strings of digits ids.
    let other: NewComment =
        serde_json::from_value(json!({"content": "x", "parent_id": "1", "commentee_id": null}))
            .unwrap();
    assert_eq!(other, body);
    assert!(
        serde_json::from_value::<NewComment>(json!({"content": "x", "parent_id": "abc"})).is_err()
    );
}

#[test]
fn login_result() {
    let ok: Vec<LoginResult> = serde_json::from_value(json!([{
        "username": "me", "token": "tok-123", "num_tries": 0, "success": 1,
        "msg": "", "messages": [], "id": 99
    }]))
    .unwrap();
    assert!(ok[0].is_success());
    assert_eq!(ok[0].id, Some(UserId(99)));
    assert_eq!(ok[0].token.as_ref().unwrap().expose_secret(), "tok-123");
    assert!(!format!("{:?}", ok[0]).contains("tok-123"));
}
