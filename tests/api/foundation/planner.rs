//! Planner settings of the app's pooled connections (README, "Where the time goes").

use diesel::prelude::*;

use crate::support::spawn_app;

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    enable_memoize: String,
}

#[tokio::test]
async fn every_pooled_connection_plans_without_memoize_nodes() {
    let app = spawn_app().await;
    // Hold every connection of the pool at once, so each one is asked, not the same one again.
    let size = app.pool.max_size() as usize;
    let mut held = Vec::with_capacity(size);
    for _ in 0..size {
        held.push(app.conn());
    }
    for conn in &mut held {
        let setting: Setting = diesel::sql_query("SHOW enable_memoize")
            .get_result(&mut **conn)
            .expect("show");
        assert_eq!(setting.enable_memoize, "off");
    }
}
