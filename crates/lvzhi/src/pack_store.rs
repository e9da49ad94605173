//! Policy packs in force: the packs embedded in the binary (`packs/*.toml`) and the packs a unit
//! loaded at run time, kept as `DATA_DIR/packs/ID.toml`. A stored pack with the id of a built-in
//! one replaces it (a unit's own version of 000 with its local periods, DESIGN §4), so a rebuild
//! is never needed to change a regulation. A new pack is checked together with every other pack
//! in force (cross-pack references, `supersedes`, the procedure's periods) before it is written,
//! and written atomically: a rejected pack changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lvzhi_rules::{parse_pack, PackErrors, PackSet};

use crate::calendar_store::{read_stored, write_atomically};
use crate::error::AppError;
use crate::policy_cmd::embedded::EMBEDDED;

fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("packs")
}

fn pack_errors(e: PackErrors) -> AppError {
    AppError::Policy(format!("政策包未能载入（共 {} 处错误）：\n{e}", e.0.len()))
}

/// Stored pack files (`DATA_DIR/packs/*.toml`) as (path for messages, text), by file name.
fn stored(data_dir: &Path) -> Result<BTreeMap<String, (String, String)>, AppError> {
    let dir = dir(data_dir);
    // Temp files of an interrupted write start with a dot and are never loaded.
    let wanted = |name: &str| name.ends_with(".toml") && !name.starts_with('.');
    Ok(read_stored(&dir, wanted)?
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(&name).display().to_string();
            (name, (path, text))
        })
        .collect())
}

/// The set in force from stored files plus the built-in packs whose id no stored file takes.
fn link(stored: &[(String, String)]) -> Result<PackSet, AppError> {
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in stored {
        match parse_pack(name, text) {
            Ok(p) => ids.push(p.meta.id.clone()),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(pack_errors(PackErrors(errors)));
    }
    let mut all: Vec<(&str, &str)> = stored
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    for (name, text) in EMBEDDED {
        let replaced = parse_pack(name, text)
            .map(|p| ids.contains(&p.meta.id))
            .unwrap_or(false);
        if !replaced {
            all.push((name, text));
        }
    }
    let set = PackSet::load(all).map_err(pack_errors)?;
    // The application workflow takes its periods from 000: a set without them cannot run.
    lvzhi_service::packs::procedure_periods(&set).map_err(AppError::Policy)?;
    Ok(set)
}

/// The packs in force for this data directory.
pub(crate) fn load(data_dir: &Path) -> Result<PackSet, AppError> {
    let files: Vec<(String, String)> = stored(data_dir)?.into_values().collect();
    link(&files)
}

/// A pack id usable as a file name: letters, digits, `-`, `_` and `.`, not starting with `.`.
fn file_name_for(id: &str) -> Option<String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then(|| format!("{id}.toml"))
}

/// Validates a pack's text with every pack in force, stores it as `DATA_DIR/packs/ID.toml`
/// (replacing a stored or built-in pack of the same id) and returns the new set. `label` names
/// the text in error messages. Nothing is stored on error.
pub(crate) fn import(
    data_dir: &Path,
    label: &str,
    text: &str,
) -> Result<(PackSet, String), AppError> {
    let pack = parse_pack(label, text).map_err(pack_errors)?;
    let id = pack.meta.id.clone();
    let Some(name) = file_name_for(&id) else {
        return Err(AppError::Policy(format!(
            "政策包 id“{id}”不能用作文件名：只能包含字母、数字、连字符、下划线和点，且不以点开头"
        )));
    };
    let mut files = stored(data_dir)?;
    files.insert(name.clone(), (label.to_string(), text.to_string()));
    let set = link(&files.into_values().collect::<Vec<_>>())?;
    write_atomically(&dir(data_dir), &name, text)?;
    Ok((set, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_000() -> &'static str {
        EMBEDDED
            .iter()
            .find(|(n, _)| n.ends_with("/000.toml"))
            .map(|(_, t)| *t)
            .unwrap()
    }

    #[test]
    fn builtin_packs_load_without_stored_ones() {
        let dir = tempfile::tempdir().unwrap();
        let set = load(dir.path()).unwrap();
        assert!(set.pack("000").is_ok());
        assert!(set.pack("004-2016").is_ok());
    }

    #[test]
    fn a_stored_pack_replaces_the_builtin_of_the_same_id() {
        let dir = tempfile::tempdir().unwrap();
        let local = pack_000().replace(
            "title = \"阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则\"",
            "title = \"本地修订的实施细则\"",
        );
        let (set, id) = import(dir.path(), "upload.toml", &local).unwrap();
        assert_eq!(id, "000");
        assert_eq!(set.pack("000").unwrap().meta.title, "本地修订的实施细则");
        assert!(dir.path().join("packs/000.toml").exists());
        let again = load(dir.path()).unwrap();
        assert_eq!(again.pack("000").unwrap().meta.title, "本地修订的实施细则");
    }

    #[test]
    fn a_bad_pack_is_refused_in_chinese_and_nothing_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let err = import(dir.path(), "bad.toml", "[pack]\nid = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.toml"), "{err}");
        assert!(!dir.path().join("packs").exists());
        let err = import(
            dir.path(),
            "evil.toml",
            &pack_000().replace("id = \"000\"", "id = \"../000\""),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("不能用作文件名") || err.contains("evil.toml"),
            "{err}"
        );
        assert!(!dir.path().join("packs").exists());
    }
}
