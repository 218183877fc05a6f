//! Renderers: one module per output format, all reading the same
//! [`Document`] model (mdBook's `Renderer` design).
//!
//! A renderer turns documents into bytes and nothing else; writing files is
//! the caller's job (see [`crate::output`]), so a failed render can never
//! leave a half-written file behind.

pub mod markdown;
pub mod pdf;
pub mod text;

use std::path::PathBuf;

use crate::diag::Result;
use crate::document::Document;
pub use crate::threads::WarmUp;

/// Everything a renderer may read: the whole assembled set (mdBook's
/// `RenderContext` gets the whole book), so a renderer decides its own
/// outputs — one file per document, or one file from several (the PDF's
/// bilingual handout) — with no caller knowing which.
pub struct RenderContext<'a> {
    /// Every assembled document of the run, in locale-then-document order.
    pub docs: &'a [Document],
    /// The talk title in each document's locale (same order as `docs`).
    pub titles: &'a [String],
    /// `author` from `content/project.toml`, for document metadata.
    pub author: Option<&'a str>,
    /// `keywords` from `content/project.toml`, for document metadata.
    pub keywords: &'a [String],
    /// `[pdf] combined`: the document also rendered once with every locale.
    pub combined: Option<&'a str>,
    /// `[pdf]`: the page setup of each locale's PDFs.
    pub pdf: &'a crate::config::PdfConfig,
}

/// One file a renderer will make: where it goes and which documents (by
/// index into [`RenderContext::docs`]) it is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path under the output folder, e.g. `ja/abstract.md`.
    pub relative: PathBuf,
    /// The documents it is made from, in order; more than one for a
    /// combined or parallel PDF.
    pub parts: Vec<usize>,
}

/// One output format.
pub trait Renderer: Sync {
    /// Format name as used on the command line (`md`, `txt`, `pdf`).
    fn name(&self) -> &'static str;
    /// The files this renderer makes from the whole set.
    fn outputs(&self, ctx: &RenderContext<'_>) -> Vec<Output>;
    /// The bytes of one of those files. Called in parallel.
    fn render(&self, ctx: &RenderContext<'_>, output: &Output) -> Result<Vec<u8>>;
    /// Called before `outputs` are rendered when the run leaves a core idle
    /// (a build of one PDF): work the renderer would otherwise do itself
    /// later may start there ([`WarmUp::start`]). It must return at once
    /// and never change what `render` makes: whatever the warm-up has not
    /// done when `render` needs it, `render` does itself.
    fn warm_up(&self, _ctx: &RenderContext<'_>, _outputs: &[&Output]) -> Option<WarmUp> {
        None
    }
}

/// One file per document: `<locale>/<document>.<extension>`.
pub fn per_document(ctx: &RenderContext<'_>, extension: &str) -> Vec<Output> {
    ctx.docs
        .iter()
        .enumerate()
        .map(|(i, d)| Output {
            relative: PathBuf::from(&d.locale).join(format!("{}.{extension}", d.name)),
            parts: vec![i],
        })
        .collect()
}
