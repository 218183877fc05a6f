//! Line breaking for the PDF renderer, with Japanese typography (JIS X 4051 /
//! W3C JLREQ) and English hyphenation.
//!
//! This module only decides *where* lines break and *where* each character
//! sits on its line. It knows nothing about font files or PDF bytes: the
//! caller passes a closure that returns a character's advance width in em, and
//! gets back lines of characters with x positions in points.
//!
//! What it does, in order:
//!
//! 1. Splits the text into grapheme clusters (a base character and its
//!    combining marks are never separated) and measures each one once.
//! 2. Takes break opportunities from UAX #14; mandatory breaks (`\n`, `\r\n`,
//!    U+2028, …) always end a line.
//! 3. Applies kinsoku shori: no line starts with a closing bracket, `、。`,
//!    `ー`, a small kana, an iteration mark …, and no line ends with an opening
//!    bracket. Opportunities that would violate this are removed, so the
//!    break moves earlier (oidashi).
//! 4. Keeps URLs whole unless a URL alone is wider than a line; then it breaks
//!    after `/` or before `?`/`#`.
//! 5. Fills lines greedily; the word that overflows may be hyphenated (English
//!    patterns, at least 2 letters before and 3 after the hyphen).
//! 6. Positions characters: a quarter em between Japanese and Latin letters
//!    or digits (和欧間アキ), half an em less between two adjacent full-width
//!    punctuation marks (約物の詰め), and optional justification.
//!
//! A token wider than a line (a very long word or URL, or a Japanese run that
//! kinsoku makes unbreakable) is broken as a last resort, and such a line is
//! marked [`LineEnd::Emergency`]. A single grapheme wider than the line is
//! placed on a line of its own. The breaker never panics and runs in time
//! linear in the length of the text.
#![warn(missing_docs)]

use std::cell::RefCell;
use std::fmt;
use std::ops::Range;

use hyphenation::{Hyphenator, Language, Load, Standard};
use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_segmentation::UnicodeSegmentation;

use crate::script::is_japanese_letter;

/// The language of a paragraph, which decides its default typesetting style.
///
/// Why: Japanese text is conventionally justified on a character grid, while
/// English text in a talk proposal reads better ragged-right with
/// hyphenation. [`Options::for_script`] turns this into concrete options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// Japanese (possibly with embedded English words): justified; an
    /// embedded English word is hyphenated only where no line could be set
    /// without it (the breaker tries without hyphens first).
    Japanese,
    /// English and other Latin-script text: ragged-right with hyphenation.
    Latin,
}

/// How one paragraph is to be broken into lines.
///
/// Why: the layout code decides the geometry (column width, indents, font
/// size) and the style; the breaker only follows it. Widths and sizes are in
/// points. Negative or NaN values are treated as 0 (every line then gets one
/// grapheme); `f32::INFINITY` as a width means "never break softly".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Available width of the first line of the paragraph, in points. It
    /// differs from `line_width` for a first-line indent or a hanging label.
    pub first_line_width: f32,
    /// Available width of every other line, in points.
    pub line_width: f32,
    /// Font size in points: the measuring closure returns em units, and the
    /// Japanese spacing rules are expressed in em.
    pub font_size: f32,
    /// Justify every line except the last one of the paragraph and those
    /// ending at a mandatory break (Japanese style).
    pub justify: bool,
    /// Allow English words to be hyphenated when they would overflow a line.
    pub hyphenate: bool,
    /// Make the lines about equally long, the last one included (titles
    /// and headings), instead of filling all but the last.
    pub balance: bool,
}

impl Options {
    /// Options with the conventional style for `script` and the same width
    /// for every line.
    ///
    /// Why: callers usually only know the paragraph's language and the column
    /// geometry; this keeps the style decision in one place.
    pub fn for_script(script: Script, line_width: f32, font_size: f32) -> Self {
        let (justify, hyphenate) = match script {
            Script::Japanese => (true, true),
            Script::Latin => (false, true),
        };
        Options {
            first_line_width: line_width,
            line_width,
            font_size,
            justify,
            hyphenate,
            balance: false,
        }
    }
}

/// What the breaker needs to know about the shaped text: each character's
/// advance and whether it may start a line piece of its own.
///
/// Why: the breaker measures clusters, it does not shape. The layout shapes
/// the paragraph once (kerning, ligatures) and hands the results over
/// through this trait; [`LineBreaker::break_paragraph`] adapts a plain
/// per-character advance function.
pub trait Measure {
    /// Advance in em of the character at byte `byte` of the paragraph: for
    /// shaped text, the advances of the glyphs whose cluster starts there
    /// (kerning included), and 0 for the second and later letters of a
    /// ligature.
    fn advance(&self, byte: usize, ch: char) -> f32;
    /// Whether the character at `byte` is drawn by the glyph of an earlier
    /// character (inside a ligature): no line may break before it.
    fn continues(&self, byte: usize) -> bool;
    /// Advance of the hyphen drawn at a hyphenation point, in em.
    fn hyphen(&self) -> f32;
}

/// [`Measure`] from a per-character advance function: no ligatures.
struct PerChar<'a>(&'a dyn Fn(char) -> f32);

impl Measure for PerChar<'_> {
    fn advance(&self, _byte: usize, ch: char) -> f32 {
        (self.0)(ch)
    }
    fn continues(&self, _byte: usize) -> bool {
        false
    }
    fn hyphen(&self) -> f32 {
        (self.0)('-')
    }
}

/// One character placed on a line.
///
/// Why: the PDF writer needs each character's source position (for text
/// extraction and links) and its x offset; glyph selection is its business.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedChar {
    /// Byte offset of the character in the paragraph text.
    pub byte: usize,
    /// The character itself.
    pub ch: char,
    /// Position of the character's origin relative to the line start, in
    /// points. Never decreases along a line. Each character of a cluster
    /// follows the advance of the one before it, so a zero-advance combining
    /// mark sits at its base's end, where fonts expect to draw it.
    pub x: f32,
}

/// Why a line ended where it did.
///
/// Why: the renderer and the tests need to know whether a line is the end of
/// the paragraph, whether it ends at a hyphen, and whether it was cut inside
/// a token that does not fit any line (where the typographic rules could not
/// all be kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnd {
    /// At a regular break opportunity (UAX #14 after kinsoku filtering).
    Soft,
    /// At a hyphenation point inside an English word; [`Line::hyphen`] is set.
    Hyphen,
    /// At a mandatory break in the source (`\n`, `\r\n`, U+2028, …); such a
    /// line is not justified.
    Mandatory,
    /// Inside an unbreakable run (a long word or URL, or a Japanese run that
    /// kinsoku makes unbreakable) that did not fit on a line by itself. The
    /// break is after `/` or before `?`/`#` when possible, else at a UAX #14
    /// opportunity that kinsoku forbade, else at any grapheme boundary. This
    /// is the only kind of break that may split a word without a hyphen or
    /// violate kinsoku (at this line's end and the next line's start).
    Emergency,
    /// The end of the paragraph (last line; not justified).
    End,
}

/// One line of a paragraph.
///
/// Why: everything the PDF writer needs to draw the line, with nothing that
/// depends on font files.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Bytes of the paragraph text shown on this line. Leading and trailing
    /// spaces and the mandatory break character are excluded, so the ranges
    /// of consecutive lines are separated only by dropped whitespace.
    pub range: Range<usize>,
    /// Every character of `text[range]`, in order, with its position. Spaces
    /// inside the line are included (their advance is part of the layout).
    pub chars: Vec<PlacedChar>,
    /// When the line ends at a hyphenation point: the x at which to draw a
    /// hyphen `-` (its width is included in `width`).
    pub hyphen: Option<f32>,
    /// Width of the line in points, from x = 0 to the end of the last glyph
    /// (plus the hyphen). A full-width closing bracket at the end of a line
    /// counts as half an em (its blank half is not part of the line).
    /// Justified lines have exactly the available width. Only a line holding
    /// a single grapheme can be wider than the available width.
    pub width: f32,
    /// Why the line ended here.
    pub end: LineEnd,
    /// Whether the line is set tighter than its natural width (追い込み:
    /// a half-width line-end stop, squeezed punctuation or 和欧間).
    pub squeezed: bool,
}

/// Breaks paragraphs into lines.
///
/// Why a struct: the English hyphenation dictionary is deserialised once,
/// on the first word that needs it, and reused for every paragraph (a
/// Japanese-only run never loads it).
pub struct LineBreaker {
    dict: std::sync::OnceLock<Option<Standard>>,
}

impl fmt::Debug for LineBreaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LineBreaker")
            .field("hyphenation loaded", &self.dict.get().is_some())
            .finish()
    }
}

impl Default for LineBreaker {
    fn default() -> Self {
        Self::new()
    }
}

// ---------------------------------------------------------------------------
// Per-cluster analysis
// ---------------------------------------------------------------------------

/// Tolerance in points when comparing widths, so that rounding never forces
/// an extra break.
const EPS: f64 = 1e-3;
/// Longer letter runs are not words (they are data, hashes, …) and are not
/// given to the hyphenator; this also bounds the work per overflow.
const MAX_HYPHENATION_WORD: usize = 64;
/// Minimum letters of a word before it is hyphenated.
const MIN_HYPHENATION_WORD: usize = 5;
/// Minimum letters before / after a hyphen.
const HYPHEN_LEFT_MIN: usize = 2;
const HYPHEN_RIGHT_MIN: usize = 3;

// Cluster flags.
const SPACE: u16 = 1 << 0; // collapsible whitespace only: dropped at line edges
const BREAK: u16 = 1 << 1; // a mandatory line break character
const JA: u16 = 1 << 2; // Japanese letter (kana, kanji): 和欧間 applies
const LATIN: u16 = 1 << 3; // Latin-side letter or digit: 和欧間 applies
const WIDE: u16 = 1 << 4; // CJK character or punctuation: justification gap
const LETTER: u16 = 1 << 5; // Latin letter: part of a hyphenatable word
const URL: u16 = 1 << 6; // inside a URL
const MULTI: u16 = 1 << 7; // more than one char in the cluster
const NO_START: u16 = 1 << 8; // must not start a line
const NO_END: u16 = 1 << 9; // must not end a line
const INSEP: u16 = 1 << 10; // inseparable (… ‥ — ―)
const GLUE: u16 = 1 << 11; // drawn by the previous cluster's glyph (a ligature)
const CODE: u16 = 1 << 13; // inside a long identifier-like run (`Vec<Result<T,`)
const URL_HEAD: u16 = 1 << 12; // a URL's scheme and host: broken only when nothing else works

