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

use std::borrow::Cow;
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
    settings: Settings,
    run: Arc<Run>,
}

/// What every PDF of a run shares, and shares with a warm-up thread
/// ([`Renderer::warm_up`]): the font, the line breaker, and what one PDF
/// makes that another (or the warm-up) may use.
struct Run {
    /// Shared with the build's pre-flight, which checks every character
    /// against it before anything is rendered.
    font: Arc<Font>,
    breaker: LineBreaker,
    codes: qr::Cache,
    /// Documents already laid out that go into more than one PDF: the
    /// bilingual handout is made of the per-locale handouts' pages, and
    /// `talkdoc watch` re-renders it when only one locale's part changed.
    laid: Mutex<Vec<LaidEntry>>,
    subsets: write::WriteCache,
    /// Paragraphs shaped and broken in this run (see [`layout::Memo`]).
    memo: layout::Memo,
}

/// One part of a PDF made of documents: the document, its talk title, its
/// page setup, and whether it is laid out through [`Run::laid`] (it goes
/// into more than one PDF). Borrowed from the run's documents, or owned
/// (`Part<'static>`) by a warm-up thread.
struct Part<'a> {
    doc: Cow<'a, Document>,
    title: Cow<'a, str>,
    setup: PageSetup,
    shared: bool,
}

impl Part<'_> {
    fn into_owned(self) -> Part<'static> {
        Part {
            doc: Cow::Owned(self.doc.into_owned()),
            title: Cow::Owned(self.title.into_owned()),
            setup: self.setup,
            shared: self.shared,
        }
    }
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

impl Run {
    fn new(font: Arc<Font>, subsets: write::WriteCache) -> Run {
        Run {
            font,
            breaker: LineBreaker::new(),
            codes: qr::Cache::default(),
            laid: Mutex::new(Vec::new()),
            subsets,
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

    fn layout(&self) -> Layout<'_> {
        Layout {
            font: &self.font,
            breaker: &self.breaker,
            record: false,
            memo: &self.memo,
        }
    }

    /// Several documents laid out as one file, each starting on a new
    /// page, with a bookmark per document and its sections beneath, and
    /// QR codes in the margins when `qr`.
    fn lay_out_parts(&self, parts: &[Part<'_>], qr: bool) -> Laid {
        let laid_parts: Vec<Arc<Laid>> = parts
            .iter()
            .map(|p| match p.shared {
                true => self.laid(&p.doc, &p.setup),
                false => Arc::new(self.layout().document(&p.doc, 0, &p.setup)),
            })
            .collect();
        let refs: Vec<(&Laid, &str)> = laid_parts
            .iter()
            .zip(parts)
            .map(|(l, p)| (&**l, &*p.title))
            .collect();
        let mut laid = self.layout().finish(&refs);
        if qr {
            // Each part's codes in its own right margin (the locales of a
            // bilingual handout may have different page setups): `finish`
            // keeps the parts' pages in order.
            let mut rest = &mut laid.pages[..];
            for part in &laid_parts {
                let n = part.pages.len().min(rest.len());
                let (pages, after) = rest.split_at_mut(n);
                qr::add_margin_codes(pages, &part.setup, &self.codes);
                rest = after;
            }
        }
        laid
    }
}

impl Pdf {
    /// A renderer with `font` for every PDF of the run and no QR or
    /// parallel settings (see [`Pdf::with_settings`]).
    pub fn new(font: Arc<Font>) -> Self {
        Pdf {
            settings: Settings::default(),
            run: Arc::new(Run::new(font, write::WriteCache::default())),
        }
    }

    /// The renderer for a session that renders the same PDFs again and
    /// again (`watch`): deflated streams are kept too, so a page an edit
    /// did not touch is not compressed again.
    pub fn keeping_streams(self) -> Self {
        let font = self.run.font.clone();
        Pdf {
            run: Arc::new(Run::new(font, write::WriteCache::keeping_streams())),
            ..self
        }
    }

    /// The renderer with `content/`'s QR and parallel-handout settings.
    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The parts of `output`, when it is a file of one or more documents
    /// (not the parallel handout): each with its page setup (`[pdf]` and
    /// `[pdf.locale.<locale>]`), laid out through the cache when the
    /// document goes into another output too (the combined one's parts).
    fn parts<'a>(&self, ctx: &RenderContext<'a>, output: &Output) -> Vec<Part<'a>> {
        output
            .parts
            .iter()
            .map(|&i| {
                let doc = &ctx.docs[i];
                Part {
                    doc: Cow::Borrowed(doc),
                    title: Cow::Borrowed(ctx.titles[i].as_str()),
                    setup: PageSetup::from_spec(&ctx.pdf.page_spec(&doc.locale)),
                    shared: ctx.combined == Some(doc.name.as_str()),
                }
            })
            .collect()
    }

