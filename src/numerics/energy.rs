//! The discrete problem: kernel, grid, rasterised target, walls and obstacles, and the discrete
//! energy they define,
//!
//! ```text
//! E_h(X) = ½ Σ_q Δ · u_q² / ρ̄_q + Σ_i m_i V(X_i),   u_q = Σ_j m_j K(x_q, X_j),
//! ```
//!
//! with Δ the cell volume, K the blob kernel (with mirror images at the walls when asked) and
//! V = (κ/2)·dist(x, free space)² the confinement potential.

use super::error::{NumericsError, Result, non_negative, positive};
use super::geometry::{FreeSpace, Shape};
use super::grid::Grid;
use super::kernel::{DEFAULT_CUTOFF, DEFAULT_TAPER_WIDTH, Mollifier};
use super::params;

/// How the walls of the domain box act on the swarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Boundary {
    /// Exact no-flux walls: each blob is reflected in every wall (METHOD.md §5.4). The grid covers
    /// the domain only. Needs the cut-off radius c·ε to fit inside the domain.
    #[default]
    Mirror,
    /// No images: the grid extends c·ε beyond the walls, where the target is 0 (floored), and
    /// the confinement potential pushes agents back in.
    Open,
}

/// The user's choices for a problem; `None` means "derive automatically".
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemConfig<const D: usize> {
    /// Lower corner of the domain box (length).
    pub lo: [f64; D],
    /// Upper corner of the domain box (length).
    pub hi: [f64; D],
    /// Wall model.
    pub boundary: Boundary,
    /// Kernel width ε (length); automatic: 2.5 × the agent spacing on the target.
    pub epsilon: Option<f64>,
    /// Grid spacing (length); automatic: ε/3.
    pub spacing: Option<f64>,
    /// Floor δ on ρ̄ as a fraction of the mean target density M/|free space|; default 0.05.
    pub floor: f64,
    /// Value of ρ̄ inside obstacles, as a fraction of the mean target density; default 0.25.
    /// It sets what blob tails reaching into an obstacle cost. The free-space floor (0.05)
    /// would make every gap narrower than a few ε a barrier; the mean density (1) makes the
    /// obstacle look like free room, and agents press onto its boundary. At 0.25 agents keep a
    /// clearance of about ε and gaps of 3ε pass. Agents are kept out of obstacles by the
    /// confinement potential and the projection either way.
    pub obstacle_floor: f64,
    /// Confinement strength κ·ε² (dimensionless); default 10.
    pub confinement: f64,
    /// Kernel cut-off in units of ε; default 5.
    pub cutoff: f64,
    /// Drive the coverage φ_ε∗ρᴺ towards φ_ε∗ρ̄ instead of ρ̄ (default false). The energy is
    /// then smallest when the agents themselves are distributed like ρ̄, so sharp edges and
    /// features narrower than ε no longer squeeze agents into lines; the reference solutions
    /// of METHOD.md use the unsmoothed target.
    pub smooth_target: bool,
    /// Target samples per cell and axis when rasterising (default 1: the value at the node).
    /// Use 3 or more for shapes with sharp edges.
    pub subsamples: usize,
    /// Largest automatic ε (length), e.g. half the smallest feature of the target: a kernel wider
    /// than a feature cannot resolve it and squeezes the agents onto its centre line.
    pub epsilon_cap: Option<f64>,
}

impl<const D: usize> ProblemConfig<D> {
    /// Defaults on the box [lo, hi] with mirror walls.
    pub fn new(lo: [f64; D], hi: [f64; D]) -> Self {
        Self {
            lo,
            hi,
            boundary: Boundary::Mirror,
            epsilon: None,
            spacing: None,
            floor: 0.05,
            obstacle_floor: 0.25,
            confinement: 10.0,
            cutoff: DEFAULT_CUTOFF,
            epsilon_cap: None,
            subsamples: 1,
            smooth_target: false,
        }
    }
}

