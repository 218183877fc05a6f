//! Helpers shared by the integration tests: running the binary, scratch
//! copies of fixture projects, loading the real project, normalising text,
//! and reading the few things we need out of a PDF.
//!
//! Every test binary includes this module but uses only part of it.
#![allow(dead_code)]

mod font_bomb;
pub use font_bomb::{Twist, font_bomb, font_bomb_with, truetype_bomb, truetype_bomb_with};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use talkdoc::document::{Block, Document, ListItem};
use talkdoc::project::Project;

/// The repository root: the real proposal lives in its content/ and locales/.
pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub fn fixture_path(name: &str) -> PathBuf {
    manifest_dir().join("tests").join("fixtures").join(name)
}

/// The talkdoc binary, ready for arguments; colours off so stderr is plain.
pub fn talkdoc() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_talkdoc"));
    cmd.env("NO_COLOR", "1").env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Recursively copies `src` into `dst` (created if needed).
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap_or_else(|e| panic!("create {}: {e}", dst.display()));
    let entries =
        std::fs::read_dir(src).unwrap_or_else(|e| panic!("read dir {}: {e}", src.display()));
    for entry in entries {
        let entry = entry.expect("directory entry");
        let from = entry.path();
        let to = dst.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&from, &to);
        } else {
            std::fs::copy(&from, &to)
                .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", from.display(), to.display()));
        }
    }
}

/// A scratch project: a copy of `tests/fixtures/<name>` in a fresh temp dir.
/// The project is `dir.path().join("project")`, so tests can put other
/// things (output folders, blocking files) beside it.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new(fixture: &str) -> Scratch {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&fixture_path(fixture), &dir.path().join("project"));
        Scratch { dir }
    }

    /// A scratch copy of the real proposal (its content/ and locales/):
    /// input a test may break without touching the repository.
    pub fn real() -> Scratch {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["content", "locales"] {
            copy_dir(
                &manifest_dir().join(sub),
                &dir.path().join("project").join(sub),
            );
        }
        Scratch { dir }
    }

    /// `talkdoc --project <project> <args>`, run to the end.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        talkdoc()
            .arg("--project")
            .arg(self.project())
            .args(args)
            .output()
            .expect("run talkdoc")
    }

    pub fn project(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    /// A path for an output folder outside the project (not created).
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// A file of the project, by path relative to the project folder.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.project().join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {relative}: {e}"));
    }

    /// Appends `text` to a project file.
    pub fn append(&self, relative: &str, text: &str) {
        let mut s = self.read(relative);
        s.push_str(text);
        self.write(relative, s);
    }

    /// Replaces the one occurrence of `from` in a project file.
    pub fn replace(&self, relative: &str, from: &str, to: &str) {
        let s = self.read(relative);
        assert_eq!(
            s.matches(from).count(),
            1,
            "expected exactly one `{from}` in {relative}"
        );
        self.write(relative, s.replacen(from, to, 1));
    }

    /// `talkdoc --project <project> build <args>`.
    pub fn build(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = talkdoc();
        cmd.arg("--project").arg(self.project()).arg("build");
        cmd.args(args);
        cmd
    }

    /// Like `build`, with `--out <out>` (a folder outside the project).
    pub fn build_to(&self, out: &Path, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = self.build(args);
        cmd.arg("--out").arg(out);
        cmd
    }
}

