//! PDF export with Japanese typography.
//!
//! Stages, as in Typst: [`fonts`] (parse once with ttf-parser, check
//! coverage, shape runs with rustybuzz) → [`linebreak`] (UAX #14, kinsoku,
//! hyphenation, spacing, justification, over measured clusters) →
//! [`layout`] (positioned glyphs on pages, keeps, header/footer; no PDF
//! knowledge) → [`write`] (subset with subsetter, font objects, content
//! streams; printpdf + lopdf; no line-breaking knowledge).

pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod page;
mod serial;
pub mod write;

use std::sync::{Arc, Mutex, OnceLock};

use fonts::Font;
use layout::{Laid, Layout};
use linebreak::LineBreaker;
use page::PageSetup;

use super::{Output, RenderContext, Renderer};
use crate::diag::Result;
use crate::document::Document;

/// Renders documents to PDF with one font and one line breaker for the run.
pub struct Pdf {
    /// Shared with the build's pre-flight, which checks every character
    /// against it before anything is rendered.
    pub font: std::sync::Arc<Font>,
    breaker: LineBreaker,
    /// Documents already laid out that go into more than one PDF: the
    /// bilingual handout is made of the per-locale handouts' pages, and
    /// `talkdoc watch` re-renders it when only one locale's part changed.
    laid: Mutex<Vec<LaidEntry>>,
    subsets: write::SubsetCache,
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

impl Pdf {
    pub fn new(font: std::sync::Arc<Font>) -> Self {
        Pdf {
            font,
            breaker: LineBreaker::new(),
            laid: Mutex::new(Vec::new()),
            subsets: write::SubsetCache::default(),
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

    fn layout(&self) -> Layout<'_> {
        Layout {
            font: &self.font,
            breaker: &self.breaker,
        }
    }

    /// Several documents in one file, each starting on a new page, with a
    /// bookmark per document and its sections beneath (the bilingual handout).
    ///
    /// `shared` says which documents also go into another output: only
    /// those are kept laid out (a hundred-page document laid out once is
    /// worth keeping only if it is used again).
    pub fn render_many(
        &self,
        parts: &[(&Document, &str)],
        meta: &write::Metadata<'_>,
        shared: &dyn Fn(&Document) -> bool,
    ) -> Result<Vec<u8>> {
        let mut laid_parts = Vec::new();
        for (doc, title) in parts {
            self.font.check_coverage(doc)?;
            // Each document's title is a top-level bookmark, its headings beneath.
            let setup = PageSetup::default();
            let laid = if shared(doc) {
                self.laid(doc, &setup)
            } else {
                Arc::new(self.layout().document(doc, 0, &setup))
            };
            laid_parts.push((laid, *title));
        }
        let refs: Vec<(&Laid, &str)> = laid_parts.iter().map(|(l, t)| (&**l, *t)).collect();
        let laid = self.layout().finish(&refs);
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
        out
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
        self.render_many(&parts, &meta, &shared)
    }
}
