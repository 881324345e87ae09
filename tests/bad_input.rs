//! Bad input to the numerical core is an error naming what is wrong, never a panic.

use blobswarm::numerics::geometry::{Cuboid, Shape};
use blobswarm::numerics::{Boundary, NumericsError, Problem, ProblemConfig, Swarm};

fn uniform(_: &[f64; 2]) -> f64 {
    1.0
}

fn build(config: &ProblemConfig<2>) -> Result<Problem<2>, NumericsError> {
    Problem::new(config, vec![], &uniform, 100, 1.0)
}

fn unit() -> ProblemConfig<2> {
    ProblemConfig::new([0.0, 0.0], [1.0, 1.0])
}

#[test]
fn non_finite_positions_and_bad_masses_are_rejected() {
    let err = Swarm::new(vec![[0.1, 0.2], [f64::NAN, 0.3]], vec![0.5, 0.5]).unwrap_err();
    assert!(
        matches!(err, NumericsError::NonFinitePosition { agent: 1, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("agent 1"), "{err}");

    let err = Swarm::new(vec![[0.1, 0.2], [0.2, f64::INFINITY]], vec![0.5, 0.5]).unwrap_err();
    assert!(
        matches!(err, NumericsError::NonFinitePosition { agent: 1, .. }),
        "{err}"
    );

    for mass in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = Swarm::new(vec![[0.1, 0.2]], vec![mass]).unwrap_err();
        assert!(
            matches!(err, NumericsError::BadMass { agent: 0, .. }),
            "{err}"
        );
    }
    assert_eq!(
        Swarm::<2>::new(vec![], vec![]).unwrap_err(),
        NumericsError::NoAgents
    );
    assert!(matches!(
        Swarm::new(vec![[0.0, 0.0]], vec![0.5, 0.5]).unwrap_err(),
        NumericsError::LengthMismatch {
            positions: 1,
            masses: 2
        }
    ));
}

#[test]
fn epsilon_must_be_positive() {
    for eps in [0.0, -0.1, f64::NAN] {
        let err = build(&ProblemConfig {
            epsilon: Some(eps),
            ..unit()
        })
        .unwrap_err();
        assert!(
            matches!(
                err,
                NumericsError::NotPositive {
                    name: "epsilon",
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("epsilon"), "{err}");
    }
    let err = build(&ProblemConfig {
        spacing: Some(0.0),
        ..unit()
    })
    .unwrap_err();
    assert!(err.to_string().contains("grid spacing"), "{err}");
}

#[test]
fn empty_targets_are_rejected() {
    let err = Problem::new(&unit(), vec![], &|_: &[f64; 2]| 0.0, 10, 1.0).unwrap_err();
    assert!(matches!(err, NumericsError::EmptyTarget { .. }), "{err}");

    // Mass only under an obstacle counts as none.
    let target = |x: &[f64; 2]| if x[0] > 0.5 { 1.0 } else { 0.0 };
    let wall: Box<dyn Shape<2>> = Box::new(Cuboid {
        lo: [0.5, -1.0],
        hi: [2.0, 2.0],
    });
    let err = Problem::new(&unit(), vec![wall], &target, 10, 1.0).unwrap_err();
    assert!(matches!(err, NumericsError::EmptyTarget { .. }), "{err}");

    let err = Problem::new(&unit(), vec![], &|_: &[f64; 2]| f64::NAN, 10, 1.0).unwrap_err();
    assert!(matches!(err, NumericsError::BadTargetValue { .. }), "{err}");
    let err = Problem::new(&unit(), vec![], &|_: &[f64; 2]| -1.0, 10, 1.0).unwrap_err();
    assert!(err.to_string().contains("at least 0"), "{err}");
}

#[test]
fn degenerate_domains_are_rejected() {
    for (lo, hi) in [
        ([0.0, 0.0], [1.0, 0.0]),
        ([0.0, 1.0], [1.0, 0.5]),
        ([0.0, f64::NAN], [1.0, 1.0]),
    ] {
        let err = build(&ProblemConfig::new(lo, hi)).unwrap_err();
        assert!(
            matches!(err, NumericsError::EmptyDomain { axis: 1, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("axis 1"), "{err}");
    }
}

#[test]
fn grids_too_large_for_memory_are_rejected() {
    let config = ProblemConfig {
        epsilon: Some(1e-4),
        ..unit()
    };
    let err = build(&config).unwrap_err();
    assert!(matches!(err, NumericsError::GridTooLarge { .. }), "{err}");
    assert!(err.to_string().contains("increase epsilon"), "{err}");
}

#[test]
fn a_covered_domain_is_rejected() {
    let all: Box<dyn Shape<2>> = Box::new(Cuboid {
        lo: [-1.0, -1.0],
        hi: [2.0, 2.0],
    });
    let err = Problem::new(&unit(), vec![all], &uniform, 10, 1.0).unwrap_err();
    assert_eq!(err, NumericsError::DomainCovered);
}

#[test]
fn mirror_walls_narrower_than_the_kernel_are_rejected_or_avoided() {
    // A user-chosen ε too wide for mirror walls is an error...
    let err = build(&ProblemConfig {
        epsilon: Some(0.5),
        ..unit()
    })
    .unwrap_err();
    assert!(matches!(err, NumericsError::MirrorTooWide { .. }), "{err}");
    // ...an automatic one is reduced to fit, and open walls accept it.
    let few = Problem::new(&unit(), vec![], &uniform, 3, 1.0).unwrap();
    assert!(few.parameters().epsilon * 5.0 <= 1.0 + 1e-12);
    let open = ProblemConfig {
        epsilon: Some(0.5),
        boundary: Boundary::Open,
        ..unit()
    };
    assert!(build(&open).is_ok());
}

#[test]
fn other_parameters_are_checked() {
    let err = build(&ProblemConfig {
        floor: 0.0,
        ..unit()
    })
    .unwrap_err();
    assert!(err.to_string().contains("floor"), "{err}");
    let err = build(&ProblemConfig {
        confinement: -1.0,
        ..unit()
    })
    .unwrap_err();
    assert!(err.to_string().contains("confinement"), "{err}");
    let err = Problem::new(&unit(), vec![], &uniform, 0, 1.0).unwrap_err();
    assert_eq!(err, NumericsError::NoAgents);
    let err = Problem::new(&unit(), vec![], &uniform, 10, 0.0).unwrap_err();
    assert!(err.to_string().contains("total agent mass"), "{err}");
}