/// The parameters a problem ended up using, for reporting to the user.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedParameters {
    /// Kernel width ε in use (length).
    pub epsilon: f64,
    /// Whether ε was derived automatically.
    pub epsilon_auto: bool,
    /// How ε was chosen, in words.
    pub epsilon_rule: String,
    /// Expected agent spacing h = (m/ρ̄)^(1/d) on the target (length).
    pub agent_spacing: f64,
    /// Grid spacing per axis (length).
    pub spacing: Vec<f64>,
    /// Whether the grid spacing was derived automatically.
    pub spacing_auto: bool,
    /// Grid nodes per axis.
    pub shape: Vec<usize>,
    /// Floor δ on the target density (mass/lengthᵈ).
    pub floor_density: f64,
    /// Confinement strength κ (1/length²).
    pub kappa: f64,
}

/// Everything fixed while the swarm moves: the discrete energy's ingredients.
#[derive(Debug)]
pub struct Problem<const D: usize> {
    kernel: Mollifier,
    grid: Grid<D>,
    boundary: Boundary,
    free: FreeSpace<D>,
    kappa: f64,
    target: Vec<f64>,
    /// The target as given, before smoothing and folding (for display).
    painted: Vec<f64>,
    inv_target: Vec<f64>,
    total_mass: f64,
    derived: DerivedParameters,
    /// Per node inside an obstacle: (node, range in `fold_targets`) — the free nodes around its
    /// mirror image across the boundary that receive what the node holds.
    folds: Vec<(usize, std::ops::Range<usize>)>,
    /// (free node, weight) of every fold; the weights of one fold sum to 1.
    fold_targets: Vec<(usize, f64)>,
    /// Unique per constructed problem, so evaluators can tell problems apart.
    id: u64,
}

