//! `talkdoc check`: what must hold before a proposal is submitted.
//!
//! Three independent checks read the same loaded [`Project`]:
//! [`coverage`] (every message translated, references and variables
//! consistent), [`freshness`] (no translation older than its source) and
//! [`limits`] (character limits, counted the way forms count). A Fluent
//! project without `content/` (coverage mode) gets the catalog checks only,
//! file by file, judged as a translator would. Findings are
//! [`Diagnostic`]s with stable codes; [`report`] prints them for people,
//! as JSON, or as GitHub Actions annotations.

pub mod coverage;
pub mod freshness;
pub mod limits;
pub mod report;

use crate::diag::{Diagnostic, Severity};
use crate::project::Project;

/// Every code talkdoc reports (findings of `check` and errors of every
/// command), with its name, default severity and meaning. The README lists
/// them all; a test keeps the two in step.
pub const CODES: &[(&str, &str, Severity, &str)] = &[
    (
        "E0101",
        "syntax-error",
        Severity::Error,
        "Fluent syntax error; fluent-rs would silently drop the entry as Junk",
    ),
    (
        "E0102",
        "invalid-utf8",
        Severity::Error,
        "a .ftl file is not valid UTF-8",
    ),
    (
        "E0105",
        "duplicate-id",
        Severity::Error,
        "a message or term is defined twice in one locale",
    ),
    (
        "E0202",
        "unknown-block-type",
        Severity::Error,
        "a content file uses a block `type` talkdoc does not know",
    ),
    (
        "E0203",
        "incomplete-block",
        Severity::Error,
        "a block lacks the field its type needs (`message`, `messages`, `items` or `document`)",
    ),
    (
        "E0204",
        "unknown-list-style",
        Severity::Error,
        "a list's `style` is neither `bullet` nor `numbered`",
    ),
    (
        "E0303",
        "unknown-include",
        Severity::Error,
        "a document includes a document that does not exist",
    ),
    (
        "E0304",
        "include-cycle",
        Severity::Error,
        "a document includes itself, directly or through others",
    ),
    (
        "E0305",
        "list-too-deep",
        Severity::Error,
        "a list is nested too deeply to be laid out",
    ),
    (
        "E0306",
        "unknown-message",
        Severity::Error,
        "a content file names a message that does not exist in a locale",
    ),
    (
        "E0307",
        "message-without-value",
        Severity::Error,
        "a content file names a message that has only attributes",
    ),
    (
        "E0308",
        "unformattable-message",
        Severity::Error,
        "a message cannot be formatted (unknown reference or variable, cycle)",
    ),
    (
        "E0601",
        "unreadable-review-record",
        Severity::Error,
        "a `locales/<locale>.reviewed.toml` file cannot be read",
    ),
    (
        "E0602",
        "invalid-review-record",
        Severity::Error,
        "a `locales/<locale>.reviewed.toml` file is not a valid review record",
    ),
    (
        "E0001",
        "unreadable-content",
        Severity::Error,
        "content/project.toml or a document file cannot be read",
    ),
    (
        "E0002",
        "invalid-locale",
        Severity::Error,
        "a locale is not a valid BCP 47 tag",
    ),
    (
        "E0003",
        "missing-locale-folder",
        Severity::Error,
        "a locale's folder under locales/ cannot be read",
    ),
    (
        "E0004",
        "unreadable-ftl",
        Severity::Error,
        "a .ftl file cannot be read",
    ),
    (
        "E0007",
        "unknown-choice",
        Severity::Error,
        "--locale or --document names something the project does not have",
    ),
    (
        "E0106",
        "empty-locale",
        Severity::Error,
        "a locale folder holds no .ftl files",
    ),
    (
        "E0107",
        "nesting-too-deep",
        Severity::Error,
        "placeables or call arguments nested deeper than 32 levels",
    ),
    (
        "E0108",
        "control-character",
        Severity::Error,
        "a control character other than tab and line break in a .ftl file",
    ),
    (
        "E0109",
        "invisible-character",
        Severity::Error,
        "a BIDI control or an invisible zero-width character in a .ftl file",
    ),
    (
        "E0201",
        "invalid-toml",
        Severity::Error,
        "a content file is not valid TOML or has an unknown or missing field",
    ),
    (
        "E0205",
        "unusable-locale-name",
        Severity::Error,
        "a locale name could leave the output folder",
    ),
    (
        "E0206",
        "source-locale-not-listed",
        Severity::Error,
        "the source locale is not in `locales`",
    ),
    (
        "E0207",
        "unusable-document-name",
        Severity::Error,
        "a document file name could leave the output folder",
    ),
    (
        "E0208",
        "no-documents",
        Severity::Error,
        "content/documents/ holds no documents",
    ),
    (
        "E0209",
        "unknown-combined-document",
        Severity::Error,
        "`[pdf] combined` names a document that does not exist",
    ),
    (
        "E0301",
        "unknown-locale",
        Severity::Error,
        "an internal request for a locale the project does not have",
    ),
    (
        "E0302",
        "unknown-document",
        Severity::Error,
        "an internal request for a document the project does not have",
    ),
    (
        "E0309",
        "message-too-large",
        Severity::Error,
        "a message can expand to more than 1 MB",
    ),
    (
        "E0310",
        "unsafe-link",
        Severity::Error,
        "a link whose scheme is not http, https, mailto or allowed in [check] allow_link_schemes",
    ),
    (
        "E0311",
        "include-too-large",
        Severity::Error,
        "includes nested deeper than 1000 levels or expanding to more than 100000 blocks",
    ),
    (
        "E0401",
        "unwritable-output",
        Severity::Error,
        "an output file or folder cannot be written",
    ),
    (
        "E0402",
        "output-escape",
        Severity::Error,
        "an output path would leave the output folder",
    ),
    (
        "E0403",
        "output-overlaps-input",
        Severity::Error,
        "the output folder is the project folder, inside content/ or locales/, or holds them",
    ),
    (
        "E0501",
        "unreadable-font",
        Severity::Error,
        "the font file named in [pdf] cannot be read",
    ),
    (
        "E0502",
        "unparsable-font",
        Severity::Error,
        "the font file is not a usable OpenType/TrueType font",
    ),
    (
        "E0503",
        "missing-glyph",
        Severity::Error,
        "a character is not in the PDF font",
    ),
    (
        "E0504",
        "pdf-write-failed",
        Severity::Error,
        "the PDF could not be serialised",
    ),
    (
        "E0603",
        "review-source-locale",
        Severity::Error,
        "`review --locale` names the source locale",
    ),
    (
        "E0604",
        "review-unknown-id",
        Severity::Error,
        "`review` names an ID not in both locales",
    ),
    (
        "E0701",
        "bad-init-locale",
        Severity::Error,
        "`init` got an unusable locale tag, or the same one twice",
    ),
    (
        "E0702",
        "init-would-overwrite",
        Severity::Error,
        "`init` would overwrite an existing file",
    ),
    (
        "E0703",
        "cannot-watch",
        Severity::Error,
        "`watch` cannot watch the project's folders or handle Ctrl-C",
    ),
    (
        "C001",
        "missing-message",
        Severity::Error,
        "a source message has no translation",
    ),
    (
        "C002",
        "obsolete-message",
        Severity::Warning,
        "a translated message no longer exists in the source",
    ),
    (
        "C003",
        "missing-attribute",
        Severity::Error,
        "a source attribute is missing in the translation",
    ),
    (
        "C004",
        "obsolete-attribute",
        Severity::Warning,
        "a translated attribute does not exist in the source",
    ),
    (
        "C005",
        "variable-mismatch",
        Severity::Error,
        "a `$variable` is used in one locale but not the other",
    ),
    (
        "C006",
        "unresolved-reference",
        Severity::Error,
        "a message or term reference does not resolve in its own locale",
    ),
    (
        "C007",
        "cyclic-reference",
        Severity::Error,
        "messages or terms reference each other in a cycle",
    ),
    (
        "C008",
        "unused-message",
        Severity::Warning,
        "no document uses the message",
    ),
    (
        "C009",
        "identical-to-source",
        Severity::Warning,
        "the translation is identical to its source: probably untranslated",
    ),
    (
        "C010",
        "source-script-in-translation",
        Severity::Warning,
        "the translation still contains Japanese script (kana/kanji)",
    ),
    (
        "F001",
        "stale-translation",
        Severity::Error,
        "the source changed after the translation was reviewed",
    ),
    (
        "F002",
        "unreviewed-translation",
        Severity::Error,
        "no review is recorded for the translation",
    ),
    (
        "F003",
        "orphan-review",
        Severity::Warning,
        "a review is recorded for a message that no longer exists",
    ),
    (
        "E0008",
        "no-locale-folders",
        Severity::Error,
        "coverage mode found no locale folders with .ftl files (or none in the folder given with --locales)",
    ),
    (
        "E0009",
        "invalid-l10n-toml",
        Severity::Error,
        "the project's l10n.toml cannot be read or lacks `locales` or [[paths]]",
    ),
    (
        "E0010",
        "unknown-source-locale",
        Severity::Error,
        "coverage mode cannot tell the source locale, or the one given has no folder",
    ),
    (
        "C011",
        "dropped-variable",
        Severity::Warning,
        "coverage mode: the source prints a `$variable` (outside selectors) the translation does not use",
    ),
    (
        "C012",
        "reference-mismatch",
        Severity::Warning,
        "coverage mode: the translation drops a message or term reference its source uses, or adds one",
    ),
    (
        "C013",
        "wrong-file",
        Severity::Error,
        "coverage mode: a translation is in another file than its source, where the app does not look for it",
    ),
    (
        "C014",
        "missing-file",
        Severity::Error,
        "coverage mode: a source file has no translation file (reported once per file)",
    ),
    (
        "C015",
        "obsolete-file",
        Severity::Warning,
        "coverage mode: a translation file has no source file (reported once per file)",
    ),
    (
        "L001",
        "over-limit",
        Severity::Error,
        "the text is over its character limit",
    ),
    (
        "L002",
        "over-limit-elsewhere",
        Severity::Warning,
        "within the limit as counted, over it under another common counting rule",
    ),
    (
        "L003",
        "bad-limit",
        Severity::Error,
        "a limit in content/project.toml names an unknown document, locale or counting rule",
    ),
];

