//! Freshness (F001, F002, F003) and `talkdoc review`: the review record
//! `locales/<locale>.reviewed.toml` says which source text each translation
//! was last checked against; `check` reports translations whose source
//! changed since, or that were never reviewed.

use crate::check_support;

use check_support::*;

const JA3: &str = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 = テレメトリーは信頼性の基礎です。
abstract-p2 = 本講演では研究構想を紹介します。
";

const EN3: &str = "\
talk-title = Specialising in telemetry
abstract-p1 = Telemetry is the foundation of reliability.
abstract-p2 = This talk presents my research plans.
";

/// The IDs `run` reports stale (F001), sorted.
fn stale_ids(run: &Run) -> Vec<String> {
    let mut ids: Vec<String> = run
        .headlines()
        .into_iter()
        .filter(|h| h.contains("[F001]"))
        .filter_map(|h| h.split(": ").nth(1).map(str::to_string))
        .collect();
    ids.sort();
    ids
}

fn project3() -> Project {
    Project::new(JA3, EN3).document("abstract", &paragraphs(&["abstract-p1", "abstract-p2"]))
}

#[test]
fn the_whole_review_workflow() {
    let p = project3();

    // 1. Nothing reviewed yet, no record: one F002 for the locale (not one
    //    per message), pointing to `review --all`; exit 1.
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["F002"]);
    let f = run.finding(
        "error[F002] locales/en.reviewed.toml: no review record for `en` yet: \
         none of its 3 translations is marked as reviewed",
    );
    assert!(
        f.contains("help: check the translation against the source, then run `talkdoc review --all --locale en`"),
        "{f}"
    );
    run.assert_stdout_has("en                    3           3        0      0           3");
    let en_row = run.row("en");
    assert_eq!(en_row, ["en", "3", "3", "0", "0", "3", "0"]);

    // 2. Review everything.
    let run = p.talkdoc(&["review", "--all"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "reviewed en abstract-p1 (unreviewed)\n\
         reviewed en abstract-p2 (unreviewed)\n\
         reviewed en talk-title (unreviewed)\n\
         wrote locales/en.reviewed.toml\n"
    );

    // 3. Clean.
    let run = p.check(&[]);
    run.assert_code(0).assert_codes(&[]);

    // The record: a header, then one line per message, sorted by ID, with
    // the source text it was reviewed against.
    let record = p.read("locales/en.reviewed.toml");
    let lines: Vec<&str> = record.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 3, "{record}");
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l.split(" = ").next().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["abstract-p1", "abstract-p2", "talk-title"]);
    assert!(
        lines[0].contains(r#"source = "テレメトリーは信頼性の基礎です。""#),
        "{record}"
    );
    assert!(
        lines[2].contains(r#"source = "テレメトリーを専門にするということ""#),
        "{record}"
    );
    assert!(
        record.starts_with(
            "# For each `en` message, the `ja` source it was last reviewed against.\n"
        )
    );

    // 4. The author edits the Japanese of one message: its translation is stale.
    p.write(
        "locales/ja/talk.ftl",
        JA3.replace("信頼性の基礎です。", "信頼性と可観測性の基礎です。"),
    );
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["F001"]);
    let f = run.finding(
        "error[F001] locales/en/talk.ftl:2:1: abstract-p1: \
         stale: the `ja` source changed since this translation was reviewed",
    );
    assert!(
        f.contains("     2 | abstract-p1 = Telemetry is the foundation of reliability."),
        "{f}"
    );
    assert!(
        f.contains("       = was: テレメトリーは信頼性の基礎です。"),
        "{f}"
    );
    assert!(
        f.contains("       = now: テレメトリーは信頼性と可観測性の基礎です。"),
        "{f}"
    );
    assert!(
        f.contains(
            "help: update the translation, then run `talkdoc review abstract-p1 --locale en`"
        ),
        "{f}"
    );
    let en_row = run.row("en");
    assert_eq!(en_row, ["en", "3", "3", "0", "1", "0", "0"]);

    // 5. The translator updates it and records the review of that one message.
    p.write(
        "locales/en/talk.ftl",
        EN3.replace("of reliability.", "of reliability and observability."),
    );
    let run = p.talkdoc(&["review", "abstract-p1", "--locale", "en"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "reviewed en abstract-p1 (stale)\nwrote locales/en.reviewed.toml\n"
    );

    // 6. Clean again; only that line of the record changed.
    p.check(&[]).assert_code(0).assert_codes(&[]);
    let after = p.read("locales/en.reviewed.toml");
    let changed: Vec<(&str, &str)> = record
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{record}\n{after}");
    assert!(changed[0].1.starts_with("abstract-p1 = "));
    assert!(changed[0].1.contains("信頼性と可観測性の基礎です。"));

    // Reviewing it again is harmless.
    let run = p.talkdoc(&["review", "abstract-p1"]);
    run.assert_code(0);
    run.assert_stdout_has("reviewed en abstract-p1 (already current)");
    let run = p.talkdoc(&["review", "--all"]);
    run.assert_code(0);
    run.assert_stdout_has("every translation was already marked as reviewed");
    assert_eq!(p.read("locales/en.reviewed.toml"), after);
}

#[test]
fn reformatting_the_source_does_not_make_anything_stale() {
    let p = project3().reviewed();
    let record = p.read("locales/en.reviewed.toml");
    // Blank lines, comments of every level, the value on its own line.
    let reformatted = "\
### 講演提案の日本語原文。

## タイトル
talk-title = テレメトリーを専門にするということ



# AUTHOR: 要旨の一段落目。
abstract-p1 =
    テレメトリーは信頼性の基礎です。

abstract-p2 =   本講演では研究構想を紹介します。
";
    p.write("locales/ja/talk.ftl", reformatted);
    p.check(&[]).assert_code(0).assert_codes(&[]);
    // Moving messages to another file changes nothing either.
    p.write(
        "locales/ja/talk.ftl",
        "talk-title = テレメトリーを専門にするということ\n",
    );
    p.write(
        "locales/ja/abstract.ftl",
        "abstract-p2 = 本講演では研究構想を紹介します。\n\nabstract-p1 = テレメトリーは信頼性の基礎です。\n",
    );
    p.check(&[]).assert_code(0).assert_codes(&[]);
    p.talkdoc(&["review", "--all"]).assert_code(0);
    assert_eq!(p.read("locales/en.reviewed.toml"), record);
}

#[test]
fn a_multi_line_source_is_still_one_line_in_the_record() {
    let ja = "\
talk-title = テレメトリーを専門にするということ
abstract-p1 =
    一行目です。
    二行目は \"引用\" を含みます。
";
    let en = "\
talk-title = Specialising in telemetry
abstract-p1 =
    The first line.
    The second line \"quotes\".
";
    let p = Project::new(ja, en).reviewed();
    let record = p.read("locales/en.reviewed.toml");
    let lines: Vec<&str> = record.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 2, "one line per message:\n{record}");
    assert!(lines[0].starts_with("abstract-p1 = { hash = "), "{record}");
    assert!(lines[0].contains(r"一行目です。\n"), "{record}");
    p.check(&[]).assert_code(0).assert_codes(&[]);

    // The stale notes show the old and new text.
    p.write("locales/ja/talk.ftl", ja.replace("一行目", "最初の行"));
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["F001"]);
    let f = run.finding("error[F001] locales/en/talk.ftl:2:1: abstract-p1: stale:");
    // Continuation lines stay indented under the note.
    assert!(
        f.contains("       = was: 一行目です。\n             二行目は \"引用\" を含みます。\n"),
        "{f}"
    );
    assert!(
        f.contains("       = now: 最初の行です。\n             二行目は \"引用\" を含みます。\n"),
        "{f}"
    );
}

