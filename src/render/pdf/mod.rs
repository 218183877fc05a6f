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
pub mod write;

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
        let mut laid_parts = Vec::new();
        for (doc, title) in parts {
            self.font.check_coverage(doc)?;
            // Each document's title is a top-level bookmark, its headings beneath.
            laid_parts.push((layout.document(doc, 0), title.to_string()));
        }
        let laid = layout.finish(laid_parts);
        write::write_pdf(&self.font, &laid, meta)
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
