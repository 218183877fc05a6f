//! `talkdoc check` from the command line: one scratch project per finding
//! code, asserting what the user sees — the code, file:line:column, the
//! message ID, the text — and the exit status (0 clean or warnings only,
//! 1 error findings, 2 could not run). Also the JSON and GitHub formats,
//! `--deny-warnings`, colour, and the real project in this repository.
//!
//! Limits are in `check_limits.rs`, freshness and `review` in
//! `check_freshness.rs`.

use crate::check_support;

use check_support::*;
use serde_json::Value;

// ---------------------------------------------------------------------------
// A clean project
// ---------------------------------------------------------------------------

#[test]
fn a_clean_reviewed_project_passes_with_exit_0() {
    let p = Project::clean().reviewed();
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&[]);
    run.assert_stdout_has("check passed: 0 errors, 0 warnings");
    // The per-locale table: messages, translated, missing, stale, unreviewed, obsolete.
    let table: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(
        table.contains(&vec![
            "locale",
            "messages",
            "translated",
            "missing",
            "stale",
            "unreviewed",
            "obsolete"
        ]),
        "{}",
        run.stdout
    );
    assert!(
        table.contains(&vec!["ja", "(source)", "2", "-", "-", "-", "-", "-"]),
        "{}",
        run.stdout
    );
    assert!(
        table.contains(&vec!["en", "2", "2", "0", "0", "0", "0"]),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------
// E01xx: the Fluent files themselves
// ---------------------------------------------------------------------------

/// A continuation line must be indented and must not start with `[`, `*` or
/// `.`: fluent-rs silently turns such a line into Junk and the text vanishes
/// from every export. `check` reports it at the offending line.
#[test]
fn e0101_continuation_line_starting_with_bracket_star_or_dot_is_reported_at_its_line() {
    for line in ["[注] 補足です", "* 箇条書きのつもり", ".5倍速で話します"] {
        let ja = format!(
            "talk-title = テレメトリーを専門にするということ\n\
             abstract-p1 = 最初の行\n    {line}\n\
             abstract-p2 = 次の段落\n"
        );
        let p = Project::new(&ja, EN);
        let run = p.check(&[]);
        run.assert_code(1);
        // At the offending character (column 5, after the indentation),
        // naming it.
        let c = &line[..1];
        let f = run.finding("error[E0101] locales/ja/talk.ftl:3:5: ");
        assert!(f.contains(&format!("     3 |     {line}")), "{f}");
        assert!(
            f.contains(&format!("a continuation line cannot start with `{c}`")),
            "{f}"
        );
        assert_eq!(run.count("E0101"), 1, "{}", run.stdout);
        run.assert_stdout_has("check failed:");
    }
}

/// What a person reads: each finding names its file:line:column and shows
/// the line, drawn by the same emitter as `build`'s errors; the verdict
/// closes the output.
#[test]
fn the_human_format_shows_where_each_finding_is() {
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = I explain why { $topic matters.
";
    let p = Project::new(JA, en);
    let run = p.check(&[]);
    run.assert_code(1);
    run.assert_stdout_has("error[E0101]: ")
        .assert_stdout_has("┌─ locales/en/talk.ftl:2:")
        .assert_stdout_has("2 │ abstract-p1 = I explain why { $topic matters.")
        .assert_stdout_has("\ncheck failed: ");
    let build = p.talkdoc(&["build"]);
    build.assert_code(1);
    assert!(
        build.stderr.contains("error[E0101]: ")
            && build.stderr.contains("┌─ locales/en/talk.ftl:2:"),
        "{}",
        build.stderr
    );
}

#[test]
fn e0101_unclosed_placeable_in_the_translation() {
    let en = "\
talk-title = Specialising in telemetry
# A comment, so the error is not on the first lines.

abstract-p1 = I explain why { $topic matters.
";
    let p = Project::new(JA, en);
    let run = p.check(&[]);
    run.assert_code(1);
    let f = run.finding("error[E0101] locales/en/talk.ftl:4:");
    assert!(
        f.contains("     4 | abstract-p1 = I explain why { $topic matters."),
        "{f}"
    );
    // The broken entry is gone, so the source message has no translation.
    run.finding("error[C001] locales/ja/talk.ftl:2:1: abstract-p1: missing in `en`");
}

#[test]
fn e0102_invalid_utf8_is_reported_with_line_and_column() {
    let p = Project::clean().reviewed();
    // Latin-1 "café": 0xE9 is not UTF-8 here.
    p.write(
        "locales/en/extra.ftl",
        b"extra-a = fine\nextra-b = caf\xe9\n".as_slice(),
    );
    let run = p.check(&[]);
    run.assert_code(1);
    let f = run.finding(
        "error[E0102] locales/en/extra.ftl:2:14: not valid UTF-8 (byte 0xE9 at offset 28)",
    );
    assert!(f.contains("save the file as UTF-8"), "{f}");
    run.assert_codes(&["E0102"]);
}

#[test]
fn e0105_duplicate_id_in_one_file_and_across_files() {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = 一回目
abstract-p1 = 二回目
";
    let p = Project::new(ja, EN);
    p.write("locales/en/talk2.ftl", "\n\ntalk-title = Again\n");
    let run = p.check(&[]);
    run.assert_code(1);
    run.finding(
        "error[E0105] locales/ja/talk.ftl:3:1: abstract-p1: `abstract-p1` is defined twice; \
         the first definition is at locales/ja/talk.ftl:2:1",
    );
    run.finding(
        "error[E0105] locales/en/talk2.ftl:3:1: talk-title: `talk-title` is defined twice; \
         the first definition is at locales/en/talk.ftl:1:1",
    );
    assert_eq!(run.count("E0105"), 2, "{}", run.stdout);
}

#[test]
fn e0306_content_names_a_message_that_does_not_exist() {
    let p = Project::clean()
        .document("abstract", &paragraphs(&["abstract-p1", "abstract-p9"]))
        .reviewed();
    let run = p.check(&[]);
    run.assert_code(1);
    // Reported once per locale, at the ID in the content file.
    for locale in ["ja", "en"] {
        let f = run.finding(&format!(
            "error[E0306] content/documents/abstract.toml:5:28: abstract-p9: \
             message `abstract-p9` does not exist in locale `{locale}`"
        ));
        assert!(
            f.contains(r#"     5 | messages = ["abstract-p1", "abstract-p9"]"#),
            "{f}"
        );
    }
    run.assert_codes(&["E0306", "E0306"]);
}

// ---------------------------------------------------------------------------
// C0xx: coverage between the locales
// ---------------------------------------------------------------------------

#[test]
fn c001_missing_translation_is_an_error_at_the_source_message() {
    let ja = format!("{JA}abstract-p2 = 二段落目です。\n");
    let p = Project::new(&ja, EN)
        .document("abstract", &paragraphs(&["abstract-p1", "abstract-p2"]))
        .reviewed();
    let run = p.check(&[]);
    run.assert_code(1);
    let f = run.finding("error[C001] locales/ja/talk.ftl:3:1: abstract-p2: missing in `en`");
    assert!(
        f.contains("help: add `abstract-p2 = …` to a file in locales/en/"),
        "{f}"
    );
    // The document cannot be assembled in English either.
    run.finding(
        "error[E0306] content/documents/abstract.toml:5:28: abstract-p2: \
         message `abstract-p2` does not exist in locale `en`",
    );
    assert_eq!(run.row("en"), ["en", "2", "2", "1", "0", "0", "0"]);
}

#[test]
fn c002_obsolete_translation_is_a_warning_and_exit_0() {
    let en = format!("{EN}abstract-old = An earlier paragraph.\n");
    let p = Project::new(JA, &en).reviewed();
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&["C002"]);
    let f = run.finding(
        "warning[C002] locales/en/talk.ftl:3:1: abstract-old: not in the source locale `ja`",
    );
    assert!(
        f.contains("     3 | abstract-old = An earlier paragraph."),
        "{f}"
    );
    run.assert_stdout_has("check passed: 0 errors, 1 warning\n");
}

#[test]
fn c003_missing_and_c004_obsolete_attribute() {
    let ja = format!("{JA}    .summary = 要約\n");
    let en = format!("{EN}    .short = Short version\n");
    let p = Project::new(&ja, &en).reviewed();
    let run = p.check(&[]);
    run.assert_code(1);
    run.finding(
        "error[C003] locales/en/talk.ftl:2:1: abstract-p1: attribute `.summary` is missing in `en`",
    );
    run.finding(
        "warning[C004] locales/en/talk.ftl:2:1: abstract-p1: \
         attribute `.short` does not exist in the source `ja`",
    );
    run.assert_codes(&["C003", "C004"]);
}

#[test]
fn c005_variable_mismatch_in_both_directions() {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = { $years }年の経験を話します。
";
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = I share { $count } lessons.
";
    let p = Project::new(ja, en)
        .config("\n[variables]\nyears = 13\ncount = 5\n")
        .reviewed();
    let run = p.check(&[]);
    run.assert_code(1);
    let f = run.finding(
        "error[C005] locales/en/talk.ftl:2:1: abstract-p1: `$count` is used in `en` but not in `ja`",
    );
    assert!(
        f.contains("     2 | abstract-p1 = I share { $count } lessons."),
        "{f}"
    );
    run.finding(
        "error[C005] locales/en/talk.ftl:2:1: abstract-p1: `$years` is used in `ja` but not in `en`",
    );
    run.assert_codes(&["C005", "C005"]);
}

#[test]
fn c006_unresolved_message_and_term_references_point_at_the_reference() {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = { -product }の話と{ intro }です。
aside = { talk-title.short }
";
    let p = Project::new(ja, EN);
    let run = p.check(&[]);
    run.assert_code(1);
    // Column 17 is the `-` of `-product`, column 32 the `i` of `intro`.
    let f = run.finding(
        "error[C006] locales/ja/talk.ftl:2:17: abstract-p1: term `-product` does not exist in `ja`",
    );
    assert!(
        f.contains("     2 | abstract-p1 = { -product }の話と{ intro }です。"),
        "{f}"
    );
    assert!(
        f.contains("help: define `-product` in locales/ja/ or fix the reference"),
        "{f}"
    );
    run.finding(
        "error[C006] locales/ja/talk.ftl:2:32: abstract-p1: message `intro` does not exist in `ja`",
    );
    // An attribute that does not exist, at `talk-title.short`.
    let f = run.finding(
        "error[C006] locales/ja/talk.ftl:3:11: aside: attribute `talk-title.short` does not exist in `ja`",
    );
    assert!(
        f.contains("help: add `.short = …` to `talk-title` in locales/ja/ or fix the reference"),
        "{f}"
    );
    assert_eq!(run.count("C006"), 3, "{}", run.stdout);
}

#[test]
fn c007_reference_cycles_including_self_reference() {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = { loop-a }
loop-a = 前{ loop-b }
loop-b = 後{ loop-a }
self-ref = 自分{ self-ref }
";
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = { loop-a }
loop-a = Before { loop-b }
loop-b = After { loop-a }
self-ref = Me { self-ref }
";
    let p = Project::new(ja, en).config("\n[check]\nallow_unused = [\"self-ref\"]\n");
    let run = p.check(&[]);
    run.assert_code(1);
    for (locale, line_a, line_self) in [("ja", 3, 5), ("en", 3, 5)] {
        let f = run.finding(&format!(
            "error[C007] locales/{locale}/talk.ftl:{line_a}:1: loop-a: \
             cyclic reference: loop-a → loop-b → loop-a"
        ));
        assert!(f.contains("help: break the cycle"), "{f}");
        run.finding(&format!(
            "error[C007] locales/{locale}/talk.ftl:{line_self}:1: self-ref: \
             cyclic reference: self-ref → self-ref"
        ));
    }
    // One finding per cycle, not one per member.
    assert_eq!(run.count("C007"), 4, "{}", run.stdout);
}

/// `{ msg.attr }` refers to the attribute only: a message may use its own
/// attribute (fluent-rs formats it fine), but an attribute that refers back
/// to its message's value closes a cycle.
#[test]
fn c007_own_attribute_is_not_a_cycle_but_a_cycle_through_an_attribute_is() {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = { abstract-p1.lead }です。
    .lead = テレメトリーの話
loop = { loop.back }
    .back = 戻る{ loop }
";
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = It is { abstract-p1.lead }.
    .lead = a talk on telemetry
loop = { loop.back }
    .back = Back { loop }
";
    let p = Project::new(ja, en)
        .config("\n[check]\nallow_unused = [\"loop\"]\n")
        .reviewed();
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["C007", "C007"]);
    for locale in ["en", "ja"] {
        run.finding(&format!(
            "error[C007] locales/{locale}/talk.ftl:4:1: loop: cyclic reference: loop → loop.back → loop"
        ));
    }
    // Without the loop, the message using its own attribute is clean.
    p.write(
        "locales/ja/talk.ftl",
        ja.lines().take(3).collect::<Vec<_>>().join("\n"),
    );
    p.write(
        "locales/en/talk.ftl",
        en.lines().take(3).collect::<Vec<_>>().join("\n"),
    );
    let p = p.config("");
    p.talkdoc(&["review", "--all"]).assert_code(0);
    p.check(&[]).assert_code(0).assert_codes(&[]);
}

#[test]
fn c008_unused_message_and_allow_unused_prefix() {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = { product }の話です。
product = テレメトリー基盤
aside = 使われない余談
abstract-draft1-p1 = 初稿の一段落目
abstract-draft1-p2 = 初稿の二段落目
";
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = A talk about { product }.
product = telemetry platforms
aside = An unused aside
abstract-draft1-p1 = First draft, paragraph one
abstract-draft1-p2 = First draft, paragraph two
";
    let p = Project::new(ja, en).reviewed();
    // Without an allow list every message no document uses is reported;
    // `product` is used through `abstract-p1`.
    let run = p.check(&[]);
    run.assert_code(0);
    run.finding("warning[C008] locales/ja/talk.ftl:4:1: aside: no document uses this message");
    run.finding(
        "warning[C008] locales/ja/talk.ftl:5:1: abstract-draft1-p1: no document uses this message",
    );
    run.finding(
        "warning[C008] locales/ja/talk.ftl:6:1: abstract-draft1-p2: no document uses this message",
    );
    run.assert_codes(&["C008", "C008", "C008"]);

    // `prefix-*` silences the drafts; the exact ID `aside` is still reported.
    let p = p.config("\n[check]\nallow_unused = [\"abstract-draft1-*\"]\n");
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&["C008"]);
    run.finding("warning[C008] locales/ja/talk.ftl:4:1: aside:");
}

#[test]
fn c009_identical_to_source_allow_identical_and_placeable_only_values() {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = Observability 2.0
abstract-p2 = { brand-name }
brand-name = Grafana
";
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = Observability 2.0
abstract-p2 = { brand-name }
brand-name = Grafana
";
    let p = Project::new(ja, en)
        .document("abstract", &paragraphs(&["abstract-p1", "abstract-p2"]))
        .config("\n[check]\nallow_identical = [\"brand-*\"]\n")
        .reviewed();
    let run = p.check(&[]);
    run.assert_code(0);
    let f = run.finding(
        "warning[C009] locales/en/talk.ftl:2:1: abstract-p1: identical to the `ja` source: probably untranslated",
    );
    assert!(
        f.contains("list the ID under [check] allow_identical in content/project.toml"),
        "{f}"
    );
    // `brand-name` is allowed; `abstract-p2` is only a placeable: not text.
    run.assert_codes(&["C009"]);
}

#[test]
fn c010_japanese_script_left_in_the_english_translation() {
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = I explain why テレメトリー matters.
";
    let p = Project::new(JA, en).reviewed();
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&["C010"]);
    let f = run.finding(
        "warning[C010] locales/en/talk.ftl:2:1: abstract-p1: \
         contains Japanese script (kana/kanji): probably untranslated",
    );
    assert!(
        f.contains("help: translate the remaining Japanese text"),
        "{f}"
    );
}

