//! Operations: the entry-point method, the request builder and its `send`.
//!
//! Required inputs are arguments of the entry-point method, so leaving one out does not
//! compile; optional ones are builder methods. `send` renders the path and query, hands the
//! request to the runtime and decodes the answer into the response type.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::{Doc, code, prose};
use crate::ident;
use crate::ir::{Api, Operation, Param, PathPiece, Scopes};
use crate::spec::type_expr::TypeExpr;

/// The operations file of a version: entry-point methods and builders.
pub fn file(api: &Api) -> TokenStream {
    let entry = ident::ident(&api.entry_type);
    let methods = api.operations.values().map(|op| entry_method(api, op));
    let builders = api.operations.values().map(|op| builder(api, op));
    let infos = api.operations.values().map(|op| operation_info(api, op));
    // Exactly the sibling items this file names, so no import goes unused.
    let mut used = BTreeSet::new();
    for op in api.operations.values() {
        used.insert(op.response.clone());
        used.insert(op.error.clone());
        if let Some(body) = &op.body {
            used.insert(body.clone());
        }
        if op.module_param().is_some() {
            used.insert("Module".to_owned());
        }
    }
    let used = used.iter().map(|name| ident::ident(name));
    quote! {
        use super::{#(#used),*};

        impl super::#entry {
            #(#methods)*
        }

        #(#infos)*

        #(#builders)*
    }
}

fn info_ident(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", op.name.to_uppercase())
}

fn operation_info(api: &Api, op: &Operation) -> TokenStream {
    let name = info_ident(op);
    let product = &api.product;
    let version = &api.version;
    let operation = &op.name;
    let method = format_ident!("{}", op.method);
    quote! {
        static #name: ::zoho_runtime::OperationInfo = ::zoho_runtime::OperationInfo {
            product: #product,
            version: #version,
            name: #operation,
            method: ::zoho_runtime::Method::#method,
            server: &super::SERVER,
        };
    }
}

/// How a parameter is taken as an argument, stored, and converted.
struct ParamShape {
    /// Type in the method signature.
    argument: TokenStream,
    /// Type stored in the builder.
    stored: TokenStream,
    /// Converts an argument expression into the stored type.
    convert: fn(TokenStream) -> TokenStream,
}

