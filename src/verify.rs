//! The reference suite: the solver against analytic solutions, slow references and its own
//! guarantees (METHOD.md §6). `blobswarm verify` prints it as a table; the test suite runs
//! each case and asserts that every row passes.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use crate::numerics::geometry::{Ball, Cuboid, Shape};
use crate::numerics::metrics::{self, field_metrics};
use crate::numerics::{
    Boundary, DirectEvaluator, Evaluator, EvaluatorKind, Problem, ProblemConfig, Rk4,
    StencilEvaluator, Stepper, StepperConfig, Swarm,
};

/// One line of the verification table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Case name.
    pub case: &'static str,
    /// Resolution or variant (e.g. "N=193", "2D mirror").
    pub resolution: String,
    /// What is measured.
    pub quantity: &'static str,
    /// The measured value.
    pub value: f64,
    /// Observed order of convergence against the previous resolution, where meaningful.
    pub order: Option<f64>,
    /// The pass criterion, in words.
    pub tolerance: String,
    /// Whether the criterion holds.
    pub pass: bool,
}

/// A named verification case.
pub struct Case {
    /// Name, as accepted by `blobswarm verify --case`.
    pub name: &'static str,
    /// What it checks.
    pub about: &'static str,
    /// Runs the case.
    pub run: fn() -> Vec<Row>,
}

/// Every case, cheapest first.
pub const CASES: &[Case] = &[
    Case {
        name: "gradient",
        about: "velocity = finite differences of E_h",
        run: gradient,
    },
    Case {
        name: "stencil",
        about: "stencil evaluator = direct quadrature",
        run: stencil,
    },
    Case {
        name: "descent",
        about: "energy never rises, agents stay free",
        run: descent,
    },
    Case {
        name: "determinism",
        about: "same input, bit-identical positions",
        run: determinism,
    },
    Case {
        name: "sinkhorn",
        about: "entropic W2 brackets the exact W2",
        run: sinkhorn,
    },
    Case {
        name: "barenblatt-1d",
        about: "PME self-similar solution, 1D",
        run: barenblatt_1d,
    },
    Case {
        name: "barenblatt-2d",
        about: "PME self-similar solution, 2D",
        run: barenblatt_2d,
    },
    Case {
        name: "wpme-1d",
        about: "non-uniform target vs finite volumes",
        run: wpme_1d,
    },
    Case {
        name: "steady-2d",
        about: "steady state on the unit square",
        run: steady_2d,
    },
];

fn row(
    case: &'static str,
    resolution: impl Into<String>,
    quantity: &'static str,
    value: f64,
    tolerance: impl Into<String>,
    pass: bool,
) -> Row {
    Row {
        case,
        resolution: resolution.into(),
        quantity,
        value,
        order: None,
        tolerance: tolerance.into(),
        pass: pass && value.is_finite(),
    }
}

