//! The written notices of the processes as texts of their governing packs (`[[notice]]`, issue
//! 20 item 2): each notice is its template filled with values the process computes from the
//! record — names, dates, periods, the matter, the reasons — and the regulation cited by its
//! full title at the first citation and its short name after.
//!
//! Which text a case issues: the governing pack's, when that pack words any notice of the
//! process; otherwise (a pack written before packs could word notices, such as a unit's older
//! copy) the shipped text of the pack with the same id, else of the first shipped pack that
//! words the kind — compiled in, so a case never lacks a text its procedure needs. A text of
//! another pack cites that pack: its article numbers are that pack's (a case governed by
//! 004-2016, which words no notice, issues 004's texts citing 004).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use lvzhi_calendar::date_zh;
use lvzhi_case::notice::{self, NoticeTemplate};

use crate::{ProcessError, Regulation};

/// The shipped packs, compiled in, in the order a fallback tries them.
pub(crate) const SHIPPED: &[(&str, &str)] = &[
    ("000", include_str!("../../../packs/000.toml")),
    ("001", include_str!("../../../packs/001.toml")),
    ("002", include_str!("../../../packs/002.toml")),
    ("003", include_str!("../../../packs/003.toml")),
    ("004", include_str!("../../../packs/004.toml")),
    ("004-2016", include_str!("../../../packs/004-2016.toml")),
];

/// The shipped packs as regulations (title, short title, notice texts), by pack id. A shipped
/// pack that failed to load would word nothing here; the packs' own tests forbid that.
fn shipped() -> &'static [(&'static str, Regulation)] {
    static REGS: OnceLock<Vec<(&'static str, Regulation)>> = OnceLock::new();
    REGS.get_or_init(|| {
        SHIPPED
            .iter()
            .filter_map(|(id, text)| {
                let file = format!("packs/{id}.toml");
                let pack = lvzhi_rules::parse_pack(&file, text).ok()?;
                Some((*id, crate::regulation_of(&pack)))
            })
            .collect()
    })
}

/// The text of notice `kind` a case under `reg` issues (see the module's note on which), with
/// the regulation its articles are cited by: `reg`, or the shipped pack whose text it is when
/// that is another pack (its article numbers are that pack's: a 004-2016 case issues 004's
/// texts, which cite 004, not the 2016 text under 004's numbers).
fn source<'a>(
    reg: &'a Regulation,
    kind: &str,
) -> Result<(&'a NoticeTemplate, &'a Regulation), ProcessError> {
    let known = notice::kind(kind);
    let words_process = known.is_some_and(|k| reg.words_notices_of(k.process));
    let found: Option<(&'a NoticeTemplate, &'a Regulation)> = if words_process {
        reg.notice(kind).map(|t| (t, reg))
    } else {
        let regs = shipped();
        regs.iter()
            .find(|(id, _)| *id == reg.pack.pack)
            .and_then(|(_, r)| r.notice(kind))
            .map(|t| (t, reg))
            .or_else(|| {
                regs.iter()
                    .find_map(|(_, r)| r.notice(kind).map(|t| (t, r)))
            })
    };
    found.ok_or_else(|| {
        let name = known.map_or(kind, |k| k.name);
        ProcessError::new(format!(
            "《{}》未载明{name}的文本，不能出具；请系统管理员核对本单位适用的规定（政策包 [[notice]] {kind}）",
            reg.pack.title
        ))
    })
}

/// Notice `kind` under `reg`, filled from `values` with the signing body and the date of issue
/// added: its title and its text.
pub fn fill(
    reg: &Regulation,
    kind: &str,
    signer: &str,
    on: NaiveDate,
    values: Vec<(&'static str, String)>,
) -> Result<(String, String), ProcessError> {
    let (t, cited) = source(reg, kind)?;
    let mut map: BTreeMap<&str, String> = values.into_iter().collect();
    map.insert("signer", signer.to_string());
    map.insert("date", date_zh(on));
    t.fill(&map, &cited.naming())
        .map_err(|e| ProcessError::new(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped pack loads, so the fallback texts exist (issue 20 item 2).
    #[test]
    fn issue20_every_shipped_pack_loads_its_notice_texts() {
        for (id, text) in SHIPPED {
            let file = format!("packs/{id}.toml");
            if let Err(e) = notice::notices_of(&file, text) {
                panic!("{id}: {e}");
            }
        }
    }

    /// Issue 20: every notice every shipped pack words, filled with stand-in values, names no
    /// regulation but its own (in full or by its short name) and no body that only another
    /// pack has — a template cannot sign or cite for another body.
    #[test]
    fn issue20_every_shipped_notice_names_only_its_own_regulation_and_bodies() {
        let regs = shipped();
        let suffix = |t: &str| t.replace("{org}", "");
        let mut rendered = 0;
        for (id, reg) in regs {
            let own = reg.bodies();
            let own_suffixes = [
                suffix(&own.committee),
                suffix(&own.office),
                own.committee_short.clone(),
                own.office_short.clone(),
            ];
            for (kind, t) in &reg.notices {
                let k = notice::kind(kind).expect("a loaded kind is known");
                let mut map: BTreeMap<&str, String> = BTreeMap::new();
                for v in k.values.iter().chain(k.flags.iter()) {
                    map.insert(v, "〇".to_string());
                }
                map.insert(
                    "signer",
                    reg.office_of(&crate::Org {
                        id: "x".into(),
                        name: "某机关".into(),
                    }),
                );
                map.insert("date", "2026年3月2日".into());
                let naming = notice::Naming {
                    title: &reg.pack.title,
                    short_title: &reg.pack.short_title,
                };
                let text = format!(
                    "{}\n{}",
                    t.title_with(&map).unwrap(),
                    notice::render_with(&t.text, &map, &naming).unwrap()
                );
                rendered += 1;
                for (start, _) in text.match_indices('《') {
                    let rest = &text[start + '《'.len_utf8()..];
                    let named = &rest[..rest.find('》').unwrap_or(rest.len())];
                    assert!(
                        named == reg.pack.title || named == reg.pack.short_title,
                        "{id} {kind}: names 《{named}》:\n{text}"
                    );
                }
                for (other_id, other) in regs {
                    let b = other.bodies();
                    for body in [
                        suffix(&b.committee),
                        suffix(&b.office),
                        b.committee_short.clone(),
                        b.office_short.clone(),
                    ] {
                        let shared = own_suffixes.iter().any(|o| o.contains(body.as_str()));
                        if body.chars().count() >= 3 && !shared {
                            assert!(
                                !text.contains(body.as_str()),
                                "{id} {kind}: names {body} of pack {other_id}:\n{text}"
                            );
                        }
                    }
                }
            }
        }
        assert!(rendered >= 30, "{rendered} notices rendered");
    }

    /// A shipped template for every kind of every process but the application's (the
    /// workflow's own), in some shipped pack: no process lacks a text.
    #[test]
    fn issue20_every_process_notice_kind_has_a_shipped_text() {
        assert_eq!(shipped().len(), SHIPPED.len());
        for k in notice::kinds().filter(|k| k.process != "application") {
            assert!(
                shipped().iter().any(|(_, r)| r.notice(k.id).is_some()),
                "no shipped pack words {} ({})",
                k.id,
                k.name
            );
        }
    }
}
