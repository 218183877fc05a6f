//! Characters that must not reach an output: found in the raw `.ftl` text,
//! with their exact location, before anything is parsed.
//!
//! The plain-text export is pasted into CfP forms and the Markdown into
//! web pages; a NUL, BEL or ESC there is at best garbage and at worst an
//! escape sequence. BIDI overrides and isolates reorder what a reviewer
//! sees against what a machine reads ("Trojan source"), and zero-width
//! characters hide text inside words. None of them belongs in a talk
//! proposal, so they are errors that stop `build` — never silently dropped.

use crate::codes::Code;
use crate::diag::{Diagnostic, SourceFile};

/// At most this many findings per file: a file of a million NULs must not
/// become a million diagnostics.
const MAX_PER_FILE: usize = 50;

/// What is wrong with a character, if anything: (code, description).
fn classify(c: char, prev: Option<char>, next: Option<char>) -> Option<(Code, &'static str)> {
    match c {
        '\t' | '\n' => None,
        '\r' if next == Some('\n') => None,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some((Code::E0108, "control character")),
        '\u{202a}'..='\u{202e}' => Some((Code::E0109, "BIDI embedding or override")),
        '\u{2066}'..='\u{2069}' => Some((Code::E0109, "BIDI isolate")),
        '\u{200e}' | '\u{200f}' | '\u{61c}' => Some((Code::E0109, "BIDI mark")),
        '\u{200b}' | '\u{2060}'..='\u{2064}' | '\u{feff}' => {
            Some((Code::E0109, "invisible zero-width character"))
        }
        // Joiners are needed inside emoji sequences and some scripts; inside
        // Latin or Japanese words they only hide something.
        '\u{200c}' | '\u{200d}'
            if prev.is_some_and(is_plain_word) && next.is_some_and(is_plain_word) =>
        {
            Some((Code::E0109, "invisible zero-width joiner inside a word"))
        }
        _ => None,
    }
}

fn is_plain_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || crate::script::is_japanese_letter(c)
}

/// Every hazardous character in `file`, as located errors.
pub(crate) fn scan(file: &SourceFile) -> Vec<Diagnostic> {
    scan_allowing(file, |_| false)
}

/// Whether a locale is written right to left (Arabic, Hebrew, Persian, …):
/// its translators need the BIDI marks LRM, RLM and ALM to place numbers
/// and punctuation.
pub(crate) fn is_rtl_locale(locale: &str) -> bool {
    matches!(
        locale.split(['-', '_']).next().unwrap_or(locale),
        "ar" | "he" | "fa" | "ur" | "ckb" | "ps" | "sd" | "yi" | "dv" | "ug" | "syr" | "skr" | "ks"
    )
}

/// Whether a locale's script writes words without spaces (Thai, Lao, Khmer,
/// Burmese, Tibetan): its translators mark word breaks with U+200B.
pub(crate) fn is_unspaced_locale(locale: &str) -> bool {
    matches!(
        locale.split(['-', '_']).next().unwrap_or(locale),
        "th" | "lo" | "km" | "my" | "bo" | "dz"
    )
}

/// [`scan`] for a locale of an application (coverage mode) when
/// `application` is set: BIDI marks (LRM, RLM, ALM) in a right-to-left
/// locale and the zero-width space in a script without spaces are ordinary
/// typography there. Marks never reorder text the way embeddings,
/// overrides and isolates do, which stay errors everywhere, as does every
/// invisible character in other locales.
pub(crate) fn scan_for(file: &SourceFile, locale: &str, application: bool) -> Vec<Diagnostic> {
    let marks = application && is_rtl_locale(locale);
    let zwsp = application && is_unspaced_locale(locale);
    scan_allowing(file, |c| match c {
        '\u{200e}' | '\u{200f}' | '\u{61c}' => marks,
        '\u{200b}' => zwsp,
        _ => false,
    })
}

/// Whether `text` may hold a character [`classify`] flags, from its UTF-8
/// bytes alone (every such character's encoding starts with a byte no
/// other character's does at that place; a test checks all of them). A
/// clean file, the common case, skips the walk character by character.
fn may_flag(text: &str) -> bool {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied();
    (0..b.len()).any(|i| match b[i] {
        0x09 | 0x0A => false,
        0x0D => at(i + 1) != Some(0x0A),
        0x00..=0x1F | 0x7F => true,
        // C1 controls U+0080–U+009F; ALM U+061C.
        0xC2 => matches!(at(i + 1), Some(0x80..=0x9F)),
        0xD8 => at(i + 1) == Some(0x9C),
        // U+200B–U+200F, U+202A–U+202E, U+2060–U+2069.
        0xE2 => matches!(
            (at(i + 1), at(i + 2)),
            (Some(0x80), Some(0x8B..=0x8F | 0xAA..=0xAE)) | (Some(0x81), Some(0xA0..=0xA9))
        ),
        // U+FEFF.
        0xEF => at(i + 1) == Some(0xBB) && at(i + 2) == Some(0xBF),
        _ => false,
    })
}

