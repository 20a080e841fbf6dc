//! JSON responses serialized into one `Vec<u8>` sized up front, instead of `axum::Json`'s
//! small growing `BytesMut` (a 60 KB project list went through a dozen reallocations and a
//! `put_slice` per token).

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Buffer reserved for one object (a project is about 1.5 KB, a user or studio less).
const OBJECT_CAPACITY: usize = 2 * 1024;

/// Buffer reserved per item of a list.
const ITEM_CAPACITY: usize = 2 * 1024;

/// A `200 application/json` response of `value`, like `axum::Json` (same bytes, same
/// `content-type`).
#[derive(Debug, Clone)]
pub(crate) struct JsonReply<T> {
    value: T,
    capacity: usize,
}

impl<T: Serialize> JsonReply<T> {
    /// One object.
    pub(crate) fn new(value: T) -> Self {
        JsonReply {
            value,
            capacity: OBJECT_CAPACITY,
        }
    }
}

impl<I: Serialize> JsonReply<Vec<I>> {
    /// A list: room for a couple of KB per item.
    pub(crate) fn list(items: Vec<I>) -> Self {
        let capacity = items.len().saturating_mul(ITEM_CAPACITY).saturating_add(2);
        JsonReply {
            value: items,
            capacity,
        }
    }
}

impl<T: Serialize> IntoResponse for JsonReply<T> {
    fn into_response(self) -> Response {
        let mut body = Vec::with_capacity(self.capacity);
        match serde_json::to_writer(&mut body, &self.value) {
            Ok(()) => RawJson(body).into_response(),
            Err(e) => {
                // What `axum::Json` answers when a value cannot be serialized.
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    e.to_string(),
                )
                    .into_response()
            }
        }
    }
}

/// A `200 application/json` response of JSON text written beforehand (by the hand-written
/// project writer).
#[derive(Debug, Clone)]
pub(crate) struct RawJson(pub Vec<u8>);

impl IntoResponse for RawJson {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::from(self.0));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;
    use serde_json::json;

    async fn parts(response: Response) -> (StatusCode, Option<String>, Vec<u8>) {
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, content_type, body.to_vec())
    }

    #[tokio::test]
    async fn same_response_as_axum_json() {
        let value = json!({"id": 1, "title": "a \"quoted\" é", "list": [1, 2, 3]});
        let ours = parts(JsonReply::new(value.clone()).into_response()).await;
        let axum = parts(axum::Json(value).into_response()).await;
        assert_eq!(ours, axum);
        assert_eq!(ours.1.as_deref(), Some("application/json"));

        let items = vec![json!({"a": 1}), json!({"b": [true, null]})];
        let ours = parts(JsonReply::list(items.clone()).into_response()).await;
        let axum = parts(axum::Json(items).into_response()).await;
        assert_eq!(ours, axum);
        assert_eq!(ours.2, br#"[{"a":1},{"b":[true,null]}]"#);

        let empty: Vec<u8> = Vec::new();
        let ours = parts(JsonReply::list(empty).into_response()).await;
        assert_eq!(ours.2, b"[]");
    }

    /// Fails to serialize: a map key that is not a string.
    struct BadKeys;

    impl Serialize for BadKeys {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(&[1u8, 2], &1)?;
            map.end()
        }
    }

    #[tokio::test]
    async fn unserializable_values_are_a_500() {
        let (status, content_type, _) = parts(JsonReply::new(BadKeys).into_response()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(content_type.as_deref(), Some("text/plain; charset=utf-8"));
    }
}
