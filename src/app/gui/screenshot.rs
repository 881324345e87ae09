//! `blobswarm gui --screenshot OUT.png --frames N`: render N frames, save the window as a PNG
//! (atomically), then quit.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};

use crate::scene::files::write_atomically;

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
    /// Set once the screenshot is written (by the capture observer).
    pub saved: Arc<AtomicBool>,
}

impl ScreenshotPlan {
    /// A plan to save `path` after `frames` frames; `saved` is set once the file is written.
    pub fn new(path: PathBuf, frames: u32, saved: Arc<AtomicBool>) -> Self {
        Self {
            path,
            frames,
            elapsed: 0,
            requested: false,
            saved,
        }
    }
}

pub fn take_screenshot(
    mut commands: Commands,
    plan: Option<ResMut<ScreenshotPlan>>,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(mut plan) = plan else { return };
    plan.elapsed += 1;
    if plan.requested {
        // Quit once the file is written, or give up after a while.
        if plan.saved.load(Ordering::Acquire) {
            exit.write(AppExit::Success);
        } else if plan.elapsed > plan.frames + 600 {
            error!("the screenshot was not captured");
            exit.write(AppExit::error());
        }
        return;
    }
    if plan.elapsed >= plan.frames {
        plan.requested = true;
        let path = plan.path.clone();
        let saved_flag = plan.saved.clone();
        commands.spawn(Screenshot::primary_window()).observe(
            move |captured: On<ScreenshotCaptured>| {
                let saved = captured
                    .image
                    .clone()
                    .try_into_dynamic()
                    .map_err(|e| e.to_string())
                    .and_then(|image| {
                        let mut bytes = std::io::Cursor::new(Vec::new());
                        image
                            .to_rgb8()
                            .write_to(&mut bytes, image::ImageFormat::Png)
                            .map_err(|e| e.to_string())?;
                        write_atomically(&path, |w| w.write_all(bytes.get_ref()))
                            .map_err(|e| e.to_string())
                    });
                match saved {
                    Ok(()) => saved_flag.store(true, Ordering::Release),
                    Err(message) => {
                        error!("cannot save the screenshot {}: {message}", path.display())
                    }
                }
            },
        );
    }
}
