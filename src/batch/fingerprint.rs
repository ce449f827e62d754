//! A recording's identity by its content, for telling a file that changed
//! from one that was only copied or touched (`cp -r`, an `rsync` without
//! `-t`): its size and modification time say "maybe changed", and only then
//! is the content read and compared with the fingerprint its transcript was
//! made from.
//!
//! The crate has no hash dependency, and this needs no cryptography (it
//! tells a user's own files apart, nobody forges them): 128 bits from two
//! 64-bit multiply-rotate lanes over 8-byte words, which reads at memory
//! speed rather than FNV's byte at a time (see BENCHMARKS.md).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

const P1: u64 = 0x9e37_79b9_7f4a_7c15;
const P2: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// The fingerprint of the file at `path`, as 32 hex digits.
pub(crate) fn of_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Hasher::default();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        hasher.write(&buffer[..read]);
    }
    Ok(format!("{:032x}", hasher.finish()))
}

/// The running state: two lanes, the bytes not yet a whole word, the length.
struct Hasher {
    a: u64,
    b: u64,
    pending: [u8; 8],
    pending_len: usize,
    len: u64,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher {
            a: P1,
            b: P2,
            pending: [0; 8],
            pending_len: 0,
            len: 0,
        }
    }
}

impl Hasher {
    fn word(&mut self, word: u64) {
        self.a = (self.a ^ word).wrapping_mul(P1).rotate_left(29);
        self.b = (self.b ^ word.rotate_left(32))
            .wrapping_mul(P2)
            .rotate_left(31);
    }

    fn write(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.pending_len > 0 {
            let take = (8 - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.pending));
            self.pending_len = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.word(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    fn finish(mut self) -> u128 {
        let mut last = [0u8; 8];
        last[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
        self.word(u64::from_le_bytes(last));
        self.word(self.len);
        // Mixes each lane into the other, so every input bit reaches all 128.
        let mix = |x: u64| {
            let x = (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
            let x = (x ^ (x >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
            x ^ (x >> 33)
        };
        let (a, b) = (mix(self.a ^ self.b.rotate_left(17)), mix(self.b ^ self.a));
        (u128::from(a) << 64) | u128::from(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(parts: &[&[u8]]) -> u128 {
        let mut hasher = Hasher::default();
        for part in parts {
            hasher.write(part);
        }
        hasher.finish()
    }

    #[test]
    fn the_fingerprint_depends_on_the_bytes_not_on_how_they_are_read() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = hash(&[&data]);
        assert_eq!(whole, hash(&[&data[..3], &data[3..500], &data[500..]]));
        let mut changed = data.clone();
        changed[777] ^= 1;
        assert_ne!(whole, hash(&[&changed]));
        assert_ne!(hash(&[b"a"]), hash(&[b"a\0"]), "the length counts");
        assert_ne!(hash(&[]), hash(&[b"\0"]));
    }
}
