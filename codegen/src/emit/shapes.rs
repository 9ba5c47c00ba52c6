//! The Rust shapes an operation's inputs and answer take, shared by plain and composite
//! operations: what a parameter is taken as and stored as, and what `send` returns.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident;
use crate::ir::{EmptyYield, Operation, Param, ParamInput, ResponseKind};

/// How a parameter is taken as an argument, stored, and converted.
pub struct ParamShape {
    /// Type in the method signature.
    pub argument: TokenStream,
    /// Type stored in the builder.
    pub stored: TokenStream,
    /// Converts an argument expression into the stored type.
    pub convert: fn(TokenStream) -> TokenStream,
}

pub fn param_shape(param: &Param) -> ParamShape {
    match &param.input {
        ParamInput::Text => ParamShape {
            argument: quote!(impl ::std::convert::Into<::std::string::String>),
            stored: quote!(::std::string::String),
            convert: |value| quote!(#value.into()),
        },
        ParamInput::Integer => ParamShape {
            argument: quote!(i64),
            stored: quote!(i64),
            convert: |value| value,
        },
        ParamInput::Boolean => ParamShape {
            argument: quote!(bool),
            stored: quote!(bool),
            convert: |value| value,
        },
        ParamInput::Module(name) => {
            let module = ident::ident(name);
            ParamShape {
                argument: quote!(#module),
                stored: quote!(#module),
                convert: |value| value,
            }
        }
        ParamInput::IntegerList => ParamShape {
            argument: quote!(impl ::std::iter::IntoIterator<Item = i64>),
            stored: quote!(::std::vec::Vec<i64>),
            convert: |value| quote!(#value.into_iter().collect()),
        },
        ParamInput::TextList => ParamShape {
            argument: quote!(
                impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::std::string::String>>
            ),
            stored: quote!(::std::vec::Vec<::std::string::String>),
            convert: |value| quote!(#value.into_iter().map(::std::convert::Into::into).collect()),
        },
    }
}

/// The type `send` returns on success.
pub fn result_type(op: &Operation) -> TokenStream {
    if let Some(per_item) = op
        .response
        .outcomes
        .as_ref()
        .and_then(|outcomes| outcomes.per_item.as_ref())
    {
        let item = ident::ident(&per_item.item_type);
        let error = ident::ident(&op.error);
        return quote!(::zoho_runtime::Outcomes<#item, #error>);
    }
    let base = match &op.response.kind {
        ResponseKind::Object(name) => {
            let name = ident::ident(name);
            quote!(#name)
        }
        ResponseKind::List(name) => {
            let name = ident::ident(name);
            quote!(::std::vec::Vec<#name>)
        }
        ResponseKind::Binary { .. } => quote!(::zoho_runtime::Download),
    };
    match op.response.empty.as_ref().map(|empty| empty.yields) {
        Some(EmptyYield::None) => quote!(::std::option::Option<#base>),
        _ => base,
    }
}
