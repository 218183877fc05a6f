//! Typesetting figures over laid-out lines and extracted text: what the
//! sweep (`cargo run --release --example sweep`) prints and the typesetting
//! tests assert. Nothing here is used by a build.

use super::layout::{LineKind, LineRecord};
use super::linebreak::{LineEnd, is_latin_alnum, is_no_end, is_no_start};
use crate::script::is_japanese_letter;

/// A gap between two kana/kanji this wide (in em) or wider is visible
/// letter-spacing, and text extractors read it as a word space.
pub const WIDE_GAP: f32 = 0.1;

/// Figures over a set of lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Lines measured.
    pub lines: usize,
    /// Lines starting with a character that must not start a line, or
    /// ending with one that must not end a line.
    pub kinsoku: usize,
    /// Lines with a gap of [`WIDE_GAP`] em or more between two kana/kanji.
    pub wide_gaps: usize,
    /// Lines with a gap above 0.2 em between two kana/kanji.
    pub very_wide_gaps: usize,
    /// The widest gap between two kana/kanji on a line, in em.
    pub max_gap: f32,
    /// The narrowest and widest space between a kana/kanji and a Latin
    /// letter or digit (和欧間), in em.
    pub wa_ou: Option<(f32, f32)>,
    /// Lines ending at an automatic hyphen.
    pub hyphens: usize,
    /// Hyphenated breaks in a title or heading.
    pub heading_hyphens: usize,
    /// Last lines of a paragraph holding only the tail of a word hyphenated
    /// on the line before.
    pub tail_only: usize,
    /// Last lines of a paragraph of several lines holding at most three
    /// letters (Japanese) or a single word shorter than a fifth of the
    /// line (other text).
    pub runts: usize,
    /// Lines of a justified paragraph that end at a break but do not reach
    /// the right margin.
    pub unjustified: usize,
    /// Lines set tighter than their natural width (追い込み).
    pub squeezed: usize,
}

fn gap_em(r: &LineRecord, i: usize) -> f32 {
    let (a, b) = (&r.line.chars[i], &r.line.chars[i + 1]);
    if r.size > 0.0 {
        (b.x - a.x - r.advances[i]) / r.size
    } else {
        0.0
    }
}

/// Measures `lines` (one document or several).
pub fn measure(lines: &[LineRecord]) -> Figures {
    let mut f = Figures::default();
    for n in 0..lines.len() {
        f.add(&measure_line(lines, n));
    }
    f
}

impl Figures {
    fn add(&mut self, o: &Figures) {
        self.lines += o.lines;
        self.kinsoku += o.kinsoku;
        self.wide_gaps += o.wide_gaps;
        self.very_wide_gaps += o.very_wide_gaps;
        self.max_gap = self.max_gap.max(o.max_gap);
        self.wa_ou = match (self.wa_ou, o.wa_ou) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (a, b) => a.or(b),
        };
        self.hyphens += o.hyphens;
        self.heading_hyphens += o.heading_hyphens;
        self.tail_only += o.tail_only;
        self.runts += o.runts;
        self.unjustified += o.unjustified;
        self.squeezed += o.squeezed;
    }

    /// Names of the problems counted (for listing the lines that have any).
    pub fn problems(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for (n, name) in [
            (self.kinsoku, "kinsoku"),
            (self.wide_gaps, "gap>=0.1em"),
            (self.heading_hyphens, "hyphen-in-heading"),
            (self.tail_only, "tail-only"),
            (self.runts, "runt"),
            (self.unjustified, "unjustified"),
        ] {
            if n > 0 {
                out.push(name);
            }
        }
        out
    }
}

