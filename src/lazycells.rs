//! A fixed number of cells, each filled on first use, whose memory is taken a block at a time.
//!
//! A `Vec<OnceLock<T>>` of 200k empty cells is megabytes the process must allocate and zero at
//! start — a tenth of a one-shot search of the whole country — although a search touches a few
//! hundred of them. [`LazyCells`] allocates a block of cells only when one of them is first
//! filled.

use std::sync::OnceLock;

/// Cells per block: one block of small values is a few pages.
const BLOCK: usize = 256;

/// [`BLOCK`] cells, allocated together.
type Block<T> = Box<[OnceLock<T>]>;

/// `len` cells, each initialized at most once (thread-safe, like [`OnceLock`]).
pub struct LazyCells<T> {
    blocks: Box<[OnceLock<Block<T>>]>,
    len: usize,
}

impl<T> LazyCells<T> {
    /// `len` empty cells.
    pub fn new(len: usize) -> Self {
        LazyCells {
            blocks: (0..len.div_ceil(BLOCK)).map(|_| OnceLock::new()).collect(),
            len,
        }
    }

    /// The value of cell `i`, computing it with `init` if the cell is empty; `None` when `i` is
    /// out of range.
    pub fn get_or_init(&self, i: usize, init: impl FnOnce() -> T) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let block =
            self.blocks[i / BLOCK].get_or_init(|| (0..BLOCK).map(|_| OnceLock::new()).collect());
        Some(block[i % BLOCK].get_or_init(init))
    }
}

impl<T> std::fmt::Debug for LazyCells<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let filled = self.blocks.iter().filter(|b| b.get().is_some()).count();
        f.debug_struct("LazyCells")
            .field("len", &self.len)
            .field("blocks_filled", &filled)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cell_is_computed_once_and_out_of_range_is_none() {
        let cells = LazyCells::new(BLOCK * 2 + 3);
        let mut calls = 0;
        for i in [0, BLOCK - 1, BLOCK, BLOCK * 2 + 2] {
            assert_eq!(
                cells.get_or_init(i, || {
                    calls += 1;
                    i * 10
                }),
                Some(&(i * 10))
            );
        }
        assert_eq!(cells.get_or_init(BLOCK, || 0), Some(&(BLOCK * 10)));
        assert_eq!(calls, 4);
        assert_eq!(cells.get_or_init(BLOCK * 2 + 3, || 1), None);
    }
}
