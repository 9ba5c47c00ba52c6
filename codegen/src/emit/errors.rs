//! Per-operation error enums: one variant per documented code, plus what the page does not list.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, prose};
use crate::ident;
use crate::ir::{Api, ErrorVariant, Operation, RowOrigin};

/// The errors file of a version.
pub fn file(api: &Api) -> TokenStream {
    let enums = api.operations.values().map(|op| error_enum(api, op));
    let composites = api
        .composites
        .values()
        .map(|composite| super::composites::error_enum(api, composite));
    quote!(#(#enums)* #(#composites)*)
}

fn variant_doc(variant: &ErrorVariant) -> TokenStream {
    let statuses: Vec<String> = variant.statuses.iter().map(u16::to_string).collect();
    let mut doc = Doc::default().markdown(format!(
        "`{}` (HTTP {}).",
        variant.code,
        statuses.join(" or ")
    ));
    let several = variant.rows.len() > 1;
    let mut rows = Vec::new();
    for row in &variant.rows {
        let mut text = match &row.message {
            Some(message) => format!("{}.", prose(message.trim().trim_end_matches('.'))),
            // Why there is none (a page row cut short, a source that gives codes only) is
            // provenance, kept in the spec.
            None if several => "No message is documented for this row.".to_owned(),
            None => "No message is documented for this code.".to_owned(),
        };
        if let Some(resolution) = &row.resolution {
            text.push_str(&format!(" *Resolution:* {}", prose(resolution.trim())));
        }
        if let Some(note) = &row.note {
            text.push_str(&format!(" *Note:* {}", prose(note.trim())));
        }
        if let Some(origin) = origin_doc(&row.origin) {
            text.push_str(&format!(" *Source:* {origin}"));
        }
        rows.push(if several { format!("- {text}") } else { text });
    }
    if several {
        let times = match variant.rows.len() {
            2 => "twice".to_owned(),
            n => format!("{n} times"),
        };
        let who = if variant.rows.iter().all(|row| row.origin == RowOrigin::Page) {
            "The page lists"
        } else {
            "The sources list"
        };
        doc = doc.markdown(format!(
            "{who} this code {times}, with different meanings:\n{}",
            rows.join("\n")
        ));
    } else {
        doc = doc.markdown(rows.join("\n"));
    }
    doc.tokens()
}

/// Where a row comes from, for users, when it is not on the operation's page.
fn origin_doc(origin: &RowOrigin) -> Option<String> {
    match origin {
        RowOrigin::Page => None,
        RowOrigin::Address(url) => Some(format!(
            "not on this operation's page; documented at <{url}>."
        )),
        RowOrigin::Sibling => Some(
            "not readable on this operation's page; taken from the same row of a sibling \
             call's page (another version or product of the same call)."
                .to_owned(),
        ),
        RowOrigin::Unpublished => Some(
            "not on any Zoho page found; from the project's research notes, to be confirmed."
                .to_owned(),
        ),
    }
}

fn error_enum(api: &Api, op: &Operation) -> TokenStream {
    let name = ident::ident(&op.error);
    let entry = &api.entry_type;
    let variants = op.errors.iter().map(|variant| {
        let doc = variant_doc(variant);
        let ident = ident::ident(&variant.variant);
        quote!(#doc #ident(::zoho_runtime::ServiceError),)
    });
    let service_variants: Vec<_> = op
        .errors
        .iter()
        .map(|variant| ident::ident(&variant.variant))
        .collect();
    let mapping = op.errors.iter().map(|variant| {
        let code = &variant.code;
        let ident = ident::ident(&variant.variant);
        quote!(#code => Self::#ident(error),)
    });
    let doc = Doc::default()
        .markdown(format!(
            "What can go wrong in [`{entry}::{method}`](super::{entry}::{method}).\n\n\
             Each code on the page's \"Possible Errors\" is a variant; a code the page does not \
             list is kept whole in [`Unhandled`](Self::Unhandled), and a failure before Zoho \
             answered with a code is [`Request`](Self::Request).",
            method = ident::spelling(&op.name)
        ))
        .source(&op.source)
        .tokens();
    let service_arms = quote!(#(Self::#service_variants(error))|*);
    let service_arm = if op.errors.is_empty() {
        quote!()
    } else {
        quote!(#service_arms => ::zoho_runtime::ErrorSource::Service(error),)
    };
    // Without documented codes there is nothing to tell apart.
    let by_code = if op.errors.is_empty() {
        quote!(Self::Unhandled(error.into()))
    } else {
        quote! {
            match error.code() {
                #(#mapping)*
                _ => Self::Unhandled(error.into()),
            }
        }
    };
    let methods = metadata_methods();
    quote! {
        #doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// Zoho answered with an error code this operation's page does not list. Read it
            /// with [`code`](Self::code) rather than matching this variant on a code: a code
            /// documented later gets a variant of its own.
            Unhandled(::zoho_runtime::Unhandled),
            /// The request failed before Zoho answered with an error code: invalid input,
            /// a file that could not be read, a transport failure, a timeout, or an answer that
            /// could not be decoded.
            Request(::zoho_runtime::Error),
        }

        impl ::zoho_runtime::ProvideErrorMetadata for #name {
            fn error_source(&self) -> ::zoho_runtime::ErrorSource<'_> {
                match self {
                    #service_arm
                    Self::Unhandled(error) => error.error_source(),
                    Self::Request(error) => ::zoho_runtime::ErrorSource::Request(error),
                }
            }
        }

        impl #name {
            #methods
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::zoho_runtime::metadata::display_error(self, f)
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                ::zoho_runtime::metadata::error_source_of(self)
            }
        }

        impl ::std::convert::From<::zoho_runtime::Error> for #name {
            fn from(error: ::zoho_runtime::Error) -> Self {
                match error {
                    ::zoho_runtime::Error::Service(error) => #by_code,
                    other => Self::Request(other),
                }
            }
        }
    }
}

/// The error accessors every error enum has as methods, so no trait import is needed: each
/// reads `zoho_runtime::ProvideErrorMetadata`, which does the work.
pub fn metadata_methods() -> TokenStream {
    quote! {
        /// The Zoho error code, when Zoho answered with one.
        pub fn code(&self) -> ::std::option::Option<&str> {
            ::zoho_runtime::ProvideErrorMetadata::code(self)
        }

        /// Zoho's message, when Zoho answered with an error code.
        pub fn message(&self) -> ::std::option::Option<&str> {
            ::zoho_runtime::ProvideErrorMetadata::message(self)
        }

        /// The HTTP status of Zoho's answer, when there was one.
        pub fn http_status(&self) -> ::std::option::Option<u16> {
            ::zoho_runtime::ProvideErrorMetadata::http_status(self)
        }

        /// Whether trying again later may succeed: rate limits, server errors, timeouts
        /// and dropped connections.
        pub fn is_retryable(&self) -> bool {
            ::zoho_runtime::ProvideErrorMetadata::is_retryable(self)
        }

        /// Zoho's whole error answer, when there was one.
        pub fn service_error(&self) -> ::std::option::Option<&::zoho_runtime::ServiceError> {
            ::zoho_runtime::ProvideErrorMetadata::service_error(self)
        }
    }
}
