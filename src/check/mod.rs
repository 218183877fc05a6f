//! `talkdoc check`: what must hold before a proposal is submitted.
//!
//! Three independent checks read the same loaded [`Project`]:
//! `coverage` (every message translated, references and variables
//! consistent), `freshness` (no translation older than its source) and
//! [`limits`] (character limits, counted the way forms count). A Fluent
//! project without `content/` (coverage mode) gets the catalog checks only,
//! file by file, judged as a translator would. Findings are
//! [`Diagnostic`]s with stable codes; [`report`] prints them for people,
//! as JSON, or as GitHub Actions annotations.

pub(crate) mod coverage;
pub(crate) mod freshness;
pub mod limits;
mod qr;
pub mod report;

use crate::diag::{Diagnostic, Severity};
use crate::project::Project;

/// The short name of a code, e.g. `missing-message` for `C001`.
pub fn code_name(code: &str) -> &'static str {
    crate::codes::Code::parse(code).map_or("", crate::codes::Code::name)
}

/// What `build` would refuse: every document assembled in every locale
/// (content files naming messages that do not exist, include cycles,
/// unformattable messages, unsafe links), the `[pdf]` settings, the font
/// and every character against it — the same functions `build` calls.
fn preflight(project: &Project, out: &mut Vec<Diagnostic>) -> Vec<crate::document::Document> {
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
    out.extend(qr::missing_codes(project, &docs));
    match crate::preflight::load_font(project) {
        Ok(font) => out.extend(crate::preflight::glyphs(project, &font, &docs)),
        Err(e) => out.extend(e.diagnostics),
    }
    docs
}

/// Per-locale numbers for the summary table.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LocaleSummary {
    /// The locale tag.
    pub locale: String,
    /// Whether this is the source locale (its row shows no translation counts).
    pub source: bool,
    /// Messages (not terms) defined in the locale.
    pub messages: usize,
    /// Source messages that exist in this locale.
    pub translated: usize,
    /// Source messages without a translation (C001).
    pub missing: usize,
    /// Translations older than their source (F001).
    pub stale: usize,
    /// Translations without a review record (F002).
    pub unreviewed: usize,
    /// Messages not in the source (C002).
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
    /// The translated locale.
    pub locale: String,
    /// The translation file, as shown (it may not exist: a missing file).
    pub file: String,
}

/// A finding and, in coverage mode, what it is about.
pub(crate) type Tagged = (Diagnostic, Option<Tag>);

/// What coverage mode adds to a report.
#[derive(Debug, Clone, Default)]
pub struct CoverageReport {
    /// The locale translations are made from.
    pub source_locale: String,
    /// Where the locales were found (`locales/`, or the `l10n.toml` used).
    pub found_in: String,
    /// Whether locales are compared file by file (else as pools,
    /// `--no-per-file`).
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
    /// Every finding, sorted by file, line, column and code.
    pub findings: Vec<Diagnostic>,
    /// Per-locale numbers for the summary table, source first.
    pub locales: Vec<LocaleSummary>,
    /// Every configured limit, with its counts.
    pub limits: Vec<limits::LimitReport>,
    /// Counts of limited documents in the locales without a limit.
    pub unlimited: Vec<limits::UnlimitedCounts>,
    /// Coverage mode (a Fluent project without `content/`).
    pub coverage: Option<CoverageReport>,
}

impl Report {
    /// How many findings are errors: any makes `check` exit 1.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    /// How many findings are warnings (errors under `--deny-warnings`).
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
        .then_with(|| a.code.as_str().cmp(b.code.as_str()))
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
    let docs = preflight(project, &mut report.findings);
    freshness::check(
        project,
        &mut report.findings,
        &mut report.locales,
        &mut Vec::new(),
    );
    report.limits = limits::check(project, &docs, &mut report.findings);
    report.unlimited = limits::unlimited_counts(project, &docs);
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
        // Its review record (F003 points into it).
        let record = crate::diag::display_path(
            &project.root,
            &crate::review::reviews_path(project, &cat.locale),
        );
        by_path.insert(
            record.clone(),
            Tag {
                locale: cat.locale.clone(),
                file: record.display().to_string(),
            },
        );
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
