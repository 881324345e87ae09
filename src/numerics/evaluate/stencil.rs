//! The truncated separable stencil: each agent visits only the nodes within the kernel's cut-off.
//!
//! Per agent it computes the D one-dimensional weight vectors ψ_k and ∂ψ_k/∂X_k over the
//! (2r_c/Δx)-node window of each axis (three exponentials per axis, see
//! [`crate::numerics::kernel::Mollifier::add_window`]), deposits their outer product onto the
//! grid, and later gathers the pressure against it row by row. Cost O(N·(2r_c/Δx)ᴰ)
//! multiply-adds; memory O(M) for the grid plus O(N·D·2r_c/Δx) for the cached windows; no
//! allocation per call once the buffers have grown. Exactly the energy of
//! [`super::DirectEvaluator`], summed in another order.
//!
//! Swarms of [`PARALLEL_MIN_AGENTS`] or more are split over threads: the deposit in a fixed
//! number of chunks of agents, each into its own grid, summed in chunk order; the gather agent
//! by agent. The chunks do not depend on the machine, so the results are the same bits with
//! any number of cores.

use std::ops::Range;

use super::{Evaluator, reset};

/// Swarms at least this large are evaluated on several threads (below, a thread costs more
/// than it saves).
pub const PARALLEL_MIN_AGENTS: usize = 2048;

/// Chunks of agents the deposit of a large swarm is split into: fixed, so that the summation
/// order, and with it every bit of the result, is the same on any machine.
const DEPOSIT_CHUNKS: usize = 4;

/// Threads to use for `agents` agents: one for small swarms, else the cores available (at most
/// [`DEPOSIT_CHUNKS`]).
fn threads_for(agents: usize) -> usize {
    if agents < PARALLEL_MIN_AGENTS {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(DEPOSIT_CHUNKS))
}
use crate::numerics::energy::Problem;

/// Fast evaluator visiting only the kernel's support around each agent.
#[derive(Debug, Clone)]
pub struct StencilEvaluator<const D: usize> {
    coverage: Vec<f64>,
    pressure: Vec<f64>,
    /// Per agent, the node range along each axis (empty when the kernel misses the grid).
    ranges: Vec<[Range<usize>; D]>,
    /// Per agent, where its weights start in `weights`.
    starts: Vec<usize>,
    /// Per agent and axis: the range's kernel values, then its slopes ∂ψ/∂X.
    weights: Vec<f64>,
    /// Row accumulators of the gather, one per axis, for each thread.
    rows: Vec<[Vec<f64>; D]>,
    /// Partial coverage fields of the deposit's chunks of agents (all but the first).
    partial: Vec<Vec<f64>>,
    /// maxᵢ (φ_ε∗g)(Xᵢ) of the last evaluation.
    agent_pressure: f64,
    /// The problem, positions and masses of the last deposit, and its energy: an evaluation
    /// of the state whose energy was just checked (an accepted step) reuses that deposit.
    deposited: (u64, Vec<[f64; D]>, Vec<f64>, f64),
}

impl<const D: usize> Default for StencilEvaluator<D> {
    fn default() -> Self {
        Self {
            coverage: Vec::new(),
            pressure: Vec::new(),
            ranges: Vec::new(),
            starts: Vec::new(),
            weights: Vec::new(),
            rows: Vec::new(),
            partial: Vec::new(),
            agent_pressure: 0.0,
            deposited: (u64::MAX, Vec::new(), Vec::new(), 0.0),
        }
    }
}

