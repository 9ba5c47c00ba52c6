//! Checks a request against its operation in the model: query parameters (required,
//! kind, range) and the body (multipart alternatives, parts, fixed values, character and
//! byte limits; JSON).

use std::collections::HashMap;

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use http::HeaderMap;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::{Value, json};
use zoho_attachments::model::{Alternative, Api, Operation, ParamKind, Part};

use crate::errors::{ZohoError, too_large_code};

/// The validated query parameters of a call.
#[derive(Debug, Default)]
pub(crate) struct Params {
    values: HashMap<&'static str, String>,
}

impl Params {
    pub(crate) fn string(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// An integer parameter (already checked to parse and to be in range).
    pub(crate) fn integer(&self, name: &str) -> Option<i64> {
        self.string(name).and_then(|value| value.parse().ok())
    }

    /// A comma-separated list parameter.
    pub(crate) fn list(&self, name: &str) -> Option<Vec<String>> {
        self.string(name).map(split_list)
    }
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Checks the query against the operation's query parameters.
pub(crate) fn check_params(op: &Operation, query: Option<&str>) -> Result<Params, ZohoError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let mut params = Params::default();
    for param in op.params.iter().filter(|param| !param.in_path) {
        let value = pairs
            .iter()
            .find(|(name, _)| name == param.name)
            .map(|(_, value)| value.trim())
            .filter(|value| match param.kind {
                ParamKind::List => !split_list(value).is_empty(),
                _ => !value.is_empty(),
            });
        let Some(value) = value else {
            if param.required {
                return Err(ZohoError::for_op(
                    op,
                    "REQUIRED_PARAM_MISSING",
                    None,
                    json!({"param_name": param.name}),
                ));
            }
            continue;
        };
        let invalid = |details: Value, why: String| {
            ZohoError::status_only(op, "INVALID_DATA", details).or_message(why)
        };
        match param.kind {
            ParamKind::Integer => {
                let number: i64 = value.parse().map_err(|_| {
                    invalid(
                        json!({"param_name": param.name, "expected_data_type": "integer"}),
                        format!("`{}` must be an integer", param.name),
                    )
                })?;
                let low = param.minimum.is_some_and(|minimum| number < minimum);
                let high = param.maximum.is_some_and(|maximum| number > maximum);
                if low || high {
                    let mut details = json!({"param_name": param.name});
                    let mut bounds = Vec::new();
                    if let Some(minimum) = param.minimum {
                        details["minimum"] = json!(minimum);
                        bounds.push(format!("at least {minimum}"));
                    }
                    if let Some(maximum) = param.maximum {
                        details["maximum"] = json!(maximum);
                        bounds.push(format!("at most {maximum}"));
                    }
                    let why = format!("`{}` must be {}", param.name, bounds.join(" and "));
                    return Err(invalid(details, why));
                }
            }
            ParamKind::Boolean if value != "true" && value != "false" => {
                return Err(invalid(
                    json!({"param_name": param.name, "expected_data_type": "boolean"}),
                    format!("`{}` must be true or false", param.name),
                ));
            }
            _ => {}
        }
        params.values.insert(param.name, value.to_owned());
    }
    Ok(params)
}

/// A file part of a multipart body.
#[derive(Debug, Clone)]
pub(crate) struct FileField {
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) bytes: Bytes,
}

/// A multipart body that satisfies exactly one alternative.
#[derive(Debug)]
pub(crate) struct Form {
    /// The alternative's name (`file`, `link`).
    pub(crate) alternative: &'static str,
    files: HashMap<String, FileField>,
    texts: HashMap<String, String>,
}

impl Form {
    /// The first file part of the alternative (there is one in every spec alternative that
    /// has a file).
    pub(crate) fn file(&self, name: &str) -> Option<&FileField> {
        self.files.get(name)
    }

    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.texts.get(name).map(String::as_str)
    }
}

/// Beyond a limit by this much, the `Content-Length` alone decides (the parts' sum is a
/// little under the body's length: boundaries and part headers).
const LENGTH_SLACK: u64 = 1024 * 1024;
/// After a part broke a limit, at most this much more is read so the client can finish
/// sending and read the answer.
const DRAIN_CAP: u64 = 8 * 1024 * 1024;

