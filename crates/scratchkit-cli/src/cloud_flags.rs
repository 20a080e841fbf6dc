//! One command-line flag per cloud-server setting, generated from the server's key table
//! ([`scratchkit_cloud_server::KEYS`]) so that flags, variables and file keys never drift apart.

use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use scratchkit_cloud_server::{KEYS, KeyKind};

/// The settings given as flags: each key's path and its value as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingFlags(pub Vec<(String, String)>);

const HEADING: &str = "Settings (flag > SCRATCH_CLOUD_* variable > --config file > preset)";

fn value_name(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::Integer => "N",
        KeyKind::Float => "NUMBER",
        KeyKind::Bool => "BOOL",
        KeyKind::Text => "TEXT",
        KeyKind::List => "A,B,…",
        KeyKind::AllOrList => "all|A,B,…",
        KeyKind::Secret => "SECRET",
    }
}

impl FromArgMatches for SettingFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let given = KEYS
            .iter()
            .filter_map(|key| {
                matches
                    .get_one::<String>(key.flag)
                    .map(|value| (key.path.to_owned(), value.clone()))
            })
            .collect();
        Ok(SettingFlags(given))
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for SettingFlags {
    fn augment_args(command: Command) -> Command {
        KEYS.iter().fold(command, |command, key| {
            command.arg(
                Arg::new(key.flag)
                    .long(key.flag)
                    .value_name(value_name(key.kind))
                    .help(key.help)
                    .help_heading(HEADING),
            )
        })
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::{Cli, Command as Sub};
    use clap::Parser;

    #[test]
    fn every_setting_is_a_flag() {
        let cli = Cli::try_parse_from([
            "scratch",
            "cloud-server",
            "--listen",
            "0.0.0.0:9",
            "--turbowarp-max-variables",
            "64",
            "--port",
            "7",
        ])
        .unwrap();
        let Sub::CloudServer(args) = cli.command else {
            panic!("not cloud-server");
        };
        assert_eq!(args.port, Some(7));
        assert_eq!(
            args.settings.0,
            vec![
                ("listen".to_owned(), "0.0.0.0:9".to_owned()),
                ("turbowarp.max_variables".to_owned(), "64".to_owned()),
            ]
        );
    }
}
