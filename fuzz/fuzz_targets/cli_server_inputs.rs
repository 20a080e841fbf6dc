#![no_main]
//! Fuzz target: what a user hands `scratch cloud-server` and `scratch sandbox` besides plain
//! flags: the cloud server's TOML configuration file, its `SCRATCH_CLOUD_…` environment
//! variables and `--key value` flags (resolved together by `ServerConfig::load`), and the
//! sandbox's `--faults` spec. None may panic; a configuration that loads must print back
//! (`--print-config`) as TOML that loads to the same configuration.
//!
//! The input is split on the first two NUL bytes: file text, then `NAME=value` lines for the
//! environment, then `path=value` lines for the flags; the whole input is also tried as a
//! fault spec.

use libfuzzer_sys::fuzz_target;
use scratchkit_sandbox::FaultSpec;
use scratchkit_sandbox::cloud::{ConfigSources, ServerConfig};

fn pairs(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fuzz_target!(|data: &str| {
    let _ = data.parse::<FaultSpec>();

    let mut parts = data.splitn(3, '\0');
    let file = parts.next().unwrap_or_default();
    let env = parts.next().unwrap_or_default();
    let flags = parts.next().unwrap_or_default();
    let sources = ConfigSources {
        file_text: Some(("fuzz.toml".to_owned(), file.to_owned())),
        env: pairs(env),
        flags: pairs(flags),
    };
    let Ok(config) = ServerConfig::load(&sources) else {
        return;
    };
    let printed = config.to_toml();
    let again = ServerConfig::load(&ConfigSources {
        file_text: Some(("printed.toml".to_owned(), printed.clone())),
        ..ConfigSources::default()
    })
    .unwrap_or_else(|e| panic!("the printed configuration does not load: {e}\n{printed}"));
    assert_eq!(again.to_toml(), printed, "printing is not stable");
});
