//! Page layout: document model → positioned glyphs, rules and link areas on
//! A4 pages. Knows nothing about PDF bytes (see `write.rs`) and nothing about
//! where lines break (see `linebreak.rs`); it decides geometry, styles,
//! page breaks (keep headings with what follows, no orphans or widows) and
//! the running header and footer.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use super::fonts::{Font, ShapedGlyph};
use super::linebreak::{Line, LineBreaker, LineEnd, Measure, Options};
use super::page::PageSetup;
use crate::document::{Block, Document, Inline, ListItem, Text};

/// Letter-spacing (em) above which a line's runs carry their text as
/// `/ActualText`: pdftotext reads 0.1 em as a word space.
const SPACED: f32 = 0.095;

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

const BLACK: Rgb = Rgb(0.1, 0.1, 0.1);
const GRAY: Rgb = Rgb(0.45, 0.45, 0.45);
const RULE: Rgb = Rgb(0.6, 0.6, 0.6);
const LINK: Rgb = Rgb(0.05, 0.3, 0.65);
const ACCENT: Rgb = Rgb(0.7, 0.2, 0.1);

/// A glyph placed on a line: its ID in the font, its x in PDF points and
/// how far it is raised above the baseline (mark positioning), in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// The glyph's ID in the font.
    pub gid: u16,
    /// Where its origin sits, PDF points from the left edge of the page.
    pub x: f32,
    /// How far it is raised above the baseline, points (marks only).
    pub dy: f32,
}

/// The role of a structure element (tagged PDF), mirroring the document
/// model: ISO 32000 standard structure types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Document,
    /// One language's document inside a combined file.
    Part,
    /// The document title.
    H1,
    /// A heading.
    H2,
    P,
    L,
    LI,
    Lbl,
    LBody,
    Link,
    /// Text in another language than its part's (Japanese quoted in English).
    Span,
}

impl Role {
    /// The structure type name (`/S`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::Part => "Part",
            Role::H1 => "H1",
            Role::H2 => "H2",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::Link => "Link",
            Role::Span => "Span",
        }
    }
}

/// A child of a structure element, in logical (reading) order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kid {
    /// Another element (an index into [`Tree::nodes`]).
    Node(usize),
    /// The glyph run `pages[page].items[item]`.
    Content { page: usize, item: usize },
    /// The link annotation `pages[page].items[item]`.
    Annot { page: usize, item: usize },
}

/// A structure element.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub role: Role,
    /// BCP 47 language, where the element sets one.
    pub lang: Option<String>,
    /// What a link stands for (its text): the annotation's `/Contents`.
    pub alt: Option<String>,
    pub parent: Option<usize>,
    pub kids: Vec<Kid>,
    /// Whether the element is in its parent's kids yet: an element joins
    /// its parent when its first content is drawn, so the kids of every
    /// element are in the order their content is read.
    attached: bool,
}

/// The structure tree of laid-out pages; the root is node 0.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    fn add(&mut self, role: Role, parent: Option<usize>) -> usize {
        self.nodes.push(Node {
            role,
            lang: None,
            alt: None,
            parent,
            kids: Vec::new(),
            attached: parent.is_none(),
        });
        self.nodes.len() - 1
    }

    /// Adds `kid` to element `n`, first attaching `n` and any ancestor not
    /// yet attached to its parent.
    fn push(&mut self, n: usize, kid: Kid) {
        let mut chain = Vec::new();
        let mut at = n;
        while !self.nodes[at].attached {
            chain.push(at);
            match self.nodes[at].parent {
                Some(p) => at = p,
                None => break,
            }
        }
        for &c in chain.iter().rev() {
            self.nodes[c].attached = true;
            if let Some(p) = self.nodes[c].parent {
                self.nodes[p].kids.push(Kid::Node(c));
            }
        }
        self.nodes[n].kids.push(kid);
    }

    /// The elements reachable from the root, parents before children, in
    /// reading order.
    pub(crate) fn reachable(&self) -> Vec<usize> {
        let mut out = Vec::new();
        if self.nodes.is_empty() {
            return out;
        }
        let mut stack = vec![0];
        while let Some(n) = stack.pop() {
            out.push(n);
            for kid in self.nodes[n].kids.iter().rev() {
                if let Kid::Node(c) = kid {
                    stack.push(*c);
                }
            }
        }
        out
    }
}

/// What page content is, for tagged PDF: the content of a structure element
/// or an artifact (not part of the document's text).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tag {
    /// Content of the structure element with this index in the layout's
    /// structure tree.
    Node(usize),
    /// Running header.
    Header,
    /// Page number.
    Footer,
}

/// Something to draw. Coordinates are PDF points from the bottom-left corner.
/// Rules are always artifacts (decoration).
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A run of shaped glyphs on one baseline, each at its own x.
    Glyphs {
        /// The baseline.
        y: f32,
        /// Font size, points.
        size: f32,
        /// Set in the synthetic bold (stroked outlines).
        bold: bool,
        /// Fill colour.
        color: Rgb,
        /// The glyphs, left to right.
        glyphs: Vec<PlacedGlyph>,
        /// What the run is in the structure tree.
        tag: Tag,
        /// Text that extraction and copying should read instead of the
        /// glyphs' own (`/ActualText`): the whole word on the first part of
        /// an automatically hyphenated word, nothing on its other parts.
        actual: Option<String>,
    },
    /// A horizontal rule.
    Rule {
        /// Left end.
        x1: f32,
        /// Right end.
        x2: f32,
        /// Height of the rule's centre line.
        y: f32,
        /// Line width, points.
        width: f32,
        /// Stroke colour.
        color: Rgb,
    },
    /// Filled cells of a square grid, all in one colour: a QR code. The
    /// grid's top-left corner is at (`x`, `top`), a cell is `cell` points
    /// square; `runs` are (row from the top, first column, length) of
    /// filled cells. Always an artifact (the link's address is printed
    /// beside it as text).
    Cells {
        /// Left edge of the grid.
        x: f32,
        /// Top edge of the grid.
        top: f32,
        /// Side of one cell, points.
        cell: f32,
        /// Filled cells: (row from the top, first column, length).
        runs: Vec<[u16; 3]>,
        /// Fill colour.
        color: Rgb,
    },
    /// A clickable area linking to `url`, annotation of the `Link`
    /// element `node`.
    Link {
        /// Left edge of the area.
        x1: f32,
        /// Bottom edge.
        y1: f32,
        /// Right edge.
        x2: f32,
        /// Top edge.
        y2: f32,
        /// Where the link goes.
        url: String,
        /// The `Link` structure element the annotation belongs to.
        node: usize,
    },
}

/// One laid-out page: what to draw on it, in drawing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page's content, in the order it is drawn (and, for glyph runs,
    /// written to the content stream).
    pub items: Vec<Item>,
    /// Paper width and height, in points.
    pub size: (f32, f32),
}

