//! The README documents every code talkdoc can print, exactly as the code
//! table in `src/codes.rs` says (a code missing from that table does not
//! compile, so nothing here has to search the source).

use talkdoc::codes::Code;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn every_code_is_in_the_readme_table() {
    let readme = readme();
    for code in Code::ALL {
        let row = format!(
            "| {code} | {} | {} | {} |",
            code.name(),
            code.severity().as_str(),
            code.meaning()
        );
        assert!(
            readme.contains(&row),
            "README lacks the row for {code}: {row}"
        );
    }
}

#[test]
fn the_readme_table_lists_no_code_that_does_not_exist() {
    let readme = readme();
    let listed: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(' ').next())
        .filter(|c| {
            c.len() >= 4
                && c.starts_with(['E', 'C', 'F', 'L', 'Q'])
                && c[1..].chars().all(|d| d.is_ascii_digit())
        })
        .collect();
    assert_eq!(listed.len(), Code::ALL.len(), "rows: {listed:?}");
    for c in listed {
        assert!(
            Code::parse(c).is_some(),
            "README lists {c}, which talkdoc never prints"
        );
    }
}
