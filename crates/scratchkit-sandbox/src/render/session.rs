//! `GET /session/` in both shapes, and a muted user's `mute_status`.

use serde_json::{Value, json};

use crate::store::users::UserRow;
use crate::timefmt::naive;

/// Flags of the logged-out session (exactly the four keys of the recording).
pub(crate) fn logged_out() -> Value {
    json!({
        "flags": {
            "project_comments_enabled": true,
            "gallery_comments_enabled": true,
            "userprofile_comments_enabled": true,
            "everything_is_totally_normal": false,
        }
    })
}

/// `{}` when not muted at `now`, otherwise the mute object of auth.md §4.2 (epoch seconds).
pub(crate) fn mute_status(u: &UserRow, now: i64) -> Value {
    match u.muted_until {
        Some(until) if until > now => json!({
            "offenses": [{
                "expiresAt": until,
                "messageType": "general",
                "createdAt": (until - 3600).min(now),
            }],
            "showWarning": true,
            "muteExpiresAt": until,
            "currentMessageType": "general",
        }),
        _ => json!({}),
    }
}

/// The logged-in session (keys of `session_logged_in_student_REDACTED.json`).
pub(crate) fn logged_in(u: &UserRow, token: &str, email: &str, now: i64) -> Value {
    let mut user = json!({
        "id": u.id,
        "banned": u.banned,
        "username": u.username,
        "token": token,
        "thumbnailUrl": format!("//cdn2.scratch.mit.edu/get_image/user/{}_32x32.png", u.id),
        "dateJoined": naive(u.joined),
        "email": email,
    });
    if let (Some(class), Value::Object(map)) = (u.classroom_id, &mut user) {
        map.insert("classroomId".into(), Value::from(class));
    }
    let role = u.role.as_str();
    json!({
        "user": user,
        "permissions": {
            "admin": role == "scratch_team",
            "scratcher": role != "new_scratcher",
            "new_scratcher": role == "new_scratcher",
            "invited_scratcher": false,
            "social": !u.banned,
            "educator": role == "teacher",
            "educator_invitee": false,
            "student": role == "student",
            "mute_status": mute_status(u, now),
        },
        "flags": {
            "must_reset_password": false,
            "must_complete_registration": false,
            "has_outstanding_email_confirmation": false,
            "show_welcome": now - u.joined < 14 * 86_400,
            "confirm_email_banner": false,
            "unsupported_browser_banner": false,
            "project_comments_enabled": true,
            "gallery_comments_enabled": true,
            "userprofile_comments_enabled": true,
            "everything_is_totally_normal": false,
        }
    })
}
