//! Renderers: one module per output format, all reading the same
//! [`Document`] model (mdBook's `Renderer` design).
//!
//! A renderer turns documents into bytes and nothing else; writing files is
//! the caller's job (see [`crate::output`]), so a failed render can never
//! leave a half-written file behind.

pub mod markdown;
pub mod pdf;
pub mod text;

use crate::diag::Result;
use crate::document::Document;

/// What a renderer may need besides the document itself.
pub struct RenderContext<'a> {
    /// The talk title in the document's locale (PDF metadata, running header).
    pub talk_title: &'a str,
    pub author: Option<&'a str>,
    pub keywords: &'a [String],
}

/// One output format.
pub trait Renderer: Sync {
    /// Format name as used on the command line (`md`, `txt`, `pdf`).
    fn name(&self) -> &'static str;
    /// File extension of the output.
    fn extension(&self) -> &'static str;
    fn render(&self, ctx: &RenderContext<'_>, doc: &Document) -> Result<Vec<u8>>;
    /// For renderers with extra outputs (the PDF's combined handout).
    fn as_any(&self) -> &dyn std::any::Any;
}
