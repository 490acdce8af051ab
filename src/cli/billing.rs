//! `partner-center usage import FILE` and `partner-center bills issue YYYY-MM` (rules B1, B2):
//! the same services the operator's `/ops/usage` page runs, as the system.

use std::path::Path;

use diesel::PgConnection;

use crate::domain::Caller;
use crate::i18n::Lang;
use crate::services::billing::{Month, issue, usage};

/// Imports a usage file; prints the counts and writes rejected rows beside it
/// (`FILE.rejected.csv`). Exit code 1 when the file could not be read to its end.
pub fn import_usage(conn: &mut PgConnection, file: &str) -> anyhow::Result<i32> {
    let caller = Caller::system("cli");
    let started = std::time::Instant::now();
    let done = usage::runner::import_file(conn, &caller, Path::new(file))
        .map_err(|e| anyhow::anyhow!("usage import: {e}"))?;
    println!(
        "import {}: {} rows read, {} imported, {} already imported, {} rejected in {:.1} s",
        done.id,
        done.rows_read,
        done.rows_imported,
        done.rows_already,
        done.rows_rejected,
        started.elapsed().as_secs_f64()
    );
    if done.rows_rejected > 0 {
        let report = format!("{file}.rejected.csv");
        write_report(conn, done.id, &report)?;
        println!("rejected rows and their reasons: {report}");
    }
    if !done.problem.is_empty() {
        let line = done.problem_line.map(|l| l.to_string()).unwrap_or_default();
        println!("{}", Lang::En.tf(&done.problem, &[("line", &line)]));
        return Ok(1);
    }
    Ok(0)
}

fn write_report(conn: &mut PgConnection, id: i64, path: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let caller = Caller::system("cli");
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let (mut after, mut first) = (0i64, true);
    loop {
        let rows = usage::rejected_rows(conn, &caller, id, after, 10_000)
            .map_err(|e| anyhow::anyhow!("report: {e}"))?;
        let Some(last) = rows.last() else { break };
        after = last.line;
        out.write_all(&usage::rejected_csv(&rows, |k| Lang::En.t(k), first))?;
        first = false;
    }
    out.flush()?;
    Ok(())
}

/// Issues the bills of a closed month; prints how many.
pub fn issue_bills(conn: &mut PgConnection, month: &str) -> anyhow::Result<i32> {
    let Some(month) = Month::parse(month) else {
        eprintln!("the month is YYYY-MM");
        return Ok(2);
    };
    let started = std::time::Instant::now();
    match issue::issue_month(conn, &Caller::system("cli"), month) {
        Ok(done) => {
            println!(
                "{month}: {} bills issued, {} customers already billed, in {:.1} s",
                done.bills,
                done.skipped,
                started.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        Err(e) => {
            let text = e
                .message_key()
                .map_or_else(|| e.to_string(), |k| Lang::En.t(k));
            eprintln!("{month}: {text}");
            Ok(1)
        }
    }
}
