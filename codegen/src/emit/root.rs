//! The crate root, the client with its data centres, and the product modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, code};
use crate::ident;
use crate::ir::{Crate, Product};

/// `src/lib.rs`.
pub fn lib(krate: &Crate) -> TokenStream {
    let doc = Doc::default().markdown(krate.doc.trim()).inner_tokens();
    // prettyplease formats the modules when they are generated; rustfmt is told to leave them.
    let products = krate.products.keys().map(|id| {
        let module = ident::ident(id);
        quote!(#[rustfmt::skip] pub mod #module;)
    });
    quote! {
        #doc
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod model;
        #(#products)*

        pub use client::{Client, DataCenter};
        /// The hand-written runtime this crate calls: HTTP, auth, errors, multipart streaming.
        pub use zoho_runtime as runtime;
        #[rustfmt::skip]
        pub use zoho_runtime::{
            AccessToken, BuildError, CallOptions, ClientBuilder, Download, Error, FilePart,
            FileTokenStore, MemoryTokenStore, RefreshToken, RetryPolicy, ScopeRule, ServiceError,
            StaticToken, StoredToken, TokenSource, TokenStore,
        };
    }
}

/// `src/client.rs`.
pub fn client(krate: &Crate) -> TokenStream {
    let accessors = krate.products.values().flat_map(|product| {
        product.apis.values().map(move |api| {
            let accessor = ident::ident(&api.accessor);
            let product_module = ident::ident(&product.id);
            let version_module = ident::ident(&api.module);
            let entry = ident::ident(&api.entry_type);
            let doc = Doc::default()
                .markdown(format!(
                    "{}: the operations of [`{}::{}`](crate::{}::{}).",
                    api.title, product.id, api.module, product.id, api.module
                ))
                .tokens();
            quote! {
                #doc
                pub fn #accessor(&self) -> crate::#product_module::#version_module::#entry {
                    crate::#product_module::#version_module::#entry::new(self.clone())
                }
            }
        })
    });
    let centers = &krate.data_centers;
    let variants = centers.iter().map(|center| {
        let variant = ident::ident(&center.variant);
        let doc = Doc::default()
            .markdown(format!(
                "{} (accounts server `{}`).",
                center.name, center.accounts
            ))
            .tokens();
        quote!(#doc #variant,)
    });
    let all = centers.iter().map(|center| {
        let variant = ident::ident(&center.variant);
        quote!(Self::#variant)
    });
    let ids = centers.iter().map(|center| {
        let variant = ident::ident(&center.variant);
        let id = &center.id;
        quote!(Self::#variant => #id,)
    });
    let names = centers.iter().map(|center| {
        let variant = ident::ident(&center.variant);
        let name = &center.name;
        quote!(Self::#variant => #name,)
    });
    let accounts = centers.iter().map(|center| {
        let variant = ident::ident(&center.variant);
        let url = &center.accounts;
        quote!(Self::#variant => #url,)
    });
    // An accessor that exists in this crate, for the example link.
    let example = krate
        .products
        .values()
        .flat_map(|product| product.apis.values())
        .last()
        .map(|api| format!(", e.g. [`Client::{}`]", api.accessor))
        .unwrap_or_default();
    let auth_doc = Doc::default()
        .markdown("A Zoho client: one per application, cheap to clone and to share between tasks.")
        .markdown(format!(
            "Build it with a data centre and a token, then reach a product version through its \
             accessor{example}."
        ))
        .text(&krate.auth_doc)
        .tokens();
    let ids_doc = Doc::default()
        .markdown(format!(
            "Its short id ({}).",
            centers
                .iter()
                .map(|center| code(&center.id))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .tokens();
    quote! {
        #auth_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            runtime: ::zoho_runtime::Client,
        }

        impl Client {
            /// Starts building a client: set a data centre (or a base URL) and a token source.
            pub fn builder() -> ::zoho_runtime::ClientBuilder<Client> {
                ::zoho_runtime::ClientBuilder::new()
            }

            #(#accessors)*

            pub(crate) fn runtime(&self) -> &::zoho_runtime::Client {
                &self.runtime
            }
        }

        impl ::std::convert::From<::zoho_runtime::Client> for Client {
            fn from(runtime: ::zoho_runtime::Client) -> Self {
                Self { runtime }
            }
        }

        /// A Zoho data centre: where an organisation's data, accounts server and API hosts are.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum DataCenter {
            #(#variants)*
        }

        impl DataCenter {
            /// Every data centre, in the spec's order.
            pub const ALL: &'static [DataCenter] = &[#(#all),*];

            #ids_doc
            pub const fn id(self) -> &'static str {
                match self {
                    #(#ids)*
                }
            }

            /// Its display name.
            pub const fn name(self) -> &'static str {
                match self {
                    #(#names)*
                }
            }

            /// The accounts server that issues and refreshes tokens for it.
            pub const fn accounts_url(self) -> &'static str {
                match self {
                    #(#accounts)*
                }
            }
        }

        impl ::std::convert::From<DataCenter> for ::zoho_runtime::Region {
            fn from(center: DataCenter) -> Self {
                ::zoho_runtime::Region {
                    id: center.id(),
                    name: center.name(),
                    accounts_url: center.accounts_url(),
                }
            }
        }
    }
}

/// `src/{product}/mod.rs`.
pub fn product(product: &Product) -> TokenStream {
    let versions: Vec<String> = product
        .apis
        .values()
        .map(|api| format!("- [`{}`]: {}", api.module, api.title))
        .collect();
    let doc = Doc::default()
        .markdown(format!("# {}", product.name))
        .text(&product.doc)
        .markdown(format!("Versions:\n{}", versions.join("\n")))
        .source(&product.source)
        .inner_tokens();
    let modules = product.apis.keys().map(|module| {
        let module = ident::ident(module);
        quote!(pub mod #module;)
    });
    quote! {
        #doc

        #(#modules)*
    }
}
