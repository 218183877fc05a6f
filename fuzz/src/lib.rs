// Harnesses shared by the fuzz targets in fuzz_targets/ and by the
// regression tests in tests/integration/fuzz_regressions.rs (which include this file with
// `#[path]`, so it must only use talkdoc, pulldown-cmark and std, and must not
// have inner attributes).
//
// Every harness feeds the input to talkdoc the way a user's files or text
// reach it. An `Err` from talkdoc is a fine outcome; a panic, a hang or a
// broken invariant (asserted here) is a bug.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use talkdoc::check::report::{self, OutputFormat};
use talkdoc::diag::Error;
use talkdoc::document::{Block, Document, Inline, List, ListItem, Text};
use talkdoc::project::Project;
use talkdoc::render::pdf::fonts::Font;
use talkdoc::render::pdf::layout::Layout;
use talkdoc::render::pdf::linebreak::{LineBreaker, LineEnd, Options};

// ---------------------------------------------------------------------------
// A small project on disk
// ---------------------------------------------------------------------------

/// Separates the ja and en .ftl files in a `fluent_check` input. 0xFF never
/// occurs in UTF-8, so both halves can still be any valid Fluent text.
pub const FTL_SEPARATOR: u8 = 0xFF;

pub const PROJECT_TOML: &str = r#"source_locale = "ja"
locales = ["ja", "en"]
title = "talk-title"
author = "Test Speaker"
keywords = ["testing", "fuzz"]

[variables]
name = "Hanako"
count = 3
ratio = 0.5
flag = true

[[limits]]
document = "abstract"
locale = "ja"
max = 40
count = "chars"

[[limits]]
document = "abstract"
locale = "en"
max = 20
count = "words"

[[limits]]
document = "outline"
locale = "en"
max = 60
count = "graphemes"

[[limits]]
document = "handout"
locale = "ja"
max = 100
count = "utf16"

[[limits]]
document = "handout"
locale = "en"
max = 100
count = "crlf"

[pdf]
combined = "handout"

[check]
allow_unused = ["spare-*"]
allow_identical = ["outline-step-1"]
"#;

pub const ABSTRACT_TOML: &str = r#"title = "talk-title"

[[blocks]]
type = "heading"
message = "heading-abstract"

[[blocks]]
type = "paragraphs"
messages = ["abstract-intro", "abstract-notes"]
"#;

pub const OUTLINE_TOML: &str = r#"title = "heading-outline"

[[blocks]]
type = "list"
style = "bullet"
items = [
  "outline-start",
  { id = "outline-middle", mark = "outline-mark", items = ["outline-middle-a", "outline-middle-b"] },
]

[[blocks]]
type = "list"
style = "numbered"
items = ["outline-step-1", "outline-step-2"]
"#;

pub const HANDOUT_TOML: &str = r#"title = "talk-title"

[[blocks]]
type = "include"
document = "abstract"

[[blocks]]
type = "heading"
message = "heading-outline"

[[blocks]]
type = "include"
document = "outline"

[[blocks]]
type = "paragraphs"
messages = ["talk-title.short"]
"#;

pub const JA_FTL: &str = r#"-years = 13

talk-title = テレメトリーの{ -years }年
    .short = テレメトリー
heading-abstract = 概要
heading-outline = 構成

