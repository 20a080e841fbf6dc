//! `GET /session/` in both shapes, and a muted user's `mute_status`, as the client's own model
//! types ([`Session`] and [`MuteStatus`]).

use scratchkit_model::{
    ClassroomId, MuteOffense, MuteStatus, Permissions, Session, SessionFlags, SessionUser,
    Timestamp, UserId, XToken,
};

use super::unsigned;
use crate::store::users::UserRow;

/// The flags every session carries (the four keys of the logged-out recording).
fn comment_flags() -> SessionFlags {
    SessionFlags {
        project_comments_enabled: Some(true),
        gallery_comments_enabled: Some(true),
        userprofile_comments_enabled: Some(true),
        everything_is_totally_normal: Some(false),
        ..SessionFlags::default()
    }
}

/// The logged-out session: flags only (exactly the four keys of the recording).
pub(crate) fn logged_out() -> Session {
    Session {
        user: None,
        permissions: None,
        flags: comment_flags(),
    }
}

/// Empty (`{}`) when not muted at `now`, otherwise the mute object of auth.md §4.2 (epoch
/// seconds).
pub(crate) fn mute_status(u: &UserRow, now: i64) -> MuteStatus {
    match u.muted_until {
        Some(until) if until > now => MuteStatus {
            offenses: vec![MuteOffense {
                expires_at: Timestamp::from_unix_seconds(until),
                message_type: Some("general".to_owned()),
                created_at: Timestamp::from_unix_seconds((until - 3600).min(now)),
            }],
            show_warning: Some(true),
            mute_expires_at: Timestamp::from_unix_seconds(until),
            current_message_type: Some("general".to_owned()),
        },
        _ => MuteStatus::default(),
    }
}

/// The logged-in session (keys of `session_logged_in_student_REDACTED.json`).
pub(crate) fn logged_in(u: &UserRow, token: &str, email: &str, now: i64) -> Session {
    let role = u.role.as_str();
    Session {
        user: Some(SessionUser {
            id: UserId(unsigned(u.id)),
            username: u.username.clone(),
            banned: u.banned,
            token: XToken::new(token),
            thumbnail_url: format!("//cdn2.scratch.mit.edu/get_image/user/{}_32x32.png", u.id),
            date_joined: Timestamp::from_unix_seconds(u.joined),
            email: Some(email.to_owned()),
            classroom_id: u.classroom_id.map(|class| ClassroomId(unsigned(class))),
            should_vpn: None,
            birth_year: None,
            birth_month: None,
            gender: None,
        }),
        permissions: Some(Permissions {
            admin: role == "scratch_team",
            scratcher: role != "new_scratcher",
            new_scratcher: role == "new_scratcher",
            invited_scratcher: false,
            social: !u.banned,
            educator: role == "teacher",
            educator_invitee: false,
            student: role == "student",
            mute_status: mute_status(u, now),
        }),
        flags: SessionFlags {
            must_reset_password: Some(false),
            must_complete_registration: Some(false),
            has_outstanding_email_confirmation: Some(false),
            show_welcome: Some(now - u.joined < 14 * 86_400),
            confirm_email_banner: Some(false),
            unsupported_browser_banner: Some(false),
            ..comment_flags()
        },
    }
}
