//! Reads the configuration, starts telemetry and either serves or runs an admin command.

use partner_center::{cli, config::Settings, startup, telemetry};

// Many short-lived allocations on several threads per request: mimalloc handles them with less
// contention than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    telemetry::init();
    partner_center::db::statements::install()?;
    let settings = Settings::from_env()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        actix_web::rt::System::new().block_on(startup::serve(settings))
    } else {
        std::process::exit(cli::run(&settings, &args)?)
    }
}
