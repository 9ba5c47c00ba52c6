//! What each operation does to the store, keyed by operation name. Validation already
//! happened (route, token, module, scope, parameters, body: see `pipeline` and `call`).

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;
use http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::{Value, json};
use zoho_attachments::model::{Effect, Operation, Param, ParamKind};

use crate::auth::random_hex;
use crate::call::{FileField, Form, Params};
use crate::errors::ZohoError;
use crate::modules::Resolved;
use crate::paging::{PageError, Start};
use crate::render::{
    content_disposition, contract_attachment, contract_attachment_ids, crm_attachment, crm_deleted,
    crm_ids, crm_uploaded, now, photo_result,
};
use crate::route::Matched;
use crate::state::Shared;
use crate::store::{Data, Kind, Meta, Parent, ParentKind, PhotoMeta, Staged};

/// A request that passed every check of the model.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) matched: Matched,
    pub(crate) module: Option<Resolved>,
    pub(crate) params: Params,
    pub(crate) payload: Payload,
}

#[derive(Debug)]
pub(crate) enum Payload {
    None,
    Form(Form),
    Json(Value),
}

impl Call {
    fn op(&self) -> &'static Operation {
        self.matched.op
    }

    /// The path parameters with their model entries, in path order.
    fn path_params(&self) -> impl Iterator<Item = (&'static Param, &str, usize)> + '_ {
        self.matched
            .params
            .iter()
            .filter_map(|(name, value, index)| {
                let param = self.op().params.iter().find(|param| param.name == *name)?;
                Some((param, value.as_str(), *index))
            })
    }

    /// The attachment an effect on one attachment names: the path's last parameter.
    fn item_param(&self) -> Option<(&str, usize)> {
        let names_an_item = matches!(
            self.op().effect,
            Some(Effect::DownloadAttachment | Effect::DeleteAttachment)
        );
        let (_, value, index) = self.path_params().last().filter(|_| names_an_item)?;
        Some((value, index))
    }

    /// Where the call's attachments live: the module record the path names, or, when the
    /// path names no module, the thing its first parameter names (a contract).
    fn parent(&self) -> Parent {
        let item = self.item_param().map(|(_, index)| index);
        let record = self
            .path_params()
            .find(|(param, _, index)| {
                !matches!(param.kind, ParamKind::Module(_)) && Some(*index) != item
            })
            .map(|(_, value, _)| value.to_owned())
            .unwrap_or_default();
        let store = self.matched.api.product;
        match &self.module {
            Some(module) => Parent {
                store: store.to_owned(),
                module: module.api_name.clone(),
                record,
                kind: ParentKind::Record,
            },
            None => Parent::without_module(store, record),
        }
    }

    /// What [`parent`](Self::parent) names, without building it.
    fn parent_kind(&self) -> ParentKind {
        match self.module {
            Some(_) => ParentKind::Record,
            None => ParentKind::Contract,
        }
    }

    /// The attachment ID in the path.
    fn attachment_id(&self) -> &str {
        self.item_param()
            .map(|(value, _)| value)
            .unwrap_or_default()
    }

    fn form(&self) -> Result<&Form, ZohoError> {
        match &self.payload {
            Payload::Form(form) => Ok(form),
            _ => Err(self.error("INVALID_REQUEST", Some("multipart"), json!({}))),
        }
    }

    /// The file part `name` of the multipart body (`REQUIRED_PARAM_MISSING` without it).
    fn file_part(&self, name: &str) -> Result<&FileField, ZohoError> {
        self.form()?
            .file(name)
            .ok_or_else(|| self.error("REQUIRED_PARAM_MISSING", None, json!({"param_name": name})))
    }

    fn error(&self, code: &str, hint: Option<&str>, details: Value) -> ZohoError {
        ZohoError::for_op(self.op(), code, hint, details)
    }

    /// `INVALID_DATA` for a reason of the fake's own (see [`ZohoError::status_only`]).
    fn invalid(&self, details: Value, why: impl Into<String>) -> ZohoError {
        ZohoError::status_only(self.op(), "INVALID_DATA", details).or_message(why)
    }

    /// `INVALID_DATA` for an attachment ID this record does not have.
    fn unknown_id(&self, id: &str) -> ZohoError {
        let mut details = json!({"id": id});
        if let Some((_, index)) = self.item_param() {
            // A path segment that names nothing: Zoho's OpenAPI file (schema
            // `InvalidUrlError`) gives both keys.
            details["related_status"] = json!("invalid");
            details["resource_path_index"] = json!(index);
        }
        self.invalid(details, "the id given seems to be invalid")
    }
}

