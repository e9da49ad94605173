//! Where imported schedules live between runs: `DATA_DIR/calendars/YEAR.txt` for a year's
//! official notice and `DATA_DIR/calendars/YEAR-local.txt` for a unit's local additions.
//! Files are validated as a whole calendar before anything is written, and written atomically.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use lvzhi_calendar::{parse_schedule, Calendar, CalendarError, ScheduleMode};

use crate::error::AppError;

fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("calendars")
}

/// Stored schedule files by file name, read from disk.
fn stored(data_dir: &Path) -> Result<BTreeMap<String, String>, AppError> {
    read_stored(&dir(data_dir), |name| name.ends_with(".txt"))
}

/// The files of `dir` whose names `wanted` accepts, as file name → text; none when `dir` does
/// not exist yet (nothing was ever imported). Shared with the pack store.
pub(crate) fn read_stored(
    dir: &Path,
    wanted: impl Fn(&str) -> bool,
) -> Result<BTreeMap<String, String>, AppError> {
    let mut files = BTreeMap::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(source) => {
            return Err(AppError::Read {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    for entry in entries {
        let entry = entry.map_err(|source| AppError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if !wanted(&name) {
            continue;
        }
        files.insert(name, read_text(&path)?);
    }
    Ok(files)
}

pub(crate) fn read_text(path: &Path) -> Result<String, AppError> {
    let bytes = fs::read(path).map_err(|source| AppError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|_| AppError::NotUtf8(path.to_path_buf()))
}

/// Builds the calendar from the embedded notices and a set of stored files: official notices
/// first (they replace embedded years), then local additions on top.
/// `label` names a stored file in error messages (the file being imported goes by the path
/// the user typed, not by its future stored name).
fn build(
    files: &BTreeMap<String, String>,
    label: impl Fn(&str) -> String,
) -> Result<Calendar, CalendarError> {
    let mut cal = Calendar::embedded();
    for local_pass in [false, true] {
        for (name, text) in files {
            if name.ends_with("-local.txt") == local_pass {
                cal = cal.with_schedule_text(&label(name), text)?;
            }
        }
    }
    Ok(cal)
}

/// The calendar in force for this data directory.
pub(crate) fn load(data_dir: &Path) -> Result<Calendar, AppError> {
    let dir = dir(data_dir);
    Ok(build(&stored(data_dir)?, |name| {
        dir.join(name).display().to_string()
    })?)
}

/// What an import did.
pub(crate) struct Imported {
    pub year: i32,
    pub mode: ScheduleMode,
    pub source: String,
    pub holidays: usize,
    pub workdays: usize,
    pub path: PathBuf,
}

/// Validates `path` against the calendar in force and stores it. Nothing changes on error.
pub(crate) fn import(data_dir: &Path, path: &Path) -> Result<Imported, AppError> {
    let text = read_text(path)?;
    import_text(data_dir, &path.display().to_string(), &text)
}

/// Validates a schedule's text against the calendar in force and stores it atomically (temp
/// file + rename). `label` names the text in error messages (a path, or an uploaded file's
/// name). Nothing changes on error. Shared by `calendar import` and the web application.
pub(crate) fn import_text(data_dir: &Path, label: &str, text: &str) -> Result<Imported, AppError> {
    let display = label.to_string();
    let schedule = parse_schedule(text).map_err(|source| CalendarError::Schedule {
        file: display.clone(),
        source,
    })?;
    let name = match schedule.mode {
        ScheduleMode::Replace => format!("{}.txt", schedule.year),
        ScheduleMode::Extend => format!("{}-local.txt", schedule.year),
    };
    let mut files = stored(data_dir)?;
    files.insert(name.clone(), text.to_string());
    // Re-check the whole set: a new official notice must still accept the year's local days.
    let dir = dir(data_dir);
    build(&files, |stored_name| {
        if stored_name == name {
            display.clone()
        } else {
            dir.join(stored_name).display().to_string()
        }
    })?;
    let target = write_atomically(&dir, &name, text)?;
    let holidays = schedule
        .days
        .values()
        .filter(|d| d.kind == lvzhi_calendar::SpecialKind::Holiday)
        .count();
    Ok(Imported {
        year: schedule.year,
        mode: schedule.mode,
        source: schedule.source,
        holidays,
        workdays: schedule.days.len() - holidays,
        path: target,
    })
}

impl Imported {
    /// The one-line Chinese summary `calendar import` prints.
    pub(crate) fn summary_zh(&self) -> String {
        let what = match self.mode {
            ScheduleMode::Replace => "国务院节假日安排",
            ScheduleMode::Extend => "地方补充日期",
        };
        format!(
            "已导入{}年{}（依据：{}）：放假日 {} 天，调休上班日 {} 天；已保存至 {}",
            self.year,
            what,
            if self.source.is_empty() {
                "未注明"
            } else {
                &self.source
            },
            self.holidays,
            self.workdays,
            self.path.display()
        )
    }
}

/// Writes `dir/name` via a temp file in the same directory and a rename, so a reader sees the
/// old file or the new one, never a part.
pub(crate) fn write_atomically(dir: &Path, name: &str, text: &str) -> Result<PathBuf, AppError> {
    fs::create_dir_all(dir).map_err(|source| AppError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let target = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    fs::write(&tmp, text.as_bytes()).map_err(|source| AppError::Write {
        path: tmp.clone(),
        source,
    })?;
    fs::rename(&tmp, &target).map_err(|source| AppError::Write {
        path: target.clone(),
        source,
    })?;
    Ok(target)
}
