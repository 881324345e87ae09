//! The quadrature grid: a regular, cell-centred lattice over a box, in any dimension.
//!
//! Nodes sit at the centres of equal cells, x_q = lo + (i + ½)·Δx per axis, and every node carries
//! the cell volume Π_k Δx_k as its quadrature weight (the midpoint rule). Node data is stored with
//! axis 0 contiguous (row-major with x fastest).

use super::error::{NumericsError, Result, positive};

/// Largest number of nodes a grid may have. A problem keeps about eight f64 buffers of this size
/// (target, weights, coverage, pressure, scratch), so the limit is ≈ 1 GiB of memory.
pub const MAX_GRID_NODES: usize = 1 << 24;

/// A regular cell-centred grid over the box [lo, hi] ⊂ ℝᴰ.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid<const D: usize> {
    lo: [f64; D],
    spacing: [f64; D],
    shape: [usize; D],
    strides: [usize; D],
}

impl<const D: usize> Grid<D> {
    /// The grid of cells covering [lo, hi] with spacing at most `max_spacing` along each axis
    /// (the spacing is shrunk so that a whole number of cells fits the box exactly).
    ///
    /// # Errors
    ///
    /// If the box is empty along an axis, the spacing is not positive, or the grid would have
    /// more than [`MAX_GRID_NODES`] nodes.
    pub fn covering(lo: [f64; D], hi: [f64; D], max_spacing: f64) -> Result<Self> {
        positive("grid spacing", max_spacing)?;
        let mut shape = [0usize; D];
        let mut wanted = [0u128; D];
        for axis in 0..D {
            let width = hi[axis] - lo[axis];
            if !(width.is_finite() && width > 0.0 && lo[axis].is_finite()) {
                return Err(NumericsError::EmptyDomain {
                    axis,
                    lo: lo[axis],
                    hi: hi[axis],
                });
            }
            let cells = (width / max_spacing * (1.0 - 1e-12)).ceil().max(1.0);
            wanted[axis] = if cells < 1e30 {
                cells as u128
            } else {
                u128::MAX / 4
            };
        }
        let nodes = wanted.iter().try_fold(1u128, |acc, &n| acc.checked_mul(n));
        match nodes {
            Some(n) if n <= MAX_GRID_NODES as u128 => {}
            _ => {
                return Err(NumericsError::GridTooLarge {
                    nodes: nodes.unwrap_or(u128::MAX),
                    shape: wanted.to_vec(),
                    limit: MAX_GRID_NODES,
                    megabytes: (MAX_GRID_NODES * 8 * 8) >> 20,
                });
            }
        }
        let mut spacing = [0.0; D];
        let mut strides = [0usize; D];
        let mut stride = 1;
        for axis in 0..D {
            shape[axis] = wanted[axis] as usize;
            spacing[axis] = (hi[axis] - lo[axis]) / shape[axis] as f64;
            strides[axis] = stride;
            stride *= shape[axis];
        }
        Ok(Self {
            lo,
            spacing,
            shape,
            strides,
        })
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether the grid has no nodes (never true for a constructed grid).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Nodes per axis.
    pub fn shape(&self) -> [usize; D] {
        self.shape
    }

    /// Flat-index stride of each axis (axis 0 has stride 1).
    pub fn strides(&self) -> [usize; D] {
        self.strides
    }

    /// Cell size per axis (length).
    pub fn spacing(&self) -> [f64; D] {
        self.spacing
    }

    /// Lower corner of the box.
    pub fn lo(&self) -> [f64; D] {
        self.lo
    }

    /// Upper corner of the box.
    pub fn hi(&self) -> [f64; D] {
        std::array::from_fn(|k| self.lo[k] + self.spacing[k] * self.shape[k] as f64)
    }

    /// Quadrature weight of every node: the cell volume Π_k Δx_k (lengthᴰ).
    pub fn cell_volume(&self) -> f64 {
        self.spacing.iter().product()
    }

    /// Coordinate of node `i` along `axis`: lo + (i + ½)·Δx.
    #[inline]
    pub fn coordinate(&self, axis: usize, i: usize) -> f64 {
        self.lo[axis] + (i as f64 + 0.5) * self.spacing[axis]
    }

    /// Position of the node with flat index `flat`.
    pub fn node(&self, flat: usize) -> [f64; D] {
        std::array::from_fn(|k| self.coordinate(k, (flat / self.strides[k]) % self.shape[k]))
    }

    /// Iterator over all node positions in storage order.
    pub fn nodes(&self) -> impl Iterator<Item = [f64; D]> + '_ {
        (0..self.len()).map(|flat| self.node(flat))
    }

    /// Node indices along `axis` whose coordinate lies strictly inside (a, b), clipped to the
    /// grid; empty when the interval misses the grid.
    #[inline]
    pub fn nodes_between(&self, axis: usize, a: f64, b: f64) -> std::ops::Range<usize> {
        let dx = self.spacing[axis];
        let first = ((a - self.lo[axis]) / dx - 0.5).floor() + 1.0;
        let last = ((b - self.lo[axis]) / dx - 0.5).ceil() - 1.0;
        let n = self.shape[axis] as f64;
        let first = first.clamp(0.0, n);
        let end = (last + 1.0).clamp(first, n);
        first as usize..end as usize
    }

    /// Flat index of the node nearest to `x`, clamped to the grid.
    pub fn nearest_node(&self, x: &[f64; D]) -> usize {
        (0..D)
            .map(|k| {
                let i = ((x[k] - self.lo[k]) / self.spacing[k]).floor();
                i.clamp(0.0, (self.shape[k] - 1) as f64) as usize * self.strides[k]
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_between_matches_a_scan() {
        let grid = Grid::<1>::covering([-1.0], [2.0], 0.1).unwrap();
        for (a, b) in [
            (-3.0, -2.0),
            (-1.5, 0.33),
            (0.051, 0.149),
            (0.0, 0.1),
            (0.049, 0.151),
            (1.9, 5.0),
        ] {
            let scan: Vec<usize> = (0..grid.len())
                .filter(|&i| {
                    let x = grid.coordinate(0, i);
                    x > a && x < b
                })
                .collect();
            let fast: Vec<usize> = grid.nodes_between(0, a, b).collect();
            assert_eq!(scan, fast, "interval ({a}, {b})");
        }
    }

    #[test]
    fn rejects_empty_and_huge_grids() {
        assert!(matches!(
            Grid::<2>::covering([0.0, 0.0], [1.0, 0.0], 0.1),
            Err(NumericsError::EmptyDomain { axis: 1, .. })
        ));
        assert!(matches!(
            Grid::<2>::covering([0.0, 0.0], [1.0, 1.0], 1e-5),
            Err(NumericsError::GridTooLarge { .. })
        ));
        let grid = Grid::<2>::covering([0.0, 0.0], [1.0, 2.0], 0.3).unwrap();
        assert_eq!(grid.shape(), [4, 7]);
        assert!((grid.cell_volume() * grid.len() as f64 - 2.0).abs() < 1e-12);
    }
}
