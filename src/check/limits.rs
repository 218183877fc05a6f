//! Character limits, counted the way conference forms count.
//!
//! What is counted is what the author pastes: the plain-text export of the
//! document's body (no title), NFC-normalised. No form documents its rule,
//! so besides the limit's own rule every other common count is reported, and
//! a text that passes only under some rules gets a warning.

use crate::codes::Code;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::content::LimitSpec;
use crate::diag::{Diagnostic, Location};
use crate::document::Document;
use crate::project::Project;
use crate::render::text;

/// How characters are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rule {
    /// Unicode scalar values, a line break counts as one (the default).
    Chars,
    /// UTF-16 code units: what HTML `maxlength` counts.
    Utf16,
    /// Scalar values with every line break counted as two (CRLF on submission).
    Crlf,
    /// User-perceived characters (extended grapheme clusters).
    Graphemes,
    /// Words (UAX #29), for limits given in words.
    Words,
}

impl Rule {
    /// Every rule, in the order the README and the counts line list them.
    pub const ALL: [Rule; 5] = [
        Rule::Chars,
        Rule::Utf16,
        Rule::Crlf,
        Rule::Graphemes,
        Rule::Words,
    ];

    /// The rule named `s` in `content/project.toml` (`chars`, `utf16`, …).
    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == s)
    }

    /// The rule's name as written in `content/project.toml` and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Chars => "chars",
            Rule::Utf16 => "utf16",
            Rule::Crlf => "crlf",
            Rule::Graphemes => "graphemes",
            Rule::Words => "words",
        }
    }

    /// How a person would describe the rule.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Rule::Chars => "counting characters with a line break as one",
            Rule::Utf16 => "counting UTF-16 code units (HTML maxlength)",
            Rule::Crlf => "counting a line break as two (CRLF)",
            Rule::Graphemes => "counting grapheme clusters",
            Rule::Words => "counting words",
        }
    }

    /// The count of `text` under this rule.
    pub fn count(self, text: &str) -> usize {
        match self {
            Rule::Chars => text.chars().count(),
            Rule::Utf16 => text.encode_utf16().count(),
            Rule::Crlf => text.chars().count() + text.matches('\n').count(),
            Rule::Graphemes => text.graphemes(true).count(),
            Rule::Words => text.unicode_words().count(),
        }
    }

    /// Byte offset in `text` of the first unit beyond `max`, if any.
    fn crossing(self, text: &str, max: usize) -> Option<usize> {
        let mut n = 0;
        match self {
            Rule::Graphemes => text.grapheme_indices(true).nth(max).map(|(i, _)| i),
            Rule::Words => text.unicode_word_indices().nth(max).map(|(i, _)| i),
            _ => {
                for (i, c) in text.char_indices() {
                    n += match self {
                        Rule::Utf16 => c.len_utf16(),
                        Rule::Crlf if c == '\n' => 2,
                        _ => 1,
                    };
                    if n > max {
                        return Some(i);
                    }
                }
                None
            }
        }
    }
}

/// Counts of one text under every rule.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Unicode scalar values after NFC: what most forms count.
    pub chars: usize,
    /// UTF-16 code units: what JavaScript's `length` counts.
    pub utf16: usize,
    /// Characters with each line break counted as two (CR LF, as an HTML form
    /// submits it).
    pub crlf: usize,
    /// Extended grapheme clusters: what a reader sees as one character.
    pub graphemes: usize,
    /// Words (Unicode word boundaries), for forms with a word limit.
    pub words: usize,
}

impl Counts {
    /// Every count of `text`, at once (the report shows them all).
    pub fn of(text: &str) -> Counts {
        Counts {
            chars: Rule::Chars.count(text),
            utf16: Rule::Utf16.count(text),
            crlf: Rule::Crlf.count(text),
            graphemes: Rule::Graphemes.count(text),
            words: Rule::Words.count(text),
        }
    }

    /// The count under `rule`.
    pub fn get(&self, rule: Rule) -> usize {
        match rule {
            Rule::Chars => self.chars,
            Rule::Utf16 => self.utf16,
            Rule::Crlf => self.crlf,
            Rule::Graphemes => self.graphemes,
            Rule::Words => self.words,
        }
    }
}

