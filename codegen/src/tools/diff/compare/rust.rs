//! What spec items are called, and what types they have, in the generated crate, spelt the way a
//! user writes them (`crm::v8::Attachment::file_name`, `Option<i64>`). Names come from `ident`,
//! the generator's naming rules; types follow `emit::types::rust_type` and
//! `emit::operations::param_shape`, in their short form.

use crate::ident;
use crate::ir::{self, ParamInput, PartInput, RustType};
use crate::load::model::{KeyDef, ParamDef, ParamLocation, PartDef};
use crate::load::parsed::Parsed;
use crate::load::type_expr::TypeExpr;

/// The Rust names of one product version.
pub(super) struct Names {
    /// `crm::v8`.
    pub module: String,
    /// `CrmV8`.
    pub entry: String,
}

impl Names {
    pub fn new(product: &str, version: &str) -> Names {
        Names {
            module: format!("{product}::{}", ident::version_module(version)),
            entry: ident::api_type(product, version),
        }
    }

    /// `crm::v8::Name`.
    pub fn item(&self, name: &str) -> String {
        format!("{}::{name}", self.module)
    }

    /// `` `CrmV8::list_attachments` ``.
    pub fn method(&self, operation: &str) -> String {
        format!("`{}::{operation}`", self.entry)
    }

    /// `` `crm::v8::ListAttachments` ``, the request builder.
    pub fn builder(&self, operation: &str) -> String {
        format!("`{}`", self.item(&ident::builder_type(operation)))
    }

    /// `` `crm::v8::ListAttachmentsError` ``.
    pub fn error_enum(&self, operation: &str) -> String {
        format!("`{}`", self.item(&ident::error_type(operation)))
    }

    /// `` `crm::v8::ListAttachments::per_page` ``, a builder method.
    pub fn setter(&self, operation: &str, rust: &str) -> String {
        format!("`{}::{rust}`", self.item(&ident::builder_type(operation)))
    }

    /// The method, builder and error enum of an operation, for additions and removals.
    pub fn operation_items(&self, operation: &str) -> String {
        format!(
            "method {}, request builder {} and error enum {}",
            self.method(operation),
            self.builder(operation),
            self.error_enum(operation)
        )
    }
}

/// The Rust type of a JSON value of type `ty` (`Vec<User>`) by the generator's mapping, or
/// the text as written if it is malformed.
pub(super) fn value_type(ty: &Parsed<TypeExpr>) -> String {
    ty.get()
        .and_then(RustType::of_value)
        .map_or_else(|| ty.text().to_owned(), |value| value.to_string())
}

/// A type expression in its canonical spelling, so `list< string >` equals `list<string>`.
pub(super) fn canonical(ty: &Parsed<TypeExpr>) -> String {
    ty.get()
        .map_or_else(|| ty.text().trim().to_owned(), ToString::to_string)
}

/// Whether a key's field is an `Option`.
pub(super) fn is_optional(key: &KeyDef) -> bool {
    !key.required || key.nullable
}

/// The Rust type of a key's field (`Option<String>`): the lowered field's, which knows what
/// is boxed, or the mapping's when the side did not lower.
pub(super) fn field_type(object: Option<&ir::ObjectType>, wire: &str, key: &KeyDef) -> String {
    let lowered = object.and_then(|object| object.fields.iter().find(|field| field.wire == wire));
    match lowered {
        Some(field) => field.rust_type().to_string(),
        None if is_optional(key) => format!("Option<{}>", value_type(&key.ty)),
        None => value_type(&key.ty),
    }
}

/// A key's field name.
pub(super) fn field_name(wire: &str, key: &KeyDef) -> String {
    ident::member(wire, key.rust_name.as_deref())
}

/// A parameter's Rust name.
pub(super) fn param_name(wire: &str, param: &ParamDef) -> String {
    ident::member(wire, param.rust_name.as_deref())
}

/// A part's Rust name.
pub(super) fn part_name(wire: &str, part: &PartDef) -> String {
    ident::member(wire, part.rust_name.as_deref())
}

/// Whether a parameter is an argument of the method (else a builder method).
pub(super) fn is_argument(param: &ParamDef) -> bool {
    param.location == ParamLocation::Path || param.required
}

/// The type a parameter's argument or builder method takes, by the generator's mapping.
pub(super) fn argument_type(param: &ParamDef) -> String {
    param
        .ty
        .get()
        .and_then(|expr| ParamInput::of(expr, param.set.as_deref()))
        .map_or_else(|| param.ty.text().to_owned(), |input| input.argument())
}

/// The type a part's argument or method takes, by the generator's mapping.
pub(super) fn part_type(part: &PartDef) -> String {
    part.ty.get().and_then(PartInput::of).map_or_else(
        || part.ty.text().to_owned(),
        |input| input.argument().to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_generator() {
        let names = Names::new("crm", "v2.1");
        assert_eq!(names.item("Upload"), "crm::v2_1::Upload");
        assert_eq!(
            names.method("list_attachments"),
            "`CrmV2_1::list_attachments`"
        );
        assert_eq!(
            names.error_enum("list_attachments"),
            "`crm::v2_1::ListAttachmentsError`"
        );
        assert_eq!(
            names.setter("list_attachments", "per_page"),
            "`crm::v2_1::ListAttachments::per_page`"
        );
    }

    #[test]
    fn types_read_like_the_generated_code() {
        assert_eq!(value_type(&Parsed::new("list<User>")), "Vec<User>");
        assert_eq!(value_type(&Parsed::new("integer")), "i64");
        assert_eq!(value_type(&Parsed::new("not a type")), "not a type");
        assert_eq!(canonical(&Parsed::new(" list<string>")), "list<string>");
    }
}
