//! The reference suite of `blobswarm verify`, one test per case: every row must pass.

use blobswarm::verify::{CASES, format_table};

fn assert_case(name: &str) {
    let case = CASES.iter().find(|c| c.name == name).expect("case exists");
    let rows = (case.run)();
    assert!(!rows.is_empty(), "case {name} produced no rows");
    assert!(
        rows.iter().all(|r| r.pass),
        "case {name} failed:\n{}",
        format_table(&rows)
    );
}

macro_rules! cases {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(#[test] fn $test() { assert_case($name); })*

        #[test]
        fn every_case_has_a_test() {
            let tested = [$($name),*];
            for case in CASES {
                assert!(tested.contains(&case.name), "verify case {} has no test", case.name);
            }
        }
    };
}

cases! {
    gradient_matches_finite_differences => "gradient",
    stencil_matches_direct_quadrature => "stencil",
    descent_is_monotone_and_agents_stay_free => "descent",
    runs_are_deterministic => "determinism",
    sinkhorn_brackets_exact_w2 => "sinkhorn",
    barenblatt_1d_converges => "barenblatt-1d",
    barenblatt_2d_converges => "barenblatt-2d",
    weighted_pme_1d_matches_finite_volumes => "wpme-1d",
    steady_state_covers_the_square => "steady-2d",
}
