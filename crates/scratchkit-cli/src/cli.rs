//! The command line: the top-level clap types of `scratch` (global flags and the command
//! enum). Each command's own arguments live in its module under `commands/`; the argument
//! groups several commands share are in `commands/args.rs`.

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

use crate::commands::account::AccountArgs;
use crate::commands::auth::{LoginArgs, LogoutArgs, WhoamiArgs};
use crate::commands::backpack::BackpackArgs;
use crate::commands::classroom::ClassroomArgs;
use crate::commands::cloud::CloudArgs;
use crate::commands::cloud_requests::CloudRequestsArgs;
use crate::commands::cloud_server::CloudServerArgs;
use crate::commands::comment::CommentArgs;
use crate::commands::completions::CompletionsArgs;
use crate::commands::explore::ExploreArgs;
use crate::commands::feed::FeedArgs;
use crate::commands::follow::FollowArgs;
use crate::commands::forum::ForumArgs;
use crate::commands::messages::MessagesArgs;
use crate::commands::mystuff::MyStuffArgs;
use crate::commands::news::NewsArgs;
use crate::commands::project::ProjectArgs;
use crate::commands::sandbox::SandboxArgs;
use crate::commands::search::SearchArgs;
use crate::commands::services::ServicesArgs;
use crate::commands::session::SessionArgs;
use crate::commands::site::{CheckUsernameArgs, StatsArgs};
use crate::commands::studio::StudioArgs;
use crate::commands::user::UserArgs;

/// Shown after the top-level `--help`: examples and the exit codes.
const TOP_AFTER_HELP: &str = "\
Examples:
  scratch user griffpatch --projects       a profile and its shared projects
  scratch project 104 --comments           a project and its comments
  scratch explore --mode popular --query games
  scratch search \"platformer\" --limit 5 --json
  scratch login griffpatch                 log in once; the session is saved
  scratch comment post project 104 \"Nice!\"
  scratch project download 104 -o game.sb3 a project as an .sb3 file
  scratch messages --filter comments
  scratch sandbox --port 8007              an offline Scratch on 127.0.0.1:8007
  scratch --sandbox user mres              any command against an in-process sandbox
  scratch demo                             a quick tour, offline

Sessions are saved under $SCRATCH_CONFIG_DIR or ~/.config/scratchkit (one file per account,
readable by you only); SCRATCH_SESSION_ID and SCRATCH_ACCOUNT override them.

Exit codes:
  0  success
  1  other error (files, the sandbox could not start, unexpected data)
  2  usage error (unknown flag, bad argument, invalid name or limit)
  3  not found (no such user, project, studio or comment)
  4  authentication needed or refused (401, 403, login required)
  5  network or server trouble (connection, timeout, 429, 5xx)

Colour is used only when stdout is a terminal and NO_COLOR is not set.";

/// The help heading of the options every command takes.
const GLOBAL: &str = "Global options";

/// `scratch`: the Scratch website (scratch.mit.edu) from your terminal.
#[derive(Debug, Parser)]
#[command(
    name = "scratch",
    version,
    about = "The Scratch website (scratch.mit.edu) from your terminal",
    after_help = TOP_AFTER_HELP,
    propagate_version = true
)]
pub struct Cli {
    /// Print JSON instead of tables: one document per command (lists are arrays; `--all`
    /// streams print one JSON object per line).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub json: bool,

    /// Use an in-process offline sandbox instead of the live site (wins over `--sandbox-at`).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub sandbox: bool,

    /// Use a sandbox already running at ADDR (for example one started by `scratch sandbox`).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "ADDR", env = "SCRATCH_SANDBOX")]
    pub sandbox_at: Option<SocketAddr>,

    /// Log what happens to stderr (-v: debug, -vv: trace).
    #[arg(short, long, global = true, help_heading = GLOBAL, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// The User-Agent sent to Scratch (default: scratchkit's, naming the project).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "UA")]
    pub user_agent: Option<String>,

    /// Which saved account to use (default: the last one logged in). With --sandbox: the demo
    /// account to log in as (demo password).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "NAME", env = "SCRATCH_ACCOUNT")]
    pub account: Option<String>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// A user's profile, their lists (projects, favourites, loves, studios, followers),
    /// counts, and whether they follow someone.
    User(UserArgs),

    /// A project's details (and optionally its comments), or an action on projects.
    #[command(after_help = "\
Examples:
  scratch project 104
  scratch project 104 --comments
  scratch project 104 --remixes --json
  scratch project download 104 -o game.sb3
  scratch project info game.sb3
  scratch project upload game.sb3 --title \"My game\"
  scratch project love 104")]
    Project(ProjectArgs),

