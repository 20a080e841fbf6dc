#![no_main]
//! Fuzz target: the parser must never panic, whatever the page.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let _ = scratchkit::forums::parse_forum_date(data, now);
});
