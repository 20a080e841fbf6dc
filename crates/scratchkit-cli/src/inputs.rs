//! What the command line is given, read and checked without touching the network or the
//! disk: clap's parsing ([`parse_args`]) and then the checks each command applies to its
//! arguments before it sends anything ([`check`]). The fuzz target `cli_args` drives both.

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches, Parser};

use crate::accounts::check_name;
use crate::cli::{Cli, Command};
use crate::commands::backpack::{BackpackAction, kind_of};
use crate::commands::cloud_server::configuration_from;
use crate::commands::comment::Target;
use crate::commands::services::{ServicesAction, voice_named};
use crate::exit::CliError;

/// Parses an argument list as `scratch` would (the first item is the program's name).
///
/// # Errors
/// What clap reports: an unknown command or flag, a bad value, a missing argument, and
/// also `--help` and `--version` (their text is the error's rendering, exit code 0).
///
/// ```
/// use scratch::cli::Command;
///
/// let cli = scratch::inputs::parse_args(["scratch", "news", "--limit", "3"]).unwrap();
/// assert!(matches!(cli.command, Command::News(_)));
/// let err = scratch::inputs::parse_args(["scratch", "news", "--limit", "0"]).unwrap_err();
/// assert_eq!(err.exit_code(), 2);
/// ```
pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    Cli::try_parse_from(args)
}

/// A parser that keeps one built command definition for many argument lists, where
/// [`parse_args`] builds the whole definition (every command and flag) again for each: for
/// fuzzing, or anything else that parses many command lines in one process. The results are
/// the same (a unit test compares the two on every example command line).
///
/// ```
/// let mut parser = scratch::inputs::ArgParser::new();
/// for args in [["scratch", "news"], ["scratch", "health"]] {
///     assert!(parser.parse(args).is_ok());
/// }
/// assert!(parser.parse(["scratch", "nonsense"]).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct ArgParser {
    command: clap::Command,
}

impl Default for ArgParser {
    fn default() -> Self {
        Self::new()
    }
}

impl ArgParser {
    /// The parser of `scratch`'s command line.
    pub fn new() -> Self {
        Self {
            command: Cli::command(),
        }
    }

    /// Parses an argument list as [`parse_args`] does.
    ///
    /// # Errors
    /// As [`parse_args`].
    pub fn parse<I, T>(&mut self, args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let mut matches = self.command.try_get_matches_from_mut(args)?;
        Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut self.command))
    }
}

