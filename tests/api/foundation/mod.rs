//! Sign-in, sessions, mail and the pages every audience shares (A1–A5, X1–X4).

mod access;
mod audit;
mod html;
mod input;
mod list_sizes;
mod mail;
mod planner;
mod sign_in;
