//! Which writing system a character or a locale uses: one classification,
//! from the Unicode Script and Script_Extensions properties (the
//! `unicode-script` crate), instead of a hand-written table of code point
//! ranges per caller that drift apart as they are edited.
//!
//! `check` uses it to find text left in the source's script (C010), the
//! catalog's safety scan to tell a word from its surroundings, the PDF
//! stages to tell Japanese and CJK letters (和欧間, justification, `/Lang
//! ja` spans, the shaping plan); their remaining ranges are about width
//! (punctuation and full-width forms set on the em grid), not script.

use unicode_script::{Script, UnicodeScript};

/// The scripts Japanese is written in.
const JAPANESE: &[Script] = &[Script::Han, Script::Hiragana, Script::Katakana];

/// Whether `c` is a letter of one of `scripts`. Letters only: punctuation
/// and symbols (`、`, `・`, `（`) are shared between scripts and say
/// nothing about which one the text is in. A letter used by several scripts
/// (the prolonged sound mark `ー`, used by hiragana and katakana alike)
/// counts for each of them; a letter of every script (`µ`, `ℂ`, the
/// mathematical alphabets: Script_Extensions Common or Inherited, which
/// `unicode-script` treats as containing every script) counts for none.
pub(crate) fn is_letter_of(c: char, scripts: &[Script]) -> bool {
    // ASCII first, without the table lookup: the PDF stages ask this of
    // every character they set.
    if c.is_ascii() {
        return c.is_ascii_alphabetic() && scripts.contains(&Script::Latin);
    }
    // The bulk of Japanese text, also without it: kana letters and the
    // unified ideographs each belong to one script alone (a test checks
    // these ranges against the tables).
    if let Some(script) = common_cjk(c) {
        return scripts.contains(&script);
    }
    slow_letter_of(c, scripts)
}

/// The script of a hiragana, katakana or unified-ideograph letter.
fn common_cjk(c: char) -> Option<Script> {
    match c {
        '\u{3041}'..='\u{3096}' => Some(Script::Hiragana),
        '\u{30A1}'..='\u{30FA}' => Some(Script::Katakana),
        '\u{4E00}'..='\u{9FEF}' => Some(Script::Han),
        _ => None,
    }
}

/// [`is_letter_of`] from the Unicode tables.
fn slow_letter_of(c: char, scripts: &[Script]) -> bool {
    c.is_alphabetic() && {
        let ext = c.script_extension();
        !ext.is_common() && !ext.is_inherited() && scripts.iter().any(|&s| ext.contains_script(s))
    }
}

/// Kana, kanji and the Japanese letter-like marks (`々`, `〆`, `〇`, `ー`),
/// but not punctuation.
pub(crate) fn is_japanese_letter(c: char) -> bool {
    is_letter_of(c, JAPANESE)
}

/// The scripts of Chinese, Japanese and Korean. Not Bopomofo: its tone
/// marks (`ˇ`, `ˊ`) are shared with Latin (pinyin) and would pull Latin
/// text onto the grid.
const CJK: &[Script] = &[
    Script::Han,
    Script::Hiragana,
    Script::Katakana,
    Script::Hangul,
];

/// Letters of Chinese, Japanese or Korean (kanji/hanzi, kana, hangul), but
/// not punctuation: the PDF shaper sets these on the character grid,
/// without kerning.
pub(crate) fn is_cjk_letter(c: char) -> bool {
    is_letter_of(c, CJK)
}

