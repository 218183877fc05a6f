//! Printing a [`Report`]: for people, as JSON, or as GitHub Actions
//! workflow commands (annotations on the pull request).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::Report;
use crate::diag::{Diagnostic, Paint, Severity, paint};

/// `check --output-format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// For people: each finding with its file, line and source line, then a
    /// summary.
    Human,
    /// One JSON report, in the shape the README documents.
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
}

/// The JSON schema version; bump on incompatible changes.
pub(crate) const JSON_VERSION: u32 = 1;

/// The report in `format`; `color` applies to the human format only.
pub fn render(report: &Report, format: OutputFormat, color: bool) -> String {
    match format {
        // `-q`: the findings only, no summary.
        OutputFormat::Human => human(report, color, !crate::settings::quiet()),
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(&json_value(report)).unwrap_or_default();
            s.push('\n');
            s
        }
        OutputFormat::Github => github(report),
    }
}

/// In coverage mode, more findings than this are shown one line per file
/// and locale (a large app must not scroll for pages); JSON and GitHub
/// formats list every one.
pub(crate) const MAX_LISTED: usize = 50;

fn human(report: &Report, color: bool, summary: bool) -> String {
    let mut s = String::new();
    let grouped = report
        .coverage
        .as_ref()
        .filter(|_| report.findings.len() > MAX_LISTED);
    let mut groups: std::collections::BTreeMap<
        &super::Tag,
        (usize, usize, std::collections::BTreeMap<&str, usize>),
    > = std::collections::BTreeMap::new();
    for (i, original) in report.findings.iter().enumerate() {
        if let Some(tag) = grouped.and_then(|c| c.tags.get(i)).and_then(Option::as_ref) {
            let g = groups.entry(tag).or_default();
            match original.severity {
                Severity::Error => g.0 += 1,
                Severity::Warning => g.1 += 1,
            }
            *g.2.entry(original.code.as_str()).or_default() += 1;
            continue;
        }
        // The one emitter every command uses: codespan for the finding,
        // with text from the user's files made visible.
        s.push_str(&original.render(color));
    }
    if !groups.is_empty() {
        let n: usize = groups.values().map(|g| g.0 + g.1).sum();
        let _ = writeln!(
            s,
            "{n} findings in {} translation files, one line per file (every finding: --output-format json or --output-format github; fewer: --locale L):",
            groups.len()
        );
        let width = groups
            .keys()
            .map(|t| t.file.chars().count())
            .max()
            .unwrap_or(0);
        for (tag, (e, w, codes)) in &groups {
            let codes: Vec<String> = codes.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
            let file = crate::diag::visible(&tag.file);
            let _ = writeln!(
                s,
                "  {:<8} {file:<width$}  {e:>5} error{}, {w:>4} warning{}  ({})",
                crate::diag::visible(&tag.locale),
                plural(*e),
                plural(*w),
                codes.join(", ")
            );
        }
    }
    if summary {
        // Codespan ends a diagnostic with a blank line; the grouped lines
        // need one.
        if !report.findings.is_empty() && !s.ends_with("\n\n") {
            s.push('\n');
        }
        s.push_str(&summary_text(report, color));
    }
    s
}