/// Rows for errors at refined resolutions `(label, h, error)`, each with the observed order
/// log(eₖ₋₁/eₖ)/log(hₖ₋₁/hₖ); a row passes if its order is at least `min_order`.
fn convergence_rows(
    case: &'static str,
    quantity: &'static str,
    levels: &[(String, f64, f64)],
    min_order: f64,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, (label, h, error)) in levels.iter().enumerate() {
        let order = (i > 0).then(|| {
            let (_, h0, e0) = &levels[i - 1];
            (e0 / error).ln() / (h0 / h).ln()
        });
        let pass = order.is_none_or(|p| p >= min_order);
        let mut r = row(
            case,
            label.clone(),
            quantity,
            *error,
            format!("order ≥ {min_order}"),
            pass,
        );
        r.order = order;
        rows.push(r);
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// Gradient and evaluator checks on a small non-uniform problem.

/// A non-uniform target on [0, 1]ᴰ: a Gaussian bump on a slope.
fn bumpy<const D: usize>(x: &[f64; D]) -> f64 {
    let r2: f64 = (0..D).map(|k| (x[k] - 0.4 - 0.1 * k as f64).powi(2)).sum();
    0.3 + x[0] + 2.0 * (-r2 / 0.05).exp()
}

/// A small problem on the unit box with a cube obstacle, random agents (some inside the
/// obstacle) and unequal masses.
fn small_problem<const D: usize>(boundary: Boundary, seed: u64) -> (Problem<D>, Swarm<D>) {
    let n = if D == 1 { 25 } else { 40 };
    let config = ProblemConfig {
        boundary,
        epsilon: Some(0.12),
        ..ProblemConfig::new([0.0; D], [1.0; D])
    };
    let obstacle: Box<dyn Shape<D>> = Box::new(Cuboid {
        lo: [0.72; D],
        hi: [0.9; D],
    });
    let problem = Problem::new(&config, vec![obstacle], &bumpy::<D>, n, 1.0)
        .expect("the small verification problem is valid");
    let mut rng = Pcg64::seed_from_u64(seed);
    let positions: Vec<[f64; D]> = (0..n)
        .map(|_| std::array::from_fn(|_| rng.random_range(0.03..0.97)))
        .collect();
    let weights: Vec<f64> = (0..n).map(|_| rng.random_range(0.5..1.5)).collect();
    let total: f64 = weights.iter().sum();
    let masses = weights.iter().map(|w| w / total).collect();
    (
        problem,
        Swarm::new(positions, masses).expect("finite positions and positive masses"),
    )
}

/// Largest |v − v_fd| over max |v|, with v_fd = −(1/m)·(E(X + η) − E(X − η))/2η.
fn gradient_error<const D: usize>(boundary: Boundary) -> f64 {
    let (problem, swarm) = small_problem::<D>(boundary, 7);
    let mut evaluator = StencilEvaluator::<D>::default();
    let mut velocities = vec![[0.0; D]; swarm.len()];
    evaluator.evaluate(&problem, swarm.positions(), swarm.masses(), &mut velocities);
    let eta = 1e-5;
    let mut probe = swarm.positions().to_vec();
    let (mut worst, mut scale) = (0.0f64, 0.0f64);
    for i in 0..swarm.len() {
        for k in 0..D {
            let x = probe[i][k];
            probe[i][k] = x + eta;
            let plus = evaluator.energy(&problem, &probe, swarm.masses());
            probe[i][k] = x - eta;
            let minus = evaluator.energy(&problem, &probe, swarm.masses());
            probe[i][k] = x;
            let fd = -(plus - minus) / (2.0 * eta) / swarm.masses()[i];
            worst = worst.max((fd - velocities[i][k]).abs());
            scale = scale.max(velocities[i][k].abs());
        }
    }
    worst / scale
}

fn gradient() -> Vec<Row> {
    let tolerance = "≤ 1e-7";
    let mut rows = Vec::new();
    for boundary in [Boundary::Mirror, Boundary::Open] {
        let e1 = gradient_error::<1>(boundary);
        let e2 = gradient_error::<2>(boundary);
        let label = |d| format!("{d}D {boundary:?}, N={}", if d == 1 { 25 } else { 40 });
        rows.push(row(
            "gradient",
            label(1),
            "rel. velocity error",
            e1,
            tolerance,
            e1 <= 1e-7,
        ));
        rows.push(row(
            "gradient",
            label(2),
            "rel. velocity error",
            e2,
            tolerance,
            e2 <= 1e-7,
        ));
    }
    rows
}

/// Relative differences (energy, velocity, agent pressure) between the stencil and direct
/// evaluators.
fn stencil_difference<const D: usize>(boundary: Boundary) -> [f64; 3] {
    let (problem, swarm) = small_problem::<D>(boundary, 11);
    let (positions, masses) = (swarm.positions(), swarm.masses());
    let mut fast = vec![[0.0; D]; swarm.len()];
    let mut slow = vec![[0.0; D]; swarm.len()];
    let mut stencil = StencilEvaluator::<D>::default();
    let mut direct = DirectEvaluator::default();
    let e_fast = stencil.evaluate(&problem, positions, masses, &mut fast);
    let e_slow = direct.evaluate(&problem, positions, masses, &mut slow);
    let scale = slow.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
    let pairs = fast.iter().flatten().zip(slow.iter().flatten());
    let worst = pairs.fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    let p_slow = Evaluator::<D>::agent_pressure(&direct);
    let p_fast = stencil.agent_pressure();
    [
        (e_fast - e_slow).abs() / e_slow.abs(),
        worst / scale,
        (p_fast - p_slow).abs() / p_slow,
    ]
}

fn stencil() -> Vec<Row> {
    let quantities = [
        "rel. energy difference",
        "rel. velocity difference",
        "rel. pressure difference",
    ];
    let mut rows = Vec::new();
    for boundary in [Boundary::Mirror, Boundary::Open] {
        let cases = [
            (1, stencil_difference::<1>(boundary)),
            (2, stencil_difference::<2>(boundary)),
        ];
        for (d, differences) in cases {
            for (quantity, value) in quantities.into_iter().zip(differences) {
                let label = format!("{d}D {boundary:?}");
                rows.push(row(
                    "stencil",
                    label,
                    quantity,
                    value,
                    "≤ 1e-6",
                    value <= 1e-6,
                ));
            }
        }
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// Descent with obstacles, and determinism.

/// The 2D obstacle scenario: a two-bump target, a disk and a box, agents starting in a corner
/// with a speed limit.
fn obstacle_scenario(agents: usize) -> (Problem<2>, Swarm<2>, Stepper<2>) {
    let target = |x: &[f64; 2]| {
        let bump = |c: [f64; 2], s: f64| {
            (-((x[0] - c[0]).powi(2) + (x[1] - c[1]).powi(2)) / (2.0 * s * s)).exp()
        };
        0.05 + 0.6 * bump([0.3, 0.7], 0.1) + 0.4 * bump([0.7, 0.3], 0.15)
    };
    let obstacles: Vec<Box<dyn Shape<2>>> = vec![
        Box::new(Ball {
            center: [0.5, 0.5],
            radius: 0.12,
        }),
        Box::new(Cuboid {
            lo: [0.15, 0.15],
            hi: [0.35, 0.3],
        }),
    ];
    let config = ProblemConfig::new([0.0, 0.0], [1.0, 1.0]);
    let problem = Problem::new(&config, obstacles, &target, agents, 1.0).expect("valid scenario");
    let mut rng = Pcg64::seed_from_u64(3);
    let positions = (0..agents)
        .map(|_| [rng.random_range(0.75..0.95), rng.random_range(0.75..0.95)])
        .collect();
    let swarm = Swarm::with_equal_masses(positions, 1.0).expect("valid swarm");
    let config = StepperConfig {
        max_speed: Some(20.0),
        ..StepperConfig::default()
    };
    let stepper = Stepper::new(EvaluatorKind::Stencil.build(), config).expect("valid stepper");
    (problem, swarm, stepper)
}

fn descent() -> Vec<Row> {
    let (problem, mut swarm, mut stepper) = obstacle_scenario(300);
    let (mut accepted, mut rises, mut outside, mut saturated) = (0, 0, 0, 0);
    let mut previous = f64::INFINITY;
    let mut first_l1 = None;
    while accepted < 500 {
        let report = stepper.step(&problem, &mut swarm);
        first_l1.get_or_insert_with(|| field_metrics(&problem, stepper.evaluator().coverage()).l1);
        if !report.accepted {
            break;
        }
        accepted += 1;
        rises += usize::from(
            report.energy_before > previous || report.energy_after > report.energy_before,
        );
        previous = report.energy_after;
        saturated += usize::from(report.speed_factor < 1.0);
        let free = problem.free_space();
        outside += swarm
            .positions()
            .iter()
            .filter(|x| !free.is_free(x))
            .count();
    }
    stepper.step(&problem, &mut swarm);
    let last_l1 = field_metrics(&problem, stepper.evaluator().coverage()).l1;
    let label = "N=300, 2 obstacles";
    vec![
        row(
            "descent",
            label,
            "accepted steps",
            accepted as f64,
            "≥ 500",
            accepted >= 500,
        ),
        row(
            "descent",
            label,
            "energy increases",
            rises as f64,
            "= 0",
            rises == 0,
        ),
        row(
            "descent",
            label,
            "agents outside free space",
            outside as f64,
            "= 0",
            outside == 0,
        ),
        row(
            "descent",
            label,
            "speed-limited steps",
            saturated as f64,
            "> 0 (limit exercised)",
            saturated > 0,
        ),
        row(
            "descent",
            label,
            "L1 end / L1 start",
            last_l1 / first_l1.unwrap_or(f64::NAN),
            "< 0.5",
            last_l1 < 0.5 * first_l1.unwrap_or(0.0),
        ),
    ]
}

fn determinism() -> Vec<Row> {
    let run = || {
        let (problem, mut swarm, mut stepper) = obstacle_scenario(200);
        (0..150).for_each(|_| {
            stepper.step(&problem, &mut swarm);
        });
        swarm.state_hash()
    };
    let (a, b) = (run(), run());
    vec![row(
        "determinism",
        "N=200, 150 steps",
        "differing state hashes",
        f64::from(u8::from(a != b)),
        "= 0",
        a == b,
    )]
}

// ---------------------------------------------------------------------------------------------
// W2 by Sinkhorn against the exact 1D value.

/// Exact W2 in 1D between two discrete measures (quantile coupling).
fn w2_discrete_1d(a: (&[[f64; 1]], &[f64]), b: (&[[f64; 1]], &[f64])) -> f64 {
    let sorted = |(x, w): (&[[f64; 1]], &[f64])| {
        let total: f64 = w.iter().sum();
        let mut v: Vec<(f64, f64)> = x.iter().zip(w).map(|(p, m)| (p[0], m / total)).collect();
        v.sort_by(|p, q| p.0.total_cmp(&q.0));
        v
    };
    let (a, b) = (sorted(a), sorted(b));
    let (mut i, mut j, mut ra, mut rb, mut total) = (0, 0, a[0].1, b[0].1, 0.0);
    while i < a.len() && j < b.len() {
        let take = ra.min(rb);
        total += take * (a[i].0 - b[j].0).powi(2);
        ra -= take;
        rb -= take;
        if ra <= 1e-15 {
            i += 1;
            ra = a.get(i).map_or(0.0, |p| p.1);
        }
        if rb <= 1e-15 {
            j += 1;
            rb = b.get(j).map_or(0.0, |p| p.1);
        }
    }
    total.sqrt()
}

fn sinkhorn() -> Vec<Row> {
    let config = ProblemConfig {
        epsilon: Some(0.05),
        ..ProblemConfig::new([0.0], [1.0])
    };
    let problem =
        Problem::new(&config, vec![], &|x: &[f64; 1]| 0.2 + x[0], 60, 1.0).expect("valid");
    let mut rng = Pcg64::seed_from_u64(5);
    let agents: Vec<[f64; 1]> = (0..60)
        .map(|_| [rng.random_range(0.0f64..1.0).sqrt()])
        .collect();
    let masses = vec![1.0 / 60.0; 60];
    let (points, weights) = metrics::target_points(&problem, 200);
    let exact = w2_discrete_1d((&agents, &masses), (&points, &weights));
    let result = metrics::sinkhorn_w2((&agents, &masses), (&points, &weights), 1e-5);
    let inside = result.lower <= exact * (1.0 + 1e-3) && exact <= result.w2 * (1.0 + 1e-3);
    let quantile = metrics::w2_exact_1d(&problem, &agents, &masses);
    let discretisation = (quantile - exact).abs();
    let cell = problem.grid().spacing()[0];
    vec![
        row(
            "sinkhorn",
            "1D, N=60",
            "exact W2 (discrete)",
            exact,
            format!("in [{:.4e}, {:.4e}]", result.lower, result.w2),
            inside,
        ),
        row(
            "sinkhorn",
            "1D, N=60",
            "marginal error",
            result.marginal_error,
            "≤ 1e-3",
            result.marginal_error <= 1e-3,
        ),
        row(
            "sinkhorn",
            "1D, N=60",
            "|W2 cells − W2 points|",
            discretisation,
            format!("≤ cell {cell:.3e}"),
            discretisation <= cell,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Barenblatt solutions of the porous medium equation uₜ = Δ(u²).

/// U(τ, x) = τ^(−α)(C − k|x|²τ^(−2β))₊ with α = d/(d+2), β = α/d, k = α/(4d), of mass `mass`.
#[derive(Debug, Clone, Copy)]
struct Barenblatt {
    alpha: f64,
    beta: f64,
    k: f64,
    c: f64,
}

impl Barenblatt {
    fn new(d: usize, mass: f64) -> Self {
        let alpha = d as f64 / (d as f64 + 2.0);
        let c = match d {
            1 => (3f64.sqrt() * mass / 8.0).powf(2.0 / 3.0),
            _ => (mass / (8.0 * std::f64::consts::PI)).sqrt(),
        };
        Self {
            alpha,
            beta: alpha / d as f64,
            k: alpha / (4.0 * d as f64),
            c,
        }
    }

    fn density(&self, tau: f64, r2: f64) -> f64 {
        tau.powf(-self.alpha) * (self.c - self.k * r2 * tau.powf(-2.0 * self.beta)).max(0.0)
    }

    fn radius(&self, tau: f64) -> f64 {
        (self.c / self.k).sqrt() * tau.powf(self.beta)
    }
}

/// Runs the blob method with RK4 from `swarm` on a constant target for the PME time span
/// τ₀ → τ_end, returns (mass-weighted Lagrangian RMS error, L1 error of φ_ε∗ρᴺ).
fn run_barenblatt<const D: usize>(
    profile: Barenblatt,
    (tau0, tau_end): (f64, f64),
    problem: &Problem<D>,
    mut swarm: Swarm<D>,
) -> (f64, f64) {
    // ρ̄ ≡ c makes the flow the PME with time scaled: τ = τ₀ + t/(2c).
    let level = problem.target().iter().copied().fold(0.0, f64::max);
    let span = (tau_end - tau0) * 2.0 * level;
    let start = swarm.positions().to_vec();
    let mut rk4 = Rk4::new(EvaluatorKind::Stencil.build());
    rk4.advance(problem, &mut swarm, span);

    // Exact paths Xᵢ(0)·(τ/τ₀)^β; the exact density at τ_end on the grid.
    let stretch = (tau_end / tau0).powf(profile.beta);
    let mass = swarm.total_mass();
    let rms = lagrangian_rms(&swarm, &start, stretch);
    let evaluator = rk4.evaluator_mut();
    evaluator.energy(problem, swarm.positions(), swarm.masses());
    let grid = problem.grid();
    let l1: f64 = evaluator
        .coverage()
        .iter()
        .zip(grid.nodes())
        .map(|(u, x)| (u - profile.density(tau_end, x.iter().map(|c| c * c).sum())).abs())
        .sum::<f64>()
        * grid.cell_volume();
    (rms, l1 / mass)
}

/// Mass-weighted RMS distance between the agents and the exact self-similar paths of a
/// Barenblatt solution, Xᵢ(0)·`stretch` (length).
pub fn lagrangian_rms<const D: usize>(swarm: &Swarm<D>, start: &[[f64; D]], stretch: f64) -> f64 {
    let squared: f64 = swarm
        .positions()
        .iter()
        .zip(start)
        .zip(swarm.masses())
        .map(|((x, x0), m)| {
            m * (0..D)
                .map(|k| (x[k] - stretch * x0[k]).powi(2))
                .sum::<f64>()
        })
        .sum();
    (squared / swarm.total_mass()).sqrt()
}

/// A constant-target problem on [−half, half]ᴰ with open walls whose floor equals the target, so
/// ρ̄ ≡ c on the whole grid, as the Barenblatt solution assumes.
fn constant_problem<const D: usize>(half: f64, epsilon: f64, agents: usize) -> Problem<D> {
    let config = ProblemConfig {
        boundary: Boundary::Open,
        epsilon: Some(epsilon),
        floor: 1.0,
        ..ProblemConfig::new([-half; D], [half; D])
    };
    Problem::new(&config, vec![], &|_: &[f64; D]| 1.0, agents, 1.0).expect("valid problem")
}

fn barenblatt_1d() -> Vec<Row> {
    let profile = Barenblatt::new(1, 1.0);
    let (tau0, tau_end) = (0.1, 0.1 + 0.5 / 2.0);
    let levels = (0..4).map(|level| 2.0 * profile.radius(tau0) / (48 << level) as f64);
    barenblatt_rows::<1>("barenblatt-1d", profile, (tau0, tau_end), levels, 2.0, 1.5)
}

fn barenblatt_2d() -> Vec<Row> {
    let profile = Barenblatt::new(2, 1.0);
    let (tau0, tau_end) = (0.05, 0.05 + 0.2 / 2.0);
    let levels = (0..4).map(|level| 0.095 / 2f64.sqrt().powi(level));
    barenblatt_rows::<2>("barenblatt-2d", profile, (tau0, tau_end), levels, 1.5, 1.3)
}

/// Barenblatt runs at lattice spacings `spacings` with ε = 2h on [−half, half]ᴰ; rows of the
/// Lagrangian RMS and L1 errors with their observed orders.
fn barenblatt_rows<const D: usize>(
    case: &'static str,
    profile: Barenblatt,
    taus: (f64, f64),
    spacings: impl Iterator<Item = f64>,
    half: f64,
    min_order: f64,
) -> Vec<Row> {
    let mut lagrangian = Vec::new();
    let mut l1 = Vec::new();
    for h in spacings {
        let swarm = lattice_swarm::<D>(h, |x| profile.density(taus.0, x));
        let n = swarm.len();
        let problem = constant_problem::<D>(half, 2.0 * h, n);
        let (rms, err) = run_barenblatt(profile, taus, &problem, swarm);
        lagrangian.push((format!("{D}D N={n}"), h, rms));
        l1.push((format!("{D}D N={n}"), h, err));
    }
    let mut rows = convergence_rows(case, "Lagrangian RMS", &lagrangian, min_order);
    rows.extend(convergence_rows(case, "L1(φ_ε∗ρᴺ − ρ)", &l1, min_order));
    rows
}

/// Agents on the lattice hℤᴰ where `density(|x|²)` > 0, each carrying the mass of its cell,
/// normalised to total mass 1. (Equal-mass quantile placement leaves the few outermost agents
/// of a compactly supported profile spaced ~N^(−1/2) apart, far wider than ε ∝ 1/N, which caps
/// the L1 error at O(1/N); lattice placement keeps the spacing h up to the edge.)
fn lattice_swarm<const D: usize>(h: f64, density: impl Fn(f64) -> f64) -> Swarm<D> {
    let mut positions = Vec::new();
    let mut masses = Vec::new();
    let mut reach = 1i64;
    while density((reach as f64 * h).powi(2)) > 0.0 {
        reach += 1;
    }
    let side = (2 * reach + 1) as usize;
    for flat in 0..side.pow(D as u32) {
        let x: [f64; D] = std::array::from_fn(|k| {
            ((flat / side.pow(k as u32)) % side) as f64 * h - reach as f64 * h
        });
        let rho = density(x.iter().map(|c| c * c).sum());
        if rho > 0.0 {
            positions.push(x);
            masses.push(rho * h.powi(D as i32));
        }
    }
    let total: f64 = masses.iter().sum();
    masses.iter_mut().for_each(|m| *m /= total);
    Swarm::new(positions, masses).expect("lattice agents are finite with positive masses")
}

// ---------------------------------------------------------------------------------------------
// 1D weighted PME with a non-uniform target, against finite volumes.

const WPME_TIME: f64 = 0.05;

fn wpme_target(x: f64) -> f64 {
    1.0 + 0.5 * (2.0 * std::f64::consts::PI * x).cos()
}

/// Finite volumes on [0, 1] with no-flux walls: flux −½(ρᵢ + ρᵢ₊₁)(gᵢ₊₁ − gᵢ)/Δx with g = ρ/ρ̄,
/// explicit Euler at a fifth of its stability limit. Returns cell densities at `WPME_TIME`.
fn wpme_finite_volumes(cells: usize) -> Vec<f64> {
    let dx = 1.0 / cells as f64;
    let pi = std::f64::consts::PI;
    let centre = |i: usize| (i as f64 + 0.5) * dx;
    // Cell averages of ρ₀ = 1 + ½cos(πx), exactly.
    let mut rho: Vec<f64> = (0..cells)
        .map(|i| {
            let (a, b) = (i as f64 * dx, (i + 1) as f64 * dx);
            1.0 + 0.5 * ((pi * b).sin() - (pi * a).sin()) / (pi * dx)
        })
        .collect();
    let target: Vec<f64> = (0..cells).map(|i| wpme_target(centre(i))).collect();
    let dt = 0.2 * dx * dx * 0.5 / 1.6;
    let steps = (WPME_TIME / dt).ceil() as usize;
    let dt = WPME_TIME / steps as f64;
    let mut flux = vec![0.0; cells + 1];
    for _ in 0..steps {
        for i in 1..cells {
            let (g0, g1) = (rho[i - 1] / target[i - 1], rho[i] / target[i]);
            flux[i] = -0.5 * (rho[i - 1] + rho[i]) * (g1 - g0) / dx;
        }
        for i in 0..cells {
            rho[i] -= dt * (flux[i + 1] - flux[i]) / dx;
        }
    }
    rho
}

fn wpme_1d() -> Vec<Row> {
    let cells = 1000;
    let reference = wpme_finite_volumes(cells);
    let dx = 1.0 / cells as f64;
    // Mass coordinate of the reference: its piecewise-linear CDF, inverted exactly.
    let mut cdf = vec![0.0];
    reference
        .iter()
        .for_each(|r| cdf.push(cdf.last().copied().unwrap_or(0.0) + r * dx));
    let total = cdf[cells];
    let quantile = |s: f64| {
        let s = s * total;
        let i = cdf.partition_point(|c| *c < s).clamp(1, cells) - 1;
        i as f64 * dx + (s - cdf[i]) / reference[i]
    };
    let interpolate = |x: f64| {
        let t = (x / dx - 0.5).clamp(0.0, (cells - 1) as f64);
        let i = (t.floor() as usize).min(cells - 2);
        reference[i] + (t - i as f64) * (reference[i + 1] - reference[i])
    };

    let mut lagrangian = Vec::new();
    let mut l1 = Vec::new();
    let pi = std::f64::consts::PI;
    for n in [50, 100, 200, 400] {
        // Agents at the quantiles of ρ₀ = 1 + ½cos(πx), whose CDF is x + sin(πx)/(2π).
        let positions: Vec<[f64; 1]> = (0..n)
            .map(|i| {
                let s = (i as f64 + 0.5) / n as f64;
                let (mut a, mut b) = (0.0, 1.0);
                for _ in 0..60 {
                    let mid = 0.5 * (a + b);
                    if mid + (pi * mid).sin() / (2.0 * pi) < s {
                        a = mid
                    } else {
                        b = mid
                    }
                }
                [0.5 * (a + b)]
            })
            .collect();
        let h = 1.0 / n as f64;
        let config = ProblemConfig {
            epsilon: Some(2.0 * h),
            ..ProblemConfig::new([0.0], [1.0])
        };
        let problem = Problem::new(&config, vec![], &|x: &[f64; 1]| wpme_target(x[0]), n, 1.0)
            .expect("valid problem");
        let mut swarm = Swarm::with_equal_masses(positions, 1.0).expect("valid swarm");
        let mut rk4 = Rk4::new(EvaluatorKind::Stencil.build());
        rk4.advance(&problem, &mut swarm, WPME_TIME);

        let rms = (swarm
            .positions()
            .iter()
            .enumerate()
            .map(|(i, x)| (x[0] - quantile((i as f64 + 0.5) / n as f64)).powi(2))
            .sum::<f64>()
            / n as f64)
            .sqrt();
        let evaluator = rk4.evaluator_mut();
        evaluator.energy(&problem, swarm.positions(), swarm.masses());
        let grid = problem.grid();
        let err: f64 = evaluator
            .coverage()
            .iter()
            .zip(grid.nodes())
            .map(|(u, x)| (u - interpolate(x[0])).abs())
            .sum::<f64>()
            * grid.cell_volume();
        lagrangian.push((format!("1D N={n}"), h, rms));
        l1.push((format!("1D N={n}"), h, err));
    }
    let mut rows = convergence_rows("wpme-1d", "Lagrangian RMS vs FV", &lagrangian, 1.5);
    rows.extend(convergence_rows("wpme-1d", "L1(φ_ε∗ρᴺ − ρ_FV)", &l1, 1.5));
    rows
}

// ---------------------------------------------------------------------------------------------
// Steady state on the unit square.

fn steady_2d() -> Vec<Row> {
    let n = 400;
    let config = ProblemConfig {
        epsilon: Some(0.125),
        ..ProblemConfig::new([0.0, 0.0], [1.0, 1.0])
    };
    let problem =
        Problem::new(&config, vec![], &|_: &[f64; 2]| 1.0, n, 1.0).expect("valid problem");
    let mut rng = Pcg64::seed_from_u64(17);
    let samples: Vec<[f64; 2]> = (0..n)
        .map(|_| [rng.random_range(0.0..1.0), rng.random_range(0.0..1.0)])
        .collect();
    let mut swarm = Swarm::with_equal_masses(samples.clone(), 1.0).expect("valid swarm");

    // L1 of the independent samples themselves, for scale.
    let mut evaluator = StencilEvaluator::<2>::default();
    evaluator.energy(&problem, swarm.positions(), swarm.masses());
    let iid = field_metrics(&problem, evaluator.coverage()).l1;

    let mut stepper = Stepper::new(EvaluatorKind::Stencil.build(), StepperConfig::default())
        .expect("valid stepper");
    for _ in 0..3000 {
        let report = stepper.step(&problem, &mut swarm);
        if !report.accepted {
            break;
        }
    }
    evaluator.energy(&problem, swarm.positions(), swarm.masses());
    let l1 = field_metrics(&problem, evaluator.coverage()).l1;
    let label = "N=400, ε=0.125";
    vec![
        row(
            "steady-2d",
            label,
            "L1(φ_ε∗ρᴺ, ρ̄)",
            l1,
            "≤ 0.02",
            l1 <= 0.02,
        ),
        row(
            "steady-2d",
            "400 i.i.d. samples",
            "L1(φ_ε∗ρᴺ, ρ̄)",
            iid,
            "≥ 5 × blob L1",
            iid >= 5.0 * l1,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Reporting.

/// Formats rows as an aligned text table with a header.
pub fn format_table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<14} {:<22} {:<26} {:>11} {:>7}  {:<28} {}\n",
        "case", "resolution", "quantity", "value", "order", "tolerance", "result"
    );
    for r in rows {
        let order = r.order.map_or(String::from("-"), |p| format!("{p:.2}"));
        out.push_str(&format!(
            "{:<14} {:<22} {:<26} {:>11.3e} {:>7}  {:<28} {}\n",
            r.case,
            r.resolution,
            r.quantity,
            r.value,
            order,
            r.tolerance,
            if r.pass { "pass" } else { "FAIL" }
        ));
    }
    out
}
