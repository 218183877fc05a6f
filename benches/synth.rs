//! Synthetic proposals for scaling measurements: the real proposal's
//! messages repeated `factor` times (more outline items, longer abstracts,
//! both locales, mixed Japanese and English), as a complete project folder.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Message lines (`id = value`) of every `.ftl` file of `locale`.
fn messages(root: &Path, locale: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = fs::read_dir(root.join("locales").join(locale))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        for line in fs::read_to_string(f).unwrap().lines() {
            if let Some((id, value)) = line.split_once(" = ")
                && !id.starts_with(['#', ' ', '-'])
                && !id.is_empty()
                && !value.contains('{')
            {
                out.push((id.to_string(), value.to_string()));
            }
        }
    }
    out
}

/// Writes a project `factor` times the size of the real one under `dir`.
/// Returns the number of messages per locale.
pub fn make_project(real_root: &Path, dir: &Path, factor: usize) -> usize {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir.join("content/documents")).unwrap();
    let mut count = 0;
    for locale in ["ja", "en"] {
        let base = messages(real_root, locale);
        let mut ftl = String::new();
        for k in 0..factor {
            for (id, value) in &base {
                let _ = writeln!(ftl, "{id}-x{k} = {value}");
            }
        }
        let _ = writeln!(
            ftl,
            "synth-title = {}",
            if locale == "ja" {
                "合成された講演 — Synthetic talk"
            } else {
                "A synthetic talk — 合成"
            }
        );
        let _ = writeln!(
            ftl,
            "synth-outline = {}",
            if locale == "ja" {
                "アウトライン"
            } else {
                "Outline"
            }
        );
        fs::create_dir_all(dir.join("locales").join(locale)).unwrap();
        fs::write(dir.join("locales").join(locale).join("all.ftl"), ftl).unwrap();
        count = base.len() * factor + 2;
    }
    let base = messages(real_root, "ja");
    let ids = |prefix: &str| -> Vec<String> {
        (0..factor)
            .flat_map(|k| {
                base.iter()
                    .filter(|(id, _)| id.starts_with(prefix))
                    .map(move |(id, _)| format!("\"{id}-x{k}\""))
            })
            .collect()
    };
    fs::write(
        dir.join("content/project.toml"),
        "source_locale = \"ja\"\nlocales = [\"ja\", \"en\"]\ntitle = \"synth-title\"\n[pdf]\ncombined = \"handout\"\n[check]\nallow_unused = [\"*\"]\n",
    )
    .unwrap();
    let abstract_ids = ids("abstract-");
    fs::write(
        dir.join("content/documents/abstract.toml"),
        format!(
            "title = \"synth-title\"\n[[blocks]]\ntype = \"paragraphs\"\nmessages = [{}]\n",
            abstract_ids.join(", ")
        ),
    )
    .unwrap();
    // Outline: groups of items nested three deep.
    let outline_ids = ids("outline-");
    let mut items = String::new();
    for chunk in outline_ids.chunks(3) {
        match chunk {
            [a, b, c] => {
                let _ = writeln!(
                    items,
                    "  {{ id = {a}, items = [{{ id = {b}, items = [{c}] }}] }},"
                );
            }
            rest => {
                for id in rest {
                    let _ = writeln!(items, "  {id},");
                }
            }
        }
    }
    fs::write(
        dir.join("content/documents/outline.toml"),
        format!("title = \"synth-title\"\n[[blocks]]\ntype = \"heading\"\nmessage = \"synth-outline\"\n[[blocks]]\ntype = \"list\"\nitems = [\n{items}]\n"),
    )
    .unwrap();
    let titles = ids("title-candidate-");
    fs::write(
        dir.join("content/documents/titles.toml"),
        format!(
            "title = \"synth-title\"\n[[blocks]]\ntype = \"list\"\nitems = [{}]\n",
            titles.join(", ")
        ),
    )
    .unwrap();
    fs::write(
        dir.join("content/documents/handout.toml"),
        "title = \"synth-title\"\n[[blocks]]\ntype = \"include\"\ndocument = \"abstract\"\n[[blocks]]\ntype = \"include\"\ndocument = \"outline\"\n",
    )
    .unwrap();
    count
}