/// A text part's fixed value and character limits.
fn check_text_part(op: &Operation, part: &Part, value: &str) -> Result<(), ZohoError> {
    let invalid = |details: Value, why: String| {
        ZohoError::status_only(op, "INVALID_DATA", details).or_message(why)
    };
    if let Some(fixed) = part.fixed
        && value != fixed
    {
        return Err(invalid(
            json!({"param_name": part.name, "expected_value": fixed}),
            format!("`{}` must be `{fixed}`", part.name),
        ));
    }
    let length = value.chars().count();
    if let Some(minimum) = part.min_length.filter(|minimum| length < *minimum) {
        return Err(invalid(
            json!({"param_name": part.name, "minimum_length": minimum}),
            format!("`{}` must have at least {minimum} characters", part.name),
        ));
    }
    if let Some(maximum) = part.max_length.filter(|maximum| length > *maximum) {
        return Err(invalid(
            json!({"param_name": part.name, "maximum_length": maximum}),
            format!("`{}` must have at most {maximum} characters", part.name),
        ));
    }
    Ok(())
}

/// The alternative of text parts only (a link) sent as query parameters without a body, as
/// Zoho's OpenAPI file declares `attachmentUrl` and `title` and Zoho's SDKs send them; `None`
/// when the query holds none of such an alternative's parts.
pub(crate) fn form_from_query(
    op: &Operation,
    alternatives: &'static [Alternative],
    query: Option<&str>,
) -> Option<Result<Form, ZohoError>> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query?.as_bytes())
        .into_owned()
        .collect();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    };
    let alternative = alternatives.iter().find(|alternative| {
        alternative.parts.iter().all(|part| !part.file)
            && alternative
                .parts
                .iter()
                .any(|part| value(part.name).is_some())
    })?;
    let mut texts = HashMap::new();
    for part in alternative.parts {
        match value(part.name) {
            Some(found) => {
                if let Err(err) = check_text_part(op, part, found) {
                    return Some(Err(err));
                }
                texts.insert(part.name.to_owned(), found.clone());
            }
            None if part.required => {
                return Some(Err(ZohoError::for_op(
                    op,
                    "REQUIRED_PARAM_MISSING",
                    None,
                    json!({"param_name": part.name}),
                )));
            }
            None => {}
        }
    }
    Some(Ok(Form {
        alternative: alternative.name,
        files: HashMap::new(),
        texts,
    }))
}

/// Whether `headers` announce a multipart body.
pub(crate) fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| multer::parse_boundary(value).is_ok())
}

