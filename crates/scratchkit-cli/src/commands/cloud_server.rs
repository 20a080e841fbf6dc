//! `scratch cloud-server`: the sandbox's cloud WebSocket server alone (Scratch rules on
//! `/cloud`, TurboWarp rules on `/turbowarp`, logs on `/logs`), in memory or persisted.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use scratchkit_cloud_server::{
    CloudOptions, CloudStore, MemoryStore, SqliteStore, serve_standalone_with,
};
use serde_json::json;

use super::sandbox::wait_for_stop;
use crate::cli::CloudServerArgs;
use crate::exit::CliResult;
use crate::output::Out;

/// Runs the cloud server on 127.0.0.1 until Ctrl-C (or SIGTERM).
///
/// # Errors
/// The data directory or the port cannot be used, or the output fails.
pub async fn run(out: Out, args: CloudServerArgs) -> CliResult {
    let store: Arc<dyn CloudStore> = match &args.data {
        Some(dir) => Arc::new(SqliteStore::open(dir)?),
        None => Arc::new(MemoryStore::new()),
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let server = serve_standalone_with(addr, CloudOptions::default(), store).await?;
    if out.is_json() {
        out.json(&json!({
            "addr": server.addr().to_string(),
            "scratch": server.scratch_url(),
            "turbowarp": server.turbowarp_url(),
            "logs": server.logs_url(),
            "data": args.data.as_ref().map(|d| d.display().to_string()),
        }))?;
    } else {
        out.line(format!("cloud server on {}", server.addr()))?;
        out.line(format!("  Scratch rules:   {}", server.scratch_url()))?;
        out.line(format!("  TurboWarp rules: {}", server.turbowarp_url()))?;
        out.line(format!(
            "  logs:            {}?projectid=<id>",
            server.logs_url()
        ))?;
        match &args.data {
            Some(dir) => out.line(format!("  values kept in {}", dir.display()))?,
            None => out.line(out.dim("  values kept in memory (use --data DIR to keep them)"))?,
        }
        out.line(out.dim("Press Ctrl-C to stop."))?;
    }
    wait_for_stop().await;
    // Write out what the store queued before the sockets go (shutdown is a crash otherwise).
    server.state().store().flush();
    server.shutdown().await;
    Ok(())
}
