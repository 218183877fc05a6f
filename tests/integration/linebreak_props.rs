//! Property tests for the PDF line breaker: random mixed Japanese/English
//! paragraphs at many line widths must keep every character, respect kinsoku,
//! never split English words except at hyphenation points, and fit the
//! measure — except where a line is explicitly an emergency break or holds a
//! single grapheme that is wider than the line.

use hyphenation::{Hyphenator, Language, Load, Standard};
use proptest::prelude::*;
use talkdoc::render::pdf::linebreak::{Line, LineBreaker, LineEnd, MAX_LETTER_SPACING, Options};
use unicode_segmentation::UnicodeSegmentation;

const FS: f32 = 10.0;
const EPS: f32 = 0.01;

/// The measuring closure of the brief: 1 em for CJK, half an em for ASCII,
/// nothing for combining marks.
fn advance(c: char) -> f32 {
    if is_mark(c) {
        0.0
    } else if c.is_ascii() {
        0.5
    } else {
        1.0
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{3099}' | '\u{309A}')
}

const VOCAB: &[&str] = &[
    // Japanese words and punctuation.
    "日本語",
    "テキスト",
    "信頼性",
    "ちょっと",
    "サーバー",
    "キャッシュ",
    "これは",
    "です",
    "ます",
    "の",
    "を",
    "は",
    "が",
    "っ",
    "ゃ",
    "ー",
    "、",
    "。",
    "「",
    "」",
    "（",
    "）",
    "か\u{3099}",
    "\u{3000}",
    // English words, with punctuation and combining marks.
    "Reliability",
    "availability",
    "observability",
    "incident",
    "postmortem",
    "engineering",
    "Kubernetes",
    "the",
    "of",
    "SRE",
    "API",
    "hello,",
    "(test)",
    "well-known",
    "don't",
    "e\u{301}lan",
    "naïve",
    "résumé",
    "supercalifragilisticexpialidocious",
    // Numbers.
    "2024",
    "99.9%",
    "1,000",
    "3.14",
    // URLs.
    "https://example.com/path/to/some/very/long/resource?query=value&x=1#fragment",
    "https://talk.example.jp/",
    "www.example.org/a/b",
    // Spaces and breaks.
    " ",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
];

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCAB), 0..50).prop_map(|v| v.concat())
}

/// Characters that must never start a line in the generated texts.
fn no_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。' | '」' | '）' | 'ー' | 'っ' | 'ゃ' | ')' | ',' | '.' | '%'
    )
}

/// Characters that must never end a line in the generated texts.
fn no_end(c: char) -> bool {
    matches!(c, '「' | '（' | '(')
}

/// A character belonging to an English word or a number.
fn word_char(c: char) -> bool {
    (c.is_alphanumeric() && (c as u32) < 0x2E80) || ('\u{300}'..='\u{36F}').contains(&c)
}

fn available(opts: &Options, index: usize) -> f32 {
    if index == 0 {
        opts.first_line_width
    } else {
        opts.line_width
    }
}