    /// A studio's details (and optionally its projects and curators), or an action on studios.
    #[command(after_help = "\
Examples:
  scratch studio 5342
  scratch studio 5342 --projects --curators
  scratch studio activity 5342
  scratch studio add-project 5342 104
  scratch studio create --title Platformers")]
    Studio(StudioArgs),

    /// Log in and save the session (password asked without echo, or SCRATCH_PASSWORD).
    #[command(after_help = "\
Examples:
  scratch login griffpatch
  SCRATCH_PASSWORD=… scratch login my_bot            in CI
  scratch login --session-id                          paste a browser's scratchsessionsid
  scratch --sandbox-at 127.0.0.1:8007 login mres      a sandbox (password scratchkit-demo)

The session is saved to <config>/accounts/<name>.json (0600) and becomes the default account;
<config> is $SCRATCH_CONFIG_DIR or ~/.config/scratchkit. Sandbox sessions are kept apart, under
<config>/sandboxes/<address>/. No password is ever saved.")]
    Login(LoginArgs),

    /// Log out: end the session on Scratch and delete the saved file.
    #[command(after_help = "\
Examples:
  scratch logout
  scratch logout my_bot")]
    Logout(LogoutArgs),

    /// Who you are logged in as (checked with Scratch).
    #[command(after_help = "\
Examples:
  scratch whoami
  scratch whoami --all          also list the saved accounts
  scratch --account my_bot whoami --json")]
    Whoami(WhoamiArgs),

    /// Comments on projects, studios and profiles: list, post, reply, delete, report.
    #[command(after_help = "\
Examples:
  scratch comment list project 104
  scratch comment post project 104 \"Nice work!\"
  scratch comment reply studio 5342 123456 \"Welcome!\"
  scratch comment delete profile griffpatch 123456
  scratch comment report project 104 123456")]
    Comment(CommentArgs),

    /// Follow a user.
    #[command(after_help = "Examples:\n  scratch follow griffpatch")]
    Follow(FollowArgs),

    /// Stop following a user.
    #[command(after_help = "Examples:\n  scratch unfollow griffpatch")]
    Unfollow(FollowArgs),

    /// Your messages (optionally one kind), their count, or mark them read.
    #[command(after_help = "\
Examples:
  scratch messages
  scratch messages --filter comments --limit 10
  scratch messages count
  scratch messages clear
  scratch messages --follow --json         new messages as JSON lines, until Ctrl-C")]
    Messages(MessagesArgs),

    /// What the people and studios you follow are doing.
    #[command(after_help = "\
Examples:
  scratch feed                    what's happening
  scratch feed loves --limit 10
  scratch feed viewed --json")]
    Feed(FeedArgs),

    /// Your projects (shared, unshared, trashed) or studios: "My Stuff".
    #[command(
        name = "mystuff",
        after_help = "\
Examples:
  scratch mystuff
  scratch mystuff --filter unshared --sort title
  scratch mystuff --studios
  scratch mystuff --all --json             every project, one JSON line each"
    )]
    MyStuff(MyStuffArgs),

    /// Your backpack.
    #[command(after_help = "\
Examples:
  scratch backpack
  scratch backpack add cat.svg
  scratch backpack delete <ID>")]
    Backpack(BackpackArgs),

    /// The rows of Scratch's front page.
    #[command(after_help = "Examples:\n  scratch frontpage\n  scratch frontpage --json")]
    Frontpage,

    /// Scratch's statistics (projects, users, studios, comments).
    #[command(after_help = "Examples:\n  scratch stats\n  scratch stats --monthly")]
    Stats(StatsArgs),

    /// The API's health report.
    #[command(after_help = "Examples:\n  scratch health --json")]
    Health,

    /// Whether a username is available.
    #[command(after_help = "Examples:\n  scratch check-username my_new_name")]
    CheckUsername(CheckUsernameArgs),

    /// Whether Scratch would accept a password for a new account (the password comes from
    /// SCRATCH_NEW_PASSWORD or a prompt without echo, never from the command line, and never
    /// from SCRATCH_PASSWORD, the login's). Exit 0 when it would, 2 when not.
    #[command(after_help = "\
Examples:
  scratch check-password
  SCRATCH_NEW_PASSWORD=… scratch check-password --json")]
    CheckPassword,

    /// The forums: categories, topics, posts; reply to a topic.
    #[command(after_help = "\
Examples:
  scratch forum
  scratch forum category 31
  scratch forum topic 4242 --page 2
  scratch forum post 98765
  scratch forum reply 4242 \"Thanks!\"")]
    Forum(ForumArgs),

    /// A class (Scratch for educators) with its students and studios, or a teacher's action
    /// (create, edit, close, sign-up link, alerts, activity) or a student's sign-up.
    #[command(after_help = "\