abstract-intro = こんにちは、{ $name }です。*強調*と[例のページ](https://example.com/a?b=1&c=2)を見てください。
abstract-notes = 詳しくは[[秘密のノート]]にあります。
    二行目も同じ段落です。

outline-start = はじめに
outline-middle = 本題
outline-mark = 採用
outline-middle-a = { -years }年の歴史
outline-middle-b = **まとめ**
outline-step-1 = Instrument
outline-step-2 = { $count ->
    [one] 分析
   *[other] { $count }回の分析
}
"#;

pub const EN_FTL: &str = r#"-years = 13

talk-title = { -years } Years of Telemetry
    .short = Telemetry
heading-abstract = Abstract
heading-outline = Structure

abstract-intro = Hello, I am { $name }. See *this* and [the example page](https://example.com/a?b=1&c=2).
abstract-notes = Details are in [[Secret Note]].
    The second line is in the same paragraph.

outline-start = Introduction
outline-middle = Main part
outline-mark = chosen
outline-middle-a = { -years } years of history
outline-middle-b = **Summary**
outline-step-1 = Instrument
outline-step-2 = { $count ->
    [one] One analysis
   *[other] { $count } analyses
}
"#;

pub const EN_REVIEWED_TOML: &str = r#"-years = { hash = "0000000000000000", source = "13" }
heading-abstract = { hash = "42be6816a2cc7a3b", source = "概要" }
outline-start = { hash = "ffffffffffffffff", source = "はじめに" }
gone-message = { hash = "0123456789abcdef", source = "消えた" }
"#;

/// The files of one project, relative to its root.
pub struct Files<'a> {
    pub project_toml: &'a [u8],
    pub documents: Vec<(&'a str, &'a [u8])>,
    pub ja_ftl: &'a [u8],
    pub en_ftl: &'a [u8],
    pub en_reviewed: &'a [u8],
}

impl Default for Files<'_> {
    fn default() -> Self {
        Files {
            project_toml: PROJECT_TOML.as_bytes(),
            documents: vec![
                ("abstract", ABSTRACT_TOML.as_bytes()),
                ("outline", OUTLINE_TOML.as_bytes()),
                ("handout", HANDOUT_TOML.as_bytes()),
            ],
            ja_ftl: JA_FTL.as_bytes(),
            en_ftl: EN_FTL.as_bytes(),
            en_reviewed: EN_REVIEWED_TOML.as_bytes(),
        }
    }
}

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// One scratch project folder per thread (the regression tests run in
    /// parallel threads of one process; a fuzzer uses one thread).
    static SCRATCH: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// `$TMPDIR/talkdoc-fuzz-<pid>[-<n>]`, created on first use.
pub fn scratch_dir() -> PathBuf {
    SCRATCH.with(|s| {
        s.borrow_mut()
            .get_or_insert_with(|| {
                let n = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
                let name = if n == 0 {
                    format!("talkdoc-fuzz-{}", std::process::id())
                } else {
                    format!("talkdoc-fuzz-{}-{n}", std::process::id())
                };
                std::env::temp_dir().join(name)
            })
            .clone()
    })
}

/// Removes this thread's scratch folder (for tests; a fuzzer leaves it).
pub fn remove_scratch_dir() {
    let dir = scratch_dir();
    let _ = std::fs::remove_dir_all(dir);
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create scratch folder");
    }
    std::fs::write(path, bytes).expect("write scratch file");
}

/// Writes `files` as a fresh project into the scratch folder and returns
/// its root. Everything is rewritten each time, so no state leaks from one
/// input to the next.
pub fn write_project(files: &Files<'_>) -> PathBuf {
    let root = scratch_dir();
    let _ = std::fs::remove_dir_all(&root);
    write(&root.join("content/project.toml"), files.project_toml);
    for (name, bytes) in &files.documents {
        write(&root.join(format!("content/documents/{name}.toml")), bytes);
    }
    write(&root.join("locales/ja/talk.ftl"), files.ja_ftl);
    write(&root.join("locales/en/talk.ftl"), files.en_ftl);
    write(&root.join("locales/en.reviewed.toml"), files.en_reviewed);
    root
}

// ---------------------------------------------------------------------------
// The pipeline a user's project goes through
// ---------------------------------------------------------------------------

fn pdf_tools() -> &'static (Font, LineBreaker) {
    static TOOLS: OnceLock<(Font, LineBreaker)> = OnceLock::new();
    TOOLS.get_or_init(|| {
        (
            Font::builtin().expect("the built-in font parses"),
            LineBreaker::new(),
        )
    })
}

/// What the CLI does with an error: render every diagnostic.
fn show_error(e: &Error) {
    for d in &e.diagnostics {
        std::hint::black_box(d.render(false));
        std::hint::black_box(d.render(true));
        std::hint::black_box(d.headline());
    }
}

/// Renders one assembled document the way `talkdoc build` does, minus the
/// final PDF byte writing (font subsetting is far too slow per input; set
/// TALKDOC_FUZZ_WRITE_PDF=1 to include it).
pub fn render_document(doc: &Document) {
    std::hint::black_box(talkdoc::render::markdown::to_markdown(doc));
    std::hint::black_box(talkdoc::render::text::to_text(doc));
    std::hint::black_box(talkdoc::render::text::body_text(doc));
    let (font, breaker) = pdf_tools();
    match font.check_coverage(doc) {
        Ok(()) => {
            let layout = Layout {
                font,
                breaker,
                record: false,
                memo: &Default::default(),
            };
            let setup = talkdoc::render::pdf::page::PageSetup::default();
            let laid = layout.document(doc, 0, &setup);
            let laid = layout.finish(&[(&laid, "Talk")]);
            if std::env::var_os("TALKDOC_FUZZ_WRITE_PDF").is_some() {
                let meta = talkdoc::render::pdf::write::Metadata {
                    title: "Talk",
                    subject: "Talk proposal",
                    keywords: &[],
                    author: None,
                    lang: &doc.locale,
                };
                if let Err(e) =
                    talkdoc::render::pdf::write::write_pdf(font, &laid, &meta, &Default::default())
                {
                    show_error(&e);
                }
            }
        }
        Err(e) => show_error(&e),
    }
}

