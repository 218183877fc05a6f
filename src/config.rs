//! Renderer settings: the `[pdf]` tables of `content/project.toml` (font,
//! combined and parallel handouts, page setup with per-locale overrides)
//! and of a document's file (QR codes), kept apart from the content schema
//! (`content.rs`: locales, limits, documents and their blocks) so that a
//! renderer's options grow without touching what a talk is made of.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::codes::Code;
use crate::diag::{Diagnostic, SourceFile};

/// `[pdf]` in `content/project.toml`.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct PdfConfig {
    /// A font file (path relative to the project) to use instead of the
    /// built-in Noto Sans JP.
    #[serde(default)]
    pub font: Option<Spanned<String>>,
    /// Face index inside a `.ttc` collection.
    #[serde(default)]
    pub font_index: u32,
    /// A document rendered once more as `dist/<name>.pdf` with every locale
    /// in one file, each starting on a new page (the bilingual handout).
    #[serde(default)]
    pub combined: Option<Spanned<String>>,
    /// A document rendered once more as `dist/<name>-parallel.pdf`: two
    /// locales side by side, each block level with its translation.
    #[serde(default)]
    pub parallel: Option<Spanned<String>>,
    /// The parallel handout's two locales, left then right; by default the
    /// source locale and the first other one in `locales`.
    #[serde(default)]
    pub parallel_locales: Option<Spanned<Vec<Spanned<String>>>>,
    /// The parallel handout's paper: landscape (the default) or portrait.
    #[serde(default)]
    pub parallel_orientation: Option<Orientation>,
    // The four page setup keys repeat `PageConfig`'s: serde cannot
    // `flatten` a struct into one that denies unknown fields, and a typo in
    // `[pdf]` must stay an error. `base_page` turns them into a `PageConfig`.
    /// Page setup for every locale: `paper` (see [`PageConfig`]).
    #[serde(default)]
    pub paper: Option<Spanned<toml::Value>>,
    /// Page setup for every locale: `margin` (see [`PageConfig`]).
    #[serde(default)]
    pub margin: Option<Spanned<toml::Value>>,
    /// Page setup for every locale: `font_size` (see [`PageConfig`]).
    #[serde(default)]
    pub font_size: Option<Spanned<toml::Value>>,
    /// Page setup for every locale: `line_height` (see [`PageConfig`]).
    #[serde(default)]
    pub line_height: Option<Spanned<toml::Value>>,
    /// `[pdf.locale.<locale>]`: page setup keys for one locale's PDFs,
    /// each replacing the one of `[pdf]`.
    #[serde(default)]
    pub locale: BTreeMap<Spanned<String>, PageConfig>,
}

/// `[pdf] parallel_orientation`.
#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Pages taller than wide.
    Portrait,
    /// Pages wider than tall: two columns of a comfortable measure.
    #[default]
    Landscape,
}

/// `[pdf]` in a `content/documents/<name>.toml`: settings of that
/// document's PDFs.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct DocumentPdf {
    /// A QR code beside every link. Default: on for the handouts (the
    /// documents named by `[pdf] combined` or `parallel`), off otherwise.
    #[serde(default)]
    pub qr: Option<bool>,
}

/// Page setup keys, in `[pdf]` and in `[pdf.locale.<locale>]`:
/// `paper = "A4" | "A5" | "B5" | "Letter" | "Legal" | [width, height]`,
/// `margin = length | { top, bottom, left, right }`, `font_size = length`,
/// `line_height = number` (times the font size). A length is a number of
/// points or a string with a unit: `"22mm"`, `"0.75in"`, `"10pt"`.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct PageConfig {
    /// `paper`: a size name or `[width, height]`, as written (checked
    /// when the page setup is read, so that errors point at it).
    #[serde(default)]
    pub paper: Option<Spanned<toml::Value>>,
    /// `margin`: one length or `{ top, bottom, left, right }`, as written.
    #[serde(default)]
    pub margin: Option<Spanned<toml::Value>>,
    /// `font_size`: the body text's size, a length as written.
    #[serde(default)]
    pub font_size: Option<Spanned<toml::Value>>,
    /// `line_height`: times the font size, as written.
    #[serde(default)]
    pub line_height: Option<Spanned<toml::Value>>,
}

