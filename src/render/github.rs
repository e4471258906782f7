//! `--output-format github`: GitHub Actions workflow commands, which GitHub shows as
//! annotations on the files of a pull request.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=LL104 (name)::message`, one a
//! line. `warning` stays `warning`, `info` becomes `notice`. The help, when there is one, follows
//! the message on its own line of the annotation (the evidence notes stay out: an annotation
//! is read in a pull request's diff).

use super::{path_of, range};
use crate::check::Outcome;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's data (after `::`): GitHub's runner decodes `%25`, `%0D`, `%0A`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus `:` and `,`, which delimit properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn annotation(sources: &SourceMap, d: &Diagnostic) -> String {
    let (s, e) = range(sources, d.span);
    let mut props = vec![
        format!("file={}", escape_property(&path_of(sources, d.span))),
        format!("line={}", s.line),
    ];
    // GitHub only honours columns when the annotation starts and ends on the same line.
    if s.line == e.line {
        props.push(format!("col={}", s.column));
        props.push(format!("endLine={}", e.line));
        props.push(format!("endColumn={}", e.column));
    } else {
        props.push(format!("endLine={}", e.line));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} ({})", d.code, d.name))
    ));
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    format!(
        "::{} {}::{}\n",
        command(d.severity),
        props.join(","),
        escape_data(&message)
    )
}

pub fn render(o: &Outcome) -> String {
    o.diagnostics
        .iter()
        .map(|d| annotation(&o.sources, d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
        // `%` first, so the escapes themselves are not escaped again.
        assert_eq!(escape_property("%0A"), "%250A");
    }
}