/// Where a text first goes over its limit.
#[derive(Debug, Clone, Serialize)]
pub struct Crossing {
    /// The message in which the limit is crossed, if known.
    pub message_id: Option<String>,
    /// Up to 20 characters before the first character over the limit.
    pub before: String,
    /// The first characters over the limit.
    pub after: String,
}

/// The result of one limit.
#[derive(Debug, Clone, Serialize)]
pub struct LimitReport {
    /// The limited document.
    pub document: String,
    /// The locale the limit applies to.
    pub locale: String,
    /// How characters are counted.
    pub rule: Rule,
    /// The limit.
    pub max: usize,
    /// The count under `rule`.
    pub count: usize,
    /// The text's count under every rule, so a user can see what other forms
    /// would say.
    pub counts: Counts,
    /// `ok`, `warning` (over only under another rule) or `over`.
    pub status: &'static str,
    /// Where the limit is crossed, when it is.
    pub crossing: Option<Crossing>,
}

impl LimitReport {
    /// `max - count`; negative when over.
    pub(crate) fn remaining(&self) -> i64 {
        self.max as i64 - self.count as i64
    }
}

/// The body text and, per message, its byte range in it.
fn body_with_segments(
    doc: &crate::document::Document,
) -> (String, Vec<(std::ops::Range<usize>, String)>) {
    let body: String = text::body_text(doc).nfc().collect();
    let mut segments = Vec::new();
    let mut cursor = 0;
    for t in doc
        .texts()
        .into_iter()
        .skip(usize::from(doc.title.is_some()))
    {
        let piece: String = text::inlines(&t.inlines).nfc().collect();
        if piece.is_empty() {
            continue;
        }
        if let Some(pos) = body[cursor..].find(&piece) {
            let start = cursor + pos;
            segments.push((start..start + piece.len(), t.message_id.clone()));
            cursor = start + piece.len();
        }
    }
    (body, segments)
}

/// Counts of a limited document in a locale that has no limit of its own
/// (the English abstract beside the Japanese one): what the author needs
/// when a second form asks for the translation too.
#[derive(Debug, Clone, Serialize)]
pub struct UnlimitedCounts {
    /// The limited document.
    pub document: String,
    /// A locale without a limit for it.
    pub locale: String,
    /// The text's count under every rule.
    pub counts: Counts,
}

/// For every document that has a limit in some locale, its counts in each
/// locale without one.
pub(crate) fn unlimited_counts(project: &Project, docs: &[Document]) -> Vec<UnlimitedCounts> {
    let limits = &project.content.config.limits;
    let mut documents: Vec<&String> = limits.iter().map(|l| l.document.get_ref()).collect();
    documents.sort();
    documents.dedup();
    let mut out = Vec::new();
    for document in documents {
        for locale in project.content.locales() {
            let limited = limits
                .iter()
                .any(|l| l.document.get_ref() == document && *l.locale.get_ref() == locale);
            if limited {
                continue;
            }
            let Some(doc) = find(docs, document, &locale) else {
                continue;
            };
            let (body, _) = body_with_segments(doc);
            out.push(UnlimitedCounts {
                document: document.clone(),
                locale,
                counts: Counts::of(&body),
            });
        }
    }
    out
}

/// The largest `max` a limit may have.
const MAX_LIMIT: usize = 1_000_000_000;

/// The assembled document `name` in `locale`, if it assembled.
fn find<'a>(docs: &'a [Document], name: &str, locale: &str) -> Option<&'a Document> {
    docs.iter().find(|d| d.name == name && d.locale == locale)
}

