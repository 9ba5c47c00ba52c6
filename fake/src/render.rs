//! How stored attachments look in answers: what the model cannot say (its response types
//! are in the generated crate, not in `model`), written by hand per response family and
//! checked against the generated types by the tests.

use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};

use crate::auth::random_hex;
use crate::store::{Kind, Meta};

/// The user every attachment is added by (Zoho answers with the token's user).
const USER_ID: &str = "5725767000000000001";
const USER_NAME: &str = "Fake Zoho User";
const USER_EMAIL: &str = "fake.user@zoho-fake.invalid";
/// Contracts numbers its users with 13 digits, like its other IDs.
const CONTRACTS_USER_ID: &str = "3000000000001";

/// 19-digit CRM/Bigin IDs (`5725767000000101234`), growing with `seq`.
pub(crate) fn crm_id(seq: u64) -> String {
    format!("5725767{:012}", 100_000 + seq)
}

/// A new CRM or Bigin attachment's `(id, $file_id)`.
pub(crate) fn crm_ids(seq: u64) -> (String, String) {
    (crm_id(seq), format!("fz{}", random_hex(35)))
}

/// Contracts' numbers for one attachment: `(FileId, fileVersionId, attachmentId,
/// contractAttachmentId)`, 13 digits like the page's sample (`3000000272569`).
pub(crate) fn contract_ids(seq: u64) -> (u64, u64, u64, u64) {
    let base = 3_000_000_300_000 + seq * 4;
    (base, base + 1, base + 2, base + 3)
}

/// A new Contracts attachment's `(contractAttachmentId, attachmentId)`.
pub(crate) fn contract_attachment_ids(seq: u64) -> (String, String) {
    let (_, _, attachment_id, contract_attachment_id) = contract_ids(seq);
    (
        contract_attachment_id.to_string(),
        attachment_id.to_string(),
    )
}

/// Unix seconds now.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// ISO 8601 with an offset, as CRM writes times (`2021-05-03T18:03:00+00:00`).
pub(crate) fn iso(secs: i64) -> String {
    at(secs).format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

fn crm_user(with_email: bool) -> Value {
    let mut user = json!({"name": USER_NAME, "id": USER_ID});
    if with_email {
        user["email"] = json!(USER_EMAIL);
    }
    user
}

/// One entry of a CRM or Bigin attachment list, every key (the caller keeps those asked for).
pub(crate) fn crm_attachment(meta: &Meta) -> Map<String, Value> {
    let time = iso(meta.created);
    let (file_name, size, link_url, file_id) = match &meta.kind {
        Kind::File { name, size, .. } => (
            name.clone(),
            size.to_string(),
            Value::Null,
            json!(meta.file_id),
        ),
        Kind::Link { url, title } => (
            title.clone().unwrap_or_else(|| url.clone()),
            "0".to_owned(),
            json!(url),
            Value::Null,
        ),
    };
    let is_link = file_id.is_null();
    let value = json!({
        "Owner": crm_user(true),
        "Modified_Time": time,
        "File_Name": file_name,
        "Created_Time": time,
        // A string of digits, as Zoho's OpenAPI file and Bigin's sample send it.
        "Size": size,
        "Parent_Id": {"id": meta.parent.record, "name": meta.parent.record},
        "$editable": true,
        "$file_id": file_id,
        "$type": "Attachment",
        "$se_module": meta.parent.module,
        "Modified_By": crm_user(true),
        "$state": "save",
        "id": meta.id,
        "Created_By": crm_user(true),
        "$link_url": link_url,
    });
    match value {
        Value::Object(mut map) => {
            // No page or schema shows a link's `$file_id`, and the spec types it a string that
            // is never null: a link has none, so the key is left out.
            if is_link {
                map.remove("$file_id");
            }
            map
        }
        _ => unreachable!("an object literal"),
    }
}

/// The `data` entry of an upload answer (the pages' sample).
pub(crate) fn crm_uploaded(meta: &Meta) -> Value {
    let time = iso(meta.created);
    json!({
        "code": "SUCCESS",
        "details": {
            "Modified_Time": time,
            "Modified_By": crm_user(false),
            "Created_Time": time,
            "id": meta.id,
            "Created_By": crm_user(false),
        },
        "message": "attachment uploaded successfully",
        "status": "success",
    })
}

/// The `data` entry for one deleted attachment (OpenAPI `Success` with the ID only).
pub(crate) fn crm_deleted(id: &str) -> Value {
    json!({
        "code": "SUCCESS",
        "details": {"id": id},
        "message": "record deleted",
        "status": "success",
    })
}

/// A record-photo answer, at the top level (OpenAPI `success`).
pub(crate) fn photo_result(message: &str) -> Value {
    json!({"code": "SUCCESS", "details": {}, "message": message, "status": "success"})
}

fn contracts_user() -> Value {
    json!({"id": CONTRACTS_USER_ID, "displayName": USER_NAME, "emailId": USER_EMAIL})
}

/// One entry of `contractattachments`, shaped like the Get All Attachments sample.
pub(crate) fn contract_attachment(meta: &Meta, position: usize, base_url: &str) -> Value {
    let time = at(meta.created);
    let full = time.format("%d %b %Y, %I:%M %p").to_string();
    let medium = time.format("%d-%b-%Y").to_string();
    let long = time.format("%A, %-d %B, %Y %I:%M %p").to_string();
    let (file_id, version_id, _, _) = contract_ids(meta.seq);
    let mut entry = json!({
        "contractAttachmentId": meta.id,
        "attachmentId": meta.file_id,
        "sequenceNumber": meta.sequence_number.unwrap_or(position as i64),
        "status": 1,
        "addedBy": contracts_user(),
        "addedTime": full,
        "addedTimeExt": medium,
        "addedTimeFull": long,
        "modifiedBy": contracts_user(),
        "modifiedTime": full,
        "modifiedTimeExt": medium,
    });
    match &meta.kind {
        Kind::File { name, size, .. } => {
            let (stem, extension) = match name.rsplit_once('.') {
                Some((stem, extension)) if !stem.is_empty() => (stem, extension),
                _ => (name.as_str(), ""),
            };
            entry["attachmentType"] = json!(1);
            entry["source"] = json!(1);
            entry["file"] = json!({
                "FileId": file_id,
                "fileVersionId": version_id,
                "name": stem,
                "Extension": extension,
                "size": size,
                "Status": 1,
                "previewURL": format!("{base_url}/preview/contracts/attachments/{}", meta.file_id),
                "viewURL": format!("{base_url}/view/contracts/attachments/{}", meta.file_id),
            });
        }
        Kind::Link { url, title } => {
            entry["attachmentType"] = json!(2);
            entry["linkName"] = json!(title.clone().unwrap_or_else(|| url.clone()));
            entry["linkURL"] = json!(url);
        }
    }
    entry
}

/// RFC 8187 `attr-char`s stay as they are; everything else is percent-encoded.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<exact name>`.
pub(crate) fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR_CHAR)
    )
}

