//! `scratch completions <shell>`: tab completion scripts.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::exit::CliResult;

/// `scratch completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the completion script for a shell on stdout.
///
/// # Errors
/// Writing to stdout failed.
pub fn run(args: &CompletionsArgs) -> CliResult {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut command, "scratch", &mut buffer);
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&buffer)?;
    stdout.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_commands() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let mut command = Cli::command();
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut command, "scratch", &mut buffer);
            let text = String::from_utf8(buffer).unwrap();
            assert!(text.contains("login"), "{shell:?}");
            assert!(text.contains("download"), "{shell:?}");
        }
    }
}
