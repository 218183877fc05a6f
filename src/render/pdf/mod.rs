//! PDF export with Japanese typography.
//!
//! Stages, as in Typst: [`fonts`] (parse once with ttf-parser, check
//! coverage, shape runs with rustybuzz) → [`linebreak`] (UAX #14, kinsoku,
//! hyphenation, spacing, justification, over measured clusters) →
//! [`layout`] (positioned glyphs on pages, keeps, header/footer; no PDF
//! knowledge) → [`write`](mod@write) (font subset — `cid_subset` for CID-keyed
//! CFF, else subsetter —, font objects, content streams; printpdf + lopdf;
//! no line-breaking knowledge).

mod cid_subset;
pub mod fonts;
mod glyf_bound;
pub mod layout;
pub mod linebreak;
pub mod page;
pub mod parallel;
pub mod qr;
mod serial;
pub mod stats;
pub mod write;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock};

use fonts::Font;
use layout::{Laid, Layout};
use linebreak::LineBreaker;
use page::PageSetup;

use super::{Output, RenderContext, Renderer, WarmUp};
use crate::diag::Result;
use crate::document::Document;

/// Renders documents to PDF with one font and one line breaker for the run.
pub struct Pdf {
    /// Shared with the build's pre-flight, which checks every character
    /// against it before anything is rendered.
    pub font: std::sync::Arc<Font>,
    breaker: LineBreaker,
    settings: Settings,
    codes: Arc<qr::Cache>,
    /// Documents already laid out that go into more than one PDF: the
    /// bilingual handout is made of the per-locale handouts' pages, and
    /// `talkdoc watch` re-renders it when only one locale's part changed.
    laid: Mutex<Vec<LaidEntry>>,
    subsets: write::WriteCache,
    /// Paragraphs shaped and broken in this run (see [`layout::Memo`]).
    memo: layout::Memo,
}

/// A document, the geometry it was laid out with, and its pages (made once,
/// by whichever render thread asks first; the others wait for it).
struct LaidEntry {
    doc: Document,
    setup: PageSetup,
    laid: Arc<OnceLock<Arc<Laid>>>,
}

/// Laid-out documents kept: a run's (about a dozen) and the previous run's.
const LAID_KEPT: usize = 32;

/// What `content/` asks of the PDFs beyond one file per document: QR codes
/// and the parallel handout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Documents whose PDFs get a QR code for every link (`[pdf] qr` in
    /// the document's file; by default the handouts).
    pub qr: BTreeSet<String>,
    /// `[pdf] parallel`, when its two locales are known.
    pub parallel: Option<ParallelSpec>,
}

/// The parallel handout: which document, which locales left and right.
#[derive(Debug, Clone, PartialEq)]
pub struct ParallelSpec {
    /// The document set in two columns (`[pdf] parallel`).
    pub document: String,
    /// The locale of the left column (the source, unless configured).
    pub left: String,
    /// The locale of the right column.
    pub right: String,
    /// Landscape pages (the default) rather than portrait.
    pub landscape: bool,
}

impl ParallelSpec {
    /// `dist/<document>-parallel.pdf`.
    pub fn relative(&self) -> std::path::PathBuf {
        format!("{}-parallel.pdf", self.document).into()
    }
}

impl Settings {
    /// The settings `content/` gives; nothing is validated here (see
    /// `preflight::settings`): a parallel handout without two locales is
    /// not made.
    pub fn from_content(content: &crate::content::Content) -> Settings {
        let cfg = &content.config.pdf;
        let named = |name: &str| {
            [&cfg.combined, &cfg.parallel]
                .iter()
                .any(|c| c.as_ref().is_some_and(|c| c.get_ref() == name))
        };
        let qr = content
            .documents
            .iter()
            .filter(|(name, doc)| doc.spec.pdf.qr.unwrap_or_else(|| named(name)))
            .map(|(name, _)| name.clone())
            .collect();
        let parallel = cfg.parallel.as_ref().and_then(|document| {
            let (left, right) = match &cfg.parallel_locales {
                Some(pair) => match pair.get_ref().as_slice() {
                    [l, r] => (l.get_ref().clone(), r.get_ref().clone()),
                    _ => return None,
                },
                None => {
                    let source = content.source_locale();
                    let other = content.locales().into_iter().find(|l| l != source)?;
                    (source.to_string(), other)
                }
            };
            Some(ParallelSpec {
                document: document.get_ref().clone(),
                left,
                right,
                landscape: cfg.parallel_orientation.unwrap_or_default()
                    == crate::config::Orientation::Landscape,
            })
        });
        Settings { qr, parallel }
    }
}

