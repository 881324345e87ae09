//! blobswarm: design coverage controllers for robot swarms.
//!
//! A swarm of agents spreads to match a target density ρ̄ by following the deterministic blob
//! method for the weighted porous medium equation ∂ₜρ = ∇·(ρ∇(ρ/ρ̄)), the gradient flow of
//! ½∫(φ_ε∗ρ)²/ρ̄. The crate is organised in layers:
//!
//! - [`numerics`]: the solver, free of any engine: kernel, grid, evaluators, stepping, metrics.
//! - [`verify`]: the reference suite (analytic and slow-reference comparisons) behind
//!   `blobswarm verify` and the test suite.

pub mod numerics;
pub mod verify;