/// Reads a multipart body and checks it against the operation's alternatives.
pub(crate) async fn read_multipart(
    api: &Api,
    op: &Operation,
    alternatives: &'static [Alternative],
    max_bytes: Option<u64>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Form, ZohoError> {
    let no_form = || {
        ZohoError::for_op(op, "INVALID_REQUEST", Some("multipart"), json!({}))
            .or_message("the request has no multipart/form-data body")
    };
    let boundary = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| multer::parse_boundary(value).ok())
        .ok_or_else(no_form)?;
    let too_large = |limit: u64, part: Option<&str>| {
        let mut details = json!({"maximum_size": limit});
        if let Some(part) = part {
            details["param_name"] = json!(part);
        }
        ZohoError::for_op(op, too_large_code(api, op), None, details)
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if let (Some(limit), Some(length)) = (max_bytes, declared)
        && length > limit + LENGTH_SLACK
    {
        return Err(too_large(limit, None));
    }

    let part_limit = |name: &str| {
        alternatives
            .iter()
            .flat_map(|alternative| alternative.parts.iter())
            .find(|part| part.name == name)
            .and_then(|part| part.max_bytes)
    };
    let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
    let mut files = HashMap::new();
    let mut texts = HashMap::new();
    let mut seen: Vec<String> = Vec::new();
    let mut duplicate = false;
    let mut total: u64 = 0;
    let mut broken: Option<ZohoError> = None;
    // Bytes read when a limit broke; up to `DRAIN_CAP` more are read, then no more.
    let mut broken_at: u64 = 0;
    'fields: loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) if broken.is_some() => break,
            Err(err) => {
                return Err(ZohoError::status_only(op, "INVALID_REQUEST", json!({}))
                    .or_message(format!("the multipart body could not be read: {err}")));
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let limit = part_limit(&name);
        let mut data = BytesMut::new();
        let mut size: u64 = 0;
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(_) if broken.is_some() => break,
                Err(err) => {
                    return Err(ZohoError::status_only(op, "INVALID_REQUEST", json!({}))
                        .or_message(format!("the multipart body could not be read: {err}")));
                }
            };
            size += chunk.len() as u64;
            total += chunk.len() as u64;
            if broken.is_some() {
                if total > broken_at + DRAIN_CAP {
                    break 'fields;
                }
                continue;
            }
            if let Some(limit) = limit.filter(|limit| size > *limit) {
                broken = Some(too_large(limit, Some(&name)));
                broken_at = total;
            } else if let Some(limit) = max_bytes.filter(|limit| total > *limit) {
                broken = Some(too_large(limit, None));
                broken_at = total;
            } else {
                data.extend_from_slice(&chunk);
            }
        }
        if broken.is_some() {
            continue;
        }
        if seen.contains(&name) {
            duplicate = true;
        }
        seen.push(name.clone());
        let data = data.freeze();
        if file_name.is_some() || content_type.is_some() {
            files.insert(
                name,
                FileField {
                    file_name,
                    content_type,
                    bytes: data,
                },
            );
        } else {
            match String::from_utf8(data.to_vec()) {
                Ok(text) => {
                    texts.insert(name.clone(), text);
                }
                // Not text: keep it as an unnamed file, the alternative decides.
                Err(_) => {
                    files.insert(
                        name,
                        FileField {
                            file_name: None,
                            content_type: None,
                            bytes: data,
                        },
                    );
                }
            }
        }
    }
    if let Some(err) = broken {
        return Err(err);
    }
    if duplicate {
        return Err(
            ZohoError::for_op(op, "INVALID_REQUEST", Some("more than one"), json!({}))
                .or_message("a part was sent more than once"),
        );
    }

    let present: Vec<&'static Alternative> = alternatives
        .iter()
        .filter(|alternative| {
            alternative
                .parts
                .iter()
                .any(|part| seen.iter().any(|name| name == part.name))
        })
        .collect();
    let alternative = match present.as_slice() {
        [] => return Err(no_form()),
        [one] => *one,
        _ => {
            let names: Vec<&str> = present.iter().map(|alternative| alternative.name).collect();
            return Err(ZohoError::for_op(
                op,
                "INVALID_DATA",
                Some("both"),
                json!({"alternatives": names}),
            )
            .or_message(format!("send only one of: {}", names.join(", "))));
        }
    };
    for part in alternative.parts {
        let present = seen.iter().any(|name| name == part.name);
        if !present {
            if part.required {
                return Err(ZohoError::for_op(
                    op,
                    "REQUIRED_PARAM_MISSING",
                    None,
                    json!({"param_name": part.name}),
                ));
            }
            continue;
        }
        if part.file {
            // A file sent as a plain field is still its content.
            if let Some(text) = texts.remove(part.name) {
                files.insert(
                    part.name.to_owned(),
                    FileField {
                        file_name: None,
                        content_type: None,
                        bytes: Bytes::from(text),
                    },
                );
            }
            continue;
        }
        let Some(value) = texts.get(part.name) else {
            return Err(ZohoError::status_only(
                op,
                "INVALID_DATA",
                json!({"param_name": part.name, "expected_data_type": "text"}),
            )
            .or_message(format!("`{}` must be text", part.name)));
        };
        check_text_part(op, part, value)?;
    }
    Ok(Form {
        alternative: alternative.name,
        files,
        texts,
    })
}

/// Largest JSON body read.
const MAX_JSON: usize = 10 * 1024 * 1024;

/// Reads a JSON body (`Value::Null` when empty).
pub(crate) async fn read_json(op: &Operation, body: Body) -> Result<Value, ZohoError> {
    let bytes = axum::body::to_bytes(body, MAX_JSON).await.map_err(|_| {
        ZohoError::status_only(op, "INVALID_REQUEST", json!({}))
            .or_message("the JSON body could not be read (at most 10 MB)")
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&bytes).map_err(|err| {
        ZohoError::status_only(op, "INVALID_DATA", json!({"expected_data_type": "json"}))
            .or_message(format!("the body is not valid JSON: {err}"))
    })
}

/// Drains what remains of a body stream (so an early answer reaches a client still sending).
pub(crate) async fn drain(body: Body) {
    let mut stream = body.into_data_stream();
    let mut read = 0u64;
    while let Some(Ok(chunk)) = stream.next().await {
        read += chunk.len() as u64;
        if read > DRAIN_CAP {
            break;
        }
    }
}
