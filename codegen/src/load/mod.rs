//! Reading `spec/` into the model, keeping where every value came from.
//!
//! A file that is not YAML stops there, but within a valid file each operation, type and module is
//! decoded on its own, so one misspelt key does not hide the problems in the others.

pub mod model;
pub mod parsed;
pub mod type_expr;
pub mod yaml;

use std::fs;
use std::path::Path as FsPath;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use self::model::{ApiSpec, SharedSpec};
use self::yaml::{DecodeError, Location, Node, Path, Segment, SourceMap, Text};
use crate::diag::{Code, Diagnostic, suggestion};
use crate::parallel;

/// The name of the file holding the facts shared by every product.
pub const SHARED_FILE: &str = "shared.yaml";

/// A decoded file and what is needed to point into it.
#[derive(Debug, Clone)]
pub struct SpecFile<T> {
    /// The path as the user would type it (`spec/crm-v7.yaml`).
    pub display_path: String,
    /// The file name alone (`crm-v7.yaml`).
    pub file_name: String,
    /// Locations of its nodes.
    pub map: SourceMap,
    /// Every string of the file, keys and values, with its path.
    pub texts: Arc<Vec<Text>>,
    /// The content.
    pub spec: T,
}

impl<T> SpecFile<T> {
    /// A diagnostic located at the value under `path`.
    pub fn at(&self, path: &[Segment], code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(
            self.display_path.clone(),
            self.map.value(path),
            code,
            message,
        )
    }

    /// A diagnostic located at the key of the entry under `path`.
    pub fn at_key(&self, path: &[Segment], code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.display_path.clone(), self.map.key(path), code, message)
    }
}

/// Every file of a spec folder, decoded.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// `shared.yaml`.
    pub shared: SpecFile<SharedSpec>,
    /// One per product/version, sorted by file name.
    pub apis: Vec<SpecFile<ApiSpec>>,
}

/// Whether a spec file name is plain ASCII (`crm-v2.1.yaml`).
fn is_plain_file_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The most a spec file may hold: 4 MiB, some 75 times the largest real one (`crm-v8.yaml`, 54 KB).
/// A larger file is refused after reading this much and one byte more.
pub const MAX_FILE_BYTES: usize = 4 << 20;

/// Why a spec file was not read.
#[derive(Debug)]
enum ReadProblem {
    /// Not a regular file: what it is instead.
    NotAFile(&'static str, &'static str),
    /// Larger than [`MAX_FILE_BYTES`]; where the first byte past the cap is.
    TooLarge(Location),
    /// Not UTF-8 text: the first invalid byte and where it is.
    NotUtf8(u8, Location),
    /// The operating system's error.
    Io(std::io::Error),
}

impl ReadProblem {
    fn diagnostic(self, display_path: String) -> Diagnostic {
        match self {
            ReadProblem::NotAFile(what, hint) => Diagnostic::new(
                display_path,
                None,
                Code::Io,
                format!("not read: {what}; a spec file must be a regular file"),
            )
            .with_hint(hint),
            ReadProblem::TooLarge(at) => Diagnostic::new(
                display_path,
                Some(at),
                Code::Io,
                format!(
                    "not read past here: the file is larger than {} MiB ({MAX_FILE_BYTES} bytes), the most a spec file may hold",
                    MAX_FILE_BYTES >> 20
                ),
            )
            .with_hint("real spec files are a few dozen KB; is this the file you meant?"),
            ReadProblem::NotUtf8(byte, at) => Diagnostic::new(
                display_path,
                Some(at),
                Code::Io,
                format!("the byte 0x{byte:02X} is not UTF-8; a spec file is UTF-8 text"),
            )
            .with_hint("save the file as UTF-8"),
            ReadProblem::Io(error) => Diagnostic::new(
                display_path,
                None,
                Code::Io,
                format!("cannot read: {error}"),
            ),
        }
    }
}

/// Reads a spec file: a regular file (not a symbolic link, folder, FIFO, socket or device) of at
/// most [`MAX_FILE_BYTES`] of UTF-8. What the entry is, is asked without following a link or
/// opening it (opening a FIFO waits for a writer), and asked again of the opened file.
fn read_spec_file(path: &FsPath) -> Result<String, ReadProblem> {
    use std::io::Read;

    let metadata = fs::symlink_metadata(path).map_err(ReadProblem::Io)?;
    if let Some(problem) = not_a_file(&metadata.file_type()) {
        return Err(problem);
    }
    let file = fs::File::open(path).map_err(ReadProblem::Io)?;
    // The entry may have been replaced between the two looks.
    let opened = file.metadata().map_err(ReadProblem::Io)?;
    if let Some(problem) = not_a_file(&opened.file_type()) {
        return Err(problem);
    }
    let mut bytes = Vec::with_capacity(
        usize::try_from(opened.len())
            .unwrap_or(0)
            .min(MAX_FILE_BYTES + 1),
    );
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadProblem::TooLarge(yaml::locate_byte(
            &bytes,
            MAX_FILE_BYTES,
        )));
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        ReadProblem::NotUtf8(bytes[offset], yaml::locate_byte(bytes, offset))
    })
}

