//! Diagnostics: everything talkdoc tells the user about their input.
//!
//! One type serves both the build (where an error stops the run) and
//! `talkdoc check` (where findings are collected and reported together), so a
//! broken `.ftl` file reads the same whichever command found it. Locations
//! keep the whole source text so the renderer can show the offending line.

use std::fmt;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::codes::Code;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Reported; does not fail `check` unless `--deny-warnings`.
    Warning,
    /// Fails the command (`build` writes nothing, `check` exits 1).
    Error,
}

impl Severity {
    /// `warning` or `error`, as printed and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A text file held in memory with a display path, shared by all
/// diagnostics that point into it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user (relative to the project when possible).
    pub path: PathBuf,
    /// The whole text, shared by every diagnostic that points into it.
    pub text: Arc<str>,
    /// Byte offset of the start of every line, so that locating a finding
    /// costs a binary search, not a scan of the file (a check with
    /// thousands of findings in a large file must stay linear).
    line_starts: Arc<[usize]>,
}

impl SourceFile {
    pub(crate) fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let start = self.line_starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// A location covering `span` (byte offsets) in this file.
    pub(crate) fn at(&self, span: Range<usize>) -> Location {
        let start = floor_char_boundary(&self.text, span.start.min(self.text.len()));
        let end = floor_char_boundary(&self.text, span.end.clamp(start, self.text.len()));
        let (line, column) = self.line_col(start);
        Location {
            path: self.path.clone(),
            line,
            column,
            source: Some((self.text.clone(), start..end)),
        }
    }
}

/// 1-based line and column (counted in characters) of a byte offset in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where a diagnostic points.
#[derive(Debug, Clone)]
pub struct Location {
    /// The file, as shown to the user.
    pub path: PathBuf,
    /// 1-based line; 0 for a file as a whole.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The whole file and the byte span, when the text is available.
    pub source: Option<(Arc<str>, Range<usize>)>,
}

impl Location {
    /// A location for a file as a whole (e.g. one that could not be read).
    pub(crate) fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: 0,
            column: 0,
            source: None,
        }
    }

    /// The line the location points at, without its line ending.
    pub(crate) fn source_line(&self) -> Option<&str> {
        let (text, span) = self.source.as_ref()?;
        let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[span.start..]
            .find('\n')
            .map_or(text.len(), |i| span.start + i);
        Some(text[start..end].trim_end_matches('\r'))
    }
}

impl Location {
    /// The source line, shortened to about `max` characters around the
    /// column with `…` where cut: a 10 MB line must not flood the terminal.
    pub(crate) fn source_excerpt(&self, max: usize) -> Option<String> {
        let line = self.source_line()?;
        let chars: Vec<char> = line.chars().collect();
        if chars.len() <= max {
            return Some(line.to_string());
        }
        let col = self.column.saturating_sub(1).min(chars.len());
        let start = col
            .saturating_sub(max / 2)
            .min(chars.len().saturating_sub(max));
        let end = (start + max).min(chars.len());
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        out.extend(&chars[start..end]);
        if end < chars.len() {
            out.push('…');
        }
        Some(out)
    }
}

/// Longest source line shown in full in a diagnostic.
const MAX_SHOWN_LINE: usize = 240;

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.path.display())
        } else {
            write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
        }
    }
}

