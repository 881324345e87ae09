//! Quality measures of a swarm against its target (METHOD.md §7).
//!
//! All field measures are computed on the problem's grid and normalised to unit mass, so that
//! they compare across swarms of any total mass: L1 = 0 means the coverage field equals the
//! target, L1 = 2 means they do not overlap.

use std::num::NonZero;

use kiddo::{ImmutableKdTree, SquaredEuclidean};

use super::energy::Problem;
use super::geometry::distance_squared;

/// Grid-based measures of the coverage field u = φ_ε∗ρᴺ against the target ρ̄.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldMetrics {
    /// χ² gap Σ_q Δ·(u_q − ρ̄_q)²/max(ρ̄_q, δ) / M: twice the energy gap, per unit mass.
    pub chi2: f64,
    /// L1 error Σ_q Δ·|u_q − ρ̄_q| / M.
    pub l1: f64,
    /// L2 error (Σ_q Δ·(u_q − ρ̄_q)²)^(1/2) / M (1/length^(d/2)).
    pub l2: f64,
}

/// χ², L1 and L2 of the coverage field `coverage` (as left by an evaluator) against the target.
/// Cost O(M).
pub fn field_metrics<const D: usize>(problem: &Problem<D>, coverage: &[f64]) -> FieldMetrics {
    let (mut chi2, mut l1, mut l2) = (0.0, 0.0, 0.0);
    let weights = problem.inverse_target();
    for ((&u, &r), &w) in coverage.iter().zip(problem.target()).zip(weights) {
        let diff = u - r;
        chi2 += diff * diff * w;
        l1 += diff.abs();
        l2 += diff * diff;
    }
    let volume = problem.grid().cell_volume();
    let mass = problem.total_mass();
    FieldMetrics {
        chi2: chi2 * volume / mass,
        l1: l1 * volume / mass,
        l2: (l2 * volume).sqrt() / mass,
    }
}

/// Locational (Lloyd) coverage cost H = ∫ minᵢ |x − Xᵢ|² ρ̄(x) dx / M (length²), on the grid.
/// Cost O(M log N) with a k-d tree.
pub fn coverage_cost<const D: usize>(problem: &Problem<D>, positions: &[[f64; D]]) -> f64 {
    let tree: ImmutableKdTree<f64, D> = ImmutableKdTree::new_from_slice(positions);
    let grid = problem.grid();
    let sum: f64 = problem
        .target()
        .iter()
        .enumerate()
        .filter(|(_, r)| **r > 0.0)
        .map(|(q, r)| r * tree.nearest_one::<SquaredEuclidean>(&grid.node(q)).distance)
        .sum();
    sum * grid.cell_volume() / problem.total_mass()
}

/// Smallest distance between two agents (length); infinity for a single agent.
/// Cost O(N log N) with a k-d tree.
pub fn min_spacing<const D: usize>(positions: &[[f64; D]]) -> f64 {
    if positions.len() < 2 {
        return f64::INFINITY;
    }
    let tree: ImmutableKdTree<f64, D> = ImmutableKdTree::new_from_slice(positions);
    let two = NonZero::new(2).expect("2 is not zero");
    positions
        .iter()
        .map(|x| {
            let pair = tree.nearest_n::<SquaredEuclidean>(x, two);
            pair.iter().map(|n| n.distance).fold(0.0, f64::max)
        })
        .fold(f64::INFINITY, f64::min)
        .sqrt()
}