// Break classes of the boundary *before* a cluster, weakest first.
const BRK_NONE: u8 = 0; // only a grapheme boundary
const BRK_RAW: u8 = 1; // UAX #14 opportunity removed by kinsoku or inside a URL
const BRK_URL: u8 = 2; // after '/' or before '?' / '#'
const BRK_ALLOWED: u8 = 3; // a regular opportunity
const BRK_MANDATORY: u8 = 4; // after a mandatory break character

/// Punctuation classes relevant to JLREQ spacing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Punct {
    None,
    /// Opening brackets: the blank half is on the left.
    Opening,
    /// Closing brackets: the blank half is on the right.
    Closing,
    /// 、。，． : the blank half is on the right.
    Stop,
    /// ・：； : a quarter em each side (not compressed here).
    Middle,
}

#[derive(Clone, Copy, Debug)]
struct Cluster {
    /// Byte offset of the cluster in the text.
    start: usize,
    /// Natural advance in points.
    width: f32,
    /// Spacing adjustment between the previous cluster and this one when
    /// both are on the same line (和欧間 or punctuation compression).
    adj: f32,
    /// First character.
    ch: char,
    flags: u16,
    brk: u8,
    punct: Punct,
}

impl Cluster {
    fn is(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

fn is_break_char(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Whitespace that disappears at a line edge. No-break spaces and the
/// ideographic space (used for indentation in Japanese) are kept.
fn is_collapsible_space(c: char) -> bool {
    c.is_whitespace()
        && !is_break_char(c)
        && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}' | '\u{3000}')
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '「' | '『'
            | '（'
            | '［'
            | '｛'
            | '〔'
            | '〈'
            | '《'
            | '【'
            | '〘'
            | '〖'
            | '〚'
            | '〝'
            | '‘'
            | '“'
            | '｟'
    )
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '」' | '』'
            | '）'
            | '］'
            | '｝'
            | '〕'
            | '〉'
            | '》'
            | '】'
            | '〙'
            | '〗'
            | '〛'
            | '〞'
            | '〟'
            | '’'
            | '”'
            | '｠'
    )
}

fn punct_class(c: char) -> Punct {
    if is_opening(c) {
        Punct::Opening
    } else if is_closing(c) {
        Punct::Closing
    } else if matches!(c, '、' | '。' | '，' | '．') {
        Punct::Stop
    } else if matches!(c, '・' | '：' | '；') {
        Punct::Middle
    } else {
        Punct::None
    }
}

fn is_small_kana(c: char) -> bool {
    matches!(
        c,
        'ぁ' | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ゕ'
            | 'ゖ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | '\u{31F0}'..='\u{31FF}'
            | '\u{FF67}'..='\u{FF6F}'
    )
}

/// Characters that must not start a line (JLREQ cl-02, 03, 04, 05, 06, 07,
/// 09, 10 and their ASCII counterparts). ASCII quotes are handled by context
/// in [`analyse`].
pub(crate) fn is_no_start(c: char) -> bool {
    is_closing(c)
        || is_small_kana(c)
        || matches!(
            c,
            ')' | ']'
                | '}'
                | '»'
                | '›'
                | '｣'
                | '、'
                | '。'
                | '，'
                | '．'
                | '・'
                | '：'
                | '；'
                | '？'
                | '！'
                | '‼'
                | '⁇'
                | '⁈'
                | '⁉'
                | ','
                | '.'
                | ':'
                | ';'
                | '?'
                | '!'
                | '｡'
                | '､'
                | '･'
                | '‐'
                | '゠'
                | '–'
                | '〜'
                | '～'
                | 'ー'
                | 'ｰ'
                | '々'
                | '〻'
                | 'ゝ'
                | 'ゞ'
                | 'ヽ'
                | 'ヾ'
                | '゛'
                | '゜'
        )
}

/// Characters that must not end a line (JLREQ cl-01 and ASCII brackets).
pub(crate) fn is_no_end(c: char) -> bool {
    is_opening(c) || matches!(c, '(' | '[' | '{' | '«' | '‹' | '｢')
}

/// CJK characters and punctuation: gaps next to them may be stretched when
/// justifying. The letters come from [`crate::script`]; the ranges are not
/// a script question but a width one (CJK punctuation and symbols, Hangul,
/// the full-width forms; Unicode files most of them under Common, `Ａ`
/// under Latin): everything set on the em grid, whatever its script.
fn is_wide(c: char) -> bool {
    is_japanese_letter(c)
        || matches!(
            c,
            '\u{1100}'..='\u{11FF}'
                | '\u{2E80}'..='\u{303F}'
                | '\u{3040}'..='\u{33FF}'
                | '\u{AC00}'..='\u{D7AF}'
                | '\u{FE30}'..='\u{FE4F}'
                | '\u{FF01}'..='\u{FF60}'
                | '\u{FFE0}'..='\u{FFE6}'
        )
}

/// Letters and digits of alphabetic scripts (not CJK, not full-width
/// forms): the other side of 和欧間. Not [`crate::script`]'s Latin on
/// purpose: a Greek `Ω` or a Cyrillic word in Japanese text takes the same
/// quarter-em gap as an English one, digits (script Common) do too, and
/// full-width `Ａ` (script Latin) is set on the em grid and takes none.
pub(crate) fn is_latin_alnum(c: char) -> bool {
    c.is_alphanumeric() && (c as u32) < 0x2E80
}

/// Latin letters, for English hyphenation. Not [`crate::script`]'s Latin on
/// purpose: that would take in full-width `Ａ` (set on the em grid, never
/// hyphenated) and IPA, and leave out `µ` (script Common), which sits in
/// English words (`µs`) the hyphenator should keep seeing as letters.
fn is_latin_letter(c: char) -> bool {
    ((c as u32) < 0x250 || ('\u{1E00}'..='\u{1EFF}').contains(&c)) && c.is_alphabetic()
}

fn sanitize_advance(em: f32) -> f64 {
    if em.is_finite() && em > 0.0 {
        em as f64
    } else {
        0.0
    }
}

fn sanitize_font_size(size: f32) -> f64 {
    if size.is_finite() && size > 0.0 {
        size as f64
    } else {
        0.0
    }
}

fn sanitize_width(width: f32) -> f64 {
    if width > 0.0 {
        // Also lets +inf through; NaN fails the comparison.
        width as f64
    } else {
        0.0
    }
}

/// Byte ranges of URLs: `scheme://…`, `www.…` and `mailto:…`, up to the
/// first character that is not printable ASCII.
fn url_spans(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let at_token_start =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'+' | b'.' | b'-'));
        if b[i].is_ascii_alphabetic()
            && at_token_start
            && let Some(prefix) = url_prefix_len(&b[i..])
        {
            let mut end = i + prefix;
            while end < b.len() && b[end].is_ascii_graphic() {
                end += 1;
            }
            spans.push(i..end);
            i = end;
            continue;
        }
        i += 1;
    }
    spans
}

fn url_prefix_len(b: &[u8]) -> Option<usize> {
    let mut j = 0;
    while j < b.len()
        && j < 32
        && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'+' | b'.' | b'-'))
    {
        j += 1;
    }
    if j > 0 && b[j..].starts_with(b"://") {
        return Some(j + 3);
    }
    if b.len() >= 4 && b[..4].eq_ignore_ascii_case(b"www.") {
        return Some(4);
    }
    if b.len() >= 7 && b[..7].eq_ignore_ascii_case(b"mailto:") {
        return Some(7);
    }
    None
}

