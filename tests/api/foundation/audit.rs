//! The audit log's two readers (rules X1, A5): a partner's admins see their organisation's rows
//! with personal data masked — addresses and phone numbers in before/after, and the address of
//! every actor who is not one of their members; the operator console keeps everything.

use crate::invitations::helpers::{invited_link, register};
use crate::support::spawn_app;

#[tokio::test]
async fn partner_admins_see_audit_rows_masked_and_operators_in_full() {
    let app = spawn_app().await;
    // A real flow: the invitation's row records the address, the registration's actor is the
    // new customer (rule C2).
    let link = invited_link(&app, "newco@example.test", "resale").await;
    assert_eq!(register(&app.client(), &link).await.status, 303);
    // An operator's change on Northwind, with a phone number in it.
    app.count(
        "INSERT INTO audit_log (actor_user_id, actor_email, org_id, action, subject_type, \
         subject_id, before, after, request_id, client_ip) \
         SELECT u.id, u.email, o.id, 'customer.contact_fixed', 'customer', '42', \
         '{\"contact\": {\"phone\": \"13912345678\", \"email\": \"buyer@harbor-freight.test\"}}', \
         '{\"note\": \"called back, mail to cfo@globex.test\", \"amount\": \"1234.50\"}', 'r1', '127.0.0.1' \
         FROM users u, organizations o \
         WHERE u.email = 'ops@demo.test' AND o.name = 'Northwind Distribution' RETURNING 1::bigint AS n",
    );

    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get("/partner/audit").await;
    assert_eq!(page.status, 200);
    for raw in [
        "newco@example.test",
        "ops@demo.test",
        "13912345678",
        "buyer@harbor-freight.test",
        "cfo@globex.test",
    ] {
        assert!(!page.contains(raw), "{raw} shown in full to a partner");
    }
    for masked in [
        "n***@example.test",
        "o***@demo.test",
        "139****5678",
        "b***@harbor-freight.test",
        "mail to c***@globex.test",
        "1234.50",
        "customer.register",
        "invitation.send",
    ] {
        assert!(page.contains(masked), "{masked} missing");
    }
    // The organisation's own members act under their full address.
    assert!(page.contains("admin@northwind.test"));

    // Searching finds an outsider's address only whole, so the masked one cannot be rebuilt.
    let piece = admin.get("/partner/audit?q=newco").await;
    assert!(!piece.contains("customer.register"));
    let whole = admin.get("/partner/audit?q=NEWCO%40example.test").await;
    assert!(whole.contains("customer.register"));
    assert!(!whole.contains(">newco@example.test<"));
    let colleague = admin.get("/partner/audit?q=admin%40north").await;
    assert!(
        colleague.contains("invitation.send"),
        "members match by any part"
    );

    // The operator console keeps the full data.
    let ops = app.signed_in("ops@demo.test").await;
    let full = ops.get("/ops/audit").await;
    assert_eq!(full.status, 200);
    for raw in [
        "newco@example.test",
        "13912345678",
        "buyer@harbor-freight.test",
        "cfo@globex.test",
    ] {
        assert!(full.contains(raw), "{raw} missing for operators");
    }
    assert!(
        ops.get("/ops/audit?q=newco")
            .await
            .contains("customer.register")
    );
}