/// Acts out the operation's `effect`; one the model does not give answers the page's sample.
pub(crate) async fn dispatch(shared: &Shared, call: Call) -> Result<Response, ZohoError> {
    let contract = call.parent_kind() == ParentKind::Contract;
    match (call.op().effect, contract) {
        (Some(Effect::ListAttachments), false) => list(shared, &call),
        (Some(Effect::ListAttachments), true) => contracts_list(shared, &call),
        (Some(Effect::AddAttachment), _) => upload(shared, &call),
        (Some(Effect::DownloadAttachment), _) => download(shared, &call).await,
        (Some(Effect::DeleteAttachment), false) => delete(shared, &call),
        (Some(Effect::DeleteAttachment), true) => contracts_delete(shared, &call),
        (Some(Effect::DeleteAttachments), _) => delete_many(shared, &call),
        (Some(Effect::GetPhoto), _) => get_photo(shared, &call).await,
        (Some(Effect::PutPhoto), _) => upload_photo(shared, &call),
        (Some(Effect::DeletePhoto), _) => delete_photo(shared, &call),
        (Some(Effect::StageFile), _) => contracts_upload_file(shared, &call),
        (Some(Effect::AddStaged), _) => contracts_add(shared, &call),
        _ => Ok(sample_answer(
            call.op().name,
            call.op().response.status,
            call.op().sample_response,
        )),
    }
}

/// An operation without a handler answers its page's sample, or 501 when it has none.
pub(crate) fn sample_answer(name: &str, status: u16, sample: Option<&str>) -> Response {
    match sample {
        Some(sample) => json_text(status, sample.to_owned()),
        None => ZohoError::generic("NOT_IMPLEMENTED", json!({"operation": name})).into_response(),
    }
}

fn json_answer(op: &Operation, value: &Value) -> Response {
    json_with_status(op.response.status, value)
}

fn json_with_status(status: u16, value: &Value) -> Response {
    json_text(status, value.to_string())
}

fn json_text(status: u16, json: String) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .header(CONTENT_TYPE, "application/json;charset=UTF-8")
        .body(Body::from(json))
        .expect("a valid response")
}

fn empty_answer(status: u16) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::NO_CONTENT))
        .body(Body::empty())
        .expect("a valid response")
}

/// The operation's empty answer when the spec declares one for nothing to send, else `err`.
fn empty_or(op: &Operation, err: ZohoError) -> Result<Response, ZohoError> {
    match op.response.empty_status {
        Some(status) => Ok(empty_answer(status)),
        None => Err(err),
    }
}

fn file_answer(op: &Operation, bytes: Bytes, content_type: &str, name: &str) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(op.response.status).unwrap_or(StatusCode::OK))
        .header(CONTENT_TYPE, content_type)
        .header(CONTENT_LENGTH, bytes.len())
        .header(CONTENT_DISPOSITION, content_disposition(name))
        .body(Body::from(bytes))
        .expect("a valid response")
}

fn io_error(op: &Operation, err: std::io::Error) -> ZohoError {
    ZohoError::for_op(
        op,
        "INTERNAL_ERROR",
        None,
        json!({"storage": err.to_string()}),
    )
}

/// The file's name and type: the part's own, else guessed from the name.
fn file_facts(field: &FileField) -> (String, String) {
    let name = field
        .file_name
        .clone()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "file".to_owned());
    let content_type = field
        .content_type
        .clone()
        .filter(|kind| !kind.is_empty() && kind != "application/octet-stream")
        .unwrap_or_else(|| {
            mime_guess::from_path(&name)
                .first_or_octet_stream()
                .to_string()
        });
    (name, content_type)
}

