//! The truncated separable stencil: each agent visits only the nodes within the kernel's cut-off.
//!
//! Per agent it computes the D one-dimensional weight vectors ψ_k and ∂ψ_k/∂X_k over the
//! (2r_c/Δx)-node window of each axis (2·D·(2r_c/Δx) kernel factors), then deposits the outer
//! product onto the grid and gathers the pressure against it row by row. Cost
//! O(N·(2r_c/Δx)ᴰ) multiply-adds, memory O(M) for the grid buffers, no allocation per call once
//! the buffers have grown. Exactly the energy of [`super::DirectEvaluator`], in another order.

use std::ops::Range;

use super::{Evaluator, reset};
use crate::numerics::energy::Problem;

/// Fast evaluator visiting only the kernel's support around each agent.
#[derive(Debug, Clone)]
pub struct StencilEvaluator<const D: usize> {
    coverage: Vec<f64>,
    pressure: Vec<f64>,
    window: Window<D>,
}

impl<const D: usize> Default for StencilEvaluator<D> {
    fn default() -> Self {
        Self {
            coverage: Vec::new(),
            pressure: Vec::new(),
            window: Window::default(),
        }
    }
}

/// One agent's kernel window: node ranges and 1D weights per axis.
#[derive(Debug, Clone)]
struct Window<const D: usize> {
    ranges: [Range<usize>; D],
    values: [Vec<f64>; D],
    slopes: [Vec<f64>; D],
}

impl<const D: usize> Default for Window<D> {
    fn default() -> Self {
        Self {
            ranges: std::array::from_fn(|_| 0..0),
            values: std::array::from_fn(|_| Vec::new()),
            slopes: std::array::from_fn(|_| Vec::new()),
        }
    }
}

impl<const D: usize> Window<D> {
    /// Fills the window for an agent at `x`; false when the kernel misses the grid.
    fn load(&mut self, problem: &Problem<D>, x: &[f64; D]) -> bool {
        let grid = problem.grid();
        let reach = problem.kernel().cutoff();
        for (axis, &centre) in x.iter().enumerate() {
            let range = grid.nodes_between(axis, centre - reach, centre + reach);
            if range.is_empty() {
                return false;
            }
            let (values, slopes) = (&mut self.values[axis], &mut self.slopes[axis]);
            values.clear();
            slopes.clear();
            for i in range.clone() {
                let (value, slope) = problem.axis_weight(axis, grid.coordinate(axis, i), centre);
                values.push(value);
                slopes.push(slope);
            }
            self.ranges[axis] = range;
        }
        true
    }

    /// Calls `row(offset, index)` for every row of the window along axis 0, where `offset` is
    /// the flat index of the row's first node and `index[k]` (k ≥ 1) the window-relative index
    /// along axis k.
    #[inline]
    fn for_each_row(&self, strides: &[usize; D], mut row: impl FnMut(usize, &[usize; D])) {
        let mut index = [0usize; D];
        loop {
            let offset = self.ranges[0].start
                + (1..D)
                    .map(|k| (self.ranges[k].start + index[k]) * strides[k])
                    .sum::<usize>();
            row(offset, &index);
            let mut axis = 1;
            loop {
                if axis >= D {
                    return;
                }
                index[axis] += 1;
                if index[axis] < self.ranges[axis].len() {
                    break;
                }
                index[axis] = 0;
                axis += 1;
            }
        }
    }

    /// Product of the outer-axis values at `index`, times `scale`.
    #[inline]
    fn outer_weight(&self, index: &[usize; D], scale: f64) -> f64 {
        (1..D).fold(scale, |w, k| w * self.values[k][index[k]])
    }
}

impl<const D: usize> StencilEvaluator<D> {
    fn deposit(&mut self, problem: &Problem<D>, positions: &[[f64; D]], masses: &[f64]) -> f64 {
        let grid = problem.grid();
        reset(&mut self.coverage, grid.len());
        reset(&mut self.pressure, grid.len());
        let strides = grid.strides();
        for (x, &m) in positions.iter().zip(masses) {
            if !self.window.load(problem, x) {
                continue;
            }
            let window = &self.window;
            let inner = &window.values[0];
            let coverage = &mut self.coverage;
            window.for_each_row(&strides, |offset, index| {
                let w = window.outer_weight(index, m);
                let row = &mut coverage[offset..offset + inner.len()];
                for (u, &psi) in row.iter_mut().zip(inner) {
                    *u += w * psi;
                }
            });
        }
        problem.grid_energy(&self.coverage, &mut self.pressure)
    }

    /// Σ_q g_q ∂K(x_q, X)/∂X over the loaded window.
    fn gather(&self, strides: &[usize; D]) -> [f64; D] {
        let window = &self.window;
        let (values, slopes) = (&window.values[0], &window.slopes[0]);
        let mut gradient = [0.0; D];
        window.for_each_row(strides, |offset, index| {
            let row = &self.pressure[offset..offset + values.len()];
            let (s, ds) = dot_pair(row, values, slopes);
            let outer = window.outer_weight(index, 1.0);
            gradient[0] += outer * ds;
            for (k, slot) in gradient.iter_mut().enumerate().skip(1) {
                let partial = (1..D).fold(1.0, |w, l| {
                    w * if l == k {
                        window.slopes[l][index[l]]
                    } else {
                        window.values[l][index[l]]
                    }
                });
                *slot += partial * s;
            }
        });
        gradient
    }
}

/// (Σ gᵢ·aᵢ, Σ gᵢ·bᵢ) with four independent partial sums, which the compiler can vectorise.
#[inline]
fn dot_pair(g: &[f64], a: &[f64], b: &[f64]) -> (f64, f64) {
    let mut sa = [0.0; 4];
    let mut sb = [0.0; 4];
    let chunks = g.len() / 4;
    for c in 0..chunks {
        for lane in 0..4 {
            let i = 4 * c + lane;
            sa[lane] += g[i] * a[i];
            sb[lane] += g[i] * b[i];
        }
    }
    for i in 4 * chunks..g.len() {
        sa[0] += g[i] * a[i];
        sb[0] += g[i] * b[i];
    }
    (
        (sa[0] + sa[1]) + (sa[2] + sa[3]),
        (sb[0] + sb[1]) + (sb[2] + sb[3]),
    )
}

impl<const D: usize> Evaluator<D> for StencilEvaluator<D> {
    fn name(&self) -> &'static str {
        "stencil"
    }

    fn evaluate(
        &mut self,
        problem: &Problem<D>,
        positions: &[[f64; D]],
        masses: &[f64],
        velocities: &mut [[f64; D]],
    ) -> f64 {
        let energy = self.deposit(problem, positions, masses);
        let strides = problem.grid().strides();
        let volume = problem.grid().cell_volume();
        for (x, v) in positions.iter().zip(velocities.iter_mut()) {
            *v = if self.window.load(problem, x) {
                self.gather(&strides).map(|s| -volume * s)
            } else {
                [0.0; D]
            };
        }
        energy + problem.confinement_energy(positions, masses, Some(velocities))
    }

    fn energy(&mut self, problem: &Problem<D>, positions: &[[f64; D]], masses: &[f64]) -> f64 {
        self.deposit(problem, positions, masses)
            + problem.confinement_energy(positions, masses, None)
    }

    fn coverage(&self) -> &[f64] {
        &self.coverage
    }

    fn pressure(&self) -> &[f64] {
        &self.pressure
    }
}
