//! The in-process sandbox used by `--sandbox` and `scratch demo`, and clients for sandboxes.

use std::net::{Ipv4Addr, SocketAddr};

use scratchkit::{Client, Hosts};
use scratchkit_sandbox::{SandboxConfig, SandboxHandle};

use crate::exit::CliResult;

/// A sandbox running inside this process, on an ephemeral port of 127.0.0.1, and a client
/// pointed at it. The sandbox stops when this value is dropped.
#[derive(Debug)]
pub struct Embedded {
    /// The running sandbox.
    pub handle: SandboxHandle,
    /// A client for it (no rate limit).
    pub client: Client,
}

/// Starts the demo world on `127.0.0.1:0` and builds a client for it.
///
/// # Errors
/// The sandbox could not start, or the client could not be built (bad User-Agent).
pub async fn start(user_agent: Option<&str>) -> CliResult<Embedded> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let handle = scratchkit_sandbox::spawn_with(addr, SandboxConfig::default()).await?;
    tracing::debug!(addr = %handle.addr(), "embedded sandbox started");
    let client = sandbox_client(handle.addr(), user_agent)?;
    Ok(Embedded { handle, client })
}

/// A client for a sandbox listening on `addr`.
///
/// # Errors
/// The client could not be built (bad User-Agent).
pub fn sandbox_client(addr: SocketAddr, user_agent: Option<&str>) -> CliResult<Client> {
    let mut builder = Client::builder().hosts(Hosts::sandbox(addr));
    if let Some(ua) = user_agent {
        builder = builder.user_agent(ua);
    }
    Ok(builder.build()?)
}

/// A client for the live site (polite defaults).
///
/// # Errors
/// The client could not be built (bad User-Agent).
pub fn live_client(user_agent: Option<&str>) -> CliResult<Client> {
    let mut builder = Client::builder();
    if let Some(ua) = user_agent {
        builder = builder.user_agent(ua);
    }
    Ok(builder.build()?)
}
