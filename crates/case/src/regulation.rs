//! The regulation whose procedure a case follows (issue 20), as its notices cite it: its title
//! and short name, the bodies that act and sign (`[bodies]`), and the articles of each of its
//! `[[procedure]]`s. A notice names a body or cites an article only through this, so that a
//! 国动办's case is signed by its 办党组 and cites 002, and a unit's own copy of a pack renames
//! its bodies and renumbers its articles without a rebuild.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use lvzhi_rules::notice;
pub use lvzhi_rules::{article_words as article_zh, numeral};

use crate::process::ProcessError;
use crate::words::{Bodies, Org, PackRef};

/// The governing procedure pack of a case: what the case recorded of it when it was opened
/// (title, version, bodies) and the pack's `[[procedure]]` articles by procedure id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regulation {
    /// The pack as the case recorded it (id, version, title, bodies).
    pub pack: PackRef,
    /// `[[procedure]]` id → the articles it rests on (`recommendation` → [`§26`]).
    #[serde(default)]
    pub steps: BTreeMap<String, Vec<String>>,
    /// The pack's decision rules that excuse or bar (免责, 容错, 不予容错, 从重), in the pack's
    /// order: what a body's determination may rest on, each citable by its article.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<Ground>,
    /// The texts of the pack's notices by kind (`[[notice]]`, issue 20 item 2), as loaded now —
    /// like `steps`, never recorded with a case: a notice already issued keeps its text in its
    /// event. Empty when the pack words none (its process then uses its shipped texts).
    #[serde(skip)]
    pub notices: BTreeMap<String, notice::NoticeTemplate>,
}

/// A rule of the governing pack a determination may rest on (002 §9–§12, 003 §6, §7, §11): the
/// rule's id in its pack, the article it rests on, what it gives, and its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ground {
    /// The rule's id in its pack (`r9_1`).
    pub id: String,
    /// The article it rests on, as the pack writes it (`§9(一)`).
    pub article: String,
    /// `exemption`, `tolerance`, `exclusion` or `aggravation`.
    pub outcome: String,
    /// `shall` or `may`.
    #[serde(default)]
    pub modality: String,
    /// For an excuse: the leniency it allows (`lighter`, `reduced`, `waived`); an exemption
    /// allows `waived`.
    #[serde(default)]
    pub leniency: Vec<String>,
    /// The rule's explanation, in Chinese.
    pub explain: String,
}

impl Ground {
    /// Whether the rule bars an excuse (不予容错, 从重): it wins over every excuse.
    pub fn bars(&self) -> bool {
        matches!(self.outcome.as_str(), "exclusion" | "aggravation")
    }

    /// Whether the rule allows `leniency` (`waived`, `reduced`, `lighter`).
    pub fn allows(&self, leniency: &str) -> bool {
        match self.outcome.as_str() {
            "exemption" => leniency == "waived",
            "tolerance" => self.leniency.iter().any(|l| l == leniency),
            _ => false,
        }
    }

    /// "第九条第（一）项" (the article as written when it is not one).
    pub fn article_zh(&self) -> String {
        article_zh(&self.article).unwrap_or_else(|| self.article.clone())
    }
}

impl Regulation {
    /// The regulation of `pack` with no procedure articles known (a case recorded before
    /// bindings, read for its bodies and title only).
    pub fn of_pack(pack: PackRef) -> Self {
        Regulation {
            pack,
            steps: BTreeMap::new(),
            grounds: Vec::new(),
            notices: BTreeMap::new(),
        }
    }

    /// Whether the pack words any notice of `process` (`application`, `rectification`, …); one
    /// that does words every notice its steps issue (checked when the pack is loaded), and one
    /// that does not issues the shipped texts.
    pub fn words_notices_of(&self, process: &str) -> bool {
        self.notices
            .keys()
            .any(|k| notice::kind(k).is_some_and(|n| n.process == process))
    }

    /// The pack's text of notice `kind`, if it words one.
    pub fn notice(&self, kind: &str) -> Option<&notice::NoticeTemplate> {
        self.notices.get(kind)
    }