impl Page {
    fn new(setup: &PageSetup) -> Self {
        Page {
            items: Vec::new(),
            size: (setup.width, setup.height),
        }
    }
}

/// A bookmark: title, 0-based page index, the top of its heading (PDF y),
/// nesting level.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutlineEntry {
    pub title: String,
    pub page: usize,
    pub top: f32,
    pub level: usize,
}

/// A document (or a bilingual set of them) laid out on pages.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    /// The geometry its pages were laid out with.
    pub setup: PageSetup,
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// The bookmarks (PDF outline), in page order.
    pub(crate) outline: Vec<OutlineEntry>,
    /// The text each glyph stands for (several letters for a ligature), for
    /// the PDF's ToUnicode map; the first use of a glyph decides.
    pub(crate) unicode: BTreeMap<u16, String>,
    /// The structure tree: every glyph run is the content of one element
    /// or tagged as an artifact.
    pub(crate) tree: Tree,
    /// Each part's language and talk title (the title's alternatives in
    /// the XMP metadata).
    pub(crate) titles: Vec<(String, String)>,
    /// Every line as set, when the layout was asked to record them
    /// ([`Layout::record`]): what the typesetting sweep and tests measure.
    pub lines: Vec<LineRecord>,
}

/// The kind of block a recorded line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The document title (never hyphenated, not justified).
    Title,
    /// A section heading (never hyphenated, not justified).
    Heading,
    /// A body paragraph.
    Paragraph,
    /// A list item's text.
    ListItem,
}

/// One line as set, with every character's position and natural advance,
/// for measuring the typesetting (spacing, kinsoku, hyphens) without
/// reading the PDF back.
#[derive(Debug, Clone)]
pub struct LineRecord {
    /// The block the line belongs to.
    pub kind: LineKind,
    /// The document's locale.
    pub locale: String,
    /// Whether the paragraph is justified.
    pub justify: bool,
    /// Font size, points.
    pub size: f32,
    /// Available width of this line, points.
    pub avail: f32,
    /// The text of the line (`text[line.range]`).
    pub text: String,
    /// The line as the breaker set it (positions relative to its start).
    pub line: Line,
    /// Natural advance of each of `line.chars`, points (kerning included;
    /// 0 inside a ligature).
    pub advances: Vec<f32>,
    /// Index of the line in its paragraph (list item, heading) and the
    /// number of lines of that paragraph.
    pub index: usize,
    /// See `index`.
    pub count: usize,
}

/// A paragraph shaped once: its glyphs, and per byte of the text the
/// advance attributed to the character starting there (what the line
/// breaker measures).
struct Shaped {
    glyphs: Vec<ShapedGlyph>,
    /// Per glyph: the end byte of its cluster (the text it stands for is
    /// `text[cluster..end]`).
    ends: Vec<usize>,
    /// Per byte: advance in em of the glyphs whose cluster starts there.
    adv: Vec<f32>,
    /// Per byte: whether a glyph cluster starts there (false inside a
    /// ligature or a base-and-mark cluster).
    starts: Vec<bool>,
    hyphen: f32,
}

/// Line and paragraph separators are not shaped: the breaker handles them.
fn is_separator(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

impl Shaped {
    /// The glyphs `range` of a broken `line`, each with its x offset from
    /// the line's start (in points at `size`): a cluster starts where the
    /// breaker put its character; glyphs within a cluster follow by their
    /// advances. Glyphs whose cluster the line does not hold are skipped.
    fn placed<'a>(
        &'a self,
        range: std::ops::Range<usize>,
        line: &'a Line,
        size: f32,
    ) -> impl Iterator<Item = (usize, f32)> + 'a {
        let mut pen = 0.0f32;
        let mut last_cluster = usize::MAX;
        self.glyphs[range]
            .iter()
            .enumerate()
            .filter_map(move |(gi, g)| {
                if g.cluster != last_cluster {
                    pen = 0.0;
                    last_cluster = g.cluster;
                }
                let i = line.chars.partition_point(|c| c.byte < g.cluster);
                let pc = line.chars.get(i).filter(|c| c.byte == g.cluster)?;
                let offset = pc.x + pen * size;
                pen += g.advance;
                Some((gi, offset))
            })
    }

    /// Shapes `text`, never across the byte offsets in `cuts` (style
    /// changes) or a line separator.
    fn new(font: &Font, text: &str, cuts: &[usize]) -> Shaped {
        let mut glyphs = Vec::with_capacity(text.len());
        let mut ends = Vec::with_capacity(text.len());
        let mut bounds: Vec<usize> = cuts.iter().copied().filter(|&c| c < text.len()).collect();
        for (i, c) in text.char_indices() {
            if is_separator(c) {
                bounds.push(i);
                bounds.push(i + c.len_utf8());
            }
        }
        bounds.push(0);
        bounds.push(text.len());
        bounds.sort_unstable();
        bounds.dedup();
        for w in bounds.windows(2) {
            let (a, b) = (w[0], w[1]);
            let piece = &text[a..b];
            if piece.chars().next().is_none_or(is_separator) {
                continue;
            }
            let first = glyphs.len();
            font.shape(piece, a, &mut glyphs);
            // Cluster ends: the next larger cluster of this piece, or its end.
            let mut end = b;
            ends.resize(glyphs.len(), b);
            for i in (first..glyphs.len()).rev() {
                ends[i] = end;
                if i > first && glyphs[i - 1].cluster != glyphs[i].cluster {
                    end = glyphs[i].cluster;
                }
            }
        }
        let mut adv = vec![0.0; text.len() + 1];
        let mut starts = vec![false; text.len() + 1];
        for (i, c) in text.char_indices() {
            if is_separator(c) {
                starts[i] = true;
            }
        }
        for g in &glyphs {
            if let Some(a) = adv.get_mut(g.cluster) {
                *a += g.advance;
                starts[g.cluster] = true;
            }
        }
        Shaped {
            glyphs,
            ends,
            adv,
            starts,
            hyphen: font.advance(font.pick(&['-'])),
        }
    }
}

impl Measure for Shaped {
    fn advance(&self, byte: usize, _ch: char) -> f32 {
        self.adv.get(byte).copied().unwrap_or(0.0)
    }
    fn continues(&self, byte: usize) -> bool {
        !self.starts.get(byte).copied().unwrap_or(true)
    }
    fn hyphen(&self) -> f32 {
        self.hyphen
    }
}

