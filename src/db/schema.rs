// Mirrors migrations/ in the shape `diesel print-schema` produces.

diesel::table! {
    organizations (id) {
        id -> Int8,
        name -> Text,
        kind -> Text,
        parent_id -> Nullable<Int8>,
        signing_entity -> Text,
        invitation_reminders -> Bool,
        created_at -> Timestamptz,
        contact_user_id -> Nullable<Int8>,
        cooperation -> Text,
    }
}

diesel::table! {
    customers (id) {
        id -> Int8,
        company -> Text,
        contact_name -> Text,
        email -> Text,
        phone -> Text,
        verification -> Text,
        signing_entity -> Text,
        partner_id -> Nullable<Int8>,
        association_type -> Nullable<Text>,
        associated_at -> Nullable<Timestamptz>,
        manager_id -> Nullable<Int8>,
        discount -> Numeric,
        special_contract -> Bool,
        cash_spent -> Numeric,
        registered_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        email -> Text,
        audience -> Text,
        password_hash -> Text,
        display_name -> Text,
        phone -> Text,
        language -> Text,
        org_id -> Nullable<Int8>,
        role -> Nullable<Text>,
        supervisor_id -> Nullable<Int8>,
        customer_id -> Nullable<Int8>,
        disabled -> Bool,
        created_at -> Timestamptz,
        last_sign_in_at -> Nullable<Timestamptz>,
        email_verified_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    account_tokens (token_hash) {
        token_hash -> Text,
        kind -> Text,
        user_id -> Int8,
        partner_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    web_sessions (key) {
        key -> Text,
        state -> Jsonb,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    rate_events (id) {
        id -> Int8,
        bucket -> Text,
        key -> Text,
        at -> Timestamptz,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        actor_user_id -> Nullable<Int8>,
        actor_email -> Text,
        org_id -> Nullable<Int8>,
        action -> Text,
        subject_type -> Text,
        subject_id -> Text,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        request_id -> Text,
        client_ip -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Int8,
        created_at -> Timestamptz,
        kind -> Text,
        to_addr -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        state -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    ledger_accounts (id) {
        id -> Int8,
        kind -> Text,
        owner_org_id -> Nullable<Int8>,
        owner_customer_id -> Nullable<Int8>,
        label -> Text,
        currency -> Bpchar,
        balance -> Numeric,
        allow_negative -> Bool,
        credit_limit -> Nullable<Numeric>,
        frozen -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ledger_transfers (id) {
        id -> Int8,
        kind -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        from_account_id -> Int8,
        to_account_id -> Int8,
        amount -> Numeric,
        memo -> Text,
        actor_user_id -> Nullable<Int8>,
        reverses_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> Int8,
        transfer_id -> Int8,
        account_id -> Int8,
        amount -> Numeric,
        balance_after -> Numeric,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ledger_verifications (id) {
        id -> Int8,
        started_at -> Timestamptz,
        finished_at -> Timestamptz,
        ok -> Bool,
        accounts_checked -> Int8,
        entries_checked -> Int8,
        problems -> Text,
    }
}

diesel::table! {
    customer_contacts (id) {
        id -> Int8,
        customer_id -> Int8,
        name -> Text,
        email -> Text,
        phone -> Text,
        title -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    associations (id) {
        id -> Int8,
        customer_id -> Int8,
        partner_id -> Int8,
        association_type -> Text,
        started_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
        ended_by -> Nullable<Int8>,
        end_reason -> Nullable<Text>,
    }
}

diesel::table! {
    manager_assignments (id) {
        id -> Int8,
        customer_id -> Int8,
        partner_id -> Int8,
        manager_id -> Nullable<Int8>,
        from_at -> Timestamptz,
        to_at -> Nullable<Timestamptz>,
        assigned_by -> Nullable<Int8>,
    }
}

diesel::table! {
    bills (id) {
        id -> Int8,
        customer_id -> Int8,
        period -> Date,
        amount -> Numeric,
        paid_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        partner_id -> Nullable<Int8>,
        association_type -> Nullable<Text>,
        signing_entity -> Text,
        subtotal -> Numeric,
        discount -> Numeric,
        cut_off -> Numeric,
        voucher_deduction -> Numeric,
        cash_coupon_deduction -> Numeric,
        from_balance -> Numeric,
        from_credit -> Numeric,
        unpaid -> Numeric,
        due_on -> Nullable<Date>,
        issued_at -> Nullable<Timestamptz>,
        /// Generated from `paid_at`: never written.
        state -> Text,
    }
}

diesel::table! {
    invitations (id) {
        id -> Int8,
        partner_id -> Int8,
        inviter_id -> Int8,
        email -> Text,
        company -> Text,
        association_type -> Text,
        language -> Text,
        token_hash -> Text,
        state -> Text,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
        sent_at -> Timestamptz,
        resent_count -> Int4,
        reminder_sent_at -> Nullable<Timestamptz>,
        accepted_at -> Nullable<Timestamptz>,
        accepted_customer_id -> Nullable<Int8>,
        revoked_at -> Nullable<Timestamptz>,
        kind -> Text,
        accepted_org_id -> Nullable<Int8>,
    }
}

diesel::table! {
    expansion_links (id) {
        id -> Int8,
        partner_id -> Int8,
        code -> Text,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        voided_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    pre_registrations (id) {
        id -> Int8,
        partner_id -> Int8,
        customer_id -> Int8,
        created_by -> Int8,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        closed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    invitation_retired_tokens (token_hash) {
        token_hash -> Text,
        invitation_id -> Int8,
        retired_at -> Timestamptz,
    }
}

diesel::joinable!(users -> organizations (org_id));
diesel::joinable!(customers -> organizations (partner_id));
diesel::joinable!(customer_contacts -> customers (customer_id));
diesel::joinable!(associations -> customers (customer_id));
diesel::joinable!(manager_assignments -> customers (customer_id));
diesel::joinable!(bills -> customers (customer_id));
diesel::joinable!(ledger_entries -> ledger_transfers (transfer_id));
diesel::joinable!(ledger_entries -> ledger_accounts (account_id));
diesel::joinable!(invitations -> organizations (partner_id));
diesel::joinable!(pre_registrations -> customers (customer_id));

diesel::table! {
    /// Customers per partner and manager, kept by a trigger on `customers` (0 = none).
    customer_counts (partner_id, manager_id) {
        partner_id -> Int8,
        manager_id -> Int8,
        customers -> Int8,
    }
}

diesel::table! {
    /// Cloud services: the usage scope of quota grants and coupons (rule K2).
    cloud_services (code) {
        code -> Text,
        name_en -> Text,
        name_zh -> Text,
    }
}

diesel::table! {
    /// Quota granted to a partner, or passed to a reseller (`parent_id`), rules K1, K2a.
    quota_grants (id) {
        id -> Int8,
        partner_id -> Int8,
        kind -> Text,
        parent_id -> Nullable<Int8>,
        account_id -> Int8,
        amount -> Numeric,
        valid_from -> Date,
        valid_until -> Date,
        scope -> Array<Text>,
        invoice_restricted -> Bool,
        state -> Text,
        remark -> Text,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// An operator's change of a grant's amount, awaiting approval (rule K2a).
    quota_adjustments (id) {
        id -> Int8,
        grant_id -> Int8,
        delta -> Numeric,
        remark -> Text,
        state -> Text,
        proposed_by -> Nullable<Int8>,
        decided_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    /// A voucher or cash coupon issued from a grant to a customer (rule K2).
    coupons (id) {
        id -> Int8,
        kind -> Text,
        customer_id -> Int8,
        partner_id -> Int8,
        grant_id -> Int8,
        account_id -> Int8,
        face_value -> Numeric,
        valid_from -> Date,
        valid_until -> Date,
        scope -> Array<Text>,
        invoice_restricted -> Bool,
        state -> Text,
        issue_key -> Text,
        remark -> Text,
        issued_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(quota_grants -> organizations (partner_id));
diesel::joinable!(quota_grants -> ledger_accounts (account_id));
diesel::joinable!(quota_adjustments -> quota_grants (grant_id));
diesel::joinable!(coupons -> customers (customer_id));
diesel::joinable!(coupons -> quota_grants (grant_id));
diesel::joinable!(coupons -> ledger_accounts (account_id));
diesel::joinable!(coupons -> organizations (partner_id));

diesel::allow_tables_to_appear_in_same_query!(
    usage_imports,
    usage_import_rejects,
    usage_lines,
    bill_lines,
    bill_managers,
    bill_month_totals,
    bill_manager_month_totals,
    revenue_accounts,
    products,
    orders,
    order_payments,
    debts,
    withdrawals,
    incentive_payouts,
    incentive_invoices,
    incentives,
    incentive_payout_items,
    incentive_invoice_items,
    cloud_services,
    quota_grants,
    quota_adjustments,
    coupons,
    reseller_applications,
    reseller_application_steps,
    account_tokens,
    customer_counts,
    organizations,
    customers,
    users,
    web_sessions,
    rate_events,
    audit_log,
    outbox,
    ledger_accounts,
    ledger_transfers,
    ledger_entries,
    ledger_verifications,
    customer_contacts,
    associations,
    manager_assignments,
    bills,
    invitations,
    expansion_links,
    pre_registrations,
    invitation_retired_tokens,
    invoice_titles,
    invoice_requests,
    invoices,
    invoice_files,
    invoice_items,
    invoice_lines,
);

diesel::table! {
    /// Cooperation applications (rule R2).
    reseller_applications (id) {
        id -> Int8,
        customer_id -> Int8,
        applicant_id -> Int8,
        distributor_id -> Int8,
        company -> Text,
        message -> Text,
        state -> Text,
        reseller_org_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// Each step of a cooperation application, in order (rule R2).
    reseller_application_steps (id) {
        id -> Int8,
        application_id -> Int8,
        step -> Text,
        actor_user_id -> Nullable<Int8>,
        reason -> Text,
        at -> Timestamptz,
    }
}

diesel::joinable!(reseller_application_steps -> reseller_applications (application_id));

diesel::table! {
    /// A coupon bulk file between its preview and its issue (rule K2).
    coupon_uploads (id) {
        id -> Int8,
        partner_id -> Int8,
        grant_id -> Int8,
        rows -> Jsonb,
        row_count -> Int4,
        total -> Numeric,
        upload_key -> Text,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        issued_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    /// Platform revenue accounts, several per signing entity (rule P2, SPEC §6).
    revenue_accounts (signing_entity, shard) {
        signing_entity -> Text,
        shard -> Int2,
        account_id -> Int8,
    }
}

diesel::table! {
    /// The catalog of cloud products (rule P1).
    products (id) {
        id -> Int8,
        code -> Text,
        name_en -> Text,
        name_zh -> Text,
        service_code -> Text,
        monthly_price -> Nullable<Numeric>,
        yearly_price -> Nullable<Numeric>,
        tax_rate -> Int2,
        needs_review -> Bool,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// Customers' subscription orders (rules P1–P3).
    orders (id) {
        id -> Int8,
        customer_id -> Int8,
        partner_id -> Nullable<Int8>,
        association_type -> Nullable<Text>,
        signing_entity -> Text,
        product_id -> Int8,
        term -> Text,
        price -> Numeric,
        amount -> Numeric,
        cut_off -> Numeric,
        state -> Text,
        pay_request -> Nullable<Text>,
        pay_requested_at -> Nullable<Timestamptz>,
        payer -> Nullable<Text>,
        paid_at -> Nullable<Timestamptz>,
        paid_by -> Nullable<Int8>,
        manager_id -> Nullable<Int8>,
        term_start -> Nullable<Date>,
        term_end -> Nullable<Date>,
        reason -> Text,
        refunded -> Numeric,
        unsubscribed_at -> Nullable<Timestamptz>,
        create_key -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        /// What a voucher paid (rule K7: never invoiced).
        voucher_paid -> Numeric,
    }
}

diesel::table! {
    /// How an order was paid, one row per source (rule K7).
    order_payments (id) {
        id -> Int8,
        order_id -> Int8,
        source -> Text,
        coupon_id -> Nullable<Int8>,
        transfer_id -> Int8,
        amount -> Numeric,
        refunded -> Numeric,
        forfeited -> Numeric,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// What customers owe: credit used and unpaid bills (SPEC §6 "Settlement").
    debts (id) {
        id -> Int8,
        customer_id -> Int8,
        kind -> Text,
        order_id -> Nullable<Int8>,
        bill_id -> Nullable<Int8>,
        amount -> Numeric,
        repaid -> Numeric,
        due_on -> Date,
        created_at -> Timestamptz,
        settled_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    /// Partners' withdrawal requests (rule P4).
    withdrawals (id) {
        id -> Int8,
        partner_id -> Int8,
        amount -> Numeric,
        state -> Text,
        hold_transfer_id -> Int8,
        release_transfer_id -> Nullable<Int8>,
        reason -> Text,
        request_key -> Text,
        requested_by -> Nullable<Int8>,
        decided_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(revenue_accounts -> ledger_accounts (account_id));
diesel::joinable!(products -> cloud_services (service_code));
diesel::joinable!(orders -> customers (customer_id));
diesel::joinable!(orders -> products (product_id));
diesel::joinable!(orders -> organizations (partner_id));
diesel::joinable!(order_payments -> orders (order_id));
diesel::joinable!(order_payments -> coupons (coupon_id));
diesel::joinable!(order_payments -> ledger_transfers (transfer_id));
diesel::joinable!(debts -> customers (customer_id));
diesel::joinable!(withdrawals -> organizations (partner_id));

diesel::table! {
    /// Usage imports: one file or command run each (rule B2).
    usage_imports (id) {
        id -> Int8,
        state -> Text,
        file_name -> Text,
        bytes_total -> Int8,
        bytes_read -> Int8,
        rows_read -> Int8,
        rows_imported -> Int8,
        rows_already -> Int8,
        rows_rejected -> Int8,
        problem -> Text,
        problem_line -> Nullable<Int8>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    /// Rows an import rejected, as the file had them, with the reason (rule B2).
    usage_import_rejects (import_id, line) {
        import_id -> Int8,
        line -> Int8,
        record_id -> Text,
        customer -> Text,
        product -> Text,
        period -> Text,
        quantity -> Text,
        unit_price -> Text,
        error -> Text,
    }
}

diesel::table! {
    /// Rated usage lines, once per record id (rules B1, B2).
    usage_lines (id) {
        id -> Int8,
        record_id -> Text,
        customer_id -> Int8,
        product_id -> Int8,
        period -> Date,
        quantity -> Numeric,
        unit_price -> Numeric,
        amount -> Numeric,
        import_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// A bill's lines: charged cents and cut-off per line (B1), manager per share (C5).
    bill_lines (id) {
        id -> Int8,
        bill_id -> Int8,
        product_id -> Int8,
        manager_id -> Nullable<Int8>,
        quantity -> Numeric,
        unit_price -> Numeric,
        list_amount -> Numeric,
        amount -> Numeric,
        charged -> Numeric,
        cut_off -> Numeric,
    }
}

diesel::table! {
    /// A bill's charged cents per manager of its month, 0 = none (C5).
    bill_managers (bill_id, manager_id) {
        bill_id -> Int8,
        partner_id -> Int8,
        manager_id -> Int8,
        period -> Date,
        charged -> Numeric,
    }
}

diesel::table! {
    /// Bills per partner and month, kept as bills are issued.
    bill_month_totals (partner_id, period) {
        partner_id -> Int8,
        period -> Date,
        bills -> Int8,
        subtotal -> Numeric,
        discount -> Numeric,
        cut_off -> Numeric,
        amount -> Numeric,
    }
}

diesel::table! {
    /// Consumption per partner, manager (0 = none) and month, kept as bills are issued (C5).
    bill_manager_month_totals (partner_id, manager_id, period) {
        partner_id -> Int8,
        manager_id -> Int8,
        period -> Date,
        bills -> Int8,
        charged -> Numeric,
    }
}

diesel::joinable!(usage_import_rejects -> usage_imports (import_id));
diesel::joinable!(usage_lines -> customers (customer_id));
diesel::joinable!(usage_lines -> products (product_id));
diesel::joinable!(bill_lines -> bills (bill_id));
diesel::joinable!(bill_lines -> products (product_id));
diesel::joinable!(bill_lines -> users (manager_id));
diesel::joinable!(bill_managers -> bills (bill_id));
diesel::joinable!(bills -> organizations (partner_id));

diesel::table! {
    /// Invoice titles of customers and partner organisations (rule B3).
    invoice_titles (id) {
        id -> Int8,
        customer_id -> Nullable<Int8>,
        org_id -> Nullable<Int8>,
        title_type -> Text,
        invoice_kind -> Text,
        name -> Text,
        tax_id -> Text,
        bank_name -> Text,
        bank_account -> Text,
        registered_address -> Text,
        registered_phone -> Text,
        postal_recipient -> Text,
        postal_phone -> Text,
        postal_address -> Text,
        is_default -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// A customer's invoice request to one issuer (rules B5–B7).
    invoice_requests (id) {
        id -> Int8,
        customer_id -> Int8,
        issuer_org_id -> Nullable<Int8>,
        requested_by -> Nullable<Int8>,
        title_id -> Int8,
        title -> Jsonb,
        medium -> Text,
        asked -> Nullable<Numeric>,
        amount -> Numeric,
        request_key -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// One invoice per signing entity and tax rate of a request (rules B5, B7).
    invoices (id) {
        id -> Int8,
        request_id -> Int8,
        customer_id -> Int8,
        issuer_org_id -> Nullable<Int8>,
        signing_entity -> Text,
        tax_rate -> Int2,
        medium -> Text,
        invoice_kind -> Text,
        amount -> Numeric,
        state -> Text,
        number -> Nullable<Text>,
        issued_on -> Nullable<Date>,
        tracking_number -> Nullable<Text>,
        reason -> Text,
        decided_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        issued_at -> Nullable<Timestamptz>,
        mailed_at -> Nullable<Timestamptz>,
        closed_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// The e-invoice file of an issued invoice (rule B7).
    invoice_files (invoice_id) {
        invoice_id -> Int8,
        file_name -> Text,
        content_type -> Text,
        bytes -> Bytea,
        uploaded -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// What customers can have invoiced (rules B4–B6, K7).
    invoice_items (id) {
        id -> Int8,
        customer_id -> Int8,
        kind -> Text,
        bill_id -> Nullable<Int8>,
        order_id -> Nullable<Int8>,
        split_from -> Nullable<Int8>,
        issuer_org_id -> Nullable<Int8>,
        signing_entity -> Text,
        tax_rate -> Int2,
        period -> Nullable<Date>,
        rank -> Int2,
        occurred_at -> Timestamptz,
        amount -> Numeric,
        voucher_excluded -> Numeric,
        note -> Text,
        invoice_id -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// The items an invoice held, kept after it is rejected or returned (rule B7).
    invoice_lines (invoice_id, item_id) {
        invoice_id -> Int8,
        item_id -> Int8,
        amount -> Numeric,
    }
}

diesel::joinable!(invoice_requests -> customers (customer_id));
diesel::joinable!(invoice_requests -> invoice_titles (title_id));
diesel::joinable!(invoices -> invoice_requests (request_id));
diesel::joinable!(invoices -> customers (customer_id));
diesel::joinable!(invoice_files -> invoices (invoice_id));
diesel::joinable!(invoice_lines -> invoices (invoice_id));
diesel::joinable!(invoice_lines -> invoice_items (item_id));

diesel::table! {
    /// Paid orders per partner, manager and month, kept by a trigger (rules C5, P2).
    order_month_totals (partner_id, manager_id, period, shard) {
        partner_id -> Int8,
        manager_id -> Int8,
        period -> Date,
        shard -> Int2,
        orders -> Int8,
        amount -> Numeric,
        on_behalf -> Numeric,
    }
}

diesel::table! {
    /// Incentive payment requests (申付单, rules B8, P4).
    incentive_payouts (id) {
        id -> Int8,
        partner_id -> Int8,
        batch -> Bool,
        amount -> Numeric,
        state -> Text,
        reason -> Text,
        transfer_id -> Nullable<Int8>,
        request_key -> Text,
        requested_by -> Nullable<Int8>,
        operator_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        approved_at -> Nullable<Timestamptz>,
        paid_at -> Nullable<Timestamptz>,
        rejected_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    /// Partners' invoices to the platform for paid incentives (rule B8).
    incentive_invoices (id) {
        id -> Int8,
        partner_id -> Int8,
        payout_id -> Int8,
        number -> Text,
        issued_on -> Date,
        tax_rate -> Int2,
        amount -> Numeric,
        file_type -> Nullable<Text>,
        file_data -> Nullable<Bytea>,
        state -> Text,
        reason -> Text,
        submit_key -> Text,
        submitted_by -> Nullable<Int8>,
        decided_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    /// What the platform owes a partner per period and kind (rules B8, P4).
    incentives (id) {
        id -> Int8,
        partner_id -> Int8,
        period -> Date,
        kind -> Text,
        amount -> Numeric,
        remark -> Text,
        payout_id -> Nullable<Int8>,
        invoice_id -> Nullable<Int8>,
        invoiced_at -> Nullable<Timestamptz>,
        create_key -> Text,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    incentive_payout_items (payout_id, incentive_id) {
        payout_id -> Int8,
        incentive_id -> Int8,
    }
}

diesel::table! {
    incentive_invoice_items (invoice_id, incentive_id) {
        invoice_id -> Int8,
        incentive_id -> Int8,
    }
}

diesel::joinable!(incentive_payouts -> organizations (partner_id));
diesel::joinable!(incentive_invoices -> organizations (partner_id));
diesel::joinable!(incentive_invoices -> incentive_payouts (payout_id));
diesel::joinable!(incentives -> organizations (partner_id));
diesel::joinable!(incentives -> incentive_payouts (payout_id));
diesel::joinable!(incentives -> incentive_invoices (invoice_id));
diesel::joinable!(incentive_payout_items -> incentive_payouts (payout_id));
diesel::joinable!(incentive_payout_items -> incentives (incentive_id));
diesel::joinable!(incentive_invoice_items -> incentive_invoices (invoice_id));
diesel::joinable!(incentive_invoice_items -> incentives (incentive_id));
