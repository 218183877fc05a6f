//! `[[filters]]` of an `l10n.toml`: which missing translations a Mozilla
//! project accepts. compare-locales reads them so that, say,
//! `MOZ_LANGPACK_CONTRIBUTORS` may stay untranslated, or a whole file may
//! be missing; a check that ignored them would fail every such project in
//! CI for what its own configuration allows.
//!
//! The semantics are compare-locales': the first filter whose `path` (and
//! `key`, when it has one) matches decides — `"ignore"`, `"warning"` or
//! `"error"` (the default when none matches). A filter without `key` also
//! decides for a whole missing file.

use std::ops::Range;

use regex_lite::Regex;
use serde::Deserialize;
use toml::Spanned;

/// What a matching filter does to a missing translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The filters of one `l10n.toml`, in order.
#[derive(Debug, Clone, Default)]
pub struct Filters(Vec<Filter>);

impl Filters {
    /// What to do with the missing translation of `key` (an ID, `-term`
    /// for a term) in the file at `rel` inside the locale folder; `None`
    /// for the file as a whole.
    pub fn action(&self, rel: &str, key: Option<&str>) -> Action {
        self.0
            .iter()
            .find(|f| {
                f.paths.iter().any(|p| p.is_match(rel))
                    && match (&f.keys, key) {
                        (None, _) => true,
                        (Some(_), None) => false,
                        (Some(keys), Some(k)) => keys.iter().any(|m| match m {
                            Key::Exact(e) => e == k,
                            Key::Pattern(r) => r.is_match(k),
                        }),
                    }
            })
            .map_or(Action::Error, |f| f.action)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends `more` (an included file's), after these.
    pub fn extend(&mut self, more: Filters) {
        self.0.extend(more.0);
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
pub fn parse(
    text: &str,
    expand: &dyn Fn(&str) -> String,
) -> Result<Filters, (String, Range<usize>)> {
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
    Ok(Filters(filters))
}

/// compare-locales' path patterns as a regular expression over the whole
/// path: `*` stays inside one folder, `**` spans any number of folders
/// (none included), everything else is literal.
fn glob(pattern: &str) -> Regex {
    let mut re = String::from("^");
    let mut rest = pattern;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**/") {
            re.push_str("(?:.*/)?");
            rest = r;
        } else if let Some(r) = rest.strip_prefix("**") {
            re.push_str(".*");
            rest = r;
        } else if let Some(r) = rest.strip_prefix('*') {
            re.push_str("[^/]*");
            rest = r;
        } else {
            let c = rest.chars().next().unwrap_or_default();
            re.push_str(&regex_lite::escape(c.encode_utf8(&mut [0; 4])));
            rest = &rest[c.len_utf8()..];
        }
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
        parse(toml, &expand).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn the_first_matching_filter_decides_and_error_is_the_default() {
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
path = "{l}browser/**"
key = "re:browser-search"
action = "error"

[[filters]]
path = "{l}browser/optional.ftl"
action = "ignore"
"#,
        );
        let a = |rel, key| f.action(rel, key);
        assert_eq!(
            a("browser/defines.inc", Some("MOZ_LANGPACK_CONTRIBUTORS")),
            Action::Ignore
        );
        assert_eq!(a("browser/defines.inc", Some("OTHER")), Action::Error);
        assert_eq!(
            a("browser/a/b/region.ftl", Some("browser-search-order-3")),
            Action::Warning
        );
        assert_eq!(
            a("browser/region.ftl", Some("browser-search-order-3")),
            Action::Warning
        );
        // `re:` matches from the start only; `$` anchors the end.
        assert_eq!(
            a("browser/region.ftl", Some("x-browser-search-order-3")),
            Action::Error
        );
        assert_eq!(
            a("browser/region.ftl", Some("browser-search-order-30")),
            Action::Error
        );
        assert_eq!(a("toolkit/x.ftl", Some("plain-id")), Action::Warning);
        // `*` stays inside one folder.
        assert_eq!(a("toolkit/sub/x.ftl", Some("plain-id")), Action::Error);
        // A filter with a key never decides for a whole file.
        assert_eq!(a("browser/defines.inc", None), Action::Error);
        assert_eq!(a("browser/optional.ftl", None), Action::Ignore);
        assert_eq!(a("browser/optional.ftl", Some("any")), Action::Ignore);
        assert_eq!(a("browser/optional.ftlx", None), Action::Error);
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