// ---------------------------------------------------------------------------
// --deny-warnings
// ---------------------------------------------------------------------------

#[test]
fn deny_warnings_turns_a_warnings_only_run_into_exit_1() {
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = I explain why テレメトリー matters.
abstract-old = An earlier paragraph.
";
    let p = Project::new(JA, en).reviewed();
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&["C010", "C002"]);
    run.assert_stdout_has("check passed: 0 errors, 2 warnings");

    let run = p.check(&["--deny-warnings"]);
    run.assert_code(1);
    run.finding("error[C010] locales/en/talk.ftl:2:1: abstract-p1:");
    run.finding("error[C002] locales/en/talk.ftl:3:1: abstract-old:");
    run.assert_stdout_has("check failed: 2 errors, 0 warnings");

    let (code, json) = {
        let run = p.check(&["--deny-warnings", "--output-format", "json"]);
        (run.code, run.json())
    };
    assert_eq!(code, 1);
    assert_eq!(json["ok"], false);
    assert_eq!(json["errors"], 2);
    assert_eq!(json["warnings"], 0);

    // A clean project stays clean.
    Project::clean()
        .reviewed()
        .check(&["--deny-warnings"])
        .assert_code(0);
}

// ---------------------------------------------------------------------------
// --output-format json
// ---------------------------------------------------------------------------

