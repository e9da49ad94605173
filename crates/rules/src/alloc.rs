//! Responsibility allocation among the people on an enforcement-fault case (004 §7–13): the
//! pack's `[[role]]`s and `[[allocation]]`s over per-person facts written `role.fact`.

use crate::cond::{Ast, Lit};
use crate::error::{hint, InputError};
use crate::pack::{FactType, Value};
use crate::program::{cmp_value, Tri};
use crate::set::{typed, Input, PackSet};

/// One person on the case.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub role: String,
    pub facts: Vec<(String, Input)>,
}

/// A share assigned to a person.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonShare {
    pub person: String,
    pub role: String,
    pub role_label: String,
    /// `all|main|separate|liable|secondary|not_liable`.
    pub share: String,
    /// 全部责任 / 主要责任 / 分别承担责任 / …
    pub share_zh: String,
    pub allocation: String,
    pub citations: Vec<String>,
    pub explain: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AllocationResult {
    pub shares: Vec<PersonShare>,
    pub fired: Vec<String>,
    /// (allocation, defeated by).
    pub defeated: Vec<(String, Vec<String>)>,
    /// Allocations that may or may not apply: facts are missing.
    pub undetermined: Vec<String>,
    /// Whether every person's share is settled by what is known.
    pub determined: bool,
    /// The per-person facts whose answer can still change someone's share.
    pub questions: Vec<AllocQuestion>,
    pub notes: Vec<String>,
}

/// A per-person fact the allocation still needs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AllocQuestion {
    pub person: String,
    pub role: String,
    pub fact: String,
    pub question: String,
}

struct People<'a> {
    people: Vec<(&'a Person, Vec<(String, Value)>)>,
    case: Vec<(String, Value)>,
}

/// The allocation under what is known (unknown counts as not holding).
struct Known {
    shares: Vec<PersonShare>,
    fired: Vec<String>,
    defeated: Vec<(String, Vec<String>)>,
    undetermined: Vec<String>,
}

impl Known {
    fn signature(&self) -> Vec<(String, String, String)> {
        let mut v: Vec<(String, String, String)> = self
            .shares
            .iter()
            .map(|s| (s.person.clone(), s.share.clone(), s.allocation.clone()))
            .collect();
        v.sort();
        v
    }
}

fn allocate_known(id: &str, pack: &crate::pack::Pack, env: &People) -> Known {
    let tri: Vec<Tri> = pack.allocations.iter().map(|a| env.eval(&a.when)).collect();
    let fired: Vec<usize> = (0..tri.len()).filter(|i| tri[*i] == Tri::True).collect();
    let mut defeated = Vec::new();
    let mut effective = Vec::new();
    for &i in &fired {
        let by: Vec<String> = fired
            .iter()
            .filter(|j| {
                pack.allocations[**j]
                    .defeats
                    .contains(&pack.allocations[i].id)
            })
            .map(|j| pack.allocations[*j].id.clone())
            .collect();
        if by.is_empty() {
            effective.push(i);
        } else {
            defeated.push((pack.allocations[i].id.clone(), by));
        }
    }
    let mut shares = Vec::new();
    for &i in &effective {
        let a = &pack.allocations[i];
        for asg in &a.assign {
            for (p, vals) in &env.people {
                if asg.role != "any" && asg.role != p.role {
                    continue;
                }
                if let Some(w) = &asg.who {
                    if People::get(vals, w) != Some(&Value::Bool(true)) {
                        continue;
                    }
                }
                let label = pack
                    .roles
                    .iter()
                    .find(|r| r.id == p.role)
                    .map(|r| r.label.clone())
                    .unwrap_or_default();
                shares.push(PersonShare {
                    person: p.name.clone(),
                    role: p.role.clone(),
                    role_label: label,
                    share: asg.share.id().to_string(),
                    share_zh: asg.share.zh().to_string(),
                    allocation: a.id.clone(),
                    citations: a.articles.iter().map(|x| format!("{id} {x}")).collect(),
                    explain: a.explain.clone(),
                });
            }
        }
    }
    Known {
        shares,
        fired: fired
            .iter()
            .map(|i| pack.allocations[*i].id.clone())
            .collect(),
        defeated,
        undetermined: (0..tri.len())
            .filter(|i| tri[*i] == Tri::Unknown)
            .map(|i| pack.allocations[i].id.clone())
            .collect(),
    }
}

