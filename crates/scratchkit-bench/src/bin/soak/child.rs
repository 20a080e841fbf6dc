//! The server under soak: a `scratch` subcommand in a child process, found by the address it
//! prints, and killed with SIGKILL when dropped.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

/// A running server process.
pub struct ServerProcess {
    pub child: Child,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Runs `command` and reads its first lines until one holds `SCHEME://HOST:PORT`
    /// (`scheme` is `"ws"` or `"http"`); what it prints afterwards is drained and dropped.
    pub fn start(mut command: Command, scheme: &str) -> Result<Self, String> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start {command:?}: {e} (build it with `cargo build -p scratchkit-cli`)"
                )
            })?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let addr = lines
            .by_ref()
            .take(20)
            .map_while(Result::ok)
            .find_map(|line| addr_in(&line, scheme));
        // Keep draining what it prints so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        match addr {
            Some(addr) => Ok(Self { child, addr }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("{command:?} did not print a {scheme}:// address"))
            }
        }
    }

    /// SIGKILL: no shutdown code of the server runs.
    pub fn kill_9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill_9();
    }
}

/// Sends one raw HTTP request (`METHOD PATH`, optional JSON body) to the server with
/// `connection: close` and returns the whole response, head and body; gives up after 5 s.
pub async fn http(
    addr: SocketAddr,
    method_path: &str,
    json: Option<&str>,
) -> Result<String, String> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let body = json.unwrap_or("");
    let request = format!(
        "{method_path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let exchange = async {
        let mut tcp = tokio::net::TcpStream::connect(addr).await?;
        tcp.write_all(request.as_bytes()).await?;
        let mut response = String::new();
        tcp.read_to_string(&mut response).await?;
        Ok::<_, std::io::Error>(response)
    };
    match tokio::time::timeout(std::time::Duration::from_secs(5), exchange).await {
        Ok(Ok(response)) => Ok(response),
        Ok(Err(e)) => Err(format!("{method_path}: {e}")),
        Err(_) => Err(format!("{method_path}: no answer in 5 s")),
    }
}

/// `HOST:PORT` of the first `SCHEME://HOST:PORT` in a line (ended by `/`, a space or the end).
fn addr_in(line: &str, scheme: &str) -> Option<SocketAddr> {
    let prefix = format!("{scheme}://");
    let rest = &line[line.find(&prefix)? + prefix.len()..];
    rest[..rest.find(['/', ' ']).unwrap_or(rest.len())]
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_read_from_a_banner_line() {
        assert_eq!(
            addr_in("  TurboWarp rules: ws://127.0.0.1:44075/", "ws"),
            Some(([127, 0, 0, 1], 44075).into())
        );
        assert_eq!(
            addr_in("  Listening  http://127.0.0.1:41305", "http"),
            Some(([127, 0, 0, 1], 41305).into())
        );
        assert_eq!(addr_in("cloud server on 127.0.0.1:1", "ws"), None);
    }
}