/// A project with errors (C006, F001, L001 — F001 has notes, L001 a
/// crossing) and a warning (C010).
fn project_with_a_bit_of_everything() -> Project {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = テレメトリーは面白い。
aside = 余談{ nope }
";
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = Telemetry is fun. テレメトリー
aside = An aside { nope }
";
    let p = Project::new(ja, en)
        .config(&format!(
            "{}\n[check]\nallow_unused = [\"aside\"]\n",
            limit("abstract", "ja", 5, None)
        ))
        .reviewed();
    p.write(
        "locales/ja/talk.ftl",
        ja.replace("テレメトリーは面白い。", "テレメトリーはとても面白い。"),
    );
    p
}

#[test]
fn json_report_has_the_documented_shape() {
    let p = project_with_a_bit_of_everything();
    let (code, json) = p.check_json();
    assert_eq!(code, 1);

    let top: Vec<&str> = json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        sorted(top),
        [
            "errors",
            "findings",
            "limits",
            "locales",
            "ok",
            "unlimited",
            "version",
            "warnings"
        ]
    );
    assert_eq!(json["version"], 1);
    assert_eq!(json["ok"], false);

    let findings = json["findings"].as_array().expect("findings");
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    let warnings = findings
        .iter()
        .filter(|f| f["severity"] == "warning")
        .count();
    assert_eq!(json["errors"], errors);
    assert_eq!(json["warnings"], warnings);
    let codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().expect("code"))
        .collect();
    // Sorted by file, line, column, then code.
    assert_eq!(codes, ["C010", "F001", "C006", "L001", "C006"], "{json:#}");
    for f in findings {
        let keys: Vec<&str> = f
            .as_object()
            .expect("finding")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            sorted(keys),
            [
                "code",
                "column",
                "file",
                "help",
                "line",
                "message",
                "message_id",
                "name",
                "notes",
                "severity",
                "source_line"
            ],
            "{f:#}"
        );
        let code = f["code"].as_str().expect("code");
        assert_eq!(f["name"], talkdoc::check::code_name(code), "{f:#}");
        assert!(f["notes"].is_array());
        assert!(f["help"].is_string());
    }

    let c006 = json_findings(&json, "C006")
        .into_iter()
        .find(|f| f["file"] == "locales/ja/talk.ftl")
        .expect("C006 in ja");
    assert_eq!(c006["severity"], "error");
    assert_eq!(c006["name"], "unresolved-reference");
    assert_eq!(c006["message_id"], "aside");
    assert_eq!(c006["message"], "message `nope` does not exist in `ja`");
    assert_eq!(c006["line"], 3);
    assert_eq!(c006["column"], 13);
    assert_eq!(c006["source_line"], "aside = 余談{ nope }");
    assert_eq!(c006["notes"], serde_json::json!([]));
    assert_eq!(
        c006["help"],
        "define `nope` in locales/ja/ or fix the reference"
    );

    let c010 = json_findings(&json, "C010")[0];
    assert_eq!(c010["severity"], "warning");
    assert_eq!(c010["name"], "source-script-in-translation");
    assert_eq!(c010["message_id"], "abstract-p1");
    assert_eq!(c010["file"], "locales/en/talk.ftl");
    assert_eq!(
        (c010["line"].as_u64(), c010["column"].as_u64()),
        (Some(2), Some(1))
    );

    let f001 = json_findings(&json, "F001")[0];
    assert_eq!(f001["name"], "stale-translation");
    assert_eq!(f001["file"], "locales/en/talk.ftl");
    assert_eq!(f001["line"], 2);
    assert_eq!(
        f001["notes"],
        serde_json::json!([
            "was: テレメトリーは面白い。",
            "now: テレメトリーはとても面白い。"
        ])
    );

    let l001 = json_findings(&json, "L001")[0];
    assert_eq!(l001["name"], "over-limit");
    assert_eq!(l001["message_id"], "abstract-p1");
    assert_eq!(
        l001["message"],
        "`abstract` (ja) is 14 characters long, 9 over the limit of 5"
    );
    assert_eq!(
        l001["notes"],
        serde_json::json!(["the limit is crossed here: …テレメトリ⟨over⟩ーはとても面白い。…"])
    );
    // At the first character over the limit, in the ja source.
    assert_eq!(
        (
            l001["file"].as_str(),
            l001["line"].as_u64(),
            l001["column"].as_u64()
        ),
        (Some("locales/ja/talk.ftl"), Some(2), Some(20))
    );

    let locales = json["locales"].as_array().expect("locales");
    assert_eq!(
        locales,
        &[
            serde_json::json!({"locale": "ja", "source": true, "messages": 3, "translated": 3,
                "missing": 0, "stale": 0, "unreviewed": 0, "obsolete": 0}),
            serde_json::json!({"locale": "en", "source": false, "messages": 3, "translated": 3,
                "missing": 0, "stale": 1, "unreviewed": 0, "obsolete": 0}),
        ]
    );

    let limits = json["limits"].as_array().expect("limits");
    assert_eq!(
        limits,
        &[serde_json::json!({
            "document": "abstract",
            "locale": "ja",
            "rule": "chars",
            "max": 5,
            "count": 14,
            "remaining": -9,
            "counts": {"chars": 14, "utf16": 14, "crlf": 14, "graphemes": 14, "words": limits[0]["counts"]["words"]},
            "status": "over",
            "crossing": {"message_id": "abstract-p1", "before": "テレメトリ", "after": "ーはとても面白い。"},
        })]
    );
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v
}