impl Pdf {
    /// A renderer with `font` for every PDF of the run and no QR or
    /// parallel settings (see [`Pdf::with_settings`]).
    pub fn new(font: std::sync::Arc<Font>) -> Self {
        Pdf {
            font,
            breaker: LineBreaker::new(),
            settings: Settings::default(),
            codes: Arc::default(),
            laid: Mutex::new(Vec::new()),
            subsets: write::WriteCache::default(),
            memo: layout::Memo::default(),
        }
    }

    /// `doc` laid out on `setup`'s pages, from the cache when the same
    /// document was laid out before with the same geometry.
    fn laid(&self, doc: &Document, setup: &PageSetup) -> Arc<Laid> {
        let cell = {
            let mut entries = self.laid.lock().unwrap_or_else(|e| e.into_inner());
            match entries.iter().find(|e| e.setup == *setup && e.doc == *doc) {
                Some(e) => e.laid.clone(),
                None => {
                    if entries.len() >= LAID_KEPT {
                        entries.remove(0);
                    }
                    let cell = Arc::new(OnceLock::new());
                    entries.push(LaidEntry {
                        doc: doc.clone(),
                        setup: *setup,
                        laid: cell.clone(),
                    });
                    cell
                }
            }
        };
        cell.get_or_init(|| Arc::new(self.layout().document(doc, 0, setup)))
            .clone()
    }

    /// The renderer for a session that renders the same PDFs again and
    /// again (`watch`): deflated streams are kept too, so a page an edit
    /// did not touch is not compressed again.
    pub fn keeping_streams(mut self) -> Self {
        self.subsets = write::WriteCache::keeping_streams();
        self
    }

    /// The renderer with `content/`'s QR and parallel-handout settings.
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    fn layout(&self) -> Layout<'_> {
        Layout {
            font: &self.font,
            breaker: &self.breaker,
            record: false,
            memo: &self.memo,
        }
    }

    /// Several documents in one file, each starting on a new page, with a
    /// bookmark per document and its sections beneath (the bilingual handout).
    ///
    /// `shared` says which documents also go into another output: only
    /// those are kept laid out (a hundred-page document laid out once is
    /// worth keeping only if it is used again).
    /// Each part is set with the page setup of its locale (`[pdf]` and
    /// `[pdf.locale.<locale>]`).
    pub fn render_many(
        &self,
        parts: &[(&Document, &str)],
        meta: &write::Metadata<'_>,
        shared: &dyn Fn(&Document) -> bool,
        pdf: &crate::config::PdfConfig,
    ) -> Result<Vec<u8>> {
        let mut laid_parts = Vec::new();
        for (doc, title) in parts {
            self.font.check_coverage(doc)?;
            // Each document's title is a top-level bookmark, its headings beneath.
            let setup = PageSetup::from_spec(&pdf.page_spec(&doc.locale));
            let laid = if shared(doc) {
                self.laid(doc, &setup)
            } else {
                Arc::new(self.layout().document(doc, 0, &setup))
            };
            laid_parts.push((laid, *title));
        }
        let refs: Vec<(&Laid, &str)> = laid_parts.iter().map(|(l, t)| (&**l, *t)).collect();
        let mut laid = self.layout().finish(&refs);
        if parts
            .first()
            .is_some_and(|(doc, _)| self.settings.qr.contains(&doc.name))
        {
            // Each part's codes in its own right margin (the locales of a
            // bilingual handout may have different page setups): `finish`
            // keeps the parts' pages in order.
            let mut rest = &mut laid.pages[..];
            for (part, _) in &laid_parts {
                let n = part.pages.len().min(rest.len());
                let (pages, after) = rest.split_at_mut(n);
                qr::add_margin_codes(pages, &part.setup, &self.codes);
                rest = after;
            }
        }
        write::write_pdf(&self.font, &laid, meta, &self.subsets)
    }
}

