//! PDF export with Japanese typography.
//!
//! Stages, as in Typst: [`fonts`] (parse once, check coverage) →
//! [`linebreak`] (UAX #14 + kinsoku + hyphenation, spacing, justification)
//! → [`layout`] (pages, keeps, header/footer; no PDF knowledge) →
//! [`write`] (printpdf + lopdf; no line-breaking knowledge).

pub mod fonts;
pub mod layout;
pub mod linebreak;
pub mod write;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use fonts::Font;
use layout::Layout;
use linebreak::LineBreaker;

use super::{RenderContext, Renderer};
use crate::diag::Result;
use crate::document::Document;

/// Renders documents to PDF with one font and one line breaker for the run.
pub struct Pdf {
    pub font: Font,
    breaker: LineBreaker,
}

impl Pdf {
    pub fn new(font: Font) -> Self {
        Pdf {
            font,
            breaker: LineBreaker::new(),
        }
    }

    fn layout(&self) -> Layout<'_> {
        Layout {
            font: &self.font,
            breaker: &self.breaker,
        }
    }

    /// Several documents in one file, each starting on a new page, with a
    /// bookmark per document and its sections beneath (the bilingual handout).
    pub fn render_many(
        &self,
        parts: &[(&Document, &str)],
        meta: &write::Metadata<'_>,
    ) -> Result<Vec<u8>> {
        let layout = self.layout();
        for (doc, _) in parts {
            self.font.check_coverage(doc)?;
        }
        // The font is subset to the glyphs known from shaping (before lines
        // are broken), on a second thread while the pages are laid out when
        // a core is free (a single-PDF build), else in line: the same bytes
        // either way.
        let mut glyphs = std::collections::BTreeSet::new();
        for (doc, title) in parts {
            layout.predict_glyphs(doc, title, &mut glyphs);
        }
        let lay_out = || {
            // Each document's title is a top-level bookmark, its headings beneath.
            let laid_parts = parts
                .iter()
                .map(|(doc, title)| (layout.document(doc, 0), title.to_string()))
                .collect();
            layout.finish(laid_parts)
        };
        let _busy = Busy::enter();
        if Busy::cores_free() {
            std::thread::scope(|s| {
                let subset = s.spawn(|| write::Subset::new(&self.font, &glyphs));
                let laid = lay_out();
                // A subset that failed is made again (and its error reported)
                // from the glyphs actually drawn.
                let prepared = subset.join().ok().and_then(|r| r.ok());
                write::write_pdf_with(&self.font, &laid, meta, prepared)
            })
        } else {
            let prepared = write::Subset::new(&self.font, &glyphs).ok();
            write::write_pdf_with(&self.font, &lay_out(), meta, prepared)
        }
    }
}

/// Counts PDFs being rendered, to know whether a core is free.
static RENDERING: AtomicUsize = AtomicUsize::new(0);

struct Busy;

impl Busy {
    fn enter() -> Busy {
        RENDERING.fetch_add(1, Ordering::Relaxed);
        Busy
    }

    fn cores_free() -> bool {
        static CORES: OnceLock<usize> = OnceLock::new();
        let cores =
            *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        RENDERING.load(Ordering::Relaxed) < cores
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        RENDERING.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Renderer for Pdf {
    fn name(&self) -> &'static str {
        "pdf"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn extension(&self) -> &'static str {
        "pdf"
    }
    fn render(&self, ctx: &RenderContext<'_>, doc: &Document) -> Result<Vec<u8>> {
        let subject = format!("Talk proposal: {}", doc.name);
        let meta = write::Metadata {
            title: ctx.talk_title,
            subject: &subject,
            keywords: ctx.keywords,
            author: ctx.author,
            lang: &doc.locale,
        };
        self.render_many(&[(doc, ctx.talk_title)], &meta)
    }
}
