//! The Markdown export read back with pulldown-cmark must have the model's
//! structure: headings, paragraphs' plain text, list nesting and item texts,
//! link URLs. Checked for every real document and locale, and for random
//! documents full of characters that mean something in Markdown.

use crate::common;

use proptest::prelude::*;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use talkdoc::document::{Block, Document, Inline, List, ListItem, Text, markdown_options};
use talkdoc::render::markdown::to_markdown;

/// A block as a reader of the Markdown sees it.
#[derive(Debug, Clone, PartialEq)]
enum MdBlock {
    Heading {
        level: u8,
        text: String,
        urls: Vec<String>,
    },
    Paragraph {
        text: String,
        urls: Vec<String>,
    },
    /// `start` is the first number of a numbered list.
    List {
        start: Option<u64>,
        items: Vec<MdItem>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct MdItem {
    text: String,
    urls: Vec<String>,
    children: Vec<MdBlock>,
}

/// What the Markdown parser made of a document, plus anything that a
/// faithful export never produces (raw HTML, images, code blocks, loose
/// lists, …).
#[derive(Debug, Default)]
struct Parsed {
    blocks: Vec<MdBlock>,
    oddities: Vec<String>,
}

#[derive(Default)]
struct Inl {
    text: String,
    urls: Vec<String>,
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

struct Reader<'a> {
    events: std::iter::Peekable<Parser<'a>>,
    oddities: Vec<String>,
}

impl<'a> Reader<'a> {
    fn new(md: &'a str) -> Self {
        Reader {
            events: Parser::new_ext(md, markdown_options()).peekable(),
            oddities: Vec::new(),
        }
    }

    /// Inline content up to (and including) `end`.
    fn inline(&mut self, end: TagEnd) -> Inl {
        let mut inl = Inl::default();
        while let Some(ev) = self.events.next() {
            if ev == Event::End(end) {
                return inl;
            }
            self.inline_event(ev, &mut inl);
        }
        self.oddities.push(format!("unterminated {end:?}"));
        inl
    }

    fn inline_event(&mut self, ev: Event<'_>, inl: &mut Inl) {
        match ev {
            Event::Text(t) | Event::Code(t) => inl.text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => inl.text.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => inl.urls.push(dest_url.to_string()),
            Event::Start(Tag::Emphasis | Tag::Strong) => {}
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link) => {}
            Event::Start(tag @ (Tag::Image { .. } | Tag::Strikethrough)) => {
                self.oddities.push(format!("{tag:?}"));
            }
            Event::End(TagEnd::Image | TagEnd::Strikethrough) => {}
            Event::Html(h) | Event::InlineHtml(h) => {
                self.oddities.push(format!("raw HTML {h:?}"));
                inl.text.push_str(&h);
            }
            other => self.oddities.push(format!("unexpected inline {other:?}")),
        }
    }

    fn item(&mut self) -> MdItem {
        let mut inl = Inl::default();
        let mut children = Vec::new();
        while let Some(ev) = self.events.next() {
            match ev {
                Event::End(TagEnd::Item) => break,
                Event::Start(Tag::Paragraph) => {
                    self.oddities
                        .push(format!("loose list item near {:?}", inl.text));
                    let p = self.inline(TagEnd::Paragraph);
                    inl.text.push_str(&p.text);
                    inl.urls.extend(p.urls);
                }
                Event::Start(Tag::List(start)) => children.push(self.list(start)),
                Event::Start(tag) if !is_inline(&tag) => {
                    self.oddities.push(format!("{tag:?} inside a list item"));
                    children.extend(self.block(tag));
                }
                other => self.inline_event(other, &mut inl),
            }
        }
        MdItem {
            text: inl.text,
            urls: inl.urls,
            children,
        }
    }

    fn list(&mut self, start: Option<u64>) -> MdBlock {
        let mut items = Vec::new();
        while let Some(ev) = self.events.next() {
            match ev {
                Event::Start(Tag::Item) => items.push(self.item()),
                Event::End(TagEnd::List(_)) => break,
                other => self.oddities.push(format!("{other:?} inside a list")),
            }
        }
        MdBlock::List { start, items }
    }

    fn block(&mut self, tag: Tag<'_>) -> Option<MdBlock> {
        match tag {
            Tag::Heading { level, .. } => {
                let inl = self.inline(TagEnd::Heading(level));
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                Some(MdBlock::Heading {
                    level,
                    text: inl.text,
                    urls: inl.urls,
                })
            }
            Tag::Paragraph => {
                let inl = self.inline(TagEnd::Paragraph);
                Some(MdBlock::Paragraph {
                    text: inl.text,
                    urls: inl.urls,
                })
            }
            Tag::List(start) => Some(self.list(start)),
            other => {
                let end = other.to_end();
                self.oddities.push(format!("unexpected block {other:?}"));
                let inl = self.inline(end);
                Some(MdBlock::Paragraph {
                    text: inl.text,
                    urls: inl.urls,
                })
            }
        }
    }

    fn document(mut self) -> Parsed {
        let mut blocks = Vec::new();
        while let Some(ev) = self.events.next() {
            match ev {
                Event::Start(tag) => blocks.extend(self.block(tag)),
                other => self
                    .oddities
                    .push(format!("unexpected top-level {other:?}")),
            }
        }
        Parsed {
            blocks,
            oddities: self.oddities,
        }
    }
}

fn parse(md: &str) -> Parsed {
    Reader::new(md).document()
}

// ---------------------------------------------------------------------------
// What the model says the reader should see.

fn urls(inlines: &[Inline], out: &mut Vec<String>) {
    for i in inlines {
        match i {
            Inline::Link { url, content } => {
                out.push(url.clone());
                urls(content, out);
            }
            Inline::Emphasis(c) | Inline::Strong(c) => urls(c, out),
            _ => {}
        }
    }
}

fn text_urls(t: &Text) -> Vec<String> {
    let mut out = Vec::new();
    urls(&t.inlines, &mut out);
    out
}

fn expected_items(items: &[ListItem]) -> Vec<MdItem> {
    items
        .iter()
        .map(|i| MdItem {
            text: common::item_text(i),
            urls: text_urls(&i.text),
            children: if i.children.is_empty() {
                Vec::new()
            } else {
                vec![MdBlock::List {
                    start: i.children_numbered.then_some(1),
                    items: expected_items(&i.children),
                }]
            },
        })
        .collect()
}

fn expected(doc: &Document) -> Vec<MdBlock> {
    let heading = |level: u8, t: &Text| MdBlock::Heading {
        level,
        text: talkdoc::document::plain_text(&t.inlines),
        urls: text_urls(t),
    };
    let mut out = Vec::new();
    if let Some(t) = &doc.title {
        out.push(heading(1, t));
    }
    for b in &doc.blocks {
        out.push(match b {
            Block::Heading(t) => heading(2, t),
            Block::Paragraph(t) => MdBlock::Paragraph {
                text: talkdoc::document::plain_text(&t.inlines),
                urls: text_urls(t),
            },
            Block::List(l) => MdBlock::List {
                start: l.numbered.then_some(1),
                items: expected_items(&l.items),
            },
        });
    }
    out
}

fn check_round_trip(doc: &Document) -> Result<(), String> {
    let md = to_markdown(doc);
    let parsed = parse(&md);
    let want = expected(doc);
    if !parsed.oddities.is_empty() {
        return Err(format!(
            "the Markdown has {:?}\n--- markdown ---\n{md}",
            parsed.oddities
        ));
    }
    if parsed.blocks != want {
        return Err(format!(
            "structure differs\n--- markdown ---\n{md}\n--- parsed ---\n{:#?}\n--- model ---\n{:#?}",
            parsed.blocks, want
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The real proposal.

#[test]
fn every_real_document_round_trips() {
    let project = common::real_project();
    let docs = common::all_documents(&project);
    for doc in &docs {
        if let Err(e) = check_round_trip(doc) {
            panic!("{} ({}): {e}", doc.name, doc.locale);
        }
    }
}

#[test]
fn real_markdown_has_the_expected_shape() {
    // A few spot checks that the comparison above is not vacuous.
    let project = common::real_project();
    let outline = common::real_document(&project, "outline", "ja");
    let parsed = parse(&to_markdown(&outline));
    assert!(parsed.oddities.is_empty(), "{:?}", parsed.oddities);
    assert!(matches!(
        &parsed.blocks[0],
        MdBlock::Heading { level: 1, .. }
    ));
    assert!(
        matches!(&parsed.blocks[1], MdBlock::Heading { level: 2, text, .. } if text == "アウトライン")
    );
    let MdBlock::List { start: None, items } = &parsed.blocks[2] else {
        panic!("no outline list: {:?}", parsed.blocks);
    };
    assert_eq!(items.len(), 10);
    let definition = &items[3];
    assert_eq!(definition.text, "テレメトリーの定義");
    let MdBlock::List { items: sub, .. } = &definition.children[0] else {
        panic!("no sub-list");
    };
    assert_eq!(sub[0].text, "なぜテレメトリーという用語を使うのか?");
    let MdBlock::List { items: subsub, .. } = &sub[0].children[0] else {
        panic!("no sub-sub-list");
    };
    assert_eq!(subsub.len(), 2);
    // `__` in a note title stays text, never emphasis.
    let history = items
        .iter()
        .find(|i| i.text == "信頼性とテレメトリーの歴史")
        .expect("history item");
    let MdBlock::List { items: notes, .. } = &history.children[0] else {
        panic!("no notes");
    };
    assert_eq!(
        notes[1].text,
        "2007__FOSE__Software Reliability Engineering - A Roadmap"
    );

    let handout = common::real_document(&project, "handout", "ja");
    let parsed = parse(&to_markdown(&handout));
    let MdBlock::List { items: related, .. } = parsed.blocks.last().expect("blocks") else {
        panic!("the handout ends with the related material");
    };
    assert_eq!(
        related[0].text,
        "経営・意思・エンジニアリング by 松本 勇気 | トーク | YAPC::Hiroshima 2024 #yapcjapan - fortee.jp"
    );
    assert_eq!(
        related[0].urls,
        ["https://fortee.jp/yapc-hiroshima-2024/proposal/a3205912-65d1-4bd0-b3d7-1824747e927a"]
    );

    let titles = common::real_document(&project, "titles", "en");
    let parsed = parse(&to_markdown(&titles));
    let MdBlock::List { items, .. } = &parsed.blocks[1] else {
        panic!("no titles list");
    };
    assert_eq!(items.len(), 32);
    assert_eq!(
        items[7].text,
        "13 Years of Telemetry for SRE — At the Frontier of AI for Systems and Systems for AI (Selected)"
    );
    let takeaways = common::real_document(&project, "takeaways", "en");
    let parsed = parse(&to_markdown(&takeaways));
    assert!(
        matches!(&parsed.blocks[2], MdBlock::List { start: Some(1), items } if items.len() == 1)
    );
}

#[test]
fn the_reader_notices_broken_markdown() {
    // The checker itself must fail on Markdown that loses structure.
    let doc = Document {
        name: "t".into(),
        locale: "en".into(),
        title: None,
        blocks: vec![Block::Paragraph(Text {
            message_id: "m".into(),
            inlines: vec![Inline::Text("a".into())],
        })],
    };
    assert!(check_round_trip(&doc).is_ok());
    assert_eq!(parse("*a*b <i>x</i>").oddities.len(), 2);
    let p = parse("- a\n\n- b\n");
    assert!(!p.oddities.is_empty(), "a loose list is reported");
    assert_ne!(
        parse("1. a\n- b").blocks,
        parse("1. a\n\n   - b").blocks,
        "nesting is compared"
    );
}

// ---------------------------------------------------------------------------
// Hand-picked cases: the exact Markdown, and that it reads back.

fn t(inlines: Vec<Inline>) -> Text {
    Text {
        message_id: "m".into(),
        inlines,
    }
}

fn txt(s: &str) -> Inline {
    Inline::Text(s.into())
}

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        name: "case".into(),
        locale: "ja".into(),
        title: None,
        blocks,
    }
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(t(inlines))
}

fn bullets(texts: &[&str]) -> Block {
    Block::List(List {
        numbered: false,
        items: texts
            .iter()
            .map(|s| ListItem {
                text: t(vec![txt(s)]),
                mark: None,
                children: Vec::new(),
                children_numbered: false,
            })
            .collect(),
    })
}

#[track_caller]
fn assert_markdown(d: &Document, want: &str) {
    assert_eq!(to_markdown(d), want);
    if let Err(e) = check_round_trip(d) {
        panic!("{e}");
    }
}

#[test]
fn emphasis_is_kept_where_commonmark_can_express_it() {
    let em = |s: &str| Inline::Emphasis(vec![txt(s)]);
    let strong = |s: &str| Inline::Strong(vec![txt(s)]);
    assert_markdown(
        &doc(vec![para(vec![txt("これは"), em("強調"), txt("です")])]),
        "これは*強調*です\n",
    );
    assert_markdown(
        &doc(vec![para(vec![txt("a "), strong("b"), txt(" c")])]),
        "a **b** c\n",
    );
    assert_markdown(
        &doc(vec![para(vec![Inline::Emphasis(vec![
            txt("a "),
            strong("b"),
            txt(" c"),
        ])])]),
        "*a __b__ c*\n",
    );
    // A marked item is bold, its own emphasis alternates to `_`.
    let marked = Block::List(List {
        numbered: false,
        items: vec![ListItem {
            text: t(vec![txt("x "), em("y")]),
            mark: Some("chosen".into()),
            children: Vec::new(),
            children_numbered: false,
        }],
    });
    assert_markdown(&doc(vec![marked]), "- **x _y_** (chosen)\n");
}

#[test]
fn emphasis_commonmark_cannot_express_keeps_its_text() {
    // `*` after a letter and before punctuation is not an opening delimiter:
    // the text is kept, without stray asterisks.
    let d = doc(vec![para(vec![
        txt("x"),
        Inline::Emphasis(vec![txt("「b」")]),
        txt("y"),
    ])]);
    assert_markdown(&d, "x「b」y\n");
    let d = doc(vec![para(vec![Inline::Strong(vec![txt(" a ")])])]);
    assert_markdown(&d, "&#32;a&#32;\n");
}

#[test]
fn text_that_looks_like_markdown_stays_text() {
    // `#` at the end of a heading is not a closing sequence.
    assert_markdown(
        &doc(vec![Block::Heading(t(vec![txt("Issue #")]))]),
        "## Issue \\#\n",
    );
    // A line break starts a line: block syntax after it is escaped.
    assert_markdown(
        &doc(vec![para(vec![
            txt("a"),
            Inline::LineBreak,
            txt("# b"),
            Inline::LineBreak,
            txt("- c"),
            Inline::LineBreak,
            txt("    d"),
        ])]),
        "a\\\n\\# b\\\n\\- c\\\n&#32;&#32;&#32;&#32;d\n",
    );
    // Trailing spaces would be stripped.
    assert_markdown(&doc(vec![para(vec![txt("a  ")])]), "a&#32;&#32;\n");
    // `!` before a link would make it an image.
    assert_markdown(
        &doc(vec![para(vec![
            txt("Wow!"),
            Inline::Link {
                url: "https://e.x/".into(),
                content: vec![txt("x")],
            },
        ])]),
        "Wow\\![x](<https://e.x/>)\n",
    );
    // A code span of spaces only.
    assert_markdown(
        &doc(vec![para(vec![txt("a "), Inline::Code(" ".into())])]),
        "a ` `\n",
    );
    // Backslashes and character references in a URL are kept as written.
    assert_markdown(
        &doc(vec![para(vec![Inline::Link {
            url: r"https://e.x/a\b?c&amp;d&e".into(),
            content: vec![txt("l")],
        }])]),
        "[l](<https://e.x/a\\\\b?c\\&amp;d&e>)\n",
    );
}

#[test]
fn block_structure_survives() {
    // Two bullet lists in a row stay two lists.
    assert_markdown(
        &doc(vec![bullets(&["a"]), bullets(&["b"]), bullets(&["c"])]),
        "- a\n\n* b\n\n- c\n",
    );
    // A heading with a line break is a setext heading (ATX is one line).
    assert_markdown(
        &doc(vec![Block::Heading(t(vec![
            txt("a"),
            Inline::LineBreak,
            txt("b"),
        ]))]),
        "a\\\nb\n---\n",
    );
    // Continuation lines of an item are indented to its content.
    let item = Block::List(List {
        numbered: true,
        items: vec![ListItem {
            text: t(vec![txt("a"), Inline::LineBreak, txt("b")]),
            mark: None,
            children: vec![ListItem {
                text: t(vec![txt("c")]),
                mark: None,
                children: Vec::new(),
                children_numbered: false,
            }],
            children_numbered: false,
        }],
    });
    assert_markdown(&doc(vec![item]), "1. a\\\n   b\n   - c\n");
    // Nested items numbered when the content asks for it.
    let nested = Block::List(List {
        numbered: false,
        items: vec![ListItem {
            text: t(vec![txt("a")]),
            mark: None,
            children: ["b", "c"]
                .iter()
                .map(|s| ListItem {
                    text: t(vec![txt(s)]),
                    mark: None,
                    children: Vec::new(),
                    children_numbered: false,
                })
                .collect(),
            children_numbered: true,
        }],
    });
    assert_markdown(&doc(vec![nested]), "- a\n  1. b\n  2. c\n");
}

// ---------------------------------------------------------------------------
// Random documents.

/// Pieces of text that mean something somewhere in Markdown.
const NASTY: &[&str] = &[
    "*",
    "_",
    "[",
    "]",
    "#",
    "|",
    "<",
    ">",
    "\\",
    "`",
    "!",
    "&",
    "~",
    "-",
    "+",
    "=",
    "1.",
    "1)",
    "12.",
    " ",
    "  ",
    "    ",
    "\t",
    "a",
    "b",
    "テ",
    "。",
    "「",
    "」",
    "x y",
    "&amp;",
    "&#35;",
    "<b>",
    "<!--",
    "[x](y)",
    "[[n]]",
    "![i](j)",
    "**",
    "__",
    "~~",
    "---",
    "***",
    "===",
    "# ",
    "- ",
    "+ ",
    "* ",
    "> ",
    "1. ",
    "http://e.x",
    "<http://e.x>",
    ":",
    "(",
    ")",
    "\"",
    "'",
    "{",
    "}",
    "\r",
    "x\ny",
    "x\n  # y",
    "x\r\ny",
];

fn nasty_string() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(NASTY), 1..7).prop_map(|v| v.concat())
}

fn url() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "https://e.x/",
        "a",
        "b/",
        "?q=1",
        "&r=2",
        "#f",
        "(p)",
        "_",
        "*",
        "%20",
        "~",
        "[",
        "]",
        "&amp;",
        "\\",
        "\\*",
        "é",
        ")",
    ];
    prop::collection::vec(prop::sample::select(PIECES), 1..5).prop_map(|v| v.concat())
}