/// Exact W2 distance in 1D between the agents and the target, taken as piecewise constant on
/// the grid cells: W2² = ∫₀¹ |F_agents⁻¹(s) − F_target⁻¹(s)|² ds, both normalised to unit mass.
/// Cost O(N log N + M).
pub fn w2_exact_1d(problem: &Problem<1>, positions: &[[f64; 1]], masses: &[f64]) -> f64 {
    let grid = problem.grid();
    let dx = grid.spacing()[0];
    let agent_mass: f64 = masses.iter().sum();
    let target_mass: f64 = problem.target().iter().sum::<f64>() * dx;
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by(|&i, &j| positions[i][0].total_cmp(&positions[j][0]));

    let cells: Vec<(f64, f64)> = problem
        .target()
        .iter()
        .enumerate()
        .filter(|(_, r)| **r > 0.0)
        .map(|(q, r)| (grid.coordinate(0, q) - 0.5 * dx, r * dx / target_mass))
        .collect();
    let (mut cell, mut left, mut cell_rest) = (0, cells[0].0, cells[0].1);
    let mut total = 0.0;
    for &i in &order {
        let x = positions[i][0];
        let mut rest = masses[i] / agent_mass;
        while rest > 1e-15 && cell < cells.len() {
            // Within a cell the target quantile runs linearly from `left` to `right`.
            let take = rest.min(cell_rest);
            let density = cells[cell].1 / dx;
            let right = left + take / density;
            let (a, b) = (x - left, x - right);
            total += take * (a * a + a * b + b * b) / 3.0;
            rest -= take;
            cell_rest -= take;
            left = right;
            if cell_rest <= 1e-15 {
                cell += 1;
                if let Some(&(edge, mass)) = cells.get(cell) {
                    (left, cell_rest) = (edge, mass);
                }
            }
        }
    }
    total.sqrt()
}

/// Result of [`sinkhorn_w2`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SinkhornW2 {
    /// √⟨P, C⟩ for the entropic plan P: an upper bound of W2 between the two point sets.
    pub w2: f64,
    /// A lower bound of W2: √(⟨P, C⟩ − reg·min(H(a), H(b))), H the Shannon entropies.
    pub lower: f64,
    /// Σᵢ |Σⱼ Pᵢⱼ − aᵢ| at the end: how far the plan is from the first marginal.
    pub marginal_error: f64,
    /// Sinkhorn iterations performed.
    pub iterations: usize,
}

/// W2 between two weighted point sets by entropic optimal transport (log-domain Sinkhorn with
/// ε-scaling), with regularisation `reg` (length²).
///
/// Accuracy: for the exact entropic plan, W2² ≤ ⟨P, C⟩ ≤ W2² + reg·min(H(a), H(b)) (H the
/// entropy of the weights, at most log N), so the result brackets W2 between `lower` and `w2`;
/// `marginal_error` says how far from exact the plan is. Cost O(N·M) per iteration.
pub fn sinkhorn_w2<const D: usize>(
    a: (&[[f64; D]], &[f64]),
    b: (&[[f64; D]], &[f64]),
    reg: f64,
) -> SinkhornW2 {
    let log_a = log_weights(a.1);
    let log_b = log_weights(b.1);
    let (mut f, mut g) = (vec![0.0; a.0.len()], vec![0.0; b.0.len()]);
    let diameter = bounding_diameter_squared(a.0, b.0);
    let mut level = diameter.max(reg);
    let mut iterations = 0;
    let mut marginal_error = f64::INFINITY;
    loop {
        let last = level <= reg;
        for sweep in 0..2000 {
            soft_min(&mut f, a.0, b.0, &g, &log_b, level);
            soft_min(&mut g, b.0, a.0, &f, &log_a, level);
            iterations += 1;
            if sweep % 5 == 4 || !last {
                marginal_error = row_error(a, b.0, &f, &g, &log_b, level);
                if marginal_error < if last { 1e-6 } else { 1e-4 } {
                    break;
                }
            }
        }
        if last {
            break;
        }
        level = (level * 0.5).max(reg);
    }
    let cost = plan_cost(a.0, b.0, &f, &g, (&log_a, &log_b), reg);
    let entropy = entropy(&log_a).min(entropy(&log_b));
    SinkhornW2 {
        w2: cost.sqrt(),
        lower: (cost - reg * entropy).max(0.0).sqrt(),
        marginal_error,
        iterations,
    }
}

fn log_weights(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| (w / total).ln()).collect()
}

fn entropy(log_w: &[f64]) -> f64 {
    -log_w.iter().map(|l| l.exp() * l).sum::<f64>()
}

fn bounding_diameter_squared<const D: usize>(a: &[[f64; D]], b: &[[f64; D]]) -> f64 {
    let mut lo = [f64::INFINITY; D];
    let mut hi = [f64::NEG_INFINITY; D];
    for x in a.iter().chain(b) {
        for k in 0..D {
            lo[k] = lo[k].min(x[k]);
            hi[k] = hi[k].max(x[k]);
        }
    }
    distance_squared(&lo, &hi)
}