#[cfg(test)]
mod tests {
    use zoho_runtime::content_disposition_file_name;

    use super::*;
    use crate::store::Parent;

    #[test]
    fn ids_look_like_zohos() {
        let id = crm_id(7);
        assert_eq!(id.len(), 19);
        assert!(id.bytes().all(|b| b.is_ascii_digit()));
        assert!(crm_id(8) > id);
        let (file, version, attachment, contract) = contract_ids(0);
        for number in [file, version, attachment, contract] {
            assert_eq!(number.to_string().len(), 13);
        }
    }

    #[test]
    fn content_disposition_keeps_the_exact_name_for_clients() {
        for name in [
            "report.pdf",
            "€ rates \"final\".pdf",
            "naïve résumé.txt",
            "a;b=c.txt",
        ] {
            let header = content_disposition(name);
            assert!(header.is_ascii(), "{header}");
            assert_eq!(
                content_disposition_file_name(&header).as_deref(),
                Some(name)
            );
        }
    }

    #[test]
    fn times_are_iso_with_offset() {
        assert_eq!(iso(0), "1970-01-01T00:00:00+00:00");
    }

    #[test]
    fn links_render_their_url_and_no_file() {
        let meta = Meta {
            seq: 1,
            id: crm_id(1),
            file_id: String::new(),
            parent: Parent::crm("Leads", "42"),
            created: 0,
            sequence_number: None,
            kind: Kind::Link {
                url: "https://www.zohocorp.com".into(),
                title: Some("Zoho".into()),
            },
        };
        let entry = crm_attachment(&meta);
        assert_eq!(entry["$link_url"], "https://www.zohocorp.com");
        assert_eq!(entry["File_Name"], "Zoho");
        assert!(entry.get("$file_id").is_none(), "a link has no file ID");
        let contract = contract_attachment(&meta, 1, "http://x");
        assert_eq!(contract["attachmentType"], 2);
        assert_eq!(contract["linkURL"], "https://www.zohocorp.com");
        assert!(contract.get("file").is_none());
    }
}