/// The scripts a locale is usually written in: an explicit script subtag
/// (`sr-Latn`, `uz-Cyrl`) wins; otherwise the language decides; a
/// language not listed here is taken to be written in Latin script.
pub(crate) fn locale_scripts(locale: &str) -> Vec<Script> {
    let mut subtags = locale.split(['-', '_']);
    let language = subtags.next().unwrap_or(locale).to_ascii_lowercase();
    if let Some(script) = subtags
        .filter(|t| t.len() == 4 && t.chars().all(|c| c.is_ascii_alphabetic()))
        .find_map(|t| {
            let mut tag = t.to_ascii_lowercase();
            tag[..1].make_ascii_uppercase();
            Script::from_short_name(&tag)
        })
    {
        // `zh-Hant` is still Han; `ja-Jpan` (Han + kana) is Japanese.
        return match script {
            Script::Unknown => vec![Script::Latin],
            _ if language == "ja" => JAPANESE.to_vec(),
            _ if language == "ko" => vec![Script::Hangul, Script::Han],
            s => vec![s],
        };
    }
    let scripts: &[Script] = match language.as_str() {
        "ja" => JAPANESE,
        "zh" | "yue" => &[Script::Han],
        "ko" => &[Script::Hangul, Script::Han],
        "ru" | "uk" | "be" | "bg" | "sr" | "mk" | "kk" | "ky" | "mn" | "tg" | "tt" | "ba"
        | "cv" => &[Script::Cyrillic],
        "el" => &[Script::Greek],
        "ar" | "fa" | "ur" | "ps" | "sd" | "ckb" | "ug" | "ks" | "skr" => &[Script::Arabic],
        "he" | "yi" => &[Script::Hebrew],
        "hi" | "mr" | "ne" | "sa" | "mai" | "bho" => &[Script::Devanagari],
        "bn" | "as" => &[Script::Bengali],
        "pa" => &[Script::Gurmukhi],
        "gu" => &[Script::Gujarati],
        "or" => &[Script::Oriya],
        "ta" => &[Script::Tamil],
        "te" => &[Script::Telugu],
        "kn" => &[Script::Kannada],
        "ml" => &[Script::Malayalam],
        "si" => &[Script::Sinhala],
        "th" => &[Script::Thai],
        "lo" => &[Script::Lao],
        "km" => &[Script::Khmer],
        "my" => &[Script::Myanmar],
        "bo" | "dz" => &[Script::Tibetan],
        "ka" => &[Script::Georgian],
        "hy" => &[Script::Armenian],
        "am" | "ti" => &[Script::Ethiopic],
        "dv" => &[Script::Thaana],
        "syr" => &[Script::Syriac],
        _ => &[Script::Latin],
    };
    scripts.to_vec()
}

/// Letters of a script the source locale is written in but the target
/// locale is not, in `translation`: text probably left untranslated
/// (C010). Latin never counts: names, acronyms and code in Latin letters
/// belong in a text of any language, so a German source translated into
/// Japanese is not searched for German words.
pub(crate) fn leftover_source_script(source: &str, target: &str, translation: &str) -> bool {
    let target = locale_scripts(target);
    let foreign: Vec<Script> = locale_scripts(source)
        .into_iter()
        .filter(|s| *s != Script::Latin && !target.contains(s))
        .collect();
    !foreign.is_empty() && translation.chars().any(|c| is_letter_of(c, &foreign))
}

/// The Unicode names of the source's scripts ("Cyrillic", "Han/Hangul"),
/// or `None` for Japanese, which C010 names in words of its own.
fn script_names(source: &str) -> Option<String> {
    let scripts = locale_scripts(source);
    (scripts != JAPANESE).then(|| {
        let names: Vec<&str> = scripts.iter().map(|s| s.full_name()).collect();
        names.join("/")
    })
}

/// How C010 names the source's script: "Japanese script (kana/kanji)" for
/// a Japanese source, else the script's Unicode name ("Cyrillic script").
pub(crate) fn source_script_name(source: &str) -> String {
    script_names(source).map_or_else(
        || "Japanese script (kana/kanji)".to_string(),
        |n| format!("{n} script"),
    )
}

