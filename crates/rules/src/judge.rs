//! Judgement under every rule that governs an officer (issue 20 item 3): the case's facts are
//! evaluated under each governing pack, and the results are combined by principles stated as
//! data in the packs' metadata, never by pack id.
//!
//! - **Facts across packs.** Packs name their facts in their own vocabularies. A fact is the
//!   same question as another pack's only where a pack says so (`same_as = ["001
//!   timely_rescue"]` on a `[[fact]]`), where one pack inlines another's rules (`pack(…)` atoms:
//!   the inlined facts keep their origin), or within one regulation's versions (`supersedes`:
//!   the same id is the same fact). A fact nobody answered stays unknown in that pack, and its
//!   result says what remains to be established.
//! - **Exclusions win.** A 不予容错 or 从重 result under any governing regulation prevails over
//!   every excuse under any other (the engine's "exclusions defeat excuses", across packs).
//! - **A local implementing rule applies within the superior's bounds.** A pack that declares
//!   `implements = ["001"]` (000 §1: 依据…《内蒙古公安机关维护公安民警执法权威工作实施办法》
//!   …制定本细则) decides where both govern; the superior's mandatory (`shall`) excuse is a floor
//!   the local rule cannot go below, and its bars are covered by the rule above. Where the
//!   superior says only `may`, the local rule's decision stands.
//! - **Versions: 从旧兼从轻.** Versions of one regulation (`supersedes`) count as one
//!   regulation, decided by [`PackSet::evaluate`]: the more lenient of the versions in force at
//!   the conduct and at the decision.
//! - **Independent regulations.** Between regulations that govern the officer and are not
//!   related by `implements`, the one most lenient for the officer prevails (each is a ground
//!   the officer may rely on); ties go to the local rule, then to the order of binding.
//!
//! While a regulation is undetermined, the judgement is undetermined exactly when some result
//! that regulation could still give would change the decision that applies (checked over every
//! combination of the regulations' possible results; correlations between packs through shared
//! facts are not used, so this errs on the side of asking).

use std::collections::BTreeMap;

use lvzhi_calendar::{date_zh, NaiveDate};

use crate::error::{hint, InputError, PackError};
use crate::pack::{Modality, Outcome, Pack, Value};
use crate::program::{severity, Evaluation, Key, Question};
use crate::set::PackSet;

/// A fact answered in one pack's vocabulary (its program's: a pack's own facts and those of the
/// packs it inlines).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub pack: String,
    pub fact: String,
    pub value: Value,
}

/// `"001:timely_rescue"` → `("001", "timely_rescue")`; a plain id → `None`.
pub fn split_key(key: &str) -> Option<(&str, &str)> {
    key.split_once(':')
        .filter(|(p, f)| !p.is_empty() && !f.is_empty())
}

/// The key of fact `fact` of `pack` among a case's facts in `vocabulary`'s terms: its own id
/// for the vocabulary's facts, `"<pack>:<fact>"` otherwise.
pub fn fact_key(vocabulary: &str, pack: &str, fact: &str) -> String {
    if pack == vocabulary {
        fact.to_string()
    } else {
        format!("{pack}:{fact}")
    }
}

/// How one version stands within its regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Its result is the regulation's.
    Applied,
    /// In force at the conduct or at the decision, and compared under 从旧兼从轻; the other
    /// version's result applies.
    Compared,
    /// Not in force at the dates that count.
    NotApplied,
}

/// One governing pack's result, on the facts as they translate into its vocabulary.
#[derive(Debug, Clone)]
pub struct PackResult {
    pub pack: String,
    /// The evaluation under this pack alone.
    pub evaluation: Evaluation,
    pub standing: Standing,
    /// Why this version applies, was compared or does not apply (empty for a pack that is the
    /// only version of its regulation).
    pub standing_zh: String,
    /// How many of its facts the answers gave.
    pub answered: usize,
}

/// Why the prevailing result prevails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// Every governing regulation gives the same decision.
    Same,
    /// Only one regulation governs.
    Only,
    /// A 不予容错 or 从重 result prevails over every excuse.
    Bar,
    /// The local implementing rule, within its superior's bounds.
    Local,
    /// The superior's mandatory excuse, below which the local rule may not go.
    SuperiorFloor,
    /// The most lenient of independent regulations.
    MostLenient,
}

/// A question still open under one pack.
#[derive(Debug, Clone)]
pub struct OpenQuestion {
    pub pack: String,
    pub question: Question,
}

/// The combined judgement.
#[derive(Debug, Clone)]
pub struct Judgement {
    /// Every governing pack, in the order bound.
    pub results: Vec<PackResult>,
    /// The decision that applies; `None` while undetermined.
    pub key: Option<Key>,
    /// The pack whose result applies (the applied version of its regulation).
    pub prevailing: Option<String>,
    pub ground: Option<Ground>,
    /// The prevailing regulation's evaluation (with its 从旧兼从轻 notes), when determined.
    pub evaluation: Option<Evaluation>,
    /// Which prevails and why, in Chinese.
    pub reason: String,
    /// Where the regulations' results differ, in Chinese.
    pub differences: Vec<String>,
    /// The questions whose answers could change the judgement, by pack.
    pub questions: Vec<OpenQuestion>,
}

/// The decision in Chinese: "应当免责（不予追究）", "可以容错（从轻、减轻）", "尚不能确定".
pub fn key_zh(key: Option<Key>) -> String {
    match key {
        None => "尚不能确定".to_string(),
        Some(k) => {
            let mut s = k
                .outcome
                .map_or("不适用免责容错（依规处理）".to_string(), |o| {
                    o.zh().to_string()
                });
            if let Some(m) = k.modality {
                s = format!("{}{s}", m.zh());
            }
            let l: Vec<&str> = k.leniency_list().iter().map(|l| l.zh()).collect();
            if !l.is_empty() {
                s.push_str(&format!("（{}）", l.join("、")));
            }
            s
        }
    }
}