    /// How its notices name it: its title and short name.
    pub fn naming(&self) -> notice::Naming<'_> {
        notice::Naming {
            title: &self.pack.title,
            short_title: &self.pack.short_title,
        }
    }

    /// "《全称》（以下简称《简称》）" at first mention.
    pub fn first(&self) -> String {
        self.pack.first()
    }

    /// "《简称》" after the first mention.
    pub fn short(&self) -> String {
        self.pack.short()
    }

    /// The bodies that carry out the procedure and sign its notices.
    pub fn bodies(&self) -> &Bodies {
        &self.pack.bodies
    }

    /// The committee of `org` in full (维权委, 办党组, 履职保护委员会 — as the pack names it).
    pub fn committee_of(&self, org: &Org) -> String {
        self.pack.bodies.committee_of(org)
    }

    /// The committee's office of `org` in full.
    pub fn office_of(&self, org: &Org) -> String {
        self.pack.bodies.office_of(org)
    }

    /// "《简称》第三十一条第二款" for `§31¶2` (the article as written when it is not one).
    pub fn cite(&self, article: &str) -> String {
        match article_zh(article) {
            Some(zh) => format!("{}{zh}", self.short()),
            None => format!("{}{article}", self.short()),
        }
    }

    /// "《全称》第二十九条第（六）项": `article` cited by the regulation's full title.
    pub fn cite_full(&self, article: &str) -> String {
        match article_zh(article) {
            Some(zh) => format!("{}{zh}", self.full()),
            None => format!("{}{article}", self.full()),
        }
    }

    /// The articles of the pack's procedure `step`, or why the step cannot be done under this
    /// regulation: a process carries out only the steps its governing pack provides.
    pub fn step(&self, step: &str, what: &str) -> Result<&[String], ProcessError> {
        match self.steps.get(step) {
            Some(a) if !a.is_empty() => Ok(a),
            _ => Err(ProcessError::new(format!(
                "《{}》未规定{what}，不能办理；请系统管理员核对本单位适用的规定（政策包 {} 缺少 [[procedure]] {step}）",
                self.pack.title,
                self.pack.pack
            ))),
        }
    }

    /// Whether the pack provides the procedure `step` (a process offers only the steps its
    /// governing pack provides).
    pub fn has_step(&self, step: &str) -> bool {
        self.steps.get(step).is_some_and(|a| !a.is_empty())
    }

    /// "002 §13": the articles of the pack's procedure `step` by the pack's id, as a deadline,
    /// a form or a measure cites them (the pack's id alone when it lacks the step).
    pub fn article_of(&self, step: &str) -> String {
        match self.steps.get(step) {
            Some(a) if !a.is_empty() => format!("{} {}", self.pack.pack, a.join("、")),
            _ => self.pack.pack.clone(),
        }
    }

    /// "001 §26¶2": the `n`th article (from 0) of the pack's procedure `step` by the pack's id,
    /// if the step has one: what a measure that rests on one of the step's articles cites.
    pub fn nth_article_of(&self, step: &str, n: usize) -> Option<String> {
        let a = self.steps.get(step)?.get(n)?;
        Some(format!("{} {a}", self.pack.pack))
    }

    /// "《简称》第九条第（一）项、第十条第（四）项": articles of this pack cited together.
    pub fn cite_all(&self, articles: &[String]) -> String {
        let parts: Vec<String> = articles
            .iter()
            .map(|a| article_zh(a).unwrap_or_else(|| a.clone()))
            .collect();
        format!("{}{}", self.short(), parts.join("、"))
    }

    /// "《全称》（以下简称《简称》）第十三条": the procedure `step` at the notice's first mention
    /// of the regulation.
    pub fn cite_step_first(&self, step: &str, what: &str) -> Result<String, ProcessError> {
        Ok(format!(
            "{}{}",
            self.first(),
            self.step_articles(step, what)?
        ))
    }

    /// "《全称》" (a notice that names the regulation once).
    pub fn full(&self) -> String {
        format!("《{}》", self.pack.title)
    }

    /// "第十七条、第十八条": the articles of the procedure `step`, without the title. Items of
    /// an article listed with it (`§17`, `§17(一)`) are not repeated.
    pub fn step_articles(&self, step: &str, what: &str) -> Result<String, ProcessError> {
        let articles = self.step(step, what)?;
        let mut parts: Vec<String> = Vec::new();
        for a in articles {
            let covered = articles.iter().any(|b| {
                b != a
                    && a.strip_prefix(b.as_str())
                        .is_some_and(|rest| rest.starts_with(['(', '¶']))
            });
            if covered {
                continue;
            }
            parts.push(article_zh(a).unwrap_or_else(|| a.clone()));
        }
        Ok(parts.join("、"))
    }

    /// "《简称》第十七条、第十八条" for the articles of the procedure `step`.
    pub fn cite_step(&self, step: &str, what: &str) -> Result<String, ProcessError> {
        Ok(format!(
            "{}{}",
            self.short(),
            self.step_articles(step, what)?
        ))
    }

    /// "《全称》第二十七条": the procedure `step` cited by the regulation's full title.
    pub fn cite_step_full(&self, step: &str, what: &str) -> Result<String, ProcessError> {
        Ok(format!(
            "{}{}",
            self.full(),
            self.step_articles(step, what)?
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(short: &str) -> Regulation {
        Regulation {
            pack: PackRef {
                pack: "002".into(),
                version: "2024-01-01".into(),
                title: "兴安盟国防动员办公室行政执法尽职免责和容错纠错制度".into(),
                short_title: short.into(),
                bodies: Bodies {
                    committee: "中共{org}党组".into(),
                    committee_short: "办党组".into(),
                    office: "{org}".into(),
                    office_short: String::new(),
                    head: "党组书记".into(),
                },
            },
            steps: BTreeMap::from([("decision".to_string(), vec!["§13".to_string()])]),
            grounds: Vec::new(),
            notices: BTreeMap::new(),
        }
    }

    #[test]
    fn articles_read_as_chinese() {
        assert_eq!(article_zh("§7(一)").as_deref(), Some("第七条第（一）项"));
        assert_eq!(article_zh("§21¶3").as_deref(), Some("第二十一条第三款"));
        assert_eq!(article_zh("§10").as_deref(), Some("第十条"));
        assert_eq!(article_zh("§30").as_deref(), Some("第三十条"));
        assert_eq!(
            article_zh("§29¶2(三)").as_deref(),
            Some("第二十九条第二款第（三）项")
        );
        assert_eq!(article_zh("§110").as_deref(), Some("第一百一十条"));
        assert_eq!(article_zh("§x"), None);
        assert_eq!(article_zh("7"), None);
        assert_eq!(article_zh("§7("), None);
    }

    /// 002 §13: the 办党组 decides and the 国动办 itself tells those concerned; the pack, not
    /// the code, names them.
    #[test]
    fn art_002_13_bodies_and_citations_come_from_the_pack() {
        let r = reg("");
        let org = Org {
            id: "xam-gfdb".into(),
            name: "兴安盟国防动员办公室".into(),
        };
        assert_eq!(r.committee_of(&org), "中共兴安盟国防动员办公室党组");
        assert_eq!(r.office_of(&org), "兴安盟国防动员办公室");
        assert_eq!(
            r.cite("§13"),
            "《兴安盟国防动员办公室行政执法尽职免责和容错纠错制度》第十三条"
        );
        assert_eq!(
            r.cite_step("decision", "容错认定").unwrap(),
            "《兴安盟国防动员办公室行政执法尽职免责和容错纠错制度》第十三条"
        );
        let refused = r.cite_step("publication", "公开").unwrap_err();
        assert!(
            refused.message.contains("未规定公开"),
            "{}",
            refused.message
        );
        assert_eq!(reg("制度").cite("§13"), "《制度》第十三条");
        let mut escalation = reg("办法");
        escalation.steps.insert(
            "escalation".into(),
            vec!["§17".into(), "§17(一)".into(), "§18¶2".into()],
        );
        assert_eq!(
            escalation.cite_step("escalation", "逐级报告").unwrap(),
            "《办法》第十七条、第十八条第二款"
        );
    }
}
