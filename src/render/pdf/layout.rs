//! Page layout: document model → positioned glyphs, rules and link areas on
//! A4 pages. Knows nothing about PDF bytes (see `write.rs`) and nothing about
//! where lines break (see `linebreak.rs`); it decides geometry, styles,
//! page breaks (keep headings with what follows, no orphans or widows) and
//! the running header and footer.

use super::fonts::Font;
use super::linebreak::{Line, LineBreaker, Options};
use crate::document::{Block, Document, Inline, ListItem, Text};

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

const BLACK: Rgb = Rgb(0.1, 0.1, 0.1);
const GRAY: Rgb = Rgb(0.45, 0.45, 0.45);
const RULE: Rgb = Rgb(0.6, 0.6, 0.6);
const LINK: Rgb = Rgb(0.05, 0.3, 0.65);
const ACCENT: Rgb = Rgb(0.7, 0.2, 0.1);

/// Something to draw. Coordinates are PDF points from the bottom-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A run of characters on one baseline, each at its own x.
    Glyphs {
        y: f32,
        size: f32,
        bold: bool,
        color: Rgb,
        chars: Vec<(char, f32)>,
    },
    /// A horizontal rule.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        color: Rgb,
    },
    /// A clickable area linking to `url`.
    Link {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        url: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

/// A bookmark: title, 0-based page index, nesting level.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
    pub level: usize,
}

/// A document (or a bilingual set of them) laid out on pages.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    pub pages: Vec<Page>,
    pub outline: Vec<OutlineEntry>,
}

/// A4 portrait.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 62.0; // ~22 mm
const MARGIN_TOP: f32 = 68.0; // ~24 mm, room for the running header
const MARGIN_BOTTOM: f32 = 62.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

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
    fn for_locale(locale: &str) -> Style {
        let language = locale.split(['-', '_']).next().unwrap_or(locale);
        if matches!(language, "ja" | "zh" | "ko") {
            // JLREQ: justified, one-em indent, ~1.7 line height.
            Style {
                body_size: 10.0,
                leading: 1.7,
                justify: true,
                hyphenate: false,
                indent: 1.0,
                paragraph_gap: 0.3,
            }
        } else {
            // Ragged right with hyphenation reads best at this measure.
            Style {
                body_size: 10.0,
                leading: 1.5,
                justify: false,
                hyphenate: true,
                indent: 0.0,
                paragraph_gap: 0.7,
            }
        }
    }
}

/// One styled span of a flattened paragraph.
#[derive(Debug, Clone)]
struct Span {
    range: std::ops::Range<usize>,
    bold: bool,
    color: Rgb,
    link: Option<String>,
}

/// A paragraph as text plus styles, ready for the line breaker.
#[derive(Debug, Default)]
struct Flat {
    text: String,
    spans: Vec<Span>,
}

impl Flat {
    fn push(&mut self, text: &str, bold: bool, color: Rgb, link: Option<&str>) {
        let start = self.text.len();
        self.text.push_str(text);
        self.spans.push(Span {
            range: start..self.text.len(),
            bold,
            color,
            link: link.map(str::to_string),
        });
    }

    fn inlines(&mut self, list: &[Inline], bold: bool, color: Rgb, link: Option<&str>) {
        for i in list {
            match i {
                Inline::Text(t) | Inline::NoteRef(t) => self.push(t, bold, color, link),
                Inline::Code(t) => {
                    self.push(t, bold, if link.is_some() { color } else { GRAY }, link)
                }
                // No italic face: emphasis is set in (synthetic) bold.
                Inline::Emphasis(c) | Inline::Strong(c) => self.inlines(c, true, color, link),
                Inline::Link { url, content } => {
                    self.inlines(content, bold, LINK, Some(url));
                    // Paper cannot be clicked: print the address too.
                    if crate::document::plain_text(content) != *url {
                        self.push(" ", bold, color, None);
                        self.push(url, false, GRAY, Some(url));
                    }
                }
                Inline::LineBreak => self.push("\n", bold, color, link),
            }
        }
    }

    fn style_at(&self, byte: usize) -> &Span {
        // Spans are sorted and contiguous; binary search by start.
        let i = self.spans.partition_point(|s| s.range.end <= byte);
        &self.spans[i.min(self.spans.len() - 1)]
    }
}

/// Lays out documents with one parsed font and one line breaker, reused for
/// every document of the run.
pub struct Layout<'a> {
    pub font: &'a Font,
    pub breaker: &'a LineBreaker,
}