/// A regulation's name as readers cite it: 《title》.
pub fn title_zh(p: &Pack) -> String {
    format!("《{}》", p.meta.title)
}

/// Chinese numerals for article numbers (1–199).
pub fn numeral(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n >= 100 {
        let rest = n % 100;
        let tail = match rest {
            0 => String::new(),
            1..=9 => format!("零{}", D[rest as usize]),
            10..=19 => format!("一{}", numeral(rest)),
            _ => numeral(rest),
        };
        return format!("{}百{tail}", D[(n / 100) as usize]);
    }
    let (t, u) = (n / 10, n % 10);
    let tens = match t {
        0 => String::new(),
        1 => "十".to_string(),
        _ => format!("{}十", D[(t % 10) as usize]),
    };
    let units = if u == 0 && t > 0 { "" } else { D[u as usize] };
    format!("{tens}{units}")
}

/// An article id in words: "§7(一)" → "第七条第（一）项", "§8¶2" → "第八条第二款",
/// "§29¶2(三)" → "第二十九条第二款第（三）项", "§31" → "第三十一条"; `None` for anything else. The
/// one reading of the pack format's article ids, for the engine's citations and every notice's.
pub fn article_words(article: &str) -> Option<String> {
    let rest = article.trim().strip_prefix('§')?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n: u32 = digits.parse().ok()?;
    if n == 0 || n > 199 {
        return None;
    }
    let tail = &rest[digits.len()..];
    let mut out = format!("第{}条", numeral(n));
    if let Some(p) = tail.strip_prefix('¶') {
        let (k, item) = match p.find('(') {
            Some(i) => (&p[..i], Some(&p[i..])),
            None => (p, None),
        };
        match k.parse::<u32>() {
            Ok(k) if (1..=99).contains(&k) => out.push_str(&format!("第{}款", numeral(k))),
            _ => return None,
        }
        if let Some(item) = item {
            out.push_str(&item_zh(item)?);
        }
    } else if !tail.is_empty() {
        out.push_str(&item_zh(tail)?);
    }
    Some(out)
}

/// "(一)" → "第（一）项".
fn item_zh(tail: &str) -> Option<String> {
    let item = tail.strip_prefix('(')?.strip_suffix(')')?;
    if item.is_empty() || item.contains(['(', ')']) {
        return None;
    }
    Some(format!("第（{item}）项"))
}

/// An article id as readers cite it ([`article_words`]); anything else is kept as written.
pub fn article_zh(article: &str) -> String {
    article_words(article).unwrap_or_else(|| article.trim().to_string())
}

/// A step's or a deadline's citation as a reader reads it, without the pack's code (the page
/// names the regulation): "000 §16、§18、§20" → "第十六条、第十八条、第二十条", "000 §14–15" →
/// "第十四条至第十五条", "001 §17" → "第十七条". A citation with any part it cannot read (a local
/// setting, free text) is kept whole as written rather than half translated.
pub fn citation_words(citation: &str) -> String {
    let text = citation.trim();
    // The pack's code: a first word followed by the first article ("000 §…", "004-2016 §…").
    let articles = match text.split_once(' ') {
        Some((code, rest)) if !code.contains('§') && rest.trim_start().starts_with('§') => rest,
        _ => text,
    };
    let words: Option<Vec<String>> = articles
        .split('、')
        .map(|part| {
            let part = part.trim();
            match part.split_once(['–', '—', '-', '~']) {
                Some((from, to)) => {
                    let to = if to.starts_with('§') {
                        to.to_string()
                    } else {
                        format!("§{to}")
                    };
                    Some(format!("{}至{}", article_words(from)?, article_words(&to)?))
                }
                None => article_words(part),
            }
        })
        .collect();
    words.map_or_else(|| text.to_string(), |w| w.join("、"))
}

/// How long the citation starting `text` ("§7(一)、§8(二)…") runs: article tokens joined by
/// "、" (each continuing with "§") or by a range dash.
fn citation_len(text: &str) -> usize {
    let ok = |c: char| c.is_ascii_digit() || "§¶()–—~-零一二三四五六七八九十百".contains(c);
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if ok(c) {
            end = i + c.len_utf8();
        } else if c == '、' && chars.peek().is_some_and(|&(_, n)| n == '§') {
            continue;
        } else {
            break;
        }
    }
    // A dash or bracket left hanging belongs to the sentence, not the citation.
    text[..end]
        .trim_end_matches(['–', '—', '~', '-', '('])
        .len()
}

