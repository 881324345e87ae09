//! What a scenario is, with no engine attached: the RON schema and its validation, the target
//! density it describes, its obstacles, and the waypoints a run exports.

pub mod error;
pub mod files;
pub mod handles;
pub mod history;
pub mod obstacle;
pub mod scenario;
pub mod session;
pub mod target;
pub mod waypoints;

pub use error::SceneError;
pub use scenario::Scenario;
