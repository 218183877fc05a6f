//! The promises of the README's "Guarantees" section, each tried as a
//! hostile user would: check ⇒ build, nothing raw on a terminal, bounded
//! time and memory, never outside `--out`, all-or-nothing outputs,
//! parallel runs, and the small lies fixed. Scratch projects, real binary.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{Scratch, snapshot, talkdoc};

/// A generous guard against hangs (a FIFO, `/dev/zero`): far above any
/// normal run, and it fails the test instead of stalling CI. Not a speed
/// target; those live in `cargo bench`.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// The small fixture with every translation reviewed: `check` passes.
fn clean() -> Scratch {
    let s = Scratch::new("small");
    let o = run(&s, &["review", "--all"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let c = run(&s, &["check"]);
    assert_eq!(c.status.code(), Some(0), "{}", text(&c.stdout));
    s
}

fn run(s: &Scratch, args: &[&str]) -> Output {
    talkdoc()
        .arg("--project")
        .arg(s.project())
        .args(args)
        .timeout(HANG_GUARD)
        .output()
        .expect("run talkdoc")
}

/// `talkdoc args` run in `dir` (no `--project`: found from there).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    talkdoc()
        .current_dir(dir)
        .args(args)
        .timeout(HANG_GUARD)
        .output()
        .expect("run talkdoc")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// What a run printed, stdout then stderr.
fn both(o: &Output) -> String {
    text(&o.stdout) + &text(&o.stderr)
}

/// `build` into `out` and `check`, both on the same project.
fn build_and_check(s: &Scratch, out: &Path) -> (Output, Output) {
    let b = run(s, &["build", "--out", out.to_str().expect("utf-8 path")]);
    let c = run(s, &["check", "--output-format", "json"]);
    (b, c)
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("json: {e}\n{}", text(&o.stdout)))
}

/// The findings of a `check --output-format json` run: (code, "file:line:column").
fn findings(o: &Output) -> Vec<(String, String)> {
    json(o)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                format!(
                    "{}:{}:{}",
                    f["file"].as_str().unwrap_or("-"),
                    f["line"],
                    f["column"]
                ),
            )
        })
        .collect()
}

fn has_finding(o: &Output, code: &str, at: &str) -> bool {
    findings(o)
        .iter()
        .any(|(c, l)| c == code && l.starts_with(at))
}

// ---------------------------------------------------------------------------
// 1. check is build's pre-flight.

