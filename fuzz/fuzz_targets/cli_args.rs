#![no_main]
//! Fuzz target: the `scratch` command line. The input is split into argument words (on NUL
//! bytes when it has any, so a word can hold spaces or be empty; else on ASCII whitespace) and
//! given to clap after the program name, as the binary's `main` does (`inputs::ArgParser`,
//! which parses like `inputs::parse_args` but keeps one built command definition instead of
//! building every command and flag again for each input).
//! Bytes that are not UTF-8 stay as they are (an `OsString`, as Unix passes them). Then:
//!
//! - clap's error, if any, is rendered as `scratch` would print it, and its exit code must be
//!   0 (`--help`, `--version`) or 2 (a usage error);
//! - an accepted command line goes through the checks its command makes before any network
//!   or file access (`inputs::check`: account names, comment targets, `--faults`, the cloud
//!   server's settings flags, backpack file kinds, voices).
//!
//! Nothing may panic, including clap's own debug assertions about the command definitions
//! (the fuzz build has debug assertions on).

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use scratch::inputs::{ArgParser, check};

/// More words than any real command line takes; longer inputs only slow the target down.
const MAX_WORDS: usize = 64;

static PARSER: Mutex<Option<ArgParser>> = Mutex::new(None);

fn words(data: &[u8]) -> Vec<OsString> {
    let split: Vec<&[u8]> = if data.contains(&0) {
        data.split(|b| *b == 0).collect()
    } else {
        data.split(u8::is_ascii_whitespace)
            .filter(|w| !w.is_empty())
            .collect()
    };
    split
        .into_iter()
        .take(MAX_WORDS)
        .map(|w| OsString::from_vec(w.to_vec()))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let mut argv = vec![OsString::from("scratch")];
    argv.extend(words(data));
    let mut parser = PARSER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match parser.get_or_insert_with(ArgParser::new).parse(argv) {
        Ok(cli) => {
            let _ = check(&cli);
        }
        Err(err) => {
            let _ = err.render().to_string();
            let code = err.exit_code();
            assert!(code == 0 || code == 2, "clap exit code {code}: {err}");
        }
    }
});