impl Renderer for Pdf {
    fn name(&self) -> &'static str {
        "pdf"
    }

    /// One PDF per document, and the combined document (`[pdf] combined`)
    /// once more with every locale in one file, last.
    fn outputs(&self, ctx: &RenderContext<'_>) -> Vec<Output> {
        let mut out = super::per_document(ctx, "pdf");
        if let Some(name) = ctx.combined {
            let parts: Vec<usize> = (0..ctx.docs.len())
                .filter(|&i| ctx.docs[i].name == name)
                .collect();
            // One locale is just the document's own PDF.
            if parts.len() >= 2 {
                out.push(Output {
                    relative: format!("{name}.pdf").into(),
                    parts,
                });
            }
        }
        if let Some(p) = &self.settings.parallel {
            let find = |locale: &str| {
                ctx.docs
                    .iter()
                    .position(|d| d.name == p.document && d.locale == locale)
            };
            // Both locales must be in the build (not with `--locale ja`).
            if let (Some(l), Some(r)) = (find(&p.left), find(&p.right))
                && l != r
            {
                out.push(Output {
                    relative: p.relative(),
                    parts: vec![l, r],
                });
            }
        }
        out
    }

    /// On the idle core of a one-PDF build: the QR codes of the links (a
    /// code's mask is chosen by scoring all eight, ~0.15 ms an address) and
    /// the glyphs of every character freed of their subroutines, both
    /// cached for `render`, which lays the text out meanwhile. Glyphs the
    /// shaper ends up not using cost only that core's time.
    fn warm_up(&self, ctx: &RenderContext<'_>, outputs: &[&Output]) -> Option<WarmUp> {
        let mut chars = BTreeSet::new();
        let mut urls = BTreeSet::new();
        let parts: BTreeSet<usize> = outputs
            .iter()
            .flat_map(|o| o.parts.iter().copied())
            .collect();
        for &i in &parts {
            let (Some(doc), Some(title)) = (ctx.docs.get(i), ctx.titles.get(i)) else {
                continue;
            };
            chars.extend(title.chars());
            for (_, visible) in doc.visible_strings() {
                chars.extend(visible.chars());
            }
            let qr = self.settings.qr.contains(&doc.name);
            for text in doc.texts() {
                // The address is printed after the link text.
                for url in crate::document::link_urls(&text.inlines) {
                    chars.extend(url.chars());
                    if qr && qr::wants_code(url) {
                        urls.insert(url.to_string());
                    }
                }
            }
        }
        chars.extend(layout::DRAWN.chars());
        let (font, codes) = (self.font.clone(), self.codes.clone());
        WarmUp::start(move |stop| {
            use std::sync::atomic::Ordering;
            for url in &urls {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                codes.get(url);
            }
            if let Some(cid) = font.cid() {
                for &c in &chars {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if let Some((gid, _)) = font.glyph(c) {
                        cid.prewarm(gid);
                    }
                }
            }
        })
    }

    fn render(&self, ctx: &RenderContext<'_>, output: &Output) -> Result<Vec<u8>> {
        let docs: Vec<&Document> = output.parts.iter().map(|&i| &ctx.docs[i]).collect();
        let titles: Vec<&str> = output
            .parts
            .iter()
            .map(|&i| ctx.titles[i].as_str())
            .collect();
        let Some(first) = docs.first() else {
            return Ok(Vec::new());
        };
        if let Some(p) = &self.settings.parallel
            && output.relative == p.relative()
            && let [left, right] = docs[..]
        {
            self.font.check_coverage(left)?;
            self.font.check_coverage(right)?;
            let title = format!("{} / {}", titles[0], titles[1]);
            let subject = format!(
                "Talk proposal: {} ({} | {})",
                left.name, left.locale, right.locale
            );
            let meta = write::Metadata {
                title: &title,
                subject: &subject,
                keywords: ctx.keywords,
                author: ctx.author,
                lang: &left.locale,
            };
            let specs = [
                ctx.pdf.page_spec(&left.locale),
                ctx.pdf.page_spec(&right.locale),
            ];
            let laid = parallel::lay_out(
                &self.layout(),
                [(left, titles[0]), (right, titles[1])],
                p.landscape,
                [&specs[0], &specs[1]],
                self.settings.qr.contains(&left.name).then_some(&self.codes),
                &|doc, setup| Laid::clone(&self.laid(doc, setup)),
            );
            return write::write_pdf(&self.font, &laid, &meta, &self.subsets);
        }
        let (title, subject) = if docs.len() == 1 {
            (
                titles[0].to_string(),
                format!("Talk proposal: {}", first.name),
            )
        } else {
            let locales: Vec<&str> = docs.iter().map(|d| d.locale.as_str()).collect();
            (
                titles.join(" / "),
                format!("Talk proposal: {} ({})", first.name, locales.join(", ")),
            )
        };
        let meta = write::Metadata {
            title: &title,
            subject: &subject,
            keywords: ctx.keywords,
            author: ctx.author,
            lang: &first.locale,
        };
        let parts: Vec<(&Document, &str)> = docs.into_iter().zip(titles).collect();
        let shared = |d: &Document| ctx.combined == Some(d.name.as_str());
        self.render_many(&parts, &meta, &shared, ctx.pdf)
    }
}
