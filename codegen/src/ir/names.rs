//! The names the generated code chooses itself, beside those the spec gives.
//!
//! Every Rust scope the generated crate fills from the spec also holds a few names of the
//! generator's own: a version's `Module` enumeration, every error enum's `Unhandled`, every
//! builder's `send`. They are listed here, once, per scope; the emitters print these names and
//! [`check`](super::check) refuses a spec name that would land on one of them.

/// The enumeration of a version's modules.
pub const MODULE_ENUM: &str = "Module";
/// The newtype of a custom module's API name, shared by `Module` and the module sets.
pub const CUSTOM_MODULE: &str = "CustomModule";
/// The catch-all variant of an enumeration, holding a value the crate does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";
/// The error variant holding a Zoho code the operation does not document.
pub const UNHANDLED_VARIANT: &str = "Unhandled";
/// The error variant holding a failure before or after Zoho's answer.
pub const REQUEST_VARIANT: &str = "Request";
/// The field of every object type holding the keys the spec does not list.
pub const EXTRA_FIELD: &str = "extra";
/// The static describing a version's server, beside the operations' statics.
pub const SERVER_STATIC: &str = "SERVER";

/// A name the generated code uses in some scope, and what it is there.
pub type Reserved = (&'static str, &'static str);

/// Modules at the crate root, beside one per product.
pub const CRATE_MODULES: &[Reserved] = &[
    ("client", "the module of `Client`"),
    ("model", "the module of the spec facts"),
    ("runtime", "the re-export of `zoho-runtime`"),
];

/// Methods of `Client`, beside one accessor per product version.
pub const CLIENT_METHODS: &[Reserved] = &[
    ("builder", "the method `Client::builder`"),
    ("concurrency", "the method `Client::concurrency`"),
    ("runtime", "the method `Client::runtime`"),
];

/// Methods of a version's entry point, beside one per operation.
pub const ENTRY_METHODS: &[Reserved] = &[("new", "the entry point's constructor `new`")];

/// Object fields, beside one per key.
pub const OBJECT_FIELDS: &[Reserved] = &[(EXTRA_FIELD, "the field keeping unlisted keys")];

/// Functions of an object sent in a request, beside one setter per key.
pub const REQUEST_OBJECT_METHODS: &[Reserved] =
    &[("new", "the request object's constructor `new`")];

/// Enumeration variants, beside one per known value.
pub const ENUM_VARIANTS: &[Reserved] = &[(UNKNOWN_VARIANT, "the variant of unknown values")];

/// Error variants, beside one per documented code.
pub const ERROR_VARIANTS: &[Reserved] = &[
    (UNHANDLED_VARIANT, "the variant of undocumented codes"),
    (
        REQUEST_VARIANT,
        "the variant of transport and input failures",
    ),
];

/// Fields, arguments and methods of an operation's request builder, beside one per parameter.
pub const BUILDER_MEMBERS: &[Reserved] = &[
    ("client", "the builder's field holding the client"),
    ("options", "the builder's field holding per-call options"),
    ("send", "the builder's method `send`"),
    ("timeout", "the builder's method `timeout`"),
    ("retry_policy", "the builder's method `retry_policy`"),
    ("minimal_scopes", "the builder's function `minimal_scopes`"),
    (
        "REQUIRED_SCOPES",
        "the builder's constant `REQUIRED_SCOPES`",
    ),
    ("pages", "the builder's method `pages`"),
    ("into_stream", "the builder's method `into_stream`"),
];

/// The member of a builder whose operation sends a body.
pub const BODY_MEMBER: Reserved = ("body", "the argument and field holding the request body");

/// Associated functions of a multipart body, beside one constructor per alternative.
pub const BODY_FUNCTIONS: &[Reserved] =
    &[("into_multipart", "the body's function `into_multipart`")];

/// The shortcuts to a body's one file alternative, which an alternative of the same name
/// replaces.
pub const FILE_SHORTCUTS: &[&str] = &["path", "bytes"];

/// Members of the struct of a multipart alternative with several inputs, beside one per part.
pub const ALTERNATIVE_MEMBERS: &[Reserved] = &[
    ("new", "the alternative's constructor `new`"),
    (
        "into_multipart",
        "the alternative's function `into_multipart`",
    ),
];

/// Members of a composite operation's builder.
pub const COMPOSITE_MEMBERS: &[Reserved] = &[
    (
        "first",
        "the composite builder's field holding its first step",
    ),
    ("send", "the builder's method `send`"),
    ("timeout", "the builder's method `timeout`"),
    ("retry_policy", "the builder's method `retry_policy`"),
    ("minimal_scopes", "the builder's function `minimal_scopes`"),
    (
        "REQUIRED_SCOPES",
        "the builder's constant `REQUIRED_SCOPES`",
    ),
];

/// Functions of the generated sample tests, beside one test per sample.
pub const SAMPLE_FUNCTIONS: &[Reserved] = &[
    ("round_trip", "the samples' helper `round_trip`"),
    ("assert_keeps", "the samples' helper `assert_keeps`"),
];