/// Records what glyphs stand for: one glyph per character when a cluster
/// has as many glyphs as characters, else the whole cluster text on its
/// first glyph (a ligature: "fi").
///
/// `known` is a bit per glyph ID whose entry is known to exist (a document
/// records the same few hundred glyphs line after line: the bit spares a
/// map search per glyph), grown as glyph IDs need; `None` knows nothing.
fn record_unicode(
    unicode: &mut BTreeMap<u16, String>,
    mut known: Option<&mut Vec<u64>>,
    text: &str,
    shaped: &Shaped,
    range: std::ops::Range<usize>,
) {
    let glyphs = &shaped.glyphs[range.clone()];
    let mut i = 0;
    while i < glyphs.len() {
        let cluster = glyphs[i].cluster;
        let mut j = i + 1;
        while j < glyphs.len() && glyphs[j].cluster == cluster {
            j += 1;
        }
        let (word, bit) = (usize::from(glyphs[i].gid >> 6), glyphs[i].gid & 63);
        if j == i + 1
            && known
                .as_ref()
                .and_then(|k| k.get(word))
                .is_some_and(|w| w >> bit & 1 == 1)
        {
            i = j;
            continue;
        }
        let end = shaped.ends[range.start + i];
        let chars = text.get(cluster..end).unwrap_or("");
        // One glyph and some text: it has an entry now (this one or an
        // earlier one).
        if j == i + 1
            && !chars.is_empty()
            && let Some(k) = known.as_deref_mut()
        {
            if k.len() <= word {
                k.resize(word + 1, 0);
            }
            k[word] |= 1 << bit;
        }
        if chars.chars().count() == j - i {
            for (g, c) in glyphs[i..j].iter().zip(chars.chars()) {
                unicode.entry(g.gid).or_insert_with(|| c.to_string());
            }
        } else if !chars.is_empty() {
            unicode
                .entry(glyphs[i].gid)
                .or_insert_with(|| chars.to_string());
        }
        i = j;
    }
}

/// Typographic settings that differ between Japanese and Latin text.
#[derive(Debug, Clone, Copy)]
struct Style {
    body_size: f32,
    /// Line height as a multiple of the font size.
    leading: f32,
    justify: bool,
    hyphenate: bool,
    /// First-line indent of paragraphs, in em.
    indent: f32,
    /// Space between paragraphs, in em.
    paragraph_gap: f32,
}

impl Style {
    fn for_locale(locale: &str, setup: &PageSetup) -> Style {
        let language = locale.split(['-', '_']).next().unwrap_or(locale);
        let mut style = if matches!(language, "ja" | "zh" | "ko") {
            // JLREQ: justified, one-em indent, ~1.7 line height.
            Style {
                body_size: setup.font_size,
                leading: 1.7,
                justify: true,
                // Only where a line cannot be set otherwise (see linebreak).
                hyphenate: true,
                indent: 1.0,
                paragraph_gap: 0.3,
            }
        } else {
            // Ragged right with hyphenation reads best at this measure.
            Style {
                body_size: setup.font_size,
                leading: 1.5,
                justify: false,
                hyphenate: true,
                indent: 0.0,
                paragraph_gap: 0.7,
            }
        };
        if let Some(leading) = setup.line_height {
            style.leading = leading;
        }
        style
    }
}

/// One styled span of a flattened paragraph.
#[derive(Debug, Clone)]
struct Span {
    range: std::ops::Range<usize>,
    bold: bool,
    color: Rgb,
    /// The URL the span links to.
    link: Option<String>,
    /// The element its glyphs belong to (the block's, or a `Link`'s).
    node: usize,
}

/// A paragraph as text plus styles, ready for the line breaker.
#[derive(Debug)]
struct Flat {
    text: String,
    spans: Vec<Span>,
    /// The element of the text outside links (`P`, `H1`, `H2`, `LBody`).
    node: usize,
    /// Whether Japanese in the author's text is a `Span` with `/Lang ja`
    /// (in a document whose language is not Japanese).
    ja_spans: bool,
}

/// Japanese text, for `/Lang ja` spans: Japanese letters (kana, kanji:
/// [`crate::script`]) and, whatever their script, the punctuation and
/// full-width forms set with them (`、`, `・`, `（`, `Ａ`), so that a span
/// runs on across them.
fn is_japanese(c: char) -> bool {
    crate::script::is_japanese_letter(c)
        || matches!(c,
            '\u{3000}'..='\u{303F}' | '\u{3099}'..='\u{309C}' | '\u{30A0}' | '\u{30FB}'
            | '\u{FF00}'..='\u{FFEF}')
}

impl Flat {
    fn new(node: usize, ja_spans: bool) -> Flat {
        Flat {
            text: String::new(),
            spans: Vec::new(),
            node,
            ja_spans,
        }
    }

    /// The author's text: Japanese runs in a non-Japanese document become
    /// `Span` elements with `/Lang ja` (the original titles the English
    /// quotes), so that a screen reader switches voice for them.
    fn push_text(
        &mut self,
        tree: &mut Tree,
        text: &str,
        bold: bool,
        color: Rgb,
        link: Option<(&str, usize)>,
    ) {
        if !self.ja_spans || !text.chars().any(is_japanese) {
            return self.push(text, bold, color, link);
        }
        let parent = link.map_or(self.node, |(_, n)| n);
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let ja = is_japanese(c);
            let end = rest
                .char_indices()
                .find(|&(_, c)| is_japanese(c) != ja)
                .map_or(rest.len(), |(i, _)| i);
            let (piece, after) = rest.split_at(end);
            self.push(piece, bold, color, link);
            if ja {
                let span = tree.add(Role::Span, Some(parent));
                tree.nodes[span].lang = Some("ja".to_string());
                if let Some(s) = self.spans.last_mut() {
                    s.node = span;
                }
            }
            rest = after;
        }
    }

    fn push(&mut self, text: &str, bold: bool, color: Rgb, link: Option<(&str, usize)>) {
        let start = self.text.len();
        self.text.push_str(text);
        self.spans.push(Span {
            range: start..self.text.len(),
            bold,
            color,
            link: link.map(|(u, _)| u.to_string()),
            node: link.map_or(self.node, |(_, n)| n),
        });
    }

    /// Flattens inlines; each link becomes a `Link` element of `tree`
    /// holding its text, the printed address and its annotations.
    fn inlines(
        &mut self,
        tree: &mut Tree,
        list: &[Inline],
        bold: bool,
        color: Rgb,
        link: Option<(&str, usize)>,
    ) {
        for i in list {
            match i {
                Inline::Text(t) | Inline::NoteRef(t) => self.push_text(tree, t, bold, color, link),
                Inline::Code(t) => {
                    let color = if link.is_some() { color } else { GRAY };
                    self.push_text(tree, t, bold, color, link)
                }
                // No italic face: emphasis is set in (synthetic) bold.
                Inline::Emphasis(c) | Inline::Strong(c) => self.inlines(tree, c, true, color, link),
                // Links cannot nest (the model keeps an inner one as text).
                Inline::Link { content, .. } if link.is_some() => {
                    self.inlines(tree, content, bold, color, link)
                }
                Inline::Link { url, content } => {
                    let node = tree.add(Role::Link, Some(self.node));
                    let text = crate::document::plain_text(content);
                    tree.nodes[node].alt = Some(if text.trim().is_empty() {
                        url.clone()
                    } else {
                        text.clone()
                    });
                    self.inlines(tree, content, bold, LINK, Some((url, node)));
                    // Paper cannot be clicked: print the address too.
                    if text != *url {
                        let start = self.text.len();
                        self.push(" ", bold, color, None);
                        if let Some(s) = self.spans.last_mut().filter(|s| s.range.start == start) {
                            s.node = node;
                        }
                        self.push(url, false, GRAY, Some((url, node)));
                    }
                }
                Inline::LineBreak => self.push("\n", bold, color, link),
            }
        }
    }

    /// Byte offsets where the style changes: shaping never crosses them.
    fn cuts(&self) -> Vec<usize> {
        self.spans.iter().map(|s| s.range.start).collect()
    }

    fn style_at(&self, byte: usize) -> &Span {
        // Spans are sorted and contiguous; binary search by start.
        let i = self.spans.partition_point(|s| s.range.end <= byte);
        &self.spans[i.min(self.spans.len() - 1)]
    }
}