/// One finding or error.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning (`--deny-warnings` turns warnings into errors).
    pub severity: Severity,
    /// Stable code, e.g. `E0101`, documented in the README.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Boxed: keeps `Result<_, Diagnostic>` small.
    pub location: Option<Box<Location>>,
    /// The Fluent message (or document) the finding is about.
    pub message_id: Option<String>,
    /// What to do about it.
    pub help: Option<Box<str>>,
    /// Extra lines of context (e.g. old and new source text of a stale message).
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub(crate) fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            message_id: None,
            help: None,
            notes: Vec::new(),
        }
    }

    pub(crate) fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub(crate) fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    pub(crate) fn at_opt(mut self, location: Option<Location>) -> Self {
        self.location = location.map(Box::new);
        self
    }

    pub(crate) fn id(mut self, id: impl Into<String>) -> Self {
        self.message_id = Some(id.into());
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// A one-line summary: `error[E0101] file:1:2: message`.
    pub fn headline(&self) -> String {
        let mut s = format!("{}[{}]", self.severity.as_str(), self.code);
        if let Some(loc) = &self.location {
            s.push_str(&format!(" {loc}"));
        }
        s.push_str(": ");
        if let Some(id) = &self.message_id {
            s.push_str(&format!("{id}: "));
        }
        s.push_str(&self.message);
        s
    }

    fn to_codespan(&self) -> (CsDiagnostic<()>, Option<Indexed>) {
        let cs = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut message = self.message.clone();
        if let Some(id) = &self.message_id {
            message = format!("{id}: {message}");
        }
        let mut cs = cs.with_code(self.code).with_message(message);
        let mut file = None;
        if let Some(loc) = &self.location {
            let long = loc
                .source_line()
                .is_some_and(|l| l.chars().count() > MAX_SHOWN_LINE);
            if let (Some((text, span)), false) = (&loc.source, long) {
                file = Some(Indexed::new(loc.path.display().to_string(), text));
                cs = cs.with_labels(vec![Label::primary((), span.clone())]);
            } else {
                let mut notes = vec![format!("at {loc}")];
                if let Some(excerpt) = loc.source_excerpt(80) {
                    notes.push(format!("    {excerpt}"));
                }
                cs = cs.with_notes(notes);
            }
        }
        let mut notes = self.notes.clone();
        if let Some(help) = &self.help {
            notes.push(format!("help: {help}"));
        }
        if !notes.is_empty() {
            cs.notes.extend(notes);
        }
        (cs, file)
    }

    /// Renders the diagnostic rustc-style, with the source line when known.
    pub fn render(&self, color: bool) -> String {
        let (cs, file) = self.for_terminal().to_codespan();
        let config = term::Config::default();
        let mut buffer = if color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        let empty = Indexed::new(String::new(), &Arc::<str>::from(""));
        let files = file.as_ref().unwrap_or(&empty);
        if term::emit_to_write_style(&mut buffer, &config, files, &cs).is_err() {
            return format!("{}\n", self.headline());
        }
        String::from_utf8_lossy(buffer.as_slice()).into_owned()
    }
}

/// One source text for codespan, with its line starts computed once per
/// text for the whole run. codespan's `SimpleFile` computes them each time
/// it is made, which is once per finding: with thousands of findings in
/// one file, rendering the report took time quadratic in the file (16,000
/// unused messages: 4 s).
struct Indexed {
    name: String,
    text: Arc<str>,
    starts: Arc<[usize]>,
}

/// A text (held weakly) and its line starts.
type LineStarts = (std::sync::Weak<str>, Arc<[usize]>);

thread_local! {
    /// Line starts by text, kept while the text lives (a text freed and
    /// another made at the same address is told apart by the weak
    /// reference).
    static LINE_STARTS: std::cell::RefCell<Vec<LineStarts>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl Indexed {
    fn new(name: String, text: &Arc<str>) -> Indexed {
        let starts = LINE_STARTS.with(|cache| {
            let mut cache = cache.borrow_mut();
            cache.retain(|(weak, _)| weak.strong_count() > 0);
            if let Some((_, starts)) = cache
                .iter()
                .find(|(weak, _)| weak.upgrade().is_some_and(|t| Arc::ptr_eq(&t, text)))
            {
                return starts.clone();
            }
            let starts: Arc<[usize]> = codespan_reporting::files::line_starts(text).collect();
            cache.push((Arc::downgrade(text), starts.clone()));
            starts
        });
        Indexed {
            name,
            text: text.clone(),
            starts,
        }
    }

    /// As `SimpleFile::line_start`.
    fn line_start(&self, line: usize) -> Result<usize, FilesError> {
        match line.cmp(&self.starts.len()) {
            std::cmp::Ordering::Less => Ok(self.starts[line]),
            std::cmp::Ordering::Equal => Ok(self.text.len()),
            std::cmp::Ordering::Greater => Err(FilesError::LineTooLarge {
                given: line,
                max: self.starts.len() - 1,
            }),
        }
    }
}

impl<'a> Files<'a> for Indexed {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte: usize) -> Result<usize, FilesError> {
        Ok(self
            .starts
            .binary_search(&byte)
            .unwrap_or_else(|next| next - 1))
    }

    fn line_range(&'a self, (): (), line: usize) -> Result<Range<usize>, FilesError> {
        Ok(self.line_start(line)?..self.line_start(line + 1)?)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())
    }
}

