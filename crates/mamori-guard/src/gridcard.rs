//! 乱数表 grid cards as NIST SP 800-63B look-up secrets.
//!
//! A card has 10 columns (A–J) × 10 rows of two-digit cells. A challenge asks for
//! four unused cells (8 digits ≈ 26.6 bits ≥ the 20 bits NIST requires); each cell is
//! used once, so a card serves 25 logins and is reissued when spent. A failed answer
//! keeps the same challenge, so an attacker cannot shop for cells he has seen.
//!
//! Cells are stored as keyed BLAKE3 digests under a server-side key kept outside the
//! database: a two-digit cell has too little entropy for an unkeyed hash to resist an
//! offline search.

use crate::env::{SecureRandom, random_below, random_bytes};
use crate::password::ct_eq;
use serde::{Deserialize, Serialize};

/// Columns on a card.
pub const COLUMNS: usize = 10;
/// Rows on a card.
pub const ROWS: usize = 10;
/// Digits per cell.
pub const DIGITS_PER_CELL: usize = 2;
/// Cells asked per challenge.
pub const CELLS_PER_CHALLENGE: usize = 4;

/// The entropy of one challenge in bits.
pub fn bits_per_challenge() -> f64 {
    (CELLS_PER_CHALLENGE * DIGITS_PER_CELL) as f64 * 10f64.log2()
}

/// A printable card, given to the user once (never stored). `Debug` hides the cells.
#[derive(Clone, PartialEq, Eq)]
pub struct GridCard {
    /// The card's serial (printed on it so the user knows which card is meant).
    pub serial: String,
    /// `cells[row][col]`, two digits each.
    pub cells: Vec<Vec<String>>,
}

impl std::fmt::Debug for GridCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GridCard")
            .field("serial", &self.serial)
            .field("cells", &"<redacted>")
            .finish()
    }
}

impl GridCard {
    /// The card as text, columns A–J, rows 1–10.
    pub fn render(&self) -> String {
        let mut s = format!("No. {}\n    ", self.serial);
        for c in 0..COLUMNS {
            s.push_str(&format!(" {} ", column_name(c)));
        }
        s.push('\n');
        for (r, row) in self.cells.iter().enumerate() {
            s.push_str(&format!("{:>3} ", r + 1));
            for v in row {
                s.push_str(&format!("{v} "));
            }
            s.push('\n');
        }
        s
    }
}

fn column_name(c: usize) -> char {
    char::from(b'A' + u8::try_from(c).unwrap_or(0))
}

/// One cell reference: column A–J and row 1–10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRef {
    /// Index into the card (row * COLUMNS + col).
    pub index: u16,
}

impl CellRef {
    /// `C7`-style label.
    pub fn label(&self) -> String {
        let i = usize::from(self.index);
        format!("{}{}", column_name(i % COLUMNS), i / COLUMNS + 1)
    }
}

/// What the guard stores about a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridCardState {
    /// The serial printed on the card.
    pub serial: String,
    /// Keyed digests of the cells (hex).
    pub cell_digests: Vec<String>,
    /// Cells already used.
    pub used: Vec<bool>,
    /// The outstanding challenge, if any.
    pub pending: Option<Vec<CellRef>>,
}

fn digest(key: &[u8; 32], serial: &str, index: usize, value: &str) -> String {
    let mut h = blake3::Hasher::new_keyed(key);
    h.update(serial.as_bytes());
    h.update(&(index as u64).to_le_bytes());
    h.update(value.as_bytes());
    h.finalize().to_hex().to_string()
}

/// Issues a new card: the printable card and the state to store.
pub fn issue(key: &[u8; 32], rng: &dyn SecureRandom) -> (GridCard, GridCardState) {
    let serial = hex::encode_upper(random_bytes::<4>(rng));
    let mut cells: Vec<Vec<String>> = (0..ROWS).map(|_| Vec::with_capacity(COLUMNS)).collect();
    let mut digests = Vec::with_capacity(ROWS * COLUMNS);
    for (r, row) in cells.iter_mut().enumerate() {
        for c in 0..COLUMNS {
            let v = format!("{:02}", random_below(rng, 100));
            digests.push(digest(key, &serial, r * COLUMNS + c, &v));
            row.push(v);
        }
    }
    let state = GridCardState {
        serial: serial.clone(),
        cell_digests: digests,
        used: vec![false; ROWS * COLUMNS],
        pending: None,
    };
    (GridCard { serial, cells }, state)
}

impl GridCardState {
    /// Unused cells left.
    pub fn unused(&self) -> usize {
        self.used.iter().filter(|u| !**u).count()
    }