#[test]
fn json_file_level_finding_has_null_line_and_column() {
    let p = Project::clean().reviewed();
    // A folder where the review record should be: it cannot be read.
    p.remove("locales/en.reviewed.toml");
    std::fs::create_dir(p.path("locales/en.reviewed.toml")).expect("mkdir");
    let (code, json) = p.check_json();
    assert_eq!(code, 1, "{json:#}");
    let f = json_findings(&json, "E0601");
    assert_eq!(f.len(), 1, "{json:#}");
    assert_eq!(f[0]["file"], "locales/en.reviewed.toml");
    assert_eq!(f[0]["line"], Value::Null);
    assert_eq!(f[0]["column"], Value::Null);
    assert_eq!(f[0]["source_line"], Value::Null);
    assert_eq!(f[0]["name"], "unreadable-review-record");
}

#[test]
fn json_clean_project_is_ok_with_empty_findings() {
    let p = Project::clean().reviewed();
    let (code, json) = p.check_json();
    assert_eq!(code, 0);
    assert_eq!(json["ok"], true);
    assert_eq!(json["errors"], 0);
    assert_eq!(json["warnings"], 0);
    assert_eq!(json["findings"], serde_json::json!([]));
    assert_eq!(json["limits"], serde_json::json!([]));
}

// ---------------------------------------------------------------------------
// --output-format github
// ---------------------------------------------------------------------------