/// What a directory entry is when it is not a regular file, and what to do about it.
fn not_a_file(kind: &fs::FileType) -> Option<ReadProblem> {
    let (what, hint) = if kind.is_file() {
        return None;
    } else if kind.is_symlink() {
        (
            "it is a symbolic link",
            "links are not followed, so a spec folder cannot make the generator read files outside it; copy the file instead",
        )
    } else if kind.is_dir() {
        (
            "it is a folder",
            "rename the folder so its name does not end in `.yaml`",
        )
    } else {
        (special_kind(kind), "remove it from the spec folder")
    };
    Some(ReadProblem::NotAFile(what, hint))
}

#[cfg(unix)]
fn special_kind(kind: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "it is a FIFO (named pipe)"
    } else if kind.is_socket() {
        "it is a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "it is a device"
    } else {
        "it is not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &fs::FileType) -> &'static str {
    "it is not a regular file"
}

/// Reads and decodes every `*.yaml` file of `dir`; reports every problem found.
pub fn load(dir: &FsPath) -> Result<LoadedSpec, Vec<Diagnostic>> {
    let display_dir = dir.display().to_string();
    let mut names = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".yaml"))
            .collect::<Vec<_>>(),
        Err(error) => {
            return Err(vec![Diagnostic::new(
                display_dir,
                None,
                Code::Io,
                format!("cannot read the spec folder: {error}"),
            )]);
        }
    };
    names.sort();

    let mut diagnostics = Vec::new();
    let mut shared = None;
    let mut apis = Vec::new();
    if !names.iter().any(|name| name == SHARED_FILE) {
        diagnostics.push(
            Diagnostic::new(
                display_dir.clone(),
                None,
                Code::MissingShared,
                format!("the spec folder has no `{SHARED_FILE}`"),
            )
            .with_hint("data centres, hosts, auth and error codes live in shared.yaml"),
        );
    }
    // Files are independent until validation: read and decode them on every core.
    for (decoded, problems) in parallel::map(&names, |name| load_file(dir, name)) {
        diagnostics.extend(problems);
        match decoded {
            Some(Decoded::Shared(file)) => shared = Some(file),
            Some(Decoded::Api(file)) => apis.push(file),
            None => {}
        }
    }

    match shared {
        Some(shared) if diagnostics.is_empty() => Ok(LoadedSpec { shared, apis }),
        _ => Err(diagnostics),
    }
}

/// One decoded file of the folder.
enum Decoded {
    Shared(SpecFile<SharedSpec>),
    Api(SpecFile<ApiSpec>),
}

/// Reads, parses and decodes the file `name` of `dir`, with every problem found in it.
fn load_file(dir: &FsPath, name: &str) -> (Option<Decoded>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let display_path = dir.join(name).display().to_string();
    // The name is written into comments and docs of the generated files.
    if !is_plain_file_name(name) {
        diagnostics.push(
            Diagnostic::new(
                display_path,
                None,
                Code::BadName,
                format!("the spec file name {name:?} has characters other than letters, digits, `-`, `_` and `.`"),
            )
            .with_hint("name product files `<product>-<version>.yaml`, as `crm-v8.yaml`"),
        );
        return (None, diagnostics);
    }
    let text = match read_spec_file(&dir.join(name)) {
        Ok(text) => text,
        Err(problem) => {
            diagnostics.push(problem.diagnostic(display_path));
            return (None, diagnostics);
        }
    };
    let (root, map) = match yaml::parse(&text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let diagnostic = Diagnostic::new(
                display_path,
                error.location,
                Code::YamlSyntax,
                error.message,
            );
            diagnostics.push(match error.hint {
                Some(hint) => diagnostic.with_hint(hint),
                None => diagnostic,
            });
            return (None, diagnostics);
        }
    };
    let file = SpecFile {
        display_path,
        file_name: name.to_owned(),
        map,
        texts: Arc::new(root.texts()),
        spec: (),
    };
    if !root.is_mapping() {
        diagnostics.push(file.at(
            &[],
            Code::InvalidValue,
            "a spec file must be a mapping of keys to values",
        ));
        return (None, diagnostics);
    }
    let decoded = if name == SHARED_FILE {
        match root.decode::<SharedSpec>() {
            Ok(spec) => Some(Decoded::Shared(file.with(spec))),
            Err(error) => {
                diagnostics.push(decode_diagnostic(&file, &[], error));
                None
            }
        }
    } else {
        decode_api(&file, root, &mut diagnostics).map(|spec| Decoded::Api(file.with(spec)))
    };
    (decoded, diagnostics)
}