/// Every file under `dir` (relative path → bytes); empty if `dir` is absent.
/// The build manifest (`.talkdoc-outputs`) is left out: it is bookkeeping.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.expect("directory entry");
            let path = entry.path();
            if entry.file_type().expect("file type").is_dir() {
                walk(root, &path, out);
            } else if entry.file_name() == talkdoc::build::MANIFEST {
                // talkdoc's list of the outputs it wrote, not an output.
            } else {
                let bytes = std::fs::read(&path).expect("read output file");
                out.insert(
                    path.strip_prefix(root).expect("inside").to_path_buf(),
                    bytes,
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Relative paths of a snapshot, as strings with `/`, sorted.
pub fn names(snap: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    snap.keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// stdout and stderr of a finished command as strings.
pub fn output_text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ---------------------------------------------------------------------------
// The real project and its model.

/// The real proposal in this repository.
pub fn real_project() -> Project {
    let project = Project::load(manifest_dir()).unwrap_or_else(|e| panic!("load project: {e}"));
    assert!(
        project.load_problems.is_empty(),
        "the real catalog has problems: {:?}",
        project
            .load_problems
            .iter()
            .map(|d| d.headline())
            .collect::<Vec<_>>()
    );
    project
}

/// Every document of `project` in every locale, assembled.
pub fn all_documents(project: &Project) -> Vec<Document> {
    let mut docs = Vec::new();
    for locale in project.content.locales() {
        for name in project.content.documents.keys() {
            let doc = talkdoc::assemble::assemble(project, name, &locale)
                .unwrap_or_else(|e| panic!("assemble {name} in {locale}: {e}"));
            docs.push(doc);
        }
    }
    assert!(!docs.is_empty(), "the project has no documents");
    docs
}

/// One assembled document of the real project.
pub fn real_document(project: &Project, name: &str, locale: &str) -> Document {
    talkdoc::assemble::assemble(project, name, locale)
        .unwrap_or_else(|e| panic!("assemble {name} in {locale}: {e}"))
}

/// Plain text of a list item as every export shows it: the text, then
/// ` (mark)` when the item is marked.
pub fn item_text(item: &ListItem) -> String {
    let mut s = talkdoc::document::plain_text(&item.text.inlines);
    if let Some(mark) = &item.mark {
        s.push_str(&format!(" ({mark})"));
    }
    s
}

/// Every paragraph and list-item text of a document (plain text, items
/// with their marks), in reading order; the title and headings excluded.
pub fn body_texts(doc: &Document) -> Vec<String> {
    fn items(list: &[ListItem], out: &mut Vec<String>) {
        for i in list {
            out.push(item_text(i));
            items(&i.children, out);
        }
    }
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Heading(_) => {}
            Block::Paragraph(t) => out.push(talkdoc::document::plain_text(&t.inlines)),
            Block::List(l) => items(&l.items, &mut out),
        }
    }
    out
}

/// Every link URL in a document, in reading order.
pub fn link_urls(doc: &Document) -> Vec<String> {
    doc.texts()
        .iter()
        .flat_map(|t| talkdoc::document::link_urls(&t.inlines))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------------------
// Text normalisation.

/// `s` without any whitespace.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Text extracted from a PDF, ready to search: whitespace removed, and a
/// hyphen at the end of a line marked as optional (it may be one the line
/// breaker added, or a real hyphen the line was broken after).
/// Stands for a space-separated `-` in a needle (private-use character).
const FREE_DASH: char = '\u{E000}';

pub struct PdfText {
    chars: Vec<(char, bool)>,
}

impl PdfText {
    pub fn new(extracted: &str) -> PdfText {
        let mut chars: Vec<(char, bool)> = Vec::new();
        let mut it = extracted.chars().peekable();
        while let Some(c) = it.next() {
            if c.is_whitespace() {
                continue;
            }
            let at_line_end = matches!(it.peek(), Some('\n' | '\r'));
            let is_hyphen = matches!(c, '-' | '\u{2010}' | '\u{00AD}');
            chars.push((c, is_hyphen && at_line_end));
        }
        PdfText { chars }
    }

    /// Whether `needle` (whitespace ignored) occurs in the text.
    pub fn contains(&self, needle: &str) -> bool {
        // pdftotext joins a line ending in a hyphen with the next one and
        // drops the hyphen, even a free-standing dash ("#yapcjapan -⏎fortee.jp"
        // becomes "#yapcjapanfortee.jp"): such a dash may be missing.
        let needle = needle.replace(" - ", &format!(" {FREE_DASH} "));
        let needle: Vec<char> = needle.chars().filter(|c| !c.is_whitespace()).collect();
        if needle.is_empty() {
            return true;
        }
        (0..self.chars.len()).any(|start| self.matches_at(start, &needle))
    }

    fn matches_at(&self, mut i: usize, needle: &[char]) -> bool {
        for (n, &want) in needle.iter().enumerate() {
            loop {
                let Some(&(got, optional)) = self.chars.get(i) else {
                    return false;
                };
                if want == FREE_DASH && got == '-' {
                    return self.matches_at(i + 1, &needle[n + 1..])
                        || self.matches_at(i, &needle[n + 1..]);
                }
                if got == want {
                    // An optional hyphen can also be skipped: try both.
                    if optional && self.matches_at(i + 1, &needle[n..]) {
                        return true;
                    }
                    i += 1;
                    break;
                }
                if optional {
                    i += 1;
                    continue;
                }
                if want == FREE_DASH {
                    return self.matches_at(i, &needle[n + 1..]);
                }
                return false;
            }
        }
        true
    }

    /// The text as a string (for failure messages).
    pub fn as_string(&self) -> String {
        self.chars.iter().map(|&(c, _)| c).collect()
    }
}

// ---------------------------------------------------------------------------
// External tools.

/// Runs a command-line tool and returns its stdout; a missing tool fails the
/// test with a clear message (CI installs poppler-utils), it never skips.
pub fn run_tool(program: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = StdCommand::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{program}` ({e}). The PDF tests need poppler-utils \
             (pdftotext, pdffonts, pdfinfo) on PATH: install them, e.g. \
             `apt-get install poppler-utils`"
            )
        });
    assert!(
        out.status.success(),
        "`{program} {:?}` failed with {}: {}",
        args,
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("`{program}` printed non-UTF-8: {e}"))
}

/// `pdftotext -enc UTF-8 <pdf> -`: the whole text, pages separated by form feeds.
pub fn pdftotext(pdf: &Path) -> String {
    run_tool(
        "pdftotext",
        &[
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            pdf.as_os_str(),
            "-".as_ref(),
        ],
    )
}

/// The text of a PDF's body area, all pages, read by `pdftotext` with
/// `extra` options (e.g. `-raw`): the top 7% and the bottom 6% of each page
/// are left out (talkdoc's header sits 46 pt below the top edge, the footer
/// 31 pt above the bottom, the body 68 pt and 62 pt in). Pages end with a
/// form feed.
pub fn pdf_body_text(pdf: &Path, extra: &[&str]) -> String {
    let size = pdfinfo(pdf)
        .get("Page size")
        .cloned()
        .unwrap_or_else(|| panic!("pdfinfo shows no page size for {}", pdf.display()));
    let mut dims = size
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok());
    let (w, h) = match (dims.next(), dims.next()) {
        (Some(w), Some(h)) => (w, h),
        _ => panic!("cannot read the page size {size:?}"),
    };
    let top = (h * 0.07).round();
    let bottom = (h * 0.06).round();
    let mut args: Vec<String> = extra.iter().map(|a| a.to_string()).collect();
    args.extend([
        "-enc".into(),
        "UTF-8".into(),
        "-x".into(),
        "0".into(),
        "-y".into(),
        top.to_string(),
        "-W".into(),
        w.ceil().to_string(),
        "-H".into(),
        (h - top - bottom).round().to_string(),
    ]);
    let mut argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    argv.push(pdf.as_os_str());
    argv.push("-".as_ref());
    run_tool("pdftotext", &argv)
}

/// The text of each page of a PDF without the running header and footer
/// (see [`pdf_body_text`]).
pub fn pdf_pages(pdf: &Path) -> Vec<String> {
    let all = pdf_body_text(pdf, &[]);
    let mut pages: Vec<String> = all.split('\u{c}').map(str::to_string).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// `pdfinfo <pdf>` as key → value.
pub fn pdfinfo(pdf: &Path) -> BTreeMap<String, String> {
    // Indented lines belong to a block (e.g. "PDF subtype") and may repeat
    // keys such as `Title`: keep top-level keys, first occurrence.
    let mut out = BTreeMap::new();
    let text = run_tool(
        "pdfinfo",
        &["-enc".as_ref(), "UTF-8".as_ref(), pdf.as_os_str()],
    );
    for line in text.lines() {
        if line.starts_with(char::is_whitespace) {
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.entry(k.trim().to_string())
                .or_insert_with(|| v.trim().to_string());
        }
    }
    out
}

// ---------------------------------------------------------------------------
// A minimal reader for the uncompressed object dictionaries of a PDF.
//
// talkdoc's PDFs compress streams but write every other object (catalog,
// outline items, annotations) as plain text, with a classic xref table.
// That is all we need to read `/Lang` and the bookmarks without a PDF
// library (integration tests may only use dev-dependencies).

/// A PDF value, as far as these tests need one.
#[derive(Debug, Clone, PartialEq)]
pub enum PdfValue {
    Ref(u32),
    Str(Vec<u8>),
    Name(String),
    Other(String),
}

impl PdfValue {
    /// A text string decoded (UTF-16BE with BOM, or PDFDocEncoding taken as Latin-1).
    pub fn text(&self) -> Option<String> {
        let PdfValue::Str(b) = self else {
            return None;
        };
        if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
            let units: Vec<u16> = rest
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        } else {
            Some(b.iter().map(|&c| char::from(c)).collect())
        }
    }
}

/// The PDF rewritten by `qpdf --object-streams=disable`: every object as a
/// top-level `N G obj`, readable by [`pdf_objects`]. A missing qpdf fails.
pub fn without_object_streams(bytes: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let (input, output) = (dir.path().join("in.pdf"), dir.path().join("out.pdf"));
    std::fs::write(&input, bytes).expect("write the PDF");
    let result = std::process::Command::new("qpdf")
        .arg("--object-streams=disable")
        .arg(&input)
        .arg(&output)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `qpdf` ({e}): install it, e.g. `apt-get install qpdf`")
        });
    assert!(
        result.status.success(),
        "qpdf --object-streams=disable: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    std::fs::read(&output).expect("read qpdf's output")
}

/// The non-stream part of every `N G obj … endobj` in the file, by object
/// number (objects inside object streams included: the file is expanded
/// with qpdf first).
pub fn pdf_objects(bytes: &[u8]) -> BTreeMap<u32, Vec<u8>> {
    if find(bytes, b"/ObjStm", 0).is_some() {
        return pdf_objects(&without_object_streams(bytes));
    }
    let mut out = BTreeMap::new();
    let mut i = 0;
    while let Some(pos) = find(bytes, b" obj", i) {
        // Object number and generation precede " obj".
        let head_start = bytes[..pos]
            .iter()
            .rposition(|&c| c == b'\n' || c == b'\r')
            .map_or(0, |p| p + 1);
        let head = String::from_utf8_lossy(&bytes[head_start..pos]);
        let mut parts = head.split_whitespace();
        let num = parts.next().and_then(|n| n.parse::<u32>().ok());
        let body_start = pos + 4;
        let end = find(bytes, b"endobj", body_start).unwrap_or(bytes.len());
        let body_end = find(&bytes[..end], b"stream", body_start).unwrap_or(end);
        if let (Some(num), Some(_gen)) = (num, parts.next()) {
            out.insert(num, bytes[body_start..body_end].to_vec());
        }
        i = end;
    }
    out
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The value of `/key` in a dictionary body (top level only).
pub fn pdf_get(dict: &[u8], key: &str) -> Option<PdfValue> {
    let mut i = 0;
    let mut depth = 0usize;
    while i < dict.len() {
        match dict[i] {
            b'<' if dict.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 2;
            }
            b'>' if dict.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 2;
            }
            b'(' => i = skip_literal(dict, i).1,
            b'<' => {
                i = dict[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(dict.len(), |p| i + p + 1)
            }
            b'/' if depth == 1 => {
                let start = i + 1;
                let mut j = start;
                while j < dict.len() && !is_delimiter(dict[j]) {
                    j += 1;
                }
                if &dict[start..j] == key.as_bytes() {
                    return Some(parse_value(dict, j).0);
                }
                // Skip the value so that a name value is not taken for a key.
                i = parse_value(dict, j).1;
            }
            _ => i += 1,
        }
    }
    None
}

fn is_delimiter(c: u8) -> bool {
    c.is_ascii_whitespace() || b"()<>[]{}/%".contains(&c)
}

fn skip_literal(b: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut i = start;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => {
                let e = *b.get(i + 1).unwrap_or(&b'\\');
                i += 2;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut v = u32::from(e - b'0');
                        let mut k = 0;
                        while k < 2 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                            v = v * 8 + u32::from(b[i] - b'0');
                            i += 1;
                            k += 1;
                        }
                        out.push(v as u8);
                    }
                    b'\n' | b'\r' => {}
                    other => out.push(other),
                }
                continue;
            }
            b'(' => {
                depth += 1;
                if depth > 1 {
                    out.push(c);
                }
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return (out, i + 1);
                }
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    (out, i)
}

fn parse_value(b: &[u8], mut i: usize) -> (PdfValue, usize) {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    match b.get(i) {
        Some(b'(') => {
            let (s, end) = skip_literal(b, i);
            (PdfValue::Str(s), end)
        }
        Some(b'<') if b.get(i + 1) != Some(&b'<') => {
            let end = b[i..]
                .iter()
                .position(|&c| c == b'>')
                .map_or(b.len(), |p| i + p);
            let hex: Vec<u8> = b[i + 1..end]
                .iter()
                .copied()
                .filter(u8::is_ascii_hexdigit)
                .collect();
            let bytes = hex
                .chunks(2)
                .map(|c| {
                    let s = std::str::from_utf8(c).unwrap_or("0");
                    u8::from_str_radix(&format!("{s:0<2}"), 16).unwrap_or(0)
                })
                .collect();
            (PdfValue::Str(bytes), end + 1)
        }
        Some(b'/') => {
            let mut j = i + 1;
            while j < b.len() && !is_delimiter(b[j]) {
                j += 1;
            }
            (
                PdfValue::Name(String::from_utf8_lossy(&b[i + 1..j]).into_owned()),
                j,
            )
        }
        Some(b'[') => {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    }
                    b'(' => {
                        j = skip_literal(b, j).1;
                        continue;
                    }
                    _ => {}
                }
                j += 1;
            }
            (
                PdfValue::Other(String::from_utf8_lossy(&b[i..j]).into_owned()),
                j,
            )
        }
        Some(b'<') => {
            // A nested dictionary: skip to its matching `>>`.
            let mut depth = 0;
            let mut j = i;
            while j + 1 < b.len() {
                if b[j] == b'<' && b[j + 1] == b'<' {
                    depth += 1;
                    j += 2;
                } else if b[j] == b'>' && b[j + 1] == b'>' {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else if b[j] == b'(' {
                    j = skip_literal(b, j).1;
                } else {
                    j += 1;
                }
            }
            (
                PdfValue::Other(String::from_utf8_lossy(&b[i..j]).into_owned()),
                j,
            )
        }
        _ => {
            // A number, a boolean or a reference `N G R`.
            let mut j = i;
            while j < b.len() && !is_delimiter(b[j]) {
                j += 1;
            }
            let first = String::from_utf8_lossy(&b[i..j]).into_owned();
            let rest = &b[j..];
            let mut words = std::str::from_utf8(&rest[..rest.len().min(24)])
                .unwrap_or_default()
                .split_whitespace();
            if let (Ok(n), Some(g), Some(r)) = (first.parse::<u32>(), words.next(), words.next())
                && g.chars().all(|c| c.is_ascii_digit())
                && r.starts_with('R')
            {
                let r_pos = find(b, b"R", j).unwrap_or(j);
                return (PdfValue::Ref(n), r_pos + 1);
            }
            (PdfValue::Other(first), j)
        }
    }
}

/// The document catalog (`/Type /Catalog`) of a PDF.
pub fn pdf_catalog(objects: &BTreeMap<u32, Vec<u8>>) -> &[u8] {
    objects
        .values()
        .find(|d| pdf_get(d, "Type") == Some(PdfValue::Name("Catalog".into())))
        .map(Vec::as_slice)
        .expect("no /Type /Catalog dictionary in the PDF")
}

/// A bookmark: its title and its children.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    pub title: String,
    pub children: Vec<Bookmark>,
}

/// The outline (bookmark tree) of a PDF, empty when it has none.
pub fn pdf_bookmarks(bytes: &[u8]) -> Vec<Bookmark> {
    fn siblings(objects: &BTreeMap<u32, Vec<u8>>, first: Option<PdfValue>) -> Vec<Bookmark> {
        let mut out = Vec::new();
        let mut next = first;
        let mut guard = 0;
        while let Some(PdfValue::Ref(id)) = next {
            guard += 1;
            assert!(guard < 10_000, "bookmark loop in the PDF");
            let d = objects
                .get(&id)
                .unwrap_or_else(|| panic!("bookmark object {id} is missing"));
            let title = pdf_get(d, "Title")
                .and_then(|t| t.text())
                .unwrap_or_else(|| panic!("bookmark object {id} has no /Title"));
            out.push(Bookmark {
                title,
                children: siblings(objects, pdf_get(d, "First")),
            });
            next = pdf_get(d, "Next");
        }
        out
    }
    let objects = pdf_objects(bytes);
    let catalog = pdf_catalog(&objects);
    let Some(PdfValue::Ref(root)) = pdf_get(catalog, "Outlines") else {
        return Vec::new();
    };
    let root = objects.get(&root).expect("outline root object");
    siblings(&objects, pdf_get(root, "First"))
}

/// A text as compared: list markers dropped, a link's `(url)` as `url`
/// (the PDF prints the address after the link text for paper), and
/// whitespace removed (Japanese) or collapsed to one space (English).
/// Each char carries whether it may be skipped: a hyphen at the end of a
/// PDF line, which the line breaker may have added.
pub fn comparable(text: &str, pdf: bool, keep_spaces: bool) -> Vec<(char, bool)> {
    let mut out: Vec<(char, bool)> = Vec::new();
    for line in text.lines() {
        let mut line = line.trim_start();
        if pdf {
            for bullet in ["• ", "◦ ", "▪ ", "・ "] {
                if let Some(rest) = line.strip_prefix(bullet) {
                    line = rest;
                }
            }
        } else if let Some(rest) = line.strip_prefix("- ") {
            line = rest;
        }
        let mut line = line.trim_end().to_string();
        if !pdf {
            while let Some(i) = line.find("(http") {
                let Some(len) = line[i..].find(')') else {
                    break;
                };
                line.replace_range(i + len..i + len + 1, "");
                line.replace_range(i..i + 1, "");
            }
        }
        // A dash standing alone (" -") is punctuation, never a hyphen the
        // breaker added: the line end after it is a space.
        let soft = pdf && line.ends_with('-') && !line.ends_with(" -");
        let n = line.chars().count();
        for (i, c) in line.chars().enumerate() {
            if c.is_whitespace() {
                if keep_spaces && out.last().is_some_and(|&(l, _)| l != ' ') {
                    out.push((' ', false));
                }
                continue;
            }
            out.push((c, soft && i + 1 == n));
        }
        // A line end is a space between English words, except after a
        // hyphen where the word goes on.
        if keep_spaces && !line.is_empty() && !soft && out.last().is_some_and(|&(l, _)| l != ' ') {
            out.push((' ', false));
        }
    }
    while out.last().is_some_and(|&(c, _)| c == ' ') {
        out.pop();
    }
    out
}

/// Compares text read back from a PDF with an export, both made by
/// [`comparable`]; a skippable hyphen may be absent from the export (a
/// hyphen the line breaker added). On a difference, says where.
pub fn same_text(got: &[(char, bool)], want: &[(char, bool)]) -> Result<(), String> {
    let (mut i, mut j) = (0, 0);
    while i < got.len() || j < want.len() {
        match (got.get(i), want.get(j)) {
            (Some(&(g, _)), Some(&(w, _))) if g == w => {
                i += 1;
                j += 1;
            }
            (Some(&('-', true)), _) => i += 1,
            _ => {
                let show = |v: &[(char, bool)], at: usize| -> String {
                    v[at.saturating_sub(40)..(at + 40).min(v.len())]
                        .iter()
                        .map(|&(c, _)| c)
                        .collect()
                };
                return Err(format!(
                    "at character {i}/{j}:\n  pdf: …{}…\n  txt: …{}…",
                    show(got, i),
                    show(want, j)
                ));
            }
        }
    }
    Ok(())
}
