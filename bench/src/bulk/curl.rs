//! The curl side of the bulk benchmark: one `curl --parallel` process fetching every URL,
//! listed in a config file so that the command line stays short whatever the count.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;

use super::files::{Attachment, MODULE};

/// The config file `curl -K` reads: a `url` and an `output` line per attachment.
///
/// # Errors
///
/// When `dir` is not UTF-8 (curl's config is text).
pub fn config(base_url: &str, attachments: &[Attachment], dir: &Path) -> Result<String, String> {
    let dir = dir
        .to_str()
        .ok_or_else(|| format!("{} is not UTF-8", dir.display()))?;
    let mut text = String::new();
    for a in attachments {
        let url = format!(
            "{base_url}/crm/v8/{MODULE}/{}/Attachments/{}",
            a.record, a.id
        );
        let output = format!("{dir}/{}", a.name);
        let _ = writeln!(text, "url = {}\noutput = {}", quote(&url), quote(&output));
    }
    Ok(text)
}

/// The command: at most `concurrency` transfers at once, failing on an HTTP error status,
/// silent but for errors (curl 7.88 draws its `--parallel` meter despite `-s`, hence
/// `--no-progress-meter`).
pub fn command(config: &Path, token: &str, concurrency: usize) -> Vec<OsString> {
    [
        "curl",
        "-sS",
        "--no-progress-meter",
        "--fail",
        "--parallel",
        "--parallel-max",
        &concurrency.to_string(),
        "-H",
        &format!("Authorization: Zoho-oauthtoken {token}"),
        "-K",
    ]
    .into_iter()
    .map(OsString::from)
    .chain([config.as_os_str().to_owned()])
    .collect()
}

/// A double-quoted config value. curl unescapes `\\`, `\"`, `\t`, `\n`, `\r` and `\v`
/// inside quotes, so backslashes and quotes are escaped, and those control characters are
/// written as escapes so that a value stays on its line.
fn quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\u{b}' => quoted.push_str("\\v"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attachment_gets_a_url_and_an_output() {
        let attachments = [Attachment {
            record: "42".to_owned(),
            id: "7".to_owned(),
            name: "a.bin".to_owned(),
            offset: 0,
            size: 1,
        }];
        let text = config("http://127.0.0.1:9", &attachments, Path::new("/tmp/x y"));
        assert_eq!(
            text.as_deref(),
            Ok(
                "url = \"http://127.0.0.1:9/crm/v8/Leads/42/Attachments/7\"\n\
                output = \"/tmp/x y/a.bin\"\n"
            )
        );
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("tab\there"), r#""tab\there""#);
    }

    #[test]
    fn the_command_line_stays_short() {
        let command = command(Path::new("/tmp/curl.cfg"), "1000.abc", 8);
        let shown: Vec<_> = command.iter().map(|arg| arg.to_string_lossy()).collect();
        assert_eq!(
            shown,
            [
                "curl",
                "-sS",
                "--no-progress-meter",
                "--fail",
                "--parallel",
                "--parallel-max",
                "8",
                "-H",
                "Authorization: Zoho-oauthtoken 1000.abc",
                "-K",
                "/tmp/curl.cfg"
            ]
        );
    }
}
