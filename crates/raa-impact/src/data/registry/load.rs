//! Loading the registry: the bundled files compiled into the crate, or a user's folder.
//!
//! Both paths parse the same four CSV files (see `data/registry/README.md` for their columns)
//! and run the consistency checks of [`super::check`].

use super::check::check;
use super::read::{parse_registry, RegistryTexts, FILE_NAMES};
use super::types::Registry;
use crate::{Error, Result};
use std::path::Path;

/// The bundled files, compiled into the crate.
pub const BUNDLED: RegistryTexts<'static> = RegistryTexts {
    las: include_str!("../../../data/registry/las.csv"),
    raas: include_str!("../../../data/registry/raas.csv"),
    milestones: include_str!("../../../data/registry/milestones.csv"),
    memberships: include_str!("../../../data/registry/memberships.csv"),
};

/// The registry bundled with the library (built from `tests/data/raa_golive.csv` and
/// `tests/data/england_las.csv`; every row keeps its source URL and confidence flag).
///
/// ```
/// let reg = raa_impact::data::registry::load::bundled().unwrap();
/// assert_eq!(reg.la("886").unwrap().name, "Kent");
/// ```
pub fn bundled() -> Result<Registry> {
    from_texts(BUNDLED)
}

/// Parse and check a registry from the text of its four files.
pub fn from_texts(texts: RegistryTexts<'_>) -> Result<Registry> {
    let reg = parse_registry(texts)?;
    check(&reg)?;
    Ok(reg)
}

/// Load `las.csv`, `raas.csv`, `milestones.csv` and `memberships.csv` from `dir` (e.g. files
/// written by [`super::write::to_dir`] and edited), and check them.
pub fn from_dir(dir: &Path) -> Result<Registry> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).map_err(|e| Error::io(path.display().to_string(), e))
    };
    let [las, raas, milestones, memberships] = FILE_NAMES.map(read);
    from_texts(RegistryTexts {
        las: &las?,
        raas: &raas?,
        milestones: &milestones?,
        memberships: &memberships?,
    })
}
