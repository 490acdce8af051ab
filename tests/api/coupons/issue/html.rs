//! SPEC §4 "Valid and accessible": the issue form, blank, preselected and refused.

use partner_center::domain::CouponKind;

use super::super::{grant_with, org_id};
use super::{FORM, issue, northwind};
use crate::support::html;

#[tokio::test]
async fn the_issue_form_is_valid_html_blank_and_refused() {
    let n = northwind().await;
    let org = org_id(&n.app, "Northwind Distribution");
    let grant = grant_with(
        &n.app,
        org,
        CouponKind::CashCoupon,
        "100",
        (0, 30),
        &["ECS"],
        true,
    );
    let g = grant.to_string();
    let mut pages = Vec::new();
    pages.push(("blank".to_string(), n.admin.get(FORM).await.body));
    pages.push((
        "preselected".to_string(),
        n.admin
            .get(&format!(
                "{FORM}?grant_id={g}&customer_id={}&q=acme",
                n.acme
            ))
            .await
            .body,
    ));
    let refused = issue(
        &n.admin,
        &[
            ("grant_id", &g),
            ("customer_id", &n.acme),
            ("customer_id", &n.globex),
            ("face_value", "1.234"),
            ("valid_until", "soon"),
        ],
    )
    .await;
    assert_eq!(refused.status, 422);
    pages.push(("refused-fields".to_string(), refused.body));
    let reasons = issue(
        &n.admin,
        &[
            ("grant_id", &g),
            ("customer_id", &n.acme),
            ("face_value", "5"),
        ],
    )
    .await;
    assert_eq!(reasons.status, 422);
    assert!(reasons.contains("id=\"issue-reasons\""));
    pages.push(("refused-reasons".to_string(), reasons.body));
    html::assert_valid(&pages);
}
