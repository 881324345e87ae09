//! Free space: the domain box minus the obstacles, with the projection of a point to the nearest
//! free point and the confinement potential V = (κ/2)·dist(x, free space)².

use std::fmt::Debug;

/// A closed obstacle shape in ℝᴰ. Its boundary counts as free space.
pub trait Shape<const D: usize>: Debug + Send + Sync {
    /// Whether `x` lies strictly inside the shape.
    fn contains(&self, x: &[f64; D]) -> bool;
    /// The point of the shape's boundary nearest to `x` (for `x` inside or outside).
    fn nearest_boundary_point(&self, x: &[f64; D]) -> [f64; D];
}

/// A ball (disk in 2D) of the given centre and radius (length).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ball<const D: usize> {
    /// Centre.
    pub center: [f64; D],
    /// Radius (length), positive.
    pub radius: f64,
}

impl<const D: usize> Shape<D> for Ball<D> {
    fn contains(&self, x: &[f64; D]) -> bool {
        distance_squared(x, &self.center) < self.radius * self.radius
    }

    fn nearest_boundary_point(&self, x: &[f64; D]) -> [f64; D] {
        let r = distance_squared(x, &self.center).sqrt();
        if r == 0.0 {
            // Any boundary point is nearest from the centre; pick the +x one.
            return std::array::from_fn(|k| {
                self.center[k] + if k == 0 { self.radius } else { 0.0 }
            });
        }
        std::array::from_fn(|k| self.center[k] + (x[k] - self.center[k]) * self.radius / r)
    }
}

/// An axis-aligned box [lo, hi].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cuboid<const D: usize> {
    /// Lower corner.
    pub lo: [f64; D],
    /// Upper corner.
    pub hi: [f64; D],
}

impl<const D: usize> Shape<D> for Cuboid<D> {
    fn contains(&self, x: &[f64; D]) -> bool {
        (0..D).all(|k| x[k] > self.lo[k] && x[k] < self.hi[k])
    }

    fn nearest_boundary_point(&self, x: &[f64; D]) -> [f64; D] {
        if !self.contains(x) {
            return std::array::from_fn(|k| x[k].clamp(self.lo[k], self.hi[k]));
        }
        // Inside: leave through the nearest face.
        let (axis, to_hi) = (0..D)
            .flat_map(|k| [(k, false, x[k] - self.lo[k]), (k, true, self.hi[k] - x[k])])
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(k, up, _)| (k, up))
            .unwrap_or((0, false));
        let mut p = *x;
        p[axis] = if to_hi { self.hi[axis] } else { self.lo[axis] };
        p
    }
}

/// A simple polygon in the plane (convex or not), given by its vertices in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    /// Vertices in order (either orientation), at least 3.
    pub vertices: Vec<[f64; 2]>,
}

impl Polygon {
    fn edges(&self) -> impl Iterator<Item = ([f64; 2], [f64; 2])> + '_ {
        let n = self.vertices.len();
        (0..n).map(move |i| (self.vertices[i], self.vertices[(i + 1) % n]))
    }
}

