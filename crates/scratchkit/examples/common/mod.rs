//! What the examples share: a client for an in-process sandbox (the default, so that every
//! example runs offline) or, with `--live`, for scratch.mit.edu.

use scratchkit::Client;
use scratchkit_sandbox::SandboxHandle;

/// The demo account the sandbox seeds (its password is `scratchkit_sandbox::DEMO_PASSWORD`).
#[allow(dead_code)] // Not every example logs in.
pub const DEMO_ACCOUNT: &str = "griffpatch";

/// The client to use and, when it talks to a sandbox, the sandbox (keep it alive).
pub struct Target {
    pub client: Client,
    pub sandbox: Option<SandboxHandle>,
}

impl Target {
    /// `--live` on the command line: the real site; otherwise a fresh sandbox on 127.0.0.1.
    pub async fn from_args() -> Result<Self, Box<dyn std::error::Error>> {
        if std::env::args().any(|a| a == "--live") {
            return Ok(Self {
                client: Client::new(),
                sandbox: None,
            });
        }
        let sandbox = scratchkit_sandbox::spawn(([127, 0, 0, 1], 0).into()).await?;
        eprintln!(
            "(an in-process sandbox at {}; --live for scratch.mit.edu)",
            sandbox.base_url()
        );
        Ok(Self {
            client: Client::sandbox(sandbox.addr()),
            sandbox: Some(sandbox),
        })
    }

    /// Stops the sandbox, if there is one.
    pub async fn finish(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
    }
}
