//! Tiny stable hashes for identifiers that must be the same on every
//! machine and in every version. Not for security: nothing here is secret.
//!
//! - [`fnv1a`]: FNV-1a 64 over bytes, for review fingerprints (short texts,
//!   and the published test vectors pin their value forever).
//! - [`content_id`]: the same multiply-xor over 8-byte words, two lanes at
//!   once, for PDF subset tags, file IDs and `watch`'s stream cache: it
//!   reads whole files (a build hashes ~1 MB), where byte-wise FNV cost
//!   ~1.5 ms of a build's CPU.

/// The FNV-1a 64 hash of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A 128-bit digest of `bytes` in two independent 64-bit halves: FNV-1a's
/// multiply-xor over little-endian 8-byte words (the last partial word
/// zero-padded, the length mixed in), each lane finished with
/// MurmurHash3's `fmix64` so every input bit reaches every output bit.
pub fn content_id(bytes: &[u8]) -> [u64; 2] {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        a = (a ^ w).wrapping_mul(PRIME);
        b = (b ^ w.rotate_left(32)).wrapping_mul(PRIME).rotate_left(31);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    let tail = u64::from_le_bytes(tail) ^ ((bytes.len() as u64) << 3);
    a = (a ^ tail).wrapping_mul(PRIME);
    b = (b ^ tail.rotate_left(32)).wrapping_mul(PRIME);
    [fmix64(a), fmix64(b)]
}

/// MurmurHash3's 64-bit finaliser: a bijection that spreads every bit.
fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

#[cfg(test)]
mod tests {
    /// The published FNV-1a 64 test vectors: the fingerprints in review
    /// records committed with translations depend on these values.
    #[test]
    fn known_values() {
        assert_eq!(super::fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(super::fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    /// Pinned: PDF file IDs and subset tags are made from it, and a build
    /// must give the same bytes in every version that does not change the
    /// output on purpose.
    #[test]
    fn content_id_is_pinned_and_sees_every_byte() {
        use super::content_id;
        assert_eq!(
            content_id(b""),
            [0xb903_4ad3_7056_f5fb, 0x8f5c_586b_8a84_de98]
        );
        // Length, last partial word and each byte of a word all count.
        let base = content_id(b"0123456789abcdef");
        assert_ne!(base, content_id(b"0123456789abcdef\0"));
        assert_ne!(base, content_id(b"0123456789abcdeF"));
        assert_ne!(base, content_id(b"1123456789abcdef"));
        assert_ne!(content_id(b"ab"), content_id(b"ab\0"));
        assert_ne!(base[0], base[1]);
    }
}