/// Splits `text` into measured, classified grapheme clusters with the break
/// class of each boundary and the spacing adjustment between neighbours.
fn analyse(text: &str, m: &dyn Measure, fs: f64) -> Vec<Cluster> {
    let mut cl: Vec<Cluster> = Vec::new();
    let mut prev_char: Option<char> = None;
    for (start, g) in text.grapheme_indices(true) {
        let Some(ch) = g.chars().next() else {
            continue;
        };
        let next_char = text[start + g.len()..].chars().next();
        let mut flags = 0u16;
        let width = if is_break_char(ch) {
            flags |= BREAK;
            0.0
        } else {
            g.char_indices()
                .map(|(off, c)| sanitize_advance(m.advance(start + off, c)))
                .sum::<f64>()
                * fs
        };
        if start > 0 && m.continues(start) {
            flags |= GLUE;
        }
        if g.len() > ch.len_utf8() {
            flags |= MULTI;
        }
        if flags & BREAK == 0 && g.chars().all(is_collapsible_space) {
            flags |= SPACE;
        }
        if is_japanese_letter(ch) {
            flags |= JA;
        }
        if is_latin_alnum(ch) {
            flags |= LATIN;
        }
        if is_wide(ch) {
            flags |= WIDE;
        }
        if is_latin_letter(ch) {
            flags |= LETTER;
        }
        if is_no_start(ch) {
            flags |= NO_START;
        }
        if is_no_end(ch) {
            flags |= NO_END;
        }
        if matches!(ch, '…' | '‥' | '—' | '―') {
            flags |= INSEP;
        }
        if matches!(ch, '"' | '\'') {
            // An ASCII quote glued to the preceding text closes; one glued to
            // the following text opens.
            if prev_char.is_some_and(|p| !p.is_whitespace()) {
                flags |= NO_START;
            }
            if next_char.is_some_and(|n| !n.is_whitespace()) {
                flags |= NO_END;
            }
        }
        cl.push(Cluster {
            start,
            width: width as f32,
            adj: 0.0,
            ch,
            flags,
            brk: BRK_NONE,
            punct: punct_class(ch),
        });
        prev_char = g.chars().next_back();
    }
    let n = cl.len();

    // Mandatory breaks follow break characters.
    for i in 1..n {
        if cl[i - 1].is(BREAK) {
            cl[i].brk = BRK_MANDATORY;
        }
    }

    // UAX #14 opportunities, kept only at grapheme boundaries.
    let mut ci = 0;
    for (pos, opp) in linebreaks(text) {
        if opp != BreakOpportunity::Allowed {
            continue;
        }
        while ci < n && cl[ci].start < pos {
            ci += 1;
        }
        if ci > 0 && ci < n && cl[ci].start == pos && cl[ci].brk == BRK_NONE && !cl[ci].is(GLUE) {
            cl[ci].brk = BRK_ALLOWED;
        }
    }

    // URLs stay whole unless they cannot.
    for span in url_spans(text) {
        let mut i = cl.partition_point(|c| c.start < span.start);
        // The head runs to the first '/' after "://" (or after the start).
        let url = &text[span.clone()];
        let from = url.find("://").map_or(0, |p| p + 3);
        let head_end = span.start + url[from..].find('/').map_or(url.len(), |p| from + p);
        while i < n && cl[i].start < span.end {
            cl[i].flags |= URL;
            if cl[i].start < head_end {
                cl[i].flags |= URL_HEAD;
            }
            if cl[i].start > span.start && cl[i].brk == BRK_ALLOWED {
                cl[i].brk = BRK_RAW;
            }
            // Sensible places to break a URL that must be broken: after
            // '.', '-', '_', '=', '&', '~' before a letter or digit.
            if i > 0
                && cl[i - 1].is(URL)
                && cl[i].start > span.start
                && matches!(cl[i - 1].ch, '.' | '-' | '_' | '=' | '&' | '~')
                && cl[i].ch.is_ascii_alphanumeric()
                && cl[i].brk < BRK_URL
            {
                cl[i].brk = BRK_URL;
            }
            i += 1;
        }
    }

    // Long code-like runs (no space, ASCII, with `<>_:().`, not a URL) may
    // break like a URL's path when a justified line needs it: after `_`,
    // `.`, `::` or `,`, before `<` or `(` that follows a letter or digit.
    let mut i = 0;
    while i < n {
        if !cl[i].ch.is_ascii_graphic() || cl[i].is(URL) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && cl[i].ch.is_ascii_graphic() && !cl[i].is(URL) {
            i += 1;
        }
        let run = &cl[start..i];
        if run.len() >= 10
            && run
                .iter()
                .any(|c| matches!(c.ch, '<' | '>' | '_' | ':' | '(' | '.'))
        {
            for t in start + 1..i {
                let (p, c) = (cl[t - 1].ch, cl[t].ch);
                cl[t].flags |= CODE;
                let after =
                    matches!(p, '_' | '.' | ',') || (p == ':' && t >= 2 && cl[t - 2].ch == ':');
                let before = matches!(c, '<' | '(') && p.is_ascii_alphanumeric();
                if (after && c != p || before) && cl[t].brk < BRK_URL && !cl[t].is(GLUE) {
                    cl[t].brk = BRK_URL;
                }
            }
            cl[start].flags |= CODE;
        }
    }

    // Kinsoku: the last non-space cluster before an opportunity must not be
    // a no-end character, the first non-space one after it not a no-start.
    let mut last_no_end = false;
    for c in cl.iter_mut() {
        if c.brk == BRK_ALLOWED && last_no_end {
            c.brk = BRK_RAW;
        }
        if !c.is(SPACE) {
            last_no_end = c.is(NO_END);
        }
    }
    let mut next_no_start = false;
    for c in cl.iter_mut().rev() {
        if !c.is(SPACE) {
            next_no_start = c.is(NO_START);
        }
        if c.brk == BRK_ALLOWED && next_no_start {
            c.brk = BRK_RAW;
        }
    }

    // Emergency opportunities for over-long tokens, and spacing adjustments.
    for i in 1..n {
        let (prev, cur) = (cl[i - 1], cl[i]);
        if cur.brk < BRK_URL
            && !cur.is(GLUE)
            && ((prev.ch == '/' && cur.ch != '/') || matches!(cur.ch, '?' | '#'))
        {
            cl[i].brk = BRK_URL;
        }
        cl[i].adj = pair_adjustment(&prev, &cur, fs) as f32;
    }

    // A space typed after a full-width stop, comma or closing bracket
    // (「、 」) adds nothing: the mark's blank half is the space. It stays in
    // the text, with no width.
    for i in 1..n {
        let p = &cl[i - 1];
        if cl[i].is(SPACE)
            && fs > 0.0
            && p.width as f64 >= 0.9 * fs
            && matches!(p.punct, Punct::Stop | Punct::Closing)
        {
            cl[i].width = 0.0;
        }
    }

    // An em dash in Japanese text takes a full em (the font draws it
    // narrower, for Latin text): the difference goes half before, half
    // after it.
    for i in 0..n {
        if cl[i].ch != '—' || fs <= 0.0 || cl[i].width as f64 >= fs {
            continue;
        }
        let before = cl[..i].iter().rev().find(|c| !c.is(SPACE));
        let after = cl[i + 1..].iter().find(|c| !c.is(SPACE));
        if before.is_some_and(|c| c.is(WIDE)) || after.is_some_and(|c| c.is(WIDE)) {
            let half = ((fs - cl[i].width as f64) / 2.0) as f32;
            cl[i].adj += half;
            if i + 1 < n {
                cl[i + 1].adj += half;
            }
        }
    }
    cl
}

/// Spacing between two adjacent clusters on the same line.
fn pair_adjustment(prev: &Cluster, cur: &Cluster, fs: f64) -> f64 {
    if prev.is(SPACE | BREAK) || cur.is(SPACE | BREAK) {
        return 0.0;
    }
    // 和欧間: a quarter em between Japanese letters and Latin letters/digits.
    if (prev.is(JA) && cur.is(LATIN)) || (prev.is(LATIN) && cur.is(JA)) {
        return 0.25 * fs;
    }
    // 約物の詰め: two adjacent full-width punctuation marks whose blank
    // halves meet lose half an em (the closing one's trailing half, or the
    // second opening bracket's leading half).
    let full = |c: &Cluster| c.width as f64 >= 0.9 * fs && fs > 0.0;
    let trailing_blank = |p: Punct| matches!(p, Punct::Closing | Punct::Stop);
    let compress = (trailing_blank(prev.punct)
        && (trailing_blank(cur.punct) || cur.punct == Punct::Opening))
        || (prev.punct == Punct::Opening && cur.punct == Punct::Opening);
    if compress && full(prev) && full(cur) {
        return -0.5 * fs;
    }
    0.0
}

/// The blank half of a full-width closing bracket at the end of a line is not
/// part of the line. Full stops and commas keep their full width.
fn end_trim(c: &Cluster, fs: f64) -> f64 {
    if c.punct == Punct::Closing && fs > 0.0 && c.width as f64 >= 0.9 * fs {
        0.5 * fs
    } else {
        0.0
    }
}

/// Whether the gap between two clusters on a line may be stretched when
/// justifying: after an interword space, or next to CJK text — but never
/// between the letters of a Latin word, after an opening bracket, before a
/// closing bracket / stop / comma / middle dot, or inside 「……」.
fn expandable(prev: &Cluster, cur: &Cluster) -> bool {
    if cur.is(SPACE) {
        return false;
    }
    if prev.is(SPACE) {
        return true;
    }
    if !(prev.is(WIDE) || cur.is(WIDE)) {
        return false;
    }
    if prev.punct == Punct::Opening
        || matches!(cur.punct, Punct::Closing | Punct::Stop | Punct::Middle)
        || (prev.is(INSEP) && cur.is(INSEP))
    {
        return false;
    }
    true
}

// ---------------------------------------------------------------------------
// Breaking
// ---------------------------------------------------------------------------

struct Ctx<'a> {
    text: &'a str,
    /// The last word given to the hyphenator (its first cluster) and its
    /// hyphenation points, so that a word spanning several narrow lines is
    /// hyphenated once.
    hyphenated: RefCell<Option<(usize, Vec<usize>)>>,
    cl: &'a [Cluster],
    fs: f64,
    hyphen_w: f64,
    opts: &'a Options,
}

impl Ctx<'_> {
    fn cstart(&self, i: usize) -> usize {
        self.cl.get(i).map_or(self.text.len(), |c| c.start)
    }
}

impl LineBreaker {
    /// Creates a line breaker; the embedded US English hyphenation patterns
    /// are loaded when a word first needs them.
    ///
    /// Why: loading the dictionary takes about half a millisecond; do it
    /// once per run rather than per paragraph, and not at all when nothing
    /// is hyphenated. If it could not be loaded (it is compiled in, so this
    /// should not happen), lines are simply never hyphenated.
    pub fn new() -> Self {
        LineBreaker {
            dict: std::sync::OnceLock::new(),
        }
    }

    fn dict(&self) -> Option<&Standard> {
        self.dict
            .get_or_init(|| Standard::from_embedded(Language::EnglishUS).ok())
            .as_ref()
    }

    /// Breaks one paragraph into lines.
    ///
    /// `advance` returns a character's advance width in em (1.0 = the font
    /// size); it is called about once per character. Mandatory breaks inside
    /// `text` start new lines within the same paragraph (only the very first
    /// line uses `first_line_width`). An empty or all-whitespace text yields
    /// no lines; each mandatory break ends a line (possibly empty), and no
    /// empty line follows a final mandatory break.
    ///
    /// Why: this is the whole job of the module; see the module docs for the
    /// rules applied.
    pub fn break_paragraph(
        &self,
        text: &str,
        advance: &dyn Fn(char) -> f32,
        opts: &Options,
    ) -> Vec<Line> {
        self.break_measured(text, &PerChar(advance), opts)
    }

    /// Breaks one paragraph of shaped text into lines: as
    /// [`break_paragraph`](Self::break_paragraph), with advances (and
    /// ligatures, which are never split) from `m`.
    ///
    /// Why: the layout shapes each paragraph once and the breaker stays a
    /// pure function over the measured clusters.
    pub fn break_measured(&self, text: &str, m: &dyn Measure, opts: &Options) -> Vec<Line> {
        let fs = sanitize_font_size(opts.font_size);
        let cl = analyse(text, m, fs);
        let n = cl.len();
        let hyphen_w = if opts.hyphenate {
            sanitize_advance(m.hyphen()) * fs
        } else {
            0.0
        };
        let ctx = Ctx {
            text,
            hyphenated: RefCell::new(None),
            cl: &cl,
            fs,
            hyphen_w,
            opts,
        };
        let first_avail = sanitize_width(opts.first_line_width);
        let avail = sanitize_width(opts.line_width);

        let gaps = Gaps::new(&cl, fs);
        let mut spans: Vec<Span> = Vec::new();
        let mut widths: Vec<f64> = Vec::new();
        let mut hyphens: Option<Vec<usize>> = None;
        // Total fit needs finite widths; an infinite one never breaks softly.
        let total_fit = first_avail.is_finite() && avail.is_finite() && fs > 0.0;
        let mut seg = 0;
        while seg < n {
            let s = gaps.skip[seg];
            if s >= n {
                break;
            }
            // Up to the next mandatory break: lines never cross it.
            let end = (s + 1..n)
                .find(|&b| cl[b].brk == BRK_MANDATORY)
                .unwrap_or(n);
            let last_end = if end < n || cl[n - 1].is(BREAK) {
                LineEnd::Mandatory
            } else {
                LineEnd::End
            };
            let first = if spans.is_empty() { first_avail } else { avail };
            let mut best = None;
            // A segment that sets on its first line at no cost (badness 0)
            // is that one line: total fit adds at least (10 + 0)² demerits
            // per line, so any other choice costs twice as much. Headings
            // (`balance`) weigh their last line too and go the long way.
            // Most of a document's paragraphs (list items, headings, short
            // paragraphs) are such lines.
            if total_fit && !opts.balance && one_line_shortcut() {
                let fit = gaps.fit(&ctx, s, gaps.trim[end], false);
                if fit.badness(first, None, fs) == Some(0.0) {
                    best = Some(vec![(s, end, last_end, first)]);
                }
            }
            if total_fit && best.is_none() {
                // First without hyphens (TeX's first pass); with them only
                // when some line is then too loose.
                let plain = self.total_fit(&ctx, &gaps, s, end, last_end, first, avail, &[]);
                best = match plain {
                    Some((lines, worst)) if worst > 100.0 && opts.hyphenate => {
                        let points = hyphens.get_or_insert_with(|| self.all_hyphen_points(&ctx));
                        self.total_fit(&ctx, &gaps, s, end, last_end, first, avail, points)
                            .map(|(l, _)| l)
                            .or(Some(lines))
                    }
                    Some((lines, _)) => Some(lines),
                    None if opts.hyphenate => {
                        let points = hyphens.get_or_insert_with(|| self.all_hyphen_points(&ctx));
                        self.total_fit(&ctx, &gaps, s, end, last_end, first, avail, points)
                            .map(|(l, _)| l)
                    }
                    None => None,
                };
            }
            match best {
                Some(lines) => spans.extend(lines),
                None => {
                    // Some token fits no line: greedy, with emergency breaks.
                    let mut at = s;
                    while at < end {
                        at = gaps.skip[at];
                        if at >= n {
                            break;
                        }
                        let av = if spans.is_empty() { first_avail } else { avail };
                        let (e, kind) = self.find_break(&ctx, at, av, &mut widths);
                        debug_assert!(e > at);
                        spans.push((at, e, kind, av));
                        at = e;
                    }
                }
            }
            seg = end;
        }
        spans
            .into_iter()
            .map(|(s, e, end, avail)| emit(&ctx, &gaps, s, e, end, avail, m))
            .collect()
    }

