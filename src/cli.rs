//! Admin subcommands of the `partner-center` binary (SPEC §5 "Binary").

use diesel::Connection;

use crate::config::Settings;

const USAGE: &str = "usage: partner-center [ledger verify]";

/// Runs a subcommand and returns the process exit code.
pub fn run(settings: &Settings, args: &[String]) -> anyhow::Result<i32> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["ledger", "verify"] => {
            crate::db::create_database_if_missing(&settings.database_url)?;
            let mut conn = diesel::PgConnection::establish(&settings.database_url)?;
            crate::db::run_migrations(&mut conn)?;
            let report = crate::ledger::verify::run(&mut conn)?;
            println!("{}", report.summary());
            for problem in &report.problems {
                println!("  {problem}");
            }
            Ok(if report.ok() { 0 } else { 1 })
        }
        ["help"] | ["--help"] | ["-h"] => {
            println!("{USAGE}");
            Ok(0)
        }
        _ => {
            eprintln!("{USAGE}");
            Ok(2)
        }
    }
}
