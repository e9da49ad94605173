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
    pub notes: Vec<String>,
}

struct People<'a> {
    people: Vec<(&'a Person, Vec<(String, Value)>)>,
    case: &'a [(String, Value)],
}

impl People<'_> {
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
            None => test(Self::get(self.case, name)),
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
            case,
        };
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
        let undetermined: Vec<String> = (0..tri.len())
            .filter(|i| tri[*i] == Tri::Unknown)
            .map(|i| pack.allocations[i].id.clone())
            .collect();
        let mut notes = Vec::new();
        if !undetermined.is_empty() {
            notes.push(format!(
                "责任划分规则 {} 所需的人员事实尚未查明，结论可能变化。",
                undetermined.join("、")
            ));
        }
        if shares.is_empty() && undetermined.is_empty() {
            notes.push("依所给事实，没有人员需按本规定承担执法过错责任。".to_string());
        }
        let _ = FactType::Bool;
        Ok(AllocationResult {
            shares,
            fired: fired
                .iter()
                .map(|i| pack.allocations[*i].id.clone())
                .collect(),
            defeated,
            undetermined,
            notes,
        })
    }
}
