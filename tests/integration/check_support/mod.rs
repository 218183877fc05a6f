//! Helpers for the `talkdoc check` and `talkdoc review` tests: a scratch
//! project built from a few strings in a temporary folder, and runs of the
//! real binary whose output is inspected the way a user reads it.
//!
//! A project is `ja` (source) + `en`, `content/project.toml` with the
//! settings under test, one or more documents, and one `.ftl` file per
//! locale (`locales/<locale>/talk.ftl`), so every finding in a test points at
//! a file and line visible in that test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

/// The settings every scratch project starts from; tests append to it.
pub const PROJECT_TOML: &str = r#"source_locale = "ja"
locales = ["ja", "en"]
title = "talk-title"
"#;

/// A small, clean source: the title and one paragraph.
pub const JA: &str = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = テレメトリーを専門にすることの意義を話します。
";

/// Its translation.
pub const EN: &str = "\
talk-title = Specialising in telemetry
abstract-p1 = I explain why specialising in telemetry matters.
";

/// A document with the talk title and one `paragraphs` block of `ids`
/// (the block's `messages = [...]` is on line 5).
pub fn paragraphs(ids: &[&str]) -> String {
    let list: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    format!(
        "title = \"talk-title\"\n\n[[blocks]]\ntype = \"paragraphs\"\nmessages = [{}]\n",
        list.join(", ")
    )
}

/// A `[[limits]]` table.
pub fn limit(document: &str, locale: &str, max: usize, count: Option<&str>) -> String {
    let mut s =
        format!("\n[[limits]]\ndocument = \"{document}\"\nlocale = \"{locale}\"\nmax = {max}\n");
    if let Some(c) = count {
        s.push_str(&format!("count = \"{c}\"\n"));
    }
    s
}

/// A scratch project in a temporary folder (removed on drop).
pub struct Project {
    dir: TempDir,
}

