//! `src/model.rs` of the generated crate: every operation as static data.
//!
//! What the typed API knows (paths, parameters, modules, scopes, limits, answers, error codes,
//! samples), for tools that must agree with it, above all the fake Zoho server: it validates
//! requests from this data instead of keeping a second hand-written copy of the spec. The
//! types are `zoho_runtime::model`'s, written by hand once; this file writes only the data.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ident;
use crate::ir::{
    Api, Crate, MODULE_ENUM, Operation, OperationBody, Param, ParamInput, ResponseKind,
};

/// The model file.
pub fn file(krate: &Crate) -> TokenStream {
    let apis = krate
        .products
        .values()
        .flat_map(|product| product.apis.values())
        .map(api);
    let error_codes = krate.error_codes.iter().map(|error| {
        let code = &error.code;
        let status = error.status;
        let others = &error.other_statuses;
        let doc = error.doc.trim();
        quote!(ErrorCode { code: #code, status: #status, other_statuses: &[#(#others),*], doc: #doc })
    });
    quote! {
        //! Every product version and operation of this crate, as data.
        //!
        //! The typed modules are what an application calls; this is the same knowledge in a form
        //! tools can walk: the fake Zoho server validates requests with it, and scripts can list
        //! scopes or limits without parsing the spec.

        pub use ::zoho_runtime::model::{
            Alternative, Api, Body, Effect, ErrorCode, ErrorRow, Module, ModuleSet, Operation,
            Paging, Param, ParamKind, Part, Response, ResponseKind,
        };

        /// Every error code any operation documents, with its usual status.
        pub static ERROR_CODES: &[ErrorCode] = &[#(#error_codes),*];

        /// The error code `code`, if any page documents it.
        pub fn error_code(code: &str) -> ::std::option::Option<&'static ErrorCode> {
            ERROR_CODES.iter().find(|known| known.code == code)
        }

        /// Every product version of this crate.
        pub static APIS: &[Api] = &[#(#apis),*];

        /// The product version `product`/`version` (`"crm"`, `"v8"`), if this crate has it.
        pub fn api(product: &str, version: &str) -> ::std::option::Option<&'static Api> {
            APIS.iter().find(|api| api.product == product && api.version == version)
        }
    }
}

fn option<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(::std::option::Option::Some(#value)),
        None => quote!(::std::option::Option::None),
    }
}

fn api(api: &Api) -> TokenStream {
    let product = &api.product;
    let version = &api.version;
    let title = &api.title;
    let prefix = &api.prefix;
    let follows = api.follows_api_domain;
    let origins = api
        .origins
        .iter()
        .map(|(id, origin)| quote!((#id, #origin)));
    let modules = api.modules.iter().flat_map(|modules| {
        modules
            .variants
            .iter()
            .map(|module| {
                let display = &module.display;
                let api_name = &module.api_name;
                let scope = &module.scope;
                quote!(Module { display: #display, api_name: ::std::option::Option::Some(#api_name), scope: #scope })
            })
            .chain(modules.custom.iter().map(|custom| {
                let display = &custom.display;
                let scope = &custom.scope;
                quote!(Module { display: #display, api_name: ::std::option::Option::None, scope: #scope })
            }))
    });
    let sets = api.module_sets.values().map(|set| {
        let name = &set.name;
        let members = set
            .variants
            .iter()
            .map(|module| &module.display)
            .chain(set.custom.iter().map(|custom| &custom.display));
        quote!(ModuleSet { name: #name, modules: &[#(#members),*] })
    });
    let operations = api.operations.values().map(|op| operation(api, op));
    quote! {
        Api {
            product: #product,
            version: #version,
            title: #title,
            prefix: #prefix,
            follows_api_domain: #follows,
            origins: &[#(#origins),*],
            modules: &[#(#modules),*],
            module_sets: &[#(#sets),*],
            operations: &[#(#operations),*],
        }
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let name = &op.name;
    let method = &op.method;
    let path = &op.path_template;
    let source = &op.source;
    let params = op
        .path_params
        .iter()
        .map(|p| param(p, true))
        .chain(op.query_params.iter().map(|p| param(p, false)));
    let groups = op.scopes.groups.iter().map(|group| quote!(&[#(#group),*]));
    let scope_operations = op.scopes.operations.iter().map(|(name, _)| name);
    let body = match &op.body {
        None => quote!(Body::Empty),
        Some(OperationBody::Json(_)) => quote!(Body::Json),
        Some(OperationBody::Multipart(name)) => match api.bodies.get(name) {
            Some(body) => {
                let alternatives = body.variants.iter().map(|variant| {
                    let alternative = &variant.constructor;
                    let parts = variant.parts.iter().map(|part| {
                        let name = &part.wire;
                        let file = part.file;
                        let required = part.required;
                        let fixed = option(part.fixed.as_deref());
                        let max_bytes = option(part.max_bytes.map(Literal::u64_unsuffixed));
                        let min_length = option(part.min_length.map(Literal::usize_unsuffixed));
                        let max_length = option(part.max_length.map(Literal::usize_unsuffixed));
                        quote! {
                            Part {
                                name: #name,
                                file: #file,
                                required: #required,
                                fixed: #fixed,
                                max_bytes: #max_bytes,
                                min_length: #min_length,
                                max_length: #max_length,
                            }
                        }
                    });
                    quote!(Alternative { name: #alternative, parts: &[#(#parts),*] })
                });
                let max_bytes = option(body.max_bytes.map(Literal::u64_unsuffixed));
                quote!(Body::Multipart { alternatives: &[#(#alternatives),*], max_bytes: #max_bytes })
            }
            None => quote!(Body::Empty),
        },
    };
    let status = Literal::u16_unsuffixed(op.response.status);
    let kind = match op.response.kind {
        ResponseKind::Object(_) => quote!(ResponseKind::Object),
        ResponseKind::List(_) => quote!(ResponseKind::List),
        ResponseKind::Binary { .. } => quote!(ResponseKind::Binary),
    };
    let empty = option(
        op.response
            .empty
            .as_ref()
            .map(|empty| Literal::u16_unsuffixed(empty.status)),
    );
    let errors = op.errors.iter().flat_map(|variant| {
        variant.rows.iter().map(move |row| {
            let code = &variant.code;
            let status = Literal::u16_unsuffixed(row.status);
            let message = option(row.message.as_deref());
            quote!(ErrorRow { code: #code, status: #status, message: #message })
        })
    });
    let item_status = super::operations::item_status(op);
    let per_item = option(
        op.response
            .outcomes
            .as_ref()
            .and_then(|outcomes| outcomes.per_item.as_ref())
            .map(|per_item| per_item.wire.as_str()),
    );
    let sample = option(op.sample_response.as_deref());
    let effect = option(op.effect.as_deref().map(|variant| {
        let variant = ident::ident(variant);
        quote!(Effect::#variant)
    }));
    let paging = option(op.paging.as_ref().map(|paging| {
        let wire = |param: &Option<Param>| option(param.as_ref().map(|param| param.wire.as_str()));
        let items = &paging.items.wire;
        let page_param = wire(&paging.page_param);
        let token_param = wire(&paging.token_param);
        quote!(Paging { items: #items, page_param: #page_param, token_param: #token_param })
    }));
    quote! {
        Operation {
            name: #name,
            method: #method,
            path: #path,
            params: &[#(#params),*],
            body: #body,
            scopes: ::zoho_runtime::ScopeRule {
                groups: &[#(#groups),*],
                operations: &[#(#scope_operations),*],
            },
            response: Response {
                status: #status,
                kind: #kind,
                empty_status: #empty,
                item_status: #item_status,
                per_item: #per_item,
            },
            paging: #paging,
            effect: #effect,
            errors: &[#(#errors),*],
            sample_response: #sample,
            source: #source,
        }
    }
}

fn param(param: &Param, in_path: bool) -> TokenStream {
    let name = &param.wire;
    let kind = match &param.input {
        ParamInput::Integer => quote!(ParamKind::Integer),
        ParamInput::Boolean => quote!(ParamKind::Boolean),
        ParamInput::TextList | ParamInput::IntegerList => quote!(ParamKind::List),
        ParamInput::Module(name) => {
            let set = option((name != MODULE_ENUM).then_some(name.as_str()));
            quote!(ParamKind::Module(#set))
        }
        ParamInput::Text => quote!(ParamKind::Text),
    };
    let required = param.required;
    let minimum = option(param.minimum.map(Literal::i64_unsuffixed));
    let maximum = option(param.maximum.map(Literal::i64_unsuffixed));
    quote! {
        Param {
            name: #name,
            in_path: #in_path,
            kind: #kind,
            required: #required,
            minimum: #minimum,
            maximum: #maximum,
        }
    }
}
