//! The crate root, the client with its data centres, and the product modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{self, Doc, code};
use super::example;
use crate::ident;
use crate::ir::{Crate, Product};

/// The crate's Cargo features, as `templates/cargo.toml` declares them.
const FEATURES: &str = "\
# Features

- `ring` (default): TLS cryptography by ring, the lighter build.
- `aws-lc-rs`: TLS cryptography by AWS-LC instead; use it with `default-features = false`.
- `http2`: HTTP/2 where the server offers it; HTTP/1.1 otherwise and by default.

A rustls crypto provider the application installed is always the one used. Call
[`runtime::ensure_crypto_provider`] before building a `reqwest::Client` of your own for
[`ClientBuilder::http_client`].";

/// `src/lib.rs`.
pub fn lib(krate: &Crate) -> TokenStream {
    let client_exports = if krate.environments.is_empty() {
        quote!(
            pub use client::{Client, DataCenter};
        )
    } else {
        quote!(
            pub use client::{Client, DataCenter, Environment};
        )
    };
    let doc = Doc::default()
        .text(&krate.doc)
        .markdown(example::rustdoc(krate))
        .markdown(FEATURES.to_owned())
        .inner_tokens();
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

        #client_exports
        /// The hand-written runtime this crate calls: HTTP, auth, errors, multipart streaming.
        pub use zoho_runtime as runtime;
        #[rustfmt::skip]
        pub use zoho_runtime::{
            AccessToken, BuildError, CallOptions, ClientBuilder, Download, Error, FilePart,
            FileTokenStore, MemoryTokenStore, RefreshToken, RetryPolicy, ScopeRule, ServiceError,
            StaticToken, StoredToken, TokenSource, TokenStore, Tolerant,
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
    let environment = environment_enum(krate);
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

            /// How many calls may be in flight at once now, when the client was built with
            /// [`max_concurrency`](::zoho_runtime::ClientBuilder::max_concurrency): lower than
            /// that for a while after Zoho answered `429 TOO_MANY_REQUESTS`.
            pub fn concurrency(&self) -> ::std::option::Option<usize> {
                self.runtime.concurrency()
            }

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

        #environment

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

/// The environments of an organisation, when the spec names them.
fn environment_enum(krate: &Crate) -> TokenStream {
    if krate.environments.is_empty() {
        return quote!();
    }
    let variants = krate.environments.iter().map(|environment| {
        let variant = ident::ident(&environment.variant);
        let doc = Doc::new(&environment.doc);
        let doc = if environment.default {
            doc.markdown("The default: each data centre's usual hosts.")
        } else {
            doc.markdown(environment_hosts_doc(krate, &environment.id))
        }
        .tokens();
        quote!(#doc #variant,)
    });
    let conversions = krate.environments.iter().map(|environment| {
        let variant = ident::ident(&environment.variant);
        let id = &environment.id;
        let name = &environment.name;
        let default = environment.default;
        quote! {
            Environment::#variant => ::zoho_runtime::Environment {
                id: #id,
                name: #name,
                is_default: #default,
            },
        }
    });
    quote! {
        /// An environment of a Zoho organisation; set it with
        /// [`ClientBuilder::environment`](::zoho_runtime::ClientBuilder::environment).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Environment {
            #(#variants)*
        }

        impl ::std::convert::From<Environment> for ::zoho_runtime::Environment {
            fn from(environment: Environment) -> Self {
                match environment {
                    #(#conversions)*
                }
            }
        }
    }
}

/// Where a non-default environment has hosts, e.g. "Hosts are documented for Zoho CRM v8
/// (us).", so users know before calling which operations will be refused.
fn environment_hosts_doc(krate: &Crate, environment: &str) -> String {
    let served: Vec<String> = krate
        .products
        .values()
        .flat_map(|product| product.apis.values())
        .filter_map(|api| {
            let centers: Vec<&str> = api
                .environment_origins
                .iter()
                .filter(|(env, _, _)| env == environment)
                .map(|(_, center, _)| center.as_str())
                .collect();
            (!centers.is_empty()).then(|| {
                format!(
                    "{} {} ({})",
                    api.product_name,
                    api.version,
                    centers.join(", ")
                )
            })
        })
        .collect();
    let refused = "Any other operation, or data centre, fails with \
         [`Error::InvalidInput`](::zoho_runtime::Error::InvalidInput) rather than reaching \
         production.";
    if served.is_empty() {
        "No product version documents hosts for it yet: every operation fails with \
         [`Error::InvalidInput`](::zoho_runtime::Error::InvalidInput)."
            .to_owned()
    } else {
        format!("Hosts are documented for {}. {refused}", served.join(", "))
    }
}

/// `src/{product}/mod.rs`.
pub fn product(product: &Product) -> TokenStream {
    let versions: Vec<String> = product
        .apis
        .values()
        .map(|api| format!("- [`{}`] — {}", api.module, docs::prose(&api.title)))
        .collect();
    let doc = Doc::default()
        .markdown(format!("# {}", docs::prose(&product.name)))
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
