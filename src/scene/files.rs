//! Writing output files atomically: a temporary file in the same folder, renamed into place, so
//! a failed run never leaves a half-written file.

use std::io::Write;
use std::path::Path;

use super::error::SceneError;

fn write_error(path: &Path, message: impl std::fmt::Display) -> SceneError {
    SceneError::Write {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// Reads a whole text file.
///
/// # Errors
///
/// [`SceneError::Read`] naming the file and the reason.
pub fn read_text(path: &Path) -> Result<String, SceneError> {
    std::fs::read_to_string(path).map_err(|source| SceneError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// The folder a file is in ("." for a bare file name): where it is written, and what relative
/// paths inside a scenario file are anchored to.
pub fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Checks, before any work is done, that `path` can be written: its folder exists and a file
/// can be created there, and `path` itself is not a folder.
///
/// # Errors
///
/// [`SceneError::Write`] naming the file and the reason.
pub fn check_writable(path: &Path) -> Result<(), SceneError> {
    if path.is_dir() {
        return Err(write_error(path, "it is a folder"));
    }
    let dir = folder(path);
    if !dir.is_dir() {
        return Err(write_error(
            path,
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    tempfile::NamedTempFile::new_in(dir)
        .map(drop)
        .map_err(|e| write_error(path, e))
}

/// Writes `path` atomically with the bytes produced by `fill`.
///
/// # Errors
///
/// [`SceneError::Write`] if the temporary file cannot be created, written or renamed; the
/// target file is then untouched.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), SceneError> {
    let mut file =
        tempfile::NamedTempFile::new_in(folder(path)).map_err(|e| write_error(path, e))?;
    {
        let mut writer = std::io::BufWriter::new(file.as_file_mut());
        fill(&mut writer).map_err(|e| write_error(path, e))?;
        writer.flush().map_err(|e| write_error(path, e))?;
    }
    // A temporary file is private (0600); the result should read like any other output.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let readable = std::fs::Permissions::from_mode(0o644);
        file.as_file()
            .set_permissions(readable)
            .map_err(|e| write_error(path, e))?;
    }
    file.persist(path).map_err(|e| write_error(path, e.error))?;
    Ok(())
}