/// A named change that breaks a clean project.
type Breakage = (&'static str, Box<dyn Fn(&Scratch)>);

/// Every bad input the suite knows of, as a change to a clean project.
fn bad_inputs() -> Vec<Breakage> {
    vec![
        (
            "emoji missing from the font",
            Box::new(|s| s.replace("locales/en/talk.ftl", "Analyse", "Analyse 🦀")),
        ),
        (
            "astral ideograph missing from the font",
            Box::new(|s| s.replace("locales/ja/talk.ftl", "分析", "分析\u{2A6D6}")),
        ),
        (
            "combined names no document",
            Box::new(|s| {
                s.replace(
                    "content/project.toml",
                    "combined = \"handout\"",
                    "combined = \"handot\"",
                )
            }),
        ),
        (
            "title names no message",
            Box::new(|s| {
                s.replace(
                    "content/project.toml",
                    "title = \"talk-title\"",
                    "title = \"talk-titel\"",
                )
            }),
        ),
        (
            "control character",
            Box::new(|s| s.replace("locales/en/talk.ftl", "Analyse", "Ana\u{7}lyse")),
        ),
        (
            "BIDI override",
            Box::new(|s| s.replace("locales/en/talk.ftl", "Analyse", "\u{202E}esylanA")),
        ),
        (
            "javascript link",
            Box::new(|s| {
                s.replace(
                    "locales/en/talk.ftl",
                    "https://example.com",
                    "javascript:alert(1)//",
                )
            }),
        ),
        (
            "select nested 101 deep",
            Box::new(|s| {
                let n = 101;
                let deep = format!(
                    "outline-step-2 = {}x{}\n",
                    "{ $name ->\n [a] ".repeat(n),
                    "\n *[b] y\n}".repeat(n)
                );
                s.replace("locales/en/talk.ftl", "outline-step-2 = Analyse\n", &deep)
            }),
        ),
        (
            "expansion bomb",
            Box::new(|s| {
                let mut bomb = String::from("outline-step-2 = { bomb-1 }{ bomb-1 }\n");
                for i in 1..30 {
                    bomb.push_str(&format!(
                        "bomb-{i} = {{ bomb-{} }}{{ bomb-{} }}\n",
                        i + 1,
                        i + 1
                    ));
                }
                bomb.push_str("bomb-30 = boom\n");
                s.replace("locales/en/talk.ftl", "outline-step-2 = Analyse\n", &bomb)
            }),
        ),
        (
            "font is a folder",
            Box::new(|s| {
                std::fs::create_dir_all(s.path("fonts/x.otf")).expect("mkdir");
                s.append("content/project.toml", "font = \"fonts/x.otf\"\n");
            }),
        ),
        (
            "font is not a font",
            Box::new(|s| {
                s.write("fonts/x.otf", "not a font");
                s.append("content/project.toml", "font = \"fonts/x.otf\"\n");
            }),
        ),
        (
            "CFF font built to blow up",
            Box::new(|s| {
                s.write("fonts/bomb.otf", common::font_bomb(200, 9, None));
                s.append("content/project.toml", "font = \"fonts/bomb.otf\"\n");
            }),
        ),
        (
            "unknown message in a document",
            Box::new(|s| {
                s.replace(
                    "content/documents/outline.toml",
                    "\"outline-step-2\"",
                    "\"outline-step-3\"",
                )
            }),
        ),
        (
            "syntax error",
            Box::new(|s| s.replace("locales/en/talk.ftl", "Analyse", "Analyse {")),
        ),
        (
            "a .ftl file linked from outside the project",
            Box::new(|s| {
                #[cfg(unix)]
                std::os::unix::fs::symlink("/etc/hostname", s.path("locales/en/more.ftl"))
                    .expect("symlink");
            }),
        ),
    ]
}

#[test]
fn check_fails_whenever_build_fails_and_build_writes_nothing() {
    for (what, break_it) in bad_inputs() {
        let s = clean();
        break_it(&s);
        let out = s.out();
        let (b, c) = build_and_check(&s, &out);
        let berr = text(&b.stderr);
        assert_eq!(
            b.status.code(),
            Some(1),
            "{what}: build should fail:\n{berr}"
        );
        assert!(!berr.contains("panicked"), "{what}: {berr}");
        assert!(berr.contains("nothing was written"), "{what}: {berr}");
        assert!(snapshot(&out).is_empty(), "{what}: build wrote something");
        assert!(
            matches!(c.status.code(), Some(1 | 2)),
            "{what}: check passed what build rejects:\n{}",
            text(&c.stdout)
        );
        // Every error build printed is a finding of check, with a location.
        let codes: Vec<String> = findings(&c).into_iter().map(|(code, _)| code).collect();
        for code in berr
            .lines()
            .filter_map(|l| l.strip_prefix("error["))
            .filter_map(|l| l.split(']').next())
        {
            assert!(
                codes.iter().any(|c| c == code),
                "{what}: build reported {code}, check did not: {codes:?}\n{berr}"
            );
        }
    }
}

/// `subsetter` splices a CFF font's subroutines into its glyphs with no
/// limit: a 3 KB font whose glyph calls a routine that calls the next 200
/// times, nine deep, kept `build` busy forever. Now `check` and `build`
/// refuse it at the `font` setting (E0502), and the same font built tame
/// (which proves it well-formed) is embedded.
#[test]
fn a_cff_font_built_to_blow_up_is_refused_at_the_font_setting() {
    let s = clean();
    let line = s.read("content/project.toml").lines().count() + 1;
    s.write("fonts/bomb.otf", common::font_bomb(2, 3, None));
    s.append("content/project.toml", "font = \"fonts/bomb.otf\"\n");
    let (b, c) = build_and_check(&s, &s.out());
    assert_eq!(c.status.code(), Some(0), "{}", text(&c.stdout));
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    let fonts = common::run_tool("pdffonts", &[s.out().join("en/abstract.pdf").as_os_str()]);
    let embedded: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(
        embedded.len() == 1
            && embedded[0].contains("+Font-Identity-H ")
            && embedded[0].contains(" yes "),
        "the tame font (it has no name table) is the one embedded:\n{fonts}"
    );

    let out = s.path("dist2");
    let at = format!("content/project.toml:{line}:8");
    // `font` refused by check and build alike: E0502 at the setting, its
    // message saying `why`, build exit 1 and nothing written.
    let refused = |font: Vec<u8>, why: &str| {
        s.write("fonts/bomb.otf", font);
        let (b, c) = build_and_check(&s, &out);
        assert!(has_finding(&c, "E0502", &at), "{why}: {:?}", findings(&c));
        let message = json(&c)["findings"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(why), "{message}\n{}", text(&c.stdout));
        let berr = text(&b.stderr);
        assert_eq!(b.status.code(), Some(1), "{berr}");
        assert!(
            berr.contains("error[E0502]") && berr.contains(&at),
            "{berr}"
        );
        assert!(snapshot(&out).is_empty(), "nothing written");
    };
    refused(
        common::font_bomb(200, 9, None),
        "cannot be embedded: glyph 1 expands past 1024 KB",
    );
    // Only the bullet, which layout draws and no text holds, blows up:
    // check still sees it.
    refused(common::font_bomb(200, 9, Some('•')), "glyph 1 expands past");

    // Dressed up as something a strict reader and subsetter read apart
    // (the Top DICT naming CharStrings twice, a call number with a
    // fraction): refused, even built tame, never handed to subsetter.
    for (twist, why) in [
        (common::Twist::TwoCharStrings, "its CFF table is malformed"),
        (
            common::Twist::FixedCall,
            "glyph 1 has a charstring whose subsetting talkdoc cannot bound",
        ),
    ] {
        for (calls, depth) in [(200, 9), (2, 3)] {
            refused(common::font_bomb_with(calls, depth, None, twist), why);
        }
    }

    // TrueType: composites gathered with a bound too. Built tame (two
    // references) it is embedded; with 80,000 (6.4 billion reads as
    // subsetter gathers them) it is refused.
    s.write("fonts/bomb.otf", common::truetype_bomb(2));
    let (b, c) = build_and_check(&s, &out);
    assert_eq!(c.status.code(), Some(0), "{}", text(&c.stdout));
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    std::fs::remove_dir_all(&out).expect("clean");
    refused(
        common::truetype_bomb(80_000),
        "composite glyphs take more than",
    );
    // Read differently by subsetter (loca to its end, shared bytes copied
    // once per glyph): refused even tame.
    refused(
        common::truetype_bomb_with(2, 7, false),
        "a component beyond its glyph count",
    );
    refused(
        common::truetype_bomb_with(2, 2, true),
        "offsets out of order",
    );
}

#[test]
fn a_missing_glyph_is_one_located_finding_per_message_naming_every_character() {
    let s = clean();
    s.replace("locales/en/talk.ftl", "Analyse", "Analyse 🦀 and 🐙 🦀");
    let (b, c) = build_and_check(&s, &s.out());
    assert!(
        has_finding(&c, "E0503", "locales/en/talk.ftl:16:1"),
        "{:?}",
        findings(&c)
    );
    let f = &json(&c)["findings"][0];
    let message = f["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("U+1F980") && message.contains("U+1F419"),
        "{message}"
    );
    assert_eq!(f["message_id"], "outline-step-2");
    assert!(
        text(&b.stderr).contains("locales/en/talk.ftl:16:1"),
        "{}",
        text(&b.stderr)
    );
}

#[test]
fn combined_naming_a_missing_document_is_an_error_at_its_location() {
    let s = clean();
    s.replace(
        "content/project.toml",
        "combined = \"handout\"",
        "combined = \"handot\"",
    );
    let (b, c) = build_and_check(&s, &s.out());
    assert!(
        has_finding(&c, "E0209", "content/project.toml:12:12"),
        "{:?}",
        findings(&c)
    );
    assert!(text(&b.stderr).contains("`combined` names the document `handot`"));
}

// ---------------------------------------------------------------------------
// 2. Content safety.

#[test]
fn control_and_invisible_characters_are_located_errors_and_never_reach_outputs() {
    let cases = [
        ("\u{0}", "E0108", "U+0000"),
        ("\u{1b}[2J", "E0108", "U+001B"),
        ("\u{7}", "E0108", "U+0007"),
        ("\r", "E0108", "U+000D"),
        ("\u{202E}", "E0109", "U+202E"),
        ("\u{2066}", "E0109", "U+2066"),
        ("\u{2069}", "E0109", "U+2069"),
        ("\u{200B}", "E0109", "U+200B"),
        ("\u{200D}", "E0109", "U+200D"),
    ];
    for (bad, code, named) in cases {
        let s = clean();
        s.replace("locales/en/talk.ftl", "Analyse", &format!("Ana{bad}lyse"));
        let (b, c) = build_and_check(&s, &s.out());
        assert_eq!(b.status.code(), Some(1), "{named}");
        assert!(snapshot(&s.out()).is_empty(), "{named}: outputs written");
        assert!(
            has_finding(&c, code, "locales/en/talk.ftl:16:21"),
            "{named}: {:?}",
            findings(&c)
        );
        let berr = text(&b.stderr);
        assert!(
            berr.contains(named) && berr.contains("locales/en/talk.ftl:16:21"),
            "{berr}"
        );
    }
    // Tabs and CRLF line endings stay allowed.
    let s = clean();
    s.replace("locales/en/talk.ftl", "Analyse", "Analyse\tthis");
    let crlf = s.read("locales/ja/talk.ftl").replace('\n', "\r\n");
    s.write("locales/ja/talk.ftl", crlf);
    let (b, c) = build_and_check(&s, &s.out());
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    assert_eq!(c.status.code(), Some(0), "{}", text(&c.stdout));
    // A joiner inside an emoji sequence is not hidden text (the built-in
    // font has no emoji: that is E0503, not E0109).
    let s = clean();
    s.replace("locales/en/talk.ftl", "Analyse", "Analyse 👩\u{200D}💻");
    let c = run(&s, &["check", "--output-format", "json"]);
    let codes: Vec<String> = findings(&c).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["E0503"], "{codes:?}");
}

