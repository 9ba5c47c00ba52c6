//! The module enumeration of a version: the modules whose records can carry attachments.
//!
//! Typed per version, so a module a version does not support is a compile error (Bigin has no
//! `Leads`), with a `Custom` variant only where the page lists custom modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, code};
use crate::ident;
use crate::ir::{Api, ModuleEnum};

/// The modules file of a version (empty when the version has no modules).
pub fn file(api: &Api) -> TokenStream {
    match &api.modules {
        Some(modules) => module_enum(api, modules),
        None => quote!(),
    }
}

fn module_enum(api: &Api, modules: &ModuleEnum) -> TokenStream {
    let variants = modules.variants.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        let doc = Doc::default()
            .markdown(format!(
                "{} (API name {}, scope name {}).",
                module.display,
                code(&module.api_name),
                code(&module.scope)
            ))
            .note(module.note.as_deref())
            .tokens();
        quote!(#doc #variant,)
    });
    let custom_variant = modules.custom.as_ref().map(|custom| {
        let variant = ident::ident(&custom.variant);
        let doc = Doc::default()
            .markdown(format!(
                "A custom module, named by its API name (scope name {}).",
                code(&custom.scope)
            ))
            .note(custom.note.as_deref())
            .tokens();
        quote!(#doc #variant(CustomModule),)
    });
    let api_names = modules.variants.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        let api_name = &module.api_name;
        quote!(Self::#variant => #api_name,)
    });
    let displays = modules.variants.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        let display = &module.display;
        quote!(Self::#variant => #display,)
    });
    let scopes = modules.variants.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        let scope = &module.scope;
        quote!(Self::#variant => #scope,)
    });
    let parses = modules.variants.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        let api_name = &module.api_name;
        quote!(#api_name => ::std::option::Option::Some(Self::#variant),)
    });
    let all = modules.variants.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        quote!(Self::#variant)
    });
    let (custom_api, custom_display, custom_scope, custom_ctor, copy) = match &modules.custom {
        Some(custom) => {
            let variant = ident::ident(&custom.variant);
            let scope = &custom.scope;
            (
                quote!(Self::#variant(custom) => &custom.0,),
                quote!(Self::#variant(custom) => &custom.0,),
                quote!(Self::#variant(_) => #scope,),
                quote! {
                    /// A custom module by its API name, as Zoho's module settings show it.
                    ///
                    /// The API name of a module listed above gives that module, with its own
                    /// scope name, so `custom` cannot stand in for a built-in module by mistake.
                    pub fn custom(api_name: impl ::std::convert::Into<::std::string::String>) -> Self {
                        let api_name = api_name.into();
                        Self::from_api_name(&api_name)
                            .unwrap_or(Self::#variant(CustomModule(api_name)))
                    }
                },
                quote!(),
            )
        }
        None => (quote!(), quote!(), quote!(), quote!(), quote!(Copy,)),
    };
    let custom_type = modules.custom.as_ref().map(|_| {
        quote! {
            /// The API name of a custom module, made by [`Module::custom`].
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            pub struct CustomModule(::std::string::String);

            impl CustomModule {
                /// The API name, sent as the path segment.
                pub fn api_name(&self) -> &str {
                    &self.0
                }
            }
        }
    });
    let built_in_doc = Doc::new(if modules.custom.is_some() {
        "Every module the page lists by name (custom modules excepted), in page order."
    } else {
        "Every module the page lists, in page order."
    })
    .tokens();
    let example = modules
        .variants
        .iter()
        .find(|module| module.api_name != module.display)
        .or(modules.variants.first())
        .map(|module| {
            format!(
                "The built-in module with this API name (`{:?}` gives [`Module::{}`]), if any.",
                module.api_name, module.variant
            )
        })
        .unwrap_or_else(|| "The built-in module with this API name, if any.".to_owned());
    let example = Doc::default().markdown(example).tokens();
    // Without a custom variant every name is a literal, and callers may keep it.
    let name_ref = if modules.custom.is_none() {
        quote!(&'static str)
    } else {
        quote!(&str)
    };
    let doc = Doc::default()
        .markdown(format!(
            "The modules {} {} supports for attachments, from the page's \"Supported modules\".",
            api.product_name, api.version
        ))
        .markdown(
            "A variant's API name is its path segment; its scope name goes into scopes such as \
             `…modules.{module}.READ`.",
        )
        .source(&api.source)
        .tokens();
    quote! {
        #doc
        #[derive(Clone, #copy Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Module {
            #(#variants)*
            #custom_variant
        }

        impl Module {
            #built_in_doc
            pub const BUILT_IN: &'static [Module] = &[#(#all),*];

            #custom_ctor

            /// The API name, sent as the path segment.
            pub fn api_name(&self) -> #name_ref {
                match self {
                    #(#api_names)*
                    #custom_api
                }
            }

            /// The display name, as the page writes it.
            pub fn display_name(&self) -> #name_ref {
                match self {
                    #(#displays)*
                    #custom_display
                }
            }

            /// The lower-case name used in scopes.
            pub fn scope_name(&self) -> &'static str {
                match self {
                    #(#scopes)*
                    #custom_scope
                }
            }

            #example
            pub fn from_api_name(api_name: &str) -> ::std::option::Option<Self> {
                match api_name {
                    #(#parses)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        #custom_type

        impl ::std::fmt::Display for Module {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.api_name())
            }
        }
    }
}
