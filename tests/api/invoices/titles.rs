//! Invoice titles (rule B3): organisation titles take VAT normal invoices only, VAT special
//! ones need the tax and bank details, exactly one default per owner, the name starts as the
//! verified company name; partners' titles are their admins'; another owner's title is 404.

use super::{setup, signed_in, user};
use crate::support::spawn_app;

fn title_fields<'a>(kind: &'a str, ty: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("title_type", ty), ("invoice_kind", kind), ("name", name)]
}

#[tokio::test]
async fn an_organisation_title_takes_vat_normal_only_and_keeps_the_values() {
    let s = setup(false).await;
    let c = &s.client;
    let form = "/fee-center/invoices/titles/new";
    let action = "/fee-center/invoices/titles";
    let refused = c
        .submit(
            form,
            action,
            &title_fields("vat_special", "organisation", "City Museum"),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.contains("id=\"e-invoice_kind\""),
        "{}",
        refused.body
    );
    assert!(refused.contains("VAT normal invoices only"));
    assert!(refused.contains("value=\"City Museum\""));
    assert!(refused.contains("value=\"organisation\" checked"));
    let n = |app: &crate::support::TestApp| {
        app.count(&format!(
            "SELECT count(*) AS n FROM invoice_titles WHERE customer_id = {}",
            s.customer
        ))
    };
    assert_eq!(n(&s.app), 1);
    let ok = c
        .submit(
            form,
            action,
            &title_fields("vat_normal", "organisation", "City Museum"),
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(n(&s.app), 2);
    // The database holds the rule too.
    let direct = diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "INSERT INTO invoice_titles (customer_id, title_type, invoice_kind, name, tax_id,
             bank_name, bank_account, registered_address, registered_phone)
             VALUES ({}, 'organisation', 'vat_special', 'x', 'T', 'B', '1', 'A', '1')",
            s.customer
        )),
        &mut s.app.conn(),
    );
    assert!(direct.is_err());
}

#[tokio::test]
async fn a_special_title_needs_its_tax_and_bank_details_each_beside_its_field() {
    let s = setup(false).await;
    let page = s
        .client
        .submit(
            "/fee-center/invoices/titles/new",
            "/fee-center/invoices/titles",
            &[
                ("title_type", "enterprise"),
                ("invoice_kind", "vat_special"),
                ("name", "Buyer Ltd"),
                ("tax_id", "12-34"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    for field in [
        "tax_id",
        "bank_name",
        "bank_account",
        "registered_address",
        "registered_phone",
    ] {
        assert!(page.contains(&format!("id=\"e-{field}\"")), "{field}");
    }
    assert!(page.contains("value=\"12-34\""));
    let full = s
        .client
        .submit(
            "/fee-center/invoices/titles/new",
            "/fee-center/invoices/titles",
            &[
                ("title_type", "enterprise"),
                ("invoice_kind", "vat_special"),
                ("name", "Buyer Ltd"),
                ("tax_id", "91310000MA1K4XYZ5Q"),
                ("bank_name", "Bank"),
                ("bank_account", "6222 0000 1111"),
                ("registered_address", "1 Road"),
                ("registered_phone", "021-5555"),
            ],
        )
        .await;
    assert_eq!(full.status, 303, "{}", full.body);
}

#[tokio::test]
async fn there_is_exactly_one_default_title_and_making_another_default_moves_it() {
    let s = setup(false).await;
    let (app, c) = (&s.app, &s.client);
    let defaults = || {
        app.count(&format!(
            "SELECT count(*) AS n FROM invoice_titles WHERE customer_id = {} AND is_default",
            s.customer
        ))
    };
    let added = c
        .submit(
            "/fee-center/invoices/titles/new",
            "/fee-center/invoices/titles",
            &title_fields("vat_normal", "enterprise", "Second"),
        )
        .await;
    assert_eq!(added.status, 303);
    assert_eq!(defaults(), 1);
    let second = app.id_of("SELECT max(id) AS n FROM invoice_titles");
    let list = c.get("/fee-center/invoices/titles").await;
    let made = c
        .submit(
            "/fee-center/invoices/titles",
            &format!("/fee-center/invoices/titles/{second}/default"),
            &[],
        )
        .await;
    assert_eq!((list.status, made.status), (200, 303));
    assert_eq!(defaults(), 1);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM invoice_titles WHERE id = {second} AND is_default"
        )),
        1
    );
}

#[tokio::test]
async fn a_new_title_starts_with_the_verified_company_name() {
    let app = spawn_app().await;
    let acme = signed_in(&app, "it@acme.test").await;
    let form = acme.get("/fee-center/invoices/titles/new").await;
    assert!(
        form.contains("id=\"f-name\" name=\"name\" type=\"text\" value=\"Acme Corp\""),
        "{}",
        form.body
    );
    // Initech is not verified: no name is offered.
    let initech = signed_in(&app, "ops@initech.test").await;
    let form = initech.get("/fee-center/invoices/titles/new").await;
    assert!(form.contains("id=\"f-name\" name=\"name\" type=\"text\" value=\"\""));
}

#[tokio::test]
async fn partner_titles_are_the_admins_and_another_owners_title_is_not_found() {
    let app = spawn_app().await;
    let admin = signed_in(&app, "admin@northwind.test").await;
    let made = admin
        .submit(
            "/partner/invoices/titles/new",
            "/partner/invoices/titles",
            &title_fields("vat_normal", "enterprise", "Northwind Distribution"),
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let mine = app.id_of(&format!(
        "SELECT max(id) AS n FROM invoice_titles WHERE org_id IS NOT NULL AND org_id = (SELECT org_id FROM users WHERE id = {})",
        user(&app, "admin@northwind.test")
    ));
    assert_eq!(
        admin
            .get(&format!("/partner/invoices/titles/{mine}"))
            .await
            .status,
        200
    );
    let mgr = signed_in(&app, "mgr1@northwind.test").await;
    assert_eq!(mgr.get("/partner/invoices/titles").await.status, 403);
    let acme_title = app.id_of(
        "SELECT min(t.id) AS n FROM invoice_titles t JOIN customers c ON c.id = t.customer_id
         WHERE c.email = 'it@acme.test'",
    );
    assert_eq!(
        admin
            .get(&format!("/partner/invoices/titles/{acme_title}"))
            .await
            .status,
        404
    );
    let bluebird = signed_in(&app, "admin@bluebird.test").await;
    assert_eq!(
        bluebird
            .get(&format!("/partner/invoices/titles/{mine}"))
            .await
            .status,
        404
    );
    let globex = signed_in(&app, "cfo@globex.test").await;
    assert_eq!(
        globex
            .get(&format!("/fee-center/invoices/titles/{acme_title}"))
            .await
            .status,
        404
    );
    let edit = globex
        .submit(
            "/fee-center/invoices/titles",
            &format!("/fee-center/invoices/titles/{acme_title}"),
            &title_fields("vat_normal", "enterprise", "Stolen"),
        )
        .await;
    assert_eq!(edit.status, 404);
    assert_eq!(
        globex.get("/fee-center/invoices/titles/abc").await.status,
        404
    );
}