fn check(text: &str, opts: &Options, lines: &[Line], dict: &Standard) -> Result<(), TestCaseError> {
    // 1. Every character is either on a line or dropped whitespace between
    //    lines, in order, exactly once.
    let mut cursor = 0;
    for line in lines {
        prop_assert!(line.range.start >= cursor, "ranges overlap or go back");
        prop_assert!(
            text[cursor..line.range.start]
                .chars()
                .all(char::is_whitespace),
            "non-space dropped before {:?}",
            line.range
        );
        let expected: Vec<(usize, char)> = text[line.range.clone()]
            .char_indices()
            .map(|(i, c)| (line.range.start + i, c))
            .collect();
        let placed: Vec<(usize, char)> = line.chars.iter().map(|p| (p.byte, p.ch)).collect();
        prop_assert_eq!(placed, expected);
        cursor = line.range.end;
    }
    prop_assert!(text[cursor..].chars().all(char::is_whitespace));

    // Grapheme boundaries of the text.
    let boundaries: std::collections::HashSet<usize> = text
        .grapheme_indices(true)
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();

    for (i, line) in lines.iter().enumerate() {
        let s = &text[line.range.clone()];
        let avail = available(opts, i);

        // 2. Lines only break at grapheme boundaries; no leading or trailing
        //    collapsible spaces.
        prop_assert!(boundaries.contains(&line.range.start));
        prop_assert!(boundaries.contains(&line.range.end));
        prop_assert!(
            !s.starts_with([' ', '\t']) && !s.ends_with([' ', '\t']),
            "{:?}",
            s
        );

        // 3. x positions never decrease, start at 0, hyphen after the text.
        let mut prev = -EPS;
        for p in &line.chars {
            prop_assert!(p.x >= prev - EPS, "x decreases in {:?}", s);
            prev = p.x;
        }
        if let Some(first) = line.chars.first() {
            prop_assert!(first.x.abs() < EPS);
        }
        prop_assert_eq!(line.hyphen.is_some(), line.end == LineEnd::Hyphen);
        if let (Some(h), Some(last)) = (line.hyphen, line.chars.last()) {
            prop_assert!(h >= last.x);
        }

        // 4. No line is wider than the measure unless it holds one grapheme.
        if line.width > avail + EPS {
            prop_assert_eq!(s.graphemes(true).count(), 1, "overfull {:?}", s);
        }

        // 5. Spacing: on a line set solid, the gap after each character is
        //    its advance, plus a quarter em (和欧間) or minus half an em
        //    (punctuation compression). A line too long for the measure is
        //    squeezed (追い込み) to fit, 和欧間 never below an eighth of an
        //    em; a justified line either is set solid or fills the measure
        //    exactly, with Japanese letters never more than
        //    MAX_LETTER_SPACING apart when it has interword or 和欧間 gaps
        //    to take the rest. Letters of a Latin word are never spread
        //    apart. The width matches the positions.
        let ja = |c: char| {
            ('\u{3041}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        };
        let mut solid = true;
        let mut loose = false;
        let mut widest_ja = 0.0f32;
        for w in line.chars.windows(2) {
            let d = w[1].x - w[0].x - advance(w[0].ch) * FS;
            if ![0.0, 0.25 * FS, -0.5 * FS]
                .iter()
                .any(|k| (d - k).abs() < EPS)
            {
                solid = false;
            }
            if w[0].ch.is_ascii_alphabetic() && w[1].ch.is_ascii_alphabetic() {
                prop_assert!(d.abs() < EPS, "letters spread in {:?}", s);
            }
            let wa_ou = (ja(w[0].ch) && w[1].ch.is_ascii_alphanumeric())
                || (w[0].ch.is_ascii_alphanumeric() && ja(w[1].ch));
            if wa_ou {
                prop_assert!(d >= 0.125 * FS - EPS, "和欧間 {} in {:?}", d, s);
                loose = true;
            }
            if w[0].ch == ' ' {
                loose = true;
            }
            if ja(w[0].ch) && ja(w[1].ch) {
                widest_ja = widest_ja.max(d);
            }
        }
        let stretchable = opts.justify
            && matches!(
                line.end,
                LineEnd::Soft | LineEnd::Hyphen | LineEnd::Emergency
            );
        if line.squeezed {
            prop_assert!(line.width <= avail + EPS, "squeezed but overfull: {:?}", s);
        } else if stretchable {
            prop_assert!(solid || (line.width - avail).abs() < EPS, "{:?}", s);
            if loose {
                prop_assert!(
                    widest_ja <= MAX_LETTER_SPACING as f32 * FS + EPS,
                    "letter-spaced by {} in {:?}",
                    widest_ja,
                    s
                );
            }
        } else {
            prop_assert!(solid, "stretched: {:?}", s);
        }
        if let Some(last) = line.chars.last() {
            let trim = if matches!(last.ch, '」' | '）') {
                0.5 * FS
            } else {
                0.0
            };
            let hyphen = if line.hyphen.is_some() { 0.5 * FS } else { 0.0 };
            let ext = last.x + advance(last.ch) * FS - trim + hyphen;
            // A squeezed line may also drop the blank half of a final 、。
            let half = if line.squeezed && matches!(last.ch, '、' | '。') {
                0.5 * FS
            } else {
                0.0
            };
            prop_assert!(
                line.width <= ext + EPS && line.width >= ext - half - EPS,
                "width {} vs {} in {:?}",
                line.width,
                ext,
                s
            );
        } else {
            prop_assert!(line.width.abs() < EPS);
        }

        // 6. Kinsoku and word integrity at each break between lines.
        if i + 1 == lines.len() || matches!(line.end, LineEnd::Mandatory | LineEnd::Emergency) {
            continue;
        }
        let next = &lines[i + 1];
        let next_s = &text[next.range.clone()];
        if let Some(last) = s.chars().last() {
            prop_assert!(!no_end(last), "line ends with {:?}: {:?}", last, s);
        }
        if let Some(first) = next_s.chars().next() {
            prop_assert!(
                !no_start(first),
                "line starts with {:?}: {:?}",
                first,
                next_s
            );
        }
        let (Some(a), Some(b)) = (s.chars().last(), next_s.chars().next()) else {
            continue;
        };
        let adjacent = line.range.end == next.range.start;
        if adjacent && word_char(a) && word_char(b) {
            // A word was split: only at a hyphenation point, with a hyphen.
            prop_assert_eq!(
                line.end,
                LineEnd::Hyphen,
                "split word at {}",
                line.range.end
            );
            let split = line.range.end;
            let start = text[..split]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| word_char(c))
                .last()
                .map_or(split, |(i, _)| i);
            let end = split
                + text[split..]
                    .char_indices()
                    .find(|&(_, c)| !word_char(c))
                    .map_or(text.len() - split, |(i, _)| i);
            let word = &text[start..end];
            prop_assert!(
                word.chars().all(|c| c.is_alphabetic() || is_mark(c)),
                "{:?}",
                word
            );
            let letters = |w: &str| w.chars().filter(|&c| !is_mark(c)).count();
            prop_assert!(letters(&text[start..split]) >= 2 && letters(&text[split..end]) >= 3);
            prop_assert!(letters(word) >= 5);
            prop_assert!(
                dict.hyphenate(word).breaks.contains(&(split - start)),
                "{:?} at {}",
                word,
                split - start
            );
            // The letters on both sides of the hyphen are the word's (a part
            // may itself continue on earlier or later lines when the word is
            // wider than a line).
            let on_line: String = s
                .chars()
                .rev()
                .take_while(|&c| word_char(c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let on_next: String = next_s.chars().take_while(|&c| word_char(c)).collect();
            prop_assert!(text[start..split].ends_with(&on_line));
            prop_assert!(text[split..end].starts_with(&on_next));
            prop_assert_eq!(
                format!("{}{}", &text[start..split], &text[split..end]),
                word
            );
        } else {
            prop_assert_ne!(line.end, LineEnd::Hyphen, "hyphen outside a word");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mixed_paragraphs_keep_every_rule(
        text in paragraph(),
        width_em in 1u32..=40,
        first_em in 1u32..=40,
        justify in any::<bool>(),
        hyphenate in any::<bool>(),
    ) {
        let dict = Standard::from_embedded(Language::EnglishUS).unwrap();
        let opts = Options {
            first_line_width: first_em as f32 * FS,
            line_width: width_em as f32 * FS,
            font_size: FS,
            justify,
            hyphenate,
            balance: false,
        };
        let lines = LineBreaker::new().break_paragraph(&text, &advance, &opts);
        check(&text, &opts, &lines, &dict)?;
    }

    #[test]
    fn fractional_widths_and_arbitrary_text_never_panic(
        text in "\\PC{0,80}",
        width in -5.0f32..400.0,
        justify in any::<bool>(),
        hyphenate in any::<bool>(),
    ) {
        let opts = Options { first_line_width: width, line_width: width, font_size: FS, justify, hyphenate, balance: false };
        let lines = LineBreaker::new().break_paragraph(&text, &advance, &opts);
        // Characters are kept in order and only whitespace is dropped.
        let mut cursor = 0;
        for line in &lines {
            prop_assert!(line.range.start >= cursor);
            prop_assert!(text[cursor..line.range.start].chars().all(char::is_whitespace));
            prop_assert_eq!(line.chars.len(), text[line.range.clone()].chars().count());
            cursor = line.range.end;
        }
        prop_assert!(text[cursor..].chars().all(char::is_whitespace));
    }
}
