//! Composite operations: one call for the user, two on Zoho's side.
//!
//! The composite takes the first step's inputs, sends it, builds the second step's JSON body
//! from its answer as the spec's `feed` says (fields copied, fields set), and sends the second
//! step with the same path parameters. Its error says which step failed, so a caller knows
//! whether anything was created.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, lowercase_first};
use super::shapes::{param_shape, result_type};
use super::types::scalar_expr;
use crate::ident;
use crate::ir::{
    Api, Composite, EmptyYield, FixedField, MODULE_ENUM, Operation, Param, ParamInput, ResponseKind,
};

fn steps<'a>(api: &'a Api, composite: &Composite) -> Option<(&'a Operation, &'a Operation)> {
    Some((
        api.operations.get(&composite.first)?,
        api.operations.get(&composite.then)?,
    ))
}

/// The method on the version's entry type.
pub fn entry_method(api: &Api, composite: &Composite) -> TokenStream {
    let Some((first, then)) = steps(api, composite) else {
        return quote!();
    };
    let method = ident::ident(&composite.name);
    let builder = ident::ident(&composite.builder);
    let first_method = ident::ident(&first.name);
    let mut arguments = Vec::new();
    let mut names = Vec::new();
    for param in first.required_args() {
        let name = ident::ident(&param.rust);
        let argument = param_shape(param).argument;
        arguments.push(quote!(#name: #argument));
        names.push(quote!(#name));
    }
    if let Some(body) = &first.body {
        let body_type = ident::ident(body.type_name());
        arguments.push(quote!(body: impl ::std::convert::Into<#body_type>));
        names.push(quote!(body));
    }
    let doc = Doc::new(&composite.summary)
        .text(composite.doc.as_deref().unwrap_or_default())
        .markdown(format!(
            "Two calls: [`{first}`](Self::{first}), then [`{then}`](Self::{then}) with a body \
             built from the first answer. Takes the arguments of [`{first}`](Self::{first}) and \
             answers what [`{then}`](Self::{then}) answers.",
            first = first.name,
            then = then.name,
        ))
        .markdown(format!(
            "Returns the request builder [`{builder}`]: call [`send`]({builder}::send). \
             Needs the scopes in [`{builder}::REQUIRED_SCOPES`]; fails with [`{error}`], which \
             says which step failed.",
            builder = composite.builder,
            error = composite.error,
        ))
        .notes(&composite.notes)
        .source(&composite.source)
        .unconfirmed(composite.unconfirmed.as_deref())
        .tokens();
    quote! {
        #doc
        pub fn #method(&self, #(#arguments),*) -> #builder {
            #builder {
                first: self.#first_method(#(#names),*),
            }
        }
    }
}

/// The builder of a composite.
pub fn items(api: &Api, composite: &Composite) -> TokenStream {
    let Some((first, then)) = steps(api, composite) else {
        return quote!();
    };
    let builder = ident::ident(&composite.builder);
    let error = ident::ident(&composite.error);
    let first_builder = ident::ident(&first.builder);
    let then_builder = ident::ident(&then.builder);
    let first_variant = ident::ident(&composite.first_variant);
    let then_variant = ident::ident(&composite.then_variant);
    let result = result_type(then);
    let entry_type = ident::ident(&composite.entry_type);
    let body_type = then
        .body
        .as_ref()
        .map(|body| ident::ident(body.type_name()));

    // The second step's path parameters, taken from the first step's builder before it is sent.
    let mut keep = Vec::new();
    let mut then_fields = Vec::new();
    for param in &then.path_params {
        let Some(source) = first.path_params.iter().find(|p| p.wire == param.wire) else {
            continue;
        };
        let from = ident::ident(&source.rust);
        let to = ident::ident(&param.rust);
        if is_copy(api, source) {
            keep.push(quote!(let #to = self.first.#from;));
        } else {
            keep.push(quote!(let #to = self.first.#from.clone();));
        }
        then_fields.push(quote!(#to));
    }
    for param in then.query_params.iter().filter(|param| !param.required) {
        let name = ident::ident(&param.rust);
        then_fields.push(quote!(#name: ::std::option::Option::None));
    }

    // One entry per item of the first answer.
    let items = match (
        &first.response.kind,
        first.response.empty.as_ref().map(|e| e.yields),
    ) {
        (ResponseKind::List(_), Some(EmptyYield::None)) => {
            quote!(answer.into_iter().flatten())
        }
        (ResponseKind::List(_), _) | (ResponseKind::Object(_), Some(EmptyYield::None)) => {
            quote!(answer.into_iter())
        }
        _ => quote!(::std::iter::once(answer)),
    };
    // With nothing to copy, each item only counts: its binding is unused.
    let item = if composite.copy.is_empty() {
        quote!(_item)
    } else {
        quote!(item)
    };
    let copies = composite.copy.iter().map(|field| {
        let name = ident::ident(&field.rust);
        if field.wrap {
            quote!(#name: ::std::option::Option::Some(item.#name),)
        } else {
            quote!(#name: item.#name,)
        }
    });
    let sets = composite.set.iter().map(|field| {
        let name = ident::ident(&field.rust);
        let value = fixed_value(api, field);
        quote!(#name: #value,)
    });
    let list = ident::ident(&composite.list_field);
    let list_value = if composite.list_optional {
        quote!(::std::option::Option::Some(entries))
    } else {
        quote!(entries)
    };

    let (scope_arg, first_call, then_call, scope_doc) = match first.module_param() {
        Some(param) => {
            let module = match &param.input {
                ParamInput::Module(name) => ident::ident(name),
                _ => ident::ident(MODULE_ENUM),
            };
            let then_arg = then.module_param().map(|_| quote!(module));
            (
                quote!(module: &#module),
                quote!(#first_builder::minimal_scopes(module)),
                quote!(#then_builder::minimal_scopes(#then_arg)),
                "The narrowest scopes that allow both steps on `module`, to request at consent time.",
            )
        }
        None => (
            quote!(),
            quote!(#first_builder::minimal_scopes()),
            quote!(#then_builder::minimal_scopes()),
            "The narrowest scopes that allow both steps, to request at consent time.",
        ),
    };
    let scope_doc = Doc::new(scope_doc).tokens();
    let doc = Doc::new(&format!(
        "A request to {}",
        lowercase_first(composite.summary.trim().trim_start_matches("To ").trim())
    ))
    .markdown(format!(
        "Made by [`{entry}::{name}`](super::{entry}::{name}); [`send`](Self::send) performs \
         both calls.",
        entry = api.entry_type,
        name = ident::spelling(&composite.name)
    ))
    .unconfirmed(composite.unconfirmed.as_deref())
    .tokens();
    let send_doc = Doc::default()
        .markdown(format!(
            "Sends [`{first}`] and then, with a body built from its answer, [`{then}`].\n\n\
             # Errors\n\n[`{error}::{first_variant}`] when the first call failed (nothing was \
             created); [`{error}::{then_variant}`] when the second did (the first call's work \
             is done and not undone).",
            first = first.builder,
            then = then.builder,
            error = composite.error,
            first_variant = composite.first_variant,
            then_variant = composite.then_variant,
        ))
        .tokens();
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            first: #first_builder,
        }

        impl #builder {
            /// The scopes of both steps: each rule must be satisfied.
            pub const REQUIRED_SCOPES: [::zoho_runtime::ScopeRule; 2] =
                [#first_builder::REQUIRED_SCOPES, #then_builder::REQUIRED_SCOPES];

            /// Retries both calls with `policy` instead of the client's retry policy.
            pub fn retry_policy(mut self, policy: ::zoho_runtime::RetryPolicy) -> Self {
                self.first.options.retry_policy(policy);
                self
            }

            /// Bounds each of the two calls by `timeout` instead of the client's default.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.first.options.timeout(timeout);
                self
            }

            #scope_doc
            pub fn minimal_scopes(#scope_arg) -> ::std::vec::Vec<::std::string::String> {
                let mut scopes = #first_call;
                for scope in #then_call {
                    if !scopes.contains(&scope) {
                        scopes.push(scope);
                    }
                }
                scopes
            }

            #send_doc
            pub async fn send(self) -> ::std::result::Result<#result, #error> {
                let client = self.first.client.clone();
                let options = self.first.options.clone();
                #(#keep)*
                let answer = self.first.send().await.map_err(#error::#first_variant)?;
                let entries = #items
                    .map(|#item| #entry_type {
                        #(#copies)*
                        #(#sets)*
                        ..::std::default::Default::default()
                    })
                    .collect();
                let body = #body_type {
                    #list: #list_value,
                    ..::std::default::Default::default()
                };
                #then_builder {
                    client,
                    #(#then_fields,)*
                    body,
                    options,
                }
                .send()
                .await
                .map_err(#error::#then_variant)
            }
        }
    }
}

/// The error enum of a composite, in the errors file.
pub fn error_enum(api: &Api, composite: &Composite) -> TokenStream {
    let Some((first, then)) = steps(api, composite) else {
        return quote!();
    };
    let name = ident::ident(&composite.error);
    let first_variant = ident::ident(&composite.first_variant);
    let then_variant = ident::ident(&composite.then_variant);
    let first_error = ident::ident(&first.error);
    let then_error = ident::ident(&then.error);
    let first_failed = format!("{}: the first call, {}, failed", composite.name, first.name);
    let then_failed = format!("{}: the second call, {}, failed", composite.name, then.name);
    let doc = Doc::default()
        .markdown(format!(
            "What can go wrong in [`{entry}::{method}`](super::{entry}::{method}): one of its two \
             steps failed.",
            entry = api.entry_type,
            method = ident::spelling(&composite.name)
        ))
        .source(&composite.source)
        .tokens();
    let first_doc = Doc::default()
        .markdown(format!(
            "The first call, [`{entry}::{method}`](super::{entry}::{method}), failed: nothing \
             was created.",
            entry = api.entry_type,
            method = ident::spelling(&first.name)
        ))
        .tokens();
    let then_doc = Doc::default()
        .markdown(format!(
            "The second call, [`{entry}::{method}`](super::{entry}::{method}), failed after the \
             first succeeded.",
            entry = api.entry_type,
            method = ident::spelling(&then.name)
        ))
        .tokens();
    let methods = super::errors::metadata_methods();
    quote! {
        #doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #first_doc
            #first_variant(#first_error),
            #then_doc
            #then_variant(#then_error),
        }

        impl ::zoho_runtime::ProvideErrorMetadata for #name {
            fn error_source(&self) -> ::zoho_runtime::ErrorSource<'_> {
                match self {
                    Self::#first_variant(error) => {
                        ::zoho_runtime::ProvideErrorMetadata::error_source(error)
                    }
                    Self::#then_variant(error) => {
                        ::zoho_runtime::ProvideErrorMetadata::error_source(error)
                    }
                }
            }
        }

        impl #name {
            #methods
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::#first_variant(_) => f.write_str(#first_failed),
                    Self::#then_variant(_) => f.write_str(#then_failed),
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::#first_variant(error) => ::std::option::Option::Some(error),
                    Self::#then_variant(error) => ::std::option::Option::Some(error),
                }
            }
        }
    }
}

/// Whether a parameter's stored value is `Copy` (no `.clone()` needed to keep it).
fn is_copy(api: &Api, param: &Param) -> bool {
    match &param.input {
        // Module enums are `Copy` unless they can hold a custom module's name.
        ParamInput::Module(name) => match api.module_sets.get(name) {
            Some(set) => set.custom.is_none(),
            None => api
                .modules
                .as_ref()
                .is_some_and(|modules| modules.custom.is_none()),
        },
        input => input.is_copy(),
    }
}

/// The value a fixed field is set to, as an expression of the field's type.
fn fixed_value(api: &Api, field: &FixedField) -> TokenStream {
    let value = scalar_expr(api, &field.value_type, &field.value);
    if field.optional {
        quote!(::std::option::Option::Some(#value))
    } else {
        value
    }
}