    /// Scans forward from cluster `s` (not a space) and returns the boundary
    /// at which the line ends. `widths[t]` receives the width of the line if
    /// it ended at boundary `s + t`.
    fn find_break(
        &self,
        ctx: &Ctx<'_>,
        s: usize,
        avail: f64,
        widths: &mut Vec<f64>,
    ) -> (usize, LineEnd) {
        let cl = ctx.cl;
        let n = cl.len();
        widths.clear();
        widths.push(0.0);
        let mut pos = 0.0f64; // pen position after the last cluster
        let mut fit = 0.0f64; // width if the line ended after the last non-space
        let mut last_allowed = None;
        let mut b = s;
        loop {
            if b == n {
                let end = if cl[n - 1].is(BREAK) {
                    LineEnd::Mandatory
                } else {
                    LineEnd::End
                };
                return (n, end);
            }
            let c = &cl[b];
            if b > s {
                match c.brk {
                    BRK_MANDATORY => return (b, LineEnd::Mandatory),
                    BRK_ALLOWED => last_allowed = Some(b),
                    _ => {}
                }
            }
            if c.is(BREAK) {
                b += 1;
                widths.push(fit);
                continue;
            }
            let x = if b > s { pos + c.adj as f64 } else { pos };
            let new_pos = x + c.width as f64;
            if c.is(SPACE) {
                // Trailing spaces may stick out; they are dropped at a break.
                pos = new_pos;
                b += 1;
                widths.push(fit);
                continue;
            }
            let new_fit = new_pos - end_trim(c, ctx.fs);
            // The first cluster is always accepted: at least one grapheme per
            // line, so the loop always makes progress.
            if b > s && new_fit > avail + EPS {
                return self.overflow_break(ctx, s, b, last_allowed, avail, widths);
            }
            pos = new_pos;
            fit = new_fit;
            b += 1;
            widths.push(fit);
        }
    }

    /// Chooses the break when cluster `k` does not fit on the line started at
    /// `s`. Every boundary in `(s, k]` fits.
    fn overflow_break(
        &self,
        ctx: &Ctx<'_>,
        s: usize,
        k: usize,
        last_allowed: Option<usize>,
        avail: f64,
        widths: &[f64],
    ) -> (usize, LineEnd) {
        if ctx.opts.hyphenate {
            let lower = last_allowed.unwrap_or(s);
            if let Some(p) = self.hyphen_point(ctx, s, lower, k, avail, widths) {
                return (p, LineEnd::Hyphen);
            }
        }
        if let Some(j) = last_allowed {
            return (j, LineEnd::Soft);
        }
        // Nothing regular fits: the run starting this line is wider than the
        // line. Break it at the best emergency opportunity.
        let mut raw = None;
        for b in (s + 1..=k).rev() {
            match ctx.cl[b].brk {
                BRK_URL => return (b, LineEnd::Emergency),
                BRK_RAW if raw.is_none() => raw = Some(b),
                _ => {}
            }
        }
        // Last resort: a grapheme boundary, outside a ligature if possible.
        let mut b = raw.unwrap_or(k);
        while b > s + 1 && ctx.cl[b].is(GLUE) {
            b -= 1;
        }
        (b, LineEnd::Emergency)
    }

    /// The latest hyphenation point `p` in `(lower, k]` of the word that
    /// overflows at cluster `k`, such that the line up to `p` plus a hyphen
    /// fits.
    fn hyphen_point(
        &self,
        ctx: &Ctx<'_>,
        s: usize,
        lower: usize,
        k: usize,
        avail: f64,
        widths: &[f64],
    ) -> Option<usize> {
        let cl = ctx.cl;
        let n = cl.len();
        // The overflowing word: the one containing cluster k, or the one just
        // before trailing punctuation such as "word," or "word)".
        let mut t = k;
        let mut steps = 0;
        while !cl[t].is(LETTER) {
            if t <= s || steps >= 3 || cl[t].is(SPACE) {
                return None;
            }
            t -= 1;
            steps += 1;
        }
        let mut ws = t;
        while ws > 0 && cl[ws - 1].is(LETTER) {
            if t - ws >= MAX_HYPHENATION_WORD {
                return None;
            }
            ws -= 1;
        }
        let mut we = t + 1;
        while we < n && cl[we].is(LETTER) {
            if we - ws >= MAX_HYPHENATION_WORD {
                return None;
            }
            we += 1;
        }
        let letters = we - ws;
        let codeish =
            |c: &Cluster| matches!(c.ch, '/' | '_' | '<' | '>' | ':' | '=' | '@' | '#' | '\\');
        if letters < MIN_HYPHENATION_WORD
            || (ws > 0 && (cl[ws - 1].is(LATIN) || codeish(&cl[ws - 1])))
            || (we < n && (cl[we].is(LATIN) || codeish(&cl[we])))
            || cl[ws..we].iter().any(|c| c.is(URL | CODE))
        {
            return None;
        }
        let word_start = cl[ws].start;
        let word = &ctx.text[word_start..ctx.cstart(we)];
        if word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        {
            return None; // an acronym
        }
        let mut cache = ctx.hyphenated.borrow_mut();
        if cache.as_ref().is_none_or(|(start, _)| *start != ws) {
            *cache = Some((ws, self.dict()?.hyphenate(word).breaks));
        }
        let offsets = cache.as_ref().map_or(&[][..], |(_, b)| b.as_slice());
        let mut best = None;
        for &offset in offsets {
            let byte = word_start + offset;
            let Ok(rel) = cl[ws..we].binary_search_by_key(&byte, |c| c.start) else {
                continue;
            };
            let q = ws + rel;
            if rel < HYPHEN_LEFT_MIN
                || we - q < HYPHEN_RIGHT_MIN
                || q <= lower
                || q > k
                || cl[q].is(GLUE)
            {
                continue;
            }
            if widths[q - s] + ctx.hyphen_w <= avail + EPS {
                best = Some(q);
            }
        }
        best
    }
}

// ---------------------------------------------------------------------------
// Total fit (Knuth–Plass) with JLREQ line adjustment
// ---------------------------------------------------------------------------

/// Largest extra space between two Japanese characters when a line is
/// justified, in em. Text extractors (pdftotext, PDF.js) read a gap of
/// 0.1 em or more as a word space, and it is visible letter-spacing; above
/// it a line counts as too loose and the breaker looks for other breaks.
pub const MAX_LETTER_SPACING: f64 = 0.08;
/// 和欧間 is a quarter em; it may shrink to an eighth and grow to a half.
const WA_OU: f64 = 0.25;
const WA_OU_MIN: f64 = 0.125;
const WA_OU_MAX: f64 = 0.5;
/// An interword space (Latin words inside Japanese, or English) may lose a
/// third of its width, or grow by half an em.
const SPACE_SHRINK: f64 = 1.0 / 3.0;
const SPACE_STRETCH: f64 = 0.5;
/// Letter-spacing of a line with only Japanese gaps that cannot be set
/// otherwise, in em; beyond that the line is left short.
const MAX_FORCED_LETTER_SPACING: f64 = 0.2;
/// What an interword or 和欧間 gap may take beyond its own limit, in em,
/// on a line the breaker could not set otherwise; beyond that the line is
/// left short.
const MAX_LOOSE_EXTRA: f64 = 2.0;

/// How each gap between two clusters on a line may be adjusted, and prefix
/// sums over gaps so that any line's capacities are O(1).
struct Gaps {
    /// Per cluster `t`: the gap before it (between `t - 1` and `t`).
    class: Vec<u8>,
    /// Per gap: how much it may shrink (points) at the punctuation /
    /// interword-space level.
    shrink: Vec<f32>,
    /// Prefix sums of cluster widths plus adjustments: `w[i]` is the pen
    /// position after clusters `0..i` set solid.
    w: Vec<f64>,
    /// Prefix sums (over gaps `t < i`) of the level-2 shrink, the number of
    /// 和欧間 gaps, interword gaps and Japanese gaps.
    shrink2: Vec<f64>,
    wa_ou: Vec<u32>,
    spaces: Vec<u32>,
    ja: Vec<u32>,
    /// First cluster at or after `i` that is not a collapsible space.
    skip: Vec<usize>,
    /// Boundary before the trailing spaces and break characters that end
    /// at `i`.
    trim: Vec<usize>,
}

const GAP_WA_OU: u8 = 1;
const GAP_SPACE: u8 = 2;
const GAP_JA: u8 = 4;

/// A line's natural width and what it can give or take, in points.
#[derive(Clone, Copy, Debug, Default)]
struct Fit {
    natural: f64,
    /// Blank half of a full-width stop or comma ending the line.
    shrink1: f64,
    /// Interword spaces and the blank halves of punctuation inside the line.
    shrink2: f64,
    /// 和欧間 down to an eighth of an em.
    shrink3: f64,
    /// 和欧間 up to half an em, interword spaces.
    stretch1: f64,
    /// Japanese inter-character gaps up to [`MAX_LETTER_SPACING`].
    stretch2: f64,
    /// Interword and 和欧間 gaps, and Japanese gaps: what can take more
    /// space than the limits when nothing else works.
    loose: f64,
    ja: f64,
}

