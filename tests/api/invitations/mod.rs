//! Customer invitations, bulk invitations, offline expansion, pre-registration (C1–C3, C7, C8).

mod access;
mod bulk;
pub mod expansion;
mod flow;
pub mod helpers;
mod html;
mod rules;