fn list(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let op = call.op();
    let parent = call.parent();
    let fields = call.params.list("fields");
    let ids = call.params.list("ids");
    let at_least_one = |name: &str| -> Result<Option<usize>, ZohoError> {
        match call.params.integer(name) {
            Some(value) if value < 1 => Err(call.invalid(
                json!({"param_name": name, "minimum": 1}),
                format!("`{name}` must be at least 1"),
            )),
            value => Ok(value.map(|value| value as usize)),
        }
    };
    // Lists the spec gives no paging facts still take `page` and `per_page`, as Zoho's do.
    let paging = op.paging.as_ref();
    let page_param = paging
        .and_then(|paging| paging.page_param)
        .unwrap_or("page");
    let token_param = paging.and_then(|paging| paging.token_param);
    let page = at_least_one(page_param)?;
    let per_page = at_least_one("per_page")?;
    let bad_token = || {
        call.invalid(
            json!({"param_name": token_param}),
            "the page token is invalid or has expired",
        )
    };
    let now = now();

    let mut inner = shared.lock();
    let mut items = inner.store.list(&parent);
    // Newest first, as Zoho lists them; IDs grow, so the order is stable.
    items.reverse();
    if let Some(ids) = &ids {
        items.retain(|meta| ids.contains(&meta.id));
    }
    let start = match token_param.and_then(|name| call.params.string(name)) {
        Some(token) => inner
            .pages
            .start(&parent, token, now)
            .map_err(|_| bad_token())?,
        None => Start::Page(page.unwrap_or(1)),
    };
    let with_tokens = token_param.is_some();
    let page = inner
        .pages
        .page(&parent, items.len(), start, per_page, with_tokens, now)
        .map_err(|err| match err {
            PageError::BeyondLimit => call.error(
                "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                None,
                json!({"limit": crate::paging::PAGE_LIMIT}),
            ),
            PageError::BadToken => bad_token(),
        })?;
    drop(inner);

    let data: Vec<Value> = items[page.range.clone()]
        .iter()
        .map(|meta| {
            let mut entry = crm_attachment(meta);
            if let Some(fields) = &fields {
                entry.retain(|key, _| fields.iter().any(|field| field == key));
            }
            Value::Object(entry)
        })
        .collect();
    if data.is_empty()
        && let Some(status) = op.response.empty_status
    {
        return Ok(empty_answer(status));
    }
    Ok(json_answer(op, &json!({"data": data, "info": page.info})))
}

fn upload(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let op = call.op();
    let form = call.form()?;
    let file = (form.alternative == "file")
        .then(|| form.file("file"))
        .flatten();
    let (kind, content) = match file {
        Some(field) => {
            let (name, content_type) = file_facts(field);
            let kind = Kind::File {
                name,
                content_type,
                size: field.bytes.len() as u64,
            };
            (kind, Some(field.bytes.clone()))
        }
        None => {
            let url = form.text("attachmentUrl").unwrap_or_default().to_owned();
            let title = form.text("title").map(str::to_owned);
            (Kind::Link { url, title }, None)
        }
    };
    let meta = shared
        .lock()
        .add_attachment(call.parent(), crm_ids, kind, None, content)
        .map_err(|err| io_error(op, err))?;
    Ok(json_answer(op, &json!({"data": [crm_uploaded(&meta)]})))
}

async fn download(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let op = call.op();
    let id = call.attachment_id();
    let found = shared.lock().store.find(&call.parent(), id);
    let Some((meta, data)) = found else {
        return empty_or(op, call.unknown_id(id));
    };
    let (
        Kind::File {
            name, content_type, ..
        },
        Some(data),
    ) = (&meta.kind, data)
    else {
        return Err(call
            .error("DOWNLOAD_NOT_ALLOWED", None, json!({"id": id}))
            .or_message("a link attachment cannot be downloaded"));
    };
    let bytes = read(op, &data).await?;
    Ok(file_answer(op, bytes, content_type, name))
}

/// Removes the attachment named in the path (`INVALID_DATA` when the record has none).
fn remove_one(shared: &Shared, call: &Call) -> Result<Meta, ZohoError> {
    let id = call.attachment_id();
    shared
        .lock()
        .store
        .remove(&call.parent(), id)
        .map_err(|err| io_error(call.op(), err))?
        .ok_or_else(|| call.unknown_id(id))
}

fn delete(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let meta = remove_one(shared, call)?;
    Ok(json_answer(
        call.op(),
        &json!({"data": [crm_deleted(&meta.id)]}),
    ))
}

