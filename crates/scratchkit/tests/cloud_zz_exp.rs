use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use std::time::Duration;

#[tokio::test()]
async fn exp() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let srv = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        for _ in 0..3 {
            let m = tokio::time::timeout(Duration::from_secs(60), ws.next()).await;
            eprintln!("server got {m:?}");
        }
    });
    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/")).await.unwrap();
    let (mut sink, mut stream) = ws.split();
    sink.send(Message::text("one")).await.unwrap();
    let t = tokio::spawn(async move {
        tokio::select! {
            _ = stream.next() => {},
            _ = tokio::time::sleep(Duration::from_secs(1000)) => {},
        }
    });
    tokio::time::sleep(Duration::from_millis(5)).await;
    sink.send(Message::text("two")).await.unwrap();
    eprintln!("sent two");
    srv.await.unwrap();
    t.abort();
}