#[test]
fn github_format_writes_one_escaped_annotation_per_finding() {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = 満足度は100%でした。
";
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = Satisfaction was 100%.
";
    let p = Project::new(ja, en).reviewed();
    p.write("locales/ja/talk.ftl", ja.replace("100%でした", "99%でした"));
    // A file name with a comma, which must be escaped in a property.
    p.write("locales/ja/a,b.ftl", "extra-line = 追加\n");
    p.write("locales/en/a,b.ftl", "extra-line = 追加 line\n");
    let p = p.config("\n[check]\nallow_unused = [\"extra-*\"]\n");
    let run = p.check(&["--output-format", "github"]);
    run.assert_code(1);

    let annotations: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(
        annotations,
        [
            "::warning file=locales/en/a%2Cb.ftl,line=1,col=1,title=talkdoc C010 source-script-in-translation\
             ::extra-line: contains Japanese script (kana/kanji): probably untranslated\
             %0Ahelp: translate the remaining Japanese text, or list the ID under [check] allow_source_script in content/project.toml if it quotes the original on purpose",
            "::error file=locales/en/a%2Cb.ftl,line=1,col=1,title=talkdoc F002 unreviewed-translation\
             ::extra-line: no review recorded: cannot tell whether the translation is up to date\
             %0Ahelp: check the translation against the source, then run `talkdoc review extra-line --locale en`",
            "::error file=locales/en/talk.ftl,line=2,col=1,title=talkdoc F001 stale-translation\
             ::abstract-p1: stale: the `ja` source changed since this translation was reviewed\
             %0Awas: 満足度は100%25でした。%0Anow: 満足度は99%25でした。\
             %0Ahelp: update the translation, then run `talkdoc review abstract-p1 --locale en`",
        ],
        "{}",
        run.stdout
    );
    // The summary follows for the job log, with the right counts.
    run.assert_stdout_has("check failed: 2 errors, 1 warning\n");
    assert!(!run.stdout.contains("error["), "{}", run.stdout);
}