/// Every limit of `content/project.toml`, counted on `docs` (every document
/// assembled once by `check`).
pub(crate) fn check(
    project: &Project,
    docs: &[Document],
    out: &mut Vec<Diagnostic>,
) -> Vec<LimitReport> {
    let mut reports = Vec::new();
    let file = &project.content.project_file;
    for spec in &project.content.config.limits {
        let LimitSpec {
            document,
            locale,
            max,
            count,
        } = spec;
        let bad = |span: std::ops::Range<usize>, msg: String, help: &str| {
            Diagnostic::error(Code::L003, msg)
                .at(file.at(span))
                .help(help.to_string())
        };
        // A limit beyond any real form (or negative) is a typo; it must not
        // wrap around in the arithmetic that follows.
        let max_at = max.span();
        let max = match usize::try_from(*max.get_ref()) {
            Ok(m) if (1..=MAX_LIMIT).contains(&m) => m,
            _ => {
                out.push(bad(
                    max_at,
                    format!("`max = {}` is not a usable limit", max.get_ref()),
                    "give a number of characters (or words) between 1 and 1000000000",
                ));
                continue;
            }
        };
        let max = &max;
        let Some(rule) = Rule::parse(count.get_ref()) else {
            out.push(bad(
                count.span(),
                format!("unknown counting rule `{}`", count.get_ref()),
                "use one of: chars, utf16, crlf, graphemes, words",
            ));
            continue;
        };
        if !project.content.documents.contains_key(document.get_ref()) {
            out.push(bad(
                document.span(),
                format!("limit on unknown document `{}`", document.get_ref()),
                "name a file in content/documents/ without .toml",
            ));
            continue;
        }
        if project.catalog.locale(locale.get_ref()).is_none() {
            out.push(bad(
                locale.span(),
                format!("limit on unknown locale `{}`", locale.get_ref()),
                "name a locale listed in `locales`",
            ));
            continue;
        }
        // Documents that failed to assemble were reported by the pre-flight.
        let Some(doc) = find(docs, document.get_ref(), locale.get_ref()) else {
            continue;
        };
        let (body, segments) = body_with_segments(doc);
        let counts = Counts::of(&body);
        let n = counts.get(rule);
        let other_over: Vec<Rule> = [Rule::Chars, Rule::Utf16, Rule::Crlf, Rule::Graphemes]
            .into_iter()
            .filter(|r| *r != rule && rule != Rule::Words && counts.get(*r) > *max)
            .collect();
        let status = if n > *max {
            "over"
        } else if !other_over.is_empty() {
            "warning"
        } else {
            "ok"
        };
        let crossing_rule = if n > *max {
            Some(rule)
        } else {
            other_over.first().copied()
        };
        let crossing_at = crossing_rule.and_then(|r| r.crossing(&body, *max));
        // The message the crossing is in; a crossing on the line breaks
        // between two messages belongs to the one that ends there.
        let crossing_segment = crossing_at.and_then(|at| {
            segments
                .iter()
                .find(|(range, _)| range.contains(&at))
                .or_else(|| segments.iter().rev().find(|(range, _)| range.end <= at))
        });
        // The message's own text just before the crossing (up to 20
        // characters; no list marker or line break between messages), to
        // find in its `.ftl` source, and how far into the message it ends.
        let in_message = crossing_at
            .zip(crossing_segment)
            .map(|(at, (range, _))| {
                let end = at.min(range.end);
                let text = &body[range.start..end];
                let tail_start = text.char_indices().rev().nth(19).map_or(0, |(i, _)| i);
                (text[tail_start..].to_string(), text.chars().count())
            })
            .unwrap_or_default();
        let crossing = crossing_at.map(|at| {
            let message_id = crossing_segment.map(|(_, id)| id.clone());
            let before: String = {
                let chars: Vec<char> = body[..at].chars().collect();
                chars[chars.len().saturating_sub(20)..].iter().collect()
            };
            let after: String = body[at..].chars().take(10).collect();
            Crossing {
                message_id,
                before,
                after,
            }
        });
        let what = format!("`{}` ({})", document.get_ref(), locale.get_ref());
        let location = crossing
            .as_ref()
            .and_then(|c| c.message_id.as_ref())
            .and_then(|id| {
                locate_in_source(project, locale.get_ref(), id, &in_message.0, in_message.1)
            })
            .unwrap_or_else(|| file.at(max_span(spec)));
        if status == "over" {
            let c = crossing.as_ref();
            let mut d = Diagnostic::error(
                Code::L001,
                format!(
                    "{what} is {n} {} long, {} over the limit of {max}",
                    unit(rule),
                    n - max
                ),
            )
            .at(location)
            .help("shorten the text; `talkdoc check` shows the counts after each edit");
            if let Some(c) = c {
                d = d.note(format!(
                    "the limit is crossed here: …{}⟨over⟩{}…",
                    visible_breaks(&c.before),
                    visible_breaks(&c.after)
                ));
                if let Some(id) = &c.message_id {
                    d.message_id = Some(id.clone());
                }
            }
            out.push(d);
        } else if status == "warning" {
            let fails: Vec<String> = other_over
                .iter()
                .map(|r| format!("fails {} ({}/{max})", r.describe(), counts.get(*r)))
                .collect();
            let mut d = Diagnostic::warning(
                Code::L002,
                format!(
                    "{what} passes {} ({n}/{max}); {}",
                    rule.describe(),
                    fails.join("; ")
                ),
            )
            .at(location)
            .help("if the form may count that way, shorten the text to be safe");
            // Like L001: where the first failing rule is crossed, and in which message.
            if let (Some(c), Some(r)) = (crossing.as_ref(), other_over.first()) {
                d = d.note(format!(
                    "{}, the limit is crossed here: …{}⟨over⟩{}…",
                    r.describe(),
                    visible_breaks(&c.before),
                    visible_breaks(&c.after)
                ));
                d.message_id.clone_from(&c.message_id);
            }
            out.push(d);
        }
        reports.push(LimitReport {
            document: document.get_ref().clone(),
            locale: locale.get_ref().clone(),
            rule,
            max: *max,
            count: n,
            counts,
            status,
            crossing,
        });
    }
    reports
}

