//! The agents as the numerics see them: positions and masses in flat buffers.

use super::error::{NumericsError, Result};

/// N agents in ℝᴰ: positions (length) and masses (dimensionless, summing to the total mass M).
#[derive(Debug, Clone, PartialEq)]
pub struct Swarm<const D: usize> {
    positions: Vec<[f64; D]>,
    masses: Vec<f64>,
}

impl<const D: usize> Swarm<D> {
    /// A swarm with the given positions and masses.
    ///
    /// # Errors
    ///
    /// If there are no agents, the lengths differ, a coordinate is not finite, or a mass is not
    /// finite and positive.
    pub fn new(positions: Vec<[f64; D]>, masses: Vec<f64>) -> Result<Self> {
        if positions.is_empty() {
            return Err(NumericsError::NoAgents);
        }
        if positions.len() != masses.len() {
            return Err(NumericsError::LengthMismatch {
                positions: positions.len(),
                masses: masses.len(),
            });
        }
        if let Some(agent) = positions
            .iter()
            .position(|x| x.iter().any(|c| !c.is_finite()))
        {
            return Err(NumericsError::NonFinitePosition {
                agent,
                position: positions[agent].to_vec(),
            });
        }
        if let Some(agent) = masses.iter().position(|m| !(m.is_finite() && *m > 0.0)) {
            return Err(NumericsError::BadMass {
                agent,
                mass: masses[agent],
            });
        }
        Ok(Self { positions, masses })
    }

    /// Agents of equal mass `total_mass / N`.
    ///
    /// # Errors
    ///
    /// As [`Swarm::new`], and if `total_mass` is not finite and positive.
    pub fn with_equal_masses(positions: Vec<[f64; D]>, total_mass: f64) -> Result<Self> {
        let len = positions.len();
        Self::new(positions, vec![total_mass / len.max(1) as f64; len])
    }

    /// Number of agents.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Always false: a swarm has at least one agent.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Positions.
    pub fn positions(&self) -> &[[f64; D]] {
        &self.positions
    }

    /// Positions, for integrators.
    pub fn positions_mut(&mut self) -> &mut [[f64; D]] {
        &mut self.positions
    }

    /// Masses.
    pub fn masses(&self) -> &[f64] {
        &self.masses
    }

    /// Total mass M = Σ m_i.
    pub fn total_mass(&self) -> f64 {
        self.masses.iter().sum()
    }

    /// A 64-bit FNV-1a hash of the exact bits of every position, for determinism checks.
    pub fn state_hash(&self) -> u64 {
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        for c in self.positions.iter().flatten() {
            for byte in c.to_bits().to_le_bytes() {
                hash = (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3);
            }
        }
        hash
    }
}