/// Load → check (all three report formats) → assemble every document in
/// every locale → render.
pub fn run_project(root: &Path) {
    let project = match Project::load(root) {
        Ok(p) => p,
        Err(e) => {
            show_error(&e);
            return;
        }
    };
    let report = talkdoc::check::run(&project);
    for format in [
        OutputFormat::Human,
        OutputFormat::Json,
        OutputFormat::Github,
    ] {
        std::hint::black_box(report::render(&report, format, false));
    }
    std::hint::black_box(report::render(&report, OutputFormat::Human, true));
    if let Err(e) = project.ensure_loaded_cleanly() {
        show_error(&e);
    }
    let names: Vec<String> = project.content.documents.keys().cloned().collect();
    for name in &names {
        for locale in project.content.locales() {
            match talkdoc::assemble::assemble(&project, name, &locale) {
                Ok(doc) => render_document(&doc),
                Err(e) => show_error(&e),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// fluent_check
// ---------------------------------------------------------------------------

/// `ja.ftl 0xFF en.ftl`; without a separator both locales get the bytes.
pub fn fluent_check(data: &[u8]) {
    let (ja, en) = match data.iter().position(|&b| b == FTL_SEPARATOR) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let root = write_project(&Files {
        ja_ftl: ja,
        en_ftl: en,
        ..Files::default()
    });
    run_project(&root);
}

// ---------------------------------------------------------------------------
// content_toml
// ---------------------------------------------------------------------------

/// The first byte picks the file the rest replaces:
/// 0 → content/documents/doc.toml (a fourth document; the others stay),
/// 1 → content/project.toml, 2 → locales/en.reviewed.toml,
/// 3 → content/documents/handout.toml (the one that includes the others).
/// The rest must be UTF-8 (talkdoc reads TOML as a string; a non-UTF-8
/// file is a plain read error).
pub fn content_toml(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if std::str::from_utf8(rest).is_err() {
        return;
    }
    let mut files = Files::default();
    match selector % 4 {
        0 => files.documents.push(("doc", rest)),
        1 => files.project_toml = rest,
        2 => files.en_reviewed = rest,
        _ => files.documents[2].1 = rest,
    }
    let root = write_project(&files);
    run_project(&root);
}

// ---------------------------------------------------------------------------
// inline_markdown
// ---------------------------------------------------------------------------

/// A block as pulldown-cmark reads talkdoc's Markdown back.
#[derive(Debug, PartialEq)]
pub enum ReadBlock {
    Paragraph(String),
    List(Vec<String>),
    /// Anything a faithful export never produces.
    Other(String),
}

/// Reads the top-level blocks of `md`: paragraphs' text, list items' text.
/// Code spans count as their text, soft and hard breaks as `\n`; raw HTML,
/// images, nested blocks and loose items are reported as `Other`.
pub fn read_markdown(md: &str) -> Vec<ReadBlock> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut items: Vec<String> = Vec::new();
    let mut depth = 0usize; // open block containers
    let mut in_list = false;
    let mut odd = Vec::new();
    for ev in Parser::new_ext(md, talkdoc::document::markdown_options()) {
        match ev {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                depth += 1;
                text.clear();
            }
            Event::End(TagEnd::Paragraph) if depth == 1 && !in_list => {
                depth -= 1;
                blocks.push(ReadBlock::Paragraph(std::mem::take(&mut text)));
            }
            Event::Start(Tag::List(_)) if depth == 0 => {
                depth += 1;
                in_list = true;
                items.clear();
            }
            Event::End(TagEnd::List(_)) if depth == 1 && in_list => {
                depth -= 1;
                in_list = false;
                blocks.push(ReadBlock::List(std::mem::take(&mut items)));
            }
            Event::Start(Tag::Item) if depth == 1 && in_list => {
                depth += 1;
                text.clear();
            }
            Event::End(TagEnd::Item) if depth == 2 => {
                depth -= 1;
                items.push(std::mem::take(&mut text));
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. }) => {}
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link) => {}
            other => odd.push(format!("{other:?}")),
        }
    }
    if !odd.is_empty() {
        blocks.push(ReadBlock::Other(odd.join(" ")));
    }
    blocks
}