#[test]
fn only_http_https_and_mailto_links_are_live_unless_allowed() {
    for url in [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
    ] {
        let s = clean();
        s.replace("locales/en/talk.ftl", "https://example.com/a?b=1&c=2", url);
        let (b, c) = build_and_check(&s, &s.out());
        assert_eq!(b.status.code(), Some(1), "{url}");
        assert!(snapshot(&s.out()).is_empty(), "{url}: outputs written");
        assert!(
            has_finding(&c, "E0310", "locales/en/talk.ftl:7:"),
            "{url}: {:?}",
            findings(&c)
        );
    }
    let s = clean();
    s.replace(
        "locales/en/talk.ftl",
        "https://example.com/a?b=1&c=2",
        "ftp://example.com/a",
    );
    s.append(
        "content/project.toml",
        "\n[check]\nallow_link_schemes = [\"ftp\"]\n",
    );
    let (b, c) = build_and_check(&s, &s.out());
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    assert_eq!(c.status.code(), Some(0), "{}", text(&c.stdout));
    let md = std::fs::read_to_string(s.out().join("en/abstract.md")).expect("md");
    assert!(md.contains("ftp://example.com/a"), "{md}");
}

// ---------------------------------------------------------------------------
// 3. Nothing raw reaches a terminal.

#[test]
fn escape_sequences_from_the_input_are_shown_escaped_in_human_and_github_formats() {
    let s = clean();
    // Clear screen, set the window title, and an OSC 8 link.
    s.replace(
        "locales/en/talk.ftl",
        "Analyse",
        "Ana\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]8;;http://evil\u{1b}\\lyse",
    );
    for format in ["human", "github"] {
        let c = run(&s, &["check", "--output-format", format]);
        let out = text(&c.stdout);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: raw control in {out:?}"
        );
        if format == "human" {
            // Named, and shown where it is with a placeholder per byte
            // (so the caret still points at it), as `build` shows it.
            assert!(out.contains("control character U+001B"), "{out}");
            assert!(
                out.contains("│ outline-step-2 = Ana?[2J?]0;pwned?"),
                "{out}"
            );
        }
    }
    let b = run(&s, &["build", "--out", s.out().to_str().expect("path")]);
    let err = text(&b.stderr);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}'),
        "raw control in {err:?}"
    );
    // JSON stays exact.
    let j = run(&s, &["check", "--output-format", "json"]);
    assert!(
        json(&j)["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["source_line"]
                .as_str()
                .is_some_and(|l| l.contains('\u{1b}')))
    );
}

// ---------------------------------------------------------------------------
// 4. Bounded resources.

