//! Serving a sandbox for other processes until the parent lets go.

use std::io::Read as _;
use std::net::SocketAddr;

use scratchkit_sandbox::{SandboxConfig, SandboxError, spawn_with};

/// Starts a sandbox on `127.0.0.1:port` (0: any free port), calls `ready` with its address,
/// and serves until stdin reaches end of file (the parent closed it or died), Ctrl-C, or
/// SIGTERM; then shuts the sandbox down.
///
/// ```no_run
/// # async fn demo() -> Result<(), scratchkit_sandbox::SandboxError> {
/// use scratchkit_sandbox::SandboxConfig;
///
/// scratchkit_bench::serve::serve_until_released(SandboxConfig::default(), 0, |addr| {
///     println!("ADDR={addr}");
/// })
/// .await
/// # }
/// ```
///
/// # Errors
/// The sandbox could not start (see [`scratchkit_sandbox::spawn_with`]).
pub async fn serve_until_released(
    config: SandboxConfig,
    port: u16,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), SandboxError> {
    let sandbox = spawn_with(([127, 0, 0, 1], port).into(), config).await?;
    ready(sandbox.addr());
    tokio::select! {
        () = stdin_closed() => {}
        () = terminated() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    sandbox.shutdown().await;
    Ok(())
}

/// Resolves when stdin reaches end of file or fails.
async fn stdin_closed() {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = [0u8; 256];
        while let Ok(1..) = stdin.read(&mut buf) {}
        let _ = tx.send(());
    });
    let _ = rx.await;
}

/// Resolves on SIGTERM (never elsewhere).
async fn terminated() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            term.recv().await;
            return;
        }
    }
    std::future::pending::<()>().await;
}

/// The command-line options of a served sandbox (`--scale N --seed N --port P
/// --log-requests FILE`), shared by `sandbox-for-compat` and `bulk-read serve`.
///
/// ```
/// use scratchkit_bench::serve::parse_sandbox_args;
///
/// let (config, port) = parse_sandbox_args(["--scale", "1", "--port", "8007"]).unwrap();
/// assert_eq!((config.scale, port), (1, 8007));
/// assert!(parse_sandbox_args(["--scale", "lots"]).is_err());
/// ```
///
/// # Errors
/// A message naming the unknown option or the bad value.
pub fn parse_sandbox_args<I, S>(args: I) -> Result<(SandboxConfig, u16), String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut config = SandboxConfig::default();
    let mut port = 0;
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--scale" => {
                config.scale = value("--scale")?
                    .parse()
                    .map_err(|e| format!("--scale: {e}"))?;
            }
            "--seed" => {
                config.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?;
            }
            "--port" => {
                port = value("--port")?
                    .parse()
                    .map_err(|e| format!("--port: {e}"))?;
            }
            "--log-requests" => {
                config.log_requests = Some(value("--log-requests")?.into());
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((config, port))
}