/// The checks the command named in `cli` makes on its arguments before any network or file
/// access (each is the function the command itself calls):
///
/// - `--account`, and the names given to `login` and `logout`: account names (letters,
///   digits, `_` and `-`, at most 40), since they name a session file;
/// - `comment … <place> <target>`: a project or studio ID, or a username;
/// - `sandbox --faults`: the fault spec;
/// - `cloud-server`: the configuration its flags give (without the `--config` file and the
///   `SCRATCH_CLOUD_*` variables, which are a file and the environment, not arguments; the
///   files the settings name, such as filters and the admin token, are read later, when the
///   server starts);
/// - `backpack add FILE`: the kind of item, from the file's extension;
/// - `services speak --voice`: the voice.
///
/// # Errors
/// The error the command would stop with (a usage error, a bad fault spec, a bad cloud
/// server setting).
///
/// ```
/// use scratch::inputs::{check, parse_args};
///
/// let cli = parse_args(["scratch", "comment", "list", "project", "104"]).unwrap();
/// assert!(check(&cli).is_ok());
/// let cli = parse_args(["scratch", "comment", "list", "project", "mres"]).unwrap();
/// assert!(check(&cli).is_err());
/// ```
pub fn check(cli: &Cli) -> Result<(), CliError> {
    if let Some(account) = &cli.account {
        check_name(account)?;
    }
    match &cli.command {
        Command::Login(args) => args.username.as_deref().map_or(Ok(()), check_name),
        Command::Logout(args) => args.username.as_deref().map_or(Ok(()), check_name),
        Command::Comment(args) => {
            let (place, target) = args.action.place_and_target();
            Target::parse(place, target).map(drop)
        }
        Command::Sandbox(args) => crate::commands::sandbox::config(args).map(drop),
        Command::CloudServer(args) => {
            configuration_from(args, None, Vec::new())?;
            Ok(())
        }
        Command::Backpack(args) => match &args.action {
            Some(BackpackAction::Add { file, .. }) => kind_of(file).map(drop),
            _ => Ok(()),
        },
        Command::Services(args) => match &args.action {
            ServicesAction::Speak { voice, .. } => voice_named(voice).map(drop),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use clap::CommandFactory;

    use super::*;

    fn checked(args: &[&str]) -> Result<(), CliError> {
        let argv = std::iter::once("scratch").chain(args.iter().copied());
        check(&parse_args(argv).unwrap_or_else(|e| panic!("{args:?}: {e}")))
    }

    fn usage_error(args: &[&str]) -> String {
        match checked(args) {
            Err(CliError::Usage(message)) => message,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn account_names_are_checked_wherever_they_are_given() {
        assert!(checked(&["--account", "my_bot-2", "whoami"]).is_ok());
        assert!(checked(&["login", "griffpatch"]).is_ok());
        for args in [
            &["--account", "../../etc/passwd", "whoami"][..],
            &["login", "a/b"],
            &["logout", ""],
            &["logout", &"x".repeat(41)],
        ] {
            assert!(
                usage_error(args).contains("not an account name"),
                "{args:?}"
            );
        }
    }

    #[test]
    fn comment_targets_are_ids_for_projects_and_studios() {
        assert!(checked(&["comment", "list", "project", " 104 "]).is_ok());
        assert!(checked(&["comment", "post", "profile", "mres", "hi"]).is_ok());
        let message = usage_error(&["comment", "reply", "studio", "abc", "5", "hi"]);
        assert!(
            message.contains("\"abc\" is not a project or studio ID"),
            "{message}"
        );
    }

    #[test]
    fn fault_specs_and_cloud_server_settings_are_read() {
        assert!(checked(&["sandbox", "--faults", "rate=0.2,kinds=429|503"]).is_ok());
        assert!(matches!(
            checked(&["sandbox", "--faults", "rate=2"]),
            Err(CliError::Faults(_))
        ));
        assert!(checked(&["cloud-server", "--turbowarp-max-variables", "64"]).is_ok());
        assert!(matches!(
            checked(&["cloud-server", "--turbowarp-max-variables", "many"]),
            Err(CliError::CloudConfig(_))
        ));
    }

    #[test]
    fn backpack_files_and_voices_are_checked() {
        assert!(checked(&["backpack", "add", "cat.SVG"]).is_ok());
        assert!(usage_error(&["backpack", "add", "notes.txt"]).contains("the backpack takes"));
        assert!(
            checked(&[
                "services", "speak", "hi", "-o", "hi.mp3", "--voice", "Giant"
            ])
            .is_ok()
        );
        assert!(
            usage_error(&["services", "speak", "hi", "-o", "hi.mp3", "--voice", "bass"])
                .contains("bass")
        );
    }

    #[test]
    fn a_reused_parser_parses_like_parse_args() {
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus/cli_args");
        let mut lines: Vec<Vec<String>> = std::fs::read_dir(seeds)
            .unwrap_or_else(|e| panic!("{seeds}: {e}"))
            .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
            .map(|data| {
                String::from_utf8_lossy(&data)
                    .split(|c: char| c == '\0' || c.is_ascii_whitespace())
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        lines.extend([vec!["--help".into()], vec!["user".into(), "--nope".into()]]);
        assert!(lines.len() > 100, "{} command lines", lines.len());
        let mut parser = ArgParser::new();
        let mut errors = 0;
        for words in &lines {
            let argv = || std::iter::once("scratch").chain(words.iter().map(String::as_str));
            let once = parse_args(argv());
            let reused = parser.parse(argv());
            match (once, reused) {
                (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{words:?}"),
                (Err(a), Err(b)) => {
                    errors += 1;
                    assert_eq!(a.kind(), b.kind(), "{words:?}");
                    assert_eq!(a.render().to_string(), b.render().to_string(), "{words:?}");
                }
                (a, b) => panic!("{words:?}: {a:?} vs {b:?}"),
            }
        }
        assert!(errors > 0 && errors < lines.len(), "{errors} errors");
    }

    /// Every command name, long and short flag and listed value of the command line, as
    /// libFuzzer dictionary entries.
    fn vocabulary(cmd: &clap::Command, into: &mut BTreeSet<String>) {
        for arg in cmd.get_arguments() {
            if let Some(long) = arg.get_long() {
                into.insert(format!("--{long}"));
            }
            if let Some(short) = arg.get_short() {
                into.insert(format!("-{short}"));
            }
            for value in arg.get_possible_values() {
                into.insert(value.get_name().to_owned());
            }
        }
        for sub in cmd.get_subcommands() {
            into.insert(sub.get_name().to_owned());
            vocabulary(sub, into);
        }
    }

    #[test]
    fn the_fuzz_dictionary_has_every_command_and_flag() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/dicts/cli.dict");
        let dict = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let listed: BTreeSet<&str> = dict
            .lines()
            .filter_map(|line| line.strip_prefix('"')?.strip_suffix('"'))
            .collect();
        let mut words = BTreeSet::new();
        vocabulary(&Cli::command(), &mut words);
        assert!(words.len() > 200, "{} words", words.len());
        let missing: Vec<String> = words
            .iter()
            .filter(|w| !listed.contains(w.as_str()))
            .map(|w| format!("\"{w}\""))
            .collect();
        assert!(missing.is_empty(), "add to {path}:\n{}", missing.join("\n"));
    }
}
