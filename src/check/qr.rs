//! Q001: a link in a document printed with QR codes (`[pdf] qr`) that
//! will get none. A warning, not a pre-flight error: the PDF is right, a
//! reader just has to type the address. Why here and not in `preflight`:
//! `build` refuses nothing for it, only `check` reports it.

use std::collections::{BTreeMap, BTreeSet};

use crate::codes::Code;
use crate::diag::Diagnostic;
use crate::document::Document;
use crate::project::Project;
use crate::render::pdf::page::PageSetup;
use crate::render::pdf::qr;

/// Each link of `docs` that gets no code: an address too long for any QR
/// code, or a right margin (the locale's page setup) narrower than a code
/// and its quiet zone. Located at the address in the message's source.
pub(crate) fn missing_codes(project: &Project, docs: &[Document]) -> Vec<Diagnostic> {
    let settings = crate::render::pdf::Settings::from_content(&project.content);
    let mm = |pt: f32| pt / 72.0 * 25.4;
    let mut needed: BTreeMap<&str, Option<f32>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for doc in docs.iter().filter(|d| settings.qr.contains(&d.name)) {
        let spec = project.content.config.pdf.page_spec(&doc.locale);
        let margin = PageSetup::from_spec(&spec).right;
        for text in doc.texts() {
            for url in crate::document::link_urls(&text.inlines) {
                if !qr::wants_code(url) || !seen.insert((&doc.name, &doc.locale, url)) {
                    continue;
                }
                let need = *needed
                    .entry(url)
                    .or_insert_with(|| qr::Code::margin_needed(url));
                let why = match need {
                    None => format!(
                        "the address is too long for a QR code ({} bytes)",
                        url.len()
                    ),
                    Some(need) if need > margin => format!(
                        "the right margin ({:.1} mm) is narrower than its code and quiet zone ({:.1} mm)",
                        mm(margin),
                        mm(need)
                    ),
                    Some(_) => continue,
                };
                let id = &text.message_id;
                let at = project
                    .catalog
                    .locale(&doc.locale)
                    .and_then(|cat| cat.text_location(id, url));
                out.push(
                    Diagnostic::warning(
                        Code::Q001,
                        format!(
                            "no QR code for {} in the {} PDFs of `{}`: {why}",
                            crate::diag::visible(&shortened(url)),
                            doc.locale,
                            doc.name
                        ),
                    )
                    .at_opt(at)
                    .id(id.clone())
                    .help("link a shorter address (a redirect), widen the right margin in [pdf], or set `qr = false` in the document's [pdf]"),
                );
            }
        }
    }
    out
}

/// An address as a message shows it: whole up to 100 characters, else
/// its start and end.
fn shortened(url: &str) -> String {
    let n = url.chars().count();
    if n <= 100 {
        return url.to_string();
    }
    let head: String = url.chars().take(60).collect();
    let tail: String = url.chars().skip(n - 30).collect();
    format!("{head}…{tail}")
}