/// The summary under the findings: per-locale table, limits, counts and
/// the verdict, with the report's own counts (also the GitHub format's
/// job-log summary).
fn summary_text(report: &Report, color: bool) -> String {
    let mut s = String::new();
    if let Some(c) = &report.coverage {
        let targets: Vec<&str> = report
            .locales
            .iter()
            .filter(|l| !l.source)
            .map(|l| l.locale.as_str())
            .collect();
        let _ = writeln!(
            s,
            "note: {}: checking the Fluent files only; {} against the `{}` source, found in {}, {}",
            if c.content_ignored {
                "--locales or --source-locale given"
            } else {
                "no content/project.toml"
            },
            if targets.is_empty() {
                "no translations".to_string()
            } else {
                short_list(&targets)
            },
            c.source_locale,
            crate::diag::visible(&c.found_in),
            if c.per_file {
                "file by file"
            } else {
                "as pools of messages (--no-per-file)"
            }
        );
        for i in &c.info {
            let _ = writeln!(s, "note: {}", crate::diag::visible(i));
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "{:<14}{:>9}{:>12}{:>9}{:>7}{:>12}{:>10}",
        "locale",
        if report.coverage.is_some() {
            "entries"
        } else {
            "messages"
        },
        "translated",
        "missing",
        "stale",
        "unreviewed",
        "obsolete"
    );
    for l in &report.locales {
        if l.freshness == Some(false) {
            let _ = writeln!(
                s,
                "{:<14}{:>9}{:>12}{:>9}{:>7}{:>12}{:>10}",
                l.locale, l.messages, l.translated, l.missing, "-", "-", l.obsolete
            );
        } else if l.source {
            let name = format!("{} (source)", l.locale);
            let _ = writeln!(
                s,
                "{name:<14}{:>9}{:>12}{:>9}{:>7}{:>12}{:>10}",
                l.messages, "-", "-", "-", "-", "-"
            );
        } else {
            let _ = writeln!(
                s,
                "{:<14}{:>9}{:>12}{:>9}{:>7}{:>12}{:>10}",
                l.locale, l.messages, l.translated, l.missing, l.stale, l.unreviewed, l.obsolete
            );
        }
    }
    for l in &report.limits {
        let left = l.remaining();
        let state = if left >= 0 {
            format!("{left} left")
        } else {
            paint(color, Paint::Error, &format!("{} over", -left))
        };
        let _ = writeln!(
            s,
            "\nlimit {} ({}): {} / {} ({}), {state}",
            l.document,
            l.locale,
            l.count,
            l.max,
            l.rule.name()
        );
        let c = &l.counts;
        let _ = writeln!(
            s,
            "  chars {} · UTF-16 units {} · line breaks as two {} · graphemes {} · words {}",
            c.chars, c.utf16, c.crlf, c.graphemes, c.words
        );
    }
    for u in &report.unlimited {
        let c = &u.counts;
        let _ = writeln!(
            s,
            "\n{} ({}), no limit: chars {} · UTF-16 units {} · line breaks as two {} · graphemes {} · words {}",
            u.document, u.locale, c.chars, c.utf16, c.crlf, c.graphemes, c.words
        );
    }
    let (e, w) = (report.errors(), report.warnings());
    let verdict = if e > 0 {
        paint(color, Paint::Error, "failed")
    } else {
        paint(color, Paint::Ok, "passed")
    };
    let _ = writeln!(
        s,
        "\ncheck {verdict}: {e} error{}, {w} warning{}",
        plural(e),
        plural(w)
    );
    s
}

/// Up to eight names, then how many there are in all: a note about 100
/// locales stays one line.
pub(crate) fn short_list<S: AsRef<str>>(names: &[S]) -> String {
    const SHOWN: usize = 8;
    let first: Vec<&str> = names.iter().take(SHOWN).map(AsRef::as_ref).collect();
    if names.len() > SHOWN {
        format!("{}, … ({} in all)", first.join(", "), names.len())
    } else {
        first.join(", ")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn finding_json(d: &Diagnostic, tag: Option<&super::Tag>) -> Value {
    let loc = d.location.as_ref();
    let mut v = json!({
        "severity": d.severity.as_str(),
        "code": d.code.as_str(),
        "name": d.code.name(),
        "message_id": d.message_id,
        "message": d.message,
        "file": loc.map(|l| l.path.display().to_string()),
        "line": loc.filter(|l| l.line > 0).map(|l| l.line),
        "column": loc.filter(|l| l.line > 0).map(|l| l.column),
        "source_line": loc.and_then(|l| l.source_excerpt(240)),
        "notes": d.notes,
        "help": d.help,
    });
    if let (Some(t), Value::Object(m)) = (tag, &mut v) {
        m.insert("locale".into(), json!(t.locale));
        m.insert("locale_file".into(), json!(t.file));
    }
    v
}

/// The documented JSON shape (see README, "check --output-format json").
pub(crate) fn json_value(report: &Report) -> Value {
    let tag = |i: usize| {
        report
            .coverage
            .as_ref()
            .and_then(|c| c.tags.get(i))
            .and_then(Option::as_ref)
    };
    let mut v = json!({
        "version": JSON_VERSION,
        "ok": report.errors() == 0,
        "errors": report.errors(),
        "warnings": report.warnings(),
        "findings": report.findings.iter().enumerate().map(|(i, d)| finding_json(d, tag(i))).collect::<Vec<_>>(),
        "locales": report.locales,
        "limits": report.limits.iter().map(|l| {
            let mut v = serde_json::to_value(l).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("remaining".into(), json!(l.remaining()));
            }
            v
        }).collect::<Vec<_>>(),
        "unlimited": report.unlimited,
    });
    if let (Some(c), Value::Object(m)) = (&report.coverage, &mut v) {
        let mut files: std::collections::BTreeMap<&super::Tag, (usize, usize)> =
            std::collections::BTreeMap::new();
        for (d, t) in report.findings.iter().zip(&c.tags) {
            if let Some(t) = t {
                let f = files.entry(t).or_default();
                match d.severity {
                    Severity::Error => f.0 += 1,
                    Severity::Warning => f.1 += 1,
                }
            }
        }
        let targets = report.locales.iter().filter(|l| !l.source);
        let sum = |f: fn(&super::LocaleSummary) -> usize| targets.clone().map(f).sum::<usize>();
        m.insert("mode".into(), json!("coverage"));
        m.insert("source_locale".into(), json!(c.source_locale));
        m.insert("found_in".into(), json!(c.found_in));
        m.insert("per_file".into(), json!(c.per_file));
        m.insert("info".into(), json!(c.info));
        m.insert(
            "files".into(),
            json!(files
                .iter()
                .map(|(t, (e, w))| json!({"locale": t.locale, "file": t.file, "errors": e, "warnings": w}))
                .collect::<Vec<_>>()),
        );
        m.insert(
            "totals".into(),
            json!({
                "translations": targets.clone().count(),
                "entries": sum(|l| l.messages),
                "translated": sum(|l| l.translated),
                "missing": sum(|l| l.missing),
                "stale": sum(|l| l.stale),
                "unreviewed": sum(|l| l.unreviewed),
                "obsolete": sum(|l| l.obsolete),
                "errors": report.errors(),
                "warnings": report.warnings(),
            }),
        );
    }
    v
}

/// GitHub's escaping for workflow command data and properties.
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(report: &Report) -> String {
    let mut s = String::new();
    for d in &report.findings {
        let d = &d.for_terminal();
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(l) = &d.location {
            props.push(format!(
                "file={}",
                gh_escape(&l.path.display().to_string(), true)
            ));
            if l.line > 0 {
                props.push(format!("line={}", l.line));
                props.push(format!("col={}", l.column));
            }
        }
        props.push(format!(
            "title={}",
            gh_escape(&format!("talkdoc {} {}", d.code, d.code.name()), true)
        ));
        let mut msg = match &d.message_id {
            Some(id) => format!("{id}: {}", d.message),
            None => d.message.clone(),
        };
        for n in &d.notes {
            msg.push('\n');
            msg.push_str(n);
        }
        if let Some(h) = &d.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        let _ = writeln!(
            s,
            "::{kind} {}::{}",
            props.join(","),
            gh_escape(&msg, false)
        );
    }
    // The summary, readable in the job log.
    s.push_str(&summary_text(report, false));
    s
}