fn delete_many(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let op = call.op();
    let parent = call.parent();
    let ids = op
        .response
        .per_item
        .and_then(|name| call.params.list(name))
        .unwrap_or_default();
    let mut inner = shared.lock();
    let mut deleted = 0;
    let mut data = Vec::new();
    for id in &ids {
        match inner
            .store
            .remove(&parent, id)
            .map_err(|err| io_error(op, err))?
        {
            Some(meta) => {
                deleted += 1;
                data.push(crm_deleted(&meta.id));
            }
            None => data.push(
                call.invalid(json!({"id": id}), "the id given seems to be invalid")
                    .body(),
            ),
        }
    }
    // Zoho answers per ID; when none could be deleted the call as a whole failed.
    let status = if deleted == 0 {
        call.invalid(json!({}), "").status
    } else {
        op.response.status
    };
    Ok(json_with_status(status, &json!({"data": data})))
}

async fn get_photo(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let op = call.op();
    let found = shared.lock().store.photo(&call.parent());
    let Some((meta, data)) = found else {
        return empty_or(op, call.invalid(json!({}), "the record has no photo"));
    };
    let bytes = read(op, &data).await?;
    // A photo is an image whatever type its upload declared (a part sent as
    // `application/octet-stream`): Zoho answers the image's own type.
    let content_type = image_type(&bytes).unwrap_or(&meta.content_type);
    Ok(file_answer(op, bytes, content_type, &meta.file_name))
}

/// The type of an image in one of the formats "Upload a Photo" accepts (PNG, JPEG, GIF, BMP),
/// from its first bytes.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"BM", "image/bmp"),
    ];
    SIGNATURES
        .iter()
        .find(|(signature, _)| bytes.starts_with(signature))
        .map(|(_, kind)| *kind)
}

async fn read(op: &Operation, data: &Data) -> Result<Bytes, ZohoError> {
    data.read().await.map_err(|err| io_error(op, err))
}

fn upload_photo(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let op = call.op();
    let field = call.file_part("file")?;
    let (file_name, content_type) = file_facts(field);
    let meta = PhotoMeta {
        parent: call.parent(),
        file_name,
        content_type,
    };
    shared
        .lock()
        .store
        .set_photo(meta, field.bytes.clone())
        .map_err(|err| io_error(op, err))?;
    Ok(json_answer(
        op,
        &photo_result("photo uploaded successfully"),
    ))
}

fn delete_photo(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let op = call.op();
    shared
        .lock()
        .store
        .remove_photo(&call.parent())
        .map_err(|err| io_error(op, err))?;
    Ok(json_answer(op, &photo_result("photo deleted")))
}

fn contracts_list(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let items = shared.lock().store.list(&call.parent());
    let entries: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(index, meta)| contract_attachment(meta, index + 1, &shared.base_url))
        .collect();
    Ok(json_answer(
        call.op(),
        &json!({"contractattachments": entries}),
    ))
}

fn contracts_upload_file(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let field = call.file_part("content")?;
    let (file_name, content_type) = file_facts(field);
    let staged = Staged {
        contract: call.parent().record,
        path: random_hex(12),
        uploads: random_hex(32),
        file_name,
        content_type,
        bytes: field.bytes.clone(),
    };
    let answer = json!([{
        "path": staged.path,
        "fileName": staged.file_name,
        "size": staged.bytes.len(),
        "uploads": staged.uploads,
    }]);
    shared.lock().store.stage(staged);
    Ok(json_answer(call.op(), &answer))
}

/// One entry of an add-attachments body, checked.
enum NewEntry {
    File {
        reference: String,
        sequence: Option<i64>,
    },
    Link {
        url: String,
        name: Option<String>,
        sequence: Option<i64>,
    },
}

