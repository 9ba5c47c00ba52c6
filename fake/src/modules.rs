//! Which modules an operation accepts, read from the model's modules and module sets.

use zoho_attachments::model::{APIS, Api, ParamKind};

/// A module accepted by an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// The API name, canonical case (`Leads`), or the registered custom module's name.
    pub(crate) api_name: String,
    /// The scope name (`leads`, `custom`) for the operation's scope rule.
    pub(crate) scope: &'static str,
}

/// Why a module is refused; each maps to one of the pages' `INVALID_MODULE` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No module of the product version has this name ("seems to be invalid").
    Unknown,
    /// A module of the product version, but not one this operation supports ("not supported").
    NotSupported,
}

impl Refusal {
    /// Words of the matching row's message, to pick it among the page's rows.
    pub(crate) fn hint(self) -> &'static str {
        match self {
            Refusal::Unknown => "seems to be invalid",
            Refusal::NotSupported => "not supported",
        }
    }
}

/// Resolves the module path segment `name` for a parameter of kind `Module(set)`.
///
/// Names are compared ignoring ASCII case. A registered custom module is accepted where
/// the version has a custom entry (`api_name: None`) and the set includes it.
pub(crate) fn resolve(
    api: &Api,
    kind: ParamKind,
    name: &str,
    custom: &[String],
) -> Result<Resolved, Refusal> {
    let ParamKind::Module(set) = kind else {
        return Err(Refusal::Unknown);
    };
    let allowed = |display: &str| match set {
        None => true,
        Some(set) => api
            .module_sets
            .iter()
            .find(|candidate| candidate.name == set)
            .is_some_and(|set| set.modules.contains(&display)),
    };
    if let Some(module) = api.modules.iter().find(|module| {
        module
            .api_name
            .is_some_and(|api_name| api_name.eq_ignore_ascii_case(name))
    }) {
        return if allowed(module.display) {
            Ok(Resolved {
                api_name: module.api_name.unwrap_or(name).to_owned(),
                scope: module.scope,
            })
        } else {
            Err(Refusal::NotSupported)
        };
    }
    let Some(registered) = custom
        .iter()
        .find(|custom| custom.eq_ignore_ascii_case(name))
    else {
        return Err(Refusal::Unknown);
    };
    match api.modules.iter().find(|module| module.api_name.is_none()) {
        Some(entry) if allowed(entry.display) => Ok(Resolved {
            api_name: registered.clone(),
            scope: entry.scope,
        }),
        Some(_) => Err(Refusal::NotSupported),
        None => Err(Refusal::Unknown),
    }
}

/// The canonical spelling of a module API name in any version of `product`.
pub(crate) fn canonical_name(product: &str, name: &str) -> Option<String> {
    APIS.iter()
        .filter(|api| api.product == product)
        .flat_map(|api| api.modules.iter())
        .filter_map(|module| module.api_name)
        .find(|api_name| api_name.eq_ignore_ascii_case(name))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use zoho_attachments::model::api;

    use super::*;

    fn photo_kind() -> ParamKind {
        ParamKind::Module(Some("PhotoModule"))
    }

    #[test]
    fn modules_and_sets_come_from_the_model() {
        let v8 = api("crm", "v8").unwrap();
        let all = ParamKind::Module(None);
        assert_eq!(
            resolve(v8, all, "price_books", &[]),
            Ok(Resolved {
                api_name: "Price_Books".into(),
                scope: "pricebooks"
            })
        );
        assert_eq!(resolve(v8, all, "Widgets", &[]), Err(Refusal::Unknown));
        // Deals has no photo to download, though it is a CRM module.
        assert_eq!(
            resolve(v8, photo_kind(), "Deals", &[]),
            Err(Refusal::NotSupported)
        );
        assert!(
            resolve(
                v8,
                ParamKind::Module(Some("PhotoUploadModule")),
                "Deals",
                &[]
            )
            .is_ok()
        );
    }

    #[test]
    fn custom_modules_need_registering_and_a_custom_entry() {
        let custom = vec!["Shipments__c".to_owned()];
        let v8 = api("crm", "v8").unwrap();
        assert_eq!(
            resolve(v8, photo_kind(), "shipments__c", &custom),
            Ok(Resolved {
                api_name: "Shipments__c".into(),
                scope: "custom"
            })
        );
        assert_eq!(
            resolve(v8, ParamKind::Module(None), "Other__c", &custom),
            Err(Refusal::Unknown)
        );
        // Bigin has no custom modules in the spec.
        let bigin = api("bigin", "v2").unwrap();
        assert_eq!(
            resolve(bigin, ParamKind::Module(None), "Shipments__c", &custom),
            Err(Refusal::Unknown)
        );
    }
}