/// A failure that stops a command: one or more error diagnostics.
#[derive(Debug, Clone)]
pub struct Error {
    /// At least one error diagnostic.
    pub diagnostics: Vec<Diagnostic>,
    /// Files the failed command changed nonetheless (an output swap that
    /// could not be undone). Empty means nothing was written.
    pub changed: Vec<PathBuf>,
}

impl Error {
    pub(crate) fn new(diagnostic: Diagnostic) -> Self {
        Error {
            diagnostics: vec![diagnostic],
            changed: Vec::new(),
        }
    }

    pub(crate) fn many(diagnostics: Vec<Diagnostic>) -> Self {
        Error {
            diagnostics,
            changed: Vec::new(),
        }
    }

    /// An I/O failure on `path`, with advice.
    pub fn io(code: Code, what: &str, path: &Path, err: &std::io::Error) -> Self {
        let help = match err.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path; run talkdoc from the project folder or pass --project DIR"
            }
            std::io::ErrorKind::PermissionDenied => {
                "check the permissions of the file or folder, or choose another with --out"
            }
            _ => "check that the path exists and is accessible",
        };
        Error::new(
            Diagnostic::error(code, format!("cannot {what}: {err}"))
                .at(Location::file(path))
                .help(help),
        )
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::new(d)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// talkdoc's result: failures carry diagnostics, not strings.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Whether `c` must never reach a terminal raw: C0 and C1 control
/// characters (ESC starts escape sequences that clear the screen, set the
/// title or forge links; CR overwrites the line), DEL, and the invisible
/// format characters that reorder or hide text (BIDI embeddings, overrides
/// and isolates, zero-width characters): Trojan-source material.
pub(crate) fn is_hazardous(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// `s` with every [hazardous](is_hazardous) character written as
/// a visible escape such as `\u{1b}`: what a terminal or a CI log may show
/// of text that came from the user's files. Newlines stay.
pub(crate) fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_hazardous) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_hazardous(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Like [`visible`], but keeps every byte offset: each hazardous character
/// becomes as many `?`-like placeholders as it had bytes, so spans into the
/// text still point at the same place. Used for the source excerpts the
/// renderers show. A CR before LF stays (it is a line ending).
fn visible_same_len(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| is_hazardous(c) || c == '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else if c == '\t' {
            out.push(' ');
        } else if is_hazardous(c) {
            // 1 byte → `?`, 2 bytes → `¿`, 3 bytes → U+FFFD.
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{fffd}',
            });
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