/// The short name of a code, e.g. `missing-message` for `C001`.
pub fn code_name(code: &str) -> &'static str {
    CODES.iter().find(|c| c.0 == code).map_or("", |c| c.1)
}

/// What `build` would refuse: every document assembled in every locale
/// (content files naming messages that do not exist, include cycles,
/// unformattable messages, unsafe links), the `[pdf]` settings, the font
/// and every character against it — the same functions `build` calls.
fn preflight(project: &Project, out: &mut Vec<Diagnostic>) {
    let mut docs = Vec::new();
    for locale in project.content.locales() {
        for name in project.content.documents.keys() {
            match crate::assemble::assemble(project, name, &locale) {
                Ok(d) => docs.push(d),
                Err(e) => out.extend(e.diagnostics),
            }
        }
        if let Err(e) = crate::preflight::talk_title(project, &locale) {
            out.extend(e.diagnostics);
        }
    }
    out.extend(crate::preflight::settings(project));
    match crate::preflight::load_font(project) {
        Ok(font) => out.extend(crate::preflight::glyphs(project, &font, &docs)),
        Err(e) => out.extend(e.diagnostics),
    }
}

/// Per-locale numbers for the summary table.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LocaleSummary {
    pub locale: String,
    pub source: bool,
    /// Messages (not terms) defined in the locale.
    pub messages: usize,
    /// Source messages that exist in this locale.
    pub translated: usize,
    pub missing: usize,
    pub stale: usize,
    pub unreviewed: usize,
    pub obsolete: usize,
    /// Coverage mode only: whether freshness was checked (a review record
    /// exists). In coverage mode the counts include terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freshness: Option<bool>,
}

