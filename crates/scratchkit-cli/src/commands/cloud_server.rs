//! `scratch cloud-server`: the cloud-variable server on its own (TurboWarp rules on `/` and
//! `/turbowarp`, Scratch rules on `/cloud`, logs on `/logs`, `/health`, `/metrics`, and the
//! admin API when a token is configured), configured by flags, `SCRATCH_CLOUD_*` variables and
//! a TOML file, in memory or persisted.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use scratchkit_cloud_server::{
    CloudStore, ConfigError, ConfigSources, ENV_PREFIX, MemoryStore, RootRules, ServerConfig,
    SqliteStore, serve_standalone_with,
};
use serde_json::json;

use super::sandbox::wait_for_stop;
use crate::exit::{CliError, CliResult};
use crate::output::Out;

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

/// The effective configuration: presets, then `--config`, then `SCRATCH_CLOUD_*`, then flags;
/// `--port` replaces the port of `listen`.
///
/// # Errors
/// The configuration file cannot be read, or a setting is wrong.
fn configuration(args: &CloudServerArgs) -> Result<ServerConfig, ConfigError> {
    // Bounded: a path pointed at something endless (`/dev/zero`) fails instead of filling
    // memory.
    let file_text = match &args.config {
        Some(path) => Some(ConfigSources::read_file(path)?),
        None => None,
    };
    let env = std::env::vars()
        .filter(|(name, _)| name.starts_with(ENV_PREFIX))
        .collect();
    configuration_from(args, file_text, env)
}

/// The effective configuration from the flags in `args`, the file's `(name, text)` and the
/// `SCRATCH_CLOUD_*` variables, already read: no I/O.
///
/// # Errors
/// A setting is wrong.
pub(crate) fn configuration_from(
    args: &CloudServerArgs,
    file_text: Option<(String, String)>,
    env: Vec<(String, String)>,
) -> Result<ServerConfig, ConfigError> {
    let mut config = ServerConfig::load(&ConfigSources {
        file_text,
        env,
        flags: args.settings.0.clone(),
    })?;
    if let Some(port) = args.port {
        config.listen.set_port(port);
    }
    Ok(config)
}

/// Runs the cloud server until Ctrl-C or SIGTERM, then shuts down gracefully.
///
/// # Errors
/// The configuration is wrong, the data directory or the address cannot be used, or the
/// output fails.
pub async fn run(out: Out, args: CloudServerArgs) -> CliResult {
    let config = configuration(&args)?;
    if args.print_config {
        if out.is_json() {
            out.json(&config)?;
        } else {
            out.line(config.to_toml().trim_end())?;
        }
        return Ok(());
    }
    let options = config.to_options()?;
    let admin = options.operator.admin_token.is_some();
    let store: Arc<dyn CloudStore> = match &config.data {
        Some(dir) => Arc::new(SqliteStore::open(dir)?),
        None => Arc::new(MemoryStore::new()),
    };
    let runtime = ServerRuntime::start(config.threads)?;
    let listen = config.listen;
    let server = runtime
        .run(async move { serve_standalone_with(listen, options, store).await })
        .await?
        .map_err(CliError::CloudServe)?;
    let root = match config.root {
        RootRules::Turbowarp => Some("TurboWarp"),
        RootRules::Scratch => Some("Scratch"),
        RootRules::None => None,
    };
    let http = server.http_url();
    if out.is_json() {
        out.json(&json!({
            "addr": server.addr().to_string(),
            "root": root.map(|_| format!("ws://{}/", server.addr())),
            "scratch": server.scratch_url(),
            "turbowarp": server.turbowarp_url(),
            "logs": server.logs_url(),
            "health": format!("{http}/health"),
            "metrics": format!("{http}/metrics"),
            "admin": admin.then(|| format!("{http}/admin/")),
            "data": config.data.as_ref().map(|d| d.display().to_string()),
            "redis_instance": server.state().backplane_stats().map(|s| format!("{:016x}", s.instance)),
        }))?;
    } else {
        out.line(format!("cloud server on {}", server.addr()))?;
        if let Some(rules) = root {
            let label = format!("{rules} rules:");
            out.line(format!("  {label:<17}ws://{}/", server.addr()))?;
        }
        out.line(format!("  Scratch rules:   {}", server.scratch_url()))?;
        out.line(format!("  TurboWarp rules: {}", server.turbowarp_url()))?;
        out.line(format!(
            "  logs:            {}?projectid=<id>",
            server.logs_url()
        ))?;
        out.line(format!("  health:          {http}/health"))?;
        out.line(format!("  metrics:         {http}/metrics"))?;
        if admin {
            out.line(format!("  admin API:       {http}/admin/ (bearer token)"))?;
        } else {
            out.line(out.dim("  admin API:       off (set admin.token or admin.token_file)"))?;
        }
        if let Some(stats) = server.state().backplane_stats() {
            out.line(format!(
                "  rooms shared through Redis (instance {:016x}, {} other instances heard so far)",
                stats.instance, stats.peers
            ))?;
        }
        match &config.data {
            Some(dir) => out.line(format!("  values and blocks kept in {}", dir.display()))?,
            None => out.line(out.dim("  values kept in memory (use --data DIR to keep them)"))?,
        }
        out.line(out.dim("Press Ctrl-C to stop (clients are told to reconnect)."))?;
    }
    wait_for_stop().await;
    let report = runtime.run(server.shutdown_gracefully()).await?;
    runtime.stop();
    if !out.is_json() {
        out.line(format!(
            "stopped: {} clients closed with 1012 (they reconnect), {} dropped after the grace period; values flushed",
            report.closed, report.dropped
        ))?;
    }
    Ok(())
}

/// The runtime the server's connections run on, apart from the CLI's own: with one thread
/// (the default, `threads = 1`) every connection, wake-up and write stays on one thread,
/// which measured 15–43 % less CPU per delivered update than a pool of workers in
/// `cloud-bench`; `threads = N` runs a pool of N workers, `0` one per core.
struct ServerRuntime {
    handle: tokio::runtime::Handle,
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl ServerRuntime {
    /// Starts the runtime on a thread of its own (a current-thread runtime runs only while
    /// a thread blocks on it).
    ///
    /// # Errors
    /// The runtime or its thread cannot be created.
    fn start(threads: usize) -> std::io::Result<Self> {
        let runtime = if threads == 1 {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
        } else {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            if threads > 1 {
                builder.worker_threads(threads);
            }
            builder.enable_all().build()?
        };
        let handle = runtime.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("cloud-server".to_owned())
            .spawn(move || {
                runtime.block_on(async {
                    let _ = stopped.await;
                });
            })?;
        Ok(ServerRuntime {
            handle,
            stop,
            thread,
        })
    }

    /// Runs `task` on the server's runtime and waits for its result.
    ///
    /// # Errors
    /// The task panicked or the runtime is gone.
    async fn run<T: Send + 'static>(
        &self,
        task: impl std::future::Future<Output = T> + Send + 'static,
    ) -> std::io::Result<T> {
        self.handle.spawn(task).await.map_err(std::io::Error::other)
    }

    /// Ends the runtime (its remaining tasks are dropped) once the server has shut down.
    fn stop(self) {
        let _ = self.stop.send(());
        if self.thread.join().is_err() {
            tracing::warn!("the cloud server's thread panicked while stopping");
        }
    }
}