/// List bullets by depth, each with fallbacks for fonts that lack it.
const BULLETS: [&[char]; 3] = [&['•', '・'], &['◦', '○', '・'], &['▪', '■', '・']];

/// Every character layout draws that no text holds: bullets, the hyphen
/// of a broken word, list and page numbers with their `.` and ` / `, the
/// ellipsis of a shortened running header. `check` bounds the work of
/// these glyphs too in a font the project names (`preflight::glyphs`).
pub(crate) const DRAWN: &str = "•・◦○▪■-…./ 0123456789";

/// Lays out documents with one parsed font and one line breaker, reused for
/// every document of the run.
pub struct Layout<'a> {
    /// The font every glyph is shaped with.
    pub font: &'a Font,
    /// The line breaker (hyphenation patterns loaded once).
    pub breaker: &'a LineBreaker,
    /// Keep a [`LineRecord`] of every line in [`Laid::lines`] (the sweep
    /// and the tests; a build does not).
    pub record: bool,
    /// Paragraphs already shaped and broken in this run.
    pub memo: &'a Memo,
}

/// Paragraphs shaped (by text and style boundaries) and broken into lines
/// (by those and the breaking options) in this run, shared by every render
/// thread. Why: the per-document PDFs hold the same paragraphs as the
/// handout, set at the same width, and the parallel handout sets them
/// again at its column width; total-fit breaking is the largest part of a
/// layout's time. (The shaper's output is already kept per run, by text
/// run, in `Font`; here a paragraph's assembled `Shaped`, which breaking
/// needs, is kept with its lines.) Both are pure functions of the key, so
/// a paragraph taken from here is the one that would have been made. A
/// paragraph being made on another thread is waited for, not made twice.
#[derive(Default)]
pub struct Memo {
    shaped: Mutex<HashMap<ShapeKey, Cell<Shaped>>>,
    broken: Mutex<HashMap<BreakKey, Cell<Vec<Line>>>>,
}

/// A memo entry: made once by the first thread that needs it.
type Cell<T> = Arc<OnceLock<Arc<T>>>;

/// A paragraph's text and the byte offsets where its style changes.
type ShapeKey = (String, Vec<usize>);

/// A shaped paragraph and the options it is broken with: the widths and
/// the size as bits, and the flags.
type BreakKey = (ShapeKey, [u32; 3], [bool; 3]);

/// Paragraphs a memo keeps before it starts again: a run holds a few
/// hundred; `watch` makes new ones with every edit.
const MEMO_KEPT: usize = 4096;

impl Memo {
    /// Paragraphs broken so far (tests: what a layout added).
    #[cfg(test)]
    pub(crate) fn broken_count(&self) -> usize {
        self.broken.lock().map_or(0, |m| m.len())
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.shaped.lock().map_or(0, |m| m.len());
        f.debug_struct("Memo").field("paragraphs", &n).finish()
    }
}

/// The cell for `key` in `map`, made empty if there is none (the map is
/// emptied first when it holds [`MEMO_KEPT`] entries).
fn memo_cell<K: std::hash::Hash + Eq, V>(
    map: &Mutex<HashMap<K, Arc<OnceLock<V>>>>,
    key: K,
) -> Arc<OnceLock<V>> {
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    if map.len() >= MEMO_KEPT && !map.contains_key(&key) {
        map.clear();
    }
    map.entry(key).or_default().clone()
}

impl Layout<'_> {
    /// `text` shaped, never across the byte offsets in `cuts`.
    fn shaped(&self, text: &str, cuts: &[usize]) -> Arc<Shaped> {
        memo_cell(&self.memo.shaped, (text.to_string(), cuts.to_vec()))
            .get_or_init(|| Arc::new(Shaped::new(self.font, text, cuts)))
            .clone()
    }

    /// `text` (shaped as `shaped`, with style boundaries `cuts`) broken
    /// into lines with `opts`.
    fn broken(&self, text: &str, cuts: &[usize], shaped: &Shaped, opts: &Options) -> Vec<Line> {
        // Every option is part of the key (a new one will not compile
        // until it is added here).
        let Options {
            first_line_width,
            line_width,
            font_size,
            justify,
            hyphenate,
            balance,
        } = opts;
        let key = (
            (text.to_string(), cuts.to_vec()),
            [
                first_line_width.to_bits(),
                line_width.to_bits(),
                font_size.to_bits(),
            ],
            [*justify, *hyphenate, *balance],
        );
        memo_cell(&self.memo.broken, key)
            .get_or_init(|| Arc::new(self.breaker.break_measured(text, shaped, opts)))
            .to_vec()
    }
}

/// The flow of content down the pages of one document.
struct Flow<'a> {
    layout: &'a Layout<'a>,
    setup: PageSetup,
    style: Style,
    pages: Vec<Page>,
    /// Top of the next line box (PDF y).
    y: f32,
    outline: Vec<OutlineEntry>,
    unicode: BTreeMap<u16, String>,
    /// Glyphs `unicode` has an entry for (see `record_unicode`).
    known: Vec<u64>,
    tree: Tree,
    /// Japanese quoted in this document is tagged `/Lang ja`.
    ja_spans: bool,
    locale: String,
    lines: Vec<LineRecord>,
}

/// A broken line waiting to be placed: its x origin, the line, and its size.
struct PendingLine<'t> {
    x: f32,
    line: Line,
    flat: &'t Flat,
    shaped: &'t Shaped,
    size: f32,
    /// A label (bullet, number) drawn at `label.1` on this line, content
    /// of the `Lbl` element `label.2`.
    label: Option<(String, f32, usize)>,
    /// Whether the line before ended at an automatic hyphen: this line
    /// starts with the rest of that word.
    after_hyphen: bool,
}