/// The source language's text as C010's help calls it: "Japanese" for a
/// Japanese source, else the script's name ("Cyrillic-script").
pub(crate) fn source_text_name(source: &str) -> String {
    script_names(source).map_or_else(|| "Japanese".to_string(), |n| format!("{n}-script"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_letters_are_kana_and_kanji_but_not_punctuation() {
        for c in [
            'あ', 'ア', 'ｱ', '漢', '々', '〆', '〇', 'ー', 'ｰ', '𠮷', '豈',
        ] {
            assert!(is_japanese_letter(c), "{c}");
        }
        for c in [
            '、', '。', '・', '「', '（', 'A', '1', ' ', '한', 'я', 'µ', 'ℂ', '𝐀', 'ʻ',
        ] {
            assert!(!is_japanese_letter(c), "{c}");
        }
    }

    #[test]
    fn cjk_letters_are_han_kana_and_hangul_but_not_punctuation_or_latin() {
        for c in ['あ', 'ア', 'ｱ', '漢', '々', '한', 'ㄱ', '𠮷'] {
            assert!(is_cjk_letter(c), "{c}");
        }
        for c in ['、', '・', '（', 'Ａ', 'A', 'é', 'ˇ', 'ˊ', 'я', 'µ'] {
            assert!(!is_cjk_letter(c), "{c}");
        }
    }

    #[test]
    fn locales_map_to_their_scripts() {
        assert_eq!(locale_scripts("ja"), JAPANESE);
        assert_eq!(locale_scripts("en-US"), [Script::Latin]);
        assert_eq!(locale_scripts("de"), [Script::Latin]);
        assert_eq!(locale_scripts("zh-Hant-TW"), [Script::Han]);
        assert_eq!(locale_scripts("sr"), [Script::Cyrillic]);
        assert_eq!(locale_scripts("sr-Latn"), [Script::Latin]);
        assert_eq!(locale_scripts("pt_BR"), [Script::Latin]);
    }

    /// The fast path for kana and unified ideographs answers as the
    /// Unicode tables do, for every character it takes.
    #[test]
    fn the_common_cjk_ranges_agree_with_the_tables() {
        let all = [
            Script::Han,
            Script::Hiragana,
            Script::Katakana,
            Script::Hangul,
            Script::Latin,
        ];
        for c in ('\u{3000}'..='\u{30FF}').chain('\u{4E00}'..='\u{9FFF}') {
            if common_cjk(c).is_some() {
                for s in all {
                    assert_eq!(
                        is_letter_of(c, &[s]),
                        slow_letter_of(c, &[s]),
                        "{c} U+{:04X} {s:?}",
                        c as u32
                    );
                }
            }
        }
    }

    /// C010 is keyed to the source: a Japanese source flags kana and kanji
    /// left in English, a Latin source flags nothing (a Japanese text
    /// quoting English is normal), a Russian source flags Cyrillic.
    #[test]
    fn leftovers_are_judged_by_the_source_script() {
        assert!(leftover_source_script("ja", "en", "Telemetry テレメトリー"));
        assert!(!leftover_source_script("ja", "en", "Telemetry, 2024、"));
        // Letters of no particular script are not Japanese.
        assert!(!leftover_source_script("ja", "en", "a 5 µs window in ℂ"));
        assert!(!leftover_source_script(
            "de",
            "ja",
            "テレメトリー Telemetrie"
        ));
        assert!(!leftover_source_script("en-US", "ja", "SRE のテレメトリー"));
        assert!(leftover_source_script("ru", "en", "Telemetry телеметрия"));
        // Kanji are also Chinese; kana are not.
        assert!(!leftover_source_script("ja", "zh", "遥测"));
        assert!(leftover_source_script("ja", "zh", "遥测 テレメトリー"));
        assert!(!leftover_source_script("zh", "ja", "遥测"));
        assert_eq!(
            source_script_name("ja"),
            "Japanese script (kana/kanji)".to_string()
        );
        assert_eq!(source_script_name("ru"), "Cyrillic script");
    }
}