/// Line breaks shown as `⏎`, so a note about a crossing stays on one line.
fn visible_breaks(s: &str) -> String {
    s.replace('\n', "⏎")
}

fn unit(rule: Rule) -> &'static str {
    match rule {
        Rule::Words => "words",
        Rule::Utf16 => "UTF-16 units",
        Rule::Graphemes => "graphemes",
        _ => "characters",
    }
}

fn max_span(spec: &LimitSpec) -> std::ops::Range<usize> {
    spec.document.span()
}

/// The position in the `.ftl` source of the text just before the crossing,
/// so the author lands on the right spot; falls back to the message ID.
/// `offset` is the crossing's distance in characters from the start of the
/// message's text: when the text before the crossing occurs more than once
/// in the entry (repeated phrases), the occurrence nearest to it wins.
fn locate_in_source(
    project: &Project,
    locale: &str,
    id: &str,
    before: &str,
    offset: usize,
) -> Option<Location> {
    let cat = project.catalog.locale(locale)?;
    let entry = cat.entry(id)?;
    let file = cat.files.get(entry.file)?;
    let start = entry.span.start;
    // Search the entry's text (until the next entry at column 0).
    let rest = &file.text[start..];
    let end = rest
        .match_indices('\n')
        .find(|(i, _)| {
            rest[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace())
        })
        .map_or(rest.len(), |(i, _)| i);
    let entry_text = &rest[..end];
    let needle: String = before
        .chars()
        .rev()
        .take_while(|c| *c != '\n')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if needle.is_empty() {
        return cat.location(entry);
    }
    // Where the value starts: after `=` and the spaces or line break after it.
    let value_start = entry_text.find('=').map_or(0, |i| {
        let after = &entry_text[i + 1..];
        i + 1 + (after.len() - after.trim_start().len())
    });
    let value_chars = entry_text[..value_start].chars().count();
    // Overlapping matches: in a run of one repeated character every
    // position matches.
    // Character positions are counted as the scan goes: linear in the
    // entry, however many matches there are.
    let needle_chars = needle.chars().count();
    let best = entry_text
        .char_indices()
        .enumerate()
        .filter(|(_, (pos, _))| entry_text[*pos..].starts_with(needle.as_str()))
        .map(|(ci, (pos, _))| (pos + needle.len(), ci + needle_chars))
        .min_by_key(|&(_, chars)| chars.abs_diff(value_chars + offset));
    match best {
        Some((end, _)) => Some(file.at(start + end..start + end + 1)),
        None => cat.location(entry),
    }
}