impl Gaps {
    fn new(cl: &[Cluster], fs: f64) -> Gaps {
        let n = cl.len();
        let mut class = vec![0u8; n + 1];
        let mut shrink = vec![0f32; n + 1];
        let mut w = vec![0.0; n + 1];
        let mut shrink2 = vec![0.0; n + 2];
        let mut wa_ou = vec![0u32; n + 2];
        let mut spaces = vec![0u32; n + 2];
        let mut ja = vec![0u32; n + 2];
        let full = |c: &Cluster| fs > 0.0 && c.width as f64 >= 0.9 * fs;
        for t in 0..n {
            w[t + 1] = w[t] + cl[t].width as f64 + cl[t].adj as f64;
            if t == 0 {
                continue;
            }
            let (p, c) = (&cl[t - 1], &cl[t]);
            if c.is(SPACE | BREAK) || p.is(BREAK) {
                continue;
            }
            if p.is(SPACE) {
                class[t] = GAP_SPACE;
                shrink[t] = (p.width as f64 * SPACE_SHRINK) as f32;
            } else if (p.is(JA) && c.is(LATIN)) || (p.is(LATIN) && c.is(JA)) {
                class[t] = GAP_WA_OU;
            } else if expandable(p, c) {
                class[t] = GAP_JA;
            }
            // The blank half of 、，or a closing bracket before a letter, or
            // of an opening bracket after one, unless already compressed.
            if c.adj >= 0.0
                && ((matches!(p.ch, '、' | '，') || p.punct == Punct::Closing) && full(p)
                    || c.punct == Punct::Opening && full(c))
            {
                shrink[t] += (0.5 * fs) as f32;
            }
        }
        for t in 0..=n {
            let c = class[t];
            shrink2[t + 1] = shrink2[t] + shrink[t] as f64;
            wa_ou[t + 1] = wa_ou[t] + u32::from(c == GAP_WA_OU);
            spaces[t + 1] = spaces[t] + u32::from(c == GAP_SPACE);
            ja[t + 1] = ja[t] + u32::from(c == GAP_JA);
        }
        let mut skip = vec![n; n + 1];
        for i in (0..n).rev() {
            skip[i] = if cl[i].is(SPACE) { skip[i + 1] } else { i };
        }
        let mut trim = vec![0; n + 1];
        for i in 1..=n {
            trim[i] = if cl[i - 1].is(SPACE | BREAK) {
                trim[i - 1]
            } else {
                i
            };
        }
        Gaps {
            class,
            shrink,
            w,
            shrink2,
            wa_ou,
            spaces,
            ja,
            skip,
            trim,
        }
    }

    /// The line of clusters `a..ce` (no leading or trailing spaces).
    fn fit(&self, ctx: &Ctx<'_>, a: usize, ce: usize, hyphen: bool) -> Fit {
        let cl = ctx.cl;
        let fs = ctx.fs;
        if ce <= a {
            return Fit::default();
        }
        let last = &cl[ce - 1];
        let mut natural = self.w[ce] - self.w[a] - cl[a].adj as f64 - end_trim(last, fs);
        if hyphen {
            natural += ctx.hyphen_w;
        }
        let inner = |v: &[u32]| if ce > a + 1 { v[ce] - v[a + 1] } else { 0 } as f64;
        let shrink2 = if ce > a + 1 {
            self.shrink2[ce] - self.shrink2[a + 1]
        } else {
            0.0
        };
        let wa_ou = inner(&self.wa_ou);
        let spaces = inner(&self.spaces);
        let ja = inner(&self.ja);
        let shrink1 = if !hyphen && last.punct == Punct::Stop && last.width as f64 >= 0.9 * fs {
            0.5 * fs
        } else {
            0.0
        };
        Fit {
            natural,
            shrink1,
            shrink2,
            shrink3: wa_ou * (WA_OU - WA_OU_MIN) * fs,
            stretch1: wa_ou * (WA_OU_MAX - WA_OU) * fs + spaces * SPACE_STRETCH * fs,
            stretch2: ja * MAX_LETTER_SPACING * fs,
            loose: wa_ou + spaces,
            ja,
        }
    }
}

impl Fit {
    fn shrink(&self) -> f64 {
        self.shrink1 + self.shrink2 + self.shrink3
    }

    /// Badness of setting the line at `avail` (0 = natural, 100 = every
    /// adjustment used up, more when a justified line must be spaced beyond
    /// the limits), or `None` when it cannot be made to fit.
    fn badness(&self, avail: f64, stretch: Option<f64>, fs: f64) -> Option<f64> {
        let slack = avail - self.natural;
        if slack < -EPS {
            let need = -slack;
            if need > self.shrink() + EPS {
                return None;
            }
            // JLREQ order: the line-end half costs nothing, then spaces and
            // punctuation, then 和欧間 (weighted double).
            let s2 = (need - self.shrink1).clamp(0.0, self.shrink2);
            let s3 = (need - self.shrink1 - self.shrink2).max(0.0);
            let cap = self.shrink2 + 2.0 * self.shrink3;
            return Some(if cap > 0.0 {
                100.0 * ((s2 + 2.0 * s3) / cap).powi(3)
            } else {
                0.0
            });
        }
        let Some(cap) = stretch else {
            return Some(0.0);
        };
        if slack <= EPS {
            return Some(0.0);
        }
        if slack <= cap {
            return Some(100.0 * (slack / cap).powi(3));
        }
        // Beyond the limits: worse with every point more; far worse when
        // only a line left short would do (interword and 和欧間 gaps would
        // pass MAX_LOOSE_EXTRA more, or, without them, Japanese gaps
        // MAX_FORCED_LETTER_SPACING).
        let excess = slack - cap;
        let justifiable = if self.loose > 0.0 {
            excess / self.loose <= MAX_LOOSE_EXTRA * fs + EPS
        } else {
            self.ja > 0.0 && slack / self.ja <= MAX_FORCED_LETTER_SPACING * fs + EPS
        };
        if !justifiable {
            return Some(100_000.0 + 1000.0 * excess / fs.max(1.0));
        }
        Some(1000.0 + 1000.0 * excess / fs.max(1.0))
    }
}

/// A line as chosen before it is set: first cluster, end boundary, how it
/// ends, available width.
type Span = (usize, usize, LineEnd, f64);

/// A last-resort break inside a URL between two of its characters: never
/// inside a percent-escape or in "://".
fn url_anywhere(cl: &[Cluster], b: usize) -> bool {
    let prev = cl[b - 1].ch;
    let in_escape = prev == '%' || (b >= 2 && cl[b - 2].ch == '%');
    !in_escape && prev != ':' && !(prev == '/' && cl[b].ch == '/')
}

/// A feasible break: where it is, how the line before it ends, and the
/// best way of reaching it.
#[derive(Clone, Copy, Debug)]
struct Node {
    b: usize,
    end: LineEnd,
    total: f64,
    prev: usize,
}