#[test]
fn deep_nesting_is_refused_before_parsing() {
    for (what, value) in [
        (
            "selects",
            format!(
                "{}x{}",
                "{ $name ->\n [a] ".repeat(10_000),
                "\n *[b] y\n}".repeat(10_000)
            ),
        ),
        ("placeables", "{".repeat(100_000)),
        (
            "call arguments",
            format!(
                "{{ NUMBER({}1{}) }}",
                "NUMBER(".repeat(5_000),
                ")".repeat(5_000)
            ),
        ),
    ] {
        let s = clean();
        s.replace(
            "locales/en/talk.ftl",
            "outline-step-2 = Analyse\n",
            &format!("outline-step-2 = {value}\n"),
        );
        for cmd in [&["check"][..], &["build"], &["review", "--all"]] {
            let o = run(&s, cmd);
            let all = both(&o);
            assert!(
                matches!(o.status.code(), Some(1 | 2)),
                "{what} {cmd:?}: {:?}",
                o.status
            );
            assert!(
                all.contains("E0107"),
                "{what} {cmd:?}: {}",
                &all[..all.len().min(2000)]
            );
            assert!(all.contains("locales/en/talk.ftl:"), "{what} {cmd:?}");
            // Only that entry is lost: no cascade over the rest of the file.
            assert!(
                !all.contains("talk-title"),
                "{what} {cmd:?}: other entries lost"
            );
            assert!(
                all.len() < 50_000,
                "{what} {cmd:?}: {} bytes of output",
                all.len()
            );
        }
    }
}

#[test]
fn a_huge_expansion_is_refused_without_expanding_it() {
    let s = clean();
    let big = "x".repeat(900_000);
    let mut ftl = format!("-big = {big}\n");
    ftl.push_str(&format!("outline-step-2 = {}\n", "{ -big }".repeat(99)));
    s.replace("locales/en/talk.ftl", "outline-step-2 = Analyse\n", &ftl);
    // Another 60 messages using it 99 times each: fully expanded, 5 GB.
    let mut more = String::new();
    for i in 0..60 {
        more.push_str(&format!("big-{i} = {}\n", "{ -big }".repeat(99)));
    }
    s.append("locales/en/talk.ftl", &more);
    let (b, c) = build_and_check(&s, &s.out());
    assert!(
        has_finding(&c, "E0309", "locales/en/talk.ftl:"),
        "{:?}",
        findings(&c)
    );
    assert!(
        text(&b.stderr).contains("can expand to 85.0 MB"),
        "{}",
        text(&b.stderr)
    );
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_oversized_files_are_refused_without_reading_them() {
    use std::os::unix::fs::symlink;
    let mkfifo = |p: &Path| {
        let status = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .expect("mkfifo");
        assert!(status.success());
    };
    // A FIFO as the project settings, as a review record and as a .ftl.
    for (file, code) in [
        ("content/project.toml", "E0001"),
        ("locales/en.reviewed.toml", "E0601"),
        ("locales/en/more.ftl", "E0004"),
    ] {
        let s = clean();
        let p = s.path(file);
        let _ = std::fs::remove_file(&p);
        mkfifo(&p);
        let c = run(&s, &["check"]);
        let err = text(&c.stderr) + &text(&c.stdout);
        assert!(matches!(c.status.code(), Some(1 | 2)), "{file}: {err}");
        assert!(
            err.contains(code) && err.contains("named pipe"),
            "{file}: {err}"
        );
    }
    // A document that is really /dev/zero: outside the project, so refused
    // before it is opened (see `links_leading_out_of_the_project_are_never_read`).
    let s = clean();
    symlink("/dev/zero", s.path("content/documents/zero.toml")).expect("symlink");
    let c = run(&s, &["build"]);
    assert_eq!(c.status.code(), Some(1));
    assert!(
        text(&c.stderr).contains("leads outside the project folder"),
        "{}",
        text(&c.stderr)
    );
    // A font may be anywhere (a system font), but never a device.
    let s = clean();
    s.append("content/project.toml", "font = \"/dev/zero\"\n");
    let (b, c) = build_and_check(&s, &s.out());
    assert!(
        text(&b.stderr).contains("is a device"),
        "{}",
        text(&b.stderr)
    );
    assert!(
        has_finding(&c, "E0501", "content/project.toml:13:8"),
        "{:?}",
        findings(&c)
    );
    // A 1 GB font (sparse: costs no disk).
    let s = clean();
    let f = std::fs::File::create(s.path("big.otf")).expect("font");
    f.set_len(1 << 30).expect("set_len");
    s.append("content/project.toml", "font = \"big.otf\"\n");
    let (b, c) = build_and_check(&s, &s.out());
    assert!(text(&b.stderr).contains("1024 MB"), "{}", text(&b.stderr));
    assert!(
        has_finding(&c, "E0501", "content/project.toml:13:8"),
        "{:?}",
        findings(&c)
    );
}

/// A pull request can commit symbolic links. `check` quotes what it reads,
/// so a link to a file outside the project (the runner's environment, a
/// credentials file) would print it into a public CI log. Every kind of
/// project file is refused when it leads outside, before it is read; links
/// within the project are followed as before, and a `--locales` folder
/// named on the command line is trusted like the project folder.
#[cfg(unix)]
#[test]
fn links_leading_out_of_the_project_are_never_read() {
    use std::os::unix::fs::symlink;
    const SECRET: &str = "SECRET_TOKEN_d41d8cd98f";
    let outside = tempfile::tempdir().expect("temporary folder");
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, format!("{SECRET}\n[{SECRET}]\n")).expect("secret");
    let secret_dir = outside.path().join("dir");
    std::fs::create_dir_all(&secret_dir).expect("dir");
    std::fs::write(
        secret_dir.join("credentials.toml"),
        format!("token = {SECRET}\n"),
    )
    .expect("credentials");
    std::fs::write(secret_dir.join("evil.ftl"), format!("{SECRET}\n")).expect("ftl");

    // (what the link replaces or adds, what it points at, the code)
    let cases: [(&str, &Path, &str); 6] = [
        ("locales/en/evil.ftl", &secret, "E0004"),
        ("content/documents/evil.toml", &secret, "E0001"),
        ("content/project.toml", &secret, "E0001"),
        ("locales/en.reviewed.toml", &secret, "E0601"),
        ("content/documents", &secret_dir, "E0001"),
        ("locales/en", &secret_dir, "E0003"),
    ];
    for (file, target, code) in cases {
        let s = clean();
        let p = s.path(file);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).expect("remove folder");
        } else {
            let _ = std::fs::remove_file(&p);
        }
        symlink(target, &p).expect("symlink");
        let record = file.ends_with(".reviewed.toml");
        let commands: &[&[&str]] = if record {
            // A build never reads the review record; `review --all`
            // replaces a record it cannot read (below).
            &[&["check"], &["check", "--output-format", "json"]]
        } else {
            &[
                &["check"],
                &["check", "--output-format", "json"],
                &["build"],
                &["review", "--all"],
            ]
        };
        for args in commands {
            let o = run(&s, args);
            let all = both(&o);
            assert!(
                matches!(o.status.code(), Some(1 | 2)),
                "{file} {args:?}: {all}"
            );
            assert!(
                !all.contains(SECRET),
                "{file} {args:?} printed the secret:\n{all}"
            );
            assert!(
                all.contains(code) && all.contains("leads outside the project folder"),
                "{file} {args:?}: {all}"
            );
        }
        assert!(
            !s.out().exists(),
            "{file}: build wrote {:?}",
            walk(&s.out())
        );
        if record {
            let o = run(&s, &["review", "--all"]);
            let all = both(&o);
            assert_eq!(o.status.code(), Some(0), "{all}");
            assert!(!all.contains(SECRET), "printed the secret:\n{all}");
            assert!(!p.is_symlink(), "the link was written through");
            assert_eq!(
                std::fs::read_to_string(&secret).expect("secret"),
                format!("{SECRET}\n[{SECRET}]\n")
            );
        }
    }

    // Coverage mode: l10n.toml itself a link out.
    let s = Scratch::new("small");
    let l10n = outside.path().join("l10n.toml");
    std::fs::write(&l10n, format!("basepath = \".\"\nlocales = [\"{SECRET}\"]\n[[paths]]\nreference = \"x\"\nl10n = \"y\"\n")).expect("l10n");
    std::fs::remove_dir_all(s.path("content")).expect("no content");
    symlink(&l10n, s.path("l10n.toml")).expect("symlink");
    let o = run(&s, &["check"]);
    let all = both(&o);
    assert!(!all.contains(SECRET), "printed the secret:\n{all}");
    assert!(
        all.contains("E0009") && all.contains("leads outside"),
        "{all}"
    );

    // A link that stays inside the project is followed.
    let s = clean();
    std::fs::create_dir_all(s.path("shared")).expect("shared");
    std::fs::rename(s.path("locales/en/talk.ftl"), s.path("shared/talk.ftl")).expect("move");
    symlink("../../shared/talk.ftl", s.path("locales/en/talk.ftl")).expect("symlink");
    let c = run(&s, &["check"]);
    assert_eq!(c.status.code(), Some(0), "{}", both(&c));

    // Coverage mode finds a linked locale folder: inside the project it is
    // checked, outside it is refused (it was once skipped without a word,
    // and `check` passed without checking that locale).
    let s = Scratch::new("small");
    std::fs::remove_dir_all(s.path("content")).expect("no content");
    std::fs::create_dir_all(s.path("shared")).expect("shared");
    std::fs::rename(s.path("locales/en"), s.path("shared/en")).expect("move");
    symlink("../shared/en", s.path("locales/en")).expect("symlink");
    let o = run(&s, &["check", "--source-locale", "ja"]);
    let all = both(&o);
    assert!(
        all.lines().any(|l| l.starts_with("en ")),
        "the linked en folder was not checked:\n{all}"
    );
    std::fs::remove_file(s.path("locales/en")).expect("unlink");
    symlink(&secret_dir, s.path("locales/en")).expect("symlink");
    let o = run(&s, &["check", "--source-locale", "ja"]);
    let all = both(&o);
    assert!(!all.contains(SECRET), "printed the secret:\n{all}");
    assert!(
        all.contains("E0003") && all.contains("leads outside"),
        "{all}"
    );

    // A --locales folder outside the project, named on the command line, is read.
    let s = clean();
    let locales = s.path("locales");
    let o = run_in(
        outside.path(),
        &["check", "--locales", locales.to_str().expect("utf-8")],
    );
    let all = both(&o);
    assert!(!all.contains("leads outside"), "{all}");
    assert!(all.contains("ja"), "{all}");
}