#[test]
fn f003_a_review_for_a_message_that_no_longer_exists() {
    let p = project3().reviewed();
    // abstract-p2 is removed from both locales and from the document.
    p.write(
        "locales/ja/talk.ftl",
        JA3.replace("abstract-p2 = 本講演では研究構想を紹介します。\n", ""),
    );
    p.write(
        "locales/en/talk.ftl",
        EN3.replace("abstract-p2 = This talk presents my research plans.\n", ""),
    );
    p.write(
        "content/documents/abstract.toml",
        paragraphs(&["abstract-p1"]),
    );
    let run = p.check(&[]);
    // A warning: the record has a line too many, nothing is wrong with the text.
    run.assert_code(0).assert_codes(&["F003"]);
    let f = run.finding(
        "warning[F003] locales/en.reviewed.toml:4:1: abstract-p2: \
         a review is recorded for a message that is not in both locales",
    );
    assert!(f.contains("     4 | abstract-p2 = { hash = "), "{f}");
    assert!(
        f.contains("help: run `talkdoc review --all --locale en` to rewrite the record"),
        "{f}"
    );
    // As the help says:
    p.talkdoc(&["review", "--all", "--locale", "en"])
        .assert_code(0);
    p.check(&[]).assert_code(0).assert_codes(&[]);
    assert!(!p.read("locales/en.reviewed.toml").contains("abstract-p2"));
}

