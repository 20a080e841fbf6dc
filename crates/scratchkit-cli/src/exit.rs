//! Errors of the `scratch` command: what went wrong, a hint, and the exit code.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | anything else (files, the sandbox could not start, unexpected data) |
//! | 2 | usage: clap's own errors, and arguments the client refused before sending |
//! | 3 | not found (HTTP 404) |
//! | 4 | authentication (HTTP 401/403, login required) |
//! | 5 | network or server (connection, timeout, 429, 5xx, other statuses) |

use std::fmt;
use std::process::ExitCode;

use miette::Diagnostic;

/// Exit code: success.
pub const OK: u8 = 0;
/// Exit code: any other failure.
pub const OTHER: u8 = 1;
/// Exit code: a usage error (clap uses 2 for its own errors too).
pub const USAGE: u8 = 2;
/// Exit code: the object asked for does not exist.
pub const NOT_FOUND: u8 = 3;
/// Exit code: a login is needed or was refused.
pub const AUTH: u8 = 4;
/// Exit code: the network or the server failed.
pub const NETWORK: u8 = 5;

/// Everything the command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The client failed (HTTP, decoding, validation).
    #[error(transparent)]
    Scratch(#[from] scratchkit::Error),
    /// The sandbox could not start.
    #[error("the sandbox could not start: {0}")]
    Sandbox(#[from] scratchkit_sandbox::SandboxError),
    /// The cloud server's data directory could not be used.
    #[error("the cloud server's data cannot be opened: {0}")]
    CloudStore(#[from] scratchkit_cloud_server::StoreError),
    /// The cloud server's configuration is wrong.
    #[error("bad cloud server configuration: {0}")]
    CloudConfig(#[from] scratchkit_cloud_server::ConfigError),
    /// `scratch cloud-server` could not start (its address, or Redis with `--redis`).
    #[error("the cloud server could not start: {0}")]
    CloudServe(std::io::Error),
    /// A `--faults` spec could not be read.
    #[error("bad --faults spec: {0}")]
    Faults(#[from] scratchkit_sandbox::FaultSpecError),
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    /// A value could not be turned into JSON.
    #[error("cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A cloud variable connection failed.
    #[error(transparent)]
    Cloud(#[from] scratchkit::cloud::CloudError),
    /// An argument or environment that cannot work (no terminal to ask a password on…).
    #[error("{0}")]
    Usage(String),
    /// The command needs a login and there is none.
    #[error("not logged in: {0}")]
    NotLoggedIn(String),
    /// `scratch cloud-requests encode|decode`: text or digits the Encoding cannot take.
    #[error("{0}")]
    Encoding(#[from] scratchkit_cloud_requests::EncodingError),
    /// `scratch cloud-requests storage`: the databases file cannot be read or written.
    #[error("cloud storage: {0}")]
    Storage(#[from] scratchkit_cloud_requests::StorageError),
    /// Something looked up on the client side (a backpack item by ID) is not there.
    #[error("{0}")]
    Missing(String),
    /// `scratch account verify-password`: the password is not the account's.
    #[error("that is not {0}'s password")]
    WrongPassword(String),
    /// A local file (an .sb3, the config directory) could not be read or written.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A step of `scratch demo` did not see what it should have.
    #[error("demo step failed: {0}")]
    Demo(String),
    /// A project file is not a valid .sb3.
    #[error("{path} is not a valid .sb3: {source}")]
    Sb3 {
        /// The file.
        path: String,
        /// What is wrong with it.
        source: scratchkit_sb3::Error,
    },
    /// `scratch project validate` found errors (they were printed).
    #[error("{path}: {errors} validation error(s)")]
    Invalid {
        /// The file.
        path: String,
        /// How many errors.
        errors: usize,
    },
}

impl CliError {
    /// A file error for `path`.
    pub fn file(path: &std::path::Path, source: std::io::Error) -> Self {
        CliError::File {
            path: path.display().to_string(),
            source,
        }
    }
}

/// The result of a command.
pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        use scratchkit::Error as E;
        match self {
            CliError::Scratch(e) => match e {
                E::NotFound { .. } => NOT_FOUND,
                E::Unauthorized { .. }
                | E::Forbidden { .. }
                | E::LoginRequired
                | E::LoginFailed { .. }
                | E::CaptchaRequired { .. }
                | E::LoginBlocked { .. }
                | E::AccountBanned { .. }
                | E::SessionExpired => AUTH,
                E::InvalidInput { .. } => USAGE,
                E::RateLimited { .. }
                | E::Server { .. }
                | E::Status { .. }
                | E::Timeout { .. }
                | E::Connection { .. } => NETWORK,
                _ => OTHER,
            },
            CliError::Cloud(e) => {
                use scratchkit::cloud::CloudError as C;
                match e {
                    C::Invalid(_) | C::Config(_) => USAGE,
                    C::LoginRequired | C::Refused { .. } => AUTH,
                    C::Connect { .. } => NETWORK,
                    _ => OTHER,
                }
            }
            CliError::Faults(_)
            | CliError::Usage(_)
            | CliError::CloudConfig(_)
            | CliError::Encoding(_) => USAGE,
            CliError::NotLoggedIn(_) | CliError::WrongPassword(_) => AUTH,
            CliError::Missing(_) => NOT_FOUND,
            CliError::Sandbox(_)
            | CliError::CloudStore(_)
            | CliError::Storage(_)
            | CliError::CloudServe(_)
            | CliError::Io(_)
            | CliError::Json(_)
            | CliError::File { .. }
            | CliError::Demo(_)
            | CliError::Sb3 { .. }
            | CliError::Invalid { .. } => OTHER,
        }
    }

    /// Whether this is a write to a closed pipe (`scratch news | head -1`): not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// A hint for people: what to try next.
    pub fn hint(&self) -> Option<&'static str> {
        use scratchkit::Error as E;
        let hint = match self {
            CliError::Scratch(e) => match e {
                E::NotFound { .. } => {
                    "check the name or ID; the item may have been deleted or unshared"
                }
                E::Unauthorized { .. } | E::LoginRequired => {
                    "this needs a logged-in account: run `scratch login` first (or set SCRATCH_SESSION_ID)"
                }
                E::SessionExpired => {
                    "Scratch no longer accepts the saved session: run `scratch login` again"
                }
                E::LoginFailed { .. } => "check the user name and password",
                E::CaptchaRequired { .. } | E::LoginBlocked { .. } => {
                    "log in on the web site once, then use `scratch login --session-id` with the browser's scratchsessionsid cookie"
                }
                E::CommentRejected { .. } => {
                    "Scratch refused the comment (too fast, muted, or comments are off); wait and try again"
                }
                E::Forbidden { .. } => {
                    "Scratch refused: the account may not be allowed to (not the owner, not a \
                     manager), the item may be private, or your address may be blocked"
                }
                E::InvalidInput { .. } => "check the argument; see `scratch <command> --help`",
                E::RateLimited { .. } => {
                    "Scratch is limiting requests: wait a minute and try again, more slowly"
                }
                E::Server { .. } | E::Status { .. } => {
                    "Scratch's servers had a problem; try again later (or work offline with --sandbox)"
                }
                E::BadRequest { .. } => {
                    "Scratch refused the request as malformed; check the arguments"
                }
                E::Timeout { .. } | E::Connection { .. } => {
                    "check your internet connection (with --sandbox-at: is that sandbox running?), \
                     or work offline with --sandbox"
                }
                E::Decode { .. } => {
                    "Scratch answered in an unexpected shape; please report it with the output of -v"
                }
                _ => return None,
            },
            CliError::Sandbox(_) => {
                "is the port already in use? try another with --port, or --port 0 for any free one"
            }
            CliError::CloudStore(_) => {
                "check that the --data directory exists or can be created, and is writable"
            }
            CliError::CloudServe(_) => {
                "is the address in use (try --port 0), or Redis (--redis) down or elsewhere? see docs/deploy-cloud-server.md"
            }
            CliError::CloudConfig(_) => {
                "see `scratch cloud-server --help` and docs/deploy-cloud-server.md for the settings"
            }
            CliError::Faults(_) => {
                "example: --faults latency=200ms,rate=0.3,kinds=429|503|dropped (see `scratch sandbox --help`)"
            }
            CliError::Cloud(e) => match e {
                scratchkit::cloud::CloudError::LoginRequired
                | scratchkit::cloud::CloudError::Refused { .. } => {
                    "Scratch's cloud needs a Scratcher's login (set SCRATCH_USERNAME and SCRATCH_PASSWORD); try --turbowarp or --sandbox"
                }
                scratchkit::cloud::CloudError::Invalid(_) => {
                    "cloud values are numbers: digits with an optional leading - and one ."
                }
                _ => return None,
            },
            CliError::NotLoggedIn(_) => {
                "run `scratch login [USERNAME]` (or set SCRATCH_SESSION_ID); see `scratch login --help`"
            }
            CliError::Sb3 { .. } => {
                "the file should be a project saved by Scratch (File > Save to your computer)"
            }
            CliError::Invalid { .. } => {
                "each finding names the sprite and block; fix them in the editor, or in the project.json of `scratch project unpack`"
            }
            CliError::Io(_)
            | CliError::Json(_)
            | CliError::WrongPassword(_)
            | CliError::Missing(_)
            | CliError::Encoding(_)
            | CliError::Storage(_)
            | CliError::Usage(_)
            | CliError::File { .. }
            | CliError::Demo(_) => {
                return None;
            }
        };
        Some(hint)
    }

    /// The process exit code, as `std` wants it.
    pub fn to_exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit_code())
    }
}

/// The error as miette shows it: the one-line cause and the hint.
pub struct Report<'a>(pub &'a CliError);

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .hint()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }
}

