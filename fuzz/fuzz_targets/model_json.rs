#![no_main]
//! Fuzz target: every JSON response type of `scratchkit-model`, decoded from arbitrary bytes.
//! The first byte picks the type, the rest is the body. Decoding must never panic, and what
//! decodes must encode into JSON that decodes back and encodes to the same bytes (a fixpoint:
//! nothing lost after the first normalisation). Ids and timestamps parse from text too.

use libfuzzer_sys::fuzz_target;
use scratchkit_model as m;

/// Decodes `body` as `T`; on success, re-encodes and checks the round trip.
fn round_trip<T>(body: &[u8])
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(body) else {
        return;
    };
    let json = serde_json::to_vec(&value).expect("a decoded value encodes");
    let again: T = serde_json::from_slice(&json).unwrap_or_else(|e| {
        panic!(
            "our own output does not decode: {e}\n{}",
            String::from_utf8_lossy(&json)
        )
    });
    // Our output is canonical: it encodes to the same bytes again. (Values are not compared:
    // a `Timestamp` keeps a sub-millisecond fraction it read but writes milliseconds, as the
    // api does; `timestamp.rs` pins that in `parses_offsets_and_without_fraction`.)
    let json_again = serde_json::to_vec(&again).expect("a decoded value encodes");
    assert_eq!(
        String::from_utf8_lossy(&json_again),
        String::from_utf8_lossy(&json),
        "encode → decode → encode changed the JSON"
    );
}

macro_rules! dispatch {
    ($selector:expr, $body:expr, [$($t:ty),* $(,)?]) => {{
        let types: &[fn(&[u8])] = &[$(round_trip::<$t>),*];
        types[usize::from($selector) % types.len()]($body)
    }};
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    if selector == 0xff {
        // Text parsers: ids and timestamps.
        let text = String::from_utf8_lossy(body);
        let _ = text.parse::<m::ProjectId>();
        let _ = text.parse::<m::UserId>();
        let _ = text.parse::<m::StudioId>();
        let _ = text.parse::<m::CommentId>();
        let _ = text.parse::<m::TopicId>();
        let _ = text.parse::<m::PostId>();
        if let Ok(t) = m::Timestamp::parse(&text) {
            // The printed text is a fixpoint; the value is not when the input had a
            // sub-millisecond fraction, which is read but printed in milliseconds (the
            // corpus's `regression-timestamp-long-fraction`).
            let printed = t.to_string();
            let again = m::Timestamp::parse(&printed).expect("a formatted timestamp parses");
            assert_eq!(again.to_string(), printed);
            let twice = m::Timestamp::parse(&again.to_string()).expect("it parses again");
            assert_eq!(
                twice, again,
                "a printed timestamp reads back to the same value"
            );
        }
        return;
    }
    dispatch!(
        selector,
        body,
        [
            m::Project,
            m::User,
            m::Profile,
            m::Studio,
            m::StudioProject,
            m::Comment,
            m::Message,
            m::Activity,
            m::News,
            m::Featured,
            m::Session,
            m::LoginResult,
            m::Classroom,
            m::CloudLogEntry,
            m::BackpackItem,
            m::BackpackHealth,
            m::OcularUser,
            m::OcularMeta,
            m::ProjectSaved,
            m::CommentRejection,
            m::NewComment,
            m::UsernameCheck,
            m::MessageCount,
            m::LegacyMessageCount,
            m::ProjectCount,
            m::ApiRoot,
            m::Health,
            m::CloudHealth,
            m::LoveStatus,
            m::FavoriteStatus,
            m::ProjectVisibility,
            m::StudioMembership,
            m::StudioClassroom,
            m::SiteProject,
            m::SiteUser,
            m::SiteClassroom,
            m::SiteGallery,
            m::EducatorAlert,
            m::ClassroomActivity,
            m::AdminAlert,
            m::StatisticsDaily,
            m::StatisticsMonthly,
            m::SiteUserFeatured,
            m::FeaturedProjectData,
            m::MuteStatus,
            m::PasswordCheck,
            m::Permissions,
            m::SessionFlags,
            m::XToken,
            m::SessionUser,
        ]
    );
});
