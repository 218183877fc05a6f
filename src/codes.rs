//! Every diagnostic code talkdoc prints, in one table: its name, default
//! severity, whether it means "bad arguments" (exit status 2), and what it
//! means. The README's codes table is checked against it by a test, and a
//! code that is not here does not compile.

use crate::diag::Severity;

macro_rules! codes {
    ($($code:ident, $name:literal, $severity:ident, $usage:literal, $meaning:literal;)*) => {
        /// A diagnostic code, e.g. [`Code::E0101`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(
                // `name`: meaning, as in the README's table (in a code
                // span, so `[check]` is not taken for a link).
                #[doc = concat!("`", $name, "`: `` ", $meaning, " ``")]
                $code,
            )*
        }

        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// `E0101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// `syntax-error`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$code => $name,)* }
            }

            /// The severity a finding with this code has unless
            /// `--deny-warnings` raises it.
            pub fn severity(self) -> Severity {
                match self { $(Code::$code => Severity::$severity,)* }
            }

            /// Whether the code reports bad arguments rather than bad input:
            /// such errors exit 2, like clap's own usage errors.
            pub(crate) fn is_usage(self) -> bool {
                match self { $(Code::$code => $usage,)* }
            }

            /// One line on what the code means (the README's table).
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$code => $meaning,)* }
            }

            /// The code named `s` (`"E0101"`).
            pub fn parse(s: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == s)
            }
        }
    };
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

