//! Undo and redo for scenario edits: snapshots of the whole scenario, with rapid successive
//! changes (dragging a slider) merged into one step.

use super::scenario::Scenario;

/// Most undo steps kept.
const LIMIT: usize = 200;

/// Changes closer together than this (s) form one undo step.
const MERGE_WINDOW: f64 = 0.5;

/// The undo and redo stacks of scenario edits.
#[derive(Debug, Clone, Default)]
pub struct EditHistory {
    undo: Vec<Scenario>,
    redo: Vec<Scenario>,
    last_change: Option<f64>,
}

impl EditHistory {
    /// Notes that the scenario was `before` until an edit at time `now` (s, any clock); the
    /// redo stack is dropped. An edit within 0.5 s of the previous one joins its undo step.
    pub fn record(&mut self, before: Scenario, now: f64) {
        let merge =
            self.last_change.is_some_and(|t| now - t < MERGE_WINDOW) && !self.undo.is_empty();
        if !merge {
            self.undo.push(before);
            if self.undo.len() > LIMIT {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last_change = Some(now);
    }

    /// Notes an edit that is an undo step of its own (a button click, a drawn shape): it never
    /// joins the previous step, and the next edit does not join it.
    pub fn record_step(&mut self, before: Scenario) {
        self.last_change = None;
        self.record(before, 0.0);
        self.last_change = None;
    }

    /// The scenario before the last edit, if any; `current` becomes redoable.
    pub fn undo(&mut self, current: &Scenario) -> Option<Scenario> {
        let previous = self.undo.pop()?;
        self.redo.push(current.clone());
        self.last_change = None;
        Some(previous)
    }

    /// The scenario the last undo left, if any; `current` becomes undoable again.
    pub fn redo(&mut self, current: &Scenario) -> Option<Scenario> {
        let next = self.redo.pop()?;
        self.undo.push(current.clone());
        self.last_change = None;
        Some(next)
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::scenario::DEFAULT_SCENARIO;

    fn scenario() -> Scenario {
        Scenario::from_ron(DEFAULT_SCENARIO, std::path::Path::new("default")).unwrap()
    }

    #[test]
    fn undo_and_redo_walk_the_edits() {
        let mut history = EditHistory::default();
        let original = scenario();
        let mut edited = original.clone();
        edited.target.background = 0.5;
        history.record(original.clone(), 0.0);
        let mut twice = edited.clone();
        twice.target.components.pop();
        history.record(edited.clone(), 10.0);

        assert_eq!(history.undo(&twice), Some(edited.clone()));
        assert_eq!(history.undo(&edited), Some(original.clone()));
        assert_eq!(history.undo(&original), None);
        assert_eq!(history.redo(&original), Some(edited.clone()));
        assert_eq!(history.redo(&edited), Some(twice.clone()));
        assert!(!history.can_redo());
    }

    #[test]
    fn a_drag_is_one_step_and_a_new_edit_drops_the_redo() {
        let mut history = EditHistory::default();
        let original = scenario();
        let mut current = original.clone();
        for k in 0..10 {
            let before = current.clone();
            current.target.background = 0.1 * k as f64;
            history.record(before, 0.05 * k as f64);
        }
        assert_eq!(history.undo(&current), Some(original.clone()));
        assert!(!history.can_undo());
        assert!(history.can_redo());
        history.record(original.clone(), 100.0);
        assert!(
            !history.can_redo(),
            "a new edit after an undo drops the redo stack"
        );
    }
}