#[test]
fn github_format_on_a_clean_project_has_no_annotations() {
    let run = Project::clean()
        .reviewed()
        .check(&["--output-format", "github"]);
    run.assert_code(0);
    assert!(!run.stdout.contains("::"), "{}", run.stdout);
    run.assert_stdout_has("check passed: 0 errors, 0 warnings");
}

// ---------------------------------------------------------------------------
// Colour
// ---------------------------------------------------------------------------

#[test]
fn no_ansi_escapes_when_not_a_terminal_or_with_no_color() {
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 = { missing-ref } テレメトリー
";
    let p = Project::new(JA, en).config(&limit("abstract", "ja", 3, None));
    for env in [&[][..], &[("NO_COLOR", "1")][..]] {
        let run = run_in(p.root(), &["check"], env);
        run.assert_code(1);
        assert!(run.stdout.contains("error["), "{}", run.stdout);
        assert!(
            !run.stdout.contains('\x1b'),
            "ANSI escape in {:?}",
            run.stdout
        );
        assert!(
            !run.stderr.contains('\x1b'),
            "ANSI escape in {:?}",
            run.stderr
        );
    }
    // Errors that stop the run go to stderr, also without colour.
    p.write("content/project.toml", "locales = [\n");
    for env in [&[][..], &[("NO_COLOR", "1")][..]] {
        let run = run_in(p.root(), &["check"], env);
        run.assert_code(2);
        assert!(run.stderr.contains("E0201"), "{}", run.stderr);
        assert!(
            !run.stderr.contains('\x1b'),
            "ANSI escape in {:?}",
            run.stderr
        );
    }
}

