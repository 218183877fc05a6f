//! `[[filters]]` of an `l10n.toml`: which missing translations a Mozilla
//! project accepts. compare-locales reads them so that, say,
//! `MOZ_LANGPACK_CONTRIBUTORS` may stay untranslated, or a whole file may
//! be missing; a check that ignored them would fail every such project in
//! CI for what its own configuration allows.
//!
//! The semantics are compare-locales' (`paths/project.py`): within one
//! `l10n.toml`, the *last* filter whose `path` matches decides; a filter
//! with `key` decides for a missing message, one without for a missing
//! file; `"error"` when none matches. An included file's filters decide
//! for the files of its own `[[paths]]`, and of several files' verdicts
//! `error` beats `warning` beats `ignore`.

use std::ops::Range;

use regex_lite::Regex;
use serde::Deserialize;
use toml::Spanned;

/// What a matching filter does to a missing translation, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Not reported, not counted as missing.
    Ignore,
    /// Reported as a warning.
    Warning,
    /// Reported as an error (no filter matched, or one said so).
    Error,
}

/// One `[[filters]]` entry, compiled.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Patterns of paths inside a locale folder (`browser/defines.inc`).
    paths: Vec<Regex>,
    /// IDs it applies to; `None`: every ID, and the file itself.
    keys: Option<Vec<Key>>,
    action: Action,
}

#[derive(Debug, Clone)]
enum Key {
    Exact(String),
    /// `re:…`: a regular expression matched from the start of the ID, as
    /// Python's `re.match` does in compare-locales.
    Pattern(Regex),
}

/// The filters of one `l10n.toml`, in file order.
#[derive(Debug, Clone, Default)]
pub struct Rules(Vec<Filter>);

/// The filters of a project: each `[[paths]]` entry's label (what tells
/// which files are its own), the locales it is limited to, and the filters
/// of the `l10n.toml` it is in.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    scopes: Vec<Scope>,
    /// (locale, entry label, pattern of paths inside the entry's locale
    /// folder) of files an excluded `l10n.toml` claims: not this
    /// project's, never reported.
    excluded: Vec<(String, String, Regex)>,
}

/// The files of one `[[paths]]` entry, judged by its file's filters.
#[derive(Debug, Clone)]
struct Scope {
    label: String,
    /// Its `locales`; `None`: every locale of the project.
    locales: Option<Vec<String>>,
    rules: std::sync::Arc<Rules>,
}

impl Filter {
    fn matches(&self, rel: &str, key: Option<&str>) -> bool {
        self.paths.iter().any(|p| p.is_match(rel))
            && match (&self.keys, key) {
                (None, None) => true,
                (Some(keys), Some(k)) => keys.iter().any(|m| match m {
                    Key::Exact(e) => e == k,
                    Key::Pattern(r) => r.is_match(k),
                }),
                // A keyed filter is about messages, a keyless one files.
                _ => false,
            }
    }
}

impl Filters {
    /// Adds one file's `rules`, for the files of each of its `[[paths]]`:
    /// those whose path inside the locale folder starts with the label, in
    /// the locales listed (all when `None`).
    pub fn add(&mut self, paths: Vec<(String, Option<Vec<String>>)>, rules: Rules) {
        let rules = std::sync::Arc::new(rules);
        self.scopes
            .extend(paths.into_iter().map(|(label, locales)| Scope {
                label,
                locales,
                rules: rules.clone(),
            }));
    }

    /// Files of `locale` of the entry labelled `label` whose path inside
    /// its locale folder `pattern` matches (compiled with [`glob`]) belong
    /// to an excluded project: ignored.
    pub fn exclude(&mut self, locale: &str, label: &str, pattern: Regex) {
        self.excluded
            .push((locale.to_string(), label.to_string(), pattern));
    }

