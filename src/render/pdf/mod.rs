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
pub mod stats;
pub mod write;

use fonts::Font;
use layout::Layout;
use linebreak::LineBreaker;

use super::{Output, RenderContext, Renderer};
use crate::diag::Result;
use crate::document::Document;

/// Renders documents to PDF with one font and one line breaker for the run.
pub struct Pdf {
    /// Shared with the build's pre-flight, which checks every character
    /// against it before anything is rendered.
    pub font: std::sync::Arc<Font>,
    breaker: LineBreaker,
}

impl Pdf {
    pub fn new(font: std::sync::Arc<Font>) -> Self {
        Pdf {
            font,
            breaker: LineBreaker::new(),
        }
    }

    fn layout(&self) -> Layout<'_> {
        Layout {
            font: &self.font,
            breaker: &self.breaker,
            record: false,
        }
    }

    /// Several documents in one file, each starting on a new page, with a
    /// bookmark per document and its sections beneath (the bilingual handout).
    /// Each part is set with the page setup of its locale (`[pdf]` and
    /// `[pdf.locale.<locale>]`).
    pub fn render_many(
        &self,
        parts: &[(&Document, &str)],
        meta: &write::Metadata<'_>,
        pdf: &crate::content::PdfConfig,
    ) -> Result<Vec<u8>> {
        let layout = self.layout();
        let mut laid_parts = Vec::new();
        for (doc, title) in parts {
            self.font.check_coverage(doc)?;
            // Each document's title is a top-level bookmark, its headings beneath.
            let setup = page::PageSetup::from_spec(&pdf.page_spec(&doc.locale));
            laid_parts.push((layout.document(doc, 0, &setup), title.to_string()));
        }
        let laid = layout.finish(laid_parts);
        write::write_pdf(&self.font, &laid, meta)
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
        self.render_many(&parts, &meta, ctx.pdf)
    }
}