fn code() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &["a", "`", "``", " ", "*", "\\", "<b>", "[x]", "&amp;", "テ"];
    prop::collection::vec(prop::sample::select(PIECES), 1..5).prop_map(|v| v.concat())
}

/// An inline that may appear inside a link (no nested links).
fn inline_no_link() -> impl Strategy<Value = Inline> {
    let leaf = prop_oneof![
        4 => nasty_string().prop_map(Inline::Text),
        1 => code().prop_map(Inline::Code),
        1 => nasty_string().prop_map(Inline::NoteRef),
        1 => Just(Inline::LineBreak),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..3).prop_map(Inline::Emphasis),
            prop::collection::vec(inner, 1..3).prop_map(Inline::Strong),
        ]
    })
}

fn inline() -> impl Strategy<Value = Inline> {
    prop_oneof![
        6 => inline_no_link(),
        1 => (url(), prop::collection::vec(inline_no_link(), 0..3))
            .prop_map(|(url, content)| Inline::Link { url, content }),
    ]
}

/// Line breaks only between other inlines, as parsing a message value
/// produces them (a paragraph cannot start or end with a hard break).
fn tidy(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for i in inlines {
        let i = match i {
            Inline::Emphasis(c) => Inline::Emphasis(tidy(c)),
            Inline::Strong(c) => Inline::Strong(tidy(c)),
            Inline::Link { url, content } => Inline::Link {
                url,
                content: tidy(content),
            },
            other => other,
        };
        let empty_wrapper = matches!(&i, Inline::Emphasis(c) | Inline::Strong(c) if c.is_empty());
        if empty_wrapper {
            continue;
        }
        if i == Inline::LineBreak && out.is_empty() {
            continue;
        }
        out.push(i);
    }
    while out.last() == Some(&Inline::LineBreak) {
        out.pop();
    }
    out
}