/// One agent's kernel window: node ranges and 1D weights per axis.
struct Window<'a, const D: usize> {
    ranges: &'a [Range<usize>; D],
    values: [&'a [f64]; D],
    slopes: [&'a [f64]; D],
}

impl<const D: usize> Window<'_, D> {
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
    /// Computes and caches every agent's kernel window.
    fn load(&mut self, problem: &Problem<D>, positions: &[[f64; D]]) {
        let grid = problem.grid();
        let reach = problem.kernel().cutoff();
        self.ranges.clear();
        self.starts.clear();
        self.weights.clear();
        for x in positions {
            let ranges: [Range<usize>; D] =
                std::array::from_fn(|k| grid.nodes_between(k, x[k] - reach, x[k] + reach));
            self.starts.push(self.weights.len());
            if ranges.iter().any(|r| r.is_empty()) {
                self.ranges.push(std::array::from_fn(|_| 0..0));
                continue;
            }
            for (axis, range) in ranges.iter().enumerate() {
                let base = self.weights.len();
                self.weights.resize(base + 2 * range.len(), 0.0);
                let (values, slopes) = self.weights[base..].split_at_mut(range.len());
                problem.axis_window(axis, range.clone(), x[axis], values, slopes);
            }
            self.ranges.push(ranges);
        }
    }

    /// The cached window of agent `i`, or `None` if its kernel misses the grid.
    fn window(&self, i: usize) -> Option<Window<'_, D>> {
        let ranges = &self.ranges[i];
        if ranges[0].is_empty() {
            return None;
        }
        let mut start = self.starts[i];
        let mut values: [&[f64]; D] = [&[]; D];
        let mut slopes: [&[f64]; D] = [&[]; D];
        for axis in 0..D {
            let n = ranges[axis].len();
            values[axis] = &self.weights[start..start + n];
            slopes[axis] = &self.weights[start + n..start + 2 * n];
            start += 2 * n;
        }
        Some(Window {
            ranges,
            values,
            slopes,
        })
    }

    /// Loads the windows, deposits u_q = Σⱼ mⱼ K(x_q, Xⱼ), and returns the grid energy; when
    /// the last deposit had the same problem, positions and masses, returns its result instead.
    fn deposit(&mut self, problem: &Problem<D>, positions: &[[f64; D]], masses: &[f64]) -> f64 {
        let (id, last_positions, last_masses, energy) = &self.deposited;
        if *id == problem.id() && last_positions == positions && last_masses == masses {
            return *energy;
        }
        let energy = self.deposit_anew(problem, positions, masses);
        self.deposited.0 = problem.id();
        self.deposited.1.clear();
        self.deposited.1.extend_from_slice(positions);
        self.deposited.2.clear();
        self.deposited.2.extend_from_slice(masses);
        self.deposited.3 = energy;
        energy
    }

    fn deposit_anew(
        &mut self,
        problem: &Problem<D>,
        positions: &[[f64; D]],
        masses: &[f64],
    ) -> f64 {
        self.load(problem, positions);
        let grid = problem.grid();
        let mut coverage = std::mem::take(&mut self.coverage);
        reset(&mut coverage, grid.len());
        reset(&mut self.pressure, grid.len());
        let strides = grid.strides();
        let agents = masses.len().min(positions.len());
        if agents < PARALLEL_MIN_AGENTS {
            self.deposit_range(0..agents, masses, &strides, &mut coverage);
        } else {
            // Chunk c of the agents goes into field c (the first into `coverage`); a thread
            // takes consecutive chunks; the fields are then summed in chunk order.
            let mut partial = std::mem::take(&mut self.partial);
            partial.resize_with(DEPOSIT_CHUNKS - 1, Vec::new);
            partial
                .iter_mut()
                .for_each(|field| reset(field, grid.len()));
            let chunk = agents.div_ceil(DEPOSIT_CHUNKS);
            let mut fields: Vec<(usize, &mut Vec<f64>)> = std::iter::once(&mut coverage)
                .chain(partial.iter_mut())
                .enumerate()
                .collect();
            let per_thread = DEPOSIT_CHUNKS.div_ceil(threads_for(agents));
            let this = &*self;
            std::thread::scope(|scope| {
                for group in fields.chunks_mut(per_thread) {
                    scope.spawn(|| {
                        for (c, field) in group.iter_mut() {
                            let range = (*c * chunk).min(agents)..((*c + 1) * chunk).min(agents);
                            this.deposit_range(range, masses, &strides, field);
                        }
                    });
                }
            });
            for field in &partial {
                for (u, &p) in coverage.iter_mut().zip(field) {
                    *u += p;
                }
            }
            self.partial = partial;
        }
        self.coverage = coverage;
        problem.grid_energy(&mut self.coverage, &mut self.pressure)
    }

    /// Adds the kernels of the agents in `agents` to `coverage`.
    fn deposit_range(
        &self,
        agents: Range<usize>,
        masses: &[f64],
        strides: &[usize; D],
        coverage: &mut [f64],
    ) {
        for i in agents {
            let Some(window) = self.window(i) else {
                continue;
            };
            let (m, inner) = (masses[i], window.values[0]);
            window.for_each_row(strides, |offset, index| {
                let w = window.outer_weight(index, m);
                let row = &mut coverage[offset..offset + inner.len()];
                for (u, &psi) in row.iter_mut().zip(inner) {
                    *u += w * psi;
                }
            });
        }
    }

    /// Velocities of the agents `first..first + velocities.len()` from the pressure; returns
    /// the largest kernel-averaged pressure among them.
    fn gather_range(
        &self,
        first: usize,
        velocities: &mut [[f64; D]],
        strides: &[usize; D],
        volume: f64,
        rows: &mut [Vec<f64>; D],
    ) -> f64 {
        let mut largest: f64 = 0.0;
        for (offset, v) in velocities.iter_mut().enumerate() {
            let (gradient, pressure) = self.gather(first + offset, strides, rows);
            *v = gradient.map(|s| -volume * s);
            largest = largest.max(volume * pressure);
        }
        largest
    }

    /// Σ_q g_q ∂K(x_q, Xᵢ)/∂Xᵢ over agent i's window.
    ///
    /// The outer axes are contracted first, into one row accumulator per axis (all vertical
    /// multiply-adds, which vectorise), then each accumulator is dotted with the axis-0 weights:
    /// acc₀ = Σ_rows P·g_row against ∂ψ₀, and acc_k = Σ_rows P_k·g_row against ψ₀, where P is the
    /// product of the outer values and P_k has axis k's slope in place of its value.
    ///
    /// Also returns Σ_q g_q K(x_q, Xᵢ), the kernel-averaged pressure divided by the cell volume.
    fn gather(&self, i: usize, strides: &[usize; D], rows: &mut [Vec<f64>; D]) -> ([f64; D], f64) {
        let mut gradient = [0.0; D];
        let Some(window) = self.window(i) else {
            return (gradient, 0.0);
        };
        let (values, slopes) = (window.values[0], window.slopes[0]);
        let n = values.len();
        rows.iter_mut().for_each(|acc| reset(acc, n));
        window.for_each_row(strides, |offset, index| {
            let row = &self.pressure[offset..offset + n];
            for (k, acc) in rows.iter_mut().enumerate() {
                let weight = (1..D).fold(1.0, |w, l| {
                    w * if l == k {
                        window.slopes[l][index[l]]
                    } else {
                        window.values[l][index[l]]
                    }
                });
                for (a, &g) in acc.iter_mut().zip(row) {
                    *a += weight * g;
                }
            }
        });
        for (k, (slot, acc)) in gradient.iter_mut().zip(rows.iter()).enumerate() {
            let against = if k == 0 { slopes } else { values };
            *slot = dot(acc, against);
        }
        (gradient, dot(&rows[0], values))
    }
}

