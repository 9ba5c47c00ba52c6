//! The rules of `zoho-codegen diff`: one stable id per kind of change, with what it does to users
//! of the generated crate.
//!
//! A rule's level and semver bump are fixed, so the table in `spec/README.md` ("Reviewing a
//! change") says everything a reviewer needs; `zoho-codegen diff --rules` prints that table.

use super::semver::Bump;

/// How much a change can hurt users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing that compiles stops compiling or behaves differently in a way callers rely on.
    Info,
    /// Code still compiles, but a call may now behave differently (a limit, a URL, a value).
    PossiblyBreaking,
    /// Code that compiled may stop compiling, or a call now does something else.
    Breaking,
}

impl Level {
    /// Every level, most serious first.
    pub const ALL: [Level; 3] = [Level::Breaking, Level::PossiblyBreaking, Level::Info];

    /// The stable kebab-case name (`possibly-breaking`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::PossiblyBreaking => "possibly-breaking",
            Level::Breaking => "breaking",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares the rules: variant, id, level, semver bump and a one-line doc (the doc comment),
/// so the id, the table and the docs cannot drift apart.
macro_rules! rules {
    ($( #[doc = $doc:literal] $variant:ident = $id:literal, $level:ident, $bump:ident; )*) => {
        /// A kind of change between two specs. Ids are stable: never rename one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $( #[doc = $doc] $variant, )*
        }

        impl Rule {
            /// Every rule, in table order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable kebab-case id (`parameter-became-required`).
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// How much a change of this kind can hurt users of the crate.
            pub fn level(self) -> Level {
                match self { $(Rule::$variant => Level::$level,)* }
            }

            /// The version bump a change of this kind needs (see [`super::semver`]).
            pub fn bump(self) -> Bump {
                match self { $(Rule::$variant => Bump::$bump,)* }
            }

            /// One line saying what the change is and why it has its level.
            pub fn doc(self) -> &'static str {
                match self { $(Rule::$variant => $doc.trim(),)* }
            }
        }
    };
}