/// Page setup as read from `[pdf]`, in points; `None` keeps the default
/// (see `render::pdf::page::PageSetup::from_spec`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PageSpec {
    /// Paper width and height.
    pub paper: Option<(f32, f32)>,
    /// Top, bottom, left, right.
    pub margin: [Option<f32>; 4],
    /// The body text's font size.
    pub font_size: Option<f32>,
    /// Line height, times the font size (a ratio, not points).
    pub line_height: Option<f32>,
}

impl PdfConfig {
    /// The page setup keys of `[pdf]` itself.
    fn base_page(&self) -> PageConfig {
        PageConfig {
            paper: self.paper.clone(),
            margin: self.margin.clone(),
            font_size: self.font_size.clone(),
            line_height: self.line_height.clone(),
        }
    }

    /// The page setup keys for `locale`: its `[pdf.locale.<locale>]` keys
    /// over those of `[pdf]`.
    fn page_config(&self, locale: &str) -> PageConfig {
        let mut page = self.base_page();
        if let Some(over) = self
            .locale
            .iter()
            .find(|(k, _)| k.get_ref() == locale)
            .map(|(_, v)| v)
        {
            if over.paper.is_some() {
                page.paper = over.paper.clone();
            }
            if over.margin.is_some() {
                page.margin = over.margin.clone();
            }
            if over.font_size.is_some() {
                page.font_size = over.font_size.clone();
            }
            if over.line_height.is_some() {
                page.line_height = over.line_height.clone();
            }
        }
        page
    }

    /// The page setup of `locale`'s PDFs (checked when the project was
    /// loaded; a value that did not check out is ignored here).
    pub fn page_spec(&self, locale: &str) -> PageSpec {
        self.page_config(locale).resolve().unwrap_or_default()
    }

    /// Checks the page setup of `[pdf]` and of each locale: every value,
    /// and that the text area holds at least a few characters and lines.
    pub(crate) fn check_pages(&self, file: &SourceFile, locales: &[String]) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let bad = |span: Range<usize>, msg: String, help: &'static str| {
            Diagnostic::error(Code::E0201, msg)
                .at(file.at(span))
                .help(help)
        };
        for key in self.locale.keys() {
            if !locales.iter().any(|l| l == key.get_ref()) {
                problems.push(bad(
                    key.span(),
                    format!(
                        "`[pdf.locale.{}]` names a locale not in `locales`",
                        key.get_ref()
                    ),
                    "use one of the locales listed in `locales`",
                ));
            }
        }
        let mut configs = vec![(None, self.base_page())];
        for l in locales {
            configs.push((Some(l.as_str()), self.page_config(l)));
        }
        for (locale, page) in configs {
            match page.resolve() {
                Err((span, msg, help)) => problems.push(bad(span, msg, help)),
                Ok(spec) => {
                    let setup = crate::render::pdf::page::PageSetup::from_spec(&spec);
                    let room = setup.text_width() / setup.font_size;
                    let lines = (setup.height - setup.top - setup.bottom)
                        / (setup.font_size * setup.line_height.unwrap_or(1.7));
                    if room < 10.0 || lines < 5.0 {
                        let span = [
                            &page.margin,
                            &page.paper,
                            &page.font_size,
                            &page.line_height,
                        ]
                        .into_iter()
                        .flatten()
                        .next()
                        .map_or(0..0, |v| v.span());
                        problems.push(bad(
                            span,
                            format!(
                                "the text area{} is {:.0} × {:.0} pt: room for {:.0} characters and {:.0} lines",
                                locale.map_or(String::new(), |l| format!(" of `{l}`")),
                                setup.text_width().max(0.0),
                                (setup.height - setup.top - setup.bottom).max(0.0),
                                room.max(0.0).floor(),
                                lines.max(0.0).floor()
                            ),
                            "make the margins or the font size smaller, or the paper larger: a page needs room for at least 10 characters and 5 lines",
                        ));
                    }
                }
            }
            // One report for the keys of [pdf] is enough: a locale that
            // only inherits them would repeat it.
            if !problems.is_empty() {
                break;
            }
        }
        problems
    }
}

/// Named paper sizes, in points (ISO A4/A5, JIS B5, US Letter and Legal).
const PAPERS: [(&str, f32, f32); 5] = [
    ("A4", 595.28, 841.89),
    ("A5", 419.53, 595.28),
    ("B5", 515.91, 728.50),
    ("Letter", 612.0, 792.0),
    ("Legal", 612.0, 1008.0),
];

