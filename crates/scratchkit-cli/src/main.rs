//! `scratch`: the Scratch website (scratch.mit.edu) from your terminal, or an offline sandbox.
//!
//! Everything lives in the library ([`scratch::main`]); see `scratch --help`.

fn main() -> std::process::ExitCode {
    scratch::main()
}
