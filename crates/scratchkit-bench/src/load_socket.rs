//! The WebSocket settings of the benchmarks' and soaks' load-generating clients.

use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// How much a load-generating client reads at a time. The WebSocket library zero-fills that
/// much of its read buffer before every read; with its 128 KiB default, thousands of clients
/// spent most of the load generator's CPU in `memset` and could not keep up with the servers
/// under test.
pub const READ_CHUNK: usize = 8 * 1024;

/// A client configuration with [`READ_CHUNK`] reads, for `connect_async_with_config`.
///
/// ```
/// let config = scratchkit_bench::load_socket::config();
/// assert_eq!(config.read_buffer_size, scratchkit_bench::load_socket::READ_CHUNK);
/// ```
pub fn config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(READ_CHUNK)
}