fn scan_allowing(file: &SourceFile, allowed: impl Fn(char) -> bool) -> Vec<Diagnostic> {
    let text: &str = &file.text;
    if !may_flag(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut found = 0usize;
    let mut prev = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        if let Some((code, what)) = classify(c, prev, next).filter(|_| !allowed(c)) {
            found += 1;
            if found <= MAX_PER_FILE {
                out.push(
                    Diagnostic::error(code, format!("{what} U+{:04X} in the text", c as u32))
                        .at(file.at(i..i + c.len_utf8()))
                        .help(if code == Code::E0108 {
                            "delete it: control characters other than tab and line breaks end up raw in the exported text"
                        } else {
                            "delete it: invisible characters reorder or hide text, so what reviewers read is not what is exported"
                        }),
                );
            }
        }
        prev = Some(c);
    }
    if found > MAX_PER_FILE
        && let Some(last) = out.last_mut()
    {
        last.notes.push(format!(
            "{} more such characters in this file are not listed",
            found - MAX_PER_FILE
        ));
    }
    out
}

/// Why a link target is refused, if it is: its scheme is not one of
/// `http`, `https`, `mailto` or the project's `allowed` ones. Relative
/// targets (no scheme) are fine.
///
/// Follows the WHATWG URL parser on the tricks browsers accept: leading
/// spaces and control characters are stripped, and tabs and newlines
/// inside the URL are ignored (`java\tscript:` is `javascript:`).
pub(crate) fn refused_scheme(url: &str, allowed: &[String]) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if !cleaned[end..].starts_with(':') {
        return None; // a relative reference
    }
    let scheme = cleaned[..end].to_ascii_lowercase();
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if valid
        && (matches!(scheme.as_str(), "http" | "https" | "mailto")
            || allowed.iter().any(|a| a.eq_ignore_ascii_case(&scheme)))
    {
        None
    } else {
        Some(scheme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan never misses what the character walk flags: every
    /// character, alone and between letters (Latin and Japanese, for the
    /// joiners), and CR before and not before LF.
    #[test]
    fn the_byte_prefilter_sees_every_flagged_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for (prev, next) in [
                (None, None),
                (Some('a'), Some('b')),
                (Some('あ'), Some('い')),
            ] {
                if super::classify(c, prev, next).is_some() {
                    let s: String = prev.into_iter().chain([c]).chain(next).collect();
                    assert!(super::may_flag(&s), "U+{:04X} in {s:?}", c as u32);
                }
            }
        }
        assert!(!super::may_flag("a\r\nb — “…” テレメトリー、ＳＲＥ\t"));
        assert!(super::may_flag("a\rb"));
        assert!(super::may_flag("a\r"));
    }

    #[test]
    fn schemes() {
        let none: Vec<String> = Vec::new();
        assert_eq!(refused_scheme("https://example.com/a:b", &none), None);
        assert_eq!(refused_scheme("mailto:a@b.c", &none), None);
        assert_eq!(refused_scheme("slides/a.pdf", &none), None);
        assert_eq!(refused_scheme("#top", &none), None);
        assert_eq!(refused_scheme("?q=a:b", &none), None);
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "vbscript:msgbox",
        ] {
            assert!(refused_scheme(bad, &none).is_some(), "{bad:?}");
        }
        assert_eq!(refused_scheme("ftp://x", &["FTP".to_string()]), None);
    }

    #[test]
    fn scan_finds_and_locates() {
        let f = SourceFile::new(
            "a.ftl",
            "a = x\u{1b}[2J\nb = \u{202e}evil\r\nc = ok\r\nd = a\u{200d}b 👨\u{200d}👩\n",
        );
        let found = scan(&f);
        let codes: Vec<(&str, usize, usize)> = found
            .iter()
            .map(|d| {
                let l = d.location.as_ref().unwrap();
                (d.code.as_str(), l.line, l.column)
            })
            .collect();
        assert_eq!(
            codes,
            vec![("E0108", 1, 6), ("E0109", 2, 5), ("E0109", 4, 6)]
        );
    }
}
