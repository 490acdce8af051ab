//! The migrations are embedded in the binary at compile time: a new or changed migration must
//! rebuild it, even when no Rust file changed.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