#[test]
fn review_of_an_unknown_id_is_e0604_and_writes_nothing() {
    let p = project3().reviewed();
    let before = p.read("locales/en.reviewed.toml");
    let run = p.talkdoc(&["review", "abstract-p9", "--locale", "en"]);
    // A bad argument, not bad input: exit 2 as for every command.
    run.assert_code(2);
    run.assert_stderr_has(
        "error[E0604]: abstract-p9: `abstract-p9` is not a message in both `ja` and `en`",
    );
    run.assert_stderr_has("nothing was written");
    assert_eq!(p.read("locales/en.reviewed.toml"), before);

    // A message only in the source is not reviewable either.
    p.write(
        "locales/ja/talk.ftl",
        format!("{JA3}abstract-p3 = 未翻訳\n"),
    );
    let run = p.talkdoc(&["review", "abstract-p3"]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0604]: abstract-p3:");
}

#[test]
fn review_of_the_source_locale_is_an_error() {
    let p = project3();
    let run = p.talkdoc(&["review", "--all", "--locale", "ja"]);
    run.assert_code(2);
    run.assert_stderr_has(
        "error[E0603]: `ja` is the source locale; only translations are reviewed",
    );
    assert!(!p.path("locales/ja.reviewed.toml").exists());
    assert!(!p.path("locales/en.reviewed.toml").exists());

    // An unknown locale is a bad argument, as in `build --locale`.
    let run = p.talkdoc(&["review", "abstract-p1", "--locale", "fr"]);
    run.assert_code(2);
    run.assert_stderr_has("error[E0007]: unknown locale `fr`");
    run.assert_stderr_has("choose from: en");
}

#[test]
fn review_needs_ids_or_all() {
    let p = project3();
    let run = p.talkdoc(&["review"]);
    run.assert_code(2);
    let run = p.talkdoc(&["review", "--all", "abstract-p1"]);
    run.assert_code(2);
}

#[test]
fn review_refuses_a_project_with_syntax_errors() {
    let p = project3();
    p.write("locales/en/talk.ftl", format!("{EN3}broken = {{\n"));
    let run = p.talkdoc(&["review", "--all"]);
    run.assert_code(1);
    run.assert_stderr_has("error[E0101]");
    assert!(!p.path("locales/en.reviewed.toml").exists());
}

#[test]
fn terms_are_reviewed_too() {
    let ja = format!("{JA3}-product = テレメトリー基盤\n");
    let en = format!("{EN3}-product = telemetry platform\n");
    let p =
        Project::new(&ja, &en).document("abstract", &paragraphs(&["abstract-p1", "abstract-p2"]));
    // With a record (one message reviewed), every other entry is listed.
    p.talkdoc(&["review", "abstract-p1", "--locale", "en"])
        .assert_code(0);
    let run = p.check(&[]);
    run.finding("error[F002] locales/en/talk.ftl:4:1: -product: no review recorded");
    // A term ID starts with `-`: after `--` it is not taken for an option.
    let run = p.talkdoc(&["review", "--locale", "en", "--", "-product"]);
    run.assert_code(0);
    run.assert_stdout_has("reviewed en -product (unreviewed)");
    assert!(
        p.read("locales/en.reviewed.toml")
            .contains("-product = { hash = ")
    );
    let run = p.check(&[]);
    assert!(
        run.headlines().iter().all(|h| !h.contains("-product")),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.count("F002"),
        2,
        "the two messages not reviewed above are still unreviewed"
    );
}

