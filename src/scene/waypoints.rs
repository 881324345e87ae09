//! Per-agent waypoints for real robots: recording at a fixed interval and export to RON and CSV.
//!
//! Samples fall exactly on multiples of the interval: between two simulation states each agent
//! moves on a straight segment, so a sample is the linear interpolation of the states around
//! it, and it respects every speed limit the simulation respected.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::SceneError;
use super::files::write_atomically;
use super::scenario::ron_options;

/// Version of the waypoint format written by this program.
pub const FORMAT_VERSION: u32 = 1;

/// A waypoint file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waypoints {
    /// Format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// Name of the scenario that produced them.
    pub scenario: String,
    /// Units of positions and times.
    pub units: Units,
    /// Time between consecutive waypoints (s); the last one may be closer.
    pub interval: f64,
    /// One path per agent.
    pub agents: Vec<AgentPath>,
}

/// Units used in a waypoint file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Units {
    /// Unit of x and y ("m").
    pub length: String,
    /// Unit of t ("s").
    pub time: String,
}

/// The timed path of one agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentPath {
    /// Agent id, 0-based, as in the scenario's placement order.
    pub id: usize,
    /// The agent's maximum speed (m/s), if limited; consecutive waypoints respect it.
    pub max_speed: Option<f64>,
    /// Waypoints in time order.
    pub path: Vec<Waypoint>,
}

/// A position at a time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waypoint {
    /// Time (s).
    pub t: f64,
    /// x (m).
    pub x: f64,
    /// y (m).
    pub y: f64,
}

/// Records waypoints from successive simulation states.
#[derive(Debug, Clone)]
pub struct Recorder {
    interval: f64,
    next: u64,
    last_time: f64,
    last: Vec<[f64; 2]>,
    paths: Vec<Vec<Waypoint>>,
}

impl Recorder {
    /// Starts recording at time `t0` from `positions`, sampling every `interval` seconds.
    pub fn new(interval: f64, t0: f64, positions: &[[f64; 2]]) -> Self {
        let paths = positions
            .iter()
            .map(|p| {
                vec![Waypoint {
                    t: t0,
                    x: p[0],
                    y: p[1],
                }]
            })
            .collect();
        Self {
            interval,
            // The first sample after t0 on the grid of multiples of the interval.
            next: (t0 / interval).floor() as u64 + 1,
            last_time: t0,
            last: positions.to_vec(),
            paths,
        }
    }

    /// Adds the samples due up to time `t`, interpolating between the previous state and
    /// `positions` (the state at `t`).
    pub fn record(&mut self, t: f64, positions: &[[f64; 2]]) {
        while self.next as f64 * self.interval <= t + 1e-12 * self.interval {
            let sample = self.next as f64 * self.interval;
            let s = if t > self.last_time {
                (sample - self.last_time) / (t - self.last_time)
            } else {
                1.0
            };
            let s = s.clamp(0.0, 1.0);
            for ((path, a), b) in self.paths.iter_mut().zip(&self.last).zip(positions) {
                let x = a[0] + s * (b[0] - a[0]);
                let y = a[1] + s * (b[1] - a[1]);
                path.push(Waypoint { t: sample, x, y });
            }
            self.next += 1;
        }
        self.last_time = t;
        self.last.copy_from_slice(positions);
    }

    /// Halves the resolution to bound memory: the interval doubles and only the samples on
    /// the coarser grid (and the first one) stay. Steps between the samples kept still obey
    /// the speed limit, since a straight line is never longer than the path it replaces.
    pub fn thin(&mut self) {
        let interval = self.interval;
        let on_coarse_grid = |w: &Waypoint| ((w.t / interval).round() as u64).is_multiple_of(2);
        for path in &mut self.paths {
            let mut index = 0;
            path.retain(|w| {
                index += 1;
                index == 1 || on_coarse_grid(w)
            });
        }
        self.interval = 2.0 * interval;
        self.next = self.next.div_ceil(2);
    }

    /// Time between samples (s).
    pub fn interval(&self) -> f64 {
        self.interval
    }

    /// Number of samples per agent so far.
    pub fn samples(&self) -> usize {
        self.paths.first().map_or(0, Vec::len)
    }

