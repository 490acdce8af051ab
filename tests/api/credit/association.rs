//! rule C2 with seed 003's checks: a customer in arrears (IS_DEBT) or whose credit account owes
//! money (IS_CREDIT_ACCOUNT) cannot be associated; each has its own reason on the invitation's
//! problem page, and nothing changes. Repaid, the same link associates it.

use partner_center::domain::Money;
use partner_center::ledger::{self, AccountKind, TransferRequest};
use partner_center::services::credit::debts;

use crate::credit::*;
use crate::invitations::helpers::{confirm, invited_link};
use crate::support::{PASSWORD, TestApp, spawn_app};

const UMBRELLA: &str = "hello@umbrella.test";

fn umbrella_is_free(app: &TestApp) -> bool {
    app.count(&format!(
        "SELECT count(*) AS n FROM customers WHERE email = '{UMBRELLA}' AND partner_id IS NULL"
    )) == 1
}

async fn refused(app: &TestApp, path: &str, class: &str) {
    let res = confirm(
        &app.client(),
        path,
        &[("email", UMBRELLA), ("password", PASSWORD)],
    )
    .await;
    assert!(
        res.contains(&format!("problem-{class}")),
        "{class}: {}",
        res.body
    );
    assert!(umbrella_is_free(app), "nothing changes ({class})");
}

#[tokio::test]
async fn arrears_and_a_credit_account_in_debt_each_refuse_association_with_their_own_page() {
    let app = spawn_app().await;
    let umbrella = app.id_of(&format!(
        "SELECT id AS n FROM customers WHERE email = '{UMBRELLA}'"
    ));
    let path = invited_link(&app, UMBRELLA, "resale").await;
    set_limit(&app, umbrella, "500.00");
    let debt = use_credit(&app, umbrella, "200.00", 70);

    due_in(&app, debt, -5);
    refused(&app, &path, "in_arrears").await;
    let page = app.client().get(&path).await;
    assert_eq!(page.status, 200, "the link itself still works");

    // Not yet due: no arrears, but the credit account still owes 200.00.
    due_in(&app, debt, 5);
    refused(&app, &path, "credit_in_debt").await;
    let res = confirm(
        &app.client(),
        &path,
        &[("email", UMBRELLA), ("password", PASSWORD)],
    )
    .await;
    assert!(res.contains("Your credit account owes money") || res.contains("信用欠款"));

    // Money reaching the balance repays the debt (SPEC §6); then the link associates.
    let mut conn = app.conn();
    let external = ledger::accounts::platform(&mut conn, AccountKind::External).unwrap();
    let balance =
        ledger::accounts::for_customer(&mut conn, umbrella, AccountKind::CustomerBalance).unwrap();
    ledger::transfer(
        &mut conn,
        &TransferRequest {
            from: external.id,
            to: balance.id,
            amount: Money::parse_positive("200.00").unwrap(),
            kind: "test_top_up",
            idempotency_key: "umbrella-repays",
            memo: "",
            reverses: None,
        },
        &caller(),
    )
    .unwrap();
    let repaid = debts::repay_oldest(&mut conn, &caller(), umbrella).unwrap();
    assert_eq!(repaid, dec("200.00"));
    drop(conn);
    let res = confirm(
        &app.client(),
        &path,
        &[("email", UMBRELLA), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(!umbrella_is_free(&app), "associated once repaid");
    ledger_ok(&app);
}

#[tokio::test]
async fn an_operator_move_leaves_a_customer_in_arrears_where_it_is() {
    use partner_center::services::resellers::moves::{self, MoveRefusal};
    let app = spawn_app().await;
    // Contoso's first extra customer, in arrears.
    let contoso = org(&app, "Contoso Solutions");
    let moved = app.id_of(&format!(
        "SELECT id AS n FROM customers WHERE partner_id = {contoso} ORDER BY id LIMIT 1"
    ));
    set_limit(&app, moved, "100.00");
    let debt = use_credit(&app, moved, "50.00", 70);
    due_in(&app, debt, -5);
    let ops = partner_center::domain::Caller {
        party: partner_center::domain::Party::Operator {
            user_id: partner_center::domain::UserId(user(&app, "ops@demo.test")),
        },
        ..caller()
    };
    let bluebird = org(&app, "Bluebird Cloud");
    let lines = moves::preview(&mut app.conn(), &ops, contoso, bluebird, &[moved]).unwrap();
    assert_eq!(lines[0].refused, Some(MoveRefusal::OpenDebts));
}

#[tokio::test]
async fn a_customer_in_arrears_cannot_become_a_resellers_admin() {
    let app = spawn_app().await;
    let acme = customer(&app, "Acme Corp");
    set_limit(&app, acme, "500.00");
    let debt = use_credit(&app, acme, "100.00", 70);
    due_in(&app, debt, -5);
    let admin = app.signed_in("admin@northwind.test").await;
    let res = admin
        .submit(
            "/partner/resellers/invitations/new",
            "/partner/resellers/invitations",
            &[
                ("email", "it@acme.test"),
                ("company", "Acme Reselling"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let path =
        crate::invitations::helpers::link_path(&app.mail.wait_for_to("it@acme.test", 5).await);
    let res = confirm(
        &app.client(),
        &path,
        &[("email", "it@acme.test"), ("password", PASSWORD)],
    )
    .await;
    assert!(res.contains("problem-in_arrears"), "{}", res.body);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM organizations WHERE name = 'Acme Reselling'"),
        0
    );
}
