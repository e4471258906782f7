//! `--output-format junit`: JUnit XML, for CI systems that show test reports.
//!
//! One `<testsuite>` per file with findings, one `<testcase>` per finding, each with a
//! `<failure>`. With no findings at all, one passing testcase says so. No timestamps or
//! durations: the same input gives the same bytes.

use std::fmt::Write;

use super::{help_text, path_of, range};
use crate::check::Outcome;
use crate::diagnostic::Diagnostic;

/// Escapes text for an XML 1.0 attribute value. Characters XML 1.0 cannot carry at all (most
/// C0 controls) become U+FFFD; line breaks and tabs become character references, which
/// attribute values would otherwise normalize to spaces.
pub fn escape(s: &str) -> String {
    escape_with(s, true)
}

/// Escapes text for XML 1.0 element content: as [`escape`], but line breaks and tabs stay.
pub fn escape_text(s: &str) -> String {
    escape_with(s, false)
}

fn escape_with(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' | '\t' if !attribute => out.push(c),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn testcase(o: &Outcome, d: &Diagnostic, out: &mut String) {
    let path = path_of(&o.sources, d.span);
    let (s, _) = range(&o.sources, d.span);
    let mut body = format!(
        "{path}:{}:{}: {} [{}] {}",
        s.line,
        s.column,
        d.code,
        d.severity.as_str(),
        d.message
    );
    if let Some(h) = help_text(d) {
        body.push_str("\nhelp: ");
        body.push_str(&h);
    }
    body.push_str("\nsee: ");
    body.push_str(&d.url());
    let _ = writeln!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">",
        escape(&format!(
            "{} ({}) at {}:{}",
            d.code, d.name, s.line, s.column
        )),
        escape(&path),
        escape(&path),
        s.line
    );
    let _ = writeln!(
        out,
        "      <failure message=\"{}\" type=\"{}\">{}</failure>",
        escape(&d.message),
        d.severity.as_str(),
        escape_text(&body)
    );
    out.push_str("    </testcase>\n");
}

pub fn render(o: &Outcome) -> String {
    let n = o.diagnostics.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"litellm-lint\" tests=\"{}\" failures=\"{n}\" errors=\"0\">",
        n.max(1)
    );
    if n == 0 {
        let _ = writeln!(
            out,
            "  <testsuite name=\"litellm-lint\" tests=\"1\" failures=\"0\" errors=\"0\">"
        );
        let _ = writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"litellm-lint\"/>",
            escape(&format!(
                "All checks passed ({} file{} checked)",
                o.files_checked,
                if o.files_checked == 1 { "" } else { "s" }
            ))
        );
        out.push_str("  </testsuite>\n");
    }
    // Diagnostics come sorted by file, so each file's findings are one run of the list.
    let mut rest = o.diagnostics.as_slice();
    while let Some(first) = rest.first() {
        let path = path_of(&o.sources, first.span);
        let len = rest
            .iter()
            .take_while(|d| path_of(&o.sources, d.span) == path)
            .count();
        let (group, tail) = rest.split_at(len);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{len}\" failures=\"{len}\" errors=\"0\">",
            escape(&path)
        );
        for d in group {
            testcase(o, d, &mut out);
        }
        out.push_str("  </testsuite>\n");
        rest = tail;
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_text};

    #[test]
    fn escapes_markup_and_controls() {
        let s = "a<b>&\"c\"'d'\n\r\t\u{1b}[0m]]>";
        assert_eq!(
            escape(s),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;&#13;&#9;\u{fffd}[0m]]&gt;"
        );
        assert_eq!(
            escape_text(s),
            "a&lt;b&gt;&amp;\"c\"'d'\n&#13;\t\u{fffd}[0m]]&gt;"
        );
    }
}