/// Prints `err` to stderr the miette way (colour only when stderr is a terminal and
/// `NO_COLOR` is unset) and returns the exit code.
pub fn report(err: &CliError) -> ExitCode {
    if err.is_broken_pipe() {
        return ExitCode::from(OK);
    }
    let handler = miette::GraphicalReportHandler::new_themed(if crate::output::stderr_colour() {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    });
    let mut text = String::new();
    if handler.render_report(&mut text, &Report(err)).is_err() {
        text = format!("Error: {err}");
    }
    eprintln!("{}", text.trim_end());
    err.to_exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_distinguish_the_kinds_of_failure() {
        let nf = CliError::from(scratchkit::Error::NotFound { url: "u".into() });
        assert_eq!(nf.exit_code(), NOT_FOUND);
        assert!(nf.hint().unwrap().contains("name or ID"));
        assert_eq!(
            CliError::from(scratchkit::Error::LoginRequired).exit_code(),
            AUTH
        );
        let server = CliError::from(scratchkit::Error::Server {
            status: scratchkit::StatusCode::SERVICE_UNAVAILABLE,
            url: "u".into(),
            snippet: String::new(),
        });
        assert_eq!(server.exit_code(), NETWORK);
        let timeout = CliError::from(scratchkit::Error::Timeout { url: "u".into() });
        assert_eq!(timeout.exit_code(), NETWORK);
        let invalid = CliError::from(scratchkit::Error::InvalidInput {
            what: "username",
            reason: "too long".into(),
        });
        assert_eq!(invalid.exit_code(), USAGE);
        assert_eq!(
            CliError::from(scratchkit::Error::SessionExpired).exit_code(),
            AUTH
        );
        let login = CliError::NotLoggedIn("no saved session".into());
        assert_eq!(login.exit_code(), AUTH);
        assert!(login.hint().unwrap().contains("scratch login"));
        assert_eq!(CliError::Usage("x".into()).exit_code(), USAGE);
        let json = serde_json::from_str::<u8>("x").unwrap_err();
        assert_eq!(CliError::from(json).exit_code(), OTHER);
    }

    #[test]
    fn broken_pipes_are_quiet() {
        let e = CliError::Io(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(e.is_broken_pipe());
        let other = CliError::Io(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert!(!other.is_broken_pipe());
    }

    #[test]
    fn the_report_has_cause_and_hint() {
        let e = CliError::from(scratchkit::Error::NotFound {
            url: "http://127.0.0.1:1/api/users/nobody".into(),
        });
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut text = String::new();
        handler.render_report(&mut text, &Report(&e)).unwrap();
        assert!(
            text.contains("not found: http://127.0.0.1:1/api/users/nobody"),
            "{text}"
        );
        assert!(text.contains("help: check the name or ID"), "{text}");
        assert!(!text.contains("scratch::"), "no code line: {text}");
    }
}