impl Shape<2> for Polygon {
    fn contains(&self, x: &[f64; 2]) -> bool {
        // Even-odd crossing rule; points on an edge count as outside.
        let mut inside = false;
        for (a, b) in self.edges() {
            if (a[1] > x[1]) != (b[1] > x[1]) {
                let cross_x = a[0] + (x[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                if x[0] < cross_x {
                    inside = !inside;
                }
            }
        }
        inside
            && !self
                .edges()
                .any(|(a, b)| distance_squared(&nearest_on_segment(x, a, b), x) == 0.0)
    }

    fn nearest_boundary_point(&self, x: &[f64; 2]) -> [f64; 2] {
        self.edges()
            .map(|(a, b)| nearest_on_segment(x, a, b))
            .min_by(|p, q| distance_squared(p, x).total_cmp(&distance_squared(q, x)))
            .unwrap_or(*x)
    }
}

/// Nearest point to `x` on the segment [a, b].
fn nearest_on_segment(x: &[f64; 2], a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    let ab = [b[0] - a[0], b[1] - a[1]];
    let len2 = ab[0] * ab[0] + ab[1] * ab[1];
    let s = if len2 > 0.0 {
        (((x[0] - a[0]) * ab[0] + (x[1] - a[1]) * ab[1]) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    [a[0] + s * ab[0], a[1] + s * ab[1]]
}

/// |a − b|².
#[inline]
pub fn distance_squared<const D: usize>(a: &[f64; D], b: &[f64; D]) -> f64 {
    (0..D).map(|k| (a[k] - b[k]) * (a[k] - b[k])).sum()
}

/// The free space: the domain box [lo, hi] minus the union of the obstacles.
#[derive(Debug)]
pub struct FreeSpace<const D: usize> {
    lo: [f64; D],
    hi: [f64; D],
    obstacles: Vec<Box<dyn Shape<D>>>,
    /// Free sample points (grid nodes), the fallback when no obstacle boundary point is free.
    samples: Vec<[f64; D]>,
    /// Outward push after projecting to a boundary, so rounding cannot leave a point inside.
    nudge: f64,
}

impl<const D: usize> FreeSpace<D> {
    /// The box [lo, hi] minus `obstacles`. Bounds are assumed checked by the caller.
    pub fn new(lo: [f64; D], hi: [f64; D], obstacles: Vec<Box<dyn Shape<D>>>) -> Self {
        let size = (0..D).map(|k| hi[k] - lo[k]).fold(0.0, f64::max);
        Self {
            lo,
            hi,
            obstacles,
            samples: Vec::new(),
            nudge: 1e-10 * size,
        }
    }

    /// Sets the free sample points used when the projection cannot find a free boundary point
    /// (deep inside overlapping obstacles); only points that are free are kept.
    pub fn set_samples(&mut self, points: impl Iterator<Item = [f64; D]>) {
        self.samples = points.filter(|p| self.is_free(p)).collect();
    }

    /// Number of free sample points.
    pub fn free_samples(&self) -> usize {
        self.samples.len()
    }

    /// Lower corner of the domain.
    pub fn lo(&self) -> [f64; D] {
        self.lo
    }

    /// Upper corner of the domain.
    pub fn hi(&self) -> [f64; D] {
        self.hi
    }

    /// The obstacles.
    pub fn obstacles(&self) -> &[Box<dyn Shape<D>>] {
        &self.obstacles
    }

    /// Whether `x` is inside the closed domain box.
    pub fn in_domain(&self, x: &[f64; D]) -> bool {
        (0..D).all(|k| x[k] >= self.lo[k] && x[k] <= self.hi[k])
    }

    /// Whether `x` is in the domain and inside no obstacle.
    pub fn is_free(&self, x: &[f64; D]) -> bool {
        self.in_domain(x) && !self.obstacles.iter().any(|o| o.contains(x))
    }

    /// The free point nearest to `x` (x itself when it is free).
    ///
    /// Cost O(K²) for K obstacles when `x` is inside one; a linear scan of the free samples, then
    /// a bisection, in the rare case that the nearest boundary point of every obstacle holding x
    /// is inside another obstacle.
    pub fn project(&self, x: &[f64; D]) -> [f64; D] {
        let clamped = self.clamp(x);
        if self.is_free(&clamped) {
            return clamped;
        }
        // A free point is outside every obstacle holding x, so it is at least as far as the
        // nearest boundary point of each: any such boundary point that is free is optimal.
        let candidate = self
            .obstacles
            .iter()
            .filter(|o| o.contains(&clamped))
            .map(|o| self.push_out(&clamped, o.nearest_boundary_point(&clamped)))
            .find(|p| self.is_free(p));
        candidate.unwrap_or_else(|| self.project_by_samples(&clamped))
    }

    /// Where an agent inside an obstacle that has just appeared goes: its mirror image across
    /// the nearest boundary, as far outside as it was inside, so that the agents a new obstacle
    /// catches spread over a band around it instead of piling up on its edge. When the mirror
    /// image is not free (another obstacle, a wall), the nearest free point. Free points stay.
    pub fn evict(&self, x: &[f64; D]) -> [f64; D] {
        let nearest = self.project(x);
        if nearest == *x {
            return nearest;
        }
        let mirror: [f64; D] = std::array::from_fn(|k| 2.0 * nearest[k] - x[k]);
        if self.is_free(&mirror) {
            mirror
        } else {
            nearest
        }
    }

    /// Fallback projection: the nearest free sample s, then bisection on the segment from `x` to
    /// s for the first free point, which lies on the boundary of the obstacles' union.
    fn project_by_samples(&self, x: &[f64; D]) -> [f64; D] {
        let Some(sample) = self
            .samples
            .iter()
            .min_by(|p, q| distance_squared(p, x).total_cmp(&distance_squared(q, x)))
        else {
            return *x;
        };
        let along = |t: f64| -> [f64; D] { std::array::from_fn(|k| x[k] + t * (sample[k] - x[k])) };
        let (mut inside, mut free) = (0.0, 1.0);
        for _ in 0..48 {
            let mid = 0.5 * (inside + free);
            if self.is_free(&along(mid)) {
                free = mid;
            } else {
                inside = mid;
            }
        }
        along(free)
    }

    /// V(x) = (κ/2)·|x − P(x)|² and ∇V = κ·(x − P(x)), with P the projection to free space.
    pub fn confinement(&self, x: &[f64; D], kappa: f64) -> (f64, [f64; D]) {
        if self.is_free(x) {
            return (0.0, [0.0; D]);
        }
        let p = self.project(x);
        let offset: [f64; D] = std::array::from_fn(|k| x[k] - p[k]);
        let d2: f64 = offset.iter().map(|o| o * o).sum();
        (0.5 * kappa * d2, offset.map(|o| kappa * o))
    }

    fn clamp(&self, x: &[f64; D]) -> [f64; D] {
        std::array::from_fn(|k| x[k].clamp(self.lo[k], self.hi[k]))
    }

    /// Moves a boundary point `p` reached from `x` a hair further out, then back into the box.
    fn push_out(&self, x: &[f64; D], p: [f64; D]) -> [f64; D] {
        let d = distance_squared(x, &p).sqrt();
        if d == 0.0 {
            return p;
        }
        self.clamp(&std::array::from_fn(|k| {
            p[k] + (p[k] - x[k]) / d * self.nudge
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_rooms() -> FreeSpace<2> {
        let obstacles: Vec<Box<dyn Shape<2>>> = vec![
            Box::new(Ball {
                center: [0.3, 0.5],
                radius: 0.2,
            }),
            Box::new(Cuboid {
                lo: [0.4, 0.4],
                hi: [0.8, 0.6],
            }),
            Box::new(Polygon {
                vertices: vec![[0.1, 0.9], [0.3, 0.9], [0.2, 0.99]],
            }),
        ];
        let mut free = FreeSpace::new([0.0, 0.0], [1.0, 1.0], obstacles);
        let samples: Vec<[f64; 2]> = (0..10_000)
            .map(|i| [(i % 100) as f64 / 99.0, (i / 100) as f64 / 99.0])
            .collect();
        free.set_samples(samples.into_iter());
        free
    }

    #[test]
    fn projection_is_free_and_nearest() {
        let free = two_rooms();
        let probes = [
            [0.3, 0.5],
            [0.45, 0.45],
            [0.79, 0.59],
            [1.3, -0.2],
            [0.2, 0.95],
            [0.5, 0.5],
        ];
        for x in probes {
            let p = free.project(&x);
            assert!(
                free.is_free(&p),
                "{x:?} projected to {p:?}, which is not free"
            );
            // No free sample is meaningfully nearer than the projection.
            let best = free
                .samples
                .iter()
                .map(|s| distance_squared(s, &x).sqrt())
                .fold(f64::INFINITY, f64::min);
            assert!(
                distance_squared(&p, &x).sqrt() <= best + 1e-9,
                "{x:?} -> {p:?}"
            );
        }
    }

    #[test]
    fn evicted_points_go_to_their_mirror_image_unless_it_is_blocked() {
        let disk = |center| -> FreeSpace<2> {
            FreeSpace::new(
                [0.0, 0.0],
                [1.0, 1.0],
                vec![Box::new(Ball {
                    center,
                    radius: 0.2,
                })],
            )
        };
        // 0.05 inside the rim: 0.05 outside it, on the same ray from the centre.
        let free = disk([0.5, 0.5]);
        let out = free.evict(&[0.65, 0.5]);
        assert!(
            (out[0] - 0.75).abs() < 1e-9 && (out[1] - 0.5).abs() < 1e-9,
            "{out:?}"
        );
        assert_eq!(free.evict(&[0.1, 0.9]), [0.1, 0.9]);
        // Next to the wall the mirror image is outside the box: the nearest free point instead.
        let free = disk([0.22, 0.5]);
        let out = free.evict(&[0.1, 0.5]);
        assert!(free.is_free(&out));
        assert!(
            (out[0] - 0.02).abs() < 1e-9 && (out[1] - 0.5).abs() < 1e-9,
            "{out:?}"
        );
    }

    #[test]
    fn polygon_inside_test_handles_non_convex_shapes() {
        let l_shape = Polygon {
            vertices: vec![
                [0.0, 0.0],
                [2.0, 0.0],
                [2.0, 1.0],
                [1.0, 1.0],
                [1.0, 2.0],
                [0.0, 2.0],
            ],
        };
        assert!(l_shape.contains(&[0.5, 1.5]));
        assert!(l_shape.contains(&[1.5, 0.5]));
        assert!(!l_shape.contains(&[1.5, 1.5]));
        assert!(!l_shape.contains(&[1.0, 1.5]), "a point on an edge is free");
    }
}
