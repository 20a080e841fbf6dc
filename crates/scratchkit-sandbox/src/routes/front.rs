//! The layer in front of the router: Host-header routing, trailing slashes, the request log
//! and fault injection.

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::faults::FaultKind;
use crate::hosts::{needs_rewrite, sandbox_path};
use crate::listener::ConnInfo;
use crate::reqlog;
use crate::state::Shared;

/// Largest request body kept for the request log.
const LOG_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Routes by the `Host` header and drops trailing slashes (see [`sandbox_path`]); a request
/// whose origin-form path needs neither is left as it is (no new `Uri` built and parsed).
fn rewrite(req: &mut Request) {
    let path_and_query = {
        let uri = req.uri();
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| uri.authority().map(|a| a.as_str()));
        let origin_form = uri.scheme().is_none() && uri.authority().is_none();
        if origin_form && !needs_rewrite(host, uri.path()) {
            return;
        }
        let websocket = req
            .headers()
            .get(header::UPGRADE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
        let path = sandbox_path(host, websocket, uri.path());
        match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path,
        }
    };
    if let Ok(uri) = path_and_query.parse::<Uri>() {
        *req.uri_mut() = uri;
    }
}

fn html_error(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let code = status.as_u16();
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head><body><h1>{code} {reason}</h1></body></html>\n"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

fn fault_response(kind: FaultKind, retry_after: u64, conn: Option<&ConnInfo>) -> Response {
    let too_many = || {
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"response":"Too many requests"}"#,
        )
            .into_response()
    };
    match kind {
        FaultKind::TooManyRequests => too_many(),
        FaultKind::TooManyRequestsRetryAfter => {
            let mut response = too_many();
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        FaultKind::InternalServerError => html_error(StatusCode::INTERNAL_SERVER_ERROR),
        FaultKind::BadGateway => html_error(StatusCode::BAD_GATEWAY),
        FaultKind::ServiceUnavailable => html_error(StatusCode::SERVICE_UNAVAILABLE),
        FaultKind::GatewayTimeout => html_error(StatusCode::GATEWAY_TIMEOUT),
        FaultKind::Dropped => {
            if let Some(conn) = conn {
                conn.kill();
            }
            // Never reaches the client: the connection refuses every write from now on.
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

/// Runs before routing.
pub(crate) async fn front(State(s): State<Shared>, mut req: Request, next: Next) -> Response {
    let trailing_slash = {
        let path = req.uri().path();
        path.len() > 1 && path.ends_with('/')
    };
    rewrite(&mut req);
    if let Some(log) = &s.log {
        let (parts, body) = req.into_parts();
        let bytes = match to_bytes(body, LOG_BODY_LIMIT).await {
            Ok(bytes) => bytes,
            Err(_) => {
                return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response();
            }
        };
        let mut entry = reqlog::entry(
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query().unwrap_or(""),
            &parts.headers,
            &bytes,
        );
        // The path as sent had a trailing slash (the logged `path` never has one).
        entry["trailing_slash"] = trailing_slash.into();
        log.write(&entry);
        req = Request::from_parts(parts, Body::from(bytes));
    }
    let path = req.uri().path();
    let admin = path == "/_sandbox" || path.starts_with("/_sandbox/");
    if !admin {
        let decision = s.faults.decide();
        if !decision.latency.is_zero() {
            tokio::time::sleep(decision.latency).await;
        }
        if let Some(kind) = decision.fault {
            let conn = req
                .extensions()
                .get::<ConnectInfo<ConnInfo>>()
                .map(|c| &c.0);
            return fault_response(kind, decision.retry_after, conn);
        }
    }
    next.run(req).await
}