impl People<'_> {
    fn clone_shallow(&self) -> Self {
        People {
            people: self.people.clone(),
            case: self.case.clone(),
        }
    }

    fn get<'b>(vals: &'b [(String, Value)], k: &str) -> Option<&'b Value> {
        vals.iter().find(|(n, _)| n == k).map(|(_, v)| v)
    }

    /// A per-person atom over a role: true if someone in the role has it, false if nobody
    /// can, unknown otherwise.
    fn atom(&self, name: &str, test: &dyn Fn(Option<&Value>) -> Tri) -> Tri {
        match name.split_once('.') {
            Some((role, fact)) => {
                let mut r = Tri::False;
                for (p, vals) in &self.people {
                    if p.role == role {
                        match test(Self::get(vals, fact)) {
                            Tri::True => return Tri::True,
                            Tri::Unknown => r = Tri::Unknown,
                            Tri::False => {}
                        }
                    }
                }
                r
            }
            None => test(Self::get(&self.case, name)),
        }
    }

    fn eval(&self, a: &Ast) -> Tri {
        let lit_test = |op: crate::cond::CmpOp, l: Lit| {
            move |v: Option<&Value>| match v {
                None => Tri::Unknown,
                Some(v) => match cmp_value(v, &l) {
                    Some(o) if op.holds(o) => Tri::True,
                    _ => Tri::False,
                },
            }
        };
        match a {
            Ast::Fact(n) => self.atom(&n.name, &|v| match v {
                Some(Value::Bool(true)) => Tri::True,
                Some(_) => Tri::False,
                None => Tri::Unknown,
            }),
            Ast::Cmp(n, op, l, _) => self.atom(&n.name, &lit_test(*op, l.clone())),
            Ast::In(n, ls) => {
                let ls: Vec<Lit> = ls.iter().map(|(l, _)| l.clone()).collect();
                self.atom(&n.name, &move |v| match v {
                    None => Tri::Unknown,
                    Some(v) => {
                        if ls
                            .iter()
                            .any(|l| cmp_value(v, l) == Some(std::cmp::Ordering::Equal))
                        {
                            Tri::True
                        } else {
                            Tri::False
                        }
                    }
                })
            }
            Ast::Not(x) => match self.eval(x) {
                Tri::True => Tri::False,
                Tri::False => Tri::True,
                Tri::Unknown => Tri::Unknown,
            },
            Ast::And(v) => {
                let mut r = Tri::True;
                for x in v {
                    match self.eval(x) {
                        Tri::False => return Tri::False,
                        Tri::Unknown => r = Tri::Unknown,
                        Tri::True => {}
                    }
                }
                r
            }
            Ast::Or(v) => {
                let mut r = Tri::False;
                for x in v {
                    match self.eval(x) {
                        Tri::True => return Tri::True,
                        Tri::Unknown => r = Tri::Unknown,
                        Tri::False => {}
                    }
                }
                r
            }
            Ast::Count(v, op, n) => {
                let t = v.iter().filter(|x| self.eval(x) == Tri::True).count() as i64;
                let u = v.iter().filter(|x| self.eval(x) == Tri::Unknown).count() as i64;
                let vals: Vec<bool> = (t..=t + u).map(|c| op.holds(c.cmp(n))).collect();
                if vals.iter().all(|b| *b) {
                    Tri::True
                } else if vals.iter().all(|b| !*b) {
                    Tri::False
                } else {
                    Tri::Unknown
                }
            }
            Ast::Pack { .. } => Tri::Unknown,
        }
    }
}