    /// What to do with the missing translation of `key` (an ID, `-term`
    /// for a term) in the file at `rel` inside the folder of `locale`;
    /// `None` for the missing file itself. A file no `[[paths]]` entry
    /// gives to `locale` (its `locales` leave it out) is not expected
    /// there: ignored, as compare-locales does.
    pub fn action(&self, locale: &str, rel: &str, key: Option<&str>) -> Action {
        if self.excluded.iter().any(|(l, label, pattern)| {
            l == locale && rel.starts_with(label.as_str()) && pattern.is_match(rel)
        }) {
            return Action::Ignore;
        }
        let applies = |s: &Scope| {
            s.locales
                .as_ref()
                .is_none_or(|l| l.iter().any(|l| l == locale))
        };
        self.scopes
            .iter()
            .filter(|s| rel.starts_with(s.label.as_str()) && applies(s))
            .map(|s| {
                s.rules
                    .0
                    .iter()
                    .rev()
                    .find(|f| f.matches(rel, key))
                    .map_or(Action::Error, |f| f.action)
            })
            .max()
            .unwrap_or(if self.scopes.is_empty() {
                Action::Error
            } else {
                Action::Ignore
            })
    }
}

#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    filters: Vec<Spanned<Spec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    path: Spanned<OneOrMany>,
    #[serde(default)]
    key: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    action: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn items(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Reads the `[[filters]]` of `text` (an `l10n.toml`). Paths are expanded
/// with `expand` (the file's `[env]`) and must name a file inside a locale
/// folder (`{locale}` or a variable holding it): what follows `{locale}/`
/// is matched against the path inside the locale folder. Errors come with
/// the span to point at.
pub fn parse(text: &str, expand: &dyn Fn(&str) -> String) -> Result<Rules, (String, Range<usize>)> {
    let doc: Document = toml::from_str(text).map_err(|e| {
        (
            format!("invalid [[filters]]: {}", e.message().trim_end()),
            e.span().unwrap_or(0..0),
        )
    })?;
    let mut filters = Vec::new();
    for spec in doc.filters {
        let span = spec.span();
        let spec = spec.into_inner();
        let mut paths = Vec::new();
        for pattern in spec.path.get_ref().items() {
            let expanded = expand(pattern);
            let Some((_, inside)) = expanded.split_once("{locale}") else {
                return Err((
                    format!(
                        "the filter path `{pattern}` is not inside a locale folder: it needs {{locale}} (or a variable such as {{l}} that holds it)"
                    ),
                    spec.path.span(),
                ));
            };
            paths.push(glob(inside.trim_start_matches('/')));
        }
        let keys = match &spec.key {
            None => None,
            Some(k) => {
                let mut keys = Vec::new();
                for key in k.get_ref().items() {
                    keys.push(match key.strip_prefix("re:") {
                        Some(re) => Key::Pattern(Regex::new(&format!("^(?:{re})")).map_err(
                            |e| {
                                (
                                    format!("the filter key `{key}` is not a valid regular expression: {e}"),
                                    k.span(),
                                )
                            },
                        )?),
                        None => Key::Exact(key.to_string()),
                    });
                }
                Some(keys)
            }
        };
        let action = match spec.action.as_ref().map(|a| a.get_ref().as_str()) {
            None | Some("error") => Action::Error,
            Some("warning") => Action::Warning,
            Some("ignore") => Action::Ignore,
            Some(other) => {
                return Err((
                    format!(
                        "unknown filter action `{other}`: use \"ignore\", \"warning\" or \"error\""
                    ),
                    spec.action.as_ref().map_or(span, Spanned::span),
                ));
            }
        };
        filters.push(Filter {
            paths,
            keys,
            action,
        });
    }
    Ok(Rules(filters))
}

/// compare-locales' path patterns as a regular expression over the whole
/// path: `*` stays inside one folder; `**` as a whole path segment spans
/// any number of folders (none included), elsewhere it is two `*`;
/// everything else is literal.
pub(crate) fn glob(pattern: &str) -> Regex {
    let mut re = String::from("^");
    let mut rest = pattern;
    let mut segment_start = true;
    while !rest.is_empty() {
        if segment_start && let Some(r) = rest.strip_prefix("**/") {
            re.push_str("(?:.+/)?");
            rest = r;
            continue;
        } else if segment_start && rest == "**" {
            re.push_str("(?:.+)?");
            rest = "";
        } else if let Some(r) = rest.strip_prefix('*') {
            re.push_str("[^/]*");
            rest = r;
        } else {
            let c = rest.chars().next().unwrap_or_default();
            re.push_str(&regex_lite::escape(c.encode_utf8(&mut [0; 4])));
            rest = &rest[c.len_utf8()..];
            segment_start = c == '/';
            continue;
        }
        segment_start = false;
    }
    re.push('$');
    // Escaped literals and the three fixed fragments: always a valid regex.
    Regex::new(&re).unwrap_or_else(|_| unreachable!("glob {re}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(toml: &str) -> Filters {
        let expand = |s: &str| s.replace("{l}", "{l10n_base}/{locale}/");
        let rules = parse(toml, &expand).unwrap_or_else(|e| panic!("{e:?}"));
        let mut f = Filters::default();
        f.add(vec![(String::new(), None)], rules);
        f
    }

    #[test]
    fn the_last_matching_filter_decides_keyed_for_messages_keyless_for_files() {
        let f = filters(
            r#"
[[filters]]
path = "{l}browser/defines.inc"
key = "MOZ_LANGPACK_CONTRIBUTORS"
action = "ignore"

[[filters]]
path = ["{l}browser/**/region.ftl", "{l}toolkit/*.ftl"]
key = ["re:browser-search-order-[1-9]$", "plain-id"]
action = "warning"

[[filters]]
path = "{l}browser/a/**"
key = "re:browser-search"
action = "error"

[[filters]]
path = "{l}browser/optional.ftl"
action = "ignore"
"#,
        );
        let a = |rel, key| f.action("ja", rel, key);
        assert_eq!(
            a("browser/defines.inc", Some("MOZ_LANGPACK_CONTRIBUTORS")),
            Action::Ignore
        );
        assert_eq!(a("browser/defines.inc", Some("OTHER")), Action::Error);
        assert_eq!(
            a("browser/region.ftl", Some("browser-search-order-3")),
            Action::Warning
        );
        assert_eq!(
            a("browser/x/y/region.ftl", Some("browser-search-order-3")),
            Action::Warning
        );
        // A later filter that also matches wins.
        assert_eq!(
            a("browser/a/region.ftl", Some("browser-search-order-3")),
            Action::Error
        );
        // `re:` matches from the start only; `$` anchors the end; a plain
        // key is the whole ID.
        assert_eq!(
            a("browser/region.ftl", Some("x-browser-search-order-3")),
            Action::Error
        );
        assert_eq!(
            a("browser/region.ftl", Some("browser-search-order-30")),
            Action::Error
        );
        assert_eq!(a("toolkit/x.ftl", Some("plain-id")), Action::Warning);
        assert_eq!(a("toolkit/x.ftl", Some("plain-id-2")), Action::Error);
        // `*` stays inside one folder.
        assert_eq!(a("toolkit/sub/x.ftl", Some("plain-id")), Action::Error);
        // A keyed filter is about messages, a keyless one about files.
        assert_eq!(a("browser/defines.inc", None), Action::Error);
        assert_eq!(a("browser/optional.ftl", None), Action::Ignore);
        assert_eq!(a("browser/optional.ftl", Some("any")), Action::Error);
        assert_eq!(a("browser/optional.ftlx", None), Action::Error);
    }

    #[test]
    fn each_files_filters_judge_its_own_paths_and_error_wins() {
        let expand = |s: &str| s.replace("{l}", "{locale}/");
        let ignore_all = "[[filters]]\npath = \"{l}**\"\naction = \"ignore\"\n";
        let warn_all = "[[filters]]\npath = \"{l}**\"\naction = \"warning\"\n";
        let mut f = Filters::default();
        f.add(
            vec![("browser/".into(), None)],
            parse(ignore_all, &expand).unwrap(),
        );
        f.add(
            vec![("toolkit/".into(), None)],
            parse(warn_all, &expand).unwrap(),
        );
        assert_eq!(f.action("ja", "browser/a.ftl", None), Action::Ignore);
        assert_eq!(f.action("ja", "toolkit/a.ftl", None), Action::Warning);
        // A file no [[paths]] entry gives is no file of the project.
        assert_eq!(f.action("ja", "other/a.ftl", None), Action::Ignore);
        f.add(vec![("browser/".into(), None)], Rules::default());
        assert_eq!(f.action("ja", "browser/a.ftl", None), Action::Error);
    }

    /// compare-locales: a `[[paths]]` entry with `locales` gives its files
    /// to those locales only; elsewhere they are not expected (ignored),
    /// whatever the filters say; without filters they are errors there.
    #[test]
    fn a_path_limited_to_some_locales_expects_its_files_only_there() {
        let expand = |s: &str| s.replace("{l}", "{locale}/");
        let warn_all = "[[filters]]\npath = \"{l}**\"\naction = \"warning\"\n";
        let mut f = Filters::default();
        f.add(
            vec![
                ("browser/".into(), None),
                ("mac/".into(), Some(vec!["ja-JP-mac".into(), "fr".into()])),
            ],
            Rules::default(),
        );
        assert_eq!(f.action("ja", "mac/a.ftl", None), Action::Ignore);
        assert_eq!(f.action("ja", "mac/a.ftl", Some("id")), Action::Ignore);
        assert_eq!(f.action("fr", "mac/a.ftl", None), Action::Error);
        assert_eq!(f.action("ja", "browser/a.ftl", None), Action::Error);
        // Another file's filters for the same folder still count where
        // their path applies.
        f.add(
            vec![("mac/".into(), Some(vec!["ja".into()]))],
            parse(warn_all, &expand).unwrap(),
        );
        assert_eq!(f.action("ja", "mac/a.ftl", None), Action::Warning);
        assert_eq!(f.action("fr", "mac/a.ftl", None), Action::Error);
    }

    #[test]
    fn double_stars_span_folders_only_as_a_whole_segment() {
        assert!(glob("a/**/b.ftl").is_match("a/b.ftl"));
        assert!(glob("a/**/b.ftl").is_match("a/x/y/b.ftl"));
        assert!(glob("a/**").is_match("a/x/y"));
        assert!(!glob("a**b").is_match("ax/yb"));
        assert!(glob("a**b").is_match("axyb"));
    }

    #[test]
    fn bad_filters_are_refused_with_their_span() {
        let expand = |s: &str| s.replace("{l}", "{locale}/");
        let text = "[[filters]]\npath = \"browser/x.ftl\"\naction = \"ignore\"\n";
        let (msg, span) = parse(text, &expand).unwrap_err();
        assert!(msg.contains("not inside a locale folder"), "{msg}");
        assert_eq!(&text[span], "\"browser/x.ftl\"");
        let text = "[[filters]]\npath = \"{l}x.ftl\"\naction = \"drop\"\n";
        let (msg, span) = parse(text, &expand).unwrap_err();
        assert!(msg.contains("unknown filter action `drop`"), "{msg}");
        assert_eq!(&text[span], "\"drop\"");
        let text = "[[filters]]\npath = \"{l}x.ftl\"\nkey = \"re:(\"\n";
        let (msg, _) = parse(text, &expand).unwrap_err();
        assert!(msg.contains("not a valid regular expression"), "{msg}");
        let text = "[[filters]]\npath = \"{l}x.ftl\"\nkeys = \"a\"\n";
        let (msg, _) = parse(text, &expand).unwrap_err();
        assert!(msg.contains("unknown field `keys`"), "{msg}");
    }
}