impl<'a> Flow<'a> {
    fn new(layout: &'a Layout<'a>, locale: &str, setup: &PageSetup) -> Self {
        Flow {
            layout,
            setup: *setup,
            style: Style::for_locale(locale, setup),
            pages: vec![Page::new(setup)],
            y: setup.text_top(),
            outline: Vec::new(),
            unicode: BTreeMap::new(),
            known: Vec::new(),
            ja_spans: !matches!(locale.split(['-', '_']).next().unwrap_or(locale), "ja"),
            locale: locale.to_string(),
            lines: Vec::new(),
            tree: {
                let mut tree = Tree::default();
                let root = tree.add(Role::Document, None);
                tree.nodes[root].lang = Some(locale.to_string());
                tree
            },
        }
    }

    /// Adds an item to the current page; a glyph run tagged with an
    /// element becomes that element's next content, a link area its next
    /// annotation.
    fn push_item(&mut self, item: Item) {
        let page = self.pages.len() - 1;
        let at = self.page().items.len();
        match &item {
            Item::Glyphs { glyphs, .. } if glyphs.is_empty() => return,
            Item::Glyphs {
                tag: Tag::Node(n), ..
            } => self.tree.push(*n, Kid::Content { page, item: at }),
            Item::Link { node, .. } => self.tree.push(*node, Kid::Annot { page, item: at }),
            _ => {}
        }
        self.page().items.push(item);
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a flow always has a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Page::new(&self.setup));
        self.y = self.setup.text_top();
    }

    /// Whether nothing has been placed on the current page yet.
    fn at_page_top(&self) -> bool {
        self.y >= self.setup.text_top() - 0.01
    }

    fn room(&self) -> f32 {
        self.y - self.setup.bottom
    }

    fn break_lines(
        &self,
        flat: &Flat,
        shaped: &Shaped,
        first: f32,
        rest: f32,
        size: f32,
        justify: bool,
    ) -> Vec<Line> {
        // Titles and headings (set unjustified here) are never hyphenated:
        // their lines are balanced instead.
        let heading = !justify && flat.node != 0 && self.is_heading(flat.node);
        let opts = Options {
            first_line_width: first,
            line_width: rest,
            font_size: size,
            justify,
            hyphenate: self.style.hyphenate && !heading,
            balance: heading,
        };
        self.layout.broken(&flat.text, &flat.cuts(), shaped, &opts)
    }

    fn is_heading(&self, node: usize) -> bool {
        matches!(self.tree.nodes[node].role, Role::H1 | Role::H2)
    }

    /// Keeps a [`LineRecord`] of each of `lines` when the layout records.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        kind: LineKind,
        lines: &[Line],
        flat: &Flat,
        shaped: &Shaped,
        first: f32,
        rest: f32,
        size: f32,
        justify: bool,
    ) {
        if !self.layout.record {
            return;
        }
        let count = lines.len();
        for (index, line) in lines.iter().enumerate() {
            self.lines.push(LineRecord {
                kind,
                locale: self.locale.clone(),
                justify,
                size,
                avail: if index == 0 { first } else { rest },
                text: flat.text[line.range.clone()].to_string(),
                advances: line
                    .chars
                    .iter()
                    .map(|c| shaped.advance(c.byte, c.ch) * size)
                    .collect(),
                line: line.clone(),
                index,
                count,
            });
        }
    }

    /// Places lines with `lead` points per line, moving to a new page so
    /// that no page ends with a paragraph's first line alone (orphan) or
    /// starts with its last line alone (widow). `keep` extra points must
    /// also fit after the first chunk (keeps a heading with its text).
    /// Returns the page and the top of the first line placed.
    fn place(&mut self, mut lines: Vec<PendingLine<'_>>, lead: f32, keep: f32) -> (usize, f32) {
        let n = lines.len();
        for i in 1..n {
            lines[i].after_hyphen = lines[i - 1].line.end == LineEnd::Hyphen;
        }
        let mut first = None;
        let mut i = 0;
        while i < n {
            let fit = ((self.room() + 0.01) / lead).floor().max(0.0) as usize;
            let left = n - i;
            let mut take = fit.min(left);
            if take < left {
                // Splitting: at least two lines here and two on the next page.
                if left >= 4 && take >= 2 {
                    take = take.min(left - 2);
                } else if !self.at_page_top() {
                    take = 0;
                }
                // A run broken over lines (a long address) goes to the next
                // page whole when this page can give up its first part and
                // still keep two lines (one after a page already begun).
                let mut whole = take;
                while whole > 0 && lines[i + whole - 1].line.end == LineEnd::Emergency {
                    whole -= 1;
                }
                if whole < take && (whole >= 2 || (i > 0 && whole >= 1)) {
                    take = whole;
                }
            } else if i == 0
                && keep > 0.0
                && self.room() < lead * take as f32 + keep
                && !self.at_page_top()
            {
                take = 0;
            }
            if take == 0 {
                if !self.at_page_top() {
                    self.new_page();
                    continue;
                }
                take = 1; // A page cannot hold even one line: place it anyway.
            }
            for pl in &lines[i..i + take] {
                first.get_or_insert((self.pages.len() - 1, self.y));
                let baseline = self.y
                    - (lead - pl.size) / 2.0
                    - pl.size * self.layout.font.ascender.clamp(0.7, 1.0);
                self.draw_line(pl, baseline);
                self.y -= lead;
            }
            i += take;
            if i < n {
                self.new_page();
            }
        }
        first.unwrap_or((self.pages.len() - 1, self.y))
    }

    fn draw_line(&mut self, pl: &PendingLine<'_>, baseline: f32) {
        let size = pl.size;
        let font = self.layout.font;
        if let Some((label, lx, node)) = &pl.label {
            let (glyphs, _) = self.layout.simple_run(label, *lx, size, &mut self.unicode);
            self.push_item(Item::Glyphs {
                y: baseline,
                size,
                bold: false,
                color: BLACK,
                glyphs,
                tag: Tag::Node(*node),
                actual: None,
            });
        }
        let shaped = pl.shaped;
        let line = &pl.line;
        // The glyphs whose clusters start on this line, each at the x the
        // breaker gave its first character, plus the advances of the glyphs
        // before it in the same cluster and its own offset.
        let lo = shaped
            .glyphs
            .partition_point(|g| g.cluster < line.range.start);
        let hi = shaped
            .glyphs
            .partition_point(|g| g.cluster < line.range.end);
        record_unicode(
            &mut self.unicode,
            Some(&mut self.known),
            &pl.flat.text,
            shaped,
            lo..hi,
        );
        // An automatically hyphenated word reads whole in text extraction
        // and copying: the glyphs of its first part (with the hyphen) carry
        // the whole word as /ActualText, those of its other parts nothing.
        let text = &pl.flat.text;
        let letters_from = |at: usize| {
            at + text[at..]
                .char_indices()
                .find(|&(_, c)| !c.is_alphabetic())
                .map_or(text.len() - at, |(i, _)| i)
        };
        let tail_end = if pl.after_hyphen {
            letters_from(line.range.start).min(line.range.end)
        } else {
            line.range.start
        };
        let head = (line.end == LineEnd::Hyphen).then(|| {
            let start = text[..line.range.end]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_alphabetic())
                .last()
                .map_or(line.range.end, |(i, _)| i);
            (start, text[start..letters_from(line.range.end)].to_string())
        });
        let mut head_text = head.as_ref().map(|(_, w)| w.clone());
        // ―― (two U+2015, the Japanese dash) is drawn as the font's
        // two-em dash ⸺, one continuous bar, centred on the two ems; the
        // text stays ―― (/ActualText and ToUnicode).
        let two_em = font.glyph('\u{2E3A}').filter(|_| font.has('\u{2E3A}'));
        let mut dashes: Vec<(usize, usize)> = Vec::new();
        if two_em.is_some() {
            let mut k = 0;
            while k + 1 < line.chars.len() {
                let (a, b) = (&line.chars[k], &line.chars[k + 1]);
                if a.ch == '―' && b.ch == '―' && b.byte == a.byte + '―'.len_utf8() {
                    dashes.push((a.byte, b.byte));
                    k += 2;
                } else {
                    k += 1;
                }
            }
        }
        let in_dash = |cluster: usize| dashes.iter().any(|&(a, b)| cluster == a || cluster == b);
        let segment = |cluster: usize| {
            if in_dash(cluster) {
                3u8
            } else if cluster < tail_end {
                2u8
            } else if head.as_ref().is_some_and(|&(start, _)| cluster >= start) {
                1
            } else {
                0
            }
        };
        // A line the breaker had to letter-spread beyond what extractors
        // read as one word (a few per document at most) carries its text
        // as /ActualText too, so that copying it gives no spaces.
        // So does a line with an ideographic space inside it (「！　」): a
        // blank em reads as a column gap to pdftotext, which would split
        // the paragraph there.
        let spaced = line.chars.windows(2).any(|w| {
            let gap = w[1].x - w[0].x - shaped.advance(w[0].byte, w[0].ch) * size;
            (is_japanese(w[0].ch) && is_japanese(w[1].ch) && gap > SPACED * size)
                || w[1].ch == '\u{3000}'
        });
        let mut actual = |seg: u8, (from, to): (usize, usize)| match seg {
            1 => Some(head_text.take().unwrap_or_default()),
            2 => Some(String::new()),
            _ if spaced || seg == 3 => Some(text.get(from..to).unwrap_or_default().to_string()),
            _ => None,
        };
        // The text of the run being built: (first byte, end byte).
        let mut run_text = (usize::MAX, 0);
        let mut run: Vec<PlacedGlyph> = Vec::new();
        let mut run_style: Option<(bool, Rgb, usize, u8)> = None;
        let mut links: Vec<(String, usize, f32, f32)> = Vec::new();
        let mut underlines: Vec<(usize, f32, f32)> = Vec::new();
        let mut items = Vec::new();
        for (gi, offset) in shaped.placed(lo..hi, line, size) {
            let g = &shaped.glyphs[lo + gi];
            let x = pl.x + offset;
            if g.gid == 0 {
                continue; // nothing to draw (a control character)
            }
            let span = pl.flat.style_at(g.cluster);
            let key = (span.bold, span.color, span.node, segment(g.cluster));
            if run_style != Some(key) && !run.is_empty() {
                let (bold, color, node, seg) = run_style.unwrap_or((false, BLACK, pl.flat.node, 0));
                items.push(Item::Glyphs {
                    y: baseline,
                    size,
                    bold,
                    color,
                    glyphs: std::mem::take(&mut run),
                    tag: Tag::Node(node),
                    actual: actual(seg, std::mem::replace(&mut run_text, (usize::MAX, 0))),
                });
            }
            run_text.0 = run_text.0.min(g.cluster);
            run_text.1 = run_text.1.max(shaped.ends[lo + gi]);
            run_style = Some(key);
            if let Some((gid, adv)) = two_em.filter(|_| in_dash(g.cluster)) {
                // The first dash of a pair draws ⸺ over both ems; the
                // second draws nothing.
                if dashes.iter().any(|&(a, _)| a == g.cluster) {
                    self.unicode.entry(gid).or_insert_with(|| "――".to_string());
                    run.push(PlacedGlyph {
                        gid,
                        x: x + (2.0 - adv) / 2.0 * size,
                        dy: 0.0,
                    });
                }
                continue;
            }
            run.push(PlacedGlyph {
                gid: g.gid,
                x: x + g.dx * size,
                dy: g.dy * size,
            });
            if let Some(url) = &span.link {
                let end = x + g.advance * size;
                match links.last_mut() {
                    Some((u, n, _, e)) if u == url && *n == span.node => *e = end.max(*e),
                    _ => links.push((url.clone(), span.node, x, end)),
                }
                // The link's own text is underlined; the address printed
                // after it (grey) is not styled as a link.
                if span.color == LINK {
                    match underlines.last_mut() {
                        Some((n, _, e)) if *n == span.node => *e = end.max(*e),
                        _ => underlines.push((span.node, x, end)),
                    }
                }
            }
        }
        if let Some(hx) = line.hyphen
            && let Some((gid, _)) = font.glyph(font.pick(&['-']))
        {
            self.unicode.entry(gid).or_insert_with(|| "-".to_string());
            run.push(PlacedGlyph {
                gid,
                x: pl.x + hx,
                dy: 0.0,
            });
        }
        if !run.is_empty() {
            let (bold, color, node, seg) = run_style.unwrap_or((false, BLACK, pl.flat.node, 0));
            items.push(Item::Glyphs {
                y: baseline,
                size,
                bold,
                color,
                glyphs: run,
                tag: Tag::Node(node),
                actual: actual(seg, run_text),
            });
        }
        // Below the descenders of Latin letters (p, g, y), which reach
        // about a fifth of an em.
        let under = baseline + (font.descender.min(-0.2) - 0.06) * size;
        for (_, x1, x2) in underlines {
            items.push(Item::Rule {
                x1,
                x2,
                y: under,
                width: 0.4,
                color: LINK,
            });
        }
        for (url, node, x1, x2) in links {
            items.push(Item::Link {
                x1,
                y1: baseline - size * 0.25,
                x2,
                y2: baseline + size * 0.9,
                url,
                node,
            });
        }
        for item in items {
            self.push_item(item);
        }
    }

    fn gap(&mut self, points: f32) {
        // Space at the top of a page is dropped.
        if !self.at_page_top() {
            self.y -= points;
        }
    }

    /// A bold, unjustified, full-width block (title or heading), placed
    /// with `keep` points of what follows on the same page.
    /// Returns the page and top of its first line.
    fn bold_block(
        &mut self,
        text: &Text,
        role: Role,
        size: f32,
        lead: f32,
        keep: f32,
    ) -> (usize, f32) {
        let node = self.tree.add(role, Some(0));
        let mut flat = Flat::new(node, self.ja_spans);
        flat.inlines(&mut self.tree, &text.inlines, true, BLACK, None);
        let shaped = self.layout.shaped(&flat.text, &flat.cuts());
        let lines = self.break_lines(
            &flat,
            &shaped,
            self.setup.text_width(),
            self.setup.text_width(),
            size,
            false,
        );
        let kind = if role == Role::H1 {
            LineKind::Title
        } else {
            LineKind::Heading
        };
        let width = self.setup.text_width();
        self.record(kind, &lines, &flat, &shaped, width, width, size, false);
        let pending = lines
            .into_iter()
            .map(|line| PendingLine {
                x: self.setup.left,
                line,
                flat: &flat,
                shaped: &shaped,
                size,
                label: None,
                after_hyphen: false,
            })
            .collect();
        self.place(pending, lead, keep)
    }

    /// A rule across the text width, `before` points below the last line
    /// and `after` points above what follows.
    fn rule(&mut self, before: f32, width: f32, color: Rgb, after: f32) {
        self.y -= before;
        let y = self.y;
        let (x1, x2) = (self.setup.left, self.setup.width - self.setup.right);
        self.page().items.push(Item::Rule {
            x1,
            x2,
            y,
            width,
            color,
        });
        self.y -= after;
    }

    fn title(&mut self, text: &Text) -> (usize, f32) {
        let k = self.setup.scale();
        let size = 17.0 * k;
        let at = self.bold_block(text, Role::H1, size, size * 1.4, 0.0);
        self.rule(6.0 * k, 1.2, BLACK, 14.0 * k);
        at
    }

    fn heading(&mut self, text: &Text, level: usize) {
        let k = self.setup.scale();
        let size = 12.5 * k;
        let body_lead = self.style.body_size * self.style.leading;
        self.gap(self.style.body_size * 1.3);
        // Keep the heading with at least two lines of what follows.
        let (page, top) =
            self.bold_block(text, Role::H2, size, size * 1.5, 8.0 * k + 2.0 * body_lead);
        self.outline.push(OutlineEntry {
            title: crate::document::plain_text(&text.inlines),
            page,
            top,
            level,
        });
        self.rule(3.0 * k, 0.5, RULE, 7.0 * k);
    }

    fn paragraph(&mut self, text: &Text) {
        let s = self.style;
        let size = s.body_size;
        let node = self.tree.add(Role::P, Some(0));
        let mut flat = Flat::new(node, self.ja_spans);
        flat.inlines(&mut self.tree, &text.inlines, false, BLACK, None);
        // A paragraph the author opened with an ideographic space (the
        // Japanese manual indent) is indented by that space alone.
        let indent = if flat.text.starts_with('\u{3000}') {
            0.0
        } else {
            s.indent * size
        };
        let shaped = self.layout.shaped(&flat.text, &flat.cuts());
        let lines = self.break_lines(
            &flat,
            &shaped,
            self.setup.text_width() - indent,
            self.setup.text_width(),
            size,
            s.justify,
        );
        let width = self.setup.text_width();
        self.record(
            LineKind::Paragraph,
            &lines,
            &flat,
            &shaped,
            width - indent,
            width,
            size,
            s.justify,
        );
        let pending = lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| PendingLine {
                x: self.setup.left + if i == 0 { indent } else { 0.0 },
                line,
                flat: &flat,
                shaped: &shaped,
                size,
                label: None,
                after_hyphen: false,
            })
            .collect();
        self.place(pending, size * s.leading, 0.0);
        self.gap(s.paragraph_gap * size);
    }

    /// A list as an `L` element of `parent` (the root, or the `LBody` of
    /// the item it is nested in).
    fn list(&mut self, items: &[ListItem], numbered: bool, depth: usize, parent: usize) {
        let list = self.tree.add(Role::L, Some(parent));
        let s = self.style;
        let size = s.body_size;
        let indent = self.setup.left + depth as f32 * 1.5 * size;
        for (n, item) in items.iter().enumerate() {
            let (label, text_x) = if numbered {
                (format!("{}.", n + 1), indent + 1.8 * size)
            } else {
                let bullet = self.layout.font.pick(BULLETS[depth % BULLETS.len()]);
                (bullet.to_string(), indent + 1.2 * size)
            };
            let li = self.tree.add(Role::LI, Some(list));
            let lbl = self.tree.add(Role::Lbl, Some(li));
            let body = self.tree.add(Role::LBody, Some(li));
            let mut flat = Flat::new(body, self.ja_spans);
            let marked = item.mark.is_some();
            flat.inlines(
                &mut self.tree,
                &item.text.inlines,
                marked,
                if marked { ACCENT } else { BLACK },
                None,
            );
            if let Some(mark) = &item.mark {
                flat.push(&format!(" ({mark})"), false, ACCENT, None);
            }
            let width = self.setup.width - self.setup.right - text_x;
            let shaped = self.layout.shaped(&flat.text, &flat.cuts());
            let lines = self.break_lines(&flat, &shaped, width, width, size, s.justify);
            self.record(
                LineKind::ListItem,
                &lines,
                &flat,
                &shaped,
                width,
                width,
                size,
                s.justify,
            );
            let pending = lines
                .into_iter()
                .enumerate()
                .map(|(i, line)| PendingLine {
                    x: text_x,
                    line,
                    flat: &flat,
                    shaped: &shaped,
                    size,
                    label: (i == 0).then(|| (label.clone(), indent, lbl)),
                    after_hyphen: false,
                })
                .collect();
            // List items are short lines: a little tighter than body text.
            self.place(pending, size * (s.leading - 0.15), 0.0);
            self.y -= size * 0.1;
            self.list(&item.children, item.children_numbered, depth + 1, body);
        }
    }
}

