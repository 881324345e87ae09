//! A picture of a swarm: the target as a heatmap, obstacles in grey, agents as dots. Used by
//! `blobswarm run --png`; no engine involved.

use std::io::Cursor;
use std::path::Path;

use image::{ImageFormat, Rgb, RgbImage};

use crate::numerics::Problem;
use crate::scene::SceneError;
use crate::scene::files::write_atomically;

/// Pixels along the longer side of the picture.
pub const LONG_SIDE: u32 = 800;

/// Renders the target heatmap, obstacles and agents of a 2D problem.
pub fn picture(problem: &Problem<2>, positions: &[[f64; 2]]) -> RgbImage {
    let free = problem.free_space();
    let (lo, hi) = (free.lo(), free.hi());
    let (w, h) = (hi[0] - lo[0], hi[1] - lo[1]);
    let scale = f64::from(LONG_SIDE) / w.max(h);
    let (width, height) = (
        ((w * scale).round() as u32).max(1),
        ((h * scale).round() as u32).max(1),
    );
    let grid = problem.grid();
    let target = problem.painted_target();
    let peak = target
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);

    let mut image = RgbImage::from_fn(width, height, |px, py| {
        let x = [
            lo[0] + (f64::from(px) + 0.5) / scale,
            hi[1] - (f64::from(py) + 0.5) / scale,
        ];
        if !free.is_free(&x) {
            return Rgb([90, 90, 96]);
        }
        heat(target[grid.nearest_node(&x)] / peak)
    });

    // Agents: dots of about 3 px, dark rim.
    let radius = 3.0f64;
    for p in positions {
        let (cx, cy) = ((p[0] - lo[0]) * scale, (hi[1] - p[1]) * scale);
        let (x0, x1) = (
            (cx - radius).floor().max(0.0) as u32,
            (cx + radius).ceil() as u32,
        );
        let (y0, y1) = (
            (cy - radius).floor().max(0.0) as u32,
            (cy + radius).ceil() as u32,
        );
        for py in y0..y1.min(height) {
            for px in x0..x1.min(width) {
                let d = ((f64::from(px) + 0.5 - cx).powi(2) + (f64::from(py) + 0.5 - cy).powi(2))
                    .sqrt();
                if d <= radius - 1.0 {
                    image.put_pixel(px, py, Rgb([235, 80, 40]));
                } else if d <= radius {
                    image.put_pixel(px, py, Rgb([60, 20, 10]));
                }
            }
        }
    }
    image
}

/// A white → blue ramp for values in [0, 1].
fn heat(value: f64) -> Rgb<u8> {
    let v = value.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * v).round() as u8;
    Rgb([mix(250.0, 30.0), mix(250.0, 90.0), mix(250.0, 170.0)])
}

/// Writes [`picture`] as a PNG file, atomically.
///
/// # Errors
///
/// [`SceneError::Write`] if the file cannot be written.
pub fn save_png(
    problem: &Problem<2>,
    positions: &[[f64; 2]],
    path: &Path,
) -> Result<(), SceneError> {
    let mut bytes = Cursor::new(Vec::new());
    picture(problem, positions)
        .write_to(&mut bytes, ImageFormat::Png)
        .map_err(|e| SceneError::Write {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    write_atomically(path, |w| w.write_all(bytes.get_ref()))
}