/// What a review found after the boundary went in: a chain of links
/// longer than `realpath` resolves (but the kernel opens), a committed
/// `dist` link, a `--locales` folder named inside the project that is a
/// link out, and `i18n.toml` with its `assets_dir`.
#[cfg(unix)]
#[test]
fn links_that_cannot_be_resolved_or_hide_behind_named_folders_are_refused() {
    use std::os::unix::fs::symlink;
    const SECRET: &str = "SECRET_TOKEN_9e107d9d37";
    let outside = tempfile::tempdir().expect("temporary folder");
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, format!("{SECRET}\n")).expect("secret");
    let assert_refused = |o: &Output, code: &str, what: &str| {
        let all = both(o);
        assert!(matches!(o.status.code(), Some(1 | 2)), "{what}: {all}");
        assert!(!all.contains(SECRET), "{what} printed the secret:\n{all}");
        assert!(all.contains(code), "{what}: {all}");
    };

    // A resolved path over 4,096 bytes: `realpath` gives up, `open` does
    // not. Made with relative paths (each under the limit) from inside.
    let s = clean();
    let rel = format!(
        "z/{}/{}",
        vec!["a".repeat(250); 16].join("/"),
        "b".repeat(72)
    );
    let sh = |args: &[&str]| {
        let ok = std::process::Command::new(args[0])
            .args(&args[1..])
            .current_dir(s.project())
            .status()
            .is_ok_and(|st| st.success());
        assert!(ok, "{}", args[0]);
    };
    sh(&["mkdir", "-p", &rel]);
    sh(&[
        "ln",
        "-s",
        secret.to_str().expect("utf-8"),
        &format!("{rel}/s"),
    ]);
    sh(&["ln", "-s", &format!("{}/s", &rel[2..]), "z/k"]);
    symlink("../../z/k", s.path("locales/en/x.ftl")).expect("symlink");
    assert!(
        std::fs::read_to_string(s.path("locales/en/x.ftl")).is_ok_and(|t| t.contains(SECRET)),
        "the chain opens"
    );
    for args in [&["check"][..], &["build"]] {
        let o = run(&s, args);
        assert_refused(&o, "E0004", "a chain too long to resolve");
        assert!(
            text(&o.stderr).contains("cannot be resolved"),
            "{}",
            text(&o.stderr)
        );
    }

    // A committed `dist` link: the default output folder leads outside.
    let s = clean();
    let elsewhere = outside.path().join("dist");
    std::fs::create_dir_all(&elsewhere).expect("dist");
    symlink(&elsewhere, s.path("dist")).expect("symlink");
    let o = run(&s, &["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("E0402"), "{}", text(&o.stderr));
    assert_eq!(
        walk(&elsewhere),
        Vec::<String>::new(),
        "wrote through the dist link"
    );
    // Named with --out, the same folder is the user's choice.
    let b = run(&s, &["build", "--out", elsewhere.to_str().expect("utf-8")]);
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));

    // `--locales locales` where the project's `locales` is a link out.
    let s = clean();
    let shared = outside.path().join("shared");
    for l in ["en-US", "ja"] {
        std::fs::create_dir_all(shared.join(l)).expect("locale");
        std::fs::write(shared.join(l).join("a.ftl"), format!("leak = {SECRET}\n")).expect("ftl");
    }
    std::fs::remove_dir_all(s.path("locales")).expect("no locales");
    symlink(&shared, s.path("locales")).expect("symlink");
    let o = run_in(&s.project(), &["check", "--locales", "locales"]);
    assert_refused(&o, "E0003", "--locales through a link");

    // Nor a folder named through a committed link inside the project
    // (`sub -> ../elsewhere`, `--locales sub/l10n`).
    let s = clean();
    symlink(outside.path(), s.path("sub")).expect("symlink");
    std::fs::rename(&shared, outside.path().join("l10n")).expect("move");
    let o = run_in(&s.project(), &["check", "--locales", "sub/l10n"]);
    assert_refused(&o, "E0003", "--locales through a committed link on the way");
    // The same, reached through a linked --project and `..`.
    let plink = outside.path().join("plink");
    symlink(s.project(), &plink).expect("symlink");
    let name = s.project().file_name().expect("a name").to_owned();
    let through = Path::new("..").join(&name).join("sub/l10n");
    let o = run_in(
        outside.path(),
        &[
            "check",
            "--project",
            "plink",
            "--locales",
            through.to_str().expect("utf-8"),
        ],
    );
    assert_refused(
        &o,
        "E0003",
        "--locales through a linked project and a committed link",
    );

    // A checkout with the project in a subfolder and the locales beside
    // it (`--project sub --locales ../l10n`, run from the checkout): a
    // pull request that turns `l10n` into a link out is refused too.
    let checkout = tempfile::tempdir().expect("checkout");
    std::fs::create_dir_all(checkout.path().join("sub")).expect("sub");
    symlink(outside.path().join("l10n"), checkout.path().join("l10n")).expect("symlink");
    let o = run_in(
        checkout.path(),
        &["check", "--project", "sub", "--locales", "../l10n"],
    );
    assert_refused(
        &o,
        "E0003",
        "a linked folder of the checkout beside the project",
    );

    // But `--project` through a link, `--locales` beside it: the folder
    // named is where the shell finds it, outside the project, and trusted.
    let data = outside.path().join("data");
    for l in ["en-US", "de"] {
        std::fs::create_dir_all(data.join("l10n").join(l)).expect("locale");
        std::fs::write(data.join("l10n").join(l).join("main.ftl"), "hello = Hi\n").expect("ftl");
    }
    std::fs::create_dir_all(data.join("proj")).expect("proj");
    symlink(data.join("proj"), outside.path().join("proj-link")).expect("symlink");
    let o = run_in(
        outside.path(),
        &["check", "--project", "proj-link", "--locales", "../l10n"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));

    // i18n.toml as a link out, and an assets_dir leading out.
    let s = Scratch::new("small");
    std::fs::remove_dir_all(s.path("content")).expect("no content");
    let i18n = outside.path().join("i18n.toml");
    std::fs::write(
        &i18n,
        "fallback_language = \"en\"\n[fluent]\nassets_dir = \"locales\"\n",
    )
    .expect("i18n");
    symlink(&i18n, s.path("i18n.toml")).expect("symlink");
    assert_refused(&run(&s, &["check"]), "E0009", "i18n.toml link");
    std::fs::remove_file(s.path("i18n.toml")).expect("unlink");
    s.write(
        "i18n.toml",
        "fallback_language = \"en\"\n[fluent]\nassets_dir = \"../..\"\n",
    );
    let o = run(&s, &["check"]);
    assert_refused(&o, "E0009", "assets_dir ../..");
    assert!(
        text(&o.stderr).contains("leads outside"),
        "{}",
        text(&o.stderr)
    );
}

