//! Every naming rule in one place: how spec names become Rust identifiers.
//!
//! Zoho keys come in every style (`File_Name`, `$se_module`, `previewURL`, `record_ID`); Rust
//! wants snake_case fields and CamelCase types, and some results are keywords (`type`) or names
//! that cannot even be raw identifiers (`self`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Words that are keywords in Rust 2024 (strict and reserved), usable as `r#word`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// snake_case for a field, argument or function: `File_Name` → `file_name`,
/// `$se_module` → `se_module`, `previewURL` → `preview_url`.
pub fn snake(name: &str) -> String {
    let snake = name.to_snake_case();
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{snake}")
    } else {
        snake
    }
}

/// CamelCase for a type or variant: `list_attachments` → `ListAttachments`,
/// `Price Books` → `PriceBooks`, `INVALID_MODULE` → `InvalidModule`.
pub fn camel(name: &str) -> String {
    let camel = name.to_lowercase_if_shouting().to_upper_camel_case();
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{camel}")
    } else {
        camel
    }
}

/// The module name of a version: `v2.1` → `v2_1`.
pub fn version_module(version: &str) -> String {
    version.replace(['.', '-'], "_").to_lowercase()
}

/// The entry-point type of a product version: (`crm`, `v2.1`) → `CrmV2_1`.
pub fn api_type(product: &str, version: &str) -> String {
    let module = version_module(version);
    let mut chars = module.chars();
    let version = match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    };
    format!("{}{}", camel(product), version)
}

/// The accessor method on the client: (`crm`, `v2.1`) → `crm_v2_1`.
pub fn api_accessor(product: &str, version: &str) -> String {
    format!("{}_{}", snake(product), version_module(version))
}

/// The request-builder type of an operation: `list_attachments` → `ListAttachments`.
pub fn builder_type(operation: &str) -> String {
    camel(operation)
}

/// The error enum of an operation: `list_attachments` → `ListAttachmentsError`.
pub fn error_type(operation: &str) -> String {
    format!("{}Error", camel(operation))
}

/// The static describing an operation to the runtime: `list_attachments` → `LIST_ATTACHMENTS`.
pub fn operation_static(operation: &str) -> String {
    operation.to_uppercase()
}

/// The generated test of an operation's sample answer:
/// (`crm`, `v8`, `list_attachments`) → `crm_v8_list_attachments_sample_round_trips`.
pub fn sample_test(product: &str, version: &str, operation: &str) -> String {
    format!(
        "{product}_{}_{operation}_sample_round_trips",
        version_module(version)
    )
}

/// Whether `name` is a Rust keyword, strict or reserved, raw-able or not.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name) || NOT_RAW.contains(&name)
}

/// The Rust name of a key, parameter or part: its override, or the snake_case of the wire name.
pub fn member(wire_name: &str, rust_name: Option<&str>) -> String {
    rust_name.map_or_else(|| snake(wire_name), str::to_owned)
}

/// The struct of a multipart alternative with several parts: (`Upload`, `link`) → `UploadLink`.
pub fn variant_struct(body_type: &str, variant: &str) -> String {
    format!("{body_type}{}", camel(variant))
}

/// How a name is spelled in the generated code: itself, `r#name` for a keyword, `name_` for
/// the keywords that cannot be raw. Two names with the same spelling are the same identifier.
pub fn spelling(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// An identifier token for a snake_case or CamelCase name, raw when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Whether `name` is already a valid snake_case identifier.
pub fn is_snake(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.contains("__")
        && !name.ends_with('_')
}

/// Whether `name` can be used as an identifier after [`ident`]'s escaping.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A package's crate name in Rust paths: `zoho-attachments` → `zoho_attachments`.
pub fn lib_name(package: &str) -> String {
    package.replace('-', "_")
}

/// Whether `name` is a Cargo package name the generated code can refer to as a crate: a
/// letter, then letters, digits, `-` or `_`, and not a keyword once `-` becomes `_`
/// (`samples.rs` names the crate as `zoho_attachments::…`).
pub fn is_package_name(name: &str) -> bool {
    let crate_name = lib_name(name);
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && is_identifier(&crate_name)
        && !KEYWORDS.contains(&crate_name.as_str())
        && !NOT_RAW.contains(&crate_name.as_str())
}

trait ShoutingExt {
    fn to_lowercase_if_shouting(&self) -> String;
}

impl ShoutingExt for str {
    /// `INVALID_MODULE` would otherwise become `INVALIDMODULE`-ish; lower it first.
    fn to_lowercase_if_shouting(&self) -> String {
        if self.chars().any(|c| c.is_ascii_lowercase()) {
            self.to_owned()
        } else {
            self.to_lowercase()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_must_be_usable_as_crate_paths() {
        for good in ["zoho-attachments", "zoho_attachments", "z2"] {
            assert!(is_package_name(good), "{good}");
        }
        for bad in [
            "",
            "1up",
            "type",
            "self",
            "zoho attachments",
            "https://x",
            "-a",
            "ü",
        ] {
            assert!(!is_package_name(bad), "{bad}");
        }
    }

    #[test]
    fn snake_case_handles_zoho_key_styles() {
        assert_eq!(snake("File_Name"), "file_name");
        assert_eq!(snake("$se_module"), "se_module");
        assert_eq!(snake("$editable"), "editable");
        assert_eq!(snake("previewURL"), "preview_url");
        assert_eq!(snake("contractAttachmentId"), "contract_attachment_id");
        assert_eq!(snake("record_ID"), "record_id");
        assert_eq!(snake("FileId"), "file_id");
        assert_eq!(snake("addedTimeExt"), "added_time_ext");
        assert_eq!(snake("contractattachments"), "contractattachments");
    }

    #[test]
    fn camel_case_handles_codes_and_display_names() {
        assert_eq!(camel("INVALID_MODULE"), "InvalidModule");
        assert_eq!(camel("Price Books"), "PriceBooks");
        assert_eq!(camel("list_attachments"), "ListAttachments");
        assert_eq!(camel("OAUTH_SCOPE_MISMATCH"), "OauthScopeMismatch");
    }

    #[test]
    fn versions_and_entry_points() {
        assert_eq!(version_module("v2.1"), "v2_1");
        assert_eq!(api_type("crm", "v2.1"), "CrmV2_1");
        assert_eq!(api_type("bigin", "v1"), "BiginV1");
        assert_eq!(api_accessor("crm", "v2.1"), "crm_v2_1");
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("owner").to_string(), "owner");
    }

    #[test]
    fn snake_check() {
        assert!(is_snake("list_attachments"));
        assert!(!is_snake("ListAttachments"));
        assert!(!is_snake("list__x"));
        assert!(!is_snake("list_"));
    }
}
