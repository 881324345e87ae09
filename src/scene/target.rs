//! The target density a scenario describes: background plus weighted components, each a
//! probability density, evaluated pointwise (the solver samples it on its grid and normalises
//! it to the swarm's mass).

use std::f64::consts::PI;
use std::path::Path;

use super::error::SceneError;
use super::scenario::{Component, Point, Scenario, polygon_area};
use crate::numerics::geometry::{Polygon, Shape};

/// A greyscale picture as a density on a rectangle.
#[derive(Debug, Clone)]
struct Picture {
    min: Point,
    max: Point,
    width: usize,
    height: usize,
    /// Row-major, row 0 at the top (max y), normalised so the picture integrates to 1.
    values: Vec<f64>,
}

impl Picture {
    fn density(&self, x: &[f64; 2]) -> f64 {
        let u = (x[0] - self.min.0) / (self.max.0 - self.min.0);
        let v = (self.max.1 - x[1]) / (self.max.1 - self.min.1);
        if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
            return 0.0;
        }
        let col = ((u * self.width as f64) as usize).min(self.width - 1);
        let row = ((v * self.height as f64) as usize).min(self.height - 1);
        self.values[row * self.width + col]
    }
}

/// One evaluable component with its weight folded in.
#[derive(Debug, Clone)]
enum Piece {
    Gaussian {
        center: Point,
        inv_sigma: Point,
        cos: f64,
        sin: f64,
        scale: f64,
    },
    Disk {
        center: Point,
        radius2: f64,
        level: f64,
    },
    Ring {
        center: Point,
        radius: f64,
        inv_width: f64,
        scale: f64,
    },
    Rectangle {
        min: Point,
        max: Point,
        level: f64,
    },
    Polygon {
        shape: Polygon,
        level: f64,
    },
    Picture {
        picture: Picture,
        weight: f64,
    },
}

/// The target density of a scenario, ready to evaluate at any point (1/m²).
#[derive(Debug, Clone)]
pub struct TargetDensity {
    background: f64,
    pieces: Vec<Piece>,
}

impl TargetDensity {
    /// Builds the density of `scenario`, loading image components relative to `base` (the
    /// scenario file's folder).
    ///
    /// # Errors
    ///
    /// [`SceneError::Image`] if an image cannot be read or decoded or is entirely black (white
    /// with `invert`), naming the component.
    pub fn new(scenario: &Scenario, base: &Path, path: &Path) -> Result<Self, SceneError> {
        let (lo, hi) = (scenario.domain.min, scenario.domain.max);
        let area = (hi.0 - lo.0) * (hi.1 - lo.1);
        let pieces = scenario
            .target
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| piece(c, base, path, &format!("target.components[{i}]")))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            background: scenario.target.background / area,
            pieces,
        })
    }

    /// ρ̄(x) before normalisation (1/m² per unit weight).
    pub fn density(&self, x: &[f64; 2]) -> f64 {
        self.background + self.pieces.iter().map(|p| p.density(x)).sum::<f64>()
    }
}

impl Piece {
    fn density(&self, x: &[f64; 2]) -> f64 {
        match self {
            Self::Gaussian {
                center,
                inv_sigma,
                cos,
                sin,
                scale,
            } => {
                let (dx, dy) = (x[0] - center.0, x[1] - center.1);
                let u = (cos * dx + sin * dy) * inv_sigma.0;
                let v = (-sin * dx + cos * dy) * inv_sigma.1;
                scale * (-0.5 * (u * u + v * v)).exp()
            }
            Self::Disk {
                center,
                radius2,
                level,
            } => {
                let r2 = (x[0] - center.0).powi(2) + (x[1] - center.1).powi(2);
                if r2 < *radius2 { *level } else { 0.0 }
            }
            Self::Ring {
                center,
                radius,
                inv_width,
                scale,
            } => {
                let r = ((x[0] - center.0).powi(2) + (x[1] - center.1).powi(2)).sqrt();
                let s = (r - radius) * inv_width;
                scale * (-0.5 * s * s).exp()
            }
            Self::Rectangle { min, max, level } => {
                // Half-open, so rectangles sharing an edge tile without a gap.
                let inside = x[0] >= min.0 && x[0] < max.0 && x[1] >= min.1 && x[1] < max.1;
                if inside { *level } else { 0.0 }
            }
            Self::Polygon { shape, level } => {
                if shape.contains(x) {
                    *level
                } else {
                    0.0
                }
            }
            Self::Picture { picture, weight } => weight * picture.density(x),
        }
    }
}

fn piece(
    component: &Component,
    base: &Path,
    path: &Path,
    field: &str,
) -> Result<Piece, SceneError> {
    Ok(match component {
        Component::Gaussian {
            weight,
            center,
            sigma,
            angle,
        } => {
            let theta = angle.to_radians();
            Piece::Gaussian {
                center: *center,
                inv_sigma: (1.0 / sigma.0, 1.0 / sigma.1),
                cos: theta.cos(),
                sin: theta.sin(),
                scale: weight / (2.0 * PI * sigma.0 * sigma.1),
            }
        }
        Component::Disk {
            weight,
            center,
            radius,
        } => Piece::Disk {
            center: *center,
            radius2: radius * radius,
            level: weight / (PI * radius * radius),
        },
        Component::Ring {
            weight,
            center,
            radius,
            width,
        } => Piece::Ring {
            center: *center,
            radius: *radius,
            inv_width: 1.0 / width,
            // ∫ exp(−(r − R)²/2w²) 2πr dr ≈ 2πR·√(2π)·w for w ≪ R.
            scale: weight / (2.0 * PI * radius * (2.0 * PI).sqrt() * width),
        },
        Component::Rectangle { weight, min, max } => Piece::Rectangle {
            min: *min,
            max: *max,
            level: weight / ((max.0 - min.0) * (max.1 - min.1)),
        },
        Component::Polygon { weight, vertices } => Piece::Polygon {
            shape: Polygon {
                vertices: vertices.iter().map(|v| [v.0, v.1]).collect(),
            },
            level: weight / polygon_area(vertices).abs(),
        },
        Component::Image {
            weight,
            path: image,
            min,
            max,
            invert,
        } => Piece::Picture {
            picture: load_picture(&base.join(image), *min, *max, *invert).map_err(|message| {
                SceneError::Image {
                    path: path.to_path_buf(),
                    field: field.to_string(),
                    image: base.join(image),
                    message,
                }
            })?,
            weight: *weight,
        },
    })
}

/// Loads a picture as luminance in [0, 1] (inverted if asked), normalised to integrate to 1
/// over [min, max].
fn load_picture(file: &Path, min: Point, max: Point, invert: bool) -> Result<Picture, String> {
    let image = image::ImageReader::open(file)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map_err(|e| e.to_string())?
        .into_luma16();
    let (width, height) = (image.width() as usize, image.height() as usize);
    let mut values: Vec<f64> = image
        .pixels()
        .map(|p| {
            let luma = f64::from(p.0[0]) / f64::from(u16::MAX);
            if invert { 1.0 - luma } else { luma }
        })
        .collect();
    let pixel_area = (max.0 - min.0) * (max.1 - min.1) / (width * height) as f64;
    let mass: f64 = values.iter().sum::<f64>() * pixel_area;
    if mass <= 0.0 {
        let dark = if invert { "white" } else { "black" };
        return Err(format!(
            "the picture is entirely {dark}, so it has no density"
        ));
    }
    values.iter_mut().for_each(|v| *v /= mass);
    Ok(Picture {
        min,
        max,
        width,
        height,
        values,
    })
}