/// Σ aᵢ·bᵢ with four independent partial sums, which the compiler can vectorise.
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut lanes = [0.0; 4];
    for (ac, bc) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
        for lane in 0..4 {
            lanes[lane] += ac[lane] * bc[lane];
        }
    }
    let tail = n - n % 4;
    let rest: f64 = a[tail..].iter().zip(&b[tail..]).map(|(x, y)| x * y).sum();
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + rest
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
        let agents = positions.len().min(velocities.len());
        let velocities = &mut velocities[..agents];
        // Each agent's velocity is its own sum: any split over threads gives the same bits.
        let threads = threads_for(agents);
        let mut rows = std::mem::take(&mut self.rows);
        rows.resize_with(threads, || std::array::from_fn(|_| Vec::new()));
        let chunk = agents.div_ceil(threads).max(1);
        let this = &*self;
        self.agent_pressure = if threads == 1 {
            this.gather_range(0, velocities, &strides, volume, &mut rows[0])
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = velocities
                    .chunks_mut(chunk)
                    .zip(rows.iter_mut())
                    .enumerate()
                    .map(|(t, (part, rows))| {
                        scope.spawn(move || {
                            this.gather_range(t * chunk, part, &strides, volume, rows)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a gather thread panicked"))
                    .fold(0.0, f64::max)
            })
        };
        self.rows = rows;
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

    fn agent_pressure(&self) -> f64 {
        self.agent_pressure
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::ProblemConfig;

    #[test]
    fn a_reused_deposit_gives_the_same_bits_as_a_fresh_one() {
        let config = ProblemConfig::new([0.0, 0.0], [1.0, 1.0]);
        let target = |x: &[f64; 2]| 1.0 + x[0];
        let problem = Problem::new(&config, vec![], &target, 20, 1.0).unwrap();
        let other = Problem::new(&config, vec![], &|_: &[f64; 2]| 1.0, 20, 1.0).unwrap();
        let a: Vec<[f64; 2]> = (0..20).map(|i| [0.05 * i as f64, 0.5]).collect();
        let b: Vec<[f64; 2]> = a.iter().map(|p| [p[0], p[1] + 0.01]).collect();
        let masses = vec![0.05; 20];
        let fresh = |problem: &Problem<2>, x: &[[f64; 2]]| {
            let mut v = vec![[0.0; 2]; 20];
            let e = StencilEvaluator::<2>::default().evaluate(problem, x, &masses, &mut v);
            (e, v)
        };

        let mut cached = StencilEvaluator::<2>::default();
        let mut v = vec![[0.0; 2]; 20];
        cached.evaluate(&problem, &a, &masses, &mut v);
        cached.energy(&problem, &b, &masses);
        let e = cached.evaluate(&problem, &b, &masses, &mut v);
        assert_eq!(
            (e, v.clone()),
            fresh(&problem, &b),
            "reusing the trial deposit"
        );
        let e = cached.evaluate(&other, &b, &masses, &mut v);
        assert_eq!(
            (e, v.clone()),
            fresh(&other, &b),
            "a new problem is deposited anew"
        );
        let heavier: Vec<f64> = masses.iter().map(|m| 2.0 * m).collect();
        let e = cached.energy(&other, &b, &heavier);
        let mut check = StencilEvaluator::<2>::default();
        assert_eq!(
            e,
            check.energy(&other, &b, &heavier),
            "new masses are deposited anew"
        );
    }

    #[test]
    fn large_swarms_split_over_threads_agree_with_the_direct_sum() {
        use rand::{RngExt, SeedableRng};
        // Past the threshold, with a count the chunks do not divide evenly.
        let n = PARALLEL_MIN_AGENTS + 123;
        let config = ProblemConfig::new([0.0, 0.0], [1.0, 1.0]);
        let target = |x: &[f64; 2]| 1.0 + x[0] * x[1];
        let problem = Problem::new(&config, vec![], &target, n, 1.0).unwrap();
        let mut rng = rand_pcg::Pcg64::seed_from_u64(9);
        let positions: Vec<[f64; 2]> = (0..n)
            .map(|_| [rng.random_range(0.0..1.0), rng.random_range(0.0..1.0)])
            .collect();
        let masses: Vec<f64> = (0..n)
            .map(|i| (1.0 + (i % 3) as f64) / (2.0 * n as f64))
            .collect();
        let run = |evaluator: &mut dyn Evaluator<2>| {
            let mut v = vec![[0.0; 2]; n];
            let e = evaluator.evaluate(&problem, &positions, &masses, &mut v);
            (e, v, evaluator.agent_pressure())
        };
        let (e_direct, v_direct, p_direct) = run(&mut super::super::DirectEvaluator::default());
        let (e, v, p) = run(&mut StencilEvaluator::default());
        assert!(
            (e - e_direct).abs() <= 1e-12 * e_direct.abs(),
            "{e} vs {e_direct}"
        );
        assert!(
            (p - p_direct).abs() <= 1e-12 * p_direct.abs(),
            "{p} vs {p_direct}"
        );
        let scale = v_direct
            .iter()
            .map(|w| w[0].hypot(w[1]))
            .fold(0.0, f64::max);
        let worst = v
            .iter()
            .zip(&v_direct)
            .map(|(a, b)| (a[0] - b[0]).hypot(a[1] - b[1]))
            .fold(0.0, f64::max);
        assert!(
            worst <= 1e-11 * scale,
            "velocity error {worst} (largest {scale})"
        );
        // And the threads leave no trace: a second evaluator gives the same bits.
        assert_eq!(run(&mut StencilEvaluator::default()), (e, v, p));
    }
}
