//! What the server sends for a fault: an answer instead of the operation's, or the
//! operation's answer broken on its way.

use std::io;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::StreamExt;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use http::{HeaderValue, StatusCode};
use serde_json::{Map, Value, json};
use zoho_attachments::model::Operation;

use crate::errors::ZohoError;
use crate::fault::Fault;

/// The chunk size of a huge body.
const HUGE_CHUNK: usize = 64 * 1024;

fn op_error(op: Option<&Operation>, code: &str) -> ZohoError {
    match op {
        Some(op) => ZohoError::for_op(op, code, None, json!({})),
        None => ZohoError::generic(code, json!({})),
    }
}

/// The answer a fault gives instead of the operation. `path` and `query` are the
/// request's.
pub(crate) fn answer(
    fault: &Fault,
    op: Option<&'static Operation>,
    path: &str,
    query: Option<&str>,
) -> Response {
    match fault {
        Fault::RateLimit { retry_after } => {
            let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            op_error(op, "TOO_MANY_REQUESTS")
                .with_status(429)
                .with_header(RETRY_AFTER, HeaderValue::from(seconds))
                .into_response()
        }
        Fault::ServerError(status) => op_error(op, "INTERNAL_ERROR")
            .with_status(*status)
            .into_response(),
        Fault::ExpiredToken => op_error(op, "INVALID_TOKEN").into_response(),
        Fault::Redirect { status, to } => redirect(*status, to),
        Fault::RedirectLoop => redirect(302, path),
        Fault::HugeBody { bytes } => huge_body(*bytes),
        Fault::ItemError { code } => match op {
            Some(op) => item_error(op, code, query),
            None => op_error(op, code).into_response(),
        },
        // `HtmlErrorPage`, the only other answering fault.
        _ => (
            StatusCode::BAD_GATEWAY,
            [(CONTENT_TYPE, "text/html")],
            "<html><head><title>502 Bad Gateway</title></head>\
             <body><center><h1>502 Bad Gateway</h1></center><hr><center>ZGS</center></body></html>",
        )
            .into_response(),
    }
}

/// Sends the head and part of the body, then stalls or closes the connection.
pub(crate) async fn break_body(response: Response, fault: &Fault) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let length = bytes.len();
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(length));
    let body = match fault {
        Fault::StallBody { after_bytes, stall } => {
            let cut = after_bytes.unwrap_or(length / 2).min(length);
            let (head, tail) = (bytes.slice(..cut), bytes.slice(cut..));
            let stall = *stall;
            let stream = futures::stream::iter([Ok::<_, io::Error>(head)]).chain(
                futures::stream::once(async move {
                    tokio::time::sleep(stall).await;
                    Ok(tail)
                }),
            );
            Body::from_stream(stream)
        }
        _ => {
            let after = match fault {
                Fault::DropConnection { after_bytes } => *after_bytes,
                _ => None,
            };
            let cut = after.unwrap_or(length / 2).min(length.saturating_sub(1));
            let head = bytes.slice(..cut);
            let stream = futures::stream::iter([Ok::<_, io::Error>(head)]).chain(
                futures::stream::once(async {
                    // Let the head and the first bytes reach the socket before failing.
                    for _ in 0..8 {
                        tokio::task::yield_now().await;
                    }
                    Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "zoho-fake: connection dropped on purpose",
                    ))
                }),
            );
            Body::from_stream(stream)
        }
    };
    Response::from_parts(parts, body)
}

fn redirect(status: u16, to: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::TEMPORARY_REDIRECT);
    match HeaderValue::from_str(to) {
        Ok(location) => (status, [(LOCATION, location)]).into_response(),
        Err(_) => ZohoError::generic("INVALID_REQUEST", json!({"redirect": "not a header value"}))
            .into_response(),
    }
}

/// `{"data":[` + spaces + `]}`, `bytes` long in all (at least the brackets), streamed.
fn huge_body(bytes: u64) -> Response {
    const HEAD: &[u8] = b"{\"data\":[";
    const TAIL: &[u8] = b"]}";
    let padding = bytes.saturating_sub((HEAD.len() + TAIL.len()) as u64);
    let chunk = Bytes::from(vec![b' '; HUGE_CHUNK]);
    let full = padding / HUGE_CHUNK as u64;
    let rest = usize::try_from(padding % HUGE_CHUNK as u64).unwrap_or(0);
    let spaces = futures::stream::iter(0..full).map(move |_| chunk.clone());
    let body = futures::stream::iter([Bytes::from_static(HEAD)])
        .chain(spaces)
        .chain(futures::stream::iter([
            Bytes::from(vec![b' '; rest]),
            Bytes::from_static(TAIL),
        ]))
        .map(Ok::<_, io::Error>);
    (
        StatusCode::OK,
        [(CONTENT_TYPE, "application/json;charset=UTF-8")],
        Body::from_stream(body),
    )
        .into_response()
}

/// The operation's success status with its item failed: one failed outcome (one per ID of
/// a call on several), where and as the operation's answer reports outcomes.
fn item_error(op: &Operation, code: &str, query: Option<&str>) -> Response {
    let Some(rule) = op.response.item_status else {
        return op_error(Some(op), code).into_response();
    };
    let error = ZohoError::for_op(op, code, None, json!({}));
    let outcome = |id: Option<&str>| {
        let mut item = Map::new();
        item.insert("code".to_owned(), Value::from(error.code.clone()));
        let details = match id {
            Some(id) => json!({ "id": id }),
            None => (*error.details).clone(),
        };
        item.insert("details".to_owned(), details);
        item.insert("message".to_owned(), Value::from(error.message.clone()));
        item.insert(rule.key.to_owned(), Value::from("error"));
        Value::Object(item)
    };
    let answer = match rule.list {
        Some(list) => {
            let ids = op
                .response
                .per_item
                .map(|param| query_list(query, param))
                .unwrap_or_default();
            let items: Vec<Value> = if ids.is_empty() {
                vec![outcome(None)]
            } else {
                ids.iter().map(|id| outcome(Some(id))).collect()
            };
            json!({ list: items })
        }
        None => outcome(None),
    };
    let status = StatusCode::from_u16(op.response.status).unwrap_or(StatusCode::OK);
    (
        status,
        [(CONTENT_TYPE, "application/json;charset=UTF-8")],
        answer.to_string(),
    )
        .into_response()
}

/// The comma-separated values of the query parameter `name`.
fn query_list(query: Option<&str>, name: &str) -> Vec<String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(key, _)| key == name)
        .flat_map(|(_, value)| {
            value
                .split(',')
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}