/// Which translated locale and file a coverage-mode finding is about, for
/// the per-file summary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag {
    pub locale: String,
    /// The translation file, as shown (it may not exist: a missing file).
    pub file: String,
}

/// A finding and, in coverage mode, what it is about.
pub type Tagged = (Diagnostic, Option<Tag>);

/// What coverage mode adds to a report.
#[derive(Debug, Clone, Default)]
pub struct CoverageReport {
    pub source_locale: String,
    pub found_in: String,
    pub per_file: bool,
    /// `content/` exists but was not read (`--locales`, `--source-locale`).
    pub content_ignored: bool,
    /// Lines of information (freshness off, how locales were found).
    pub info: Vec<String>,
    /// Parallel to `Report::findings`.
    pub tags: Vec<Option<Tag>>,
}

/// Everything `check` found.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Diagnostic>,
    pub locales: Vec<LocaleSummary>,
    pub limits: Vec<limits::LimitReport>,
    /// Counts of limited documents in the locales without a limit.
    pub unlimited: Vec<limits::UnlimitedCounts>,
    /// Coverage mode (a Fluent project without `content/`).
    pub coverage: Option<CoverageReport>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
}

/// Stable order: by file, line, column, then code.
fn finding_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    let key = |d: &Diagnostic| {
        d.location
            .as_ref()
            .map(|l| (l.path.clone(), l.line, l.column))
            .unwrap_or_default()
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| a.code.cmp(b.code))
        .then_with(|| a.message_id.cmp(&b.message_id))
}