    /// Whether `output` is the parallel handout.
    fn is_parallel(&self, output: &Output) -> bool {
        self.settings
            .parallel
            .as_ref()
            .is_some_and(|p| output.relative == p.relative() && output.parts.len() == 2)
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

    /// On a core the run leaves idle (one PDF on two cores), while
    /// `render` lays the document out from its start: the QR codes of the links (a code's
    /// mask is chosen by scoring all eight, ~0.15 ms an address), then the
    /// same document laid out from its end (its paragraphs shaped and
    /// broken into the run's [`layout::Memo`], where `render` finds the
    /// second half done: the two meet in the middle), then the file laid
    /// out as `render` lays it out (from the memo, or waiting for
    /// `render`'s own) and its font program made
    /// ([`write::WriteCache::prepare`]), which `render` asks for last.
    /// Each step makes what `render` would make itself, with the same
    /// functions on the same inputs, so the file is the same bytes.
    fn warm_up(&self, ctx: &RenderContext<'_>, outputs: &[&Output]) -> Option<WarmUp> {
        WarmUp::start(self.warm_up_work(ctx, outputs))
    }

    fn render(&self, ctx: &RenderContext<'_>, output: &Output) -> Result<Vec<u8>> {
        let run = &*self.run;
        let docs: Vec<&Document> = output.parts.iter().map(|&i| &ctx.docs[i]).collect();
        let titles: Vec<&str> = output
            .parts
            .iter()
            .map(|&i| ctx.titles[i].as_str())
            .collect();
        let Some(first) = docs.first() else {
            return Ok(Vec::new());
        };
        for doc in &docs {
            run.font.check_coverage(doc)?;
        }
        if let Some(p) = &self.settings.parallel
            && self.is_parallel(output)
            && let [left, right] = docs[..]
        {
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
                &run.layout(),
                [(left, titles[0]), (right, titles[1])],
                p.landscape,
                [&specs[0], &specs[1]],
                self.settings.qr.contains(&left.name).then_some(&run.codes),
                &|doc, setup| Laid::clone(&run.laid(doc, setup)),
            );
            return write::write_pdf(&run.font, &laid, &meta, &run.subsets);
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
        // Each document's title is a top-level bookmark, its headings
        // beneath; the codes go with the first document's setting.
        let qr = self.settings.qr.contains(&first.name);
        let laid = run.lay_out_parts(&self.parts(ctx, output), qr);
        write::write_pdf(&run.font, &laid, &meta, &run.subsets)
    }
}

impl Pdf {
    /// The work of [`Renderer::warm_up`] for `outputs`, to run on another
    /// thread (or, in tests, to the end on this one).
    fn warm_up_work(
        &self,
        ctx: &RenderContext<'_>,
        outputs: &[&Output],
    ) -> impl FnOnce(&std::sync::atomic::AtomicBool) + Send + 'static {
        struct File {
            parts: Vec<Part<'static>>,
            qr: bool,
        }
        let mut urls = BTreeSet::new();
        let mut files = Vec::new();
        for output in outputs.iter().filter(|o| !self.is_parallel(o)) {
            let parts = self.parts(ctx, output);
            let qr = parts
                .first()
                .is_some_and(|p| self.settings.qr.contains(&p.doc.name));
            for part in &parts {
                for text in part.doc.texts() {
                    for url in crate::document::link_urls(&text.inlines) {
                        if qr && qr::wants_code(url) {
                            urls.insert(url.to_string());
                        }
                    }
                }
            }
            files.push(File {
                parts: parts.into_iter().map(Part::into_owned).collect(),
                qr,
            });
        }
        let run = self.run.clone();
        move |stop| {
            use std::sync::atomic::Ordering;
            let stopped = || stop.load(Ordering::Relaxed);
            for url in &urls {
                if stopped() {
                    return;
                }
                run.codes.get(url);
            }
            for part in files.iter().flat_map(|f| &f.parts) {
                if stopped() {
                    return;
                }
                run.layout()
                    .document(&from_the_end(&part.doc), 0, &part.setup);
            }
            for file in &files {
                if stopped() {
                    return;
                }
                let laid = run.lay_out_parts(&file.parts, file.qr);
                if stopped() {
                    return;
                }
                run.subsets.prepare(&run.font, &laid);
            }
        }
    }
}