/// The model whose Markdown export is checked: `inlines` as a paragraph and
/// as the only item of a bullet list.
pub fn inline_document(inlines: Vec<Inline>) -> Document {
    let text = Text {
        message_id: "m".to_string(),
        inlines,
    };
    Document {
        name: "fuzz".to_string(),
        locale: "en".to_string(),
        title: None,
        blocks: vec![
            Block::Paragraph(text.clone()),
            Block::List(List {
                numbered: false,
                items: vec![ListItem {
                    text,
                    mark: None,
                    children: Vec::new(),
                    children_numbered: false,
                }],
            }),
        ],
    }
}

/// Why a Markdown round trip failed, or `None` when it held.
pub fn inline_markdown_failure(input: &str) -> Option<String> {
    let inlines = talkdoc::document::parse_inline(input);
    if inlines.is_empty() {
        // Nothing to show; an empty message renders as nothing.
        return None;
    }
    let want = talkdoc::document::plain_text(&inlines);
    let doc = inline_document(inlines);
    let md = talkdoc::render::markdown::to_markdown(&doc);
    // The other renderers must cope with the same model.
    std::hint::black_box(talkdoc::render::text::to_text(&doc));
    let got = read_markdown(&md);
    let expected = vec![
        ReadBlock::Paragraph(want.clone()),
        ReadBlock::List(vec![want]),
    ];
    (got != expected).then(|| {
        format!(
            "input {input:?}\nmodel {:?}\nmarkdown {md:?}\nread back {got:?}\nexpected {expected:?}",
            doc.blocks[0]
        )
    })
}

pub fn inline_markdown(input: &str) {
    if let Some(why) = inline_markdown_failure(input) {
        panic!("Markdown round trip lost the plain text:\n{why}");
    }
}

// ---------------------------------------------------------------------------
// linebreak
// ---------------------------------------------------------------------------

/// 1 em for CJK and other wide text, half an em for ASCII, nothing for
/// combining marks: close enough to a real font for the rules to engage.
pub fn simple_advance(c: char) -> f32 {
    if matches!(c, '\u{300}'..='\u{36F}' | '\u{3099}' | '\u{309A}' | '\u{200B}'..='\u{200D}') {
        0.0
    } else if c.is_ascii() {
        0.5
    } else {
        1.0
    }
}

fn width_from(b: u8) -> f32 {
    match b {
        0 => 0.0,
        1 => f32::INFINITY,
        2 => f32::NAN,
        3 => -10.0,
        _ => f32::from(b),
    }
}

/// Input: first-line width, line width, font size, flags, then the text
/// (lossy UTF-8). Flags: bit 0 justify, bit 1 hyphenate, bit 2 real font
/// advances instead of [`simple_advance`].
pub fn linebreak(data: &[u8]) {
    let [first, width, size, flags, rest @ ..] = data else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let opts = Options {
        first_line_width: width_from(*first),
        line_width: width_from(*width),
        font_size: f32::from(*size % 64),
        justify: flags & 1 != 0,
        hyphenate: flags & 2 != 0,
        balance: flags & 8 != 0,
    };
    let (font, breaker) = pdf_tools();
    let font_advance = |c: char| font.advance(c);
    let advance: &dyn Fn(char) -> f32 = if flags & 4 != 0 {
        &font_advance
    } else {
        &simple_advance
    };
    check_lines(breaker, &text, advance, &opts);
}