impl LineBreaker {
    /// Hyphenation points (cluster indices) of every word that may be
    /// hyphenated, in order.
    fn all_hyphen_points(&self, ctx: &Ctx<'_>) -> Vec<usize> {
        let cl = ctx.cl;
        let n = cl.len();
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            if !cl[i].is(LETTER) {
                i += 1;
                continue;
            }
            let ws = i;
            let mut we = i;
            while we < n && cl[we].is(LETTER) {
                we += 1;
            }
            i = we;
            let letters = we - ws;
            // Not in URLs, code-like runs or paths (`target/debug`,
            // `my_other_bin`): those are not English words.
            let codeish =
                |c: &Cluster| matches!(c.ch, '/' | '_' | '<' | '>' | ':' | '=' | '@' | '#' | '\\');
            if !(MIN_HYPHENATION_WORD..=MAX_HYPHENATION_WORD).contains(&letters)
                || (ws > 0 && (cl[ws - 1].is(LATIN) || codeish(&cl[ws - 1])))
                || (we < n && (cl[we].is(LATIN) || codeish(&cl[we])))
                || cl[ws..we].iter().any(|c| c.is(URL | CODE))
            {
                continue;
            }
            let word_start = cl[ws].start;
            let word = &ctx.text[word_start..ctx.cstart(we)];
            // Acronyms are never split. Names (a capital first letter) are
            // not split in ragged text, where a line may simply be shorter;
            // in justified text (English terms inside Japanese, such as
            // "Site Reliability Engineering") a hyphen beats a loose line.
            let acronym = word
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
            let capital = word.chars().next().is_some_and(char::is_uppercase);
            if acronym || (capital && !ctx.opts.justify) {
                continue;
            }
            let Some(dict) = self.dict() else {
                return out;
            };
            for offset in dict.hyphenate(word).breaks {
                let byte = word_start + offset;
                let Ok(rel) = cl[ws..we].binary_search_by_key(&byte, |c| c.start) else {
                    continue;
                };
                let q = ws + rel;
                if rel >= HYPHEN_LEFT_MIN && we - q >= HYPHEN_RIGHT_MIN && !cl[q].is(GLUE) {
                    out.push(q);
                }
            }
        }
        out
    }

    /// Chooses the breaks of the clusters from `s` (not a space) to the
    /// boundary `end` (a mandatory break or the end of the text) together:
    /// the sequence of lines with the least total demerits. `first` is the
    /// width of the first line. Returns `(start, end boundary, how it ends,
    /// width)` per line, or `None` when some token fits no line (the greedy
    /// breaker handles that).
    #[allow(clippy::too_many_arguments)]
    fn total_fit(
        &self,
        ctx: &Ctx<'_>,
        gaps: &Gaps,
        s: usize,
        end: usize,
        last_end: LineEnd,
        first: f64,
        rest: f64,
        hyphens: &[usize],
    ) -> Option<(Vec<Span>, f64)> {
        let cl = ctx.cl;
        let fs = ctx.fs;
        let opts = ctx.opts;
        let mut nodes = vec![Node {
            b: s,
            end: LineEnd::Soft,
            total: 0.0,
            prev: usize::MAX,
        }];
        let mut active: Vec<usize> = vec![0];
        let mut h = hyphens.partition_point(|&q| q <= s);
        let mut worst = 0.0f64;
        let ragged = |avail: f64| (0.2 * avail).max(3.0 * fs).max(EPS);
        for b in s + 1..=end {
            let kind = if b == end {
                last_end
            } else if h < hyphens.len() && hyphens[h] == b {
                h += 1;
                LineEnd::Hyphen
            } else if cl[b].brk == BRK_ALLOWED {
                LineEnd::Soft
            } else if opts.justify
                && (cl[b].is(URL) && cl[b - 1].is(URL) || cl[b].is(CODE) && cl[b - 1].is(CODE))
                && !cl[b].is(NO_START | SPACE | GLUE)
                && !cl[b - 1].is(NO_END)
                && (cl[b].brk == BRK_URL || cl[b].is(URL) && url_anywhere(cl, b))
            {
                LineEnd::Emergency
            } else {
                continue;
            };
            let last = matches!(kind, LineEnd::End | LineEnd::Mandatory);
            let ce = if kind == LineEnd::Hyphen {
                b
            } else {
                gaps.trim[b]
            };
            let mut best: Option<(f64, usize, f64)> = None;
            // Whether a line within the limits ends here: then lines from
            // later nodes (shorter still) that are too loose need no look.
            let mut fits = false;
            let mut i = 0;
            while i < active.len() {
                let ni = active[i];
                let node = nodes[ni];
                let a = if node.b == s { s } else { gaps.skip[node.b] };
                let avail = if node.b == s { first } else { rest };
                if a >= ce {
                    i += 1;
                    continue;
                }
                let fit = gaps.fit(ctx, a, ce, kind == LineEnd::Hyphen);
                // Too long even squeezed, with a margin for the line-end
                // trims and the hyphen: so is every later line from here.
                if fit.natural - fit.shrink() - fs > avail + EPS {
                    active.remove(i);
                    continue;
                }
                i += 1;
                let stretch = if last && !opts.balance {
                    None
                } else if opts.justify && !last {
                    Some(fit.stretch1 + fit.stretch2)
                } else {
                    Some(ragged(avail))
                };
                let Some(bad) = fit.badness(avail, stretch, fs) else {
                    continue;
                };
                if bad >= 100_000.0 && fits && fit.natural < avail {
                    break;
                }
                fits |= bad <= 100.0;
                let mut d = (10.0 + bad).powi(2);
                match kind {
                    LineEnd::Hyphen => {
                        d += 3000.0;
                        if node.end == LineEnd::Hyphen {
                            d += 10000.0;
                        }
                        if b < end && gaps.skip[b] < end {
                            // A hyphen on the last line but one.
                            let rest_fits = gaps.w[gaps.trim[end]] - gaps.w[b] <= rest;
                            if rest_fits {
                                d += 5000.0;
                            }
                        }
                    }
                    LineEnd::Emergency => {
                        // A URL broken in its path; inside its scheme and
                        // host, or between two letters, only when nothing
                        // better exists (but before leaving a line short).
                        d += if cl[b - 1].is(URL_HEAD) {
                            60000.0
                        } else {
                            20000.0
                        };
                        if cl[b].brk != BRK_URL {
                            d += 150_000.0;
                        }
                    }
                    _ => {}
                }
                if last {
                    let visible = cl[a..ce]
                        .iter()
                        .filter(|c| !c.is(SPACE | BREAK) && c.punct == Punct::None)
                        .count();
                    let one_word = !cl[a..ce].iter().any(|c| c.is(SPACE));
                    let japanese = cl[a..ce].iter().any(|c| c.is(JA));
                    if node.end == LineEnd::Hyphen && one_word {
                        d += 50000.0; // a hyphenated word's tail alone
                    } else if japanese && visible <= 3 && node.b > s {
                        d += 50000.0; // 「…ならな／い。」
                    } else if !japanese && one_word && fit.natural < 0.2 * avail && node.b > s {
                        d += 2000.0;
                    }
                }
                let total = node.total + d;
                if best.is_none_or(|(t, _, _)| total < t) {
                    best = Some((total, ni, bad));
                }
            }
            if let Some((total, prev, bad)) = best {
                nodes.push(Node {
                    b,
                    end: kind,
                    total,
                    prev,
                });
                active.push(nodes.len() - 1);
                let _ = bad;
            }
            if active.is_empty() {
                return None;
            }
            if b == end {
                break;
            }
        }
        let last = nodes.last().filter(|n| n.b == end)?;
        let mut out = Vec::new();
        let mut at = nodes.len() - 1;
        let _ = last;
        while nodes[at].prev != usize::MAX {
            let node = nodes[at];
            let prev = nodes[node.prev];
            let a = if prev.b == s { s } else { gaps.skip[prev.b] };
            let avail = if prev.b == s { first } else { rest };
            let ce = if node.end == LineEnd::Hyphen {
                node.b
            } else {
                gaps.trim[node.b]
            };
            let fit = gaps.fit(ctx, a, ce, node.end == LineEnd::Hyphen);
            let lastline = matches!(node.end, LineEnd::End | LineEnd::Mandatory);
            let stretch = if lastline && !opts.balance {
                None
            } else if opts.justify && !lastline {
                Some(fit.stretch1 + fit.stretch2)
            } else {
                Some(ragged(avail))
            };
            worst = worst.max(fit.badness(avail, stretch, fs).unwrap_or(f64::INFINITY));
            out.push((a, node.b, node.end, avail));
            at = node.prev;
        }
        out.reverse();
        Some((out, worst))
    }
}

/// Builds the line for clusters `s..e`: drops trailing spaces, positions
/// characters, squeezes a line that is too long (JLREQ order: the blank
/// half of a line-end stop, interword spaces and punctuation, then 和欧間
/// down to an eighth of an em) and justifies if asked (和欧間 up to half an
/// em and interword spaces first, then Japanese gaps up to
/// [`MAX_LETTER_SPACING`], then, for a line that cannot be set otherwise,
/// every gap alike up to half an em).
#[allow(clippy::too_many_arguments)]
fn emit(
    ctx: &Ctx<'_>,
    gaps: &Gaps,
    s: usize,
    e: usize,
    end: LineEnd,
    avail: f64,
    m: &dyn Measure,
) -> Line {
    let cl = ctx.cl;
    let fs = ctx.fs;
    let mut ce = e;
    while ce > s && cl[ce - 1].is(SPACE | BREAK) {
        ce -= 1;
    }
    let range = cl[s].start..if ce > s { ctx.cstart(ce) } else { cl[s].start };
    let hyphenated = end == LineEnd::Hyphen;
    let fit = gaps.fit(ctx, s, ce, hyphenated);
    let natural = fit.natural;
    let justifiable =
        ctx.opts.justify && matches!(end, LineEnd::Soft | LineEnd::Hyphen | LineEnd::Emergency);

    let (mut r2, mut r3) = (0.0f64, 0.0f64);
    let (mut r1s, mut r2s, mut even, mut extra_loose) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let mut width = natural;
    let mut squeezed = false;
    if natural > avail + EPS && fit.shrink() > 0.0 {
        let need = natural - avail;
        let take1 = need.min(fit.shrink1);
        let left = need - take1;
        if fit.shrink2 > 0.0 {
            r2 = (left / fit.shrink2).min(1.0);
        }
        let left = left - r2 * fit.shrink2;
        if fit.shrink3 > 0.0 {
            r3 = (left / fit.shrink3).min(1.0);
        }
        width = natural - take1 - r2 * fit.shrink2 - r3 * fit.shrink3;
        squeezed = true;
    } else if justifiable && avail - natural > EPS {
        let mut slack = avail - natural;
        r1s = if fit.stretch1 > 0.0 {
            (slack / fit.stretch1).min(1.0)
        } else {
            0.0
        };
        slack -= r1s * fit.stretch1;
        if fit.stretch2 > 0.0 && slack > EPS {
            r2s = (slack / fit.stretch2).min(1.0);
            slack -= r2s * fit.stretch2;
        }
        if slack > EPS {
            // Beyond the limits (a line the breaker could not avoid): the
            // rest goes to interword spaces and 和欧間 when the line has
            // any, so that Japanese is never letter-spaced further; else to
            // every gap alike, up to MAX_FORCED_LETTER_SPACING; else the
            // line is left natural.
            let loose = (s + 1..ce)
                .filter(|&t| matches!(gaps.class[t], GAP_SPACE | GAP_WA_OU))
                .count();
            let count = (s + 1..ce)
                .filter(|&t| expandable(&cl[t - 1], &cl[t]))
                .count();
            if loose > 0 && slack / loose as f64 <= MAX_LOOSE_EXTRA * fs + EPS {
                extra_loose = slack / loose as f64;
            } else if loose == 0
                && count > 0
                && (avail - natural) / count as f64 <= MAX_FORCED_LETTER_SPACING * fs + EPS
            {
                (r1s, r2s) = (0.0, 0.0);
                even = (avail - natural) / count as f64;
            } else {
                (r1s, r2s) = (0.0, 0.0);
            }
        }
        width = if r1s == 0.0 && r2s == 0.0 && even == 0.0 && extra_loose == 0.0 {
            natural
        } else {
            avail
        };
    }

    let mut chars = Vec::with_capacity(range.len());
    let mut x = 0.0f64;
    for t in s..ce {
        let c = &cl[t];
        if t > s {
            x += c.adj as f64;
            let class = gaps.class[t];
            x -= r2 * gaps.shrink[t] as f64;
            if class == GAP_WA_OU {
                x += r1s * (WA_OU_MAX - WA_OU) * fs - r3 * (WA_OU - WA_OU_MIN) * fs + extra_loose;
            } else if class == GAP_SPACE {
                x += r1s * SPACE_STRETCH * fs + extra_loose;
            } else if class == GAP_JA {
                x += r2s * MAX_LETTER_SPACING * fs;
            }
            if even > 0.0 && expandable(&cl[t - 1], c) {
                x += even;
            }
        }
        if c.is(MULTI) {
            let mut dx = 0.0;
            for (off, ch) in ctx.text[c.start..ctx.cstart(t + 1)].char_indices() {
                chars.push(PlacedChar {
                    byte: c.start + off,
                    ch,
                    x: (x + dx) as f32,
                });
                dx += sanitize_advance(m.advance(c.start + off, ch)) * fs;
            }
        } else {
            chars.push(PlacedChar {
                byte: c.start,
                ch: c.ch,
                x: x as f32,
            });
        }
        x += c.width as f64;
    }
    // Rounding to f32 can put a zero-width mark a hair past the next
    // character after justification; positions must never decrease.
    for i in 1..chars.len() {
        if chars[i].x < chars[i - 1].x {
            chars[i].x = chars[i - 1].x;
        }
    }
    Line {
        range,
        chars,
        hyphen: hyphenated.then_some(x as f32),
        width: width as f32,
        end,
        squeezed,
    }
}

/// Whether [`LineBreaker::break_measured`] takes its one-line shortcut: in
/// tests, unless a test turns it off to compare with the long way.
#[cfg(test)]
fn one_line_shortcut() -> bool {
    !NO_SHORTCUT.with(std::cell::Cell::get)
}

#[cfg(not(test))]
fn one_line_shortcut() -> bool {
    true
}

