//! A [`Report`](super::Report) as text, Markdown, JSON or GitHub workflow commands; one module
//! per format, each a pure function of the report.

pub mod github;
pub mod json;
pub mod markdown;
pub mod text;