Examples:
  scratch classroom 367806
  scratch classroom 367806 --students --json
  scratch classroom mine
  scratch classroom activity 367806 --student demo_student
  scratch classroom register 367806 sandboxclass367806 new_student")]
    Classroom(ClassroomArgs),

    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  scratch completions bash > ~/.local/share/bash-completion/completions/scratch
  scratch completions zsh > ~/.zfunc/_scratch
  scratch completions fish > ~/.config/fish/completions/scratch.fish")]
    Completions(CompletionsArgs),

    /// The news shown on Scratch's front page.
    #[command(after_help = "\
Examples:
  scratch news
  scratch news --limit 3 --json")]
    News(NewsArgs),

    /// Explore: trending, popular or recent projects (or studios).
    #[command(after_help = "\
Examples:
  scratch explore
  scratch explore --mode recent --query animations
  scratch explore --studios --language de --limit 10
  scratch explore --all --max 200 --json      (JSON lines)")]
    Explore(ExploreArgs),

    /// Search projects (or studios).
    #[command(after_help = "\
Examples:
  scratch search platformer
  scratch search \"pixel art\" --studios --mode popular
  scratch search cats --limit 5 --json")]
    Search(SearchArgs),

    /// Run an offline Scratch (the sandbox) on 127.0.0.1 until Ctrl-C.
    #[command(after_help = "\
Examples:
  scratch sandbox                            listen on 127.0.0.1:8007, in memory
  scratch sandbox --port 0                   any free port (printed)
  scratch sandbox --data ./world             keep the world in ./world/sandbox.sqlite3
  scratch sandbox --faults rate=0.2,kinds=429|503 --log-requests requests.jsonl

Then, in another terminal:
  scratch --sandbox-at 127.0.0.1:8007 user mres
  curl http://127.0.0.1:8007/api/users/mres")]
    Sandbox(SandboxArgs),

    /// Cloud variables of a project: get, set, watch live, or read the log.
    #[command(after_help = "\
Examples:
  scratch --sandbox cloud get 142                 every variable (logs in as griffpatch)
  scratch --sandbox cloud set 142 score 100 --user kakurenbo
  scratch cloud watch 1182391014 --turbowarp      live updates from TurboWarp's cloud
  scratch cloud logs 1182391014 --limit 10        who set what (Scratch's cloud log)
  scratch cloud logs 1182391014 --follow --json   new log rows as they come

Scratch's cloud needs a Scratcher's login: SCRATCH_USERNAME and SCRATCH_PASSWORD (on a
sandbox, --user NAME logs in with the demo password). TurboWarp needs no login.")]
    Cloud(CloudArgs),

    /// Cloud Requests (scratchattach's protocol): encode and decode its digits, or run a
    /// host that serves Cloud Storage.
    #[command(
        name = "cloud-requests",
        after_help = "\
Examples:
  scratch cloud-requests encode hello
  scratch cloud-requests decode 3529434349
  scratch cloud-requests storage 1182391014 --db scores --data storage.json"
    )]
    CloudRequests(CloudRequestsArgs),

    /// Your account: profile text, featured project, avatar, profile comments, country, email,
    /// password, email subscriptions, the Scratcher invite, the session's secrets.
    #[command(after_help = "\
Examples:
  scratch account set-bio \"I make platformers.\"
  scratch account set-featured 1000001 --label work-in-progress
  scratch account toggle-comments
  scratch account invite --accept
  scratch account secrets --reveal --json      for another tool; shown only when asked")]
    Account(AccountArgs),

    /// What a session id holds (account, user id, login time), decoded offline.
    #[command(after_help = "\
Examples:
  scratch session decode                 asks for the session id without echo
  SCRATCH_SESSION_ID=… scratch session decode --json")]
    Session(SessionArgs),

    /// Scratch's translate and text-to-speech services, and the cloud server's health.
    #[command(after_help = "\
Examples:
  scratch services translate hello --to de
  scratch services speak \"Hello\" --voice giant -o hello.mp3
  scratch services cloud-status")]
    Services(ServicesArgs),

    /// Run the cloud variable server (Scratch and TurboWarp rules) until Ctrl-C or SIGTERM.
    #[command(after_help = "\
Examples:
  scratch cloud-server                       ws://127.0.0.1:8008/cloud and /turbowarp, in memory
  scratch cloud-server --port 0 --data ./cloud   any free port, values kept in ./cloud
  scratch cloud-server --listen 0.0.0.0:8008 --config cloud.toml   see docs/deploy-cloud-server.md
  scratch cloud-server --config cloud.toml --print-config          the effective settings")]
    CloudServer(CloudServerArgs),

    /// A short tour of the toolkit against an embedded sandbox (offline, a few seconds).
    #[command(after_help = "\