/// Source of [`Problem::id`].
static NEXT_PROBLEM_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl<const D: usize> Problem<D> {
    /// Builds the problem for `agents` agents of total mass `total_mass` steering towards the
    /// (unnormalised) density `target`, on the domain and with the choices in `config`.
    ///
    /// The target is sampled at the grid nodes in free space, set to 0 elsewhere, scaled to
    /// integrate to `total_mass`, and floored at δ for the energy weights 1/ρ̄.
    ///
    /// Cost O(M) target evaluations for M grid nodes (twice when ε is automatic).
    ///
    /// # Errors
    ///
    /// A bad domain, a non-positive ε, spacing, floor or mass, a target that is negative, not
    /// finite or has no mass in free space, obstacles covering the domain, a grid over
    /// [`super::grid::MAX_GRID_NODES`], or mirror walls narrower than the kernel.
    pub fn new(
        config: &ProblemConfig<D>,
        obstacles: Vec<Box<dyn Shape<D>>>,
        target: &dyn Fn(&[f64; D]) -> f64,
        agents: usize,
        total_mass: f64,
    ) -> Result<Self> {
        if agents == 0 {
            return Err(NumericsError::NoAgents);
        }
        positive("total agent mass", total_mass)?;
        positive("floor", config.floor)?;
        positive("obstacle floor", config.obstacle_floor)?;
        non_negative("confinement", config.confinement)?;
        check_domain(config)?;
        let mut free = FreeSpace::new(config.lo, config.hi, obstacles);

        // Kernel width: given, or from the agent spacing on the target.
        let agent_spacing = params::agent_spacing(config, &free, target, agents, total_mass)?;
        let (epsilon, epsilon_rule) = match config.epsilon {
            Some(eps) => (positive("epsilon", eps)?, String::from("set by the user")),
            None => params::auto_epsilon(config, agent_spacing),
        };
        let kernel = Mollifier::new(epsilon, config.cutoff, DEFAULT_TAPER_WIDTH)?;

        // Grid over the domain, or over the domain grown by the cut-off for open walls.
        let spacing = match config.spacing {
            Some(dx) => positive("grid spacing", dx)?,
            None => epsilon / params::CELLS_PER_EPSILON,
        };
        let pad = match config.boundary {
            Boundary::Mirror => 0.0,
            Boundary::Open => kernel.cutoff(),
        };
        let grid = Grid::covering(
            config.lo.map(|a| a - pad),
            config.hi.map(|b| b + pad),
            spacing,
        )?;
        if config.boundary == Boundary::Mirror {
            check_mirror_fits(config, kernel.cutoff())?;
        }
        free.set_samples(grid.nodes());
        if free.free_samples() == 0 {
            return Err(NumericsError::DomainCovered);
        }

        // Target: sampled in free space, normalised to the agents' mass, floored for 1/ρ̄.
        let raster = rasterise(&grid, &free, target, config.subsamples)?;
        let free_volume = free.free_samples() as f64 * grid.cell_volume();
        let floor_density = config.floor * total_mass / free_volume;
        let obstacle_density = config.obstacle_floor * total_mass / free_volume;
        let kappa = config.confinement / (epsilon * epsilon);
        let derived = DerivedParameters {
            epsilon,
            epsilon_auto: config.epsilon.is_none(),
            epsilon_rule,
            agent_spacing,
            spacing: grid.spacing().to_vec(),
            spacing_auto: config.spacing.is_none(),
            shape: grid.shape().to_vec(),
            floor_density,
            kappa,
        };
        let mut problem = Self {
            kernel,
            grid,
            boundary: config.boundary,
            free,
            kappa,
            target: Vec::new(),
            painted: Vec::new(),
            inv_target: Vec::new(),
            total_mass,
            derived,
            folds: Vec::new(),
            fold_targets: Vec::new(),
            id: NEXT_PROBLEM_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        problem.build_folds();
        let mut steered = if config.smooth_target {
            problem.smoothed(&raster)
        } else {
            raster.clone()
        };
        problem.fold(&mut steered);
        problem.set_target(steered, obstacle_density)?;
        problem.painted = normalised(raster, problem.grid.cell_volume(), total_mass);
        Ok(problem)
    }

    /// Stores the target normalised to the agents' mass, and the energy weights 1/max(ρ̄, δ),
    /// or 1/δ_obstacle inside obstacles.
    fn set_target(&mut self, mut raster: Vec<f64>, obstacle_density: f64) -> Result<()> {
        let volume = self.grid.cell_volume();
        let mass: f64 = raster.iter().sum::<f64>() * volume;
        if mass.is_nan() || mass <= 0.0 {
            return Err(NumericsError::EmptyTarget { mass });
        }
        raster.iter_mut().for_each(|r| *r *= self.total_mass / mass);
        let floor = self.derived.floor_density;
        let free = &self.free;
        self.inv_target = raster
            .iter()
            .zip(self.grid.nodes())
            .map(|(&r, x)| {
                let blocked = free.in_domain(&x) && !free.is_free(&x);
                1.0 / if blocked {
                    obstacle_density
                } else {
                    r.max(floor)
                }
            })
            .collect();
        self.target = raster;
        Ok(())
    }

    /// φ_ε∗`raster` (with the walls' mirror images), folded out of obstacles (what the blur
    /// carried into an obstacle is reflected back, not lost) and set to 0 outside free space.
    fn smoothed(&self, raster: &[f64]) -> Vec<f64> {
        let mut blurred = self.convolve(raster);
        self.fold(&mut blurred);
        for (value, x) in blurred.iter_mut().zip(self.grid.nodes()) {
            if !self.free.is_free(&x) {
                *value = 0.0;
            }
        }
        blurred
    }

    /// φ_ε∗`field` on the grid, with the walls' mirror images. Separable: one pass of 1D
    /// kernel windows per axis, cost O(M·D·2r_c/Δx).
    fn convolve(&self, field: &[f64]) -> Vec<f64> {
        let grid = &self.grid;
        let (shape, strides) = (grid.shape(), grid.strides());
        let reach = self.kernel.cutoff();
        let mut field = field.to_vec();
        let mut next = vec![0.0; field.len()];
        let (mut values, mut slopes) = (Vec::new(), Vec::new());
        for axis in 0..D {
            let dx = grid.spacing()[axis];
            // Kernel row of every node along this axis: ψ(x_j − x_i) for the nodes j in reach.
            let rows: Vec<(std::ops::Range<usize>, Vec<f64>)> = (0..shape[axis])
                .map(|i| {
                    let x = grid.coordinate(axis, i);
                    let range = grid.nodes_between(axis, x - reach, x + reach);
                    values.resize(range.len(), 0.0);
                    slopes.resize(range.len(), 0.0);
                    self.axis_window(axis, range.clone(), x, &mut values, &mut slopes);
                    (range, values.iter().map(|v| v * dx).collect())
                })
                .collect();
            for (flat, out) in next.iter_mut().enumerate() {
                let i = (flat / strides[axis]) % shape[axis];
                let base = flat - i * strides[axis];
                let (range, weights) = &rows[i];
                *out = range
                    .clone()
                    .zip(weights)
                    .map(|(j, w)| w * field[base + j * strides[axis]])
                    .sum();
            }
            std::mem::swap(&mut field, &mut next);
        }
        field
    }

    /// An identifier no other problem of this process has.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The blob kernel's one-dimensional factor.
    pub fn kernel(&self) -> &Mollifier {
        &self.kernel
    }

    /// The quadrature grid.
    pub fn grid(&self) -> &Grid<D> {
        &self.grid
    }

    /// The wall model.
    pub fn boundary(&self) -> Boundary {
        self.boundary
    }

    /// Free space: domain and obstacles.
    pub fn free_space(&self) -> &FreeSpace<D> {
        &self.free
    }

    /// The normalised target ρ̄_q at every grid node (0 outside free space), integrating to the
    /// agents' total mass.
    pub fn target(&self) -> &[f64] {
        &self.target
    }

    /// The target as the user gave it, rasterised and normalised to the agents' total mass, but
    /// neither smoothed nor folded out of obstacles: what to show as "the target". The solver
    /// steers to [`Problem::target`].
    pub fn painted_target(&self) -> &[f64] {
        &self.painted
    }

    /// The energy weights 1/max(ρ̄_q, δ) at every grid node.
    pub fn inverse_target(&self) -> &[f64] {
        &self.inv_target
    }

    /// Total agent mass M the target is normalised to.
    pub fn total_mass(&self) -> f64 {
        self.total_mass
    }

    /// Confinement strength κ (1/length²).
    pub fn kappa(&self) -> f64 {
        self.kappa
    }

    /// The parameters in use, for reports.
    pub fn parameters(&self) -> &DerivedParameters {
        &self.derived
    }

    /// Kernel factor along `axis` between a node coordinate and an agent coordinate, with the
    /// mirror images for mirror walls: (ψ, ∂ψ/∂X). Both evaluators call this, so they share one
    /// discrete energy.
    #[inline]
    pub fn axis_weight(&self, axis: usize, node: f64, agent: f64) -> (f64, f64) {
        let (value, slope) = self.kernel.value_and_derivative(node - agent);
        if self.boundary == Boundary::Open {
            return (value, -slope);
        }
        // Images X' = 2a − X and 2b − X; d/dX ψ(x − X') = +ψ'(x − X').
        let lo = self.free.lo()[axis];
        let hi = self.free.hi()[axis];
        let (low_value, low_slope) = self.kernel.value_and_derivative(node + agent - 2.0 * lo);
        let (high_value, high_slope) = self.kernel.value_and_derivative(node + agent - 2.0 * hi);
        (
            value + low_value + high_value,
            -slope + low_slope + high_slope,
        )
    }

    /// The kernel factors of [`Problem::axis_weight`] for the contiguous nodes `range` along
    /// `axis`, written to `values` and `slopes` (both of the range's length), computed with the
    /// three-exponential recurrence of [`Mollifier::add_window`]. Mirror images are added only
    /// for agents within the cut-off of a wall.
    pub fn axis_window(
        &self,
        axis: usize,
        range: std::ops::Range<usize>,
        agent: f64,
        values: &mut [f64],
        slopes: &mut [f64],
    ) {
        values.fill(0.0);
        slopes.fill(0.0);
        let step = self.grid.spacing()[axis];
        let first = self.grid.coordinate(axis, range.start);
        self.kernel
            .add_window(first - agent, step, 1.0, values, slopes);
        if self.boundary == Boundary::Open {
            return;
        }
        // Images X' = 2w − X: offsets x − X' = x + X − 2w, and ∂/∂X flips sign.
        let reach = self.kernel.cutoff();
        for wall in [self.free.lo()[axis], self.free.hi()[axis]] {
            if (agent - wall).abs() < reach {
                self.kernel
                    .add_window(first + agent - 2.0 * wall, step, -1.0, values, slopes);
            }
        }
    }

    /// Grid part of the energy, ½ Σ_q Δ·(F u)_q²/ρ̄_q, with F the fold of [`Problem::fold`]
    /// applied to `coverage` in place, and the pressure Fᵀ(F u/ρ̄) written into `pressure`.
    /// Folding and unfolding are each other's transposes, so velocities gathered from this
    /// pressure stay the exact gradient of this energy.
    pub fn grid_energy(&self, coverage: &mut [f64], pressure: &mut [f64]) -> f64 {
        self.fold(coverage);
        let mut sum = 0.0;
        for ((g, &u), &w) in pressure
            .iter_mut()
            .zip(coverage.iter())
            .zip(&self.inv_target)
        {
            *g = u * w;
            sum += u * *g;
        }
        for (inside, targets) in &self.folds {
            pressure[*inside] = self.fold_targets[targets.clone()]
                .iter()
                .map(|&(t, w)| w * pressure[t])
                .sum();
        }
        0.5 * sum * self.grid.cell_volume()
    }

    /// Moves what a field holds at nodes inside obstacles to the free nodes around their
    /// mirror image across the obstacle's boundary (multilinear weights, so the reflected field
    /// is as smooth as the original): blob tails reaching into an obstacle are reflected back,
    /// as the mirror walls do for the domain box, so obstacles neither attract nor repel agents
    /// and a grid field keeps its mass in free space. Cost O(2ᴰ) per node inside an obstacle.
    pub fn fold(&self, field: &mut [f64]) {
        for (inside, targets) in &self.folds {
            let value = std::mem::take(&mut field[*inside]);
            for &(t, w) in &self.fold_targets[targets.clone()] {
                field[t] += w * value;
            }
        }
    }

    /// For every in-domain node inside an obstacle: the free grid nodes around its mirror image
    /// 2P(x) − x with multilinear weights renormalised over the free ones, or, when none is
    /// free (or the image leaves the domain), the free node nearest to its projection P(x).
    fn build_folds(&mut self) {
        let (grid, free) = (&self.grid, &self.free);
        let (lo, spacing, shape, strides) =
            (grid.lo(), grid.spacing(), grid.shape(), grid.strides());
        for q in 0..grid.len() {
            let x = grid.node(q);
            if !free.in_domain(&x) || free.is_free(&x) {
                continue;
            }
            let p = free.project(&x);
            let image: [f64; D] = std::array::from_fn(|k| 2.0 * p[k] - x[k]);
            let start = self.fold_targets.len();
            if free.in_domain(&image) {
                // Corners of the cell of nodes around the image, with multilinear weights.
                let base: [f64; D] = std::array::from_fn(|k| (image[k] - lo[k]) / spacing[k] - 0.5);
                for corner in 0..1usize << D {
                    let mut node = 0;
                    let mut weight = 1.0;
                    for k in 0..D {
                        let i = base[k].floor() + ((corner >> k) & 1) as f64;
                        let t = base[k] - base[k].floor();
                        weight *= if (corner >> k) & 1 == 1 { t } else { 1.0 - t };
                        if i < 0.0 || i >= shape[k] as f64 {
                            weight = 0.0;
                            break;
                        }
                        node += i as usize * strides[k];
                    }
                    if weight > 0.0 && free.is_free(&grid.node(node)) {
                        self.fold_targets.push((node, weight));
                    }
                }
            }
            let total: f64 = self.fold_targets[start..].iter().map(|t| t.1).sum();
            if total > 1e-9 {
                self.fold_targets[start..]
                    .iter_mut()
                    .for_each(|t| t.1 /= total);
            } else {
                self.fold_targets.truncate(start);
                let nearest = grid.nearest_node(&p);
                if !free.is_free(&grid.node(nearest)) {
                    continue;
                }
                self.fold_targets.push((nearest, 1.0));
            }
            self.folds.push((q, start..self.fold_targets.len()));
        }
    }

    /// Confinement energy Σ_i m_i V(X_i); when `velocities` is given, −∇V(X_i) is added to it.
    pub fn confinement_energy(
        &self,
        positions: &[[f64; D]],
        masses: &[f64],
        mut velocities: Option<&mut [[f64; D]]>,
    ) -> f64 {
        let mut energy = 0.0;
        for (i, (x, m)) in positions.iter().zip(masses).enumerate() {
            let (v, grad) = self.free.confinement(x, self.kappa);
            energy += m * v;
            if let Some(out) = velocities.as_deref_mut() {
                (0..D).for_each(|k| out[i][k] -= grad[k]);
            }
        }
        energy
    }
}

fn check_domain<const D: usize>(config: &ProblemConfig<D>) -> Result<()> {
    for axis in 0..D {
        let (lo, hi) = (config.lo[axis], config.hi[axis]);
        if !(lo.is_finite() && hi.is_finite() && hi > lo) {
            return Err(NumericsError::EmptyDomain { axis, lo, hi });
        }
    }
    Ok(())
}

fn check_mirror_fits<const D: usize>(config: &ProblemConfig<D>, cutoff: f64) -> Result<()> {
    for axis in 0..D {
        let width = config.hi[axis] - config.lo[axis];
        if cutoff > width {
            return Err(NumericsError::MirrorTooWide {
                axis,
                cutoff,
                width,
            });
        }
    }
    Ok(())
}

/// `raster` scaled to integrate to `total_mass` over cells of `cell_volume` (unchanged if it
/// holds no mass).
fn normalised(mut raster: Vec<f64>, cell_volume: f64, total_mass: f64) -> Vec<f64> {
    let mass: f64 = raster.iter().sum::<f64>() * cell_volume;
    if mass > 0.0 {
        raster.iter_mut().for_each(|r| *r *= total_mass / mass);
    }
    raster
}

/// The target averaged over every cell of `grid` from `samples`ᴰ points per cell (1: the node
/// value), counting only points in free space. Averaging makes the raster of a shape with sharp
/// edges proportional to the area it covers in each cell, so shapes sharing an edge tile
/// without a gap.
pub(crate) fn rasterise<const D: usize>(
    grid: &Grid<D>,
    free: &FreeSpace<D>,
    target: &dyn Fn(&[f64; D]) -> f64,
    samples: usize,
) -> Result<Vec<f64>> {
    let samples = samples.max(1);
    let per_cell = samples.pow(D as u32);
    let spacing = grid.spacing();
    grid.nodes()
        .map(|node| {
            let mut sum = 0.0;
            for s in 0..per_cell {
                let x: [f64; D] = std::array::from_fn(|k| {
                    let i = (s / samples.pow(k as u32)) % samples;
                    node[k] + ((i as f64 + 0.5) / samples as f64 - 0.5) * spacing[k]
                });
                if !free.is_free(&x) {
                    continue;
                }
                let value = target(&x);
                if !(value.is_finite() && value >= 0.0) {
                    return Err(NumericsError::BadTargetValue {
                        position: x.to_vec(),
                        value,
                    });
                }
                sum += value;
            }
            Ok(sum / per_cell as f64)
        })
        .collect()
}