/// On a terminal the human format is coloured, unless `NO_COLOR` is set
/// (https://no-color.org). Runs under util-linux `script`, which gives the
/// command a pseudo-terminal; skipped where that is not available.
#[test]
fn no_color_turns_colour_off_on_a_terminal() {
    let util_linux_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("util-linux"));
    if !util_linux_script {
        eprintln!("skipped: util-linux `script` is not available");
        return;
    }
    let p = Project::clean();
    let on_a_terminal = |no_color: Option<&str>| {
        let mut cmd = std::process::Command::new("script");
        cmd.current_dir(p.root())
            .args([
                "-qec",
                &format!("'{}' check", env!("CARGO_BIN_EXE_talkdoc")),
                "/dev/null",
            ])
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().expect("run script");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, coloured) = on_a_terminal(None);
    assert_eq!(code, Some(1), "{coloured}");
    // Bright red, as codespan colours an error's header.
    assert!(coloured.contains("\x1b[38;5;9merror[F002]"), "{coloured:?}");
    let (code, plain) = on_a_terminal(Some("1"));
    assert_eq!(code, Some(1), "{plain}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(
        plain.contains("error[F002]: no review record for `en` yet")
            && plain.contains("= at locales/en.reviewed.toml"),
        "{plain}"
    );
    // An empty NO_COLOR does not count as set.
    let (_, empty) = on_a_terminal(Some(""));
    assert!(empty.contains('\x1b'), "{empty:?}");
}

/// The library's renderer: colour only when asked for.
#[test]
fn the_human_renderer_colours_only_when_asked() {
    use talkdoc::check::report::{OutputFormat, render};
    let p = Project::clean();
    let project = talkdoc::project::Project::load(p.root()).expect("loads");
    let report = talkdoc::check::run(&project);
    assert_eq!(report.errors(), 1, "one line for the missing review record");
    let plain = render(&report, OutputFormat::Human, false);
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(
        plain.contains("check failed: 1 error, 0 warnings"),
        "{plain}"
    );
    let coloured = render(&report, OutputFormat::Human, true);
    assert!(
        coloured.contains("\x1b[38;5;9mfailed\x1b[0m: 1 error"),
        "{coloured:?}"
    );
    // Machine formats never have colour.
    for format in [OutputFormat::Json, OutputFormat::Github] {
        assert!(!render(&report, format, true).contains('\x1b'));
    }
}

// ---------------------------------------------------------------------------
// Exit 2: check could not run
// ---------------------------------------------------------------------------

#[test]
fn exit_2_when_project_toml_is_malformed() {
    let p = Project::clean();
    p.write(
        "content/project.toml",
        "source_locale = \"ja\"\nlocales = [\"ja\", \"en\"\ntitle = \"talk-title\"\n",
    );
    let run = p.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0201]: invalid TOML");
    run.assert_stderr_has("content/project.toml:3:");
    assert_eq!(run.stdout, "", "nothing is reported on stdout");
}

#[test]
fn exit_2_when_project_toml_has_an_unknown_field() {
    let p = Project::clean().config("\n[check]\nallow_unusd = [\"x\"]\n");
    let run = p.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0201]: invalid TOML: unknown field `allow_unusd`");
    run.assert_stderr_has("content/project.toml:6:1");
}

#[test]
fn exit_2_when_a_document_toml_is_malformed() {
    let p = Project::clean().document(
        "abstract",
        "title = \"talk-title\"\n\n[[blocks]]\ntype = \"paragraphs\"\nmesages = [\"abstract-p1\"]\n",
    );
    let run = p.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0201]: invalid TOML: unknown field `mesages`");
    run.assert_stderr_has("content/documents/abstract.toml:5:1");
}

#[test]
fn exit_2_when_a_locale_folder_is_missing() {
    let p = Project::clean();
    p.remove("locales/en");
    let run = p.check(&[]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0003]: cannot read the locale folder");
    run.assert_stderr_has("locales/en");
    // Also with --output-format json: nothing on stdout, the reason on stderr.
    let run = p.check(&["--output-format", "json"]);
    run.assert_code(2);
    run.assert_stderr_has("E0003");
}

/// `check --output-format` chooses how the report is printed, as
/// `build --format` chooses which files to build; the old `check --format`
/// still works (scripts and CI jobs use it), prints the same bytes, and is
/// no longer advertised.
#[test]
fn output_format_is_the_flag_and_format_a_hidden_alias() {
    let p = Project::clean();
    for format in ["json", "github", "human"] {
        let new = p.check(&["--output-format", format]);
        let old = p.check(&["--format", format]);
        new.assert_code(1);
        old.assert_code(1);
        assert_eq!(new.stdout, old.stdout, "{format}");
        assert!(!new.stdout.is_empty(), "{format}");
    }
    let help = p.check(&["--help"]);
    help.assert_code(0)
        .assert_stdout_has("--output-format <FORMAT>");
    assert!(!help.stdout.contains("--format"), "{}", help.stdout);
    // Given twice, under either name, is a usage error.
    p.check(&["--format", "json", "--output-format", "github"])
        .assert_code(2);
}

