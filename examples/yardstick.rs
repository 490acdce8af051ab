//! The speed yardstick of SPEC §4: a bare actix-web + diesel/r2d2 + askama page that reads 12
//! rows and renders them (TechEmpower "Fortunes" style). `scripts/bench` runs `wrk` against it
//! and against the product's pages in the same run, so their figures compare on one machine.
//!
//! `YARDSTICK_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/pc_yardstick`),
//! `YARDSTICK_LISTEN` (default `127.0.0.1:8090`), `YARDSTICK_POOL` (default 8).

use actix_web::{App, HttpResponse, HttpServer, web};
use askama::Template;
use diesel::prelude::*;
use diesel::r2d2::{self, ConnectionManager};
use diesel::sql_types::{Integer, Text};

#[derive(QueryableByName, Clone)]
struct Fortune {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    message: String,
}

#[derive(Template)]
#[template(
    source = "<!DOCTYPE html><html lang=\"en\"><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>{% for f in fortunes %}<tr><td>{{ f.id }}</td><td>{{ f.message }}</td></tr>{% endfor %}</table></body></html>",
    ext = "html"
)]
struct FortunesPage {
    fortunes: Vec<Fortune>,
}

type Pool = r2d2::Pool<ConnectionManager<PgConnection>>;

async fn fortunes(pool: web::Data<Pool>) -> HttpResponse {
    let pool = pool.get_ref().clone();
    let rows = web::block(move || -> anyhow::Result<Vec<Fortune>> {
        let mut conn = pool.get()?;
        Ok(diesel::sql_query("SELECT id, message FROM fortune").load(&mut conn)?)
    })
    .await;
    match rows {
        Ok(Ok(mut fortunes)) => {
            fortunes.push(Fortune {
                id: 0,
                message: "Additional fortune added at request time.".into(),
            });
            fortunes.sort_by(|a, b| a.message.cmp(&b.message));
            match (FortunesPage { fortunes }).render() {
                Ok(body) => HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(body),
                Err(_) => HttpResponse::InternalServerError().finish(),
            }
        }
        _ => HttpResponse::InternalServerError().finish(),
    }
}

fn prepare(url: &str) -> anyhow::Result<()> {
    partner_center::db::create_database_if_missing(url)?;
    let mut conn = PgConnection::establish(url)?;
    diesel::sql_query(
        "CREATE TABLE IF NOT EXISTS fortune (id INT PRIMARY KEY, message TEXT NOT NULL)",
    )
    .execute(&mut conn)?;
    let messages = [
        "fortune: No such file or directory",
        "A computer scientist is someone who fixes things that aren't broken.",
        "After enough decimal places, nobody gives a damn.",
        "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
        "A computer program does what you tell it to do, not what you want it to do.",
        "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
        "Any program that runs right is obsolete.",
        "A list is only as strong as its weakest link. — Donald Knuth",
        "Feature: A bug with seniority.",
        "Computers make very fast, very accurate mistakes.",
        "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
        "フレームワークのベンチマーク",
    ];
    for (i, m) in messages.iter().enumerate() {
        diesel::sql_query(
            "INSERT INTO fortune (id, message) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind::<Integer, _>(i as i32 + 1)
        .bind::<Text, _>(*m)
        .execute(&mut conn)?;
    }
    Ok(())
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("YARDSTICK_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/pc_yardstick".into());
    let listen = std::env::var("YARDSTICK_LISTEN").unwrap_or_else(|_| "127.0.0.1:8090".into());
    let size: u32 = std::env::var("YARDSTICK_POOL")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    prepare(&url)?;
    // r2d2 with its defaults: the bare stack the yardstick stands for.
    let pool = r2d2::Pool::builder()
        .max_size(size)
        .build(ConnectionManager::<PgConnection>::new(url))?;
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .route("/fortunes", web::get().to(fortunes))
    })
    .workers(2)
    .bind(&listen)?
    .run()
    .await?;
    Ok(())
}
