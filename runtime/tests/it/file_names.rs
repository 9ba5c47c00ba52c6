//! File names from `Content-Disposition`, and making them safe to create.

use zoho_runtime::{content_disposition_file_name, sanitize_file_name};

#[test]
fn content_disposition_file_names_are_decoded() {
    for (header, expected) in [
        (r#"attachment; filename="a b.pdf""#, "a b.pdf"),
        ("attachment; filename=report.pdf", "report.pdf"),
        // Unquoted values run to the next `;`, as browsers read them.
        ("attachment; filename=a b.pdf; size=3", "a b.pdf"),
        (
            r#"attachment; filename="say \"hi\" \\ bye.txt""#,
            r#"say "hi" \ bye.txt"#,
        ),
        (
            "attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf",
            "€ rates.pdf",
        ),
        // The extended form wins whichever comes first.
        (
            r#"attachment; filename="EUR rates.pdf"; filename*=UTF-8''%E2%82%AC%20rates.pdf"#,
            "€ rates.pdf",
        ),
        (
            r#"attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf; filename="EUR rates.pdf""#,
            "€ rates.pdf",
        ),
        (
            "attachment; filename*=iso-8859-1'en'%A3%20rates.pdf",
            "£ rates.pdf",
        ),
        (r#"ATTACHMENT; FILENAME="UPPER.PDF""#, "UPPER.PDF"),
        (
            "attachment; FileName*=utf-8'de'gr%C3%BC%C3%9Fe.txt",
            "grüße.txt",
        ),
        (
            r#"attachment; size=42; filename="a.pdf"; creation-date="Wed, 12 Feb 1997 16:29:51 -0500""#,
            "a.pdf",
        ),
        (r#"inline; filename="shown.png""#, "shown.png"),
        (r#"attachment;filename="tight.pdf";"#, "tight.pdf"),
        // A filename* we cannot decode falls back to filename.
        (
            r#"attachment; filename*=UTF-16''%00a; filename="fallback.pdf""#,
            "fallback.pdf",
        ),
        // Exactly as sent: sanitising is a separate step.
        (
            r#"attachment; filename="../../etc/passwd""#,
            "../../etc/passwd",
        ),
        ("attachment; filename*=UTF-8''a%00b", "a\0b"),
    ] {
        assert_eq!(
            content_disposition_file_name(header).as_deref(),
            Some(expected),
            "{header}"
        );
    }
}

#[test]
fn content_disposition_without_a_usable_name_is_none() {
    for header in [
        "",
        "attachment",
        "inline",
        "attachment; size=42",
        r#"attachment; filename="""#,
        // Syntax errors.
        r#"filename="no-type.pdf""#,
        r#"; filename="a.pdf""#,
        "attachment; filename",
        r#"attachment; filename="unterminated.pdf"#,
        r#"attachment; filename="a.pdf"junk"#,
        r#"attachment filename="a.pdf""#,
        "\"quoted\"; filename=a.pdf",
        // filename* that cannot be decoded, with nothing to fall back to.
        "attachment; filename*=UTF-8''%E2%82",
        "attachment; filename*=UTF-8''%G1.pdf",
        "attachment; filename*=UTF-8''%2",
        "attachment; filename*=UTF-16''abc",
        "attachment; filename*=no-quotes.pdf",
        "attachment; filename*=UTF-8''",
        "%%%;;;===",
    ] {
        assert_eq!(content_disposition_file_name(header), None, "{header:?}");
    }
}

#[test]
fn sanitized_names_are_one_plain_component() {
    for (name, expected) in [
        ("report.pdf", Some("report.pdf")),
        ("../../etc/passwd", Some("passwd")),
        ("/etc/passwd", Some("passwd")),
        (r"C:\Windows\x.dll", Some("x.dll")),
        (r"..\..\boot.ini", Some("boot.ini")),
        ("a\u{0}b", Some("ab")),
        ("line\r\nbreak\t.txt", Some("linebreak.txt")),
        ("..", None),
        (".", None),
        ("", None),
        ("dir/", None),
        ("...", None),
        ("  ", None),
        ("\u{0}\u{1}", None),
        (".bashrc", Some(".bashrc")),
        ("CON", Some("_CON")),
        ("con.txt", Some("_con.txt")),
        ("LPT1", Some("_LPT1")),
        ("Com9.tar.gz", Some("_Com9.tar.gz")),
        ("CONSOLE.txt", Some("CONSOLE.txt")),
        ("trailing. . ", Some("trailing")),
        ("report.pdf.", Some("report.pdf")),
        ("CON.", Some("_CON")),
        ("a<b>:c|d?e*f", Some("a_b__c_d_e_f")),
        ("say \"hi\".txt", Some("say _hi_.txt")),
        ("€ rates.pdf", Some("€ rates.pdf")),
    ] {
        assert_eq!(sanitize_file_name(name).as_deref(), expected, "{name:?}");
    }
}

#[test]
fn long_names_are_cut_to_255_bytes_keeping_the_extension() {
    // 300 bytes of two-byte characters: a cut at byte 251 would split one.
    let long = format!("{}.pdf", "é".repeat(148));
    assert_eq!(long.len(), 300);
    let safe = sanitize_file_name(&long).expect("a name");
    assert!(safe.len() <= 255, "{}", safe.len());
    assert!(safe.len() >= 250, "cut more than needed: {}", safe.len());
    assert!(safe.ends_with(".pdf"), "{safe}");
    assert!(safe.starts_with("éé"));

    let no_extension = "x".repeat(300);
    assert_eq!(sanitize_file_name(&no_extension), Some("x".repeat(255)));

    // A dotted "extension" far too long to be one is cut like the rest.
    let dotted = format!("a.{}", "y".repeat(298));
    let safe = sanitize_file_name(&dotted).expect("a name");
    assert_eq!(safe.len(), 255);
    assert!(safe.starts_with("a.yyy"));
}
