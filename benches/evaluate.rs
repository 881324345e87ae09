//! One velocity evaluation in 2D, direct quadrature against the stencil, over N on a log scale
//! with automatic ε (2.5 × agent spacing) and grid spacing (ε/3).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use blobswarm::numerics::{
    DirectEvaluator, Evaluator, Problem, ProblemConfig, StencilEvaluator, Swarm,
};

/// Two Gaussian bumps on a background, on the unit square with mirror walls.
fn setup(agents: usize) -> (Problem<2>, Swarm<2>) {
    let target = |x: &[f64; 2]| {
        let bump = |c: [f64; 2], s: f64| {
            (-((x[0] - c[0]).powi(2) + (x[1] - c[1]).powi(2)) / (2.0 * s * s)).exp()
        };
        0.2 + bump([0.3, 0.6], 0.15) + 0.5 * bump([0.7, 0.3], 0.2)
    };
    let config = ProblemConfig::new([0.0, 0.0], [1.0, 1.0]);
    let problem = Problem::new(&config, vec![], &target, agents, 1.0).expect("valid problem");
    let mut rng = Pcg64::seed_from_u64(1);
    let positions = (0..agents)
        .map(|_| [rng.random_range(0.0..1.0), rng.random_range(0.0..1.0)])
        .collect();
    (
        problem,
        Swarm::with_equal_masses(positions, 1.0).expect("valid swarm"),
    )
}

fn evaluate(c: &mut Criterion) {
    let mut group = c.benchmark_group("evaluate_2d");
    group.sample_size(10);
    for exponent in [4u32, 5, 6, 7, 8, 9, 10] {
        // N = 10^(exponent/2): 100, 316, 1000, ..., 100 000.
        let agents = 10f64.powf(exponent as f64 / 2.0).round() as usize;
        let (problem, swarm) = setup(agents);
        let mut velocities = vec![[0.0; 2]; agents];
        // The stencil keeps its last deposit for the same positions: alternate between two
        // swarms so that every evaluation deposits afresh, as a solver step does.
        let mut moved = swarm.clone();
        moved
            .positions_mut()
            .iter_mut()
            .for_each(|p| p[0] = 0.999 * p[0] + 0.0005);
        let mut stencil = StencilEvaluator::<2>::default();
        let mut flip = false;
        group.bench_with_input(BenchmarkId::new("stencil", agents), &agents, |b, _| {
            b.iter(|| {
                flip = !flip;
                let now = if flip { &swarm } else { &moved };
                stencil.evaluate(&problem, now.positions(), now.masses(), &mut velocities)
            })
        });
        // The direct sum costs O(N²): only up to N = 1000.
        if agents <= 1000 {
            let mut direct = DirectEvaluator::default();
            group.bench_with_input(BenchmarkId::new("direct", agents), &agents, |b, _| {
                b.iter(|| {
                    direct.evaluate(&problem, swarm.positions(), swarm.masses(), &mut velocities)
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