impl SpecFile<()> {
    fn with<T>(&self, spec: T) -> SpecFile<T> {
        SpecFile {
            display_path: self.display_path.clone(),
            file_name: self.file_name.clone(),
            map: self.map.clone(),
            texts: Arc::clone(&self.texts),
            spec,
        }
    }
}

/// Decodes a product/version file section by section.
fn decode_api(
    file: &SpecFile<()>,
    mut root: Node,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ApiSpec> {
    let before = diagnostics.len();
    let operations = root.take("operations");
    let types = root.take("types");
    let modules = root.take("modules");
    let module_sets = root.take("module_sets");
    let composites = root.take("composites");
    if operations.is_none() {
        diagnostics.push(
            file.at(&[], Code::MissingKey, "missing field `operations`")
                .with_hint("a product/version file lists at least one operation"),
        );
    }
    let header = match root.decode::<ApiSpec>() {
        Ok(header) => Some(header),
        Err(error) => {
            diagnostics.push(decode_diagnostic(file, &[], error));
            None
        }
    };
    let operations = decode_section(file, "operations", operations, diagnostics);
    let types = decode_section(file, "types", types, diagnostics);
    let modules = decode_section(file, "modules", modules, diagnostics);
    let module_sets = decode_section(file, "module_sets", module_sets, diagnostics);
    let composites = decode_section(file, "composites", composites, diagnostics);
    let mut spec = header?;
    if diagnostics.len() > before {
        return None;
    }
    spec.operations = operations;
    spec.types = types;
    spec.modules = modules;
    spec.module_sets = module_sets;
    spec.composites = composites;
    Some(spec)
}

/// Decodes each entry of a `name: value` section on its own.
fn decode_section<T: DeserializeOwned>(
    file: &SpecFile<()>,
    section: &str,
    node: Option<Node>,
    diagnostics: &mut Vec<Diagnostic>,
) -> indexmap::IndexMap<String, T> {
    let mut decoded = indexmap::IndexMap::new();
    let Some(node) = node else {
        return decoded;
    };
    let Some(entries) = node.entries() else {
        diagnostics.push(file.at(
            &[Segment::from(section)],
            Code::InvalidValue,
            format!("`{section}` must be a mapping from names to definitions"),
        ));
        return decoded;
    };
    for (name, entry) in entries {
        let base = vec![Segment::from(section), Segment::from(name.as_str())];
        match entry.decode::<T>() {
            Ok(value) => {
                decoded.insert(name, value);
            }
            Err(error) => diagnostics.push(decode_diagnostic(file, &base, error)),
        }
    }
    decoded
}

/// Turns a serde error into a located diagnostic with a stable code and, for typos, a hint.
fn decode_diagnostic(file: &SpecFile<()>, base: &[Segment], error: DecodeError) -> Diagnostic {
    let mut path: Path = base.to_vec();
    path.extend(error.path);
    let message = error.message;
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        // serde_path_to_error may or may not have pushed the unknown key itself.
        let mut parent = path.clone();
        if parent.last() == Some(&Segment::from(field)) {
            parent.pop();
        }
        let mut key_path = parent.clone();
        key_path.push(Segment::from(field));
        let diagnostic = file.at_key(
            &key_path,
            Code::UnknownKey,
            format!("unknown key `{field}` in {}", describe(&parent)),
        );
        return match suggestion(field, known.iter().copied()) {
            Some(hint) => diagnostic.with_hint(hint),
            None if !known.is_empty() => diagnostic.with_hint(format!(
                "expected one of {}",
                known
                    .iter()
                    .map(|key| format!("`{key}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => diagnostic,
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return file.at_key(
            &path,
            Code::MissingKey,
            format!("missing key `{field}` in {}", describe(&path)),
        );
    }
    file.at(
        &path,
        Code::InvalidValue,
        format!("{} (at `{}`)", message, dotted(&path)),
    )
}

/// "operation `list_attachments`" rather than a raw path, where that reads better.
fn describe(path: &[Segment]) -> String {
    match path {
        [] => "the file".to_owned(),
        [Segment::Key(section), Segment::Key(name)] => {
            let kind = match section.as_str() {
                "operations" => "operation",
                "types" => "type",
                "modules" => "module",
                "module_sets" => "module set",
                "composites" => "composite operation",
                "products" => "product",
                "data_centers" => "data centre",
                "hosts" => "host set",
                "errors" => "error code",
                other => other,
            };
            format!("{kind} `{name}`")
        }
        _ => format!("`{}`", dotted(path)),
    }
}

fn dotted(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}