#[test]
fn a_malformed_review_record_is_reported_with_file_line_and_column() {
    let p = project3().reviewed();
    let record = p.read("locales/en.reviewed.toml");
    // Line 4 loses the comma between its two fields.
    let broken: String = record
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 3 {
                format!("{}\n", l.replacen("\", source", "\" source", 1))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    p.write("locales/en.reviewed.toml", &broken);
    let run = p.check(&[]);
    run.assert_code(1).assert_codes(&["E0602"]);
    let line4 = broken.lines().nth(3).expect("line 4");
    // At `source`, where the comma was expected.
    let column = line4.find(" source").expect("source") + 2;
    let f = run.finding(&format!(
        "error[E0602] locales/en.reviewed.toml:4:{column}: invalid review record: \
         missing comma between key-value pairs"
    ));
    assert!(f.contains(&format!("     4 | {line4}")), "{f}");
    assert!(
        f.contains("restore it from version control or run `talkdoc review --all`"),
        "{f}"
    );

    // An unknown field is reported too.
    p.write(
        "locales/en.reviewed.toml",
        "talk-title = { hash = \"0\", source = \"x\", by = \"me\" }\n",
    );
    let run = p.check(&[]);
    run.assert_code(1);
    run.finding("error[E0602] locales/en.reviewed.toml:1:");

    // Reviewing a single message cannot fix it, and says why…
    p.write("locales/en.reviewed.toml", &broken);
    let run = p.talkdoc(&["review", "abstract-p1"]);
    run.assert_code(1);
    run.assert_stderr_has("error[E0602]: invalid review record");
    // …but `review --all` rewrites it, as the help says.
    let run = p.talkdoc(&["review", "--all"]);
    run.assert_code(0);
    p.check(&[]).assert_code(0).assert_codes(&[]);
    assert_eq!(p.read("locales/en.reviewed.toml"), record);
}

/// A translation that writes out what its source only references (an
/// alias translated in full, a term spelled out) was reviewed against that
/// text too: when it changes, the translation is stale. A translation that
/// references the entry itself is not: the entry's own translation is.
#[test]
fn a_translation_that_writes_out_a_reference_goes_stale_with_it() {
    let ja = format!(
        "{JA3}-product = テレメトリー基盤\n\
         alt-p1 = {{ abstract-p1 }}\n\
         product-named = {{ -product }}を作る\n\
         product-spelled = {{ -product }}を使う\n"
    );
    let en = format!(
        "{EN3}-product = telemetry platform\n\
         alt-p1 = Telemetry underpins reliability.\n\
         product-named = Building a {{ -product }}\n\
         product-spelled = Using a telemetry platform\n"
    );
    let p = Project::new(&ja, &en)
        .document("abstract", &paragraphs(&["abstract-p1", "abstract-p2"]))
        .config("\n[check]\nallow_unused = [\"alt-p1\", \"product-*\"]\n")
        .reviewed();
    p.check(&[]).assert_no("F001").assert_no("F002");
    // The record shows what the alias stood for when it was reviewed.
    let record = p.read("locales/en.reviewed.toml");
    assert!(
        record.contains(r#"alt-p1 = { hash = "#)
            && record.contains(
                r#"source = "{ abstract-p1 }\nabstract-p1 = テレメトリーは信頼性の基礎です。" }"#
            ),
        "{record}"
    );

    // The text the alias points at changes: both translations are stale.
    p.write(
        "locales/ja/talk.ftl",
        ja.replace("信頼性の基礎です。", "信頼性と可観測性の基礎です。"),
    );
    let run = p.check(&[]);
    assert_eq!(stale_ids(&run), ["abstract-p1", "alt-p1"], "{}", run.stdout);
    let f = run.finding("error[F001] locales/en/talk.ftl:5:1: alt-p1: stale");
    assert!(
        f.contains("now: { abstract-p1 }")
            && f.contains("abstract-p1 = テレメトリーは信頼性と可観測性の基礎です。"),
        "{f}"
    );
    run.finding("error[F001] locales/en/talk.ftl:2:1: abstract-p1: stale");

    // The term changes: the term and the message that spells it out are
    // stale, not the one that references the term in English too.
    p.write("locales/ja/talk.ftl", &ja);
    p.check(&[]).assert_no("F001");
    p.write(
        "locales/ja/talk.ftl",
        ja.replace("-product = テレメトリー基盤", "-product = 可観測性基盤"),
    );
    let run = p.check(&[]);
    let ids = stale_ids(&run);
    assert_eq!(ids, ["-product", "product-spelled"], "{}", run.stdout);
}

/// A chain of messages each writing out the next (the translations spell
/// everything out): a change at the end of the chain makes every message
/// before it stale, and the record stays small — each line shows at most
/// a couple of kilobytes of what the translation writes out — where
/// copying the chain into every line grew it with the square of its
/// length (8,000 links: a 959 MB record).
#[test]
fn a_long_chain_of_written_out_references_is_fingerprinted_in_linear_space() {
    let n = 3000;
    let mut ja = String::from(JA3);
    let mut en = String::from(EN3);
    for i in 0..n {
        if i + 1 < n {
            ja.push_str(&format!("chain-{i} = 鎖{{ chain-{} }}\n", i + 1));
        } else {
            ja.push_str(&format!("chain-{i} = 鎖の終わり\n"));
        }
        en.push_str(&format!("chain-{i} = the chain from link {i} on\n"));
    }
    let p = Project::new(&ja, &en)
        .document("abstract", &paragraphs(&["abstract-p1", "abstract-p2"]))
        .config("\n[check]\nallow_unused = [\"chain-*\"]\n")
        .reviewed();
    let record = p.read("locales/en.reviewed.toml");
    assert!(record.len() < 4_000_000, "record of {} bytes", record.len());
    let first = record
        .lines()
        .find(|l| l.starts_with("chain-0 = "))
        .expect("chain-0 reviewed");
    assert!(first.len() < 2_500, "{first}");
    assert!(first.contains(r#"\nchain-1 = 鎖{ chain-2 }"#), "{first}");
    p.check(&[]).assert_no("F001");

    p.write(
        "locales/ja/talk.ftl",
        ja.replace("鎖の終わり", "鎖の本当の終わり"),
    );
    let run = p.check(&[]);
    assert_eq!(run.count("F001"), n, "every link up to the changed one");
}

/// A change further down what a translation writes out makes it stale,
/// with a note saying so (its record line looks the same); a translation
/// that references the changed entry itself is left alone.
#[test]
fn a_change_further_down_is_followed_but_not_past_the_translations_own_references() {
    let ja = format!(
        "{JA3}-corp = テレ\n\
         -brand = {{ -corp }}社\n\
         tagline = {{ -brand }}です\n\
         spelled = {{ -brand }}を使う\n"
    );
    let en = format!(
        "{EN3}-corp = Tele\n\
         -brand = {{ -corp }} Inc\n\
         tagline = {{ -corp }} Inc is here\n\
         spelled = Using Tele Inc\n"
    );
    let p = Project::new(&ja, &en)
        .document("abstract", &paragraphs(&["abstract-p1", "abstract-p2"]))
        .config("\n[check]\nallow_unused = [\"tagline\", \"spelled\"]\n")
        .reviewed();
    p.check(&[]).assert_no("F001");
    p.write(
        "locales/ja/talk.ftl",
        ja.replace("-corp = テレ", "-corp = 可観測"),
    );
    let run = p.check(&[]);
    let ids = stale_ids(&run);
    assert_eq!(ids, ["-corp", "spelled"], "{}", run.stdout);
    let f = run.finding("error[F001] locales/en/talk.ftl:7:1: spelled: stale");
    assert!(f.contains("the change is further down"), "{f}");
}
