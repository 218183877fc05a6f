//! `talkdoc init`: a complete, working two-locale project to start from.
//!
//! Right after `init`, `check` passes and `build` writes every output:
//! the scaffold is a small real talk that shows each feature once (a term,
//! a variable, inline Markdown, a nested list, a link, a labelled item), so
//! the author edits instead of reading documentation first. Existing files
//! are never overwritten: `init` refuses before writing anything.

use crate::codes::Code;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error, Result};

/// Example messages in one language, by message ID.
struct Example {
    talk_title: &'static str,
    heading_abstract: &'static str,
    heading_outline: &'static str,
    heading_takeaways: &'static str,
    heading_titles: &'static str,
    term: &'static str,
    abstract_p1: &'static str,
    abstract_p2: &'static str,
    outline: [&'static str; 5],
    takeaways: [&'static str; 2],
    titles: [&'static str; 2],
    chosen: &'static str,
    speaker: &'static str,
}

const JA: Example = Example {
    talk_title: "{ -event }で話す{ -years }年分の学び",
    heading_abstract: "概要",
    heading_outline: "構成",
    heading_takeaways: "持ち帰ってほしいこと",
    heading_titles: "タイトル案",
    term: "-event = サンプルカンファレンス\n-years = 10",
    abstract_p1: "{ $speaker }です。この{ -years }年、*監視*と`eBPF`に取り組んできました。",
    abstract_p2: "詳しくは[講演資料](https://example.com/slides)をご覧ください。",
    outline: [
        "はじめに",
        "これまでの{ -years }年",
        "計装",
        "分析",
        "まとめ",
    ],
    takeaways: ["明日から使える計装の勘所", "分析の始め方"],
    titles: ["{ -years }年分の学び", "計装から分析へ"],
    chosen: "採用",
    speaker: "山田",
};

const EN: Example = Example {
    talk_title: "{ -years } Years of Lessons, Told at { -event }",
    heading_abstract: "Abstract",
    heading_outline: "Outline",
    heading_takeaways: "Key Takeaways",
    heading_titles: "Title Candidates",
    term: "-event = Sample Conference\n-years = 10",
    abstract_p1: "I am { $speaker }. For { -years } years I have worked on *monitoring* and `eBPF`.",
    abstract_p2: "See [the slides](https://example.com/slides) for details.",
    outline: [
        "Introduction",
        "The last { -years } years",
        "Instrumentation",
        "Analysis",
        "Closing",
    ],
    takeaways: [
        "Instrumentation tips you can use tomorrow",
        "How to start analysing",
    ],
    titles: [
        "{ -years } Years of Lessons",
        "From Instrumentation to Analysis",
    ],
    chosen: "chosen",
    speaker: "Yamada",
};

/// The example text for a locale: Japanese or English; any other language
/// starts from the English text, for the author to translate.
fn example(locale: &str) -> &'static Example {
    if locale == "ja" || locale.starts_with("ja-") {
        &JA
    } else {
        &EN
    }
}

fn ftl(ex: &Example, locale: &str) -> String {
    let o = &ex.outline;
    format!(
        "# The `{locale}` messages of the talk. One message per paragraph, heading or list item;\n\
         # inline Markdown (*emphasis*, `code`, [links](https://…)) is allowed.\n\
         # A continuation line must be indented and must not start with `[`, `*` or `.`.\n\
         \n\
         {term}\n\
         \n\
         talk-title = {title}\n\
         heading-abstract = {ha}\n\
         heading-outline = {ho}\n\
         heading-takeaways = {ht}\n\
         heading-titles = {hti}\n\
         \n\
         abstract-p1 = {a1}\n\
         abstract-p2 = {a2}\n\
         \n\
         outline-intro = {o0}\n\
         outline-history = {o1}\n\
         outline-history-instrument = {o2}\n\
         outline-history-analyse = {o3}\n\
         outline-closing = {o4}\n\
         \n\
         takeaway-1 = {t1}\n\
         takeaway-2 = {t2}\n\
         \n\
         title-candidate-1 = {c1}\n\
         title-candidate-2 = {c2}\n\
         title-chosen-label = {chosen}\n",
        term = ex.term,
        title = ex.talk_title,
        ha = ex.heading_abstract,
        ho = ex.heading_outline,
        ht = ex.heading_takeaways,
        hti = ex.heading_titles,
        a1 = ex.abstract_p1,
        a2 = ex.abstract_p2,
        o0 = o[0],
        o1 = o[1],
        o2 = o[2],
        o3 = o[3],
        o4 = o[4],
        t1 = ex.takeaways[0],
        t2 = ex.takeaways[1],
        c1 = ex.titles[0],
        c2 = ex.titles[1],
        chosen = ex.chosen,
    )
}

fn project_toml(source: &str, target: &str) -> String {
    let (shared, per_locale) = (example(source).speaker, example(target).speaker);
    format!(
        r#"# The talk: its locales, title, limits and export settings (see talkdoc's README).
source_locale = "{source}"            # the locale the talk is written in
locales = ["{source}", "{target}"]
title = "talk-title"                 # message used as the talk title (PDF metadata, running header)
keywords = ["talk"]
# author = "…"

[variables]                          # values for {{ $name }} in every locale…
speaker = "{shared}"

[variables.{target}]                 # …and per locale, overriding the shared ones
speaker = "{per_locale}"

[[limits]]                           # the CfP form's limit for the abstract
document = "abstract"
locale = "{source}"
max = 800
count = "chars"                      # chars | utf16 | crlf | graphemes | words

[pdf]
combined = "handout"                 # also dist/handout.pdf with every locale

[check]
allow_unused = []
"#
    )
}

const ABSTRACT: &str = r#"title = "talk-title"

[[blocks]]
type = "paragraphs"
messages = ["abstract-p1", "abstract-p2"]
"#;

const OUTLINE: &str = r#"title = "heading-outline"

[[blocks]]
type = "list"
style = "bullet"
items = [
  "outline-intro",
  { id = "outline-history", items = [
    "outline-history-instrument",
    "outline-history-analyse",
  ] },
  "outline-closing",
]
"#;

const TAKEAWAYS: &str = r#"title = "heading-takeaways"

[[blocks]]
type = "list"
style = "numbered"
items = ["takeaway-1", "takeaway-2"]
"#;

const TITLES: &str = r#"title = "heading-titles"

[[blocks]]
type = "list"
style = "bullet"
items = [
  { id = "title-candidate-1", mark = "title-chosen-label" },
  "title-candidate-2",
]
"#;

const HANDOUT: &str = r#"title = "talk-title"

[[blocks]]
type = "heading"
message = "heading-abstract"

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
type = "heading"
message = "heading-takeaways"

[[blocks]]
type = "include"
document = "takeaways"
"#;

/// The git URL `cargo install` takes talkdoc from in the generated
/// workflow: the package's `repository` when it has one.
const REPOSITORY: Option<&str> = option_env!("CARGO_PKG_REPOSITORY");

fn workflow() -> String {
    let install = match REPOSITORY.filter(|r| !r.is_empty()) {
        Some(url) => format!("      - run: cargo install --locked --git {url} talkdoc\n"),
        None => "      # Set the repository variable TALKDOC_GIT (Settings → Secrets and variables →\n      \
                 # Actions → Variables) to the git URL talkdoc is installed from.\n      \
                 - run: cargo install --locked --git \"$TALKDOC_GIT\" talkdoc\n        \
                 env:\n          TALKDOC_GIT: ${{ vars.TALKDOC_GIT }}\n"
            .to_string(),
    };
    format!(
        "# Checks the talk on every push and pull request and keeps the exports as an artifact.\n\
         name: talkdoc\n\
         on: [push, pull_request]\n\
         jobs:\n  \
           talkdoc:\n    \
             runs-on: ubuntu-latest\n    \
             steps:\n      \
               - uses: actions/checkout@v4\n      \
               - uses: dtolnay/rust-toolchain@stable\n\
         {install}      \
               - run: talkdoc check --output-format github\n      \
               # Into a fresh folder outside the checkout: the artifact then holds\n      \
               # only what talkdoc wrote, never a link a pull request put in dist/.\n      \
               - run: talkdoc build --out \"$RUNNER_TEMP/proposal\"\n      \
               - uses: actions/upload-artifact@v4\n        \
                 with: {{ name: proposal, path: \"${{{{ runner.temp }}}}/proposal/\" }}\n"
    )
}

/// Creates the project in `dir`. Returns the files written (relative).
pub fn init(dir: &Path, source: &str, target: &str) -> Result<Vec<PathBuf>> {
    for (what, tag) in [("--source", source), ("--target", target)] {
        let valid = crate::content::is_safe_name(tag)
            && tag.parse::<unic_langid::LanguageIdentifier>().is_ok();
        if !valid {
            return Err(Error::new(
                Diagnostic::error(
                    Code::E0701,
                    format!("`{tag}` is not a usable locale for {what}"),
                )
                .help("use a BCP 47 tag such as `ja`, `en` or `pt-BR`"),
            ));
        }
    }
    if source == target {
        return Err(Error::new(
            Diagnostic::error(
                Code::E0701,
                format!("--source and --target are both `{source}`"),
            )
            .help("a talk needs a source locale and a different translation locale"),
        ));
    }
    let files: Vec<(PathBuf, String)> = vec![
        ("content/project.toml".into(), project_toml(source, target)),
        ("content/documents/abstract.toml".into(), ABSTRACT.into()),
        ("content/documents/outline.toml".into(), OUTLINE.into()),
        ("content/documents/takeaways.toml".into(), TAKEAWAYS.into()),
        ("content/documents/titles.toml".into(), TITLES.into()),
        ("content/documents/handout.toml".into(), HANDOUT.into()),
        (
            format!("locales/{source}/talk.ftl").into(),
            ftl(example(source), source),
        ),
        (
            format!("locales/{target}/talk.ftl").into(),
            ftl(example(target), target),
        ),
        (".gitignore".into(), "/dist/\n".into()),
        (".github/workflows/talkdoc.yml".into(), workflow()),
    ];
    let record = PathBuf::from(format!("locales/{target}.reviewed.toml"));
    let existing: Vec<String> = files
        .iter()
        .map(|(p, _)| p)
        .chain(std::iter::once(&record))
        .filter(|p| std::fs::symlink_metadata(dir.join(p)).is_ok())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::new(
            Diagnostic::error(
                Code::E0702,
                format!(
                    "{} already holds {}; init never overwrites a file",
                    dir.display(),
                    existing.join(", ")
                ),
            )
            .help("choose an empty folder: `talkdoc init mytalk`"),
        ));
    }
    let mut created: Vec<PathBuf> = Vec::new();
    for (relative, text) in &files {
        let path = dir.join(relative);
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
            })
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = result {
            for p in &created {
                let _ = std::fs::remove_file(dir.join(p));
            }
            return Err(Error::io(Code::E0401, "create the project file", &path, &e));
        }
        created.push(relative.clone());
    }
    // The example translation is reviewed: a new project starts green.
    let project = crate::project::Project::load(dir)?;
    crate::review::mark_reviewed(&project, &[target.to_string()], &[], true)?;
    created.push(record);
    Ok(created)
}
