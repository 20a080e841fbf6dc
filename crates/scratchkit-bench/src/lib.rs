//! The bulk-read benchmark (scratchkit against scratchattach) and the sandbox runner of the
//! Python compat harness (`compat/`).
//!
//! Binaries:
//! - `sandbox-for-compat`: a sandbox on `127.0.0.1:<free port>`; prints `ADDR=…` first, serves
//!   until stdin closes (see [`serve`]).
//! - `bulk-read`: runs a scaled sandbox and the clients in separate processes and prints a
//!   table of throughput, CPU per request and peak memory (see [`workload`], [`report`]).
//!
//! ```text
//! cargo run --release -p scratchkit-bench --bin bulk-read            # full figures
//! cargo run --release -p scratchkit-bench --bin bulk-read -- --quick # CI smoke
//! ```
#![warn(missing_docs)]

pub mod load_socket;
pub mod process;
pub mod procstats;
pub mod report;
pub mod serve;
pub mod workload;
