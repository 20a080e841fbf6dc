//! The command line: clap types for `scratch` and its commands.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use scratchkit_model::ExploreMode;

use crate::commands::auth::{LoginArgs, LogoutArgs, WhoamiArgs};
use crate::commands::backpack::BackpackArgs;
use crate::commands::classroom::ClassroomArgs;
use crate::commands::comment::CommentArgs;
use crate::commands::completions::CompletionsArgs;
use crate::commands::feed::FeedArgs;
use crate::commands::follow::FollowArgs;
use crate::commands::forum::ForumArgs;
use crate::commands::messages::MessagesArgs;
use crate::commands::mystuff::MyStuffArgs;
use crate::commands::project::ProjectAction;
use crate::commands::site::{CheckUsernameArgs, StatsArgs};
use crate::commands::studio::StudioAction;

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
    /// A user's profile (and optionally their projects).
    #[command(after_help = "\
Examples:
  scratch user griffpatch
  scratch user griffpatch --projects --limit 40
  scratch user ScratchCat --followers --json")]
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
  scratch messages clear")]
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
  scratch mystuff --studios"
    )]
    MyStuff(MyStuffArgs),

    /// Your backpack.
    #[command(after_help = "\
Examples:
  scratch backpack
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

    /// The forums: categories, topics, posts; reply to a topic.
    #[command(after_help = "\
Examples:
  scratch forum
  scratch forum category 31
  scratch forum topic 4242 --page 2
  scratch forum post 98765
  scratch forum reply 4242 \"Thanks!\"")]
    Forum(ForumArgs),

    /// A class (Scratch for educators) and optionally its students.
    #[command(after_help = "\
Examples:
  scratch classroom 367806
  scratch classroom 367806 --students --json")]
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

/// Which part of a list to show.
#[derive(Debug, Clone, Copy, Args)]
pub struct PageArgs {
    /// How many items (1 to 40).
    #[arg(long, short = 'n', default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=40))]
    pub limit: u32,

    /// How many items to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

/// A page of a list, or every item as a stream.
#[derive(Debug, Clone, Copy, Args)]
pub struct ListArgs {
    /// Page options (ignored by `--all` except `--offset`).
    #[command(flatten)]
    pub page: PageArgs,

    /// Every item, fetched 40 at a time (with `--json`: one JSON object per line).
    #[arg(long)]
    pub all: bool,

    /// With `--all`: stop after this many items.
    #[arg(long, requires = "all", value_name = "N")]
    pub max: Option<usize>,
}

/// `scratch user`.
#[derive(Debug, Args)]
pub struct UserArgs {
    /// The username.
    pub username: String,

    /// Also list the user's shared projects.
    #[arg(long)]
    pub projects: bool,

    /// Also list the user's favourite projects.
    #[arg(long)]
    pub favorites: bool,

    /// Also list the user's followers.
    #[arg(long)]
    pub followers: bool,

    /// Also list whom the user follows.
    #[arg(long)]
    pub following: bool,

    /// Which page of the lists.
    #[command(flatten)]
    pub page: PageArgs,
}

/// `scratch project`: `scratch project <ID> [--comments…]`, or `scratch project <action> …`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ProjectArgs {
    /// An action instead of showing a project.
    #[command(subcommand)]
    pub action: Option<ProjectAction>,

    /// The project ID (the number in https://scratch.mit.edu/projects/<ID>).
    #[arg(required = true)]
    pub id: Option<u64>,

    /// Also list the project's comments.
    #[arg(long)]
    pub comments: bool,

    /// Also list the project's remixes.
    #[arg(long)]
    pub remixes: bool,

    /// Which page of the lists.
    #[command(flatten)]
    pub page: PageArgs,
}

/// `scratch studio`: `scratch studio <ID> [--projects…]`, or `scratch studio <action> …`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct StudioArgs {
    /// An action instead of showing a studio.
    #[command(subcommand)]
    pub action: Option<StudioAction>,

    /// The studio ID (the number in https://scratch.mit.edu/studios/<ID>).
    #[arg(required = true)]
    pub id: Option<u64>,

    /// Also list the studio's projects.
    #[arg(long)]
    pub projects: bool,

    /// Also list the studio's curators.
    #[arg(long)]
    pub curators: bool,

    /// Also list the studio's managers.
    #[arg(long)]
    pub managers: bool,

    /// Which page of the lists.
    #[command(flatten)]
    pub page: PageArgs,
}

/// `scratch news`.
#[derive(Debug, Args)]
pub struct NewsArgs {
    /// Which items.
    #[command(flatten)]
    pub list: ListArgs,
}

