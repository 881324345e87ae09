//! blobswarm: design coverage controllers for robot swarms.
//!
//! A swarm of agents spreads to match a target density ρ̄ by following the deterministic blob
//! method for the weighted porous medium equation ∂ₜρ = ∇·(ρ∇(ρ/ρ̄)), the gradient flow of
//! ½∫(φ_ε∗ρ)²/ρ̄. The crate is organised in layers:
//!
//! - [`numerics`]: the solver, free of any engine: kernel, grid, evaluators, stepping, metrics.
//! - [`verify`]: the reference suite (analytic and slow-reference comparisons) behind
//!   `blobswarm verify` and the test suite.
//!
//! # Example
//!
//! 200 agents released in a corner of the unit square spread over a two-bump target while
//! avoiding a disk; every accepted step lowers the energy.
//!
//! ```
//! use blobswarm::numerics::geometry::{Ball, Shape};
//! use blobswarm::numerics::metrics::field_metrics;
//! use blobswarm::numerics::{EvaluatorKind, Problem, ProblemConfig, Stepper, StepperConfig, Swarm};
//!
//! let target = |x: &[f64; 2]| {
//!     let bump = |cx: f64, cy: f64| (-((x[0] - cx).powi(2) + (x[1] - cy).powi(2)) / 0.02).exp();
//!     0.1 + bump(0.3, 0.7) + 0.5 * bump(0.7, 0.3)
//! };
//! let disk: Box<dyn Shape<2>> = Box::new(Ball { center: [0.5, 0.5], radius: 0.1 });
//! let config = ProblemConfig::new([0.0, 0.0], [1.0, 1.0]);
//! let problem = Problem::new(&config, vec![disk], &target, 200, 1.0)?;
//! println!("epsilon = {:.4} (automatic)", problem.parameters().epsilon);
//!
//! let start = (0..200).map(|i| [0.05 + 0.001 * i as f64, 0.05 + 0.0005 * i as f64]).collect();
//! let mut swarm = Swarm::with_equal_masses(start, 1.0)?;
//! let mut stepper = Stepper::new(EvaluatorKind::Stencil.build(), StepperConfig::default())?;
//! let first = stepper.step(&problem, &mut swarm);
//! let l1_start = field_metrics(&problem, stepper.evaluator().coverage()).l1;
//! let mut last = first;
//! for _ in 0..300 {
//!     last = stepper.step(&problem, &mut swarm);
//!     assert!(last.energy_after <= last.energy_before);
//! }
//! let l1_end = field_metrics(&problem, stepper.evaluator().coverage()).l1;
//! assert!(last.energy_before < first.energy_before);
//! assert!(l1_end < 0.5 * l1_start, "L1 went from {l1_start} to {l1_end}");
//! # Ok::<(), blobswarm::numerics::NumericsError>(())
//! ```

pub mod app;
pub mod numerics;
pub mod render;
pub mod scene;
pub mod verify;