/// The flow of content down the pages of one document.
struct Flow<'a> {
    layout: &'a Layout<'a>,
    style: Style,
    pages: Vec<Page>,
    /// Top of the next line box (PDF y).
    y: f32,
    outline: Vec<OutlineEntry>,
}

const BOTTOM: f32 = MARGIN_BOTTOM;
const TOP: f32 = PAGE_HEIGHT - MARGIN_TOP;

/// A broken line waiting to be placed: its x origin, the line, and its size.
struct PendingLine<'t> {
    x: f32,
    line: Line,
    flat: &'t Flat,
    size: f32,
    /// A label (bullet, number) drawn at `label.1` on this line.
    label: Option<(String, f32)>,
}

impl<'a> Flow<'a> {
    fn new(layout: &'a Layout<'a>, locale: &str) -> Self {
        Flow {
            layout,
            style: Style::for_locale(locale),
            pages: vec![Page::default()],
            y: TOP,
            outline: Vec::new(),
        }
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a flow always has a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    fn room(&self) -> f32 {
        self.y - BOTTOM
    }

    fn advance(&self, c: char) -> f32 {
        self.layout.font.advance(c)
    }

    fn break_lines(
        &self,
        flat: &Flat,
        first: f32,
        rest: f32,
        size: f32,
        justify: bool,
    ) -> Vec<Line> {
        let opts = Options {
            first_line_width: first,
            line_width: rest,
            font_size: size,
            justify,
            hyphenate: self.style.hyphenate,
        };
        self.layout
            .breaker
            .break_paragraph(&flat.text, &|c| self.advance(c), &opts)
    }

    /// Places lines with `lead` points per line, moving to a new page so
    /// that no page ends with a paragraph's first line alone (orphan) or
    /// starts with its last line alone (widow). `keep` extra points must
    /// also fit after the first chunk (keeps a heading with its text).
    fn place(&mut self, lines: Vec<PendingLine<'_>>, lead: f32, keep: f32) {
        let n = lines.len();
        let mut i = 0;
        while i < n {
            let fit = ((self.room() + 0.01) / lead).floor().max(0.0) as usize;
            let left = n - i;
            let mut take = fit.min(left);
            if take < left {
                // Splitting: at least two lines here and two on the next page.
                if left >= 4 && take >= 2 {
                    take = take.min(left - 2);
                } else if self.y < TOP - 0.01 {
                    take = 0;
                }
            } else if i == 0
                && keep > 0.0
                && self.room() < lead * take as f32 + keep
                && self.y < TOP - 0.01
            {
                take = 0;
            }
            if take == 0 {
                if self.y < TOP - 0.01 {
                    self.new_page();
                    continue;
                }
                take = 1; // A page cannot hold even one line: place it anyway.
            }
            for pl in &lines[i..i + take] {
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
    }

    fn draw_line(&mut self, pl: &PendingLine<'_>, baseline: f32) {
        let size = pl.size;
        if let Some((label, lx)) = &pl.label {
            let mut x = *lx;
            let mut chars = Vec::new();
            for c in label.chars() {
                chars.push((c, x));
                x += self.advance(c) * size;
            }
            self.page().items.push(Item::Glyphs {
                y: baseline,
                size,
                bold: false,
                color: BLACK,
                chars,
            });
        }
        // Group characters into runs of equal style.
        let mut run: Vec<(char, f32)> = Vec::new();
        let mut run_style: Option<(bool, Rgb)> = None;
        let mut links: Vec<(String, f32, f32)> = Vec::new();
        let mut items = Vec::new();
        for pc in &pl.line.chars {
            let span = pl.flat.style_at(pc.byte);
            let key = (span.bold, span.color);
            if run_style != Some(key) && !run.is_empty() {
                let (bold, color) = run_style.unwrap_or((false, BLACK));
                items.push(Item::Glyphs {
                    y: baseline,
                    size,
                    bold,
                    color,
                    chars: std::mem::take(&mut run),
                });
            }
            run_style = Some(key);
            let x = pl.x + pc.x;
            run.push((pc.ch, x));
            if let Some(url) = &span.link {
                let end = x + self.advance(pc.ch) * size;
                match links.last_mut() {
                    Some((u, _, e)) if u == url => *e = end,
                    _ => links.push((url.clone(), x, end)),
                }
            }
        }
        if let Some(hx) = pl.line.hyphen {
            run.push(('-', pl.x + hx));
        }
        if !run.is_empty() {
            let (bold, color) = run_style.unwrap_or((false, BLACK));
            items.push(Item::Glyphs {
                y: baseline,
                size,
                bold,
                color,
                chars: run,
            });
        }
        for (url, x1, x2) in links {
            items.push(Item::Rule {
                x1,
                x2,
                y: baseline - size * 0.12,
                width: 0.4,
                color: LINK,
            });
            items.push(Item::Link {
                x1,
                y1: baseline - size * 0.25,
                x2,
                y2: baseline + size * 0.9,
                url,
            });
        }
        self.page().items.extend(items);
    }

    fn gap(&mut self, points: f32) {
        // Space at the top of a page is dropped.
        if self.y < TOP - 0.01 {
            self.y -= points;
        }
    }

    /// A bold, unjustified, full-width block (title or heading), placed
    /// with `keep` points of what follows on the same page.
    fn bold_block(&mut self, text: &Text, size: f32, lead: f32, keep: f32) {
        let mut flat = Flat::default();
        flat.inlines(&text.inlines, true, BLACK, None);
        let lines = self.break_lines(&flat, TEXT_WIDTH, TEXT_WIDTH, size, false);
        let pending = lines
            .into_iter()
            .map(|line| PendingLine {
                x: MARGIN_X,
                line,
                flat: &flat,
                size,
                label: None,
            })
            .collect();
        self.place(pending, lead, keep);
    }

    /// A rule across the text width, `before` points below the last line
    /// and `after` points above what follows.
    fn rule(&mut self, before: f32, width: f32, color: Rgb, after: f32) {
        self.y -= before;
        let y = self.y;
        self.page().items.push(Item::Rule {
            x1: MARGIN_X,
            x2: PAGE_WIDTH - MARGIN_X,
            y,
            width,
            color,
        });
        self.y -= after;
    }

    fn title(&mut self, text: &Text) {
        self.bold_block(text, 17.0, 17.0 * 1.4, 0.0);
        self.rule(6.0, 1.2, BLACK, 14.0);
    }

    fn heading(&mut self, text: &Text, level: usize) {
        let size = 12.5;
        let body_lead = self.style.body_size * self.style.leading;
        self.gap(self.style.body_size * 1.3);
        // Keep the heading with at least two lines of what follows.
        self.bold_block(text, size, size * 1.5, 8.0 + 2.0 * body_lead);
        let page = self.pages.len() - 1;
        self.outline.push(OutlineEntry {
            title: crate::document::plain_text(&text.inlines),
            page,
            level,
        });
        self.rule(3.0, 0.5, RULE, 7.0);
    }

    fn paragraph(&mut self, text: &Text) {
        let s = self.style;
        let size = s.body_size;
        let mut flat = Flat::default();
        flat.inlines(&text.inlines, false, BLACK, None);
        let indent = s.indent * size;
        let lines = self.break_lines(&flat, TEXT_WIDTH - indent, TEXT_WIDTH, size, s.justify);
        let pending = lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| PendingLine {
                x: MARGIN_X + if i == 0 { indent } else { 0.0 },
                line,
                flat: &flat,
                size,
                label: None,
            })
            .collect();
        self.place(pending, size * s.leading, 0.0);
        self.gap(s.paragraph_gap * size);
    }

    fn list(&mut self, items: &[ListItem], numbered: bool, depth: usize) {
        const BULLETS: [&[char]; 3] = [&['•', '・'], &['◦', '○', '・'], &['▪', '■', '・']];
        let s = self.style;
        let size = s.body_size;
        let indent = MARGIN_X + depth as f32 * 1.5 * size;
        for (n, item) in items.iter().enumerate() {
            let (label, text_x) = if numbered {
                (format!("{}.", n + 1), indent + 1.8 * size)
            } else {
                let bullet = self.layout.font.pick(BULLETS[depth % BULLETS.len()]);
                (bullet.to_string(), indent + 1.2 * size)
            };
            let mut flat = Flat::default();
            let marked = item.mark.is_some();
            flat.inlines(
                &item.text.inlines,
                marked,
                if marked { ACCENT } else { BLACK },
                None,
            );
            if let Some(mark) = &item.mark {
                flat.push(&format!(" ({mark})"), false, ACCENT, None);
            }
            let width = PAGE_WIDTH - MARGIN_X - text_x;
            let lines = self.break_lines(&flat, width, width, size, s.justify);
            let pending = lines
                .into_iter()
                .enumerate()
                .map(|(i, line)| PendingLine {
                    x: text_x,
                    line,
                    flat: &flat,
                    size,
                    label: (i == 0).then(|| (label.clone(), indent)),
                })
                .collect();
            // List items are short lines: a little tighter than body text.
            self.place(pending, size * (s.leading - 0.15), 0.0);
            self.y -= size * 0.1;
            self.list(&item.children, false, depth + 1);
        }
    }
}

impl<'a> Layout<'a> {
    /// Lays out one document. `outline_level` is the bookmark level of its
    /// title (0 alone, 1 inside a bilingual handout).
    pub fn document(&self, doc: &Document, outline_level: usize) -> Laid {
        let mut flow = Flow::new(self, &doc.locale);
        let heading_level = if doc.title.is_some() {
            outline_level + 1
        } else {
            outline_level
        };
        if let Some(title) = &doc.title {
            flow.outline.push(OutlineEntry {
                title: crate::document::plain_text(&title.inlines),
                page: 0,
                level: outline_level,
            });
            flow.title(title);
        }
        for block in &doc.blocks {
            match block {
                Block::Heading(t) => flow.heading(t, heading_level),
                Block::Paragraph(t) => flow.paragraph(t),
                Block::List(l) => {
                    flow.list(&l.items, l.numbered, 0);
                    flow.gap(flow.style.paragraph_gap * flow.style.body_size);
                }
            }
        }
        Laid {
            pages: flow.pages,
            outline: flow.outline,
        }
    }

    /// Joins laid-out parts (each starting on a new page) and adds the
    /// running header (the part's talk title, from its second page) and the
    /// footer `n / N` counted over the whole file.
    pub fn finish(&self, parts: Vec<(Laid, String)>) -> Laid {
        let total: usize = parts.iter().map(|(l, _)| l.pages.len()).sum();
        let mut out = Laid::default();
        for (laid, header) in parts {
            let offset = out.pages.len();
            out.outline.extend(laid.outline.into_iter().map(|mut e| {
                e.page += offset;
                e
            }));
            for (i, mut page) in laid.pages.into_iter().enumerate() {
                if i > 0 {
                    self.running_header(&mut page, &header);
                }
                let footer = format!("{} / {}", offset + i + 1, total);
                let width: f32 = footer.chars().map(|c| self.font.advance(c) * 8.0).sum();
                let mut x = (PAGE_WIDTH - width) / 2.0;
                let mut chars = Vec::new();
                for c in footer.chars() {
                    chars.push((c, x));
                    x += self.font.advance(c) * 8.0;
                }
                page.items.push(Item::Glyphs {
                    y: MARGIN_BOTTOM / 2.0,
                    size: 8.0,
                    bold: false,
                    color: GRAY,
                    chars,
                });
                out.pages.push(page);
            }
        }
        out
    }

    fn running_header(&self, page: &mut Page, title: &str) {
        let size = 8.0;
        // Through the line breaker, for the same 和欧間 spacing as the body;
        // only the first line is shown, ending in … when the title is longer.
        let opts = Options {
            first_line_width: TEXT_WIDTH,
            line_width: TEXT_WIDTH,
            font_size: size,
            justify: false,
            hyphenate: false,
        };
        let lines = self
            .breaker
            .break_paragraph(title, &|c| self.font.advance(c), &opts);
        let Some(first) = lines.first() else { return };
        let mut chars: Vec<(char, f32)> = first
            .chars
            .iter()
            .map(|pc| (pc.ch, MARGIN_X + pc.x))
            .collect();
        if lines.len() > 1 {
            let ellipsis = self.font.pick(&['…', '.']);
            let room = TEXT_WIDTH - self.font.advance(ellipsis) * size;
            while chars
                .last()
                .is_some_and(|&(c, x)| x - MARGIN_X + self.font.advance(c) * size > room)
            {
                chars.pop();
            }
            let x = chars
                .last()
                .map_or(MARGIN_X, |&(c, x)| x + self.font.advance(c) * size);
            chars.push((ellipsis, x));
        }
        let y = PAGE_HEIGHT - MARGIN_TOP + 22.0;
        page.items.push(Item::Glyphs {
            y,
            size,
            bold: false,
            color: GRAY,
            chars,
        });
        page.items.push(Item::Rule {
            x1: MARGIN_X,
            x2: PAGE_WIDTH - MARGIN_X,
            y: y - 5.0,
            width: 0.4,
            color: RULE,
        });
    }
}
