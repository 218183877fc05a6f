//! Freshness: a translation is stale when its source changed after the
//! translation was last reviewed (the record is [`crate::review`]'s).

use std::path::PathBuf;

use crate::codes::Code;

use super::LocaleSummary;
use crate::catalog::EntryKind;
use crate::diag::Diagnostic;
use crate::diag::display_path;
use crate::project::Project;
use crate::review::{Fingerprints, load, reviews_path, translated_pairs};

/// Past this many reviews of messages gone from a locale, one F003
/// finding stands for them all.
const ORPHANS_ONE_BY_ONE: usize = 5;

/// Freshness of every translated locale. In coverage mode a locale without
/// a review record is skipped, with a line in `info` saying how to start.
pub(crate) fn check(
    project: &Project,
    out: &mut Vec<Diagnostic>,
    summaries: &mut [LocaleSummary],
    info: &mut Vec<String>,
) {
    let source_locale = project.content.source_locale();
    let Some(source) = project.catalog.locale(source_locale) else {
        return;
    };
    let coverage = project.coverage().is_some();
    let prints = Fingerprints::new(source);
    let mut off = Vec::new();
    for cat in project
        .catalog
        .locales
        .iter()
        .filter(|c| c.locale != source.locale)
    {
        if coverage
            && std::fs::symlink_metadata(reviews_path(project, &cat.locale))
                .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            off.push(cat.locale.clone());
            if let Some(s) = summaries.iter_mut().find(|s| s.locale == cat.locale) {
                s.freshness = Some(false);
            }
            continue;
        }
        let reviews = match load(project, &cat.locale) {
            Ok(r) => r,
            Err(e) => {
                out.extend(e.diagnostics);
                continue;
            }
        };
        let summary = summaries.iter_mut().find(|s| s.locale == cat.locale);
        if !coverage && reviews.file.is_none() {
            // A talk's first run: one line per locale pointing to
            // `review --all`, not one error per message.
            let n = translated_pairs(source, cat)
                .filter(|(_, src, _)| src.kind == EntryKind::Message)
                .count();
            let record = display_path(&project.root, &reviews.path);
            out.push(
                Diagnostic::error(
                    Code::F002,
                    format!(
                        "no review record for `{}` yet: none of its {n} translations is marked as reviewed",
                        cat.locale
                    ),
                )
                .at(crate::diag::Location::file(record))
                .help(format!(
                    "check the translation against the source, then run `talkdoc review --all --locale {}` and commit the record it writes",
                    cat.locale
                )),
            );
            if let Some(s) = summary {
                s.unreviewed = n;
            }
            continue;
        }
        let (mut stale, mut unreviewed) = (0, 0);
        for (key, src, tr) in translated_pairs(source, cat) {
            let at = cat.location(tr);
            match reviews.entries.get(key) {
                None => {
                    if src.kind == EntryKind::Message || coverage {
                        unreviewed += 1;
                    }
                    out.push(
                        Diagnostic::error(Code::F002, "no review recorded: cannot tell whether the translation is up to date")
                            .at_opt(at)
                            .id(key.clone())
                            .help(format!("check the translation against the source, then run `talkdoc review {key} --locale {}`", cat.locale)),
                    );
                }
                Some((r, _)) if r.hash != prints.fingerprint(src, tr) => {
                    if src.kind == EntryKind::Message || coverage {
                        stale += 1;
                    }
                    let now = prints.reviewed_text(src, tr);
                    let mut d = Diagnostic::error(
                        Code::F001,
                        format!(
                            "stale: the `{}` source changed since this translation was reviewed",
                            source.locale
                        ),
                    )
                    .at_opt(at)
                    .id(key.clone())
                    .note(format!("was: {}", r.source))
                    .note(format!("now: {now}"));
                    if now == r.source {
                        d = d.note("the change is further down: in a message or term that what the translation writes out references in turn");
                    }
                    out.push(d.help(format!(
                        "update the translation, then run `talkdoc review {key} --locale {}`",
                        cat.locale
                    )));
                }
                Some(_) => {}
            }
        }
        let orphans: Vec<(&String, &std::ops::Range<usize>)> = reviews
            .entries
            .iter()
            .filter(|(key, _)| {
                !(source.entries.contains_key(*key) && cat.entries.contains_key(*key))
            })
            .map(|(key, (_, span))| (key, span))
            .collect();
        let help = format!(
            "run `talkdoc review --all --locale {}` to rewrite the record",
            cat.locale
        );
        if orphans.len() > ORPHANS_ONE_BY_ONE {
            // A deleted or renamed file leaves hundreds: one finding, at
            // the first, naming a few.
            let (_, span) = orphans[0];
            let shown: Vec<&str> = orphans
                .iter()
                .take(ORPHANS_ONE_BY_ONE)
                .map(|(k, _)| k.as_str())
                .collect();
            out.push(
                Diagnostic::warning(
                    Code::F003,
                    format!(
                        "{} reviews are recorded for messages that are not in both locales ({}, …)",
                        orphans.len(),
                        shown.join(", ")
                    ),
                )
                .at_opt(reviews.file.as_ref().map(|f| f.at(span.clone())))
                .note("a translation file deleted or renamed leaves its messages' reviews behind")
                .help(help),
            );
        } else {
            for (key, span) in orphans {
                out.push(
                    Diagnostic::warning(
                        Code::F003,
                        "a review is recorded for a message that is not in both locales",
                    )
                    .at_opt(reviews.file.as_ref().map(|f| f.at(span.clone())))
                    .id(key.clone())
                    .help(help.clone()),
                );
            }
        }
        if let Some(s) = summary {
            s.stale = stale;
            s.unreviewed = unreviewed;
        }
    }
    if !off.is_empty() {
        let records: Vec<PathBuf> = off
            .iter()
            .map(|l| display_path(&project.root, &reviews_path(project, l)))
            .collect();
        // Many locales with their records side by side: one pattern.
        let same_folder = records.windows(2).all(|w| w[0].parent() == w[1].parent());
        let records = if off.len() > 3 && same_folder {
            records[0]
                .with_file_name("<locale>.reviewed.toml")
                .display()
                .to_string()
        } else {
            records
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        info.push(format!(
            "freshness is off for {}: no review record ({records}); after checking the translations, run `talkdoc review --all` to record them, and `check` reports every later change to the source as stale",
            super::report::short_list(&off)
        ));
    }
}
