//! The README documents every code talkdoc can print.

#[test]
fn every_code_is_in_the_readme_table() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (code, name, severity, _) in talkdoc::check::CODES {
        let row = format!("| {code} | {name} | {} |", severity.as_str());
        assert!(
            readme.contains(&row),
            "README lacks the row for {code}: {row}"
        );
    }
}

#[test]
fn every_code_in_the_source_is_documented() {
    // Codes are string literals like "E0306" in src/; each must be in CODES.
    let mut missing = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, _) in text.match_indices('"') {
                let lit: String = text[i + 1..].chars().take_while(|c| *c != '"').collect();
                let is_code = lit.len() == 5
                    && lit.starts_with(['E', 'C', 'F', 'L'])
                    && lit[1..].chars().all(|c| c.is_ascii_digit());
                if is_code && !talkdoc::check::CODES.iter().any(|c| c.0 == lit) {
                    missing.push(format!("{lit} in {}", p.display()));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "codes used but not in CODES: {missing:?}"
    );
}
