//! Rejected payment requests (rule B8): the reason is required and shown to the partner and
//! mailed to its admins; a rejected request moves no more; its incentives may be applied for
//! again, and it still shows what it covered.

use partner_center::services::incentives::payouts;

use super::*;
use crate::support::spawn_app;

#[tokio::test]
async fn a_rejected_payment_request_says_why_and_frees_its_incentives() {
    let app = spawn_app().await;
    let ops = app.signed_in(OPS).await;
    let admin = app.signed_in(NW_ADMIN).await;
    let ids = staff_incentives(&app, 13, &["10.00", "20.00"]);
    assert_eq!(apply_batch(&admin, &ids).await.status, 303);
    let payout = payout_of(&app, ids[0]);
    let detail = format!("/ops/incentives/payouts/{payout}");
    // Approved first: an approved request may still be rejected before it is paid.
    assert_eq!(
        ops.submit(&detail, &format!("{detail}/approve"), &[])
            .await
            .status,
        303
    );
    let res = ops.submit(&detail, &format!("{detail}/reject"), &[]).await;
    assert_eq!(res.status, 422, "the reason is required");
    let long = "x".repeat(501);
    let res = ops
        .submit(&detail, &format!("{detail}/reject"), &[("reason", &long)])
        .await;
    assert_eq!(res.status, 422);
    let res = ops
        .submit(
            &detail,
            &format!("{detail}/reject"),
            &[("reason", "Periods not final yet")],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = admin.get("/partner/incentives/payouts").await;
    assert!(page.contains("Periods not final yet"));
    let mail = app
        .mail
        .wait_for(2, 10)
        .await
        .into_iter()
        .find(|m| m.text.contains("Periods not final yet"))
        .expect("the rejection mail");
    assert_eq!(mail.to, vec![NW_ADMIN.to_string()]);
    // Rejected is final: no step moves it again.
    let e = payouts::pay(&mut app.conn(), &operator(&app), payout, "http://t").unwrap_err();
    assert!(format!("{e:?}").contains("WrongPayoutState"), "{e:?}");
    let res = ops.submit(&detail, &format!("{detail}/approve"), &[]).await;
    assert_eq!(res.location.as_deref(), Some(detail.as_str()));
    // Its incentives may be applied for again, one by one this time.
    assert_eq!(apply_one(&admin, ids[0]).await.status, 303);
    assert_ne!(payout_of(&app, ids[0]), payout);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM incentive_payout_items WHERE payout_id = {payout}"
        )),
        2,
        "the rejected request still shows what it covered"
    );
}
