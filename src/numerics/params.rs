//! Automatic parameters (METHOD.md §4): the kernel width ε from the number of agents and the
//! target, the grid spacing from ε, and the stable time step from the pressure.

use super::energy::{Boundary, ProblemConfig, rasterise};
use super::error::{NumericsError, Result};
use super::geometry::FreeSpace;
use super::grid::{Grid, MAX_GRID_NODES};

/// Automatic ε in units of the agent spacing h; METHOD.md recommends 2h–4h.
pub const EPSILON_PER_SPACING: f64 = 2.5;
/// The smallest automatic ε in units of h: below about 2h the coverage ripples and agents can
/// settle in stacks (a neighbour cage holds two agents more strongly than they repel).
pub const MIN_EPSILON_PER_SPACING: f64 = 2.0;
/// Automatic grid spacing is ε divided by this (METHOD.md: Δx ≤ ε/3).
pub const CELLS_PER_EPSILON: f64 = 3.0;
/// Nodes of the provisional grid used to measure the target before ε is known.
const PROBE_NODES: usize = 1 << 18;

/// Expected agent spacing on the target, h = (m̄/ρ̃)^(1/d) (length), with m̄ = M/N the mean agent
/// mass and ρ̃ = ∫ρ̄² / ∫ρ̄ the mass-weighted mean target density.
///
/// The target is sampled on a provisional grid of about max(64·N, 4096) nodes, at most 2¹⁸.
///
/// # Errors
///
/// If obstacles cover the domain, or the target has no mass in free space or is negative or
/// non-finite somewhere.
pub fn agent_spacing<const D: usize>(
    config: &ProblemConfig<D>,
    free: &FreeSpace<D>,
    target: &dyn Fn(&[f64; D]) -> f64,
    agents: usize,
    total_mass: f64,
) -> Result<f64> {
    let volume: f64 = (0..D).map(|k| config.hi[k] - config.lo[k]).product();
    let nodes = (64 * agents).clamp(4096, PROBE_NODES.min(MAX_GRID_NODES)) as f64;
    let probe = Grid::covering(config.lo, config.hi, (volume / nodes).powf(1.0 / D as f64))?;
    if !probe.nodes().any(|x| free.is_free(&x)) {
        return Err(NumericsError::DomainCovered);
    }
    let raster = rasterise(&probe, free, target, 1)?;
    let (sum, sum_sq) = raster
        .iter()
        .fold((0.0, 0.0), |(s, q), &r| (s + r, q + r * r));
    if sum.is_nan() || sum <= 0.0 {
        return Err(NumericsError::EmptyTarget {
            mass: sum * probe.cell_volume(),
        });
    }
    // Normalised density ρ̄ = r·M/(Σr·Δ); ρ̃ = Σρ̄²/Σρ̄.
    let typical = sum_sq / sum * total_mass / (sum * probe.cell_volume());
    Ok((total_mass / agents as f64 / typical).powf(1.0 / D as f64))
}

/// Automatic ε = 2.5·h, reduced towards the configured cap (half the smallest target
/// feature) but not below 2h, and for mirror walls so that the cut-off c·ε fits inside the
/// domain (a few agents in a small box would otherwise ask for a kernel wider than the box).
/// Returns ε and the rule that set it, in words.
pub fn auto_epsilon<const D: usize>(
    config: &ProblemConfig<D>,
    agent_spacing: f64,
) -> (f64, String) {
    let mut epsilon = EPSILON_PER_SPACING * agent_spacing;
    let mut rule = format!("automatic: {EPSILON_PER_SPACING} × agent spacing");
    if let Some(cap) = config.epsilon_cap.filter(|cap| *cap < epsilon) {
        let least = MIN_EPSILON_PER_SPACING * agent_spacing;
        if cap >= least {
            epsilon = cap;
            rule = String::from("automatic, capped at half the smallest target feature");
        } else {
            epsilon = least;
            let more = (least / cap).powi(D as i32);
            rule = format!(
                "automatic: {MIN_EPSILON_PER_SPACING} × agent spacing; the smallest target feature \
                 asks for at most {cap:.3}, which needs about {more:.1} times as many agents"
            );
        }
    }
    let narrowest = (0..D)
        .map(|k| config.hi[k] - config.lo[k])
        .fold(f64::INFINITY, f64::min);
    if config.boundary == Boundary::Mirror && config.cutoff * epsilon > narrowest {
        epsilon = narrowest / config.cutoff;
        rule = String::from("automatic, capped so the kernel fits between mirror walls");
    }
    (epsilon, rule)
}

/// Time step for explicit Euler at half its stability limit, e·ε²/max g (METHOD.md §4), where
/// `max_pressure` is max_q u_q/ρ̄_q.
pub fn stable_time_step(epsilon: f64, max_pressure: f64) -> f64 {
    std::f64::consts::E * epsilon * epsilon / max_pressure.max(f64::MIN_POSITIVE)
}
