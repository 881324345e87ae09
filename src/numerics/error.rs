//! Errors of the numerical core: every bad input is reported, never a panic.

use thiserror::Error;

/// What went wrong when building a problem or a swarm.
///
/// Every message names the offending quantity, the value that was given and what is allowed, so
/// that a command-line or GUI front end can show it to the user unchanged.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NumericsError {
    /// A parameter that must be a finite, strictly positive number was not.
    #[error("{name} must be a finite number greater than 0, but it is {value}")]
    NotPositive {
        /// Name of the parameter, as the user knows it (e.g. `epsilon`).
        name: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// A parameter that must be finite and non-negative was not.
    #[error("{name} must be a finite number of at least 0, but it is {value}")]
    Negative {
        /// Name of the parameter.
        name: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// The domain box has zero or negative extent along an axis.
    #[error(
        "the domain must have positive size along every axis, but along axis {axis} it runs \
         from {lo} to {hi}"
    )]
    EmptyDomain {
        /// Axis index (0 = x, 1 = y, 2 = z).
        axis: usize,
        /// Lower bound given.
        lo: f64,
        /// Upper bound given.
        hi: f64,
    },
    /// An agent position has a NaN or infinite coordinate.
    #[error("agent {agent} has a position that is not finite: {position:?}")]
    NonFinitePosition {
        /// Index of the agent.
        agent: usize,
        /// The rejected coordinates.
        position: Vec<f64>,
    },
    /// An agent mass is not finite or not positive.
    #[error("agent {agent} has mass {mass}; masses must be finite and greater than 0")]
    BadMass {
        /// Index of the agent.
        agent: usize,
        /// The rejected mass.
        mass: f64,
    },
    /// The numbers of positions and masses differ.
    #[error("{positions} positions were given with {masses} masses; they must match")]
    LengthMismatch {
        /// Number of positions.
        positions: usize,
        /// Number of masses.
        masses: usize,
    },
    /// A swarm needs at least one agent.
    #[error("the swarm has no agents; at least 1 is needed")]
    NoAgents,
    /// The target density integrates to zero (or is negative or not finite somewhere).
    #[error(
        "the target density has no mass on the free part of the domain (integral {mass}); \
         give it a positive weight somewhere inside the domain and outside the obstacles"
    )]
    EmptyTarget {
        /// Integral of the target over the free space, as rasterised.
        mass: f64,
    },
    /// The target density evaluated to a negative or non-finite number.
    #[error("the target density is {value} at {position:?}; it must be finite and at least 0")]
    BadTargetValue {
        /// Where it happened.
        position: Vec<f64>,
        /// The value.
        value: f64,
    },
    /// The obstacles leave no free grid node inside the domain.
    #[error("the obstacles cover the whole domain: no free space is left for the agents")]
    DomainCovered,
    /// The quadrature grid would not fit in memory.
    #[error(
        "the quadrature grid would need {nodes} nodes ({shape:?}), more than the limit of \
         {limit} nodes (about {megabytes} MB of buffers); increase epsilon or the grid spacing"
    )]
    GridTooLarge {
        /// Nodes the grid would have.
        nodes: u128,
        /// Nodes per axis.
        shape: Vec<u128>,
        /// The limit, [`crate::numerics::grid::MAX_GRID_NODES`].
        limit: usize,
        /// Memory the limit corresponds to.
        megabytes: usize,
    },
    /// Mirror walls need the kernel support to fit in the domain.
    #[error(
        "mirror walls need the kernel cut-off radius ({cutoff}) to be at most the domain width \
         along every axis, but along axis {axis} the width is {width}; reduce epsilon or use \
         open walls"
    )]
    MirrorTooWide {
        /// Axis index.
        axis: usize,
        /// Cut-off radius c·ε.
        cutoff: f64,
        /// Domain width along the axis.
        width: f64,
    },
}

/// Result alias of the numerical core.
pub type Result<T> = std::result::Result<T, NumericsError>;

/// Checks that `value` is finite and strictly positive.
pub fn positive(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(NumericsError::NotPositive { name, value })
    }
}

/// Checks that `value` is finite and non-negative.
pub fn non_negative(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(NumericsError::Negative { name, value })
    }
}