type PageError = (Range<usize>, String, &'static str);

/// A length in points: a number (points) or `"<number><mm|pt|in>"`.
fn length(v: &toml::Value, span: Range<usize>, what: &str) -> Result<f32, PageError> {
    let help = "write a length as a number of points or a string with a unit: \"22mm\", \"0.75in\", \"10pt\"";
    let points = match v {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        toml::Value::String(s) => {
            let t = s.trim();
            let (num, unit) =
                t.split_at(t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len()));
            let factor = match unit.trim() {
                "mm" => 72.0 / 25.4,
                "cm" => 72.0 / 2.54,
                "in" => 72.0,
                "pt" | "" => 1.0,
                other => {
                    return Err((
                        span,
                        format!("unknown unit `{other}` in {what} `{s}`"),
                        help,
                    ));
                }
            };
            let n: f64 = num
                .trim()
                .parse()
                .map_err(|_| (span.clone(), format!("{what} `{s}` is not a length"), help))?;
            n * factor
        }
        other => {
            return Err((
                span,
                format!("{what} must be a length, not {}", other.type_str()),
                help,
            ));
        }
    };
    if !points.is_finite() || points <= 0.0 || points > 14_400.0 {
        return Err((
            span,
            format!("{what} must be a positive length up to 200 in (got {points} pt)"),
            help,
        ));
    }
    Ok(points as f32)
}

impl PageConfig {
    /// The values in points, or the first bad one: where, what, and a hint.
    pub fn resolve(&self) -> Result<PageSpec, PageError> {
        let mut spec = PageSpec::default();
        if let Some(p) = &self.paper {
            let span = p.span();
            spec.paper = Some(match p.get_ref() {
                toml::Value::String(name) => PAPERS
                    .iter()
                    .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
                    .map(|&(_, w, h)| (w, h))
                    .ok_or_else(|| {
                        (
                            span.clone(),
                            format!("unknown paper `{name}`"),
                            "use A4, A5, B5, Letter, Legal, or [width, height] such as [\"182mm\", \"257mm\"]",
                        )
                    })?,
                toml::Value::Array(a) if a.len() == 2 => (
                    length(&a[0], span.clone(), "the paper width")?,
                    length(&a[1], span.clone(), "the paper height")?,
                ),
                _ => {
                    return Err((
                        span,
                        "`paper` must be a paper name or [width, height]".to_string(),
                        "use A4, A5, B5, Letter, Legal, or [width, height] such as [\"182mm\", \"257mm\"]",
                    ));
                }
            });
        }
        if let Some(m) = &self.margin {
            let span = m.span();
            match m.get_ref() {
                toml::Value::Table(t) => {
                    for (key, v) in t {
                        let at = ["top", "bottom", "left", "right"]
                            .iter()
                            .position(|k| k == key)
                            .ok_or_else(|| {
                                (
                                    span.clone(),
                                    format!("unknown margin `{key}`"),
                                    "a margin table has `top`, `bottom`, `left` and `right`",
                                )
                            })?;
                        spec.margin[at] =
                            Some(length(v, span.clone(), &format!("the {key} margin"))?);
                    }
                }
                v => spec.margin = [Some(length(v, span, "the margin")?); 4],
            }
        }
        if let Some(f) = &self.font_size {
            let size = length(f.get_ref(), f.span(), "the font size")?;
            if !(4.0..=72.0).contains(&size) {
                return Err((
                    f.span(),
                    format!("a font size of {size} pt is not usable"),
                    "use a body font size between 4 and 72 points",
                ));
            }
            spec.font_size = Some(size);
        }
        if let Some(l) = &self.line_height {
            let v = match l.get_ref() {
                toml::Value::Integer(i) => *i as f64,
                toml::Value::Float(f) => *f,
                _ => f64::NAN,
            };
            if !(1.0..=4.0).contains(&v) {
                return Err((
                    l.span(),
                    "`line_height` must be a number from 1 to 4 (times the font size)".to_string(),
                    "for example line_height = 1.7",
                ));
            }
            spec.line_height = Some(v as f32);
        }
        Ok(spec)
    }
}