/// `doc` with its blocks, list items and sub-items in reverse order and no
/// title: laid out by a warm-up, it shapes and breaks the paragraphs
/// `render` comes to last first. (Every paragraph keeps the widths and
/// options it has in `doc`: they depend on its kind and list depth, not on
/// where it falls.)
fn from_the_end(doc: &Document) -> Document {
    fn items(list: &mut [crate::document::ListItem]) {
        list.reverse();
        for item in list {
            items(&mut item.children);
        }
    }
    let mut doc = Document {
        title: None,
        ..doc.clone()
    };
    doc.blocks.reverse();
    for block in &mut doc.blocks {
        if let crate::document::Block::List(list) = block {
            items(&mut list.items);
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, Inline, List, ListItem, Text};

    fn text(id: &str, s: &str) -> Text {
        Text {
            message_id: id.into(),
            inlines: vec![Inline::Text(s.into())],
        }
    }

    fn item(id: &str, s: &str, children: Vec<ListItem>, numbered: bool) -> ListItem {
        ListItem {
            text: text(id, s),
            mark: None,
            children,
            children_numbered: numbered,
        }
    }

    /// The warm-up's copy of a document, laid out first, leaves every
    /// paragraph `render` needs shaped and broken (`render` adds none), and
    /// `render`'s pages are the bytes they are without it.
    #[test]
    fn a_document_laid_out_from_the_end_first_is_the_same_file() {
        let long = "信頼性もテレメトリーも、対象となるワークロードを理解していなければならない。"
            .repeat(4);
        let doc = Document {
            name: "handout".into(),
            locale: "ja".into(),
            title: Some(text("title", "生成AI時代のSRE")),
            blocks: vec![
                Block::Paragraph(text("a", &long)),
                Block::Heading(text("h", "概要")),
                Block::Paragraph(Text {
                    message_id: "b".into(),
                    inlines: vec![
                        Inline::Text("詳しくは".into()),
                        Inline::Link {
                            url: "https://example.com/a".into(),
                            content: vec![Inline::Text("こちら".into())],
                        },
                        Inline::Text(format!("を参照。{long}")),
                    ],
                }),
                Block::List(List {
                    numbered: true,
                    items: vec![
                        item(
                            "l1",
                            &long,
                            vec![item("l11", "入れ子の項目", vec![], false)],
                            false,
                        ),
                        item(
                            "l2",
                            "二番目",
                            vec![item("l21", &long, vec![], false)],
                            true,
                        ),
                    ],
                }),
            ],
        };
        let font = Arc::new(Font::builtin().expect("font"));
        let setup = PageSetup::default();
        let meta = write::Metadata {
            title: "t",
            subject: "s",
            keywords: &[],
            author: None,
            lang: "ja",
        };
        let part = Part {
            doc: Cow::Borrowed(&doc),
            title: Cow::Borrowed("t"),
            setup,
            shared: false,
        };
        let alone = Run::new(font.clone(), write::WriteCache::default());
        let laid = alone.lay_out_parts(std::slice::from_ref(&part), true);
        let expected = write::write_pdf(&font, &laid, &meta, &alone.subsets).expect("pdf");

        let warmed = Run::new(font.clone(), write::WriteCache::default());
        let reversed = from_the_end(&doc);
        assert_ne!(reversed.blocks, doc.blocks, "the copy is in reverse order");
        warmed.layout().document(&reversed, 0, &setup);
        let broken = warmed.memo.broken_count();
        // Two paragraphs, a heading and four list items (not the title).
        assert_eq!(broken, 7, "paragraphs the copy broke");
        let laid = warmed.lay_out_parts(std::slice::from_ref(&part), true);
        // The title, and the running header `finish` adds.
        assert!(
            warmed.memo.broken_count() <= broken + 2,
            "render broke {} paragraphs the copy had not",
            warmed.memo.broken_count() - broken
        );
        let got = write::write_pdf(&font, &laid, &meta, &warmed.subsets).expect("pdf");
        assert!(got == expected, "laying out from the end changed the file");
    }

    /// A warm-up for several files (as on a machine with more cores than
    /// a build has files: each language's handout, the bilingual one whose
    /// parts are shared, and the parallel one, which it leaves alone), run
    /// to its end before anything is rendered, changes no file.
    #[test]
    fn a_finished_warm_up_for_several_files_changes_none_of_them() {
        let doc = |locale: &str, body: &str| Document {
            name: "handout".into(),
            locale: locale.into(),
            title: Some(text("title", "Title")),
            blocks: vec![
                Block::Heading(text("h", "Heading")),
                Block::Paragraph(Text {
                    message_id: "p".into(),
                    inlines: vec![
                        Inline::Text(body.repeat(6)),
                        Inline::Link {
                            url: "https://example.com/talk".into(),
                            content: vec![Inline::Text("link".into())],
                        },
                    ],
                }),
                Block::List(List {
                    numbered: false,
                    items: vec![item("l1", body, vec![], false)],
                }),
            ],
        };
        let docs = [
            doc("ja", "観測可能性はシステムの内部状態を外から知る力である。"),
            doc(
                "en",
                "Observability is how well a system can be understood from outside. ",
            ),
        ];
        let titles = ["題".to_string(), "Title".to_string()];
        let pdf_config = crate::config::PdfConfig::default();
        let ctx = RenderContext {
            docs: &docs,
            titles: &titles,
            author: None,
            keywords: &[],
            combined: Some("handout"),
            pdf: &pdf_config,
        };
        let settings = Settings {
            qr: ["handout".to_string()].into(),
            parallel: Some(ParallelSpec {
                document: "handout".into(),
                left: "ja".into(),
                right: "en".into(),
                landscape: true,
            }),
        };
        let font = Arc::new(Font::builtin().expect("font"));
        let render_all = |pdf: &Pdf, outputs: &[Output]| -> Vec<Vec<u8>> {
            outputs
                .iter()
                .map(|o| pdf.render(&ctx, o).expect("render"))
                .collect()
        };
        let plain = Pdf::new(font.clone()).with_settings(settings.clone());
        let outputs = plain.outputs(&ctx);
        assert_eq!(
            outputs.len(),
            4,
            "two handouts, the bilingual and the parallel one"
        );
        let expected = render_all(&plain, &outputs);

        let warmed = Pdf::new(font.clone()).with_settings(settings);
        let refs: Vec<&Output> = outputs.iter().collect();
        warmed.warm_up_work(&ctx, &refs)(&std::sync::atomic::AtomicBool::new(false));
        // Every paragraph of the handouts is in the memo, and their files'
        // layouts are kept or their programs made.
        assert!(
            warmed.run.memo.broken_count() >= 6,
            "the warm-up broke no paragraphs"
        );
        let got = render_all(&warmed, &outputs);
        for ((o, a), b) in outputs.iter().zip(&expected).zip(&got) {
            assert!(a == b, "{} differs after a warm-up", o.relative.display());
        }
    }
}
