//! `src/model.rs` of the generated crate: every operation as static data.
//!
//! What the typed API knows (paths, parameters, modules, scopes, limits, answers, error codes,
//! samples), for tools that must agree with it, above all the fake Zoho server: it validates
//! requests from this data instead of keeping a second hand-written copy of the spec.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

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

        /// One product version.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct Api {
            /// Product id (`crm`).
            pub product: &'static str,
            /// Version as Zoho writes it (`v2.1`).
            pub version: &'static str,
            /// Title.
            pub title: &'static str,
            /// Path prefix (`/crm/v8`).
            pub prefix: &'static str,
            /// Whether a token's `api_domain` replaces the origins.
            pub follows_api_domain: bool,
            /// Origin per data-centre id.
            pub origins: &'static [(&'static str, &'static str)],
            /// The modules, in page order.
            pub modules: &'static [Module],
            /// Named subsets of the modules.
            pub module_sets: &'static [ModuleSet],
            /// The operations, by name order.
            pub operations: &'static [Operation],
        }

        /// A module records can belong to.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct Module {
            /// Display name.
            pub display: &'static str,
            /// API name (path segment); `None` for the entry that stands for any custom module.
            pub api_name: ::std::option::Option<&'static str>,
            /// Scope name.
            pub scope: &'static str,
        }

        /// A named subset of a version's modules.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct ModuleSet {
            /// Its name (`PhotoModule`).
            pub name: &'static str,
            /// Display names of its modules.
            pub modules: &'static [&'static str],
        }

        /// One operation.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct Operation {
            /// snake_case name.
            pub name: &'static str,
            /// HTTP method.
            pub method: &'static str,
            /// Path template after the prefix.
            pub path: &'static str,
            /// Path and query parameters.
            pub params: &'static [Param],
            /// Request body.
            pub body: Body,
            /// Scopes it needs.
            pub scopes: ::zoho_runtime::ScopeRule,
            /// What a success answers.
            pub response: Response,
            /// Documented error codes, one per row of the page.
            pub errors: &'static [ErrorRow],
            /// The page's sample response, if any.
            pub sample_response: ::std::option::Option<&'static str>,
            /// The documentation page.
            pub source: &'static str,
        }

        /// A path or query parameter.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct Param {
            /// Wire name.
            pub name: &'static str,
            /// In the path (else the query).
            pub in_path: bool,
            /// What it holds.
            pub kind: ParamKind,
            /// Required.
            pub required: bool,
            /// Smallest accepted integer.
            pub minimum: ::std::option::Option<i64>,
            /// Largest accepted integer.
            pub maximum: ::std::option::Option<i64>,
        }

        /// What a parameter holds.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum ParamKind {
            /// Text. (Not named `String`: a public item of that name would make rustc spell out
            /// `std::string::String` in every error message users of this crate see.)
            Text,
            /// An integer.
            Integer,
            /// `true` or `false`.
            Boolean,
            /// Comma-separated values.
            List,
            /// A module API name, of all modules or of the named set.
            Module(::std::option::Option<&'static str>),
        }

        /// A request body.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Body {
            /// No body.
            Empty,
            /// multipart/form-data: exactly one alternative.
            Multipart {
                /// The alternatives.
                alternatives: &'static [Alternative],
                /// Largest accepted sum of the parts' sizes.
                max_bytes: ::std::option::Option<u64>,
            },
            /// A JSON object.
            Json,
        }

        /// One alternative of a multipart body.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct Alternative {
            /// Its name (`file`, `link`).
            pub name: &'static str,
            /// Its parts.
            pub parts: &'static [Part],
        }

        /// A part of a multipart body.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct Part {
            /// Form field name.
            pub name: &'static str,
            /// A file (else text).
            pub file: bool,
            /// Must be sent.
            pub required: bool,
            /// Always this value.
            pub fixed: ::std::option::Option<&'static str>,
            /// Largest accepted file size.
            pub max_bytes: ::std::option::Option<u64>,
            /// Fewest accepted characters.
            pub min_length: ::std::option::Option<usize>,
            /// Most accepted characters.
            pub max_length: ::std::option::Option<usize>,
        }

        /// What a success answers.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct Response {
            /// Success status.
            pub status: u16,
            /// The body.
            pub kind: ResponseKind,
            /// A success status without a body.
            pub empty_status: ::std::option::Option<u16>,
            /// Where the answer reports each item's outcome, when it does.
            pub item_status: ::std::option::Option<::zoho_runtime::ItemStatus>,
            /// For a call on several items: the query parameter naming them.
            pub per_item: ::std::option::Option<&'static str>,
        }

        /// The body of a success.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum ResponseKind {
            /// A JSON object.
            Object,
            /// A JSON array.
            List,
            /// File content.
            Binary,
        }

        /// One row of a page's error table.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct ErrorRow {
            /// The code.
            pub code: &'static str,
            /// Its HTTP status.
            pub status: u16,
            /// The message, when the page has one.
            pub message: ::std::option::Option<&'static str>,
        }

        /// An error code as Zoho uses it across pages (`shared.yaml`'s `errors`).
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct ErrorCode {
            /// The code (`INVALID_MODULE`).
            pub code: &'static str,
            /// The HTTP status the pages give it.
            pub status: u16,
            /// Other statuses some page gives it.
            pub other_statuses: &'static [u16],
            /// What it means, in general.
            pub doc: &'static str,
        }

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
