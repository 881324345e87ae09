//! Errors about scenario files, images and outputs, each naming the file and what is wrong.

use std::path::PathBuf;

use thiserror::Error;

use crate::numerics::NumericsError;

/// A problem with a scenario or an output file. Every message names the file; semantic errors
/// also name the field path, the value and what is allowed.
#[derive(Debug, Error)]
pub enum SceneError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// RON syntax or structure error (unknown or missing fields, wrong types).
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A value is out of its allowed range.
    #[error("{path}: {field} is {value}, but {allowed}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Field path, e.g. `target.components[2].radius`.
        field: String,
        /// The value given.
        value: String,
        /// What is allowed.
        allowed: String,
    },
    /// An image target could not be loaded.
    #[error("{path}: {field}: cannot load image {image}: {message}")]
    Image {
        /// The scenario file.
        path: PathBuf,
        /// Field path of the image component.
        field: String,
        /// The image file.
        image: PathBuf,
        /// Why.
        message: String,
    },
    /// The scenario is well-formed but the solver rejects it.
    #[error("{path}: {source}")]
    Numerics {
        /// The scenario file.
        path: PathBuf,
        /// The solver's reason.
        source: NumericsError,
    },
    /// An output file cannot be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

impl SceneError {
    /// A [`SceneError::Syntax`] for `path` from a RON parse error.
    pub fn syntax(path: &std::path::Path, error: ron::error::SpannedError) -> Self {
        Self::Syntax {
            path: path.to_path_buf(),
            line: error.span.start.line,
            column: error.span.start.col,
            message: error.code.to_string(),
        }
    }

    /// An [`SceneError::Invalid`] for `path`.
    pub fn invalid(
        path: &std::path::Path,
        field: impl Into<String>,
        value: impl std::fmt::Display,
        allowed: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            path: path.to_path_buf(),
            field: field.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }
}
