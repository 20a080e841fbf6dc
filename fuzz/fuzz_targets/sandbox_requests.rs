#![no_main]
//! Fuzz target: the sandbox's own request parsing (query strings, form bodies, multipart
//! uploads, cookies, the CSRF token and Referer checks, `dateLimit` dates, fault specs, forum
//! BBCode). The first byte picks the parser; a 0 byte splits header text from the body.
//! Nothing may panic.

use libfuzzer_sys::fuzz_target;
use scratchkit_sandbox::FaultSpec;
use scratchkit_sandbox::fuzz_hooks as hooks;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (head, body) = match rest.iter().position(|&b| b == 0) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let head = String::from_utf8_lossy(head);
    match selector % 9 {
        0 => {
            if let Some((limit, offset)) = hooks::query_page(&head) {
                assert!((1..=40).contains(&limit) && offset >= 0);
            }
        }
        1 => {
            let _ = hooks::form_fields(&head, body);
        }
        2 => {
            if let Some((file, _kind)) = hooks::upload(&head, body) {
                assert!(file.len() <= body.len());
            }
        }
        3 => {
            let values: Vec<&str> = head.split('\n').collect();
            for (name, value) in hooks::cookies(&values) {
                assert!(!name.contains(';') && !value.contains(';'));
            }
        }
        4 => {
            let _ = hooks::csrf_body_token(body);
            let _ = hooks::csrf_body_token(head.as_bytes());
        }
        5 => {
            let (referer, host) = head.split_once(' ').unwrap_or((&head, ""));
            let _ = hooks::same_site_referer(referer, host);
        }
        6 => {
            let _ = hooks::parse_iso(&head);
        }
        7 => {
            if let Ok(spec) = head.parse::<FaultSpec>() {
                let _ = format!("{spec:?}");
            }
        }
        _ => {
            let html = hooks::bbcode(&head);
            assert!(!html.contains("<script"), "{html}");
        }
    }
});
