//! Turning a file name from a server into one that is safe to create.

/// The longest file name (in bytes) that Linux, macOS and Windows all accept.
pub(crate) const MAX_NAME_BYTES: usize = 255;

/// The longest suffix kept as an extension when a name is shortened.
const MAX_EXTENSION_BYTES: usize = 32;

/// A name that is one plain path component, safe to create in any folder on Linux,
/// macOS and Windows; `None` when nothing usable is left.
///
/// - only the last component after `/` or `\` is kept, so `../../etc/passwd` is `passwd`;
/// - NUL and other control characters are removed;
/// - `<>:"|?*` become `_`;
/// - trailing dots and spaces are removed (Windows drops them), so `.` and `..` are
///   rejected; leading dots stay (`.bashrc` is a fine, hidden, file name);
/// - Windows device names (`CON`, `PRN`, `AUX`, `NUL`, `COM0`-`COM9`, `LPT0`-`LPT9`,
///   `CONIN$`, `CONOUT$`, any case, with or without an extension) get a `_` prefix;
/// - names over 255 bytes are cut on a character boundary, keeping an extension of up
///   to 32 bytes (`.pdf`).
///
/// ```
/// use zoho_runtime::sanitize_file_name;
///
/// assert_eq!(sanitize_file_name("../../etc/passwd").as_deref(), Some("passwd"));
/// assert_eq!(sanitize_file_name("con.txt").as_deref(), Some("_con.txt"));
/// assert_eq!(sanitize_file_name(".."), None);
/// ```
pub fn sanitize_file_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let trimmed = trim_end(&cleaned);
    if trimmed.is_empty() {
        return None;
    }
    let safe = if is_windows_device_name(trimmed) {
        format!("_{trimmed}")
    } else {
        trimmed.to_owned()
    };
    let short = shorten(&safe, MAX_NAME_BYTES);
    Some(trim_end(&short).to_owned())
}

/// `name` for `n == 0`, else `name (n).ext`, kept within [`MAX_NAME_BYTES`].
pub(crate) fn numbered(name: &str, n: u32) -> String {
    if n == 0 {
        return name.to_owned();
    }
    let suffix = format!(" ({n})");
    let (stem, extension) = split_extension(name);
    let (stem, extension) = if extension.len() + suffix.len() < MAX_NAME_BYTES {
        (stem, extension)
    } else {
        (name, "")
    };
    let room = MAX_NAME_BYTES - suffix.len() - extension.len();
    format!("{}{suffix}{extension}", cut(stem, room))
}

/// At most `max` bytes of `name`, keeping its extension when it has a short one.
fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    let (stem, extension) = split_extension(name);
    if extension.len() <= MAX_EXTENSION_BYTES {
        format!("{}{extension}", cut(stem, max - extension.len()))
    } else {
        cut(name, max).to_owned()
    }
}

/// Splits at the last `.` that is not the first character: `("report", ".pdf")`,
/// `(".bashrc", "")`.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    }
}

/// The longest prefix of at most `max` bytes that ends on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn trim_end(name: &str) -> &str {
    name.trim_end_matches(['.', ' '])
}

/// Windows treats these as devices whatever the extension (`con.txt`, `COM1.tar.gz`)
/// and ignores spaces before the first dot (`CON .txt`).
fn is_windows_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    let upper = stem.to_ascii_uppercase();
    if matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let Some(number) = upper
        .strip_prefix("COM")
        .or_else(|| upper.strip_prefix("LPT"))
    else {
        return false;
    };
    let mut chars = number.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some('0'..='9' | '¹' | '²' | '³'), None)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_names_go_before_the_extension() {
        assert_eq!(numbered("passwd", 0), "passwd");
        assert_eq!(numbered("passwd", 1), "passwd (1)");
        assert_eq!(numbered("report.pdf", 2), "report (2).pdf");
        assert_eq!(numbered("archive.tar.gz", 3), "archive.tar (3).gz");
        assert_eq!(numbered(".bashrc", 1), ".bashrc (1)");
    }

    #[test]
    fn numbered_names_stay_within_the_limit() {
        let long = format!("{}.pdf", "é".repeat(125));
        assert_eq!(long.len(), 254);
        let named = numbered(&long, 1000);
        assert!(named.len() <= MAX_NAME_BYTES, "{}", named.len());
        assert!(named.ends_with(" (1000).pdf"), "{named}");

        // An "extension" too long to keep is treated as part of the stem.
        let dotted = format!("a.{}", "x".repeat(252));
        let named = numbered(&dotted, 7);
        assert!(named.len() <= MAX_NAME_BYTES);
        assert!(
            named.starts_with("a.xxx") && named.ends_with("x (7)"),
            "{named}"
        );
    }

    #[test]
    fn device_names() {
        for name in [
            "CON",
            "con",
            "Con.txt",
            "nul.tar.gz",
            "COM1",
            "com9.log",
            "LPT1",
            "lpt0",
            "COM¹",
            "CON .txt",
            "conin$",
        ] {
            assert!(is_windows_device_name(name), "{name}");
        }
        for name in [
            "CONSOLE",
            "COM10",
            "LPT",
            "xcon",
            "COMA",
            "con_",
            "nul-1.txt",
        ] {
            assert!(!is_windows_device_name(name), "{name}");
        }
    }
}
