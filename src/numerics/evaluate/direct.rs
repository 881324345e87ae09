//! The direct quadrature: every agent against every grid node. The slow reference.

use super::{Evaluator, reset};
use crate::numerics::energy::Problem;

/// Evaluates E_h and the velocities by visiting all N·M (agent, node) pairs, computing the full
/// kernel product at each: cost 2·N·M·D kernel factors. Use it to check faster evaluators.
#[derive(Debug, Default, Clone)]
pub struct DirectEvaluator {
    coverage: Vec<f64>,
    pressure: Vec<f64>,
    agent_pressure: f64,
}

impl DirectEvaluator {
    fn deposit<const D: usize>(
        &mut self,
        problem: &Problem<D>,
        positions: &[[f64; D]],
        masses: &[f64],
    ) -> f64 {
        let grid = problem.grid();
        reset(&mut self.coverage, grid.len());
        reset(&mut self.pressure, grid.len());
        for (q, u) in self.coverage.iter_mut().enumerate() {
            let node = grid.node(q);
            for (x, m) in positions.iter().zip(masses) {
                let kernel: f64 = (0..D)
                    .map(|k| problem.axis_weight(k, node[k], x[k]).0)
                    .product();
                *u += m * kernel;
            }
        }
        problem.grid_energy(&mut self.coverage, &mut self.pressure)
    }
}

impl<const D: usize> Evaluator<D> for DirectEvaluator {
    fn name(&self) -> &'static str {
        "direct"
    }

    fn evaluate(
        &mut self,
        problem: &Problem<D>,
        positions: &[[f64; D]],
        masses: &[f64],
        velocities: &mut [[f64; D]],
    ) -> f64 {
        let energy = self.deposit(problem, positions, masses);
        let grid = problem.grid();
        let volume = grid.cell_volume();
        self.agent_pressure = 0.0;
        for (x, v) in positions.iter().zip(velocities.iter_mut()) {
            let mut gradient = [0.0; D];
            let mut smoothed = 0.0;
            for (q, g) in self.pressure.iter().enumerate() {
                let node = grid.node(q);
                let factors: [(f64, f64); D] =
                    std::array::from_fn(|k| problem.axis_weight(k, node[k], x[k]));
                smoothed += g * factors.iter().map(|f| f.0).product::<f64>();
                for (k, slot) in gradient.iter_mut().enumerate() {
                    let partial: f64 = (0..D)
                        .map(|l| if l == k { factors[l].1 } else { factors[l].0 })
                        .product();
                    *slot += g * partial;
                }
            }
            *v = gradient.map(|s| -volume * s);
            self.agent_pressure = self.agent_pressure.max(volume * smoothed);
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

    fn agent_pressure(&self) -> f64 {
        self.agent_pressure
    }
}
