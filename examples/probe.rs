use blobswarm::scene::{Scenario, session::Session};
use std::path::Path;
fn main() {
    let path = Path::new(&std::env::args().nth(1).unwrap()).to_path_buf();
    let scenario = Scenario::load(&path).unwrap();
    let s = Session::new(scenario, &path).unwrap();
    let p = s.problem();
    let g = p.grid();
    for x in [[5.9, 3.0], [6.1, 3.0], [5.0, 3.0], [7.0, 3.0]] {
        let q = g.nearest_node(&x);
        println!(
            "{x:?} node {:?} target {:.5} inv {:.2} free {}",
            g.node(q),
            p.target()[q],
            p.inverse_target()[q],
            p.free_space().is_free(&x)
        );
    }
    println!("{:?}", p.parameters());
}