    /// Ends the recording: adds the final state at `t` unless a sample already sits there.
    pub fn finish(mut self, t: f64, scenario: &str, max_speed: Option<f64>) -> Waypoints {
        let ends_on_sample = self
            .paths
            .first()
            .and_then(|p| p.last())
            .is_some_and(|w| (w.t - t).abs() <= 1e-9 * self.interval);
        if !ends_on_sample {
            for (path, p) in self.paths.iter_mut().zip(&self.last) {
                path.push(Waypoint {
                    t,
                    x: p[0],
                    y: p[1],
                });
            }
        }
        Waypoints {
            version: FORMAT_VERSION,
            scenario: scenario.to_string(),
            units: Units {
                length: "m".into(),
                time: "s".into(),
            },
            interval: self.interval,
            agents: self
                .paths
                .into_iter()
                .enumerate()
                .map(|(id, path)| AgentPath {
                    id,
                    max_speed,
                    path,
                })
                .collect(),
        }
    }
}

impl Waypoints {
    /// The waypoints as pretty RON.
    pub fn to_ron(&self) -> String {
        let pretty = ron::ser::PrettyConfig::new()
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME)
            .compact_arrays(false)
            .depth_limit(4);
        ron_options()
            .to_string_pretty(self, pretty)
            .expect("waypoints always serialise")
    }

    /// Parses waypoints from RON text.
    ///
    /// # Errors
    ///
    /// [`SceneError::Syntax`] with the line and column of the problem.
    pub fn from_ron(text: &str, path: &Path) -> Result<Self, SceneError> {
        ron_options()
            .from_str(text)
            .map_err(|e| SceneError::syntax(path, e))
    }

    /// Reads a waypoint file.
    ///
    /// # Errors
    ///
    /// [`SceneError::Read`] or [`SceneError::Syntax`].
    pub fn load(path: &Path) -> Result<Self, SceneError> {
        Self::from_ron(&super::files::read_text(path)?, path)
    }

    /// Writes the RON file atomically.
    ///
    /// # Errors
    ///
    /// [`SceneError::Write`] if the file cannot be written (nothing is left behind).
    pub fn save_ron(&self, path: &Path) -> Result<(), SceneError> {
        let text = self.to_ron();
        write_atomically(path, |w| w.write_all(text.as_bytes()))
    }

    /// Writes the same samples as CSV rows `agent,t,x,y`, atomically.
    ///
    /// # Errors
    ///
    /// [`SceneError::Write`] if the file cannot be written (nothing is left behind).
    pub fn save_csv(&self, path: &Path) -> Result<(), SceneError> {
        write_atomically(path, |w| {
            let mut csv = csv::Writer::from_writer(w);
            csv.write_record(["agent", "t", "x", "y"])?;
            for agent in &self.agents {
                for p in &agent.path {
                    let id = agent.id.to_string();
                    csv.write_record([id, p.t.to_string(), p.x.to_string(), p.y.to_string()])?;
                }
            }
            csv.flush()
        })
    }

    /// Largest speed between consecutive waypoints of any agent (m/s).
    pub fn max_segment_speed(&self) -> f64 {
        self.agents
            .iter()
            .flat_map(|a| a.path.windows(2))
            .filter(|w| w[1].t > w[0].t)
            .map(|w| ((w[1].x - w[0].x).hypot(w[1].y - w[0].y)) / (w[1].t - w[0].t))
            .fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two agents moving along curves, at uneven step times.
    fn states() -> Vec<(f64, Vec<[f64; 2]>)> {
        (0..=40)
            .map(|k| {
                let t = 0.013 * f64::from(k) + 0.002 * f64::from(k % 3);
                (t, vec![[t.sin(), t * t], [1.0 - t, (3.0 * t).cos()]])
            })
            .collect()
    }

    #[test]
    fn thinning_gives_what_a_coarser_recording_would_have() {
        let states = states();
        let (t0, p0) = &states[0];
        let mut thinned = Recorder::new(0.05, *t0, p0);
        let mut coarse = Recorder::new(0.1, *t0, p0);
        for (k, (t, p)) in states.iter().enumerate().skip(1) {
            thinned.record(*t, p);
            coarse.record(*t, p);
            if k == 23 {
                thinned.thin();
            }
        }
        assert_eq!(thinned.interval(), 0.1);
        let (end, _) = states.last().unwrap();
        let (thinned, coarse) = (
            thinned.finish(*end, "test", None),
            coarse.finish(*end, "test", None),
        );
        for (a, b) in thinned.agents.iter().zip(&coarse.agents) {
            assert_eq!(a.path.len(), b.path.len());
            for (u, v) in a.path.iter().zip(&b.path) {
                let gap = (u.t - v.t).abs() + (u.x - v.x).abs() + (u.y - v.y).abs();
                assert!(gap < 1e-12, "{u:?} against {v:?}");
            }
        }
    }
}