/// out_i = −reg·log Σ_j exp(log_w_j + (pot_j − |x_i − y_j|²)/reg), stabilised.
fn soft_min<const D: usize>(
    out: &mut [f64],
    xs: &[[f64; D]],
    ys: &[[f64; D]],
    pot: &[f64],
    log_w: &[f64],
    reg: f64,
) {
    for (o, x) in out.iter_mut().zip(xs) {
        let terms = ys.iter().zip(pot).zip(log_w);
        let exponent =
            |((y, p), l): ((&[f64; D], &f64), &f64)| l + (p - distance_squared(x, y)) / reg;
        let peak = terms
            .clone()
            .map(exponent)
            .fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = terms.map(|t| (exponent(t) - peak).exp()).sum();
        *o = -reg * (peak + sum.ln());
    }
}

fn row_error<const D: usize>(
    a: (&[[f64; D]], &[f64]),
    ys: &[[f64; D]],
    f: &[f64],
    g: &[f64],
    log_b: &[f64],
    reg: f64,
) -> f64 {
    let total: f64 = a.1.iter().sum();
    let mut error = 0.0;
    for ((x, w), fi) in a.0.iter().zip(a.1).zip(f) {
        let row: f64 = ys
            .iter()
            .zip(g)
            .zip(log_b)
            .map(|((y, gj), lb)| (lb + (fi + gj - distance_squared(x, y)) / reg).exp())
            .sum();
        error += w / total * (row - 1.0).abs();
    }
    error
}

fn plan_cost<const D: usize>(
    xs: &[[f64; D]],
    ys: &[[f64; D]],
    f: &[f64],
    g: &[f64],
    logs: (&[f64], &[f64]),
    reg: f64,
) -> f64 {
    let mut cost = 0.0;
    for ((x, fi), la) in xs.iter().zip(f).zip(logs.0) {
        for ((y, gj), lb) in ys.iter().zip(g).zip(logs.1) {
            let c = distance_squared(x, y);
            cost += (la + lb + (fi + gj - c) / reg).exp() * c;
        }
    }
    cost
}

