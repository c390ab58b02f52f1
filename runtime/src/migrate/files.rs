//! The migrations directory sqlx reads (`sqlx migrate run`, `sqlx::migrate!`,
//! `Migrator::new`): one file per migration, `<version>_<description>.sql`, applied in the
//! order of the versions.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::render::Script;
use crate::values::error::{Error, Result};

/// A migration file written into a migrations directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFile {
    /// The file's path: `<dir>/<version>_<description>.sql`.
    pub path: PathBuf,
    /// Its version, the number sqlx orders migrations by.
    pub version: i64,
    /// What in it needs a person's attention ([`Script::warnings`]).
    pub warnings: Vec<String>,
}

/// Writes `script` as the next migration of `dir` (created when missing), or nothing when it
/// is empty (`Ok(None)`: the database already matches the models).
///
/// The version is one more than the highest in the directory (`0001` in an empty one), the
/// numbering of `sqlx migrate add --sequential`; after migrations named by timestamp it is
/// the last timestamp plus one, which still sorts last. The description becomes the rest of
/// the name, lower case, `_` between words. An existing file is never overwritten.
pub fn write(dir: &Path, description: &str, script: &Script) -> Result<Option<MigrationFile>> {
    if script.is_empty() {
        return Ok(None);
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::MigrationIo { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut last = 0;
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        if let Some(version) = version_of(&entry.file_name().to_string_lossy()) {
            last = last.max(version);
        }
    }
    let version = last.checked_add(1).ok_or_else(|| Error::MigrationIo {
        path: dir.to_owned(),
        source: std::io::Error::other("the highest migration version leaves no next one"),
    })?;
    let path = dir.join(format!("{version:04}_{}.sql", slug(description)));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(io(&path))?;
    file.write_all(script.sql.as_bytes()).map_err(io(&path))?;
    Ok(Some(MigrationFile {
        path,
        version,
        warnings: script.warnings.clone(),
    }))
}

/// The version of a file sqlx takes for a migration: `<i64>_<anything>.sql`.
fn version_of(name: &str) -> Option<i64> {
    let (version, rest) = name.split_once('_')?;
    rest.ends_with(".sql")
        .then(|| version.parse().ok())
        .flatten()
}

/// `Add user avatars!` -> `add_user_avatars`; `migration` when nothing is left.
fn slug(description: &str) -> String {
    let words: Vec<String> = description
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "migration".to_owned()
    } else {
        words.join("_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_as_sqlx_reads_them() {
        assert_eq!(version_of("0001_initial.sql"), Some(1));
        assert_eq!(
            version_of("20240102030405_add_users.up.sql"),
            Some(20240102030405)
        );
        assert_eq!(version_of("0002_notes.txt"), None);
        assert_eq!(version_of("README.md"), None);
        assert_eq!(version_of("x_initial.sql"), None);
    }

    #[test]
    fn descriptions_become_file_names() {
        assert_eq!(slug("Add user avatars!"), "add_user_avatars");
        assert_eq!(slug("initial"), "initial");
        assert_eq!(slug("../.."), "migration");
    }
}