rules! {
    // The crate and the facts of shared.yaml.
    /// `crate.name` changed: every `Cargo.toml` that depends on the package by name breaks.
    CrateRenamed = "crate-renamed", Breaking, Major;
    /// `crate.version` changed; the semver verdict at the end of the report says whether it fits.
    CrateVersionChanged = "crate-version-changed", Info, None;
    /// A product was added to `shared.yaml`; with its first version comes the module `zoho_attachments::<product>`.
    ProductAdded = "product-added", Info, Minor;
    /// A product was removed from `shared.yaml`: its module `zoho_attachments::<product>` goes with its versions.
    ProductRemoved = "product-removed", Breaking, Major;
    /// A data centre was added: a new variant of `DataCenter`, which is `#[non_exhaustive]`, so matches keep compiling.
    DataCenterAdded = "data-center-added", Info, Minor;
    /// A data centre was removed: its `DataCenter` variant disappears and code naming it no longer compiles.
    DataCenterRemoved = "data-center-removed", Breaking, Major;
    /// A data centre's accounts server changed: `DataCenter::accounts_url` answers another URL, where tokens are issued and refreshed.
    DataCenterAccountsChanged = "data-center-accounts-changed", PossiblyBreaking, Minor;
    /// An environment was added: a new variant of the `#[non_exhaustive]` `Environment` enum.
    EnvironmentAdded = "environment-added", Info, Minor;
    /// An environment was removed: its `Environment` variant disappears and code naming it no longer compiles.
    EnvironmentRemoved = "environment-removed", Breaking, Major;
    /// Which environment is the default changed: clients built without `.environment(..)` reach other hosts.
    EnvironmentDefaultChanged = "environment-default-changed", PossiblyBreaking, Minor;
    /// A product version is now served in one more data centre or environment: calls there used to fail with `Error::InvalidInput`.
    HostAdded = "host-added", Info, Minor;
    /// A product version is no longer served in a data centre or environment: calls made there now fail with `Error::InvalidInput`.
    HostRemoved = "host-removed", Breaking, Major;
    /// A product version's origin in a data centre or environment changed: the same calls reach another server.
    HostChanged = "host-changed", PossiblyBreaking, Minor;
    /// A host set, or an origin of it, that no product version uses was added, removed or changed: no generated code changes.
    HostSetChanged = "host-set-changed", Info, Patch;
    /// Whether a token's `api_domain` replaces a host set's origins changed, for every version served from it.
    FollowsApiDomainChanged = "follows-api-domain-changed", PossiblyBreaking, Minor;
    /// The authorisation header or scheme changed; the runtime writes that header by hand, so check `zoho-runtime` agrees.
    AuthChanged = "auth-changed", PossiblyBreaking, Minor;
    /// A key of the error envelope changed; it documents `ServiceError`, which the runtime decodes by hand.
    ErrorEnvelopeChanged = "error-envelope-changed", Info, Patch;
    /// The catalogue of error codes in `shared.yaml` changed (a code added or removed, its statuses); operations change only through their own rows.
    ErrorCatalogueChanged = "error-catalogue-changed", Info, Patch;

    // Product versions (spec files) and their servers.
    /// A product version was added: a new module, entry-point type and `Client` accessor.
    ApiAdded = "api-added", Info, Minor;
    /// A product version was removed: its module, entry-point type and `Client` accessor disappear.
    ApiRemoved = "api-removed", Breaking, Major;
    /// A version's path prefix changed: every call reaches another URL; code compiles and does something else.
    ServerPrefixChanged = "server-prefix-changed", Breaking, Major;
    /// A version's `server` entry changed without changing where it is served (e.g. every data centre listed explicitly).
    ServerChanged = "server-changed", Info, Patch;

    // Modules and module sets.
    /// A module was added: a new variant of the version's `#[non_exhaustive]` `Module` enum (or the enum itself, or `Module::custom`).
    ModuleAdded = "module-added", Info, Minor;
    /// A module was removed: its `Module` variant disappears (or `Module::custom`, or the whole enum).
    ModuleRemoved = "module-removed", Breaking, Major;
    /// A module's display name changed while its API name stayed: its `Module` variant is renamed.
    ModuleRenamed = "module-renamed", Breaking, Major;
    /// A module became, or stopped being, the custom-module entry: the variant changes shape (`Custom(CustomModule)`).
    ModuleKindChanged = "module-kind-changed", Breaking, Major;
    /// A module's API name (its path segment) changed: the same variant reaches another URL and `from_api_name` maps differently.
    ModuleApiNameChanged = "module-api-name-changed", PossiblyBreaking, Minor;
    /// A module's scope name changed: `scope_name`, `minimal_scopes` and the scopes to consent to change.
    ModuleScopeChanged = "module-scope-changed", PossiblyBreaking, Minor;
    /// A module set was added: a new enum converting into `Module`.
    ModuleSetAdded = "module-set-added", Info, Minor;
    /// A module set was removed: its enum disappears.
    ModuleSetRemoved = "module-set-removed", Breaking, Major;
    /// A module joined a module set: a new variant of its `#[non_exhaustive]` enum.
    ModuleSetMemberAdded = "module-set-member-added", Info, Minor;
    /// A module left a module set: its variant disappears from the set's enum, and operations taking the set refuse it.
    ModuleSetMemberRemoved = "module-set-member-removed", Breaking, Major;

    // Types: objects (structs) and enumerations (enums).
    /// A type was added: a new struct or enum.
    TypeAdded = "type-added", Info, Minor;
    /// A type was removed: its struct or enum disappears.
    TypeRemoved = "type-removed", Breaking, Major;
    /// A type changed between object (`keys`) and enumeration (`values`): a struct became an enum or the reverse.
    TypeKindChanged = "type-kind-changed", Breaking, Major;
    /// A key was added to an object: a new public field of a `#[non_exhaustive]` struct (and a setter for request types).
    KeyAdded = "key-added", Info, Minor;
    /// A key that is not an `Option` was added to a type sent in requests: its constructor `new` gains an argument.
    RequiredKeyAdded = "required-key-added", Breaking, Major;
    /// A key was removed: its struct field (and setter) disappears.
    KeyRemoved = "key-removed", Breaking, Major;
    /// A key's Rust name changed (`rust_name`): its field is renamed.
    KeyRenamed = "key-renamed", Breaking, Major;
    /// A key's type changed: its field has another Rust type.
    KeyTypeChanged = "key-type-changed", Breaking, Major;
    /// A key became tolerant or stopped being (`tolerant`): its field changes from `T` to `Tolerant<T>` or back.
    KeyToleranceChanged = "key-tolerance-changed", Breaking, Major;
    /// A key became optional or nullable: its field changes from `T` to `Option<T>`.
    KeyBecameOptional = "key-became-optional", Breaking, Major;
    /// A key became required and not nullable: its field changes from `Option<T>` to `T`, and decoding fails without it.
    KeyBecameRequired = "key-became-required", Breaking, Major;
    /// A key's `required` or `nullable` changed without changing its Rust type (it stays an `Option`).
    KeyPresenceChanged = "key-presence-changed", Info, Patch;
    /// A struct now implements `Default` or `Eq`.
    DeriveAdded = "derive-added", Info, Minor;
    /// A struct no longer implements `Default` or `Eq` (a required date or enum, or a number, was added somewhere inside it).
    DeriveRemoved = "derive-removed", Breaking, Major;
    /// A type is now sent in a JSON body: it gains `new` and a setter per optional key.
    ConstructorAdded = "constructor-added", Info, Minor;
    /// A type is no longer sent in any JSON body: its `new` and setters disappear.
    ConstructorRemoved = "constructor-removed", Breaking, Major;
    /// An enumeration value was added: a new variant of a `#[non_exhaustive]` enum (it used to arrive as `Unknown`).
    EnumValueAdded = "enum-value-added", Info, Minor;
    /// An enumeration value was removed: its variant disappears (the value now arrives as `Unknown`).
    EnumValueRemoved = "enum-value-removed", Breaking, Major;
    /// An enumeration value's variant name changed: the variant is renamed.
    EnumVariantRenamed = "enum-variant-renamed", Breaking, Major;
    /// A variant's wire value changed: the same variant is sent and recognised as another value.
    EnumValueChanged = "enum-value-changed", PossiblyBreaking, Minor;
    /// An enumeration changed between integer and string values: `value()` and `from_value` change type.
    EnumKindChanged = "enum-kind-changed", Breaking, Major;

    // Things shared by keys, parameters and parts.
    /// A parameter, key or part is sent or read under another wire name while its Rust name stayed: code compiles, the wire changes.
    WireNameChanged = "wire-name-changed", PossiblyBreaking, Minor;
    /// A value the crate sends by itself changed: a fixed multipart part (`value`), also one that became an optional input the crate no longer sends unless asked, or a key's `default`.
    FixedValueChanged = "fixed-value-changed", PossiblyBreaking, Minor;
    /// A limit became stricter (a new limit, a smaller maximum, a larger minimum): values accepted before are refused before sending.
    LimitTightened = "limit-tightened", PossiblyBreaking, Minor;
    /// A limit became looser or was removed: values refused before are now sent.
    LimitRelaxed = "limit-relaxed", Info, Patch;
    /// Entries were reordered without other effect: docs, `ALL`/`BUILT_IN` constants, declaration order, the order keys or parts are sent.
    OrderChanged = "order-changed", Info, Patch;
    /// A variant of an enum without fields (`DataCenter`, `Environment`, a `Module` or module set without `Custom`) has another position, or the enum gained a variant with a field: `Variant as isize` gives another number, or no longer compiles.
    DiscriminantChanged = "discriminant-changed", Breaking, Major;

    // Operations.
    /// An operation was added: a new method on the entry-point type, a request builder and an error enum.
    OperationAdded = "operation-added", Info, Minor;
    /// An operation was removed: its method, request builder and error enum disappear.
    OperationRemoved = "operation-removed", Breaking, Major;
    /// An operation was renamed (same method and path): its method, builder and error enum are renamed.
    OperationRenamed = "operation-renamed", Breaking, Major;
    /// An operation's HTTP method changed: the same call does something else on Zoho's side.
    MethodChanged = "method-changed", Breaking, Major;
    /// An operation's path changed: the same call reaches another endpoint.
    PathChanged = "path-changed", Breaking, Major;
    /// What an operation does to Zoho's records (its `effect`) changed: the `model` data and the fake server's behaviour; the typed API is the same.
    EffectChanged = "effect-changed", Info, Patch;
    /// A path parameter was renamed in the template without moving: the URL and the method are the same.
    PathParamRenamed = "path-param-renamed", Info, Patch;
    /// The required arguments of a method (or constructor) are in another order: calls compile only if the types differ, and may then mix values up.
    ArgumentOrderChanged = "argument-order-changed", Breaking, Major;
    /// A required argument's Rust name changed: argument names are not part of a Rust function's type, so callers are unaffected.
    ArgumentRenamed = "argument-renamed", Info, Patch;
    /// An optional input's Rust name changed: its builder method is renamed.
    SetterRenamed = "setter-renamed", Breaking, Major;
    /// A required parameter was added: the method gains an argument.
    RequiredParamAdded = "required-param-added", Breaking, Major;
    /// An optional parameter was added: the request builder gains a method.
    OptionalParamAdded = "optional-param-added", Info, Minor;
    /// A parameter was removed: an argument or builder method disappears.
    ParamRemoved = "param-removed", Breaking, Major;
    /// A query parameter became required: its builder method disappears and the method gains an argument.
    ParamBecameRequired = "param-became-required", Breaking, Major;
    /// A query parameter became optional: the method loses an argument and the builder gains a method.
    ParamBecameOptional = "param-became-optional", Breaking, Major;
    /// A parameter moved between the path and the query: its place in the method signature or builder changes.
    ParamLocationChanged = "param-location-changed", Breaking, Major;
    /// A parameter's type (or module set) changed: its argument or builder method takes another Rust type.
    ParamTypeChanged = "param-type-changed", Breaking, Major;

    // Request bodies.
    /// An operation gained a request body: the method gains a `body` argument.
    BodyAdded = "body-added", Breaking, Major;
    /// An operation lost its request body: the method loses its `body` argument.
    BodyRemoved = "body-removed", Breaking, Major;
    /// A request body's type changed (renamed, or multipart ↔ JSON): the `body` argument takes another type.
    BodyTypeChanged = "body-type-changed", Breaking, Major;
    /// A multipart body gained an alternative: a new constructor and variant of its `#[non_exhaustive]` enum.
    BodyAlternativeAdded = "body-alternative-added", Info, Minor;
    /// A multipart body lost an alternative: its constructor and variant disappear.
    BodyAlternativeRemoved = "body-alternative-removed", Breaking, Major;
    /// A multipart alternative changed between holding its one input and having a struct of its own: its constructor returns another type.
    BodyAlternativeShapeChanged = "body-alternative-shape-changed", Breaking, Major;
    /// A required multipart part was added: the alternative's constructor gains an argument.
    RequiredPartAdded = "required-part-added", Breaking, Major;
    /// An optional multipart part was added: the alternative's struct gains a method.
    OptionalPartAdded = "optional-part-added", Info, Minor;
    /// A multipart part was removed: a constructor argument or method disappears.
    PartRemoved = "part-removed", Breaking, Major;
    /// A multipart part became required: its method disappears and the constructor gains an argument.
    PartBecameRequired = "part-became-required", Breaking, Major;
    /// A multipart part became optional: the constructor loses an argument and a method appears.
    PartBecameOptional = "part-became-optional", Breaking, Major;
    /// A multipart part changed between file and text: its argument takes another type.
    PartTypeChanged = "part-type-changed", Breaking, Major;
    /// A multipart part became fixed (`value`), or stopped being fixed to become a required input: an argument disappears or appears.
    PartFixedChanged = "part-fixed-changed", Breaking, Major;

    // Scopes.
    /// An operation's scope rule demands more (a new group, fewer alternatives, fewer operation types): tokens that worked are refused.
    ScopeRequirementAdded = "scope-requirement-added", Breaking, Major;
    /// An operation's scope rule demands less (a group dropped, an alternative or operation type added).
    ScopeRequirementRelaxed = "scope-requirement-relaxed", Info, Patch;
    /// The narrowest operation type (the last listed) changed: `minimal_scopes` asks for other scopes.
    MinimalScopesChanged = "minimal-scopes-changed", PossiblyBreaking, Minor;

    // Answers.
    /// An answer changed between JSON object, JSON list and file: `send` returns another kind of value.
    ResponseKindChanged = "response-kind-changed", Breaking, Major;
    /// An answer's JSON type changed: `send` returns another type.
    ResponseTypeChanged = "response-type-changed", Breaking, Major;
    /// A body-less success now gives `None`, or no longer does: `send` returns `Option<T>` instead of `T`, or the reverse.
    ResponseOptionalityChanged = "response-optionality-changed", Breaking, Major;
    /// The body-less success changed (its status, or an empty value appeared or went) without changing `send`'s type.
    EmptyResponseChanged = "empty-response-changed", PossiblyBreaking, Minor;
    /// The documented success status changed; `send` accepts any 2xx, so only the docs and the fake server change.
    ResponseStatusChanged = "response-status-changed", Info, Patch;
    /// The content types a file answer lists changed: docs only.
    ContentTypesChanged = "content-types-changed", Info, Patch;
    /// Where or how an answer reports each item's outcome changed (added, removed, or its list, key or success value): calls that succeeded may now fail with an item's error, or the reverse.
    OutcomesChanged = "outcomes-changed", PossiblyBreaking, Minor;
    /// A call on several items now returns one outcome per item, or no longer does: `send` returns another type.
    PerItemOutcomesChanged = "per-item-outcomes-changed", Breaking, Major;
    /// An operation now pages: its builder gains `pages` and `into_stream`.
    PagingAdded = "paging-added", Info, Minor;
    /// An operation no longer pages: its builder loses `pages` and `into_stream`.
    PagingRemoved = "paging-removed", Breaking, Major;
    /// How an operation pages changed (keys or parameters): the stream asks for pages differently.
    PagingChanged = "paging-changed", PossiblyBreaking, Minor;

    // Errors.
    /// An error code was documented for an operation: a new variant of its `#[non_exhaustive]` error enum. It used to arrive as the opaque `Unhandled`, whose code is read only through `code()`, which answers the same: no match changes meaning.
    ErrorCodeAdded = "error-code-added", Info, Minor;
    /// An error code is no longer documented for an operation: its variant disappears, so matches naming it stop compiling (the code arrives as `Unhandled`).
    ErrorCodeRemoved = "error-code-removed", Breaking, Major;
    /// A code kept its variant but gained or lost a row of the page's error table: the variant's docs change.
    ErrorRowsChanged = "error-rows-changed", Info, Patch;
    /// An error row's HTTP status changed: the variant is chosen by code, so only docs change.
    ErrorStatusChanged = "error-status-changed", Info, Patch;

    // Composite operations.
    /// A composite operation's steps changed: its method takes the arguments of, and answers what, other operations do.
    CompositeStepsChanged = "composite-steps-changed", Breaking, Major;
    /// How a composite builds its second request changed (keys copied or set): the second call sends something else.
    CompositeFeedChanged = "composite-feed-changed", PossiblyBreaking, Minor;

    // Text.
    /// A documentation text changed (`doc`, `summary`, `title`, a message or resolution, a display name): rustdoc only.
    DocChanged = "doc-changed", Info, Patch;
    /// A `note`, `notes` or `unconfirmed` changed: rustdoc only.
    NoteChanged = "note-changed", Info, Patch;
    /// A `source` link changed: rustdoc only.
    SourceChanged = "source-changed", Info, Patch;
    /// A `provenance` or an error row's `recovered_from` changed: maintainers' text, never printed into the generated crate (a `recovered_from` that names another kind of source, or another address, is also `doc-changed`).
    ProvenanceChanged = "provenance-changed", Info, None;
    /// A sample request or response changed: docs, `model` data and the fake server's answers.
    SampleChanged = "sample-changed", Info, Patch;
}

impl Rule {
    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The rules as a Markdown table (rule, level, bump, meaning), for `--rules` and `spec/README.md`.
pub fn markdown_table() -> String {
    let mut table =
        String::from("| rule | level | bump | what it means |\n| --- | --- | --- | --- |\n");
    for rule in Rule::ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            rule.id(),
            rule.level(),
            rule.bump(),
            rule.doc().replace('|', "\\|")
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in Rule::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "duplicate rule id {id}");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id} is not kebab-case"
            );
            assert_eq!(Rule::from_id(id), Some(*rule));
            assert!(!rule.doc().is_empty(), "{id} has no doc");
        }
    }

    #[test]
    fn levels_and_bumps_agree() {
        for rule in Rule::ALL {
            match rule.level() {
                Level::Breaking => assert_eq!(rule.bump(), Bump::Major, "{rule}"),
                Level::PossiblyBreaking => assert_eq!(rule.bump(), Bump::Minor, "{rule}"),
                Level::Info => assert!(rule.bump() <= Bump::Minor, "{rule}"),
            }
        }
    }
}
