//! Admin subcommands of the `partner-center` binary (SPEC §5 "Binary").

use diesel::Connection;

use crate::config::Settings;

mod billing;

const USAGE: &str = "usage: partner-center [ledger verify | quota grant PARTNER KIND AMOUNT DAYS | \
                     usage import FILE | bills issue YYYY-MM]";

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
        ["quota", "grant", partner, kind, amount, days] => {
            let mut conn = diesel::PgConnection::establish(&settings.database_url)?;
            let id = grant_quota(&mut conn, partner, kind, amount, days)?;
            println!("{id}");
            Ok(0)
        }
        ["usage", "import", file] => {
            let mut conn = diesel::PgConnection::establish(&settings.database_url)?;
            crate::db::run_migrations(&mut conn)?;
            billing::import_usage(&mut conn, file)
        }
        ["bills", "issue", month] => {
            let mut conn = diesel::PgConnection::establish(&settings.database_url)?;
            crate::db::run_migrations(&mut conn)?;
            billing::issue_bills(&mut conn, month)
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

/// rule K1 from the command line (benchmarks, support): grants `amount` of `kind` (`voucher`
/// or `cash_coupon`) to the partner named `partner`, valid from today for `days` days, for
/// every service, through the same service an operator's page uses. Prints the grant's id.
fn grant_quota(
    conn: &mut diesel::PgConnection,
    partner: &str,
    kind: &str,
    amount: &str,
    days: &str,
) -> anyhow::Result<i64> {
    use crate::db::schema::organizations;
    use crate::services::coupons::grants::{self, NewGrant};
    use diesel::prelude::*;
    let org: i64 = organizations::table
        .filter(organizations::name.eq(partner))
        .select(organizations::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| anyhow::anyhow!("no partner named {partner}"))?;
    let kind = crate::domain::CouponKind::parse(kind)
        .ok_or_else(|| anyhow::anyhow!("kind is voucher or cash_coupon"))?;
    let amount = crate::domain::Money::parse_positive(amount)
        .map_err(|e| anyhow::anyhow!("amount: {e:?}"))?;
    let days: i64 = days.parse()?;
    let today = crate::services::coupons::today();
    let new = NewGrant {
        partner_id: org,
        kind,
        amount,
        valid_from: today,
        valid_until: today + chrono::Duration::days(days),
        scope: Vec::new(),
        invoice_restricted: false,
        remark: "granted from the command line".into(),
    };
    let key = uuid::Uuid::new_v4().to_string();
    grants::create(conn, &crate::domain::Caller::system("cli"), &new, &key)
        .map_err(|e| anyhow::anyhow!("grant refused: {e}"))
}