/// The figures of line `n` of `lines` alone (it looks at the line before
/// for a hyphen).
pub fn measure_line(lines: &[LineRecord], n: usize) -> Figures {
    let r = &lines[n];
    let mut f = Figures {
        lines: 1,
        ..Figures::default()
    };
    {
        let chars = &r.line.chars;
        let first = r.text.chars().find(|c| !c.is_whitespace());
        let last = r.text.chars().rev().find(|c| !c.is_whitespace());
        let hyphen = r.line.end == LineEnd::Hyphen;
        // A paragraph may start with anything and end with anything.
        let starts_paragraph = r.index == 0
            || (n > 0 && matches!(lines[n - 1].line.end, LineEnd::Mandatory | LineEnd::End));
        let ends_paragraph = matches!(r.line.end, LineEnd::Mandatory | LineEnd::End);
        if (!starts_paragraph && first.is_some_and(is_no_start))
            || (!hyphen && !ends_paragraph && last.is_some_and(is_no_end))
        {
            f.kinsoku += 1;
        }
        let mut widest = 0.0f32;
        for i in 0..chars.len().saturating_sub(1) {
            let (a, b) = (chars[i].ch, chars[i + 1].ch);
            let g = gap_em(r, i);
            if is_japanese_letter(a) && is_japanese_letter(b) {
                widest = widest.max(g);
            }
            if (is_japanese_letter(a) && is_latin_alnum(b))
                || (is_latin_alnum(a) && is_japanese_letter(b))
            {
                let (lo, hi) = f.wa_ou.unwrap_or((g, g));
                f.wa_ou = Some((lo.min(g), hi.max(g)));
            }
        }
        if widest >= WIDE_GAP - 1e-4 {
            f.wide_gaps += 1;
        }
        if widest > 0.2 + 1e-4 {
            f.very_wide_gaps += 1;
        }
        f.max_gap = f.max_gap.max(widest);
        if r.line.squeezed {
            f.squeezed += 1;
        }
        if hyphen {
            f.hyphens += 1;
            if matches!(r.kind, LineKind::Title | LineKind::Heading) {
                f.heading_hyphens += 1;
            }
        }
        let after_hyphen = n > 0 && r.index > 0 && lines[n - 1].line.end == LineEnd::Hyphen;
        let last = r.index + 1 == r.count;
        if after_hyphen
            && last
            && !r.text.trim().contains(char::is_whitespace)
            && !r.text.chars().any(is_japanese_letter)
        {
            f.tail_only += 1;
        }
        if r.count > 1 && r.index + 1 == r.count && r.line.end == LineEnd::End {
            let letters = r.text.chars().filter(|c| c.is_alphanumeric()).count();
            let japanese = r.text.chars().any(is_japanese_letter);
            let runt = if japanese {
                letters <= 3
            } else {
                !r.text.trim().contains(char::is_whitespace) && r.line.width < r.avail / 5.0
            };
            if runt {
                f.runts += 1;
            }
        }
        if r.justify
            && matches!(
                r.line.end,
                LineEnd::Soft | LineEnd::Hyphen | LineEnd::Emergency
            )
            && r.line.width < r.avail - 0.5
        {
            f.unjustified += 1;
        }
    }
    f
}

/// Japanese text as extraction sees it: Japanese letters (kana, kanji:
/// [`crate::script`]) and the punctuation and full-width forms set with
/// them, but not the ideographic space.
fn is_japanese(c: char) -> bool {
    is_japanese_letter(c)
        || matches!(c,
            '\u{3001}'..='\u{303F}' | '\u{3099}'..='\u{309C}' | '\u{30A0}' | '\u{30FB}'
            | '\u{FF01}'..='\u{FFEF}')
}

/// Runs of ASCII spaces between two Japanese characters.
fn spaces_inside_japanese(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut count = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            let start = i;
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            if start > 0
                && i < chars.len()
                && is_japanese(chars[start - 1])
                && is_japanese(chars[i])
            {
                count += 1;
            }
            continue;
        }
        i += 1;
    }
    count
}

/// Spaces between two Japanese characters in `extracted` (the output of a
/// text extractor) beyond those in `source` (the document's plain text).
pub fn spurious_spaces(extracted: &str, source: &str) -> usize {
    spaces_inside_japanese(extracted).saturating_sub(spaces_inside_japanese(source))
}

/// Words of `source` split at a line-end hyphen in `extracted` ("en-" /
/// "gineering" where the source has "engineering"): an automatic hyphen
/// that extraction kept. A real hyphen ("well-" / "known") is not counted.
pub fn split_words(extracted: &str, source: &str) -> usize {
    let lines: Vec<&str> = extracted.lines().map(str::trim).collect();
    let mut n = 0;
    for (i, l) in lines.iter().enumerate() {
        let Some(head) = l.strip_suffix('-') else {
            continue;
        };
        let left: String = head
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let next = lines[i + 1..].iter().find(|l| !l.is_empty()).copied();
        let right: String = next
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect();
        if left.is_empty() || right.is_empty() {
            continue;
        }
        let whole = format!("{left}{right}");
        let hyphenated = format!("{left}-{right}");
        if source.contains(&whole) && !source.contains(&hyphenated) {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_inside_japanese_are_counted_once_per_run() {
        assert_eq!(spurious_spaces("信 頼 性  も Rust の", "信頼性も"), 3);
        assert_eq!(spurious_spaces("信頼性も Rust", "信頼性も"), 0);
    }

    #[test]
    fn split_words_are_line_end_hyphens_before_lowercase() {
        let source = "engineering and well-known X-Ray";
        assert_eq!(split_words("en-\ngineering and X-\nRay", source), 1);
        assert_eq!(split_words("well-\nknown", source), 0);
    }
}
