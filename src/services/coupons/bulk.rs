//! Bulk issue from CSV: parse, dry-run preview, issue all rows or none (rule K2).
