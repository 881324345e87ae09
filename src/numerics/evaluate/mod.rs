//! Evaluators of the discrete energy E_h and the agents' velocities vᵢ = −(1/mᵢ)·∂E_h/∂Xᵢ.
//!
//! Every evaluator computes the same discrete energy (same kernel via
//! [`Problem::axis_weight`], same nodes, same weights), so they differ only by rounding. The direct
//! quadrature is the slow reference; the stencil is the fast path.

mod direct;
mod stencil;

pub use direct::DirectEvaluator;
pub use stencil::StencilEvaluator;

use super::energy::Problem;

/// Computes E_h and velocities for a problem. Implementations keep their buffers between calls.
pub trait Evaluator<const D: usize>: Send + Sync {
    /// Short name for reports ("direct", "stencil").
    fn name(&self) -> &'static str;

    /// Returns E_h(X) and writes vᵢ = −(1/mᵢ)·∂E_h/∂Xᵢ (length/time) into `velocities`.
    fn evaluate(
        &mut self,
        problem: &Problem<D>,
        positions: &[[f64; D]],
        masses: &[f64],
        velocities: &mut [[f64; D]],
    ) -> f64;

    /// Returns E_h(X) only (cheaper: no gather).
    fn energy(&mut self, problem: &Problem<D>, positions: &[[f64; D]], masses: &[f64]) -> f64;

    /// The coverage field u_q = Σⱼ mⱼ K(x_q, Xⱼ) of the last call, on the problem's grid.
    fn coverage(&self) -> &[f64];

    /// The pressure g_q = u_q/ρ̄_q of the last call.
    fn pressure(&self) -> &[f64];

    /// The largest kernel-averaged pressure at an agent, maxᵢ (φ_ε∗g)(Xᵢ), of the last
    /// [`Evaluator::evaluate`] call: the stiffness that sets the stable time step.
    fn agent_pressure(&self) -> f64;
}

/// Which evaluator to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvaluatorKind {
    /// [`DirectEvaluator`]: O(N·M), the reference.
    Direct,
    /// [`StencilEvaluator`]: O(N·S), the default.
    Stencil,
}

impl EvaluatorKind {
    /// A boxed evaluator of this kind.
    pub fn build<const D: usize>(self) -> Box<dyn Evaluator<D>> {
        match self {
            Self::Direct => Box::new(DirectEvaluator::default()),
            Self::Stencil => Box::new(StencilEvaluator::<D>::default()),
        }
    }
}

/// Resizes a buffer to `len` zeros, keeping its allocation.
fn reset(buffer: &mut Vec<f64>, len: usize) {
    buffer.clear();
    buffer.resize(len, 0.0);
}
