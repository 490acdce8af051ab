//! Secret tokens: shown once in plain form, stored only as SHA-256 (rule C1).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A freshly made token: 256 random bits, URL-safe. Only `hash()` is ever stored.
pub struct PlainToken(String);

impl PlainToken {
    pub fn generate() -> PlainToken {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        PlainToken(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

/// Hashes a token as received; malformed input gives `None` so it is never looked up.
pub fn parse_and_hash(received: &str) -> Option<String> {
    let well_formed = received.len() == 43
        && received
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    well_formed.then(|| hash_token(received))
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A short random code for public links (offline expansion, C7).
pub fn random_code(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = vec![0u8; len];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_only_well_formed_ones_hash() {
        let t = PlainToken::generate();
        assert_eq!(t.as_str().len(), 43);
        assert_eq!(parse_and_hash(t.as_str()), Some(t.hash()));
        assert_eq!(parse_and_hash("short"), None);
        assert_eq!(
            parse_and_hash(&"a".repeat(42).chars().chain(['$']).collect::<String>()),
            None
        );
        assert_ne!(PlainToken::generate().as_str(), t.as_str());
    }
}
