//! The root of a version module: docs, the entry-point type, the server table, re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{self, Doc, code};
use crate::ident;
use crate::ir::{Api, names};

/// `src/{product}/{version}/mod.rs`.
pub fn file(api: &Api) -> TokenStream {
    let entry = ident::ident(&api.entry_type);
    let accessor = &api.accessor;
    let served: Vec<String> = api
        .origins
        .iter()
        .map(|(id, origin)| format!("`{id}` `{origin}`"))
        .collect();
    let mut module_doc = Doc::default()
        .markdown(format!("# {}", docs::prose(&api.title)))
        .text(&api.doc)
        .markdown(format!(
            "Served under {} at: {}.",
            code(&api.prefix),
            served.join(", ")
        ));
    if !api.missing_data_centers.is_empty() {
        module_doc = module_doc.markdown(format!(
            "No host is documented for: {}; use [`ClientBuilder::base_url`](zoho_runtime::ClientBuilder::base_url) there.",
            api.missing_data_centers.join(", ")
        ));
    }
    let operations: Vec<String> = api
        .operations
        .values()
        .map(|op| {
            // Not `[link]: text`: with a one-word text, that is a link reference definition.
            format!(
                "- [`{}::{}`] — {}",
                api.entry_type,
                ident::spelling(&op.name),
                docs::prose(op.summary.trim())
            )
        })
        .collect();
    let module_doc = module_doc
        .markdown(format!("Operations:\n{}", operations.join("\n")))
        .notes(&api.notes)
        .markdown(format!(
            "[Zoho documentation]({}). Generated from `spec/{}`.",
            api.source, api.spec_file
        ))
        .inner_tokens();

    let has_modules = api.modules.is_some();
    let has_bodies = !api.bodies.is_empty();
    let modules_mod = has_modules.then(|| {
        quote!(
            mod modules;
        )
    });
    let modules_use = api.modules.as_ref().map(|modules| {
        let mut names: Vec<String> = vec!["Module".to_owned()];
        if modules.custom.is_some() {
            names.push(names::CUSTOM_MODULE.to_owned());
        }
        names.extend(api.module_sets.keys().cloned());
        names.sort();
        let names = names.iter().map(|name| ident::ident(name));
        quote!(pub use modules::{#(#names),*};)
    });
    let bodies_mod = has_bodies.then(|| {
        quote!(
            mod bodies;
        )
    });
    let bodies_use = has_bodies.then(|| {
        quote!(
            pub use bodies::*;
        )
    });
    let origins = api
        .origins
        .iter()
        .map(|(id, origin)| quote!((#id, #origin)));
    let prefix = &api.prefix;
    let follows_api_domain = api.follows_api_domain;
    let environments = api
        .environment_origins
        .iter()
        .map(|(environment, center, origin)| quote!((#environment, #center, #origin)));
    let entry_doc = Doc::default()
        .markdown(format!(
            "The operations of {}: get one with [`Client::{accessor}`](crate::Client::{accessor}).",
            docs::prose(&api.title)
        ))
        .markdown("Cheap to clone; every operation returns a request builder.")
        .tokens();
    quote! {
        #module_doc

        #bodies_mod
        mod errors;
        #modules_mod
        mod operations;
        mod types;

        #bodies_use
        pub use errors::*;
        #modules_use
        pub use operations::*;
        pub use types::*;

        #entry_doc
        #[derive(Clone, Debug)]
        pub struct #entry {
            client: crate::Client,
        }

        impl #entry {
            pub(crate) fn new(client: crate::Client) -> Self {
                Self { client }
            }
        }

        /// Where this version is served: its path prefix and an origin per data centre.
        pub(crate) static SERVER: ::zoho_runtime::Server = ::zoho_runtime::Server {
            prefix: #prefix,
            origins: &[#(#origins),*],
            follows_api_domain: #follows_api_domain,
            environments: &[#(#environments),*],
        };
    }
}