#[cfg(test)]
thread_local! {
    static NO_SHORTCUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
mod tests {
    use super::*;

    const FS: f32 = 10.0;

    /// 1 em for CJK, half an em for ASCII, nothing for combining marks.
    fn adv(c: char) -> f32 {
        if matches!(c, '\u{300}'..='\u{36F}' | '\u{3099}' | '\u{309A}') {
            0.0
        } else if c.is_ascii() {
            0.5
        } else {
            1.0
        }
    }

    fn opts(em: f32, justify: bool, hyphenate: bool) -> Options {
        Options {
            first_line_width: em * FS,
            line_width: em * FS,
            font_size: FS,
            justify,
            hyphenate,
            balance: false,
        }
    }

    fn texts(text: &str, lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| text[l.range.clone()].to_owned())
            .collect()
    }

    fn run(text: &str, o: &Options) -> (Vec<Line>, Vec<String>) {
        let lines = LineBreaker::new().break_paragraph(text, &adv, o);
        let t = texts(text, &lines);
        (lines, t)
    }

    fn x_of(line: &Line, ch: char) -> f32 {
        line.chars.iter().find(|p| p.ch == ch).unwrap().x
    }

    #[test]
    fn empty_and_blank_inputs() {
        let o = opts(10.0, true, true);
        assert!(run("", &o).0.is_empty());
        assert!(run("   \t ", &o).0.is_empty());
        let (lines, t) = run("\n", &o);
        assert_eq!(t, vec![""]);
        assert_eq!(lines[0].end, LineEnd::Mandatory);
        let (_, t) = run("a\n\nb\n", &o);
        assert_eq!(t, vec!["a", "", "b"]);
    }

    #[test]
    fn mandatory_breaks_start_new_lines_and_are_not_justified() {
        let o = opts(20.0, true, false);
        let (lines, t) = run("あいう\r\nえお\u{2028}か", &o);
        assert_eq!(t, vec!["あいう", "えお", "か"]);
        assert_eq!(lines[0].end, LineEnd::Mandatory);
        assert_eq!(lines[1].end, LineEnd::Mandatory);
        assert_eq!(lines[2].end, LineEnd::End);
        assert!((lines[0].width - 30.0).abs() < 0.01);
    }

    #[test]
    fn full_stop_never_starts_a_line() {
        // At 3 em "あいう" would fill the line and put "。" on the next.
        let o = opts(3.0, false, false);
        let (_, t) = run("あいう。えお", &o);
        assert_eq!(t, vec!["あい", "う。え", "お"]);
        for w in 2..8 {
            let (lines, t) = run(
                "これはテスト。それもテスト、です。",
                &opts(w as f32, false, false),
            );
            for (l, s) in lines.iter().zip(&t).skip(1) {
                assert!(!s.starts_with(['。', '、']), "{w}: {t:?}");
                assert_ne!(l.end, LineEnd::Emergency, "{w}: {t:?}");
            }
        }
    }

    #[test]
    fn small_kana_and_prolonged_mark_never_start_a_line() {
        for w in 2..10 {
            let (lines, t) = run(
                "ちょっとサーバーのキャッシュ",
                &opts(w as f32, false, false),
            );
            for i in 1..t.len() {
                if lines[i - 1].end == LineEnd::Emergency {
                    continue;
                }
                let first = t[i].chars().next().unwrap();
                assert!(!is_no_start(first), "{w}: {t:?}");
            }
        }
        // UAX #14 alone would allow "ちょ|っと" and "サ|ーバー".
        let (_, t) = run("ちょっと", &opts(2.0, false, false));
        assert_eq!(t, vec!["ちょ", "っと"]); // an emergency: nothing fits
        let (lines, t) = run("あちょっと", &opts(3.0, false, false));
        assert_eq!(t, vec!["あ", "ちょっ", "と"]);
        assert_eq!(lines[0].end, LineEnd::Soft);
    }

    #[test]
    fn opening_bracket_never_ends_a_line() {
        let o = opts(4.0, false, false);
        let (_, t) = run("あいう「えお」", &o);
        assert_eq!(t, vec!["あいう", "「えお」"]);
        let (_, t) = run("あいう (abc)", &opts(4.0, false, false));
        assert!(t.iter().all(|s| !s.ends_with('(')), "{t:?}");
    }

    #[test]
    fn english_words_are_not_split_without_hyphenation() {
        let text = "Reliability engineering matters";
        for w in 6..30 {
            let (lines, t) = run(text, &opts(w as f32, false, false));
            for l in &lines {
                assert_ne!(l.end, LineEnd::Hyphen);
                if l.end != LineEnd::Emergency {
                    assert!(l.width <= w as f32 * FS + 0.01);
                }
            }
            for (l, s) in lines.iter().zip(&t) {
                if l.end != LineEnd::Emergency && lines.last() != Some(l) {
                    assert!(
                        s.split(' ').all(|word| text.split(' ').any(|x| x == word)),
                        "{w}: {t:?}"
                    );
                }
            }
            if w >= 6 {
                assert!(
                    t.iter().any(|s| s.split(' ').any(|x| x == "Reliability")),
                    "{w}: {t:?}"
                );
            }
        }
    }

    #[test]
    fn reliability_hyphenates_only_at_valid_points() {
        let dict = Standard::from_embedded(Language::EnglishUS).unwrap();
        let valid: Vec<usize> = dict.hyphenate("reliability").breaks;
        assert!(!valid.is_empty());
        let mut seen_hyphen = false;
        for w in 4..16 {
            let text = "Our Reliability";
            let (lines, t) = run(text, &opts(w as f32, false, true));
            for (i, l) in lines.iter().enumerate() {
                if l.end == LineEnd::Hyphen {
                    seen_hyphen = true;
                    let split = l.range.end - 4; // "Our " precedes the word
                    assert!(valid.contains(&split), "{w}: {t:?}");
                    assert!(split >= 2 && "reliability".len() - split >= 3);
                    let hx = l.hyphen.unwrap();
                    let last = l.chars.last().unwrap();
                    assert!((hx - (last.x + 0.5 * FS)).abs() < 0.01);
                    assert!(l.width <= w as f32 * FS + 0.01);
                    assert_eq!(lines[i + 1].range.start, l.range.end);
                } else {
                    assert!(l.hyphen.is_none());
                }
            }
        }
        assert!(seen_hyphen);
    }

    #[test]
    fn hyphenation_only_when_the_word_overflows() {
        // Fits entirely: no hyphen.
        let (lines, _) = run("a Reliability", &opts(7.0, false, true));
        assert!(lines.iter().all(|l| l.hyphen.is_none()));
        // "a Reliability" is 6.5 em; at 5 em the word overflows and is split.
        let (lines, t) = run("a Reliability", &opts(5.0, false, true));
        assert_eq!(lines[0].end, LineEnd::Hyphen, "{t:?}");
        assert!(t[0].starts_with("a Re"), "{t:?}");
        assert_eq!(t.concat(), "a Reliability");
    }

    #[test]
    fn words_glued_to_japanese_can_be_hyphenated_but_not_alphanumeric_runs() {
        let (lines, t) = run("これはreliabilityです", &opts(7.0, true, true));
        assert_eq!(lines[0].end, LineEnd::Hyphen, "{t:?}");
        assert!(t[0].starts_with("これはre"), "{t:?}");
        // A name (capital first letter) is not split when the line can
        // break elsewhere.
        let (lines, t) = run(
            "engineering by Yuki Matsumoto and more",
            &opts(14.0, false, true),
        );
        assert!(lines.iter().all(|l| l.end != LineEnd::Hyphen), "{t:?}");
        // "x86Reliability" is an identifier, not a word.
        let (lines, _) = run("あ x86Reliability", &opts(5.0, false, true));
        assert!(lines.iter().all(|l| l.end != LineEnd::Hyphen));
    }

    #[test]
    fn short_words_and_acronyms_are_not_hyphenated() {
        let (lines, _) = run("zz OBSERVABILITY", &opts(6.0, false, true));
        assert!(lines.iter().all(|l| l.end != LineEnd::Hyphen));
        let (lines, _) = run("zz test", &opts(2.0, false, true));
        assert!(lines.iter().all(|l| l.end != LineEnd::Hyphen));
    }

    #[test]
    fn long_url_breaks_after_slash() {
        let url = "https://example.com/very/long/path/to/resource?query=1#frag";
        let text = format!("see {url} now");
        let (lines, t) = run(&text, &opts(12.0, false, true));
        assert_eq!(t[0], "see");
        assert!(t[1].starts_with("https://example"), "{t:?}");
        for (l, s) in lines.iter().zip(&t).skip(1) {
            if l.end == LineEnd::Emergency {
                let next = &text[l.range.end..];
                assert!(s.ends_with('/') || next.starts_with(['?', '#']), "{t:?}");
            }
            assert!(l.hyphen.is_none());
        }
        let joined: String = t.concat();
        assert!(joined.contains(&url.replace(' ', "")));
    }

    #[test]
    fn url_that_fits_is_not_split() {
        let text = "read this-is-long-text https://a.example/x-y-z";
        let (_, t) = run(text, &opts(14.0, false, true));
        assert!(
            t.iter().any(|s| s.ends_with("https://a.example/x-y-z")),
            "{t:?}"
        );
    }

    #[test]
    fn wa_ou_kan_gap_between_japanese_and_latin() {
        let (lines, _) = run("私はSREです", &opts(40.0, false, false));
        let l = &lines[0];
        // は at 1 em; S at 2 em + a quarter em.
        assert!((x_of(l, 'S') - 22.5).abs() < 0.01);
        // E ends at 2.25 + 1.5 = 3.75 em; で at 4 em.
        assert!((x_of(l, 'で') - 40.0).abs() < 0.01);
        // No gap when the source already has a space, nor next to punctuation.
        let (lines, _) = run("は SRE。A「B」", &opts(40.0, false, false));
        let l = &lines[0];
        assert!((x_of(l, 'S') - 15.0).abs() < 0.01);
        assert!((x_of(l, 'A') - 40.0).abs() < 0.01);
        assert!((x_of(l, '「') - 45.0).abs() < 0.01);
    }

    #[test]
    fn adjacent_punctuation_is_compressed() {
        let (lines, _) = run("あ」「い", &opts(40.0, false, false));
        let l = &lines[0];
        assert!((x_of(l, '「') - 15.0).abs() < 0.01);
        assert!((x_of(l, 'い') - 25.0).abs() < 0.01);
        let (lines, _) = run("あ。」（い）、「う", &opts(40.0, false, false));
        let l = &lines[0];
        let xs: Vec<f32> = l.chars.iter().map(|p| p.x / FS).collect();
        assert_eq!(xs, vec![0.0, 1.0, 1.5, 2.0, 3.0, 4.0, 4.5, 5.0, 6.0]);
        // A line-final closing bracket is half an em; a full stop is whole.
        assert!((run("あ」", &opts(40.0, false, false)).0[0].width - 15.0).abs() < 0.01);
        assert!((run("あ。", &opts(40.0, false, false)).0[0].width - 20.0).abs() < 0.01);
    }

    #[test]
    fn justified_lines_fill_the_measure_and_last_line_does_not() {
        let text = "日本語の文章は両端揃えで組みます。英語のSREやReliabilityも混ざります。";
        let o = opts(10.5, true, false);
        let (lines, t) = run(text, &o);
        assert!(lines.len() > 2, "{t:?}");
        for l in &lines[..lines.len() - 1] {
            assert!((l.width - 105.0).abs() < 0.01, "{t:?} {l:?}");
            let last = l.chars.last().unwrap();
            let ext = last.x + adv(last.ch) * FS - if is_closing(last.ch) { 5.0 } else { 0.0 };
            assert!((ext - l.width).abs() < 0.01);
        }
        let last = lines.last().unwrap();
        assert_eq!(last.end, LineEnd::End);
        assert!(last.width < 105.0);
        // The last line is set solid: consecutive kanji are 1 em apart.
        let xs: Vec<f32> = last.chars.iter().map(|p| p.x).collect();
        assert!(xs.windows(2).all(|w| w[1] - w[0] <= 10.0 + 0.01 + 2.5));
    }

    #[test]
    fn justification_never_stretches_inside_latin_words() {
        let text = "これはReliabilityとobservabilityの話です";
        let (lines, t) = run(text, &opts(16.0, true, false));
        for l in &lines {
            for w in l.chars.windows(2) {
                if w[0].ch.is_ascii_alphabetic() && w[1].ch.is_ascii_alphabetic() {
                    assert!((w[1].x - w[0].x - 5.0).abs() < 0.01, "{t:?}");
                }
            }
        }
    }

    #[test]
    fn absurd_slack_is_left_natural() {
        // "あ" + a long Latin word that must go to the next line: one gap,
        // 10 em of slack.
        let text = "あい Reliabilityengineeringisfun";
        let (lines, t) = run(text, &opts(14.0, true, false));
        assert_eq!(t[0], "あい", "{t:?}");
        assert!((lines[0].width - 20.0).abs() < 0.01);
    }

    #[test]
    fn spaces_at_breaks_are_dropped() {
        let (lines, t) = run("  alpha   beta   gamma  ", &opts(5.0, false, false));
        assert_eq!(t, vec!["alpha", "beta", "gamma"]);
        for l in &lines {
            assert!(l.chars.iter().all(|p| p.ch != ' '));
        }
        // Inner spaces are kept and placed.
        let (lines, _) = run("ab cd", &opts(40.0, false, false));
        assert_eq!(lines[0].chars.len(), 5);
    }

    #[test]
    fn ideographic_space_indent_is_kept() {
        let (_, t) = run("\u{3000}はじめに", &opts(40.0, true, false));
        assert_eq!(t, vec!["\u{3000}はじめに"]);
    }

    #[test]
    fn combining_marks_stay_with_their_base() {
        let text = "e\u{301}e\u{301}e\u{301} か\u{3099}き\u{3099}";
        for w in [0.0f32, 0.5, 1.0, 2.0] {
            let (lines, _) = run(text, &opts(w, false, false));
            for l in &lines {
                let first = l.chars[0].ch;
                assert!(first != '\u{301}' && first != '\u{3099}');
            }
        }
    }

    #[test]
    fn narrow_lines_place_one_grapheme_per_line() {
        let text = "あいうeo";
        let (lines, t) = run(text, &opts(0.1, true, true));
        assert_eq!(t, vec!["あ", "い", "う", "e", "o"]);
        assert!(lines[0].width > 1.0);
        for bad in [f32::NAN, -5.0, 0.0] {
            let o = Options {
                first_line_width: bad,
                line_width: bad,
                font_size: FS,
                justify: true,
                hyphenate: true,
                balance: false,
            };
            let lines = LineBreaker::new().break_paragraph(text, &adv, &o);
            assert_eq!(lines.len(), 5);
        }
    }

    #[test]
    fn infinite_width_and_zero_advances() {
        let o = Options {
            first_line_width: f32::INFINITY,
            line_width: f32::INFINITY,
            font_size: FS,
            justify: true,
            hyphenate: true,
            balance: false,
        };
        let lines = LineBreaker::new().break_paragraph("a b c あい", &adv, &o);
        assert_eq!(lines.len(), 1);
        let lines =
            LineBreaker::new().break_paragraph("a b c あい", &|_| 0.0, &opts(1.0, true, true));
        assert_eq!(lines.len(), 1);
        let lines =
            LineBreaker::new().break_paragraph("a b c", &|_| f32::NAN, &opts(1.0, true, true));
        assert_eq!(lines.len(), 1);
    }

    #[test]
    fn control_characters_do_not_panic() {
        let text = "a\u{0}b\u{7}\u{1b}[0m c\u{0B}d\u{0C}e\u{85}f\r\rg\u{200B}h\u{FEFF}";
        let (lines, _) = run(text, &opts(1.0, true, true));
        let covered: usize = lines.iter().map(|l| l.range.len()).sum();
        assert!(covered > 0);
    }

    #[test]
    fn first_line_width_applies_to_the_first_line_only() {
        let o = Options {
            first_line_width: 20.0,
            line_width: 40.0,
            font_size: FS,
            justify: false,
            hyphenate: false,
            balance: false,
        };
        let lines = LineBreaker::new().break_paragraph("あいうえおかきくけこ", &adv, &o);
        let t = texts("あいうえおかきくけこ", &lines);
        assert_eq!(t, vec!["あい", "うえおか", "きくけこ"]);
    }

    #[test]
    fn huge_word_is_broken_in_linear_time() {
        let text = "x".repeat(1_000_000);
        let calls = std::cell::Cell::new(0usize);
        let counting = |c: char| {
            calls.set(calls.get() + 1);
            adv(c)
        };
        let start = std::time::Instant::now();
        let lines = LineBreaker::new().break_paragraph(&text, &counting, &opts(30.0, true, true));
        assert_eq!(lines.len(), 1_000_000 / 60 + 1);
        assert!(lines.iter().all(|l| l.width <= 300.0 + 0.01));
        assert!(calls.get() <= text.len() + 2, "{}", calls.get());
        assert!(start.elapsed().as_secs() < 30);
    }

    #[test]
    fn a_space_after_a_full_width_comma_adds_nothing() {
        let text = "あ、 い。 う";
        let (lines, t) = run(text, &opts(20.0, true, false));
        assert_eq!(t, vec![text]);
        // 、 is a full em; the space after it has no width; same after 。.
        assert!((x_of(&lines[0], 'い') - 2.0 * FS).abs() < 0.01);
        assert!((x_of(&lines[0], 'う') - 4.0 * FS).abs() < 0.01);
        // The space is still in the text.
        assert!(lines[0].chars.iter().any(|c| c.ch == ' '));
    }

    #[test]
    fn an_em_dash_in_japanese_takes_a_full_em() {
        let narrow = |c: char| if c == '—' { 0.8 } else { adv(c) };
        let o = opts(20.0, false, false);
        let lines = LineBreaker::new().break_paragraph("年—あ", &narrow, &o);
        let x = |c| x_of(&lines[0], c);
        assert!((x('—') - 1.1 * FS).abs() < 0.01, "{}", x('—'));
        assert!((x('あ') - 2.0 * FS).abs() < 0.01, "{}", x('あ'));
        // Between Latin words it keeps its own width.
        let lines = LineBreaker::new().break_paragraph("ab—cd", &narrow, &o);
        assert!((x_of(&lines[0], 'c') - 1.8 * FS).abs() < 0.01);
    }

    #[test]
    fn a_long_code_run_breaks_at_a_sensible_point_to_justify_a_line() {
        let text = "あいうえおかOption<Option<Food>>になります。";
        let (lines, t) = run(text, &opts(10.0, true, false));
        assert_eq!(t[0], "あいうえおかOption", "{t:?}");
        assert_eq!(lines[0].end, LineEnd::Emergency);
        assert!((lines[0].width - 10.0 * FS).abs() < 0.01, "{t:?}");
        // Not in ragged text: there the line may simply stay short.
        let (_, t) = run(text, &opts(10.0, false, false));
        assert_eq!(t[0], "あいうえおか", "{t:?}");
    }

    #[test]
    fn paths_and_code_are_not_hyphenated() {
        for text in [
            "はtarget/debug/build/output",
            "は my_other_binary_name です",
        ] {
            let (lines, t) = run(text, &opts(6.0, true, true));
            assert!(lines.iter().all(|l| l.end != LineEnd::Hyphen), "{t:?}");
        }
    }

    #[test]
    fn for_script_defaults() {
        let ja = Options::for_script(Script::Japanese, 100.0, 10.0);
        assert!(ja.justify && ja.hyphenate);
        let en = Options::for_script(Script::Latin, 100.0, 10.0);
        assert!(!en.justify && en.hyphenate);
        assert_eq!(en.first_line_width, 100.0);
    }

    /// The one-line shortcut gives exactly the lines total fit gives: on
    /// Japanese, English and mixed paragraphs, justified or not, at widths
    /// from far too narrow to comfortably wide (so both sides of the
    /// shortcut's condition are met).
    #[test]
    fn the_one_line_shortcut_is_what_total_fit_would_choose() {
        let texts = [
            "短い段落。",
            "SREのためのテレメトリーの13年。",
            "「見慣れた技術」を、学術的な視点で捉え直す。",
            "Telemetry for SRE.",
            "A short paragraph that may or may not fit on one line here.",
            "AI for Systems と Systems for AI の最前線、https://example.com/a/b?c=d#e へ。",
            "行末の句点。",
            "Hyphenation of extraordinarily long words happens only when needed.",
            "  leading and trailing spaces  ",
            "一行目\n二行目は少し長めの文章になっています。",
        ];
        let mut shortcut_taken = 0;
        for text in texts {
            for em in [3.0, 8.0, 12.0, 20.0, 31.0, 40.0, 80.0] {
                for justify in [false, true] {
                    for hyphenate in [false, true] {
                        let o = opts(em, justify, hyphenate);
                        let with = LineBreaker::new().break_paragraph(text, &adv, &o);
                        NO_SHORTCUT.with(|c| c.set(true));
                        let without = LineBreaker::new().break_paragraph(text, &adv, &o);
                        NO_SHORTCUT.with(|c| c.set(false));
                        assert_eq!(with, without, "{text:?} at {em} em, justify {justify}");
                        shortcut_taken += usize::from(with.len() == 1);
                    }
                }
            }
        }
        assert!(
            shortcut_taken > 50,
            "the shortcut was tried {shortcut_taken} times"
        );
    }
}
