//! Response types: JSON objects as structs, enumerations as enums with a catch-all.
//!
//! Objects keep keys they do not know in `extra` (Zoho adds keys over time) and keep a key that
//! was `null` as `null` when encoded again. Integers accept a string of digits too, because
//! Zoho sends some numbers as strings; tolerant keys keep any value they cannot read.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{Doc, code};
use crate::ident;
use crate::ir::{Api, EnumType, Field, ObjectType, RustType, Scalar, TypeItem, names};

/// The types file of a version: every named type.
pub fn file(api: &Api) -> TokenStream {
    let items = api.types.values().map(|item| match item {
        TypeItem::Object(object) => object_type(api, object),
        TypeItem::Enum(enumeration) => enum_type(enumeration),
    });
    quote!(#(#items)*)
}

/// A Rust type as tokens, with absolute paths.
pub fn rust_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::String => quote!(::std::string::String),
        RustType::Integer => quote!(i64),
        RustType::Number => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::DateTime => quote!(::zoho_runtime::DateTime),
        RustType::JsonObject => {
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        }
        RustType::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        RustType::Named(name) => {
            let name = ident::ident(name);
            quote!(#name)
        }
        RustType::Boxed(inner) => {
            let inner = rust_type(inner);
            quote!(::std::boxed::Box<#inner>)
        }
        RustType::Option(inner) => {
            let inner = rust_type(inner);
            quote!(::std::option::Option<#inner>)
        }
        RustType::Tolerant(inner) => {
            let inner = rust_type(inner);
            quote!(::zoho_runtime::Tolerant<#inner>)
        }
    }
}

fn object_type(api: &Api, object: &ObjectType) -> TokenStream {
    let name = ident::ident(&object.name);
    let doc = Doc::new(&object.doc)
        .note(object.note.as_deref())
        .markdown(format!(
            "Keys this crate does not know are kept in [`extra`]({}::extra) and sent back \
             unchanged when the value is encoded again.",
            object.name
        ))
        .source(&api.source)
        .tokens();
    let fields = object.fields.iter().map(field);
    let default = object.defaultable.then(|| quote!(Default,));
    let eq = object.total_eq.then(|| quote!(Eq,));
    let builder = object.request.then(|| request_builder(api, object));
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, #eq ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Keys sent by Zoho that this version of the crate does not know, as sent.
            #[serde(flatten)]
            pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        #builder
    }
}

/// For a type sent in a request: a constructor taking the required keys, and a method per
/// optional key. Keys with a spec `default` start with it.
fn request_builder(api: &Api, object: &ObjectType) -> TokenStream {
    let name = ident::ident(&object.name);
    let required: Vec<&Field> = object
        .fields
        .iter()
        .filter(|field| !field.optional())
        .collect();
    let arguments = required.iter().map(|field| {
        let arg = ident::ident(&field.rust);
        let ty = rust_type(&field.value);
        quote!(#arg: impl ::std::convert::Into<#ty>)
    });
    let inits = object.fields.iter().map(|field| {
        let name = ident::ident(&field.rust);
        if !field.optional() {
            quote!(#name: #name.into())
        } else if let Some(value) = &field.default {
            let value = scalar_expr(api, &field.value, value);
            quote!(#name: ::std::option::Option::Some(#value))
        } else {
            quote!(#name: ::std::option::Option::None)
        }
    });
    let setters = object
        .fields
        .iter()
        .filter(|field| field.optional())
        .map(|field| {
            let name = ident::ident(&field.rust);
            let ty = rust_type(&field.value);
            let mut doc = Doc::new(&field.doc).markdown(format!("Sets {}.", code(&field.wire)));
            if let Some(value) = &field.default {
                doc = doc.markdown(format!(
                    "[`new`](Self::new) sets it to {}.",
                    code(&scalar_text(value))
                ));
            }
            let doc = doc.tokens();
            quote! {
                #doc
                pub fn #name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#name = ::std::option::Option::Some(value.into());
                    self
                }
            }
        });
    let listed: Vec<String> = required
        .iter()
        .map(|field| format!("`{}`", field.rust))
        .collect();
    let new_doc = Doc::default()
        .markdown(if listed.is_empty() {
            "A value to send, with no key set.".to_owned()
        } else {
            format!(
                "A value to send, with its required keys: {}.",
                listed.join(", ")
            )
        })
        .markdown("Set optional keys with the methods of the same name.")
        .tokens();
    quote! {
        impl #name {
            #new_doc
            pub fn new(#(#arguments),*) -> Self {
                Self {
                    #(#inits,)*
                    extra: ::serde_json::Map::new(),
                }
            }

            #(#setters)*
        }
    }
}

/// A spec value as an expression of type `ty`: a literal, a `String`, or an enumeration's
/// `from_value`.
pub fn scalar_expr(api: &Api, ty: &RustType, value: &Scalar) -> TokenStream {
    let literal = scalar_literal(value);
    match ty {
        RustType::Named(name) if matches!(api.types.get(name), Some(TypeItem::Enum(_))) => {
            let name = ident::ident(name);
            quote!(#name::from_value(#literal))
        }
        _ => match value {
            Scalar::String(_) => quote!(#literal.to_owned()),
            Scalar::Integer(_) => quote!(#literal),
        },
    }
}

fn field(field: &Field) -> TokenStream {
    let name = ident::ident(&field.rust);
    let wire = &field.wire;
    let mut doc = Doc::new(&field.doc);
    let mut facts = vec![format!("JSON key {}", code(&field.wire))];
    if field.nullable {
        facts.push("may be `null`".to_owned());
    }
    if !field.required {
        facts.push("may be absent".to_owned());
    }
    if field.undocumented {
        facts.push("not in the page's key table; seen in its sample".to_owned());
    }
    doc = doc.markdown(format!("{}.", capitalise(&facts.join(", "))));
    if let RustType::Tolerant(inner) = &field.value {
        doc = doc.markdown(format!(
            "Tolerant: a value that cannot be read as `{inner}` is kept as Zoho sent it, in \
             [`Tolerant::Raw`](::zoho_runtime::Tolerant::Raw), instead of failing the whole answer."
        ));
    }
    let doc = doc.note(field.note.as_deref()).tokens();

    let ty = rust_type(&field.rust_type());
    let mut serde = Vec::new();
    if field.rust != field.wire {
        serde.push(quote!(rename = #wire));
    }
    if field.optional() {
        serde.push(quote!(default));
        // A nullable key is encoded as `null` when unset, so a `null` it came with survives.
        if !field.nullable {
            serde.push(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            ));
        }
    }
    let helper = match (&field.value, field.optional()) {
        (RustType::Integer, false) => Some("::zoho_runtime::de::lenient_i64"),
        (RustType::Integer, true) => Some("::zoho_runtime::de::lenient_option_i64"),
        // Blank and `null` are no value, as for lenient integers; the rest is kept.
        (RustType::Tolerant(_), true) => Some("::zoho_runtime::de::tolerant_option"),
        _ => None,
    };
    if let Some(helper) = helper {
        serde.push(quote!(deserialize_with = #helper));
    }
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! {
        #doc
        #serde
        pub #name: #ty,
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn enum_type(enumeration: &EnumType) -> TokenStream {
    let name = ident::ident(&enumeration.name);
    let doc = Doc::new(&enumeration.doc)
        .note(enumeration.note.as_deref())
        .markdown("Values this crate does not know are kept in `Unknown`.")
        .tokens();
    let variants = enumeration.values.iter().map(|value| {
        let variant = ident::ident(&value.variant);
        let doc = Doc::new(&value.doc)
            .markdown(format!("Sent as {}.", code(&scalar_text(&value.value))))
            .tokens();
        quote!(#doc #variant,)
    });
    let (repr, copy) = if enumeration.integer {
        (quote!(i64), quote!(Copy,))
    } else {
        (quote!(::std::string::String), quote!())
    };
    let to_value = enumeration.values.iter().map(|value| {
        let variant = ident::ident(&value.variant);
        let literal = scalar_literal(&value.value);
        quote!(Self::#variant => #literal,)
    });
    let from_value = enumeration.values.iter().map(|value| {
        let variant = ident::ident(&value.variant);
        let literal = scalar_literal(&value.value);
        quote!(#literal => Self::#variant,)
    });
    let methods = if enumeration.integer {
        quote! {
            /// The value as sent on the wire.
            pub const fn value(self) -> i64 {
                match self {
                    #(#to_value)*
                    Self::Unknown(value) => value,
                }
            }

            /// The variant for a wire value; unknown values are kept.
            pub const fn from_value(value: i64) -> Self {
                match value {
                    #(#from_value)*
                    other => Self::Unknown(other),
                }
            }
        }
    } else {
        quote! {
            /// The value as sent on the wire.
            pub fn value(&self) -> &str {
                match self {
                    #(#to_value)*
                    Self::Unknown(value) => value,
                }
            }

            /// The variant for a wire value; unknown values are kept.
            pub fn from_value(value: &str) -> Self {
                match value {
                    #(#from_value)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    };
    let serde_impls = if enumeration.integer {
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.value())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    ::zoho_runtime::de::lenient_i64(deserializer).map(Self::from_value)
                }
            }
        }
    } else {
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.value())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(Self::from_value(&value))
                }
            }
        }
    };
    let unknown = ident::ident(names::UNKNOWN_VARIANT);
    quote! {
        #doc
        #[derive(Clone, #copy Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this crate does not know, as sent.
            #unknown(#repr),
        }

        impl #name {
            #methods
        }

        #serde_impls
    }
}

fn scalar_literal(value: &Scalar) -> Literal {
    match value {
        Scalar::Integer(number) => Literal::i64_unsuffixed(*number),
        Scalar::String(text) => Literal::string(text),
    }
}

fn scalar_text(value: &Scalar) -> String {
    value.to_string()
}