impl PackSet {
    /// Every citation by code in `text` ("000 §7(一)", "000 §16、§18、§20", "004-2016 §21") as
    /// readers cite it: "《…实施细则》第七条第（一）项". A code of a pack that is not loaded, or a
    /// citation it cannot read whole, stays as written (issue 22 item 5).
    pub fn cite_in_text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(" §") {
            let head = &rest[..at];
            let code_at = head
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_ascii_alphanumeric() || c == '-')
                .last()
                .map_or(at, |(i, _)| i);
            let code = &head[code_at..];
            let tail = &rest[at + 1..];
            let len = citation_len(tail);
            let articles = &tail[..len];
            let words = citation_words(&format!("{code} {articles}"));
            match self.pack(code) {
                Ok(p) if !code.is_empty() && len > 0 && !words.contains('§') => {
                    // Chinese sets no spaces around a citation: "依照 000 §16 办理" reads
                    // "依照《…》第十六条办理".
                    let before = head[..code_at].trim_end_matches(' ');
                    let cjk_before = before.chars().last().is_some_and(|c| !c.is_ascii());
                    out.push_str(if cjk_before { before } else { &head[..code_at] });
                    out.push_str(&title_zh(p));
                    out.push_str(&words);
                    let after = &tail[len..];
                    let spaced = after.strip_prefix(' ');
                    rest = match spaced {
                        Some(a) if a.chars().next().is_some_and(|c| !c.is_ascii()) => a,
                        _ => after,
                    };
                    continue;
                }
                _ => out.push_str(&rest[..at + 1 + len]),
            }
            rest = &tail[len..];
        }
        out.push_str(rest);
        out
    }

    /// A citation "000 §7(一)" as readers cite it: "《…实施细则》第七条第（一）项". A citation
    /// of an unknown pack is kept as written.
    pub fn cite_zh(&self, citation: &str) -> String {
        match crate::pack::split_citation(citation) {
            Some((pid, art)) => match self.pack(&pid) {
                Ok(p) => format!("{}{}", title_zh(p), article_zh(&art)),
                Err(_) => citation.to_string(),
            },
            None => citation.to_string(),
        }
    }
}