fn param_shape(param: &Param) -> ParamShape {
    match &param.ty {
        TypeExpr::String => ParamShape {
            argument: quote!(impl ::std::convert::Into<::std::string::String>),
            stored: quote!(::std::string::String),
            convert: |value| quote!(#value.into()),
        },
        TypeExpr::Integer => ParamShape {
            argument: quote!(i64),
            stored: quote!(i64),
            convert: |value| value,
        },
        TypeExpr::Boolean => ParamShape {
            argument: quote!(bool),
            stored: quote!(bool),
            convert: |value| value,
        },
        TypeExpr::Module => ParamShape {
            argument: quote!(Module),
            stored: quote!(Module),
            convert: |value| value,
        },
        TypeExpr::List(inner) if **inner == TypeExpr::Integer => ParamShape {
            argument: quote!(impl ::std::iter::IntoIterator<Item = i64>),
            stored: quote!(::std::vec::Vec<i64>),
            convert: |value| quote!(#value.into_iter().collect()),
        },
        _ => ParamShape {
            argument: quote!(
                impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::std::string::String>>
            ),
            stored: quote!(::std::vec::Vec<::std::string::String>),
            convert: |value| quote!(#value.into_iter().map(::std::convert::Into::into).collect()),
        },
    }
}

fn entry_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident::ident(&op.name);
    let builder = ident::ident(&op.builder);
    let mut arguments = Vec::new();
    let mut inits = Vec::new();
    let mut arg_docs = Vec::new();
    for param in op.required_args() {
        let name = ident::ident(&param.rust);
        let shape = param_shape(param);
        let argument = shape.argument;
        let value = (shape.convert)(quote!(#name));
        arguments.push(quote!(#name: #argument));
        // Field-init shorthand when the argument is stored as given.
        if name == value.to_string() {
            inits.push(quote!(#name));
        } else {
            inits.push(quote!(#name: #value));
        }
        arg_docs.push(format!("- `{}`: {}", param.rust, prose(param.doc.trim())));
    }
    if let Some(body) = &op.body {
        let body_type = ident::ident(body);
        arguments.push(quote!(body: impl ::std::convert::Into<#body_type>));
        inits.push(quote!(body: body.into()));
        arg_docs.push(format!(
            "- `body`: what to send, a [`{body}`] (see its constructors)."
        ));
    }
    for param in op.query_params.iter().filter(|param| !param.required) {
        let name = ident::ident(&param.rust);
        inits.push(quote!(#name: ::std::option::Option::None));
    }
    let mut doc = Doc::new(&op.summary);
    if let Some(more) = &op.doc {
        doc = doc.text(more);
    }
    doc = doc.markdown(format!(
        "`{} {}{}`",
        op.method, api.prefix, op.path_template
    ));
    if !arg_docs.is_empty() {
        doc = doc.markdown(format!("Arguments:\n{}", arg_docs.join("\n")));
    }
    let optional = if op.query_params.iter().any(|param| !param.required) {
        "set optional parameters on it, then call"
    } else {
        "call"
    };
    doc = doc.markdown(format!(
        "Returns the request builder [`{builder}`]: {optional} [`send`]({builder}::send). \
         Needs the scopes in [`{builder}::REQUIRED_SCOPES`]; fails with [`{error}`].",
        builder = op.builder,
        error = op.error,
    ));
    let doc = doc.notes(&op.notes).source(&op.source).tokens();
    quote! {
        #doc
        pub fn #method(&self, #(#arguments),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#inits,)*
            }
        }
    }
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let builder = ident::ident(&op.builder);
    let entry = &api.entry_type;

    let mut fields = Vec::new();
    for param in op.required_args() {
        let name = ident::ident(&param.rust);
        let stored = param_shape(param).stored;
        fields.push(quote!(#name: #stored));
    }
    if let Some(body) = &op.body {
        let body = ident::ident(body);
        fields.push(quote!(body: #body));
    }
    let mut setters = Vec::new();
    for param in op.query_params.iter().filter(|param| !param.required) {
        let name = ident::ident(&param.rust);
        let shape = param_shape(param);
        let stored = shape.stored;
        let argument = shape.argument;
        let value = (shape.convert)(quote!(value));
        fields.push(quote!(#name: ::std::option::Option<#stored>));
        let doc = Doc::new(&param.doc)
            .markdown(format!(
                "Sent as the query parameter {}.",
                code(&param.wire)
            ))
            .note(param.note.as_deref())
            .tokens();
        setters.push(quote! {
            #doc
            pub fn #name(mut self, value: #argument) -> Self {
                self.#name = ::std::option::Option::Some(#value);
                self
            }
        });
    }

    let scopes = scope_items(op);
    let send = send_fn(op);
    let doc = Doc::new(&format!(
        "A request to {}",
        lower_first(op.summary.trim().trim_start_matches("To ").trim())
    ))
    .markdown(format!(
        "Made by [`{entry}::{method}`](super::{entry}::{method}); {}[`send`](Self::send) \
         performs the call.",
        if op.query_params.iter().any(|param| !param.required) {
            "optional parameters are set with its methods, and "
        } else {
            ""
        },
        method = op.name
    ))
    .tokens();
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            client: crate::Client,
            #(#fields,)*
        }

        impl #builder {
            #scopes

            #(#setters)*

            #send
        }
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn scope_items(op: &Operation) -> TokenStream {
    let Scopes {
        groups,
        operations,
        note,
    } = &op.scopes;
    let group_tokens = groups.iter().map(|group| quote!(&[#(#group),*]));
    let operation_names = operations.iter().map(|(name, _)| name);
    let mut text = String::from(
        "The OAuth scopes this operation needs: every line below must be satisfied, by any one \
         of its scopes.\n",
    );
    for group in groups {
        let alternatives: Vec<String> = group.iter().map(|scope| format!("`{scope}`")).collect();
        text.push_str(&format!("\n- {}", alternatives.join(" or ")));
    }
    if groups
        .iter()
        .flatten()
        .any(|scope| scope.contains("{module}"))
    {
        text.push_str("\n\n`{module}` is the module's scope name ([`Module::scope_name`]).");
    }
    if !operations.is_empty() {
        let listed: Vec<String> = operations
            .iter()
            .map(|(name, doc)| format!("`{name}` ({})", prose(doc)))
            .collect();
        let placeholder = if groups
            .iter()
            .flatten()
            .any(|scope| scope.contains("{operation}"))
        {
            "`{operation}` is one of"
        } else {
            "Operation types on the page"
        };
        text.push_str(&format!("\n\n{placeholder}: {}.", listed.join(", ")));
    }
    let doc = Doc::default().markdown(text).note(note.as_deref()).tokens();
    let (minimal_doc, minimal) = if op.module_param().is_some() {
        (
            Doc::new(
                "The narrowest scopes that allow this operation on `module`, to request at \
                 consent time.",
            )
            .tokens(),
            quote! {
                pub fn minimal_scopes(module: &Module) -> ::std::vec::Vec<::std::string::String> {
                    Self::REQUIRED_SCOPES.minimal(::std::option::Option::Some(module.scope_name()))
                }
            },
        )
    } else {
        (
            Doc::new("The narrowest scopes that allow this operation, to request at consent time.")
                .tokens(),
            quote! {
                pub fn minimal_scopes() -> ::std::vec::Vec<::std::string::String> {
                    Self::REQUIRED_SCOPES.minimal(::std::option::Option::None)
                }
            },
        )
    };
    quote! {
        #doc
        pub const REQUIRED_SCOPES: ::zoho_runtime::ScopeRule = ::zoho_runtime::ScopeRule {
            groups: &[#(#group_tokens),*],
            operations: &[#(#operation_names),*],
        };

        #minimal_doc
        #minimal
    }
}

fn send_fn(op: &Operation) -> TokenStream {
    let error = ident::ident(&op.error);
    let response = ident::ident(&op.response);
    let info = info_ident(op);

    // Each parameter is percent-encoded on its own, then the pieces are joined.
    let mut encoded = Vec::new();
    let mut pieces = Vec::new();
    for piece in &op.path {
        match piece {
            PathPiece::Literal(text) => pieces.push(quote!(#text)),
            PathPiece::Param(index) => {
                let Some(param) = op.path_params.get(*index) else {
                    continue;
                };
                let name = ident::ident(&param.rust);
                let label = Literal::string(&param.rust);
                let value = match param.ty {
                    TypeExpr::Module => quote!(self.#name.api_name()),
                    TypeExpr::String => quote!(&self.#name),
                    _ => quote!(&self.#name.to_string()),
                };
                encoded.push(quote! {
                    let #name = ::zoho_runtime::encode_path_segment(#label, #value)?;
                });
                pieces.push(quote!(&#name));
            }
        }
    }

    let queries = op.query_params.iter().map(|param| {
        let name = ident::ident(&param.rust);
        let wire = &param.wire;
        let rust = &param.rust;
        let render = |value: TokenStream| match &param.ty {
            TypeExpr::String => value,
            TypeExpr::List(_) => quote!(::zoho_runtime::join_list(#rust, &#value)?),
            _ => quote!(#value.to_string()),
        };
        if param.required {
            let value = render(quote!(self.#name));
            quote! {
                request = request.query(#wire, #value);
            }
        } else {
            let render = render(quote!(value));
            quote! {
                if let ::std::option::Option::Some(value) = self.#name {
                    request = request.query(#wire, #render);
                }
            }
        }
    });
    let body = op.body.as_ref().map(|_| {
        quote! {
            request = request.multipart(self.body.into_multipart());
        }
    });
    let mutable = (!op.query_params.is_empty() || op.body.is_some()).then(|| quote!(mut));
    let doc = Doc::default()
        .markdown(format!(
            "Sends the request and decodes the answer.\n\n# Errors\n\nA documented Zoho error \
             code becomes its [`{error}`] variant; other codes are kept in \
             [`{error}::Unhandled`]; invalid input, transport failures, timeouts and \
             undecodable answers are [`{error}::Request`].",
            error = op.error
        ))
        .tokens();
    quote! {
        #doc
        pub async fn send(self) -> ::std::result::Result<#response, #error> {
            #(#encoded)*
            let path = [#(#pieces),*].concat();
            let #mutable request = ::zoho_runtime::Request::new(path);
            #(#queries)*
            #body
            let response = self.client.runtime().send(&#info, request).await?;
            ::std::result::Result::Ok(response.json::<#response>().await?)
        }
    }
}