impl<'a> Layout<'a> {
    /// Lays out one document. `outline_level` is the bookmark level of its
    /// title (0 alone, 1 inside a bilingual handout).
    pub fn document(&self, doc: &Document, outline_level: usize, setup: &PageSetup) -> Laid {
        let mut flow = Flow::new(self, &doc.locale, setup);
        let heading_level = if doc.title.is_some() {
            outline_level + 1
        } else {
            outline_level
        };
        if let Some(title) = &doc.title {
            let at = flow.outline.len();
            flow.outline.push(OutlineEntry {
                title: crate::document::plain_text(&title.inlines),
                page: 0,
                top: setup.text_top(),
                level: outline_level,
            });
            let (page, top) = flow.title(title);
            flow.outline[at].page = page;
            flow.outline[at].top = top;
        }
        for block in &doc.blocks {
            match block {
                Block::Heading(t) => flow.heading(t, heading_level),
                Block::Paragraph(t) => flow.paragraph(t),
                Block::List(l) => {
                    flow.list(&l.items, l.numbered, 0, 0);
                    flow.gap(flow.style.paragraph_gap * flow.style.body_size);
                }
            }
        }
        Laid {
            setup: flow.setup,
            pages: flow.pages,
            outline: flow.outline,
            unicode: flow.unicode,
            tree: flow.tree,
            titles: Vec::new(),
            lines: flow.lines,
        }
    }