codes! {
    E0101, "syntax-error", Error, false, "Fluent syntax error; fluent-rs would silently drop the entry as Junk";
    E0102, "invalid-utf8", Error, false, "a .ftl file is not valid UTF-8";
    E0105, "duplicate-id", Error, false, "a message or term is defined twice in one locale";
    E0202, "unknown-block-type", Error, false, "a content file uses a block `type` talkdoc does not know";
    E0203, "incomplete-block", Error, false, "a block lacks the field its type needs (`message`, `messages`, `items` or `document`)";
    E0204, "unknown-list-style", Error, false, "a list's `style` is neither `bullet` nor `numbered`";
    E0303, "unknown-include", Error, false, "a document includes a document that does not exist";
    E0304, "include-cycle", Error, false, "a document includes itself, directly or through others";
    E0305, "list-too-deep", Error, false, "a list is nested too deeply to be laid out";
    E0306, "unknown-message", Error, false, "a content file names a message that does not exist in a locale";
    E0307, "message-without-value", Error, false, "a content file names a message that has only attributes";
    E0308, "unformattable-message", Error, false, "a message cannot be formatted (unknown reference or variable, cycle)";
    E0601, "unreadable-review-record", Error, false, "a `locales/<locale>.reviewed.toml` file cannot be read, or leads outside the project folder";
    E0602, "invalid-review-record", Error, false, "a `locales/<locale>.reviewed.toml` file is not a valid review record";
    E0001, "unreadable-content", Error, false, "content/project.toml or a document file cannot be read, or leads outside the project folder";
    E0002, "invalid-locale", Error, false, "a locale is not a valid BCP 47 tag";
    E0003, "missing-locale-folder", Error, false, "a locale's folder under locales/ cannot be read, or leads outside the project folder";
    E0004, "unreadable-ftl", Error, false, "a .ftl file cannot be read, or leads outside the project folder";
    E0007, "unknown-choice", Error, true, "--locale or --document names something the project does not have";
    E0106, "empty-locale", Error, false, "a locale folder holds no .ftl files";
    E0107, "nesting-too-deep", Error, false, "placeables or call arguments nested deeper than 32 levels";
    E0108, "control-character", Error, false, "a control character other than tab and line break in a .ftl file";
    E0109, "invisible-character", Error, false, "a BIDI control or an invisible zero-width character in a .ftl file";
    E0201, "invalid-toml", Error, false, "a content file is not valid TOML or has an unknown or missing field";
    E0205, "unusable-locale-name", Error, false, "a locale name could leave the output folder";
    E0206, "source-locale-not-listed", Error, false, "the source locale is not in `locales`";
    E0207, "unusable-document-name", Error, false, "a document file name could leave the output folder";
    E0208, "no-documents", Error, false, "content/documents/ holds no documents";
    E0209, "unknown-combined-document", Error, false, "`[pdf] combined` names a document that does not exist";
    E0210, "unknown-parallel-document", Error, false, "`[pdf] parallel` names a document that does not exist";
    E0211, "unusable-parallel-locales", Error, false, "the parallel handout has no two different locales of the project to set side by side";
    E0301, "unknown-locale", Error, false, "an internal request for a locale the project does not have";
    E0302, "unknown-document", Error, false, "an internal request for a document the project does not have";
    E0309, "message-too-large", Error, false, "a message can expand to more than 1 MB";
    E0310, "unsafe-link", Error, false, "a link whose scheme is not http, https, mailto or allowed in [check] allow_link_schemes";
    E0311, "include-too-large", Error, false, "includes nested deeper than 1000 levels or expanding to more than 100000 blocks";
    E0401, "unwritable-output", Error, false, "an output file or folder cannot be written";
    E0402, "output-escape", Error, false, "an output path would leave the output folder, or the default `dist` leads out of the project";
    E0403, "output-overlaps-input", Error, true, "the output folder is the project folder, inside content/ or locales/, or holds them";
    E0501, "unreadable-font", Error, false, "the font file named in [pdf] cannot be read";
    E0502, "unparsable-font", Error, false, "the font file is not a usable OpenType/TrueType font, or a CFF glyph expands past 1 MB (a font built to blow up)";
    E0503, "missing-glyph", Error, false, "a character is not in the PDF font";
    E0504, "pdf-write-failed", Error, false, "the PDF could not be serialised";
    E0603, "review-source-locale", Error, true, "`review --locale` names the source locale";
    E0604, "review-unknown-id", Error, true, "`review` names an ID not in both locales";
    E0701, "bad-init-locale", Error, true, "`init` got an unusable locale tag, or the same one twice";
    E0702, "init-would-overwrite", Error, true, "`init` would overwrite an existing file";
    E0703, "cannot-watch", Error, false, "`watch` cannot watch the project's folders or handle Ctrl-C";
    C001, "missing-message", Error, false, "a source message has no translation";
    C002, "obsolete-message", Warning, false, "a translated message no longer exists in the source";
    C003, "missing-attribute", Error, false, "a source attribute is missing in the translation";
    C004, "obsolete-attribute", Warning, false, "a translated attribute does not exist in the source";
    C005, "variable-mismatch", Error, false, "a `$variable` is used in one locale but not the other";
    C006, "unresolved-reference", Error, false, "a message or term reference does not resolve in its own locale";
    C007, "cyclic-reference", Error, false, "messages or terms reference each other in a cycle";
    C008, "unused-message", Warning, false, "no document uses the message";
    C009, "identical-to-source", Warning, false, "the translation is identical to its source: probably untranslated";
    C010, "source-script-in-translation", Warning, false, "the translation still contains letters of a script the source is written in and the translation is not (kana/kanji from Japanese; never Latin)";
    F001, "stale-translation", Error, false, "the source changed after the translation was reviewed";
    F002, "unreviewed-translation", Error, false, "no review is recorded for the translation";
    F003, "orphan-review", Warning, false, "a review is recorded for a message that no longer exists";
    E0008, "no-locale-folders", Error, false, "coverage mode found no locale folders with .ftl files (or none in the folder given with --locales)";
    E0009, "invalid-l10n-toml", Error, false, "the project's l10n.toml cannot be read, lacks [[paths]], or has a [[paths]], [[filters]], [[includes]] or [[excludes]] entry that cannot be used (a missing file, a loop, a path leading out of the project); or i18n.toml leads out of the project";
    E0010, "unknown-source-locale", Error, false, "coverage mode cannot tell the source locale, or the one given has no folder";
    C011, "dropped-variable", Warning, false, "coverage mode: the source prints a `$variable` (outside selectors) the translation does not use";
    C012, "reference-mismatch", Warning, false, "coverage mode: the translation drops a message or term reference its source uses, or adds one";
    C013, "wrong-file", Error, false, "coverage mode: a translation is in another file than its source, where the app does not look for it";
    C014, "missing-file", Error, false, "coverage mode: a source file has no translation file (reported once per file)";
    C015, "obsolete-file", Warning, false, "coverage mode: a translation file has no source file (reported once per file)";
    L001, "over-limit", Error, false, "the text is over its character limit";
    L002, "over-limit-elsewhere", Warning, false, "within the limit as counted, over it under another common counting rule";
    L003, "bad-limit", Error, false, "a limit in content/project.toml names an unknown document, locale or counting rule";
    Q001, "no-qr-code", Warning, false, "a link in a document with QR codes gets none: its address is too long for a QR code, or the right margin is too narrow for one";
}