fn contracts_add(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let op = call.op();
    let contract = call.parent().record;
    let body = match &call.payload {
        Payload::Json(body) => body,
        _ => &Value::Null,
    };
    let missing = |name: &str, index: Option<usize>| {
        let mut details = json!({"param_name": name});
        if let Some(index) = index {
            details["index"] = json!(index);
        }
        call.error("REQUIRED_PARAM_MISSING", None, details)
    };
    let invalid = |name: &str, index: usize, why: &str| {
        call.invalid(json!({"param_name": name, "index": index}), why)
    };
    // The page's sample input spells it `contractAttachments`, its key table `contractattachments`.
    let list = ["contractAttachments", "contractattachments"]
        .iter()
        .find_map(|key| body.get(key))
        .and_then(Value::as_array)
        .filter(|list| !list.is_empty())
        .ok_or_else(|| missing("contractAttachments", None))?;

    let mut inner = shared.lock();
    let mut entries = Vec::new();
    let mut references: Vec<String> = Vec::new();
    for (index, entry) in list.iter().enumerate() {
        let text = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let number = |key: &str| {
            entry.get(key).and_then(|value| {
                value
                    .as_i64()
                    .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
            })
        };
        let sequence = number("sequenceNumber");
        let reference = text("path").or(text("uploads"));
        let kind = number("attachmentType").or(if reference.is_some() {
            Some(1)
        } else if text("linkURL").is_some() {
            Some(2)
        } else {
            None
        });
        match kind {
            Some(1) => {
                let reference = reference.ok_or_else(|| missing("path", Some(index)))?;
                if !inner.store.is_staged(&contract, reference)
                    || references.iter().any(|r| r == reference)
                {
                    return Err(invalid(
                        "path",
                        index,
                        "no file was uploaded to this contract with this reference",
                    ));
                }
                references.push(reference.to_owned());
                entries.push(NewEntry::File {
                    reference: reference.to_owned(),
                    sequence,
                });
            }
            Some(2) => {
                let url = text("linkURL").ok_or_else(|| missing("linkURL", Some(index)))?;
                entries.push(NewEntry::Link {
                    url: url.to_owned(),
                    name: text("linkName").map(str::to_owned),
                    sequence,
                });
            }
            _ => {
                return Err(invalid(
                    "attachmentType",
                    index,
                    "attachmentType must be 1 (file) or 2 (link)",
                ));
            }
        }
    }

    // Checked and added under one lock, so a concurrent request cannot take a reference
    // in between: all entries are added or none.
    let before = inner.store.count(&call.parent());
    let mut added = Vec::new();
    for entry in entries {
        let (kind, content, sequence) = match entry {
            NewEntry::File {
                reference,
                sequence,
            } => {
                let staged = inner
                    .store
                    .take_staged(&contract, &reference)
                    .expect("checked above, under the same lock");
                let kind = Kind::File {
                    name: staged.file_name,
                    content_type: staged.content_type,
                    size: staged.bytes.len() as u64,
                };
                (kind, Some(staged.bytes), sequence)
            }
            NewEntry::Link {
                url,
                name,
                sequence,
            } => (Kind::Link { url, title: name }, None, sequence),
        };
        let meta = inner
            .add_attachment(
                call.parent(),
                contract_attachment_ids,
                kind,
                sequence,
                content,
            )
            .map_err(|err| io_error(op, err))?;
        added.push(contract_attachment(
            &meta,
            before + added.len() + 1,
            &shared.base_url,
        ));
    }
    Ok(json_answer(op, &json!({"contractattachments": added})))
}

fn contracts_delete(shared: &Shared, call: &Call) -> Result<Response, ZohoError> {
    let meta = remove_one(shared, call)?;
    Ok(json_answer(
        call.op(),
        &json!({"Type": "Success", "attachmentId": meta.file_id}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn operations_without_a_handler_answer_their_sample_or_501() {
        let answer = sample_answer("new_thing", 200, Some(r#"{"data":[]}"#));
        assert_eq!(answer.status(), 200);
        let body = axum::body::to_bytes(answer.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(&body[..], br#"{"data":[]}"#);

        let answer = sample_answer("new_thing", 200, None);
        assert_eq!(answer.status(), 501);
        let body = axum::body::to_bytes(answer.into_body(), 1024)
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["code"], "NOT_IMPLEMENTED");
        assert_eq!(body["status"], "error");
        assert_eq!(body["details"]["operation"], "new_thing");
    }

    #[test]
    fn photos_are_answered_with_their_image_type() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(image_type(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(image_type(b"GIF89a..."), Some("image/gif"));
        assert_eq!(image_type(b"%PDF-1.7"), None);
    }
}