fn text() -> impl Strategy<Value = Text> {
    prop::collection::vec(inline(), 1..5)
        .prop_map(tidy)
        .prop_filter("some content", |v| !v.is_empty())
        .prop_map(|inlines| Text {
            message_id: "m".into(),
            inlines,
        })
}

fn item() -> impl Strategy<Value = ListItem> {
    let leaf =
        (text(), prop::option::weighted(0.2, nasty_string())).prop_map(|(text, mark)| ListItem {
            text,
            mark,
            children: Vec::new(),
            children_numbered: false,
        });
    leaf.prop_recursive(2, 8, 3, |inner| {
        (
            text(),
            prop::option::weighted(0.2, nasty_string()),
            prop::collection::vec(inner, 0..3),
            any::<bool>(),
        )
            .prop_map(|(text, mark, children, children_numbered)| ListItem {
                text,
                mark,
                children,
                children_numbered,
            })
    })
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        1 => text().prop_map(Block::Heading),
        2 => text().prop_map(Block::Paragraph),
        2 => (any::<bool>(), prop::collection::vec(item(), 1..4))
            .prop_map(|(numbered, items)| Block::List(List { numbered, items })),
    ]
}

fn document() -> impl Strategy<Value = Document> {
    (
        prop::option::of(text()),
        prop::collection::vec(block(), 0..6),
    )
        .prop_map(|(title, blocks)| Document {
            name: "random".into(),
            locale: "ja".into(),
            title,
            blocks,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_round_trip(doc in document()) {
        if let Err(e) = check_round_trip(&doc) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn random_message_values_round_trip(
        lines in prop::collection::vec(nasty_string(), 1..4),
        title in nasty_string(),
    ) {
        // A message value as the catalog gives it (lines joined by `\n`),
        // parsed as inline Markdown, in a paragraph, a heading and a list item.
        let inlines = talkdoc::document::parse_inline(&lines.join("\n"));
        prop_assume!(!inlines.is_empty());
        let text = t(inlines);
        let d = Document {
            name: "msg".into(),
            locale: "ja".into(),
            title: Some(t(talkdoc::document::parse_inline(&title))).filter(|t| !t.inlines.is_empty()),
            blocks: vec![
                Block::Heading(text.clone()),
                Block::Paragraph(text.clone()),
                Block::List(List {
                    numbered: true,
                    items: vec![ListItem {
                        text,
                        mark: Some(title),
                        children: Vec::new(),
                        children_numbered: false,
                    }],
                }),
            ],
        };
        if let Err(e) = check_round_trip(&d) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn any_text_at_the_start_of_a_paragraph_stays_text(s in nasty_string()) {
        let doc = Document {
            name: "one".into(),
            locale: "en".into(),
            title: None,
            blocks: vec![Block::Paragraph(Text { message_id: "m".into(), inlines: vec![Inline::Text(s)] })],
        };
        if let Err(e) = check_round_trip(&doc) {
            prop_assert!(false, "{}", e);
        }
    }
}