    /// Joins laid-out parts (each starting on a new page) and adds the
    /// running header (the part's talk title, from its second page) and the
    /// footer `n / N` counted over the whole file (both artifacts). One
    /// part keeps its structure tree; several become `Part` elements, each
    /// with its language, under one `Document`.
    pub fn finish(&self, parts: &[(&Laid, &str)]) -> Laid {
        let total: usize = parts.iter().map(|(l, _)| l.pages.len()).sum();
        let several = parts.len() > 1;
        let mut out = Laid::default();
        if several {
            out.tree.add(Role::Document, None);
        }
        for &(laid, header) in parts {
            let setup = laid.setup;
            out.lines.extend(laid.lines.iter().cloned());
            let offset = out.pages.len();
            let base = out.tree.nodes.len();
            if let Some(lang) = laid.tree.nodes.first().and_then(|n| n.lang.clone()) {
                out.titles.push((lang, header.to_string()));
            }
            for node in &laid.tree.nodes {
                let mut node = node.clone();
                node.parent = node.parent.map(|p| p + base);
                for kid in &mut node.kids {
                    match kid {
                        Kid::Node(n) => *n += base,
                        Kid::Content { page, .. } | Kid::Annot { page, .. } => *page += offset,
                    }
                }
                out.tree.nodes.push(node);
            }
            if several {
                out.tree.nodes[base].role = Role::Part;
                out.tree.nodes[base].parent = Some(0);
                out.tree.nodes[0].kids.push(Kid::Node(base));
            }
            out.outline
                .extend(laid.outline.iter().map(|e| OutlineEntry {
                    page: e.page + offset,
                    ..e.clone()
                }));
            for (gid, text) in &laid.unicode {
                out.unicode.entry(*gid).or_insert_with(|| text.clone());
            }
            for (i, page) in laid.pages.iter().enumerate() {
                let mut page = page.clone();
                for item in &mut page.items {
                    match item {
                        Item::Glyphs {
                            tag: Tag::Node(n), ..
                        }
                        | Item::Link { node: n, .. } => *n += base,
                        _ => {}
                    }
                }
                if i > 0 {
                    self.running_header(&mut page, &setup, header, &mut out.unicode);
                }
                let footer = format!("{} / {}", offset + i + 1, total);
                let size = 8.0 * setup.scale();
                let (_, width) = self.simple_run(&footer, 0.0, size, &mut out.unicode);
                let (glyphs, _) =
                    self.simple_run(&footer, (setup.width - width) / 2.0, size, &mut out.unicode);
                page.items.push(Item::Glyphs {
                    y: setup.bottom / 2.0,
                    size,
                    bold: false,
                    color: GRAY,
                    glyphs,
                    tag: Tag::Footer,
                    actual: None,
                });
                out.pages.push(page);
            }
        }
        out
    }