/// Breaks `text` and asserts the documented contract of `break_paragraph`.
pub fn check_lines(
    breaker: &LineBreaker,
    text: &str,
    advance: &dyn Fn(char) -> f32,
    opts: &Options,
) {
    let lines = breaker.break_paragraph(text, advance, opts);
    let ctx = || format!("text {text:?}, options {opts:?}");

    // Every non-whitespace character exactly once, in order.
    let placed: String = lines
        .iter()
        .flat_map(|l| l.chars.iter().map(|p| p.ch))
        .filter(|c| !c.is_whitespace())
        .collect();
    let source: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(
        placed,
        source,
        "characters lost, duplicated or reordered; {}",
        ctx()
    );

    let mut prev_end = 0usize;
    for (n, line) in lines.iter().enumerate() {
        // The line is text[range], character for character, and consecutive
        // lines are separated by whitespace only.
        assert!(
            line.range.start >= prev_end && line.range.end >= line.range.start,
            "line {n} range {:?} after {prev_end}; {}",
            line.range,
            ctx()
        );
        assert!(
            text[prev_end..line.range.start]
                .chars()
                .all(char::is_whitespace),
            "line {n} skips non-whitespace {:?}; {}",
            &text[prev_end..line.range.start],
            ctx()
        );
        let in_range: Vec<(usize, char)> = text[line.range.clone()]
            .char_indices()
            .map(|(i, c)| (i + line.range.start, c))
            .collect();
        let chars: Vec<(usize, char)> = line.chars.iter().map(|p| (p.byte, p.ch)).collect();
        assert_eq!(
            chars,
            in_range,
            "line {n} chars differ from its range; {}",
            ctx()
        );
        prev_end = line.range.end;

        // x positions never decrease along a line (K3 and K4 were
        // violations, fixed).
        for w in line.chars.windows(2) {
            assert!(
                w[1].x >= w[0].x,
                "line {n}: x decreases from {:?} to {:?}; {}",
                w[0],
                w[1],
                ctx()
            );
        }
        assert!(
            line.chars.iter().all(|p| !p.x.is_nan()) && !line.width.is_nan(),
            "line {n}: NaN position or width {line:?}; {}",
            ctx()
        );
        assert_eq!(
            line.hyphen.is_some(),
            line.end == LineEnd::Hyphen,
            "line {n}: hyphen {:?} with end {:?}; {}",
            line.hyphen,
            line.end,
            ctx()
        );
    }
    assert!(
        text[prev_end..].chars().all(char::is_whitespace),
        "text after the last line is lost: {:?}; {}",
        &text[prev_end..],
        ctx()
    );
}

// ---------------------------------------------------------------------------
// fluent_nesting
// ---------------------------------------------------------------------------

/// Builds Fluent source from `data` as a little program, so that the
/// fuzzer reaches shapes random bytes almost never form: selects,
/// placeables and call arguments nested thousands deep, and terms that
/// reference earlier terms many times (exponential expansion). Each byte
/// is an operation; the next byte, where one is read, is a count.
pub fn nesting_ftl(data: &[u8]) -> String {
    #[derive(Clone, Copy)]
    enum Open {
        Select,
        Placeable,
        Call,
    }
    let mut out = String::from("-t0 = x\n");
    let mut terms = 1usize;
    let mut body = String::new();
    let mut open: Vec<Open> = Vec::new();
    let mut it = data.iter().copied();
    let close = |open: &mut Vec<Open>, body: &mut String| match open.pop() {
        Some(Open::Select) => body.push_str("\n *[b] y\n}"),
        Some(Open::Placeable) => body.push_str(" }"),
        Some(Open::Call) => body.push_str(") }"),
        None => {}
    };
    while let Some(op) = it.next() {
        let count = usize::from(it.next().unwrap_or(1)).max(1);
        match op % 8 {
            // Deep openings: up to 255 × 64 levels in one step.
            0 => {
                for _ in 0..count * 64 {
                    body.push_str("{ $name ->\n [a] ");
                    open.push(Open::Select);
                }
            }
            1 => {
                for _ in 0..count * 64 {
                    body.push_str("{ ");
                    open.push(Open::Placeable);
                }
            }
            2 => {
                for _ in 0..count * 16 {
                    body.push_str("{ NUMBER(");
                    open.push(Open::Call);
                }
            }
            3 => {
                for _ in 0..count {
                    close(&mut open, &mut body);
                }
            }
            // References: expansion.
            4 => body.push_str(&format!("{{ -t{} }}", count % terms).repeat(count)),
            5 => body.push_str(&"x".repeat(count * 997)),
            6 => {
                out.push_str(&format!(
                    "-t{terms} = {}\n",
                    format!("{{ -t{} }}", terms - 1).repeat(count % 8 + 2)
                ));
                terms += 1;
            }
            // Finish the current message and start the next.
            _ => {
                while !open.is_empty() {
                    close(&mut open, &mut body);
                }
                out.push_str(&format!("outline-step-1 = v{body}\n"));
                body.clear();
            }
        }
    }
    while !open.is_empty() {
        close(&mut open, &mut body);
    }
    out.push_str(&format!("outline-step-2 = v{body}\n"));
    out
}

/// [`nesting_ftl`] as the English file of the small project → the whole
/// pipeline. Run with libFuzzer's `-timeout` and `-rss_limit_mb`: the
/// bound on time and memory is part of what is tested.
pub fn fluent_nesting(data: &[u8]) {
    // The generated messages replace the last two of the fixed file.
    let fixed = EN_FTL
        .find("outline-step-1 =")
        .map_or(EN_FTL, |i| &EN_FTL[..i]);
    let en = format!("{fixed}{}", nesting_ftl(data));
    let root = write_project(&Files {
        en_ftl: en.as_bytes(),
        ..Files::default()
    });
    run_project(&root);
}