impl PackSet {
    /// Who bears which responsibility under pack `id`'s allocation rules.
    pub fn allocate(
        &self,
        id: &str,
        people: &[Person],
        case: &[(String, Value)],
    ) -> Result<AllocationResult, InputError> {
        let pack = self.pack(id)?;
        if pack.roles.is_empty() || pack.allocations.is_empty() {
            return Err(InputError::NoAllocation {
                pack: id.to_string(),
            });
        }
        let mut typed_people = Vec::new();
        for p in people {
            if !pack.roles.iter().any(|r| r.id == p.role) {
                return Err(InputError::UnknownRole {
                    pack: id.to_string(),
                    person: p.name.clone(),
                    role: p.role.clone(),
                    known: pack
                        .roles
                        .iter()
                        .map(|r| format!("{}（{}）", r.id, r.label))
                        .collect::<Vec<_>>()
                        .join("、"),
                });
            }
            let mut vals = Vec::new();
            for (k, v) in &p.facts {
                let Some(f) = pack.fact(k).filter(|f| f.per_person) else {
                    return Err(InputError::UnknownFact {
                        pack: id.to_string(),
                        fact: k.clone(),
                        hint: hint(
                            k,
                            pack.facts
                                .iter()
                                .filter(|f| f.per_person)
                                .map(|f| f.id.as_str()),
                        ),
                    });
                };
                vals.push((k.clone(), typed(f.ty, &f.choices, k, v)?));
            }
            typed_people.push((p, vals));
        }
        let env = People {
            people: typed_people,
            case: case.to_vec(),
        };
        let base = allocate_known(id, pack, &env);
        // 004 §7–13 name every person's share: one whose share depends on something unknown
        // must not silently disappear. Every unknown per-person fact an allocation reads (or
        // filters by) is a candidate question; the allocation is undetermined exactly when two
        // completions give different shares, and a question is asked exactly when changing it
        // alone changes them (enumerated up to 2^12 completions, else all candidates asked).
        let mut cands: Vec<(Option<usize>, String)> = Vec::new();
        let mut names = Vec::new();
        for a in &pack.allocations {
            a.when.names(&mut names);
        }
        for n in &names {
            match n.name.split_once('.') {
                Some((role, fact)) => {
                    for (k, (p, vals)) in env.people.iter().enumerate() {
                        if p.role == role && People::get(vals, fact).is_none() {
                            cands.push((Some(k), fact.to_string()));
                        }
                    }
                }
                None => {
                    if People::get(&env.case, &n.name).is_none() {
                        cands.push((None, n.name.clone()));
                    }
                }
            }
        }
        for a in &pack.allocations {
            for asg in &a.assign {
                let Some(w) = &asg.who else { continue };
                for (k, (p, vals)) in env.people.iter().enumerate() {
                    if (asg.role == "any" || asg.role == p.role) && People::get(vals, w).is_none() {
                        cands.push((Some(k), w.clone()));
                    }
                }
            }
        }
        cands.sort();
        cands.dedup();
        let domain = |f: &str| -> Vec<Value> {
            match pack.fact(f) {
                Some(d) if d.ty == FactType::Choice => {
                    d.choices.iter().cloned().map(Value::Choice).collect()
                }
                _ => vec![Value::Bool(false), Value::Bool(true)],
            }
        };
        let doms: Vec<Vec<Value>> = cands.iter().map(|(_, f)| domain(f)).collect();
        let size = doms
            .iter()
            .try_fold(1usize, |acc, d| acc.checked_mul(d.len().max(1)))
            .filter(|n| *n <= 1 << 12);
        let mut determined = base.undetermined.is_empty() && cands.is_empty();
        let mut asked: Vec<usize> = Vec::new();
        match size {
            Some(size) if !cands.is_empty() => {
                let mut table = Vec::with_capacity(size);
                for code in 0..size {
                    let mut e = env.clone_shallow();
                    let mut c = code;
                    for ((who, f), d) in cands.iter().zip(&doms) {
                        let v = d[c % d.len()].clone();
                        c /= d.len();
                        match who {
                            Some(k) => e.people[*k].1.push((f.clone(), v)),
                            None => e.case.push((f.clone(), v)),
                        }
                    }
                    table.push(allocate_known(id, pack, &e).signature());
                }
                determined = table.iter().all(|t| *t == table[0]);
                let mut stride = 1usize;
                for (j, d) in doms.iter().enumerate() {
                    let len = d.len();
                    let moves = (0..size).any(|idx| {
                        let v = (idx / stride) % len;
                        ((v + 1)..len).any(|w| table[idx] != table[idx + (w - v) * stride])
                    });
                    if moves {
                        asked.push(j);
                    }
                    stride *= len.max(1);
                }
            }
            Some(_) => {}
            None => {
                determined = false;
                asked = (0..cands.len()).collect();
            }
        }
        let questions: Vec<AllocQuestion> = asked
            .iter()
            .map(|&j| {
                let (who, f) = &cands[j];
                let (person, role) = match who {
                    Some(k) => (env.people[*k].0.name.clone(), env.people[*k].0.role.clone()),
                    None => (String::new(), String::new()),
                };
                AllocQuestion {
                    person,
                    role,
                    fact: f.clone(),
                    question: pack.fact(f).map(|x| x.question.clone()).unwrap_or_default(),
                }
            })
            .collect();
        let mut notes = Vec::new();
        if !determined {
            let who: Vec<String> = questions
                .iter()
                .map(|q| {
                    if q.person.is_empty() {
                        format!("“{}”", q.question)
                    } else {
                        format!("{}：“{}”", q.person, q.question)
                    }
                })
                .collect();
            notes.push(format!(
                "责任划分尚不能确定：以下人员事实未查明，且其回答会改变有关人员的责任（第七条至第十三条）——{}。",
                who.join("；")
            ));
        } else if base.shares.is_empty() {
            notes.push("依所给事实，没有人员需按本规定承担执法过错责任。".to_string());
        }
        Ok(AllocationResult {
            shares: base.shares,
            fired: base.fired,
            defeated: base.defeated,
            undetermined: base.undetermined,
            determined,
            questions,
            notes,
        })
    }
}