Examples:
  scratch demo
  scratch demo --json          (one JSON object per section, per line)")]
    Demo,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::project::ProjectAction;
    use crate::commands::studio::StudioAction;
    use clap::CommandFactory;
    use scratchkit_model::ExploreMode;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Every command and subcommand, with its path (`scratch project save`).
    fn all_commands(cmd: &clap::Command, path: String, into: &mut Vec<(String, clap::Command)>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let path = format!("{path} {}", sub.get_name());
            all_commands(sub, path.clone(), into);
            into.push((path, sub.clone()));
        }
    }

    #[test]
    fn every_command_has_examples_in_its_help() {
        let mut commands = Vec::new();
        all_commands(&Cli::command(), "scratch".into(), &mut commands);
        assert!(commands.len() > 100, "{} commands", commands.len());
        let missing: Vec<&str> = commands
            .iter()
            .filter(|(_, cmd)| {
                !cmd.get_after_help()
                    .is_some_and(|h| h.to_string().contains("Examples:"))
            })
            .map(|(path, _)| path.as_str())
            .collect();
        assert!(missing.is_empty(), "no examples: {missing:#?}");
    }

    #[test]
    fn global_flags_work_after_the_command() {
        let cli =
            Cli::try_parse_from(["scratch", "user", "mres", "--json", "--sandbox", "-vv"]).unwrap();
        assert!(cli.json && cli.sandbox);
        assert_eq!(cli.verbose, 2);
        let Command::User(args) = cli.command else {
            panic!("not a user command")
        };
        assert_eq!(args.username, "mres");
        assert_eq!(args.page.limit, 20);
    }

    #[test]
    fn limits_outside_one_to_forty_are_usage_errors() {
        for bad in ["0", "41"] {
            let err = Cli::try_parse_from(["scratch", "news", "--limit", bad]).unwrap_err();
            assert_eq!(err.exit_code(), 2, "--limit {bad}");
        }
        let cli = Cli::try_parse_from(["scratch", "news", "--limit", "40"]).unwrap();
        let Command::News(args) = cli.command else {
            panic!("not news")
        };
        assert_eq!(args.list.page.limit, 40);
    }

    #[test]
    fn max_needs_all_and_modes_parse() {
        assert!(Cli::try_parse_from(["scratch", "explore", "--max", "5"]).is_err());
        let cli = Cli::try_parse_from([
            "scratch", "explore", "--all", "--max", "5", "--mode", "recent",
        ])
        .unwrap();
        let Command::Explore(args) = cli.command else {
            panic!("not explore")
        };
        assert_eq!(args.list.max, Some(5));
        assert_eq!(ExploreMode::from(args.mode), ExploreMode::Recent);
    }

    #[test]
    fn project_ids_and_project_actions_both_parse() {
        let cli = Cli::try_parse_from(["scratch", "project", "104", "--comments"]).unwrap();
        let Command::Project(args) = cli.command else {
            panic!("not project")
        };
        assert_eq!(args.id, Some(104));
        assert!(args.comments && args.action.is_none());

        let cli =
            Cli::try_parse_from(["scratch", "project", "download", "104", "-o", "x.sb3"]).unwrap();
        let Command::Project(args) = cli.command else {
            panic!("not project")
        };
        assert!(matches!(
            args.action,
            Some(ProjectAction::Download { id: 104, ref output }) if output.as_deref() == Some(std::path::Path::new("x.sb3"))
        ));
        // Neither an ID nor an action, or both: usage errors.
        assert_eq!(
            Cli::try_parse_from(["scratch", "project"])
                .unwrap_err()
                .exit_code(),
            2
        );
        assert!(Cli::try_parse_from(["scratch", "project", "104", "love", "5"]).is_err());
        let cli = Cli::try_parse_from(["scratch", "studio", "add-project", "5342", "104"]).unwrap();
        let Command::Studio(args) = cli.command else {
            panic!("not studio")
        };
        assert!(matches!(
            args.action,
            Some(StudioAction::AddProject {
                id: 5342,
                project: 104
            })
        ));
    }

    #[test]
    fn account_is_global() {
        let cli = Cli::try_parse_from(["scratch", "whoami", "--account", "bot"]).unwrap();
        assert_eq!(cli.account.as_deref(), Some("bot"));
    }

    #[test]
    fn sandbox_at_takes_an_address() {
        let cli =
            Cli::try_parse_from(["scratch", "--sandbox-at", "127.0.0.1:8007", "news"]).unwrap();
        assert_eq!(cli.sandbox_at, Some("127.0.0.1:8007".parse().unwrap()));
        let err =
            Cli::try_parse_from(["scratch", "--sandbox-at", "localhost", "news"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }
}
