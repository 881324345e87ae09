//! The blob method for the weighted porous medium equation, with no engine attached.
//!
//! Agents X₁…X_N with masses mᵢ descend the discrete energy
//! E_h = ½ Σ_q Δ·(φ_ε∗ρᴺ)²(x_q)/ρ̄(x_q) + Σ mᵢ V(Xᵢ) (METHOD.md §2–3). The pieces:
//!
//! - [`kernel`]: the tapered Gaussian φ_ε.
//! - [`grid`]: the quadrature grid.
//! - [`geometry`]: free space, obstacles, projection and confinement.
//! - [`energy`]: the [`Problem`](energy::Problem) tying them with the rasterised target.
//! - [`evaluate`]: energy and velocities, direct (reference) and stencil (fast).
//! - [`stepper`]: adaptive descent steps and RK4.
//! - [`metrics`]: χ², L1, L2, W2, coverage cost, spacing.
//! - [`params`]: automatic ε, grid spacing and time step.

pub mod energy;
pub mod error;
pub mod evaluate;
pub mod geometry;
pub mod grid;
pub mod kernel;
pub mod metrics;
pub mod params;
pub mod stepper;
pub mod swarm;

pub use energy::{Boundary, DerivedParameters, Problem, ProblemConfig};
pub use error::{NumericsError, Result};
pub use evaluate::{DirectEvaluator, Evaluator, EvaluatorKind, StencilEvaluator};
pub use stepper::{Rk4, StepReport, Stepper, StepperConfig};
pub use swarm::Swarm;
