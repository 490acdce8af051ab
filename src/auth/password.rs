//! argon2id hashing (rule A1). Hashing and verifying are CPU-heavy: they run on their own
//! bounded set of threads (about one per core), apart from the database work, so a flood of
//! sign-ins cannot starve every page (SPEC §4).

use std::sync::LazyLock;

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid params"),
    )
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing")
        .to_string()
}

/// Compared against when the account does not exist, so unknown e-mails cost the same time.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash("not-a-real-password"));

/// Verifies `password` against `stored`, or against a dummy hash when there is no account.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let stored_or_dummy = stored.unwrap_or(DUMMY_HASH.as_str());
    let ok = PasswordHash::new(stored_or_dummy)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    ok && stored.is_some()
}

/// At most one hashing per core at a time; the rest wait their turn without holding a thread.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    })
}

async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _slot = hashing_slots().acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// `verify` on the hashing threads.
pub async fn verify_off_thread(password: String, stored: Option<String>) -> bool {
    bounded(move || verify(&password, stored.as_deref()))
        .await
        .unwrap_or(false)
}

/// `hash` on the hashing threads; `None` only if the runtime is shutting down.
pub async fn hash_off_thread(password: String) -> Option<String> {
    bounded(move || hash(&password)).await
}

/// Warms the dummy hash at start-up so the first unknown-account sign-in is not faster.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

/// Strength rules for new passwords: 10–128 characters with letters and digits or symbols.
pub fn strength_problem(password: &str) -> Option<&'static str> {
    let len = password.chars().count();
    if len < 10 {
        return Some("password.too_short");
    }
    if len > 128 {
        return Some("password.too_long");
    }
    let letters = password.chars().any(|c| c.is_alphabetic());
    let others = password.chars().any(|c| !c.is_alphabetic());
    if !(letters && others) {
        return Some("password.too_simple");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("Demo-Pass-2026!");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Demo-Pass-2026!", Some(&h)));
        assert!(!verify("wrong", Some(&h)));
        assert!(!verify("not-a-real-password", None));
    }

    #[test]
    fn weak_passwords_are_named() {
        assert_eq!(strength_problem("short1"), Some("password.too_short"));
        assert_eq!(
            strength_problem("onlyletterslong"),
            Some("password.too_simple")
        );
        assert_eq!(strength_problem("Good-Pass-2026"), None);
    }
}
