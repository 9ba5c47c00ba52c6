//! The module enumeration of a version: the modules whose records can carry attachments.
//!
//! Typed per version, so a module a version does not support is a compile error (Bigin has no
//! `Leads`), with a `Custom` variant only where the page lists custom modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, code};
use crate::ident;
use crate::ir::{Api, ModuleSet, ModuleVariant};

/// The modules file of a version (empty when the version has no modules): the `Module` enum
/// and one enum per module set.
pub fn file(api: &Api) -> TokenStream {
    let Some(modules) = &api.modules else {
        return quote!();
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
    let main = module_enum(
        "Module",
        doc,
        &modules.variants,
        modules.custom.as_ref(),
        "Every module the page lists by name (custom modules excepted), in page order.",
    );
    // One `CustomModule` per version, shared by `Module` and the sets that include custom modules.
    let custom_type = modules.custom.as_ref().map(|_| {
        quote! {
            /// The API name of a custom module, made by [`Module::custom`] (or a module set's
            /// `custom`).
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
    let sets = api.module_sets.values().map(module_set);
    quote! {
        #main
        #custom_type
        #(#sets)*
    }
}

/// A module set: its own enum, converting into `Module` and back.
fn module_set(set: &ModuleSet) -> TokenStream {
    let name = ident::ident(&set.name);
    let listed: Vec<String> = set
        .variants
        .iter()
        .map(|module| format!("[`Module::{}`]", module.variant))
        .collect();
    let custom_note = if set.custom.is_some() {
        " A custom module comes through [`Module::custom`]: \
         `PhotoModule::try_from(Module::custom(\"Vehicles__c\"))`."
            .replace("PhotoModule", &set.name)
    } else {
        String::new()
    };
    let doc = Doc::new(&set.doc)
        .markdown(format!(
            "A subset of [`Module`]: {}. It converts into a [`Module`], and a [`Module`] converts \
             into it when it is one of these.{custom_note}",
            listed.join(", ")
        ))
        .note(set.note.as_deref())
        .source(&set.source)
        .tokens();
    let body = module_enum(
        &set.name,
        doc,
        &set.variants,
        set.custom.as_ref(),
        "Every module of the set listed by name, in the order the spec lists them.",
    );
    let mut into: Vec<TokenStream> = set
        .variants
        .iter()
        .map(|module| {
            let variant = ident::ident(&module.variant);
            quote!(#name::#variant => Module::#variant,)
        })
        .collect();
    let mut from: Vec<TokenStream> = set
        .variants
        .iter()
        .map(|module| {
            let variant = ident::ident(&module.variant);
            quote!(Module::#variant => ::std::result::Result::Ok(#name::#variant),)
        })
        .collect();
    if let Some(custom) = &set.custom {
        let variant = ident::ident(&custom.variant);
        into.push(quote!(#name::#variant(custom) => Module::#variant(custom),));
        from.push(
            quote!(Module::#variant(custom) => ::std::result::Result::Ok(#name::#variant(custom)),),
        );
    }
    quote! {
        #body

        impl ::std::convert::From<#name> for Module {
            fn from(module: #name) -> Self {
                match module {
                    #(#into)*
                }
            }
        }

        impl ::std::convert::TryFrom<Module> for #name {
            type Error = Module;

            /// The set's module, or the module back when the set does not have it.
            fn try_from(module: Module) -> ::std::result::Result<Self, Module> {
                match module {
                    #(#from)*
                    other => ::std::result::Result::Err(other),
                }
            }
        }
    }
}

fn module_enum(
    name: &str,
    doc: TokenStream,
    variants_in: &[ModuleVariant],
    custom_in: Option<&ModuleVariant>,
    all_doc: &str,
) -> TokenStream {
    let enum_name = ident::ident(name);
    let variants = variants_in.iter().map(|module| {
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
    let custom_variant = custom_in.map(|custom| {
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
    let api_names = variants_in.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        let api_name = &module.api_name;
        quote!(Self::#variant => #api_name,)
    });
    let displays = variants_in.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        let display = &module.display;
        quote!(Self::#variant => #display,)
    });
    let scopes = variants_in.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        let scope = &module.scope;
        quote!(Self::#variant => #scope,)
    });
    let parses = variants_in.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        let api_name = &module.api_name;
        quote!(#api_name => ::std::option::Option::Some(Self::#variant),)
    });
    let all = variants_in.iter().map(|module| {
        let variant = ident::ident(&module.variant);
        quote!(Self::#variant)
    });
    // Only `Module` has `custom`: a set takes a custom module through `TryFrom<Module>`, so a
    // built-in name outside the set can never pass for a custom module.
    let has_constructor = name == "Module";
    let (custom_api, custom_display, custom_scope, custom_ctor, copy) = match custom_in {
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
    let custom_ctor_tokens = if has_constructor {
        custom_ctor
    } else {
        quote!()
    };
    let all_doc = Doc::new(all_doc).tokens();
    // `Module::BUILT_IN` (custom modules are not listed); a set lists `ALL` of its modules.
    let all_const = if name == "Module" {
        quote!(BUILT_IN)
    } else {
        quote!(ALL)
    };
    let example = variants_in
        .iter()
        .find(|module| module.api_name != module.display)
        .or(variants_in.first())
        .map(|module| {
            format!(
                "The module with this API name (`{:?}` gives [`{name}::{}`]), if any.",
                module.api_name, module.variant
            )
        })
        .unwrap_or_else(|| "The built-in module with this API name, if any.".to_owned());
    let example = Doc::default().markdown(example).tokens();
    // Without a custom variant every name is a literal, and callers may keep it.
    let name_ref = if custom_in.is_none() {
        quote!(&'static str)
    } else {
        quote!(&str)
    };
    quote! {
        #doc
        #[derive(Clone, #copy Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #enum_name {
            #(#variants)*
            #custom_variant
        }

        impl #enum_name {
            #all_doc
            pub const #all_const: &'static [#enum_name] = &[#(#all),*];

            #custom_ctor_tokens

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

        impl ::std::fmt::Display for #enum_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.api_name())
            }
        }
    }
}