    /// A short text on one line from `x` (labels, footers): its glyphs and
    /// its width in points.
    fn simple_run(
        &self,
        text: &str,
        x: f32,
        size: f32,
        unicode: &mut BTreeMap<u16, String>,
    ) -> (Vec<PlacedGlyph>, f32) {
        let shaped = self.shaped(text, &[]);
        record_unicode(unicode, None, text, &shaped, 0..shaped.glyphs.len());
        let mut pen = x;
        let mut glyphs = Vec::with_capacity(shaped.glyphs.len());
        for g in &shaped.glyphs {
            if g.gid != 0 {
                glyphs.push(PlacedGlyph {
                    gid: g.gid,
                    x: pen + g.dx * size,
                    dy: g.dy * size,
                });
            }
            pen += g.advance * size;
        }
        (glyphs, pen - x)
    }

    fn running_header(
        &self,
        page: &mut Page,
        setup: &PageSetup,
        title: &str,
        unicode: &mut BTreeMap<u16, String>,
    ) {
        let size = 8.0 * setup.scale();
        // Through the line breaker, for the same 和欧間 spacing as the body;
        // only the first line is shown, ending in … when the title is longer.
        let opts = Options {
            first_line_width: setup.text_width(),
            line_width: setup.text_width(),
            font_size: size,
            justify: false,
            hyphenate: false,
            balance: false,
        };
        // The same title on every page: shaped and broken once (the memo).
        let shaped = self.shaped(title, &[]);
        let lines = self.broken(title, &[], &shaped, &opts);
        let Some(first) = lines.first() else { return };
        let lo = shaped
            .glyphs
            .partition_point(|g| g.cluster < first.range.start);
        let hi = shaped
            .glyphs
            .partition_point(|g| g.cluster < first.range.end);
        // (glyph, x, advance in points)
        let mut glyphs: Vec<(PlacedGlyph, f32)> = Vec::new();
        record_unicode(unicode, None, title, &shaped, lo..hi);
        for (gi, offset) in shaped.placed(lo..hi, first, size) {
            let g = &shaped.glyphs[lo + gi];
            let x = setup.left + offset;
            glyphs.push((
                PlacedGlyph {
                    gid: g.gid,
                    x: x + g.dx * size,
                    dy: g.dy * size,
                },
                x + g.advance * size,
            ));
        }
        if lines.len() > 1 {
            let ellipsis = self.font.pick(&['…', '.']);
            let room = setup.left + setup.text_width() - self.font.advance(ellipsis) * size;
            while glyphs.last().is_some_and(|&(_, end)| end > room) {
                glyphs.pop();
            }
            let x = glyphs.last().map_or(setup.left, |&(_, end)| end);
            if let Some((gid, _)) = self.font.glyph(ellipsis) {
                unicode.entry(gid).or_insert_with(|| ellipsis.to_string());
                glyphs.push((PlacedGlyph { gid, x, dy: 0.0 }, x));
            }
        }
        let y = setup.text_top() + 22.0 * setup.scale();
        page.items.push(Item::Glyphs {
            y,
            size,
            bold: false,
            color: GRAY,
            glyphs: glyphs
                .into_iter()
                .map(|(g, _)| g)
                .filter(|g| g.gid != 0)
                .collect(),
            tag: Tag::Header,
            actual: None,
        });
        page.items.push(Item::Rule {
            x1: setup.left,
            x2: setup.width - setup.right,
            y: y - 5.0 * setup.scale(),
            width: 0.4,
            color: RULE,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_layout_draws_is_listed_for_the_preflight() {
        let bullets = BULLETS.iter().flat_map(|b| b.iter().copied());
        for c in bullets.chain(['-', '…', '.', '/', ' ']).chain('0'..='9') {
            assert!(
                DRAWN.contains(c),
                "{c:?} is drawn by layout but not in DRAWN"
            );
        }
    }
}
