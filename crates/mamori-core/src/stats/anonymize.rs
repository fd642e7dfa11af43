//! Anonymization of published tables: k-anonymity by cell suppression.
//!
//! **Primary suppression**: a count `0 < n < k` (default k = 3) is not published.
//! **Secondary suppression**: a published total would give away a lone suppressed cell
//! (total − the other cells), so every line that adds up to a published figure — a
//! one-way table with its total, or a row or column of a two-way table with its
//! margins — holds either no suppressed entry or at least two. The smallest remaining
//! cell of the line is suppressed until that holds, repeated until nothing changes.
//! A total under k is itself suppressed. Zero cells are published (a zero points at
//! nobody).

/// The default k.
pub const DEFAULT_K: u64 = 3;

fn primary(n: u64, k: u64) -> bool {
    n > 0 && n < k
}

/// Which entries of one line to suppress: `cells` add up to `total` (for a
/// single-valued dimension; for a multi-valued one the same rule is applied to stay on
/// the safe side). Returns (cell mask, whether the total is suppressed).
pub fn suppress_line(cells: &[u64], total: u64, k: u64) -> (Vec<bool>, bool) {
    let mut mask: Vec<bool> = cells.iter().map(|&n| primary(n, k)).collect();
    let total_hidden = primary(total, k);
    if total_hidden {
        // Everything under a small total is small.
        return (cells.iter().map(|&n| n > 0).collect(), true);
    }
    fix_line(&mut mask, cells, &(0..cells.len()).collect::<Vec<_>>());
    // A lone hidden cell with no other cell to hide beside it: hide the total instead.
    let lone = mask.iter().filter(|h| **h).count() == 1;
    (mask, lone)
}

/// Makes the line `idx` (positions into `mask`/`values`, all adding up to a published
/// figure) hold zero or at least two suppressed entries. Returns whether it changed.
fn fix_line(mask: &mut [bool], values: &[u64], idx: &[usize]) -> bool {
    let hidden = idx.iter().filter(|&&i| mask[i]).count();
    if hidden != 1 {
        return false;
    }
    // Prefer the smallest non-zero cell, then a zero cell (an attacker cannot tell a
    // suppressed zero from a suppressed small count).
    let pick = idx
        .iter()
        .copied()
        .filter(|&i| !mask[i])
        .min_by_key(|&i| (values[i] == 0, values[i], i));
    match pick {
        Some(i) => {
            mask[i] = true;
            true
        }
        None => false,
    }
}

/// A two-way table (rows × columns) with row totals, column totals and a grand total,
/// all published unless suppressed. Returns the mask of the extended grid
/// `(rows + 1) × (cols + 1)`: the last column holds the row totals, the last row the
/// column totals, the corner the grand total.
pub fn suppress_grid(grid: &[Vec<u64>], k: u64) -> Vec<Vec<bool>> {
    let rows = grid.len();
    let cols = grid.first().map_or(0, Vec::len);
    // Extended values, flattened row-major.
    let w = cols + 1;
    let mut vals = vec![0u64; (rows + 1) * w];
    for (r, row) in grid.iter().enumerate() {
        for c in 0..cols {
            let n = row.get(c).copied().unwrap_or(0);
            vals[r * w + c] = n;
            vals[r * w + cols] += n;
            vals[rows * w + c] += n;
            vals[rows * w + cols] += n;
        }
    }
    let mut mask: Vec<bool> = vals.iter().map(|&n| primary(n, k)).collect();
    // Lines: each row with its total, each column with its total.
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for r in 0..=rows {
        lines.push((0..=cols).map(|c| r * w + c).collect());
    }
    for c in 0..=cols {
        lines.push((0..=rows).map(|r| r * w + c).collect());
    }
    loop {
        let mut changed = false;
        for line in &lines {
            changed |= fix_line(&mut mask, &vals, line);
        }
        if !changed {
            break;
        }
    }
    (0..=rows)
        .map(|r| mask[r * w..(r + 1) * w].to_vec())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_small_cell_takes_the_next_smallest_with_it() {
        let (m, t) = suppress_line(&[10, 2, 7, 30], 49, 3);
        assert_eq!(m, vec![false, true, true, false]);
        assert!(!t);
    }

    #[test]
    fn two_small_cells_need_nothing_more() {
        let (m, _) = suppress_line(&[1, 2, 7, 30], 40, 3);
        assert_eq!(m, vec![true, true, false, false]);
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let (m, _) = suppress_line(&[0, 5, 7], 12, 3);
        assert_eq!(m, vec![false, false, false]);
    }

    #[test]
    fn a_lone_small_cell_without_company_hides_the_total() {
        let (m, t) = suppress_line(&[2], 40, 3);
        assert_eq!(m, vec![true]);
        assert!(t);
    }

    #[test]
    fn a_small_total_hides_everything() {
        let (m, t) = suppress_line(&[0, 2], 2, 3);
        assert_eq!(m, vec![false, true]);
        assert!(t);
    }

    #[test]
    fn grid_lines_never_hold_exactly_one_hidden_entry() {
        let g = vec![vec![5, 1, 9], vec![6, 8, 4], vec![7, 3, 12]];
        let m = suppress_grid(&g, 3);
        for r in &m {
            assert_ne!(r.iter().filter(|x| **x).count(), 1, "{m:?}");
        }
        for c in 0..4 {
            assert_ne!(m.iter().filter(|r| r[c]).count(), 1, "{m:?}");
        }
        assert!(m[0][1], "the primary cell");
    }
}