/// The explore and search orderings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// What is popular right now.
    Trending,
    /// Most loved and viewed overall.
    Popular,
    /// Newest first.
    Recent,
}

impl From<Mode> for ExploreMode {
    fn from(mode: Mode) -> Self {
        match mode {
            Mode::Trending => ExploreMode::Trending,
            Mode::Popular => ExploreMode::Popular,
            Mode::Recent => ExploreMode::Recent,
        }
    }
}

/// `scratch explore`.
#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// The ordering.
    #[arg(long, value_enum, default_value_t = Mode::Trending)]
    pub mode: Mode,

    /// Only items with this tag (`*` for all).
    #[arg(long, value_name = "TAG")]
    pub query: Option<String>,

    /// Prefer items in this language (a code such as `en`, `de`, `ja`).
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,

    /// Explore studios instead of projects.
    #[arg(long)]
    pub studios: bool,

    /// Which items.
    #[command(flatten)]
    pub list: ListArgs,
}

/// `scratch search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to search for.
    pub query: String,

    /// Search studios instead of projects.
    #[arg(long)]
    pub studios: bool,

    /// The ordering.
    #[arg(long, value_enum, default_value_t = Mode::Popular)]
    pub mode: Mode,

    /// Prefer items in this language (a code such as `en`, `de`, `ja`).
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,

    /// Which items.
    #[command(flatten)]
    pub list: ListArgs,
}

/// `scratch sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// The port to listen on, on 127.0.0.1 (0: any free port).
    #[arg(long, short, default_value_t = 8007)]
    pub port: u16,

    /// Keep the world in DIR/sandbox.sqlite3 (default: in memory, gone when stopped).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Generate a bigger world for benchmarks (user `bench` owns 2000×N projects).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub scale: u32,

    /// Inject faults, e.g. `latency=200ms,rate=0.3,kinds=429|503|dropped` or `kind=503,count=2`.
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,

    /// Append one JSON line per request (method, path, headers, body; secrets redacted).
    #[arg(long, value_name = "FILE")]
    pub log_requests: Option<PathBuf>,

    /// Seed of the generated world (the same seed gives the same world).
    #[arg(long, default_value_t = 2007)]
    pub seed: u64,
}

/// Which project's cloud, and how to reach it.
#[derive(Debug, Clone, Args)]
pub struct CloudTarget {
    /// The project ID (the cloud room).
    pub project: u64,

    /// Use TurboWarp's cloud (no login; the username is `--user` or `player<digits>`).
    #[arg(long)]
    pub turbowarp: bool,

    /// The username: on a sandbox, the demo account to log in as (demo password); with
    /// `--turbowarp`, the name to use. Otherwise the usual login applies (`scratch login`,
    /// `--account`, `SCRATCH_SESSION_ID`).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
}

/// `scratch cloud`.
#[derive(Debug, Args)]
pub struct CloudArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CloudAction,
}

/// The `scratch cloud` actions.
#[derive(Debug, Subcommand)]
pub enum CloudAction {
    /// Print the variables (or one of them).
    Get {
        #[command(flatten)]
        target: CloudTarget,
        /// Only this variable (with or without the cloud prefix).
        name: Option<String>,
    },
    /// Set a variable.
    Set {
        #[command(flatten)]
        target: CloudTarget,
        /// The variable (with or without the cloud prefix).
        name: String,
        /// The value (numbers only: digits, an optional `-` and `.`).
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    /// Print updates as they come, until Ctrl-C.
    Watch {
        #[command(flatten)]
        target: CloudTarget,
    },
    /// The cloud log: who set what and when (Scratch only).
    Logs {
        #[command(flatten)]
        target: CloudTarget,
        /// Rows per page (1 to 100).
        #[arg(long, short = 'n', default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=100))]
        limit: u32,
        /// Rows to skip from the newest.
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// Keep polling and print new rows as they come.
        #[arg(long)]
        follow: bool,
    },
}

/// `scratch cloud-server`.
#[derive(Debug, Args)]
pub struct CloudServerArgs {
    /// The port (0: any free port); replaces the port of `listen` (default 127.0.0.1:8008).
    #[arg(long, short)]
    pub port: Option<u16>,

    /// A TOML configuration file (see docs/deploy-cloud-server.md).
    #[arg(long, value_name = "FILE", env = "SCRATCH_CLOUD_CONFIG")]
    pub config: Option<PathBuf>,

    /// Print the effective configuration (flags over SCRATCH_CLOUD_* variables over the file
    /// over the presets; the admin token redacted) and exit.
    #[arg(long)]
    pub print_config: bool,

    /// Every setting of the configuration file, as a flag.
    #[command(flatten)]
    pub settings: crate::cloud_flags::SettingFlags,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
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