    /// Whether the card can no longer serve a challenge and must be reissued.
    pub fn spent(&self) -> bool {
        self.unused() < CELLS_PER_CHALLENGE
    }

    /// The challenge to show: the outstanding one, or four random unused cells.
    /// `None` when the card is spent.
    pub fn challenge(&mut self, rng: &dyn SecureRandom) -> Option<Vec<CellRef>> {
        if let Some(p) = &self.pending {
            return Some(p.clone());
        }
        if self.spent() {
            return None;
        }
        let mut free: Vec<u16> = (0..self.used.len())
            .filter(|i| !self.used[*i])
            .filter_map(|i| u16::try_from(i).ok())
            .collect();
        let mut picked = Vec::with_capacity(CELLS_PER_CHALLENGE);
        for _ in 0..CELLS_PER_CHALLENGE {
            let n = u32::try_from(free.len()).unwrap_or(u32::MAX);
            let i = random_below(rng, n) as usize;
            picked.push(CellRef {
                index: free.swap_remove(i),
            });
        }
        picked.sort_by_key(|c| c.index);
        self.pending = Some(picked.clone());
        Some(picked)
    }

    /// Checks the answer (the cells' digits in challenge order, spaces and dashes
    /// ignored, full-width digits allowed). On success the cells are used up.
    pub fn answer(&mut self, key: &[u8; 32], answer: &str) -> bool {
        let Some(pending) = self.pending.clone() else {
            return false;
        };
        let digits: String = crate::password::normalize_password(answer)
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        if digits.len() != pending.len() * DIGITS_PER_CELL {
            return false;
        }
        let mut ok = true;
        for (k, cell) in pending.iter().enumerate() {
            let i = usize::from(cell.index);
            let v = &digits[k * DIGITS_PER_CELL..(k + 1) * DIGITS_PER_CELL];
            let want = self
                .cell_digests
                .get(i)
                .map(String::as_bytes)
                .unwrap_or(b"");
            ok &= ct_eq(digest(key, &self.serial, i, v).as_bytes(), want) && !self.used[i];
        }
        if ok {
            for cell in &pending {
                self.used[usize::from(cell.index)] = true;
            }
            self.pending = None;
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::SeededRandom;

    const KEY: [u8; 32] = [9; 32];

    fn answer_for(card: &GridCard, cells: &[CellRef]) -> String {
        cells
            .iter()
            .map(|c| {
                let i = usize::from(c.index);
                card.cells[i / COLUMNS][i % COLUMNS].clone()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn challenge_has_at_least_20_bits() {
        assert!(bits_per_challenge() >= 20.0, "{}", bits_per_challenge());
    }

    #[test]
    fn each_cell_is_used_once_and_card_runs_out() {
        let rng = SeededRandom::new(5);
        let (card, mut st) = issue(&KEY, &rng);
        let mut seen = std::collections::HashSet::new();
        let mut logins = 0;
        while let Some(ch) = st.challenge(&rng) {
            for c in &ch {
                assert!(seen.insert(c.index), "cell {} asked twice", c.label());
            }
            assert!(st.answer(&KEY, &answer_for(&card, &ch)));
            logins += 1;
        }
        assert_eq!(logins, ROWS * COLUMNS / CELLS_PER_CHALLENGE);
        assert!(st.spent());
    }

    #[test]
    fn wrong_answer_keeps_the_same_challenge_and_replay_fails() {
        let rng = SeededRandom::new(6);
        let (card, mut st) = issue(&KEY, &rng);
        let ch = st.challenge(&rng).unwrap();
        let right = answer_for(&card, &ch);
        let wrong = right.replace(|c: char| c.is_ascii_digit(), "0");
        if wrong != right {
            assert!(!st.answer(&KEY, &wrong));
        }
        assert_eq!(st.challenge(&rng).unwrap(), ch, "same cells asked again");
        assert!(st.answer(&KEY, &right));
        assert!(
            !st.answer(&KEY, &right),
            "no challenge pending: replay refused"
        );
    }

    #[test]
    fn wrong_key_fails_and_render_labels_cells() {
        let rng = SeededRandom::new(7);
        let (card, mut st) = issue(&KEY, &rng);
        let ch = st.challenge(&rng).unwrap();
        assert!(!st.answer(&[1; 32], &answer_for(&card, &ch)));
        let text = card.render();
        assert!(
            text.contains(" A ") && text.contains(" J ") && text.contains(" 10 "),
            "{text}"
        );
        assert_eq!(CellRef { index: 12 }.label(), "C2");
    }
}