// ---------------------------------------------------------------------------
// 5. Never outside --out; all or nothing.

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_output_folder_is_never_written_through() {
    let s = clean();
    let out = s.out();
    let elsewhere = s.dir.path().join("elsewhere");
    std::fs::create_dir_all(&out).expect("out");
    std::fs::create_dir_all(&elsewhere).expect("elsewhere");
    std::os::unix::fs::symlink(&elsewhere, out.join("ja")).expect("symlink");
    let b = run(&s, &["build", "--out", out.to_str().expect("path")]);
    assert_eq!(b.status.code(), Some(1));
    assert!(text(&b.stderr).contains("E0402") && text(&b.stderr).contains("symbolic link"));
    assert!(
        std::fs::read_dir(&elsewhere)
            .expect("read")
            .next()
            .is_none(),
        "wrote through the link"
    );
    let names: Vec<_> = std::fs::read_dir(&out)
        .expect("read")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["ja"], "nothing else written either");
}

/// An output whose target is a link to a file holding the very bytes the
/// build makes, or a FIFO, is not taken for "unchanged": the link is
/// replaced by a real file (the file it led to untouched) and the FIFO
/// too, without waiting on it.
#[test]
fn a_link_or_fifo_at_an_output_is_replaced_even_when_the_bytes_match() {
    let s = clean();
    let out = s.out();
    let out_s = out.to_str().expect("path");
    let first = run(&s, &["build", "-q", "--out", out_s]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let good = snapshot(&out);
    let md = out.join("ja/abstract.md");
    let twin = s.dir.path().join("twin.md");
    fs::copy(&md, &twin).expect("copy");
    fs::remove_file(&md).expect("rm");
    std::os::unix::fs::symlink(&twin, &md).expect("symlink");
    let txt = out.join("en/abstract.txt");
    fs::remove_file(&txt).expect("rm");
    let made = std::process::Command::new("mkfifo")
        .arg(&txt)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let b = run(&s, &["build", "--out", out_s]);
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    let stdout = text(&b.stdout);
    assert!(
        stdout.contains("wrote ") && stdout.contains("ja/abstract.md ("),
        "{stdout}"
    );
    assert!(
        stdout.contains("wrote ") && stdout.contains("en/abstract.txt ("),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("wrote ")).count(),
        2,
        "{stdout}"
    );
    for path in [&md, &txt] {
        let kind = fs::symlink_metadata(path).expect("there").file_type();
        assert!(kind.is_file(), "{} is not a regular file", path.display());
    }
    assert!(snapshot(&out) == good, "outputs differ from a clean build");
    assert_eq!(
        fs::read(&twin).expect("twin"),
        good[std::path::Path::new("ja/abstract.md")]
    );
}

