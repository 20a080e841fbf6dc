//! Reading .sb3 archives must never panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scratchkit_sb3::{Limits, ReadOptions, Sb3};

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions {
        limits: Limits {
            max_total_size: 16 * 1024 * 1024,
            max_entry_size: 4 * 1024 * 1024,
            max_entries: 1_000,
        },
        ..ReadOptions::default()
    };
    let _ = Sb3::read_with(std::io::Cursor::new(data), &options);
});