/// Runs every check over a loaded project.
pub fn run(project: &Project) -> Report {
    if let Some(cov) = project.coverage() {
        return run_coverage(project, cov);
    }
    let mut report = Report::default();
    report
        .findings
        .extend(project.load_problems.iter().cloned());
    report.locales = coverage::check(project, &mut report.findings);
    preflight(project, &mut report.findings);
    freshness::check(
        project,
        &mut report.findings,
        &mut report.locales,
        &mut Vec::new(),
    );
    report.limits = limits::check(project, &mut report.findings);
    report.unlimited = limits::unlimited_counts(project);
    report.findings.sort_by(finding_order);
    report
        .findings
        .dedup_by(|a, b| a.headline() == b.headline());
    report
}

/// Coverage mode: every catalog check, freshness where a review record
/// exists; nothing that needs documents (unused messages, limits, the
/// build's pre-flight).
fn run_coverage(project: &Project, cov: &crate::project::Coverage) -> Report {
    let mut tagged: Vec<Tagged> = project
        .load_problems
        .iter()
        .map(|d| (d.clone(), None))
        .collect();
    let mut locales = coverage::check_coverage(project, cov, &mut tagged);
    let mut plain = Vec::new();
    let mut info = Vec::new();
    freshness::check(project, &mut plain, &mut locales, &mut info);
    let source = project.content.source_locale().to_string();
    tagged.extend(plain.into_iter().map(|d| (d, None)));
    // Findings located in a file of a translated locale are about that file.
    let mut by_path = std::collections::HashMap::new();
    for cat in project
        .catalog
        .locales
        .iter()
        .filter(|c| c.locale != source)
    {
        for f in &cat.files {
            by_path.insert(
                f.path.clone(),
                Tag {
                    locale: cat.locale.clone(),
                    file: f.path.display().to_string(),
                },
            );
        }
    }
    for (d, tag) in &mut tagged {
        if tag.is_none() {
            *tag = d
                .location
                .as_ref()
                .and_then(|l| by_path.get(&l.path).cloned());
        }
    }
    tagged.sort_by(|a, b| finding_order(&a.0, &b.0));
    tagged.dedup_by(|a, b| a.0.headline() == b.0.headline());
    let (findings, tags) = tagged.into_iter().unzip();
    Report {
        findings,
        locales,
        limits: Vec::new(),
        unlimited: Vec::new(),
        coverage: Some(CoverageReport {
            source_locale: source,
            found_in: cov.found_in.clone(),
            per_file: cov.per_file,
            content_ignored: cov.content_ignored,
            info,
            tags,
        }),
    }
}