#[test]
fn an_output_folder_overlapping_the_inputs_is_refused() {
    let s = clean();
    for out in [".", "locales", "locales/en", "content", ".."] {
        let before = snapshot(&s.project());
        let full = s.project().join(out);
        let b = run(&s, &["build", "--out", full.to_str().expect("path")]);
        assert_eq!(b.status.code(), Some(2), "--out {out}: {}", text(&b.stderr));
        assert!(text(&b.stderr).contains("E0403"), "{}", text(&b.stderr));
        assert!(
            before == snapshot(&s.project()),
            "--out {out} changed the project"
        );
    }
}

#[test]
fn a_failed_swap_restores_every_output_already_replaced() {
    let s = clean();
    let out = s.out();
    let first = run(&s, &["build", "--out", out.to_str().expect("path")]);
    assert_eq!(first.status.code(), Some(0));
    s.replace(
        "locales/ja/talk.ftl",
        "outline-start = はじめに",
        "outline-start = 序論",
    );
    s.replace(
        "locales/en/talk.ftl",
        "outline-start = Introduction",
        "outline-start = Opening",
    );
    let before = snapshot(&out);
    // An immutable file late in the write order (en after ja): the ja
    // outputs are swapped in before its swap fails.
    let locked = out.join("en/outline.txt");
    let chattr = |flag: &str| {
        let st = std::process::Command::new("chattr")
            .arg(flag)
            .arg(&locked)
            .status();
        assert!(
            st.is_ok_and(|s| s.success()),
            "chattr {flag} failed: this test needs root and a filesystem with immutable files (CI runs as root)"
        );
    };
    chattr("+i");
    let b = run(&s, &["build", "--out", out.to_str().expect("path")]);
    chattr("-i");
    let err = text(&b.stderr);
    assert_eq!(b.status.code(), Some(1), "{err}");
    assert!(
        err.contains("was restored") && err.contains("nothing was written"),
        "{err}"
    );
    assert!(before == snapshot(&out), "the output folder changed: {err}");
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| p.ends_with(".tmp") || p.ends_with(".old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}

// ---------------------------------------------------------------------------
// 6. Parallel runs.

/// Eight builds into one folder at once, each with files of its own to
/// write: six each take one locale and one format, two take everything,
/// and the folder starts out holding other bytes for every output (a
/// build of another edit), so none finds its files already there and
/// skips the writing.
#[test]
fn eight_parallel_builds_into_one_folder_all_succeed() {
    let s = clean();
    let reference = s.dir.path().join("reference");
    let one = run(&s, &["build", "--out", reference.to_str().expect("path")]);
    assert_eq!(one.status.code(), Some(0));
    let out = s.out();
    let out_s = out.to_str().expect("path").to_string();
    let talks = ["ja", "en"].map(|l| s.project().join(format!("locales/{l}/talk.ftl")));
    let originals = talks
        .clone()
        .map(|t| fs::read_to_string(t).expect("talk.ftl"));
    for (talk, original) in talks.iter().zip(&originals) {
        fs::write(talk, original.replace("-years = 13", "-years = 14")).expect("edit");
    }
    let other = run(&s, &["build", "-q", "--out", &out_s]);
    assert_eq!(other.status.code(), Some(0), "{}", text(&other.stderr));
    for (talk, original) in talks.iter().zip(&originals) {
        fs::write(talk, original).expect("restore");
    }
    let (prefilled, wanted) = (snapshot(&out), snapshot(&reference));
    let differing = wanted
        .iter()
        .filter(|(path, bytes)| prefilled.get(*path) != Some(*bytes))
        .count();
    assert!(differing >= 10, "{differing} outputs differ");
    let mut jobs: Vec<Vec<&str>> = Vec::new();
    for locale in ["ja", "en"] {
        for format in ["md", "txt", "pdf"] {
            jobs.push(vec!["--locale", locale, "--format", format]);
        }
    }
    jobs.push(Vec::new());
    jobs.push(Vec::new());
    let outs: Vec<Output> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|only| {
                let (s, out_s) = (&s, &out_s);
                scope.spawn(move || {
                    let mut args = vec!["build", "--out", out_s.as_str()];
                    args.extend(only);
                    run(s, &args)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    for o in &outs {
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    }
    // Every output that differed was written once, by whichever build
    // came to it first, whatever the order the lock gave them.
    let wrote: usize = outs
        .iter()
        .map(|o| {
            text(&o.stdout)
                .lines()
                .filter(|l| l.starts_with("wrote "))
                .count()
        })
        .sum();
    assert_eq!(wrote, differing, "files written across the eight builds");
    let strip = |m: std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        m.into_values().collect::<Vec<_>>()
    };
    assert!(
        strip(snapshot(&out)) == strip(snapshot(&reference)),
        "dist differs from one build"
    );
}

#[test]
fn eight_parallel_reviews_of_different_ids_all_land() {
    let s = Scratch::new("small");
    let ids = [
        "talk-title",
        "heading-abstract",
        "heading-outline",
        "abstract-intro",
        "abstract-notes",
        "outline-start",
        "outline-middle",
        "outline-middle-a",
    ];
    let outs: Vec<Output> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .iter()
            .map(|id| {
                let s = &s;
                scope.spawn(move || run(s, &["review", id, "--locale", "en"]))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    for o in &outs {
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    }
    let record = s.read("locales/en.reviewed.toml");
    for id in ids {
        assert!(
            record.lines().any(|l| l.starts_with(&format!("{id} = "))),
            "{id} lost:\n{record}"
        );
    }
}

// ---------------------------------------------------------------------------
// 8. The smaller lies.

#[test]
fn an_unusable_limit_is_an_error_at_its_location() {
    for (max, code) in [
        ("18446744073709551615", "E0201"),
        ("0", "L003"),
        ("-5", "L003"),
        ("10000000000", "L003"),
    ] {
        let s = clean();
        s.append(
            "content/project.toml",
            &format!("\n[[limits]]\ndocument = \"abstract\"\nlocale = \"ja\"\nmax = {max}\n"),
        );
        let c = run(&s, &["check", "--output-format", "json"]);
        assert!(matches!(c.status.code(), Some(1 | 2)), "max = {max}");
        let out = both(&c);
        assert!(
            out.contains(code) && out.contains("content/project.toml"),
            "max = {max}: {out}"
        );
        assert!(!out.contains("check passed"), "{out}");
    }
}

#[test]
fn a_deep_but_acyclic_include_chain_is_not_called_a_cycle() {
    let s = clean();
    for i in 0..18 {
        s.write(
            &format!("content/documents/chain{i}.toml"),
            if i == 17 {
                "[[blocks]]\ntype = \"paragraphs\"\nmessages = [\"abstract-intro\"]\n".to_string()
            } else {
                format!(
                    "[[blocks]]\ntype = \"include\"\ndocument = \"chain{}\"\n",
                    i + 1
                )
            },
        );
    }
    let b = run(&s, &["build", "--out", s.out().to_str().expect("path")]);
    assert_eq!(b.status.code(), Some(0), "{}", text(&b.stderr));
    // A real cycle still is one.
    s.write(
        "content/documents/chain17.toml",
        "[[blocks]]\ntype = \"include\"\ndocument = \"chain0\"\n",
    );
    let b = run(&s, &["build"]);
    assert!(
        text(&b.stderr).contains("includes itself"),
        "{}",
        text(&b.stderr)
    );
}

#[test]
fn fluent_syntax_errors_are_named_for_what_they_are() {
    let cases = [
        (
            "outline-step-2 = { $name ->\n   [a] x\n   [b] y\n}\n",
            "default variant",
        ),
        ("outline step 2 = Analyse\n", "identifier"),
    ];
    for (ftl, says) in cases {
        let s = clean();
        s.replace("locales/en/talk.ftl", "outline-step-2 = Analyse\n", ftl);
        let c = run(&s, &["check"]);
        let out = text(&c.stdout);
        assert!(out.contains("E0101") && out.contains(says), "{ftl}: {out}");
        assert!(!out.contains("never closed"), "{ftl}: {out}");
        assert!(!out.contains("continuation line"), "{ftl}: {out}");
    }
}

#[test]
fn bad_arguments_exit_2_in_every_command() {
    let s = clean();
    for args in [
        &["build", "--locale", "xx"][..],
        &["build", "--document", "xx"],
        &["review", "--all", "--locale", "xx"],
        &["review", "--all", "--locale", "ja"],
        &["review", "no-such-id"],
        &["check", "--output-format", "xml"],
    ] {
        let o = run(&s, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
    }
}

#[test]
fn malformed_content_exits_2_in_check_whatever_the_kind() {
    for (from, to, code) in [
        ("type = \"paragraphs\"", "type = \"paragraph\"", "E0202"),
        (
            "messages = [\"abstract-intro\", \"abstract-notes\"]",
            "",
            "E0203",
        ),
        ("type = \"paragraphs\"", "type = paragraphs", "E0201"),
    ] {
        let s = clean();
        s.replace("content/documents/abstract.toml", from, to);
        let c = run(&s, &["check"]);
        assert_eq!(c.status.code(), Some(2), "{code}: {}", text(&c.stderr));
        assert!(text(&c.stderr).contains(code), "{}", text(&c.stderr));
    }
}
