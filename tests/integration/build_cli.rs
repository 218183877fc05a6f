//! `talkdoc build` as a user runs it: on a small valid project (what it
//! writes and what the files contain), on each kind of bad input (exit
//! status 1, the error code and file:line:column, nothing written), on a
//! broken rebuild (earlier outputs untouched), and with `--locale`,
//! `--document` and `--format`.
//!
//! The fixture is tests/fixtures/small: ja + en, three documents (abstract,
//! outline, handout including both), a term `-years`, a `{ $name }` variable
//! from `[variables]`, emphasis, a link and a `[[wiki]]` link.

use crate::common;

use std::path::Path;

use common::{Scratch, names, output_text, snapshot};

// ---------------------------------------------------------------------------
// The valid project.

const JA_ABSTRACT_MD: &str = "\
# テレメトリーの13年

こんにちは、Hanakoです。*強調*と[例のページ](<https://example.com/a?b=1&c=2>)を見てください。

詳しくは秘密のノートにあります。\\
二行目も同じ段落です。
";

const EN_ABSTRACT_MD: &str = "\
# 13 Years of Telemetry

Hello, I am Hanako. See *this* and [the example page](<https://example.com/a?b=1&c=2>).

Details are in Secret Note.\\
The second line is in the same paragraph.
";

const JA_OUTLINE_MD: &str = "\
# 構成

- はじめに
- 本題
  - 13年の歴史
  - **まとめ**

1. 計装
2. 分析
";

const JA_ABSTRACT_TXT: &str = "\
テレメトリーの13年

こんにちは、Hanakoです。強調と例のページ (https://example.com/a?b=1&c=2)を見てください。

詳しくは秘密のノートにあります。
二行目も同じ段落です。
";

const EN_ABSTRACT_TXT: &str = "\
13 Years of Telemetry

Hello, I am Hanako. See this and the example page (https://example.com/a?b=1&c=2).

Details are in Secret Note.
The second line is in the same paragraph.
";

const EN_HANDOUT_TXT: &str = "\
13 Years of Telemetry

Abstract

Hello, I am Hanako. See this and the example page (https://example.com/a?b=1&c=2).

Details are in Secret Note.
The second line is in the same paragraph.

Structure

- Introduction
- Main part
  - 13 years of history
  - Summary

1. Instrument
2. Analyse
";

/// Every file a full build of the fixture writes, in the order listed.
const ALL_OUTPUTS: [&str; 19] = [
    "ja/abstract.md",
    "ja/abstract.txt",
    "ja/abstract.pdf",
    "ja/handout.md",
    "ja/handout.txt",
    "ja/handout.pdf",
    "ja/outline.md",
    "ja/outline.txt",
    "ja/outline.pdf",
    "en/abstract.md",
    "en/abstract.txt",
    "en/abstract.pdf",
    "en/handout.md",
    "en/handout.txt",
    "en/handout.pdf",
    "en/outline.md",
    "en/outline.txt",
    "en/outline.pdf",
    "handout.pdf",
];

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// `wrote <path> (<n> bytes)` and `unchanged <path> (<n> bytes)` lines of
/// stdout as (path, n).
fn listed(stdout: &str) -> Vec<(String, usize)> {
    listed_as(stdout)
        .into_iter()
        .map(|(_, path, n)| (path, n))
        .collect()
}

/// Every line of stdout as (`wrote` or `unchanged`, path, n).
fn listed_as(stdout: &str) -> Vec<(String, String, usize)> {
    stdout
        .lines()
        .map(|l| {
            let (verb, rest) = l
                .split_once(' ')
                .filter(|(verb, _)| ["wrote", "unchanged"].contains(verb))
                .unwrap_or_else(|| panic!("unexpected stdout line {l:?}"));
            let (path, size) = rest
                .rsplit_once(" (")
                .unwrap_or_else(|| panic!("no size in {l:?}"));
            let n = size
                .strip_suffix(" bytes)")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("bad size in {l:?}"));
            (verb.to_string(), path.to_string(), n)
        })
        .collect()
}

#[test]
fn small_project_builds_and_lists_every_file() {
    let s = Scratch::new("small");
    let out = s.build(&[]).assert().success().get_output().clone();
    let (stdout, stderr) = output_text(&out);
    assert_eq!(stderr, "");
    let listed = listed(&stdout);
    let paths: Vec<&str> = listed.iter().map(|(p, _)| p.as_str()).collect();
    let want: Vec<String> = ALL_OUTPUTS.iter().map(|p| format!("dist/{p}")).collect();
    assert_eq!(
        paths, want,
        "stdout lists the files, relative to the project"
    );
    for (path, size) in &listed {
        let bytes = std::fs::read(s.project().join(path)).expect("listed file exists");
        assert_eq!(bytes.len(), *size, "{path}: listed size");
    }
    let on_disk = names(&snapshot(&s.path("dist")));
    assert_eq!(on_disk, sorted(&ALL_OUTPUTS), "exactly the listed files");
    for (path, bytes) in snapshot(&s.path("dist")) {
        if path.extension().is_some_and(|e| e == "pdf") {
            assert!(bytes.starts_with(b"%PDF-"), "{}", path.display());
            assert!(bytes.len() > 1000, "{}", path.display());
        }
    }
}

/// A build run again leaves every output that did not change as it was
/// (the same file, the same modification time) and lists it as
/// `unchanged`; an edit rewrites exactly the files that show it; a file
/// that differs from what the build makes, even at the same size, is
/// replaced.
#[test]
fn a_rebuild_leaves_unchanged_outputs_alone() {
    use std::os::unix::fs::MetadataExt;
    let s = Scratch::new("small");
    s.build(&["-q"]).assert().success();
    let dist = s.path("dist");
    let stamps = || -> Vec<(u64, i64, i64)> {
        ALL_OUTPUTS
            .iter()
            .map(|p| {
                let m = std::fs::metadata(dist.join(p)).expect("output");
                (m.ino(), m.mtime(), m.mtime_nsec())
            })
            .collect()
    };
    let before = stamps();
    let build = || output_text(&s.build(&[]).assert().success().get_output().clone()).0;
    let again = listed_as(&build());
    let want: Vec<(String, String)> = ALL_OUTPUTS
        .iter()
        .map(|p| ("unchanged".to_string(), format!("dist/{p}")))
        .collect();
    let got: Vec<(String, String)> = again
        .iter()
        .map(|(v, p, _)| (v.clone(), p.clone()))
        .collect();
    assert_eq!(got, want, "every output listed, as unchanged");
    assert_eq!(stamps(), before, "no output recreated or touched");

    let ftl = "locales/en/talk.ftl";
    s.write(
        ftl,
        s.read(ftl)
            .replace("outline-start = Introduction", "outline-start = Opening"),
    );
    let edited = listed_as(&build());
    let written: Vec<&str> = edited
        .iter()
        .filter(|(v, ..)| v == "wrote")
        .map(|(_, p, _)| p.as_str())
        .collect();
    assert_eq!(
        written,
        [
            "dist/en/handout.md",
            "dist/en/handout.txt",
            "dist/en/handout.pdf",
            "dist/en/outline.md",
            "dist/en/outline.txt",
            "dist/en/outline.pdf",
            "dist/handout.pdf",
        ],
        "exactly the files showing the edited message"
    );
    assert!(s.read("dist/en/outline.md").contains("Opening"));
    let after = stamps();
    for ((p, old), new) in ALL_OUTPUTS.iter().zip(&before).zip(&after) {
        let rewritten = written.contains(&format!("dist/{p}").as_str());
        assert_eq!(old != new, rewritten, "{p}: touched only if rewritten");
    }

    // Same size, other bytes (a hand edit, a half-copied file): replaced.
    let md = "dist/ja/abstract.md";
    let good = s.read(md);
    s.write(md, good.replacen('#', "%", 1));
    let repaired = listed_as(&build());
    assert!(
        repaired.contains(&("wrote".to_string(), md.to_string(), good.len())),
        "{repaired:?}"
    );
    assert_eq!(s.read(md), good);
}

#[test]
fn out_and_quiet() {
    let s = Scratch::new("small");
    let out = s.out();
    let run = s
        .build_to(&out, &["-q"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(
        output_text(&run),
        (String::new(), String::new()),
        "-q prints nothing"
    );
    assert_eq!(names(&snapshot(&out)), sorted(&ALL_OUTPUTS));
    assert!(!s.path("dist").exists(), "--out replaces dist/");
    // Outside the project, paths are shown as given.
    let mut run = s.build_to(
        &out,
        &["--document", "outline", "--locale", "en", "--format", "md"],
    );
    let stdout = output_text(&run.assert().success().get_output().clone()).0;
    assert_eq!(
        listed(&stdout)
            .into_iter()
            .map(|(p, _)| p)
            .collect::<Vec<_>>(),
        [out.join("en").join("outline.md").display().to_string()]
    );
}

#[test]
fn markdown_export_matches() {
    let s = Scratch::new("small");
    s.build(&["--format", "md"]).assert().success();
    assert_eq!(s.read("dist/ja/abstract.md"), JA_ABSTRACT_MD);
    assert_eq!(s.read("dist/en/abstract.md"), EN_ABSTRACT_MD);
    assert_eq!(s.read("dist/ja/outline.md"), JA_OUTLINE_MD);
    // The handout: title, then each included document under its heading.
    let body = |md: &str| md.split_once("\n\n").expect("title").1.to_string();
    assert_eq!(
        s.read("dist/ja/handout.md"),
        format!(
            "# テレメトリーの13年\n\n## 概要\n\n{}\n## 構成\n\n{}",
            body(JA_ABSTRACT_MD),
            body(JA_OUTLINE_MD)
        )
    );
}

#[test]
fn text_export_is_plain() {
    let s = Scratch::new("small");
    s.build(&["--format", "txt"]).assert().success();
    assert_eq!(s.read("dist/ja/abstract.txt"), JA_ABSTRACT_TXT);
    assert_eq!(s.read("dist/en/abstract.txt"), EN_ABSTRACT_TXT);
    assert_eq!(s.read("dist/en/handout.txt"), EN_HANDOUT_TXT);
    for (path, bytes) in snapshot(&s.path("dist")) {
        let txt = String::from_utf8(bytes).expect("UTF-8");
        let shown = path.display();
        // No Markdown syntax, no Fluent syntax, no isolation marks.
        for needle in [
            "*", "_", "[", "]", "`", "#", "\\", "<", ">", "{", "}", "$", "\u{2068}", "\u{2069}",
        ] {
            assert!(!txt.contains(needle), "{shown} contains {needle:?}:\n{txt}");
        }
        // URLs written out after their text.
        if txt.contains("example") {
            assert!(
                txt.contains(" (https://example.com/a?b=1&c=2)"),
                "{shown}: {txt}"
            );
        }
        // Blocks separated by exactly one blank line; one final newline.
        assert!(!txt.starts_with('\n') && txt.ends_with('\n') && !txt.ends_with("\n\n"));
        assert!(
            !txt.contains("\n\n\n"),
            "{shown} has two blank lines in a row"
        );
        assert!(
            txt.lines().all(|l| l == l.trim_end()),
            "{shown} has trailing whitespace"
        );
        assert!(txt.contains("Hanako") || path.to_string_lossy().contains("outline"));
        assert!(txt.contains("13"), "{shown}: the term -years is expanded");
    }
}

#[test]
fn lines_of_a_message_that_look_like_markdown_blocks_stay_text() {
    // Valid Fluent: continuation lines may start with `-`, `#`, `1.`, `>`.
    let s = Scratch::new("small");
    s.replace(
        "locales/ja/talk.ftl",
        "outline-step-1 = 計装",
        "outline-step-1 = 計装\n    - eBPF\n    - 言語ランタイム\n    # 見出しではない\n    2. 番号でもない",
    );
    s.build(&["--locale", "ja", "--document", "outline"])
        .assert()
        .success();
    let txt = s.read("dist/ja/outline.txt");
    assert!(
        txt.ends_with(
            "1. 計装\n   - eBPF\n   - 言語ランタイム\n   # 見出しではない\n   2. 番号でもない\n2. 分析\n"
        ),
        "{txt}"
    );
    let md = s.read("dist/ja/outline.md");
    assert!(
        md.ends_with(
            "1. 計装\\\n   \\- eBPF\\\n   \\- 言語ランタイム\\\n   \\# 見出しではない\\\n   2\\. 番号でもない\n2. 分析\n"
        ),
        "{md}"
    );
    let pdf = common::pdftotext(&s.path("dist/ja/outline.pdf"));
    let text = common::PdfText::new(&pdf);
    assert!(
        text.contains("計装-eBPF-言語ランタイム#見出しではない2.番号でもない"),
        "{pdf}"
    );
}

// ---------------------------------------------------------------------------
// Bad input: exit 1, the error code and where, nothing written.

/// Runs a build into `<tmp>/out` and checks the failure as a user sees it.
#[track_caller]
fn assert_fails(s: &Scratch, args: &[&str], code: &str, location: &str) -> String {
    let out_dir = s.out();
    let run = s
        .build_to(&out_dir, args)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let (stdout, stderr) = output_text(&run);
    assert_eq!(stdout, "", "nothing is listed as written");
    assert!(
        stderr.contains(&format!("error[{code}]")),
        "expected error code {code} in:\n{stderr}"
    );
    assert!(
        stderr.contains(location),
        "expected location {location:?} in:\n{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(
        snapshot(&out_dir).is_empty(),
        "files were written: {:?}",
        names(&snapshot(&out_dir))
    );
    assert!(!s.path("dist").exists());
    stderr
}

/// `file:line:column` (1-based) of the first occurrence of `needle` in a project file.
fn position(s: &Scratch, file: &str, needle: &str) -> String {
    position_in(s, file, needle, needle)
}

/// `file:line:column` of `needle` inside the first occurrence of `context`.
fn position_in(s: &Scratch, file: &str, context: &str, needle: &str) -> String {
    let text = s.read(file);
    let at = text
        .find(context)
        .and_then(|c| text[c..].find(needle).map(|n| c + n))
        .unwrap_or_else(|| panic!("{needle:?} in {context:?} not in {file}"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    format!("{file}:{line}:{column}")
}

#[test]
fn fluent_syntax_error() {
    let s = Scratch::new("small");
    s.append(
        "locales/ja/talk.ftl",
        "\nbroken = テキスト } と続き\noutline-extra = ok\n",
    );
    let at = position(&s, "locales/ja/talk.ftl", "} と続き");
    let stderr = assert_fails(&s, &[], "E0101", &at);
    assert!(
        stderr.contains("broken = テキスト } と続き"),
        "shows the line"
    );
}

#[test]
fn unclosed_placeable_is_reported_on_its_line() {
    let s = Scratch::new("small");
    s.append("locales/ja/talk.ftl", "\nbroken = { $name\nnext = ok\n");
    let at = position(&s, "locales/ja/talk.ftl", "broken");
    let line = at.rsplit_once(':').expect("column").0;
    assert_fails(&s, &[], "E0101", &format!("{line}:"));
}

#[test]
fn continuation_line_starting_with_bracket_star_or_dot_is_an_error() {
    for (c, locale) in [('[', "ja"), ('*', "en"), ('.', "en")] {
        let s = Scratch::new("small");
        let file = format!("locales/{locale}/talk.ftl");
        // The first line is a complete message; Fluent would end it there
        // and drop the rest as Junk.
        s.replace(
            &file,
            "outline-step-1 = ",
            &format!("outline-step-1 = first line\n    {c}second line\n    third line "),
        );
        let at = position(&s, &file, &format!("{c}second line"));
        let stderr = assert_fails(&s, &[], "E0101", &at);
        assert!(
            stderr.contains(&format!("{c}second line")),
            "the offending line is shown:\n{stderr}"
        );
    }
}

#[test]
fn message_missing_in_one_locale_points_at_the_content_file() {
    let s = Scratch::new("small");
    let ftl = s.read("locales/en/talk.ftl");
    let kept: String = ftl
        .lines()
        .filter(|l| !l.starts_with("outline-step-2"))
        .map(|l| format!("{l}\n"))
        .collect();
    s.write("locales/en/talk.ftl", kept);
    let at = position(&s, "content/documents/outline.toml", "\"outline-step-2\"");
    let stderr = assert_fails(&s, &[], "E0306", &at);
    assert!(stderr.contains("`outline-step-2` does not exist in locale `en`"));
}

#[test]
fn malformed_toml() {
    let s = Scratch::new("small");
    s.append(
        "content/documents/outline.toml",
        "\n[[blocks]\ntype = \"heading\"\n",
    );
    let text = s.read("content/documents/outline.toml");
    let line = text.lines().position(|l| l == "[[blocks]").expect("line") + 1;
    assert_fails(
        &s,
        &[],
        "E0201",
        &format!("content/documents/outline.toml:{line}:10"),
    );

    // A well-formed file with a value of the wrong type.
    let s = Scratch::new("small");
    s.replace(
        "content/project.toml",
        "locales = [\"ja\", \"en\"]",
        "locales = \"ja\"",
    );
    let at = position_in(&s, "content/project.toml", "locales = ", "\"ja\"");
    assert_fails(&s, &[], "E0201", &at);
}

#[test]
fn missing_locale_folder() {
    let s = Scratch::new("small");
    std::fs::remove_dir_all(s.path("locales/en")).expect("remove");
    let stderr = assert_fails(&s, &[], "E0003", "locales/en");
    assert!(stderr.contains("remove `en` from `locales`"), "{stderr}");
}

#[test]
fn unwritable_output_folder() {
    // A path under a regular file cannot be created, even by root.
    let s = Scratch::new("small");
    let blocker = s.dir.path().join("file.txt");
    std::fs::write(&blocker, "not a folder").expect("write");
    let out = blocker.join("out");
    let run = s.build_to(&out, &[]).assert().code(1).get_output().clone();
    let (stdout, stderr) = output_text(&run);
    assert_eq!(stdout, "");
    assert!(stderr.contains("error[E0401]"), "{stderr}");
    assert!(stderr.contains(&blocker.display().to_string()), "{stderr}");
    assert!(stderr.contains("nothing was written"));
    assert_eq!(std::fs::read(&blocker).expect("read"), b"not a folder");
    assert!(!s.path("dist").exists());
    let leftovers: Vec<String> = snapshot(s.dir.path())
        .keys()
        .map(|p| p.display().to_string())
        .filter(|p| !p.starts_with("project") && p != "file.txt")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `talkdoc build` writes each output while the others are still being
/// rendered: when one cannot be written half-way through, the files
/// already written are taken back, with the folders made for them, and an
/// earlier build's outputs are left exactly as they were.
#[test]
fn a_build_that_fails_half_way_leaves_the_output_folder_as_it_was() {
    let s = Scratch::new("small");
    // A fresh folder: `en` is a file, so every English output fails.
    let out = s.dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("en"), "in the way").expect("write");
    let run = s.build_to(&out, &[]).assert().code(1).get_output().clone();
    let (stdout, stderr) = output_text(&run);
    assert_eq!(stdout, "");
    assert!(stderr.contains("error[E0401]"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        names(&snapshot(&out)),
        vec!["en".to_string()],
        "only the file that was there"
    );
    // Over an earlier build: every file as it was, nothing added.
    std::fs::remove_file(out.join("en")).expect("rm");
    s.build_to(&out, &[]).assert().success();
    let before = snapshot(&out);
    std::fs::remove_dir_all(out.join("en")).expect("rm -r");
    std::fs::write(out.join("en"), "in the way").expect("write");
    let mut expected = before.clone();
    expected.retain(|p, _| !p.starts_with("en"));
    expected.insert("en".into(), b"in the way".to_vec());
    s.build_to(&out, &[]).assert().code(1);
    assert_eq!(
        snapshot(&out),
        expected,
        "the earlier outputs are untouched"
    );
}

#[test]
fn invalid_utf8_in_a_fluent_file() {
    let s = Scratch::new("small");
    let mut bytes = std::fs::read(s.path("locales/ja/talk.ftl")).expect("read");
    let line = bytes.iter().filter(|&&b| b == b'\n').count() + 2;
    bytes.extend_from_slice(b"\nbad = caf\xE9\n");
    s.write("locales/ja/talk.ftl", bytes);
    let stderr = assert_fails(&s, &[], "E0102", &format!("locales/ja/talk.ftl:{line}:10"));
    assert!(stderr.contains("0xE9"), "{stderr}");
}

#[test]
fn include_cycle() {
    let s = Scratch::new("small");
    s.append(
        "content/documents/outline.toml",
        "\n[[blocks]]\ntype = \"include\"\ndocument = \"handout\"\n",
    );
    let at = position(&s, "content/documents/outline.toml", "\"handout\"");
    let stderr = assert_fails(&s, &[], "E0304", &at);
    assert!(stderr.contains("includes itself"));

    let s = Scratch::new("small");
    s.append(
        "content/documents/abstract.toml",
        "\n[[blocks]]\ntype = \"include\"\ndocument = \"abstract\"\n",
    );
    let at = position(&s, "content/documents/abstract.toml", "\"abstract\"");
    assert_fails(&s, &[], "E0304", &at);
}

#[test]
fn duplicate_message_ids() {
    let s = Scratch::new("small");
    s.append("locales/en/talk.ftl", "\noutline-start = Again\n");
    let first = position(&s, "locales/en/talk.ftl", "outline-start");
    let text = s.read("locales/en/talk.ftl");
    let line = text
        .lines()
        .position(|l| l == "outline-start = Again")
        .expect("line")
        + 1;
    let stderr = assert_fails(&s, &[], "E0105", &format!("locales/en/talk.ftl:{line}:1"));
    assert!(
        stderr.contains(&first),
        "names the first definition:\n{stderr}"
    );

    // Across two files of a locale, and for terms.
    let s = Scratch::new("small");
    s.write("locales/ja/more.ftl", "# more\n-years = 14\n");
    // Files are read in name order: more.ftl defines `-years` first.
    let stderr = assert_fails(
        &s,
        &[],
        "E0105",
        &position(&s, "locales/ja/talk.ftl", "-years"),
    );
    assert!(
        stderr.contains(&position(&s, "locales/ja/more.ftl", "-years")),
        "{stderr}"
    );
}

#[test]
fn character_missing_from_the_pdf_font() {
    let s = Scratch::new("small");
    s.replace(
        "locales/en/talk.ftl",
        "outline-step-2 = Analyse",
        "outline-step-2 = Analyse 😀",
    );
    let stderr = assert_fails(&s, &[], "E0503", "U+1F600");
    assert!(stderr.contains("outline-step-2"), "{stderr}");
}

// ---------------------------------------------------------------------------
// No partial output.

fn tmp_files(dir: &Path) -> Vec<String> {
    names(&snapshot(dir))
        .into_iter()
        .filter(|n| {
            let file = n.rsplit('/').next().unwrap_or(n);
            file.starts_with('.') || file.ends_with(".tmp")
        })
        .collect()
}

#[test]
fn a_failed_rebuild_leaves_earlier_outputs_untouched() {
    type Break = fn(&Scratch);
    let breakages: [(&str, Break); 4] = [
        ("a missing message", |s| {
            s.replace("locales/en/talk.ftl", "outline-step-2 = Analyse\n", "")
        }),
        ("a Fluent syntax error", |s| {
            s.append("locales/ja/talk.ftl", "\noops = {\n")
        }),
        (
            "a character the font lacks (fails after md and txt rendered)",
            |s| {
                s.replace(
                    "locales/ja/talk.ftl",
                    "outline-step-2 = 分析",
                    "outline-step-2 = 分析😀",
                )
            },
        ),
        ("an include cycle", |s| {
            s.append(
                "content/documents/abstract.toml",
                "\n[[blocks]]\ntype = \"include\"\ndocument = \"handout\"\n",
            )
        }),
    ];
    for (what, break_it) in breakages {
        let s = Scratch::new("small");
        let out = s.out();
        s.build_to(&out, &["-q"]).assert().success();
        let before = snapshot(&out);
        assert_eq!(before.len(), ALL_OUTPUTS.len());
        // A real change too, so a rebuild would differ if it wrote anything.
        s.replace(
            "locales/ja/talk.ftl",
            "outline-start = はじめに",
            "outline-start = 序論",
        );
        break_it(&s);
        s.build_to(&out, &[]).assert().code(1).stdout("");
        let after = snapshot(&out);
        assert!(
            before == after,
            "{what}: outputs changed after a failed build"
        );
        assert!(tmp_files(&out).is_empty(), "{what}: {:?}", tmp_files(&out));
    }
}

#[test]
fn a_write_failure_leaves_earlier_outputs_untouched() {
    let s = Scratch::new("small");
    let out = s.out();
    s.build_to(&out, &["-q"]).assert().success();
    s.replace(
        "locales/ja/talk.ftl",
        "outline-start = はじめに",
        "outline-start = 序論",
    );
    // The en folder cannot be created: a regular file is in the way.
    std::fs::remove_dir_all(out.join("en")).expect("remove en");
    std::fs::write(out.join("en"), "in the way").expect("write");
    let before = snapshot(&out);
    let run = s.build_to(&out, &[]).assert().code(1).get_output().clone();
    let (_, stderr) = output_text(&run);
    assert!(stderr.contains("error[E0401]"), "{stderr}");
    assert!(
        before == snapshot(&out),
        "ja outputs changed though the build failed"
    );
    assert!(tmp_files(&out).is_empty(), "{:?}", tmp_files(&out));
}

#[test]
fn a_folder_in_place_of_an_output_is_refused_before_anything_is_replaced() {
    let s = Scratch::new("small");
    let out = s.out();
    s.build_to(&out, &["-q"]).assert().success();
    s.replace(
        "locales/ja/talk.ftl",
        "outline-start = はじめに",
        "outline-start = 序論",
    );
    // A folder where en/outline.md should go: found before any output is
    // replaced. (A swap that really fails half-way, and is undone, is
    // tests/integration/trust.rs: a_failed_swap_restores_every_output_already_replaced.)
    std::fs::remove_file(out.join("en/outline.md")).expect("remove");
    std::fs::create_dir_all(out.join("en/outline.md/x")).expect("mkdir");
    let before = snapshot(&out);
    let run = s.build_to(&out, &[]).assert().code(1).get_output().clone();
    let (_, stderr) = output_text(&run);
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(
        before == snapshot(&out),
        "outputs changed though the build failed"
    );
}

// ---------------------------------------------------------------------------
// Selecting outputs.

fn built(s: &Scratch, args: &[&str]) -> Vec<String> {
    let out = s.out();
    if out.exists() {
        std::fs::remove_dir_all(&out).expect("clean out");
    }
    let run = s
        .build_to(&out, args)
        .assert()
        .success()
        .get_output()
        .clone();
    let listed: Vec<String> = listed(&output_text(&run).0)
        .into_iter()
        .map(|(p, _)| {
            Path::new(&p)
                .strip_prefix(&out)
                .expect("under out")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    let on_disk = names(&snapshot(&out));
    let mut sorted_listed = listed.clone();
    sorted_listed.sort();
    assert_eq!(
        sorted_listed, on_disk,
        "stdout lists exactly what is on disk"
    );
    on_disk
}

#[test]
fn locale_document_and_format_select_outputs() {
    let s = Scratch::new("small");
    assert_eq!(
        built(&s, &["--locale", "ja"]),
        sorted(&[
            "ja/abstract.md",
            "ja/abstract.pdf",
            "ja/abstract.txt",
            "ja/handout.md",
            "ja/handout.pdf",
            "ja/handout.txt",
            "ja/outline.md",
            "ja/outline.pdf",
            "ja/outline.txt",
        ]),
        "one locale: no bilingual handout"
    );
    assert_eq!(
        built(&s, &["--document", "abstract"]),
        sorted(&[
            "en/abstract.md",
            "en/abstract.pdf",
            "en/abstract.txt",
            "ja/abstract.md",
            "ja/abstract.pdf",
            "ja/abstract.txt",
        ])
    );
    assert_eq!(
        built(&s, &["--format", "md"]),
        sorted(&[
            "en/abstract.md",
            "en/handout.md",
            "en/outline.md",
            "ja/abstract.md",
            "ja/handout.md",
            "ja/outline.md",
        ])
    );
    assert_eq!(
        built(&s, &["--format", "pdf", "--document", "handout"]),
        sorted(&["en/handout.pdf", "handout.pdf", "ja/handout.pdf"])
    );
    assert_eq!(
        built(
            &s,
            &[
                "--locale",
                "en",
                "--document",
                "outline",
                "--document",
                "abstract",
                "--format",
                "txt",
                "--format",
                "md",
            ]
        ),
        sorted(&[
            "en/abstract.md",
            "en/abstract.txt",
            "en/outline.md",
            "en/outline.txt"
        ])
    );
    // A selected build writes the same bytes as a full one.
    let full = {
        let dir = s.dir.path().join("full");
        s.build_to(&dir, &["-q"]).assert().success();
        snapshot(&dir)
    };
    built(&s, &["--locale", "en", "--format", "md"]);
    let part = snapshot(&s.out());
    for (path, bytes) in &part {
        assert!(full.get(path) == Some(bytes), "{} differs", path.display());
    }
    // One PDF leaves a core idle, which then makes its QR codes, lays the
    // document out from its end and makes the font program ahead
    // (`Renderer::warm_up`): however far it gets before the render needs
    // them, the bytes are the same.
    for _ in 0..8 {
        built(
            &s,
            &["--locale", "ja", "--document", "handout", "--format", "pdf"],
        );
        let one = snapshot(&s.out());
        let pdf = std::path::Path::new("ja/handout.pdf");
        assert!(
            one.contains_key(pdf) && one.get(pdf) == full.get(pdf),
            "ja/handout.pdf differs"
        );
    }
}

#[test]
fn a_build_of_some_locales_reads_only_their_messages() {
    // `--locale ja` reads ja (the source) alone: a broken English file does
    // not stop it, and it writes what a full build writes for ja. A build
    // that needs English still refuses, and outputs of other locales from
    // an earlier build are kept, not taken for stale.
    let s = Scratch::new("small");
    let out = s.out();
    s.build_to(&out, &["-q"]).assert().success();
    let full = snapshot(&out);
    s.append("locales/en/talk.ftl", "\nbroken = {\n");
    let run = s
        .build_to(&out, &["--locale", "ja"])
        .assert()
        .success()
        .get_output()
        .clone();
    let (stdout, stderr) = output_text(&run);
    assert!(
        stdout.contains("ja/handout.pdf") && !stdout.contains("en/"),
        "{stdout}"
    );
    assert_eq!(stderr, "");
    assert_eq!(snapshot(&out), full, "ja rewritten identically, en kept");
    for args in [&["--locale", "en"][..], &[][..]] {
        let run = s.build_to(&out, args).assert().code(1).get_output().clone();
        let stderr = output_text(&run).1;
        assert!(stderr.contains("locales/en/talk.ftl"), "{args:?}: {stderr}");
    }
    assert_eq!(snapshot(&out), full, "a refused build writes nothing");
}

#[test]
fn unknown_locale_or_document_lists_the_choices() {
    // Bad arguments exit 2 (as clap's usage errors do), bad input 1.
    let s = Scratch::new("small");
    for (args, what) in [
        (vec!["--locale", "fr"], "unknown locale `fr`"),
        (
            vec!["--locale", "ja", "--document", "slides"],
            "unknown document `slides`",
        ),
    ] {
        let run = s
            .build_to(&s.out(), &args)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let (stdout, stderr) = output_text(&run);
        assert_eq!(stdout, "");
        assert!(
            stderr.contains("error[E0007]") && stderr.contains(what),
            "{stderr}"
        );
        assert!(snapshot(&s.out()).is_empty());
    }
    let run = s
        .build_to(&s.out(), &["--locale", "fr"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(output_text(&run).1.contains("choose from: ja, en"));
    let run = s
        .build_to(&s.out(), &["--document", "slides"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        output_text(&run)
            .1
            .contains("choose from: abstract, handout, outline")
    );
}

#[test]
fn unknown_format_lists_the_choices() {
    let s = Scratch::new("small");
    let out = s.out();
    let run = s
        .build_to(&out, &["--format", "docx"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let (stdout, stderr) = output_text(&run);
    assert_eq!(stdout, "");
    assert!(stderr.contains("docx"), "{stderr}");
    assert!(stderr.contains("md, txt, pdf"), "{stderr}");
    assert!(!out.exists() && !s.path("dist").exists());
}

#[test]
fn unknown_format_exits_2_like_other_bad_selections() {
    let s = Scratch::new("small");
    s.build_to(&s.out(), &["--format", "docx"]).assert().code(2);
}

/// `style = "numbered"` on a list item numbers its sub-items in every
/// format; an unknown style is an error at its place, in build and check.
#[test]
fn nested_items_can_be_numbered_and_a_bad_style_is_located() {
    let s = Scratch::new("small");
    s.replace(
        "content/documents/outline.toml",
        "{ id = \"outline-middle\", items",
        "{ id = \"outline-middle\", style = \"numbered\", items",
    );
    s.build(&[]).assert().success();
    let md = s.read("dist/ja/outline.md");
    assert!(md.contains("- 本題\n  1. "), "{md}");
    assert!(md.contains("\n  2. **まとめ**"), "{md}");
    let txt = s.read("dist/ja/outline.txt");
    assert!(txt.contains("- 本題\n  1. "), "{txt}");
    assert!(txt.contains("\n  2. まとめ"), "{txt}");
    let pdf = common::pdf_body_text(&s.path("dist/ja/outline.pdf"), &["-raw"]);
    assert!(
        pdf.contains("2. まとめ") || pdf.contains("2.まとめ"),
        "{pdf}"
    );

    s.replace(
        "content/documents/outline.toml",
        "style = \"numbered\", items",
        "style = \"roman\", items",
    );
    let out = s.run(&["build"]);
    let (_, stderr) = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("E0204"), "{stderr}");
    assert!(stderr.contains("unknown list style `roman`"), "{stderr}");
    let line = s
        .read("content/documents/outline.toml")
        .lines()
        .position(|l| l.contains("\"roman\""))
        .expect("the style line")
        + 1;
    assert!(
        stderr.contains(&format!("outline.toml:{line}:")),
        "no location in {stderr}"
    );
    let out = s.run(&["check", "--output-format", "json"]);
    let (stdout, _) = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("\"E0204\""), "{stdout}");
}