impl Diagnostic {
    /// A copy safe to print on a terminal or in a CI log: every string that
    /// came from the user's files (message, ID, notes, help, path and the
    /// source text shown) with hazardous characters made visible.
    pub(crate) fn for_terminal(&self) -> Diagnostic {
        let mut d = self.clone();
        d.message = visible(&d.message).into_owned();
        d.message_id = d.message_id.map(|id| visible(&id).into_owned());
        d.notes = d.notes.iter().map(|n| visible(n).into_owned()).collect();
        d.help = d.help.map(|h| visible(&h).into_owned().into_boxed_str());
        if let Some(loc) = d.location.as_mut() {
            let shown = loc.path.to_string_lossy();
            if let std::borrow::Cow::Owned(p) = visible(&shown) {
                loc.path = PathBuf::from(p);
            }
            // Only the lines shown matter, and only rarely hold anything
            // hazardous: look at those lines (cheap), and copy the file
            // only then — a check with thousands of findings in one large
            // file must stay linear.
            if let Some((text, span)) = loc.source.as_mut() {
                let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                let end = text[span.end..]
                    .find('\n')
                    .map_or(text.len(), |i| span.end + i);
                if text[start..end]
                    .chars()
                    .any(|c| is_hazardous(c) || c == '\t')
                    && let std::borrow::Cow::Owned(t) = visible_same_len(text)
                {
                    *text = Arc::from(t);
                }
            }
        }
        d
    }
}

/// The styles of the few words outside a diagnostic that the human format
/// colours (a verdict, a limit that is over): the same roles, and through
/// the same writer, as codespan's diagnostic headers, so no command writes
/// an escape sequence of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paint {
    /// Something that fails the check (`failed`, `12 over`).
    Error,
    /// Something that passes (`passed`).
    Ok,
}

/// `text` in `paint`'s style when `color` is on, else `text` as it is.
/// The escape sequences come from termcolor, the writer codespan uses for
/// diagnostics, in the bright colours of its headers.
pub(crate) fn paint(color: bool, paint: Paint, text: &str) -> String {
    use termcolor::{Color, ColorSpec, WriteColor};
    if !color {
        return text.to_string();
    }
    let mut spec = ColorSpec::new();
    spec.set_bold(true)
        .set_intense(true)
        .set_fg(Some(match paint {
            Paint::Error => Color::Red,
            Paint::Ok => Color::Green,
        }));
    let mut buffer = termcolor::Buffer::ansi();
    let written = buffer
        .set_color(&spec)
        .and_then(|()| std::io::Write::write_all(&mut buffer, text.as_bytes()))
        .and_then(|()| buffer.reset());
    match written {
        Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
        Err(_) => text.to_string(),
    }
}

/// Whether to colour output on `stream`: only on a terminal, never with
/// `NO_COLOR` set (https://no-color.org).
pub(crate) fn use_color(stream_is_terminal: bool) -> bool {
    crate::settings::color(stream_is_terminal)
}

/// `use_color` for standard error.
pub(crate) fn stderr_color() -> bool {
    use_color(std::io::stderr().is_terminal())
}

/// `path` as shown to the user: relative to `root` when it is inside it;
/// when the project was found in a folder above the current one (`..`),
/// relative to where the user stands (`../locales/ja/talk.ftl`).
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    if root.starts_with("..") {
        return path.to_path_buf();
    }
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use codespan_reporting::files::SimpleFile;

    /// `Indexed` renders exactly as codespan's own `SimpleFile`: first,
    /// middle and last lines, a last line without a line break, an empty
    /// line, a span at the very end, CRLF.
    #[test]
    fn indexed_files_render_as_simple_files_do() {
        let text: Arc<str> = Arc::from("first = a\r\n\nmiddle = b\nlast = c");
        let config = term::Config::default();
        for span in [0..5, 11..11, 12..18, 23..27, 31..31, 27..31] {
            let cs = CsDiagnostic::warning()
                .with_message("m")
                .with_labels(vec![Label::primary((), span.clone())]);
            let render = |files: &dyn Fn(&mut termcolor::Buffer) -> bool| {
                let mut b = termcolor::Buffer::no_color();
                assert!(files(&mut b), "{span:?}");
                String::from_utf8_lossy(b.as_slice()).into_owned()
            };
            let simple = SimpleFile::new("f.ftl".to_string(), text.clone());
            let ours = Indexed::new("f.ftl".to_string(), &text);
            assert_eq!(
                render(&|b| term::emit_to_write_style(b, &config, &simple, &cs).is_ok()),
                render(&|b| term::emit_to_write_style(b, &config, &ours, &cs).is_ok()),
                "{span:?}"
            );
        }
    }
}