/// The target as at most about `max_points` weighted points: grid cells merged into blocks,
/// each block's mass at its mass centroid. The merge adds an error of about the block size/√12
/// to a W2 computed against these points.
pub fn target_points<const D: usize>(
    problem: &Problem<D>,
    max_points: usize,
) -> (Vec<[f64; D]>, Vec<f64>) {
    let grid = problem.grid();
    let occupied = problem.target().iter().filter(|r| **r > 0.0).count().max(1);
    let ratio = (occupied as f64 / max_points.max(1) as f64).max(1.0);
    let block = ratio.powf(1.0 / D as f64).ceil() as usize;
    let shape = grid.shape();
    let blocks: [usize; D] = std::array::from_fn(|k| shape[k].div_ceil(block));
    let count: usize = blocks.iter().product();
    let mut sums = vec![([0.0; D], 0.0); count];
    for (q, &r) in problem
        .target()
        .iter()
        .enumerate()
        .filter(|(_, r)| **r > 0.0)
    {
        let x = grid.node(q);
        let (mut index, mut stride) = (0, 1);
        for k in 0..D {
            index += ((q / grid.strides()[k]) % shape[k]) / block * stride;
            stride *= blocks[k];
        }
        let (centroid, mass) = &mut sums[index];
        (0..D).for_each(|k| centroid[k] += r * x[k]);
        *mass += r;
    }
    sums.into_iter()
        .filter(|(_, m)| *m > 0.0)
        .map(|(c, m)| (c.map(|s| s / m), m * grid.cell_volume()))
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::ProblemConfig;

    fn uniform_square(agents: usize) -> Problem<2> {
        let config = ProblemConfig::new([0.0, 0.0], [1.0, 1.0]);
        Problem::new(&config, vec![], &|_: &[f64; 2]| 1.0, agents, 1.0).unwrap()
    }

    #[test]
    fn coverage_cost_and_spacing_match_brute_force() {
        let problem = uniform_square(50);
        let positions: Vec<[f64; 2]> = (0..50)
            .map(|i| [(i as f64 * 0.618_034) % 1.0, (i as f64 * 0.377) % 1.0])
            .collect();
        let grid = problem.grid();
        let brute: f64 = grid
            .nodes()
            .zip(problem.target())
            .map(|(x, r)| {
                r * positions
                    .iter()
                    .map(|p| distance_squared(p, &x))
                    .fold(f64::INFINITY, f64::min)
            })
            .sum::<f64>()
            * grid.cell_volume();
        let fast = coverage_cost(&problem, &positions);
        assert!((fast - brute).abs() <= 1e-12 * brute, "{fast} vs {brute}");

        let mut nearest = f64::INFINITY;
        for (i, a) in positions.iter().enumerate() {
            for b in &positions[i + 1..] {
                nearest = nearest.min(distance_squared(a, b).sqrt());
            }
        }
        assert_eq!(min_spacing(&positions), nearest);
    }

    #[test]
    fn exact_1d_w2_of_a_point_against_a_uniform_density() {
        // One agent at 0.5 against the uniform density on [0, 1]: W2² = ∫(x − ½)² dx = 1/12.
        let config = ProblemConfig::new([0.0], [1.0]);
        let problem = Problem::new(&config, vec![], &|_: &[f64; 1]| 1.0, 1, 1.0).unwrap();
        let w2 = w2_exact_1d(&problem, &[[0.5]], &[1.0]);
        assert!((w2 - (1.0f64 / 12.0).sqrt()).abs() < 1e-12, "{w2}");
        // Two agents at the quartile centres: W2² = 2 · ∫₀^½ (x − ¼)² dx = 1/48.
        let w2 = w2_exact_1d(&problem, &[[0.75], [0.25]], &[1.0, 1.0]);
        assert!((w2 - (1.0f64 / 48.0).sqrt()).abs() < 1e-12, "{w2}");
    }

    #[test]
    fn sinkhorn_brackets_a_translation_in_2d() {
        // Moving a point set by s costs exactly |s| in W2 (translation is optimal).
        let a: Vec<[f64; 2]> = (0..40)
            .map(|i| [(i as f64 * 0.618_034) % 1.0, (i as f64 * 0.754_877) % 1.0])
            .collect();
        let shift = [0.05, -0.02];
        let b: Vec<[f64; 2]> = a
            .iter()
            .map(|p| [p[0] + shift[0], p[1] + shift[1]])
            .collect();
        let weights = vec![1.0; 40];
        let result = sinkhorn_w2((&a, &weights), (&b, &weights), 1e-4);
        let exact = (shift[0] * shift[0] + shift[1] * shift[1]).sqrt();
        assert!(
            result.lower <= exact * (1.0 + 1e-3),
            "{result:?} vs {exact}"
        );
        assert!(exact <= result.w2 * (1.0 + 1e-3), "{result:?} vs {exact}");
        assert!(
            result.w2 - result.lower < 0.5 * exact,
            "the bracket is informative: {result:?}"
        );
    }

    #[test]
    fn field_metrics_vanish_on_the_target_and_grow_with_error() {
        let problem = uniform_square(10);
        let exact = field_metrics(&problem, problem.target());
        assert_eq!(
            exact,
            FieldMetrics {
                chi2: 0.0,
                l1: 0.0,
                l2: 0.0
            }
        );
        let doubled: Vec<f64> = problem.target().iter().map(|r| 2.0 * r).collect();
        let off = field_metrics(&problem, &doubled);
        assert!(
            (off.l1 - 1.0).abs() < 1e-12,
            "L1 of 2ρ̄ against ρ̄ is 1, got {}",
            off.l1
        );
        assert!(
            (off.chi2 - 1.0).abs() < 1e-12,
            "χ² of 2ρ̄ against ρ̄ is 1, got {}",
            off.chi2
        );
    }

    #[test]
    fn automatic_epsilon_follows_the_agent_spacing() {
        // 400 agents on the unit square: h = 1/20, ε = 2.5h = 0.125, Δx = ε/3.
        let problem = uniform_square(400);
        let p = problem.parameters();
        assert!((p.agent_spacing - 0.05).abs() < 1e-9, "{}", p.agent_spacing);
        assert!((p.epsilon - 0.125).abs() < 1e-9, "{}", p.epsilon);
        assert!(p.spacing.iter().all(|dx| *dx <= p.epsilon / 3.0 + 1e-12));
    }
}