impl Project {
    /// `ja` and `en` as given, [`PROJECT_TOML`], and one document
    /// `abstract` made of the paragraph `abstract-p1`.
    pub fn new(ja: &str, en: &str) -> Project {
        let p = Project {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        p.write("content/project.toml", PROJECT_TOML)
            .write(
                "content/documents/abstract.toml",
                paragraphs(&["abstract-p1"]),
            )
            .write("locales/ja/talk.ftl", ja)
            .write("locales/en/talk.ftl", en);
        p
    }

    /// The small clean project ([`JA`], [`EN`]).
    pub fn clean() -> Project {
        Project::new(JA, EN)
    }

    /// Appends `extra` (limits, `[check]`, …) to [`PROJECT_TOML`].
    pub fn config(self, extra: &str) -> Project {
        self.write("content/project.toml", format!("{PROJECT_TOML}{extra}"));
        self
    }

    /// Writes `content/documents/<name>.toml`.
    pub fn document(self, name: &str, toml: &str) -> Project {
        self.write(format!("content/documents/{name}.toml"), toml);
        self
    }

    /// Records every translation as reviewed (`talkdoc review --all`), so a
    /// test sees only the findings it is about.
    pub fn reviewed(self) -> Project {
        self.talkdoc(&["review", "--all"]).assert_code(0);
        self
    }

    /// Writes a file (text or raw bytes) relative to the project folder.
    pub fn write(&self, relative: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> &Project {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, contents).expect("write fixture file");
        self
    }

    pub fn read(&self, relative: impl AsRef<Path>) -> String {
        std::fs::read_to_string(self.path(relative)).expect("read file")
    }

    pub fn remove(&self, relative: impl AsRef<Path>) {
        let path = self.path(relative);
        if path.is_dir() {
            std::fs::remove_dir_all(path).expect("remove folder");
        } else {
            std::fs::remove_file(path).expect("remove file");
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Runs `talkdoc <args>` in the project folder.
    pub fn talkdoc(&self, args: &[&str]) -> Run {
        run_in(self.root(), args, &[])
    }

    /// Runs `talkdoc check <args>` in the project folder.
    pub fn check(&self, args: &[&str]) -> Run {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        self.talkdoc(&all)
    }

    /// `talkdoc check --output-format json`, parsed.
    pub fn check_json(&self) -> (i32, Value) {
        let run = self.check(&["--output-format", "json"]);
        let json = run.json();
        (run.code, json)
    }
}

/// Runs the binary in `dir` with extra environment variables. `NO_COLOR` is
/// removed unless given, so tests see what a user without it sees.
///
/// A `check` in the human format is run a second time with
/// `--output-format json`: tests look findings up in the JSON report (the stable,
/// documented shape) and keep the human output for what it alone shows
/// (the summary, colour, the grouped lines).
pub fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut run = run_once(dir, args, env);
    let chosen = args.contains(&"--output-format") || args.contains(&"--format");
    if args.first() == Some(&"check") && !chosen {
        let mut json_args = args.to_vec();
        json_args.extend(["--output-format", "json"]);
        let json = run_once(dir, &json_args, env);
        run.report = serde_json::from_str(&json.stdout).ok();
    }
    run
}

fn run_once(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_talkdoc"));
    cmd.current_dir(dir).args(args).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run talkdoc");
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: out
            .status
            .code()
            .expect("exit status (not killed by a signal)"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        report: None,
    }
}

/// What one run printed, and how it exited.
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// For a human-format `check`: the same run's `--output-format json` report.
    pub report: Option<Value>,
}

/// One JSON finding as a block of text to match against: the headline
/// `error[C001] locales/ja/talk.ftl:3:1: abstract-p2: missing in `en``,
/// then `     3 | <source line>`, `       = <note>` lines (a multi-line
/// note indented under its `=`) and `       = help: …`.
fn finding_block(f: &Value) -> String {
    let text = |k: &str| f[k].as_str().map(str::to_string);
    let mut head = format!(
        "{}[{}]",
        text("severity").unwrap_or_default(),
        text("code").unwrap_or_default()
    );
    if let Some(file) = text("file") {
        head.push(' ');
        head.push_str(&file);
        if let (Some(l), Some(c)) = (f["line"].as_u64(), f["column"].as_u64()) {
            head.push_str(&format!(":{l}:{c}"));
        }
    }
    head.push(':');
    if let Some(id) = text("message_id") {
        head.push_str(&format!(" {id}:"));
    }
    let mut block = format!("{head} {}\n", text("message").unwrap_or_default());
    if let (Some(line), Some(src)) = (f["line"].as_u64(), text("source_line")) {
        block.push_str(&format!("  {line:>4} | {src}\n"));
    }
    for n in f["notes"].as_array().into_iter().flatten() {
        let n = n.as_str().unwrap_or_default();
        block.push_str(&format!("       = {}\n", n.replace('\n', "\n         ")));
    }
    if let Some(h) = text("help") {
        block.push_str(&format!("       = help: {h}\n"));
    }
    block
}

impl Run {
    fn dump(&self) -> String {
        format!(
            "talkdoc {}\nexit status {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    /// Asserts the exit status, showing the whole output when it differs.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "unexpected exit status\n{}", self.dump());
        self
    }

    /// Every finding of the JSON report, as [text blocks](finding_block).
    #[track_caller]
    fn blocks(&self) -> Vec<String> {
        let report = self.report.as_ref().unwrap_or_else(|| {
            panic!(
                "no JSON report: findings are read from `check` without --output-format\n{}",
                self.dump()
            )
        });
        report["findings"]
            .as_array()
            .expect("findings is an array")
            .iter()
            .map(finding_block)
            .collect()
    }

    /// The finding headlines, e.g.
    /// `error[C001] locales/ja/talk.ftl:3:1: abstract-p2: missing in `en``.
    #[track_caller]
    pub fn headlines(&self) -> Vec<String> {
        self.blocks()
            .iter()
            .map(|b| b.lines().next().unwrap_or_default().to_string())
            .collect()
    }

    /// The codes of every finding, in output order.
    #[track_caller]
    pub fn codes(&self) -> Vec<String> {
        let report = self.report.as_ref().expect("a JSON report");
        report["findings"]
            .as_array()
            .expect("findings is an array")
            .iter()
            .map(|f| f["code"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// How many findings have `code`.
    #[track_caller]
    pub fn count(&self, code: &str) -> usize {
        self.codes().iter().filter(|c| *c == code).count()
    }

    /// The one finding whose headline starts with `prefix` (severity, code,
    /// file:line:column, message ID …), with the lines under it (source
    /// line, notes, help). Fails unless exactly one matches.
    #[track_caller]
    pub fn finding(&self, prefix: &str) -> String {
        let blocks = self.blocks();
        let found: Vec<&String> = blocks.iter().filter(|b| b.starts_with(prefix)).collect();
        assert_eq!(
            found.len(),
            1,
            "expected exactly one finding starting with\n  {prefix}\n{}\n--- findings ---\n{}",
            self.dump(),
            blocks.join("")
        );
        found[0].clone()
    }

    /// The columns of `locale`'s row in the summary table (locale, messages,
    /// translated, missing, stale, unreviewed, …). Fails if there is none.
    #[track_caller]
    pub fn row(&self, locale: &str) -> Vec<&str> {
        let start = format!("{locale} ");
        self.stdout
            .lines()
            .find(|l| l.starts_with(&start))
            .unwrap_or_else(|| panic!("no `{locale}` row\n{}", self.dump()))
            .split_whitespace()
            .collect()
    }

    /// Asserts that no finding has `code`.
    #[track_caller]
    pub fn assert_no(&self, code: &str) -> &Run {
        assert_eq!(self.count(code), 0, "unexpected {code}\n{}", self.dump());
        self
    }

    /// Asserts the findings' codes, in output order.
    #[track_caller]
    pub fn assert_codes(&self, expected: &[&str]) -> &Run {
        assert_eq!(
            self.codes(),
            expected,
            "unexpected findings\n{}",
            self.dump()
        );
        self
    }

    /// Asserts that stdout contains `needle`.
    #[track_caller]
    pub fn assert_stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks\n  {needle}\n{}",
            self.dump()
        );
        self
    }

    /// Asserts that stderr contains `needle`.
    #[track_caller]
    pub fn assert_stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks\n  {needle}\n{}",
            self.dump()
        );
        self
    }

    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{}", self.dump()))
    }
}

/// The findings of a `--output-format json` report with `code`.
pub fn json_findings<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}
