//! Editing a contact without revealing it (rules A5, C10): the form shows the e-mail and phone
//! masked, and a masked value sent back unchanged keeps the stored one.

use crate::customers::common::customer_id;
use crate::support::TestApp;

fn contact_of(app: &TestApp, acme: i64) -> i64 {
    app.id_of(&format!(
        "INSERT INTO customer_contacts (customer_id, name, title, email, phone) \
         VALUES ({acme}, 'Lily Li', 'CFO', 'li.lei@acme.test', '13900002222') RETURNING id AS n"
    ))
}

fn stored(app: &TestApp, cid: i64, what: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM customer_contacts WHERE id = {cid} AND {what}"
    ))
}

#[tokio::test]
async fn the_contact_edit_form_shows_masked_values_and_keeps_them_unless_changed() {
    let app = crate::support::spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let cid = contact_of(&app, acme);
    let edit = format!("/partner/customers/{acme}/contacts/{cid}/edit");
    let save = format!("/partner/customers/{acme}/contacts/{cid}");
    let mgr1 = app.signed_in("mgr1@northwind.test").await;
    let audit_rows = || app.count("SELECT count(*) AS n FROM audit_log");
    let rows_before = audit_rows();
    let form = mgr1.get(&edit).await;
    assert_eq!(form.status, 200);
    assert!(form.contains("l***@acme.test") && form.contains("139****2222"));
    assert!(!form.contains("li.lei@acme.test") && !form.contains("13900002222"));
    assert_eq!(audit_rows(), rows_before, "opening the form is no reveal");

    // Sent back as shown: the stored values stay, the other fields change.
    let res = mgr1
        .submit(
            &edit,
            &save,
            &[
                ("name", "Lily Li-Wang"),
                ("title", "CEO"),
                ("email", "l***@acme.test"),
                ("phone", "139****2222"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        stored(
            &app,
            cid,
            "name = 'Lily Li-Wang' AND title = 'CEO' AND email = 'li.lei@acme.test' \
             AND phone = '13900002222'"
        ),
        1
    );

    // A bad new phone beside the unchanged e-mail: the form comes back, still masked.
    let bad = mgr1
        .submit(
            &edit,
            &save,
            &[
                ("name", "Lily Li-Wang"),
                ("title", "CEO"),
                ("email", "l***@acme.test"),
                ("phone", "call me"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("l***@acme.test") && !bad.contains("li.lei@acme.test"));
    assert!(!bad.contains("13900002222"));

    // A changed e-mail is saved; the phone sent back masked stays.
    let res = mgr1
        .submit(
            &edit,
            &save,
            &[
                ("name", "Lily Li-Wang"),
                ("title", "CEO"),
                ("email", "lily@acme.test"),
                ("phone", "139****2222"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        stored(
            &app,
            cid,
            "email = 'lily@acme.test' AND phone = '13900002222'"
        ),
        1
    );
    // The audit row of a change masks what it records.
    let leaked = app.count(&format!(
        "SELECT count(*) AS n FROM audit_log WHERE subject_id = '{cid}' \
         AND (before::text LIKE '%13900002222%' OR after::text LIKE '%lily@acme.test%')"
    ));
    assert_eq!(leaked, 0);

    // A cleared field is cleared.
    let res = mgr1
        .submit(
            &edit,
            &save,
            &[
                ("name", "Lily Li-Wang"),
                ("title", "CEO"),
                ("email", "l***@acme.test"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        stored(&app, cid, "email = 'lily@acme.test' AND phone = ''"),
        1
    );
}
