//! `blobswarm gui --screenshot OUT.png --frames N`: render N frames, save the window as a PNG
//! (atomically), then quit, with a report of how fast the frames and the solver's steps were.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};

use crate::app::simulation::SimulationDiagnostics;
use crate::scene::files::write_atomically;

/// Frames left out of the timing report: the first ones compile shaders and upload textures.
const WARM_UP_FRAMES: u32 = 10;

/// What a screenshot run measured.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScreenshotReport {
    /// Whether the screenshot was written.
    pub saved: bool,
    /// Frames timed (after the warm-up).
    pub frames: u32,
    /// Wall-clock time of those frames (s).
    pub seconds: f64,
    /// Solver steps taken during those frames.
    pub steps: u64,
    /// Wall-clock time those steps took (s).
    pub stepping: f64,
}

impl ScreenshotReport {
    /// One line for the terminal: frames per second and milliseconds per step.
    pub fn summary(&self) -> String {
        let per_frame = 1e3 * self.seconds / f64::from(self.frames.max(1));
        let per_step = match self.steps {
            0 => "no steps".to_string(),
            n => format!(
                "{n} steps, {:.2} ms per step",
                1e3 * self.stepping / n as f64
            ),
        };
        format!(
            "{} frames in {:.2} s ({:.1} ms per frame, {:.1} frames/s) after {WARM_UP_FRAMES} \
             warm-up frames; simulation: {per_step}",
            self.frames,
            self.seconds,
            per_frame,
            f64::from(self.frames) / self.seconds.max(f64::MIN_POSITIVE)
        )
    }
}

/// Take a screenshot after some frames, then quit (`blobswarm gui --screenshot`).
#[derive(Resource, Debug, Clone)]
pub struct ScreenshotPlan {
    /// Where to write the PNG.
    pub path: PathBuf,
    /// Frames to render first.
    pub frames: u32,
    /// Frames rendered so far.
    pub elapsed: u32,
    /// Whether the screenshot was requested.
    pub requested: bool,
    /// Wall-clock time and solver diagnostics when the warm-up ended.
    timed_from: Option<(f64, SimulationDiagnostics)>,
    /// Filled in as the run goes; read by the caller once the app has quit.
    pub report: Arc<Mutex<ScreenshotReport>>,
}

impl ScreenshotPlan {
    /// A plan to save `path` after `frames` frames; `report` says how it went.
    pub fn new(path: PathBuf, frames: u32, report: Arc<Mutex<ScreenshotReport>>) -> Self {
        Self {
            path,
            frames,
            elapsed: 0,
            requested: false,
            timed_from: None,
            report,
        }
    }

    fn saved(&self) -> bool {
        self.report.lock().is_ok_and(|r| r.saved)
    }
}

pub fn take_screenshot(
    mut commands: Commands,
    plan: Option<ResMut<ScreenshotPlan>>,
    time: Res<Time<Real>>,
    diagnostics: Res<SimulationDiagnostics>,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(mut plan) = plan else { return };
    plan.elapsed += 1;
    let now = time.elapsed_secs_f64();
    if plan.elapsed == WARM_UP_FRAMES.min(plan.frames) {
        plan.timed_from = Some((now, *diagnostics));
    }
    if plan.requested {
        // Quit once the file is written, or give up after a while.
        if plan.saved() {
            exit.write(AppExit::Success);
        } else if plan.elapsed > plan.frames + 600 {
            error!("the screenshot was not captured");
            exit.write(AppExit::error());
        }
        return;
    }
    if plan.elapsed < plan.frames {
        return;
    }
    plan.requested = true;
    if let (Some((start, before)), Ok(mut report)) = (plan.timed_from, plan.report.lock()) {
        report.frames = plan.elapsed - WARM_UP_FRAMES.min(plan.frames);
        report.seconds = now - start;
        report.steps = diagnostics.steps - before.steps;
        report.stepping = (diagnostics.stepping - before.stepping).as_secs_f64();
    }
    let path = plan.path.clone();
    let report = plan.report.clone();
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>| match save_png(&captured.image, &path) {
            Ok(()) => {
                if let Ok(mut report) = report.lock() {
                    report.saved = true;
                }
            }
            Err(message) => error!("cannot save the screenshot {}: {message}", path.display()),
        },
    );
}

/// Writes a captured frame as an RGB PNG, atomically.
fn save_png(frame: &Image, path: &std::path::Path) -> Result<(), String> {
    let image = frame
        .clone()
        .try_into_dynamic()
        .map_err(|e| e.to_string())?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .to_rgb8()
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    write_atomically(path, |w| w.write_all(bytes.get_ref())).map_err(|e| e.to_string())
}