/// Checks every `same_as` whose pack is loaded: the fact exists there, is a case fact, and has
/// the same type and choices. (That the pack is among `references` is checked when parsing; a
/// referenced pack that is not loaded makes the equivalence idle.)
pub(crate) fn check_same_as(packs: &BTreeMap<String, Pack>) -> Vec<PackError> {
    let mut errors = Vec::new();
    for p in packs.values() {
        for f in &p.facts {
            for (pid, fid, at) in &f.same_as {
                let Some(q) = packs.get(pid) else { continue };
                let section = format!("事实 {}", f.id);
                match q.fact(fid) {
                    None => errors.push(p.error_at(
                        *at,
                        &section,
                        format!(
                            "{section} 的 same_as 所指的事实“{pid} {fid}”不存在{}",
                            hint(fid, q.facts.iter().map(|x| x.id.as_str()))
                        ),
                    )),
                    Some(g) if g.per_person => errors.push(p.error_at(
                        *at,
                        &section,
                        format!("{section} 的 same_as 所指的“{pid} {fid}”是逐人事实"),
                    )),
                    Some(g) if g.ty != f.ty || g.choices != f.choices => errors.push(p.error_at(
                        *at,
                        &section,
                        format!("{section} 与“{pid} {fid}”类型或可选值不同，不能视为同一事实"),
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    errors
}

/// Classes of the same fact across packs (union–find over `(pack, fact)`).
struct Classes {
    ids: BTreeMap<(String, String), usize>,
    parent: Vec<usize>,
}

impl Classes {
    fn of(set: &PackSet) -> Self {
        let mut c = Classes {
            ids: BTreeMap::new(),
            parent: Vec::new(),
        };
        for p in set.packs() {
            for f in p.facts.iter().filter(|f| !f.per_person) {
                c.node(&p.meta.id, &f.id);
            }
        }
        for p in set.packs() {
            for f in &p.facts {
                for (pid, fid, _) in &f.same_as {
                    if let (Some(a), Some(b)) = (c.get(&p.meta.id, &f.id), c.get(pid, fid)) {
                        c.union(a, b);
                    }
                }
            }
            // Versions of one regulation: the same id is the same fact.
            for q in set.lineage(&p.meta.id) {
                for f in &p.facts {
                    if let (Some(a), Some(b)) = (c.get(&p.meta.id, &f.id), c.get(&q.meta.id, &f.id))
                    {
                        c.union(a, b);
                    }
                }
            }
        }
        c
    }
    fn node(&mut self, pack: &str, fact: &str) -> usize {
        let n = self.parent.len();
        *self
            .ids
            .entry((pack.to_string(), fact.to_string()))
            .or_insert_with(|| {
                self.parent.push(n);
                n
            })
    }
    fn get(&self, pack: &str, fact: &str) -> Option<usize> {
        self.ids.get(&(pack.to_string(), fact.to_string())).copied()
    }
    fn find(&self, mut i: usize) -> usize {
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
    /// The class of fact `fact` of `pack`'s program (an inlined fact counts as its origin's).
    fn class(&self, set: &PackSet, pack: &str, fact: &str) -> Option<usize> {
        let prog = set.program(pack).ok()?;
        let def = &prog.facts[prog.fact_index(fact)?];
        self.get(&def.pack, &def.id).map(|i| self.find(i))
    }
}

/// One regulation: the governing versions of it, as indices into the results.
struct Regulation {
    versions: Vec<usize>,
    /// The decision under 从旧兼从轻 and the version applied.
    decision: Evaluation,
    applied: String,
    possible: Vec<Key>,
}

impl PackSet {
    /// The facts `answers` give in `pack`'s vocabulary: each answer goes to every fact of the
    /// pack's program that is the same fact (first answer wins).
    pub fn translate(&self, answers: &[Answer], pack: &str) -> Vec<(String, Value)> {
        let classes = Classes::of(self);
        self.translate_with(&classes, answers, pack)
    }

    fn translate_with(
        &self,
        classes: &Classes,
        answers: &[Answer],
        pack: &str,
    ) -> Vec<(String, Value)> {
        let Ok(prog) = self.program(pack) else {
            return Vec::new();
        };
        let given: Vec<(usize, &Value)> = answers
            .iter()
            .filter_map(|a| Some((classes.class(self, &a.pack, &a.fact)?, &a.value)))
            .collect();
        prog.facts
            .iter()
            .filter_map(|f| {
                let c = classes.class(self, pack, &f.id)?;
                given
                    .iter()
                    .find(|(g, _)| *g == c)
                    .map(|(_, v)| (f.id.clone(), (*v).clone()))
            })
            .collect()
    }

    /// The fact of `to`'s program that is the same as `fact` of `from`'s, if any.
    pub fn same_fact_in(&self, from: &str, fact: &str, to: &str) -> Option<String> {
        let classes = Classes::of(self);
        let c = classes.class(self, from, fact)?;
        let prog = self.program(to).ok()?;
        prog.facts
            .iter()
            .find(|f| classes.class(self, to, &f.id) == Some(c))
            .map(|f| f.id.clone())
    }

    /// The facts of regulation `r` (index `i`) whose answers can change the judgement: those
    /// read by its rules whose own decision has another effect on the judgement than no rule
    /// at all, and by the rules that can defeat them (transitively), in every version.
    fn relevant_facts(
        &self,
        r: &Regulation,
        i: usize,
        possible: &[Vec<Key>],
        rel: &Relations,
    ) -> std::collections::BTreeSet<String> {
        let none = Key {
            outcome: None,
            modality: None,
            leniency: 0,
            floor: None,
        };
        let baseline = effect(i, none, possible, rel);
        let mut out = std::collections::BTreeSet::new();
        for v in self.lineage(&r.applied) {
            let Ok(prog) = self.program(&v.meta.id) else {
                continue;
            };
            let mut marked: u128 = 0;
            for (n, rule) in prog.rules.iter().enumerate() {
                let k = Key {
                    outcome: Some(rule.outcome),
                    modality: Some(rule.modality),
                    leniency: rule.leniency,
                    floor: None,
                };
                if effect(i, k, possible, rel) != baseline {
                    marked |= 1u128 << n;
                }
            }
            // The rules that can defeat a marked one decide whether it takes effect.
            loop {
                let more = (0..prog.rules.len())
                    .filter(|n| marked & (1u128 << n) != 0)
                    .fold(marked, |m, n| m | prog.defeaters[n]);
                if more == marked {
                    break;
                }
                marked = more;
            }
            for (n, rule) in prog.rules.iter().enumerate() {
                if marked & (1u128 << n) != 0 {
                    out.extend(rule.reads.iter().map(|f| prog.facts[*f].id.clone()));
                }
            }
        }
        out
    }

    /// Judges `answers` under every pack of `rules` (the governing rule packs, in the order
    /// bound), with 从旧兼从轻 between versions at the given dates (as [`PackSet::evaluate`]).
    pub fn judge(
        &self,
        rules: &[String],
        answers: &[Answer],
        conduct: Option<NaiveDate>,
        decision: Option<NaiveDate>,
    ) -> Result<Judgement, InputError> {
        let classes = Classes::of(self);
        let mut ids: Vec<&str> = Vec::new();
        for r in rules {
            self.pack(r)?;
            if !ids.contains(&r.as_str()) {
                ids.push(r);
            }
        }
        let mut results = Vec::new();
        for id in &ids {
            let facts = self.translate_with(&classes, answers, id);
            let d = self.run(id, &facts)?;
            results.push(PackResult {
                pack: id.to_string(),
                answered: facts.len(),
                evaluation: d.evaluation,
                standing: Standing::Applied,
                standing_zh: String::new(),
            });
        }
        // Regulations: versions linked by `supersedes` count as one.
        let mut regs: Vec<Regulation> = Vec::new();
        let mut seen: Vec<usize> = Vec::new();
        for i in 0..ids.len() {
            if seen.contains(&i) {
                continue;
            }
            let lineage: Vec<String> = self
                .lineage(ids[i])
                .iter()
                .map(|p| p.meta.id.clone())
                .collect();
            let versions: Vec<usize> = (0..ids.len())
                .filter(|j| lineage.iter().any(|l| l == ids[*j]))
                .collect();
            seen.extend(&versions);
            let mut facts: Vec<(String, Value)> = Vec::new();
            for v in &lineage {
                for f in self.translate_with(&classes, answers, v) {
                    if !facts.iter().any(|(k, _)| *k == f.0) {
                        facts.push(f);
                    }
                }
            }
            let latest = versions.last().map_or(ids[i], |v| ids[*v]);
            let d = self.evaluate(latest, &facts, conduct, decision)?;
            let at_decision = match decision {
                Some(x) => self.in_force(latest, x).map(|p| p.meta.id.clone()),
                None => self.lineage(latest).last().map(|p| p.meta.id.clone()),
            };
            let at_conduct = conduct
                .and_then(|x| self.in_force(latest, x))
                .map(|p| p.meta.id.clone());
            let mut possible: Vec<Key> = Vec::new();
            match d.evaluation.key {
                Some(k) => possible.push(k),
                None => {
                    for v in &versions {
                        let id = &results[*v].pack;
                        if Some(id) == at_decision.as_ref() || Some(id) == at_conduct.as_ref() {
                            possible.extend(results[*v].evaluation.possible());
                        }
                    }
                    if possible.is_empty() {
                        possible.extend(d.evaluation.possible());
                    }
                }
            }
            possible.sort();
            possible.dedup();
            if versions.len() > 1 || lineage.len() > 1 {
                for v in &versions {
                    let id = results[*v].pack.clone();
                    let p = self.pack(&id)?;
                    let considered =
                        Some(&id) == at_decision.as_ref() || Some(&id) == at_conduct.as_ref();
                    let (standing, zh) = if id == d.applied {
                        (
                            Standing::Applied,
                            if at_conduct.is_some() && at_conduct != at_decision {
                                "从旧兼从轻：行为时与处理时施行的版本不同，经比较适用本版本。"
                                    .to_string()
                            } else {
                                match decision {
                                    Some(x) => {
                                        format!("处理时（{}）施行的版本，适用本版本。", date_zh(x))
                                    }
                                    None => "现行有效的版本，适用本版本。".to_string(),
                                }
                            },
                        )
                    } else if considered {
                        (Standing::Compared, {
                            let applied = self.pack(&d.applied).map(title_zh).unwrap_or_default();
                            format!("从旧兼从轻：经与{applied}比较，适用{applied}。")
                        })
                    } else {
                        (
                            Standing::NotApplied,
                            match conduct {
                                None => format!(
                                    "行为发生日期未记录，按处理时施行的版本评估；本版本（{}施行）未予适用，其结果仅供参考。",
                                    span_zh(p)
                                ),
                                Some(c) => format!(
                                    "行为发生时（{}）和处理时均不在本版本施行期内（{}施行），不适用。",
                                    date_zh(c),
                                    span_zh(p)
                                ),
                            },
                        )
                    };
                    results[*v].standing = standing;
                    results[*v].standing_zh = zh;
                }
            }
            regs.push(Regulation {
                versions,
                decision: d.evaluation,
                applied: d.applied,
                possible,
            });
        }
        // Relations between regulations: `implements` on any version.
        let implements = |a: &Regulation, b: &Regulation| {
            a.versions.iter().any(|x| {
                self.pack(&results[*x].pack).is_ok_and(|p| {
                    b.versions
                        .iter()
                        .any(|y| p.meta.implements.contains(&results[*y].pack))
                })
            })
        };
        let n = regs.len();
        let local: Vec<bool> = (0..n)
            .map(|i| (0..n).any(|j| j != i && implements(&regs[i], &regs[j])))
            .collect();
        let bounded: Vec<bool> = (0..n)
            .map(|i| (0..n).any(|j| j != i && implements(&regs[j], &regs[i])))
            .collect();
        let relations = Relations { local, bounded };
        let possible: Vec<Vec<Key>> = regs.iter().map(|r| r.possible.clone()).collect();
        let verdict = settle(&possible, &relations);
        let names: Vec<String> = regs
            .iter()
            .map(|r| self.pack(&r.applied).map(title_zh).unwrap_or_default())
            .collect();
        let mut questions: Vec<OpenQuestion> = Vec::new();
        for (i, r) in regs.iter().enumerate() {
            if verdict.matters.contains(&i) {
                // Only what can move this regulation's result into another effect on the
                // judgement (e.g. 001's 从重 and 正名 grounds, not its excuses no more lenient
                // than what prevails); all of them if that leaves nothing.
                let relevant = self.relevant_facts(r, i, &possible, &relations);
                let asked: Vec<&Question> = r
                    .decision
                    .questions
                    .iter()
                    .filter(|q| relevant.contains(&q.fact))
                    .collect();
                let asked = if asked.is_empty() {
                    r.decision.questions.iter().collect()
                } else {
                    asked
                };
                for q in asked {
                    // The version whose vocabulary asks it (the applied one first).
                    let pack = std::iter::once(r.applied.clone())
                        .chain(self.lineage(&r.applied).iter().map(|p| p.meta.id.clone()))
                        .find(|p| {
                            self.program(p)
                                .is_ok_and(|prog| prog.fact_index(&q.fact).is_some())
                        })
                        .unwrap_or_else(|| r.applied.clone());
                    if !questions
                        .iter()
                        .any(|x| x.pack == pack && x.question.fact == q.fact)
                    {
                        questions.push(OpenQuestion {
                            pack,
                            question: q.clone(),
                        });
                    }
                }
            }
        }
        let (key, prevailing, ground, evaluation, reason) = match verdict.settled {
            Some((k, i, g)) => (
                Some(k),
                Some(regs[i].applied.clone()),
                Some(g),
                Some(regs[i].decision.clone()),
                reason_zh(self, g, i, &regs, &names, &relations, k),
            ),
            None => (
                None,
                None,
                None,
                None,
                format!(
                    "尚不能确定：按{}尚有待查明的事实，查明后可能改变适用的结论。",
                    verdict
                        .matters
                        .iter()
                        .map(|i| names[*i].clone())
                        .collect::<Vec<_>>()
                        .join("")
                ),
            ),
        };
        let mut differences = Vec::new();
        for (i, r) in regs.iter().enumerate() {
            if Some(&r.applied) == prevailing.as_ref() {
                continue;
            }
            let mine = r.decision.key;
            if key.is_some() && mine == key {
                continue;
            }
            let why = match (mine, ground) {
                (None, _) => "尚有事实未查明",
                (Some(_), None) => continue,
                (Some(_), Some(Ground::Bar)) => "不予容错、从重情形优先",
                (Some(m), Some(_)) if relations.bounded[i] => {
                    if m.modality == Some(Modality::Shall) {
                        "本地实施规定的结论对民警更为有利"
                    } else if m.outcome.is_some_and(Outcome::is_excuse) {
                        "该规定为“可以”，由依据其制定的本地实施规定在其范围内确定"
                    } else {
                        "上位规定未作不予容错、从重认定，本地实施规定在其范围内适用"
                    }
                }
                (Some(_), Some(Ground::SuperiorFloor)) if relations.local[i] => {
                    "本地实施规定不得低于上位规定应当给予的保护"
                }
                (Some(_), Some(_)) => "各规定均适用时，按对民警最有利的结论",
            };
            if mine.is_none() {
                differences.push(format!("按{}尚不能确定（{why}）。", names[i]));
            } else {
                differences.push(format!(
                    "按{}为{}，与适用的结论（{}）不同（{why}）。",
                    names[i],
                    key_zh(mine),
                    key_zh(key)
                ));
            }
        }
        Ok(Judgement {
            results,
            key,
            prevailing,
            ground,
            evaluation,
            reason,
            differences,
            questions,
        })
    }
}

/// "1999年6月11日至2016年2月29日" / "自2016年3月1日起".
fn span_zh(p: &Pack) -> String {
    match p.meta.until {
        Some(u) => format!("自{}至{}", date_zh(p.meta.effective), date_zh(u)),
        None => format!("自{}起", date_zh(p.meta.effective)),
    }
}

/// The articles of the decision rules that decided (fired and not defeated), as readers cite
/// them; an item stands for its article ("第二十五条第（八）项", not also "第二十五条").
fn decisive_articles(set: &PackSet, pack: &str, e: &Evaluation) -> String {
    let Ok(p) = set.pack(pack) else {
        return String::new();
    };
    let mut arts: Vec<String> = Vec::new();
    for id in &e.fired {
        if e.defeated.iter().any(|d| d.rule == *id) {
            continue;
        }
        let Some(rule) = p.rule(id) else { continue };
        if rule.kind != crate::pack::RuleKind::Decision {
            continue;
        }
        for a in &rule.articles {
            if !arts.contains(a) {
                arts.push(a.clone());
            }
        }
    }
    let specific: Vec<&String> = arts
        .iter()
        .filter(|a| {
            !arts
                .iter()
                .any(|b| b != *a && crate::pack::article_within(b, a))
        })
        .collect();
    specific
        .iter()
        .map(|a| article_zh(a))
        .collect::<Vec<_>>()
        .join("、")
}

fn reason_zh(
    set: &PackSet,
    g: Ground,
    i: usize,
    regs: &[Regulation],
    names: &[String],
    rel: &Relations,
    k: Key,
) -> String {
    let cited = |r: &Regulation| decisive_articles(set, &r.applied, &r.decision);
    let me = &names[i];
    match g {
        Ground::Only => format!("适用{me}，为{}。", key_zh(Some(k))),
        Ground::Same => format!(
            "各适用规定的结论相同（{}），以{me}{}为据。",
            key_zh(Some(k)),
            cited(&regs[i])
        ),
        Ground::Bar => format!(
            "依{me}{}，本案具有{}情形；任一适用规定下不予容错、从重的情形，优先于其他规定的免责、容错结论，故不得免责、容错。",
            cited(&regs[i]),
            k.outcome.map_or("", Outcome::zh)
        ),
        Ground::Local => {
            let sup: Vec<String> = (0..regs.len())
                .filter(|j| rel.bounded[*j])
                .map(|j| names[j].clone())
                .collect();
            if sup.is_empty() {
                format!("适用{me}（{}）。", key_zh(Some(k)))
            } else {
                format!(
                    "{me}是依据{}制定的本地实施规定，在上位规定的范围内适用：上位规定未作不予容错、从重认定，也没有更有利于民警的“应当”结论，故适用{me}{}。",
                    sup.join(""),
                    cited(&regs[i])
                )
            }
        }
        Ground::SuperiorFloor => format!(
            "依{me}{}，本案{}；本地实施规定不得低于上位规定应当给予的保护，故适用{me}。",
            cited(&regs[i]),
            key_zh(Some(k))
        ),
        Ground::MostLenient => format!(
            "各规定均适用于该民警，相互之间没有上下位关系，按对民警最有利的{me}{}（{}）。",
            cited(&regs[i]),
            key_zh(Some(k))
        ),
    }
}

/// Which regulations implement (`local`) or are implemented by (`bounded`) another governing
/// one.
#[derive(Debug, Clone)]
pub(crate) struct Relations {
    pub local: Vec<bool>,
    pub bounded: Vec<bool>,
}

/// The decision that prevails among determined results, by index, and why.
pub(crate) fn combine(keys: &[Key], rel: &Relations) -> Option<(Key, usize, Ground)> {
    let n = keys.len();
    if n == 0 {
        return None;
    }
    // 1. Any bar prevails: the most severe, the first bound on a tie.
    let bar = (0..n)
        .filter(|i| keys[*i].outcome.is_some_and(Outcome::is_bar))
        .min_by_key(|i| (std::cmp::Reverse(keys[*i].outcome.map_or(0, severity)), *i));
    if let Some(i) = bar {
        return Some((keys[i], i, Ground::Bar));
    }
    // 2. Candidates: every regulation not implemented by another; a superior only with its
    //    mandatory excuse (or the mandatory floor of its discretionary one).
    let mut cands: Vec<(Key, usize, bool)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if !rel.bounded[i] {
            cands.push((*k, i, false));
        } else if k.modality == Some(Modality::Shall) && k.outcome.is_some_and(Outcome::is_excuse) {
            cands.push((*k, i, true));
        } else if let Some((o, l)) = k.floor {
            cands.push((
                Key {
                    outcome: Some(o),
                    modality: Some(Modality::Shall),
                    leniency: l,
                    floor: None,
                },
                i,
                true,
            ));
        }
    }
    if cands.is_empty() {
        // Every regulation implements another (a cycle): none is local, all count.
        cands = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i, false))
            .collect();
    }
    let best = cands.iter().copied().max_by(|a, b| {
        a.0.lenient_score()
            .cmp(&b.0.lenient_score())
            .then(rel.local[a.1].cmp(&rel.local[b.1]))
            .then(b.1.cmp(&a.1))
    })?;
    let (k, i, floor) = best;
    let ground = if n == 1 {
        Ground::Only
    } else if keys.iter().all(|x| *x == keys[0]) {
        Ground::Same
    } else if floor && cands.iter().any(|c| c.1 != i && rel.local[c.1]) {
        Ground::SuperiorFloor
    } else if rel.local[i] {
        Ground::Local
    } else {
        Ground::MostLenient
    };
    Some((k, i, ground))
}

/// The outcome over every combination of the regulations' possible results.
pub(crate) struct Verdict {
    /// The decision, the regulation that gives it and why, when every combination agrees.
    pub settled: Option<(Key, usize, Ground)>,
    /// The undetermined regulations whose result can change the judgement.
    pub matters: Vec<usize>,
}

/// What regulation `i` having decision `k` does to the judgement: the decisions over every
/// combination of the others' possible results.
fn effect(i: usize, k: Key, possible: &[Vec<Key>], rel: &Relations) -> Vec<Option<Key>> {
    let mut size = 1usize;
    for (j, p) in possible.iter().enumerate() {
        if j != i {
            match size.checked_mul(p.len().max(1)) {
                Some(s) if s <= COMBINATION_CAP => size = s,
                _ => return Vec::new(),
            }
        }
    }
    let mut out = Vec::new();
    for code in 0..size {
        let mut c = code;
        let keys: Vec<Key> = possible
            .iter()
            .enumerate()
            .map(|(j, p)| {
                if j == i || p.is_empty() {
                    k
                } else {
                    let x = p[c % p.len()];
                    c /= p.len();
                    x
                }
            })
            .collect();
        out.push(combine(&keys, rel).map(|(k, _, _)| k));
    }
    out.sort();
    out.dedup();
    out
}

/// At most this many combinations are enumerated; beyond, every undetermined regulation is
/// taken to matter.
const COMBINATION_CAP: usize = 1 << 12;

pub(crate) fn settle(possible: &[Vec<Key>], rel: &Relations) -> Verdict {
    let n = possible.len();
    let undetermined: Vec<usize> = (0..n).filter(|i| possible[*i].len() != 1).collect();
    let mut size = 1usize;
    for p in possible {
        size = match size.checked_mul(p.len().max(1)) {
            Some(s) if s <= COMBINATION_CAP => s,
            _ => {
                return Verdict {
                    settled: None,
                    matters: undetermined,
                }
            }
        };
    }
    if possible.iter().any(Vec::is_empty) {
        return Verdict {
            settled: None,
            matters: undetermined,
        };
    }
    let mut table = Vec::with_capacity(size);
    let mut given = Vec::with_capacity(size);
    for code in 0..size {
        let mut c = code;
        let keys: Vec<Key> = possible
            .iter()
            .map(|p| {
                let k = p[c % p.len()];
                c /= p.len();
                k
            })
            .collect();
        let r = combine(&keys, rel);
        table.push(r.map(|(k, _, _)| k));
        given.push(r);
    }
    // Settled when every combination gives the same decision. Which regulation it is cited
    // from may still vary (two bars, two equal excuses): a determined one is preferred.
    let settled = if table.iter().all(|t| *t == table[0]) {
        let determined = |i: usize| possible[i].len() == 1;
        given
            .iter()
            .flatten()
            .copied()
            .min_by_key(|(_, i, _)| (!determined(*i), *i))
    } else {
        None
    };
    let mut matters = Vec::new();
    let mut stride = 1usize;
    for (i, p) in possible.iter().enumerate() {
        let len = p.len();
        let moves = len > 1
            && (0..size).any(|idx| {
                let v = (idx / stride) % len;
                ((v + 1)..len).any(|w| table[idx] != table[idx + (w - v) * stride])
            });
        if moves {
            matters.push(i);
        }
        stride *= len;
    }
    if settled.is_none() && matters.is_empty() {
        matters = undetermined;
    }
    Verdict { settled, matters }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Leniency;
    use proptest::prelude::*;

    /// Issue 22 item 5: the citations of steps and deadlines read as articles, not as codes.
    #[test]
    fn issue22_citations_read_as_articles_without_the_packs_code() {
        for (code, words) in [
            ("000 §16、§18、§20", "第十六条、第十八条、第二十条"),
            ("000 §14–15", "第十四条至第十五条"),
            ("000 §21–22", "第二十一条至第二十二条"),
            ("000 §19(六)", "第十九条第（六）项"),
            ("004-2016 §19(六)", "第十九条第（六）项"),
            ("§38、§38¶2", "第三十八条、第三十八条第二款"),
            ("001 §17", "第十七条"),
        ] {
            assert_eq!(citation_words(code), words, "{code}");
        }
        // Anything it cannot read whole is kept as written.
        for kept in ["本地设置", "000 §7 及有关规定", "", "000"] {
            assert_eq!(citation_words(kept), kept.trim());
        }
    }

    fn key() -> impl Strategy<Value = Key> {
        let outcomes = prop_oneof![
            Just(None),
            Just(Some(Outcome::Exemption)),
            Just(Some(Outcome::Tolerance)),
            Just(Some(Outcome::Exclusion)),
            Just(Some(Outcome::Aggravation)),
            Just(Some(Outcome::None)),
            Just(Some(Outcome::NameClearing)),
            Just(Some(Outcome::Clarification)),
        ];
        (
            outcomes,
            prop_oneof![
                Just(None),
                Just(Some(Modality::Shall)),
                Just(Some(Modality::May))
            ],
            0u8..8,
            any::<bool>(),
        )
            .prop_map(|(outcome, modality, leniency, floor)| Key {
                outcome,
                modality,
                leniency,
                floor: floor.then_some((Outcome::Tolerance, Leniency::Lighter.bit())),
            })
    }

    proptest! {
        /// Exclusions provably win: whatever the results, the relations between the
        /// regulations (any `implements` graph, cycles included) and their order, a bar under
        /// any of them makes the judgement a bar — never an excuse (000 §9, 001 §19,
        /// 004-2016 §19: the engine's "exclusions defeat excuses", across packs).
        #[test]
        fn a_bar_in_any_regulation_wins(
            keys in proptest::collection::vec(key(), 1..6),
            local in proptest::collection::vec(any::<bool>(), 6),
            bounded in proptest::collection::vec(any::<bool>(), 6),
        ) {
            let n = keys.len();
            let rel = Relations { local: local[..n].to_vec(), bounded: bounded[..n].to_vec() };
            let (k, i, g) = combine(&keys, &rel).unwrap();
            let barred = keys.iter().any(|k| k.outcome.is_some_and(Outcome::is_bar));
            prop_assert_eq!(barred, g == Ground::Bar);
            if barred {
                prop_assert!(k.outcome.is_some_and(Outcome::is_bar));
                prop_assert_eq!(keys[i], k);
                // The most severe bar: 从重 over 不予容错.
                if keys.iter().any(|k| k.outcome == Some(Outcome::Aggravation)) {
                    prop_assert_eq!(k.outcome, Some(Outcome::Aggravation));
                }
            } else {
                // Otherwise the result is one regulation's own (or its mandatory floor).
                prop_assert!(keys[i] == k || keys[i].floor.is_some() || rel.bounded[i]);
            }
        }

        /// Undetermined regulations: the judgement is determined only when every combination
        /// of their possible results gives the same, and a possible bar keeps an excuse open.
        #[test]
        fn a_possible_bar_keeps_an_excuse_undetermined(
            possible in proptest::collection::vec(proptest::collection::vec(key(), 1..4), 1..4),
        ) {
            let n = possible.len();
            let rel = Relations { local: vec![false; n], bounded: vec![false; n] };
            let v = settle(&possible, &rel);
            let any_bar = possible.iter().flatten().any(|k| k.outcome.is_some_and(Outcome::is_bar));
            if let Some((k, _, _)) = v.settled {
                if any_bar {
                    prop_assert!(!k.outcome.is_some_and(Outcome::is_excuse));
                }
            }
        }
    }

    fn load(a: &str, b: &str) -> Result<PackSet, String> {
        PackSet::load([("a.toml", a), ("b.toml", b)]).map_err(|e| e.to_string())
    }

    fn pack(id: &str, extra_meta: &str, fact: &str) -> String {
        format!(
            "[pack]\nid = \"{id}\"\ntitle = \"t{id}\"\neffective = \"2020-01-01\"\n{extra_meta}\n[[article]]\nid = \"§1\"\ntext = \"…\"\nkind = \"declarative\"\n\n{fact}"
        )
    }

    #[test]
    fn same_as_is_checked_when_packs_load() {
        let b = pack(
            "b",
            "",
            "[[fact]]\nid = \"y\"\ntype = \"bool\"\nquestion = \"？\"\n",
        );
        let ok = pack(
            "a",
            "references = [\"b\"]",
            "[[fact]]\nid = \"x\"\ntype = \"bool\"\nquestion = \"？\"\nsame_as = [\"b y\"]\n",
        );
        let set = load(&ok, &b).unwrap();
        assert_eq!(set.same_fact_in("a", "x", "b").as_deref(), Some("y"));
        let missing = ok.replace("\"b y\"", "\"b z\"");
        let e = load(&missing, &b).unwrap_err();
        assert!(e.contains("same_as 所指的事实“b z”不存在"), "{e}");
        let unreferenced = ok.replace("references = [\"b\"]", "");
        let e = load(&unreferenced, &b).unwrap_err();
        assert!(e.contains("未列入 [pack] 的 references"), "{e}");
        let malformed = ok.replace("\"b y\"", "\"by\"");
        let e = load(&malformed, &b).unwrap_err();
        assert!(e.contains("格式有误"), "{e}");
        let other_type = b.replace("type = \"bool\"", "type = \"number\"");
        let e = load(&ok, &other_type).unwrap_err();
        assert!(e.contains("类型或可选值不同"), "{e}");
        // A referenced pack that is not loaded leaves the equivalence idle.
        assert!(PackSet::load([("a.toml", ok.as_str())]).is_ok());
    }

    #[test]
    fn implements_must_be_referenced() {
        let b = pack("b", "", "");
        let a = pack("a", "implements = [\"b\"]", "");
        let e = load(&a, &b).unwrap_err();
        assert!(
            e.contains("implements 所列政策包“b”未列入 references"),
            "{e}"
        );
        let a = pack("a", "references = [\"b\"]\nimplements = [\"b\"]", "");
        assert!(load(&a, &b).is_ok());
    }

    #[test]
    fn articles_read_as_cited() {
        assert_eq!(article_zh("§7(一)"), "第七条第（一）项");
        assert_eq!(article_zh("§8¶2"), "第八条第二款");
        assert_eq!(article_zh("§31¶2"), "第三十一条第二款");
        assert_eq!(article_zh("§21"), "第二十一条");
        assert_eq!(article_zh("§29(五)"), "第二十九条第（五）项");
        assert_eq!(article_zh("附件"), "附件");
        assert_eq!(article_zh("§0"), "§0");
    }
}
