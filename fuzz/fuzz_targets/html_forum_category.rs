#![no_main]
//! Fuzz target: the parser must never panic, whatever the page.

use libfuzzer_sys::fuzz_target;

fn url() -> url::Url {
    url::Url::parse("https://scratch.mit.edu/").expect("valid literal")
}

fuzz_target!(|data: &str| {
    let _ = scratchkit::forums::parse_category_page(data, &url());
});