#[test]
fn exit_2_on_bad_arguments() {
    let p = Project::clean().reviewed();
    let run = p.check(&["--output-format", "xml"]);
    run.assert_code(2);
    run.assert_stderr_has("invalid value 'xml' for '--output-format <FORMAT>'");
    p.check(&["--deny-warning"]).assert_code(2);
    p.check(&["extra-argument"]).assert_code(2);
    // `--help` is not an error.
    p.check(&["--help"]).assert_code(0);
}

#[test]
fn exit_2_when_there_is_no_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = run_in(dir.path(), &["check"], &[]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0001]: cannot read the project settings");
}

// ---------------------------------------------------------------------------
// Every code
// ---------------------------------------------------------------------------

#[test]
fn codes_are_unique_and_named() {
    use talkdoc::codes::Code;
    let mut seen = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    for &code in Code::ALL {
        assert!(seen.insert(code.as_str()), "{code} listed twice");
        assert!(names.insert(code.name()), "{code}: name used twice");
        assert!(
            !code.name().is_empty() && !code.meaning().is_empty(),
            "{code}"
        );
        assert_eq!(talkdoc::check::code_name(code.as_str()), code.name());
        assert_eq!(Code::parse(code.as_str()), Some(code));
    }
}

// ---------------------------------------------------------------------------
// The real project
// ---------------------------------------------------------------------------

#[test]
fn the_real_project_passes_and_shows_the_abstract_count() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = run_in(root, &["check"], &[]);
    run.assert_code(0);
    run.assert_stdout_has("limit abstract (ja): 541 / 800 (chars), 259 left");
    run.assert_stdout_has("check passed: 0 errors, 0 warnings");
}

// Q001: a link in a handout that will get no QR code.
#[test]
fn links_that_would_get_no_qr_code_are_warned_about() {
    let s = crate::common::Scratch::real();
    // The real handouts' margins hold every code: no warning.
    let run = s.run(&["check"]);
    let (stdout, stderr) = crate::common::output_text(&run);
    assert!(
        !format!("{stdout}{stderr}").contains("Q001"),
        "{stdout}{stderr}"
    );
    // An English right margin of 10 mm is narrower than a 12 mm code.
    s.replace(
        "content/project.toml",
        "parallel = \"handout\"\n",
        "parallel = \"handout\"\n[pdf.locale.en]\nmargin = { top = \"24mm\", bottom = \"22mm\", left = \"22mm\", right = \"10mm\" }\n",
    );
    let run = s.run(&["check"]);
    assert_eq!(run.status.code(), Some(0), "warnings only");
    let (stdout, stderr) = crate::common::output_text(&run);
    let all = format!("{stdout}{stderr}");
    let warned: Vec<&str> = all
        .lines()
        .filter(|l| l.starts_with("warning[Q001]"))
        .collect();
    assert_eq!(
        warned.len(),
        3,
        "one per address of the English handout: {all}"
    );
    for w in &warned {
        assert!(
            w.contains("in the en PDFs of `handout`: the right margin (10.0 mm) is narrower"),
            "{w}"
        );
    }
    // Located at the address itself in the message's source line.
    let source = s.read("locales/en/related.ftl");
    let (line, text) = source
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("https://www.youtube.com/"))
        .expect("the YouTube link");
    let column = text[..text.find("https://www.youtube.com/").unwrap()]
        .chars()
        .count()
        + 1;
    assert!(
        all.contains(&format!("locales/en/related.ftl:{}:{column}", line + 1)),
        "located at the address: {all}"
    );
    assert_eq!(s.run(&["check", "--deny-warnings"]).status.code(), Some(1));
    // An address no QR code can hold.
    let long = format!("https://example.com/{}", "a".repeat(2400));
    s.replace(
        "locales/ja/related.ftl",
        "https://www.youtube.com/watch?v=wQIKKO0t-ec",
        &long,
    );
    let (stdout, stderr) = crate::common::output_text(&s.run(&["check"]));
    let all = format!("{stdout}{stderr}");
    let line = all
        .lines()
        .find(|l| l.contains("too long for a QR code"))
        .unwrap_or_else(|| panic!("no warning for the long address: {all}"));
    assert!(
        line.ends_with(&format!(
            "in the ja PDFs of `handout`: the address is too long for a QR code ({} bytes)",
            long.len()
        )),
        "{line}"
    );
    // The address is shortened in the headline, not printed whole.
    assert!(
        line.len() < 300 && line.contains("https://example.com/aaa"),
        "{line}"
    );
}
