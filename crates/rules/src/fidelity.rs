//! `policy check`'s legal-fidelity proofs (issue 15), over every assignment of a pack's facts:
//!
//! - **(a) nothing inexcusable is excused**: wherever an exclusion (不予容错) or aggravation
//!   (从重) rule fires, the decision is no excuse (免责、容错、正名 or 澄清);
//! - **(b) specific governs general** (lex specialis, DESIGN §4): a rule that belongs to a
//!   `[[situation]]` fires only within it, and where a specific rule's situation holds and its
//!   own conditions fail, no general rule gives the excuse it refuses (or a greater one);
//! - **(c) no silent drop**: a person whose share in the allocation depends on an unknown fact
//!   makes the allocation undetermined and that fact is asked (decision rules are exact by
//!   construction: see `Program::evaluate`);
//! - **(d) a 应当 stays a 应当**: where a mandatory excuse is set aside only by a discretionary
//!   one, the decision still guarantees the mandatory one (002 §10 ¶1–¶2).
//!
//! (a), (b) and (d) are decided by a SAT solver (batsat, a MiniSat port) over the compiled
//! program: each fact is one variable (or one per value for choices, numbers and dates), each
//! condition a Tseitin encoding, and the engine's decision procedure (fired → effective by the
//! defeat masks → outcome by severity) is encoded as is. A satisfying model is a falsifying
//! assignment, re-evaluated by the engine itself before it is reported. (c) enumerates each
//! group of allocations that share per-person facts.

use std::collections::BTreeSet;

use batsat::{lbool, BasicSolver, Lit, SolverInterface};

use crate::alloc::Person;
use crate::check::{Finding, Level};
use crate::pack::{Modality, Outcome, Pack, Value};
use crate::program::{cmp_value, severity, Expr, Key, Program, Tri};
use crate::set::{Input, PackSet};

struct Enc<'p> {
    prog: &'p Program,
    s: BasicSolver,
    tru: Lit,
    /// Per fact, one literal per domain value (exactly one holds).
    vals: Vec<Vec<Lit>>,
    fired: Vec<Lit>,
    eff: Vec<Lit>,
}

impl<'p> Enc<'p> {
    fn blank(prog: &'p Program) -> Self {
        let mut s = BasicSolver::default();
        let t = s.new_var_default();
        let tru = Lit::new(t, true);
        s.add_clause_reuse(&mut vec![tru]);
        Enc {
            prog,
            s,
            tru,
            vals: Vec::new(),
            fired: Vec::new(),
            eff: Vec::new(),
        }
    }

    /// Literals per fact and value: constants for the known facts outside `free`, variables
    /// (exactly one value) for the others.
    fn fact_lits(&mut self, known: &[Option<Value>], free: &BTreeSet<usize>) -> Vec<Vec<Lit>> {
        let prog = self.prog;
        let mut out = Vec::new();
        for (i, f) in prog.facts.iter().enumerate() {
            if let (false, Some(Some(v))) = (free.contains(&i), known.get(i)) {
                out.push(
                    f.domain
                        .iter()
                        .map(|d| if d == v { self.tru } else { !self.tru })
                        .collect(),
                );
                continue;
            }
            let lits: Vec<Lit> =
                if f.domain.len() == 2 && f.domain.iter().all(|v| matches!(v, Value::Bool(_))) {
                    // Prefer `false`: a falsifying assignment then names only what it needs.
                    let v = Lit::new(self.s.new_var(lbool::FALSE, true), true);
                    // domain order is [false, true]
                    vec![!v, v]
                } else {
                    let lits: Vec<Lit> = f.domain.iter().map(|_| self.fresh()).collect();
                    self.s.add_clause_reuse(&mut lits.clone());
                    for i in 0..lits.len() {
                        for j in (i + 1)..lits.len() {
                            self.s.add_clause_reuse(&mut vec![!lits[i], !lits[j]]);
                        }
                    }
                    lits
                };
            out.push(lits);
        }
        out
    }

    fn new(prog: &'p Program) -> Self {
        let mut e = Enc::blank(prog);
        e.vals = e.fact_lits(&[], &BTreeSet::new());
        for (_, never, _) in &prog.assertions {
            let l = e.expr(never);
            e.s.add_clause_reuse(&mut vec![!l]);
        }
        for r in &prog.rules {
            let l = e.expr(&r.when);
            e.fired.push(l);
        }
        for r in 0..prog.rules.len() {
            let mut parts = vec![e.fired[r]];
            for d in 0..prog.rules.len() {
                if prog.defeaters[r] & (1u128 << d) != 0 {
                    parts.push(!e.fired[d]);
                }
            }
            let l = e.and(parts);
            e.eff.push(l);
        }
        e
    }

    fn fresh(&mut self) -> Lit {
        Lit::new(self.s.new_var_default(), true)
    }

    fn and(&mut self, ls: Vec<Lit>) -> Lit {
        match ls.len() {
            0 => self.tru,
            1 => ls[0],
            _ => {
                let v = self.fresh();
                let mut big = vec![v];
                for l in &ls {
                    self.s.add_clause_reuse(&mut vec![!v, *l]);
                    big.push(!*l);
                }
                self.s.add_clause_reuse(&mut big);
                v
            }
        }
    }

    fn or(&mut self, ls: Vec<Lit>) -> Lit {
        let neg: Vec<Lit> = ls.iter().map(|l| !*l).collect();
        !self.and(neg)
    }

    fn matching(&mut self, i: usize, test: impl Fn(&Value) -> bool) -> Lit {
        let lits: Vec<Lit> = self.prog.facts[i]
            .domain
            .iter()
            .zip(&self.vals[i])
            .filter(|(v, _)| test(v))
            .map(|(_, l)| *l)
            .collect();
        self.or(lits)
    }

    fn expr(&mut self, e: &Expr) -> Lit {
        match e {
            Expr::Const(Tri::True) => self.tru,
            Expr::Const(Tri::False) => !self.tru,
            // Unknown constants and the pseudo-fact `outcome` (consequences only) are free.
            Expr::Const(Tri::Unknown) | Expr::OutcomeIn(..) => self.fresh(),
            Expr::Fact(i) => self.matching(*i, |v| matches!(v, Value::Bool(true))),
            Expr::Cmp(i, op, l) => {
                let (op, l) = (*op, l.clone());
                self.matching(*i, move |v| cmp_value(v, &l).is_some_and(|o| op.holds(o)))
            }
            Expr::In(i, ls) => {
                let ls = ls.clone();
                self.matching(*i, move |v| {
                    ls.iter()
                        .any(|l| cmp_value(v, l) == Some(std::cmp::Ordering::Equal))
                })
            }
            Expr::Not(x) => !self.expr(x),
            Expr::And(v) => {
                let ls = v.iter().map(|x| self.expr(x)).collect();
                self.and(ls)
            }
            Expr::Or(v) => {
                let ls = v.iter().map(|x| self.expr(x)).collect();
                self.or(ls)
            }
            Expr::Count(v, op, n) => {
                let ls: Vec<Lit> = v.iter().map(|x| self.expr(x)).collect();
                let m = ls.len();
                // at_least[k] after the first i literals (a sequential counter).
                let mut at: Vec<Lit> = (0..=m + 1)
                    .map(|k| if k == 0 { self.tru } else { !self.tru })
                    .collect();
                for l in &ls {
                    let mut next = at.clone();
                    for k in 1..=m {
                        let with = self.and(vec![at[k - 1], *l]);
                        next[k] = self.or(vec![at[k], with]);
                    }
                    at = next;
                }
                let mut exact = Vec::new();
                for c in 0..=m {
                    if op.holds((c as i64).cmp(n)) {
                        let e = self.and(vec![at[c], !at[c + 1]]);
                        exact.push(e);
                    }
                }
                self.or(exact)
            }
        }
    }

    /// The decision's outcome is `o` (the engine: the least lenient effective outcome wins).
    fn outcome_is(&mut self, o: Outcome) -> Lit {
        let n = self.prog.rules.len();
        let some: Vec<Lit> = (0..n)
            .filter(|r| self.prog.rules[*r].outcome == o)
            .map(|r| self.eff[r])
            .collect();
        let any = self.or(some);
        let mut parts = vec![any];
        for r in 0..n {
            if severity(self.prog.rules[r].outcome) > severity(o) {
                parts.push(!self.eff[r]);
            }
        }
        self.and(parts)
    }

    /// The outcome is an excuse of at least `rank` (any excuse for 0).
    fn excuse_at_least(&mut self, rank: u8) -> Lit {
        let os: Vec<Outcome> = EXCUSES
            .into_iter()
            .filter(|o| o.excuse_rank() >= rank)
            .collect();
        let ls = os.into_iter().map(|o| self.outcome_is(o)).collect();
        self.or(ls)
    }

    /// The outcome is an excuse given only as `may`.
    fn discretionary_excuse(&mut self) -> Lit {
        let mut alts = Vec::new();
        for o in EXCUSES {
            let is = self.outcome_is(o);
            let shall: Vec<Lit> = (0..self.prog.rules.len())
                .filter(|r| {
                    self.prog.rules[*r].outcome == o
                        && self.prog.rules[*r].modality == Modality::Shall
                })
                .map(|r| self.eff[r])
                .collect();
            let any_shall = self.or(shall);
            alts.push(self.and(vec![is, !any_shall]));
        }
        self.or(alts)
    }

    fn solve(&mut self, assumptions: &[Lit]) -> Option<Vec<Option<Value>>> {
        if self.s.solve_limited(assumptions) != lbool::TRUE {
            return None;
        }
        let mut out = vec![None; self.prog.facts.len()];
        for (i, lits) in self.vals.iter().enumerate() {
            for (k, l) in lits.iter().enumerate() {
                if self.s.value_lit(*l) == lbool::TRUE {
                    out[i] = self.prog.facts[i].domain.get(k).cloned();
                    break;
                }
            }
        }
        Some(out)
    }
}

const EXCUSES: [Outcome; 4] = [
    Outcome::Exemption,
    Outcome::Tolerance,
    Outcome::NameClearing,
    Outcome::Clarification,
];

/// A group solved: its reachable class patterns, and per fact the pattern pairs it moves between.
pub(crate) type Solved = (Vec<u128>, Vec<std::collections::HashSet<(u128, u128)>>);

/// The reachable class patterns of a group of rules over its unknown `facts` (the known ones
/// fixed as in `known`, the group's assertions respected), and per fact the pattern pairs one
/// change of that fact moves between — what `Program::enumerate` lists, for groups too large
/// to list. `None` when the group has too many classes (more than 6).
pub(crate) fn component_by_sat(
    prog: &Program,
    facts: &[usize],
    rules: &[usize],
    classes: &[usize],
    assertions: &[usize],
    known: &[Option<Value>],
) -> Option<Solved> {
    let mut cls: Vec<usize> = classes.to_vec();
    cls.sort();
    cls.dedup();
    if cls.len() > 6 {
        return None;
    }
    let mut enc = Enc::blank(prog);
    let free: BTreeSet<usize> = facts.iter().copied().collect();
    enc.vals = enc.fact_lits(known, &free);
    for a in assertions {
        let l = enc.expr(&prog.assertions[*a].1);
        enc.s.add_clause_reuse(&mut vec![!l]);
    }
    // Class c of the group fires iff one of its rules does.
    let class_lits = |enc: &mut Enc| -> Vec<Lit> {
        let fired: Vec<Lit> = rules
            .iter()
            .map(|r| enc.expr(&prog.rules[*r].when))
            .collect();
        cls.iter()
            .map(|c| {
                let ls: Vec<Lit> = fired
                    .iter()
                    .zip(classes)
                    .filter(|(_, k)| *k == c)
                    .map(|(l, _)| *l)
                    .collect();
                enc.or(ls)
            })
            .collect()
    };
    let a_cls = class_lits(&mut enc);
    let mask_of = |bits: usize| -> u128 {
        cls.iter()
            .enumerate()
            .filter(|(j, _)| bits & (1 << j) != 0)
            .fold(0u128, |m, (_, c)| m | (1u128 << c))
    };
    let assume = |lits: &[Lit], bits: usize| -> Vec<Lit> {
        lits.iter()
            .enumerate()
            .map(|(j, l)| if bits & (1 << j) != 0 { *l } else { !*l })
            .collect()
    };
    let mut reachable = Vec::new();
    for bits in 0..(1usize << cls.len()) {
        if enc.s.solve_limited(&assume(&a_cls, bits)) == lbool::TRUE {
            reachable.push(bits);
        }
    }
    let patterns: Vec<u128> = reachable.iter().map(|b| mask_of(*b)).collect();
    let mut flips = vec![std::collections::HashSet::new(); facts.len()];
    if reachable.len() > 1 {
        for (fi, f) in facts.iter().enumerate() {
            // A second copy of the group in which only fact f may differ; its constraints
            // hold only under `act`, so that later queries are not bound by them.
            let act = enc.fresh();
            let saved = enc.vals[*f].clone();
            let other: Vec<Lit> = saved.iter().map(|_| enc.fresh()).collect();
            if other.len() > 2 || saved.len() != 2 {
                enc.s.add_clause_reuse(&mut other.clone());
                for i in 0..other.len() {
                    for j in (i + 1)..other.len() {
                        enc.s.add_clause_reuse(&mut vec![!other[i], !other[j]]);
                    }
                }
            } else {
                // A bool: the second copy's literals are each other's negation.
                enc.s.add_clause_reuse(&mut vec![other[0], other[1]]);
                enc.s.add_clause_reuse(&mut vec![!other[0], !other[1]]);
            }
            for (k, l) in saved.iter().enumerate() {
                enc.s.add_clause_reuse(&mut vec![!act, !*l, !other[k]]);
            }
            enc.vals[*f] = other;
            for a in assertions {
                let l = enc.expr(&prog.assertions[*a].1);
                enc.s.add_clause_reuse(&mut vec![!act, !l]);
            }
            let b_cls = class_lits(&mut enc);
            enc.vals[*f] = saved;
            for (i, p1) in reachable.iter().enumerate() {
                for p2 in reachable.iter().skip(i + 1) {
                    let mut a = assume(&a_cls, *p1);
                    a.extend(assume(&b_cls, *p2));
                    a.push(act);
                    let mut b = assume(&a_cls, *p2);
                    b.extend(assume(&b_cls, *p1));
                    b.push(act);
                    if enc.s.solve_limited(&a) == lbool::TRUE
                        || enc.s.solve_limited(&b) == lbool::TRUE
                    {
                        flips[fi].insert((mask_of(*p1), mask_of(*p2)));
                    }
                }
            }
        }
    }
    Some((patterns, flips))
}

/// An assignment (respecting the assertions) under which none of `rules` fires, for the
/// "undecided" information of `policy check` on groups too large to enumerate.
pub(crate) fn undecided_example(prog: &Program, rules: &[usize]) -> Option<Vec<Option<Value>>> {
    let mut enc = Enc::new(prog);
    let assumptions: Vec<Lit> = rules.iter().map(|r| !enc.fired[*r]).collect();
    enc.solve(&assumptions)
}

fn key_zh(k: &Key) -> String {
    let o = k.outcome.map_or("一般处理", |o| o.zh());
    let m = k.modality.map_or(String::new(), |m| m.zh().to_string());
    let l: Vec<&str> = k.leniency_list().iter().map(|l| l.zh()).collect();
    if l.is_empty() {
        format!("{m}{o}")
    } else {
        format!("{m}{o}（{}）", l.join("、"))
    }
}

impl Program {
    fn fired_ids(&self, vals: &[Option<Value>]) -> Vec<usize> {
        (0..self.rules.len())
            .filter(|r| self.rules[*r].when.eval(vals, None) == Tri::True)
            .collect()
    }

    /// `fact = value` for the facts the given rules read (a readable falsifying assignment).
    fn assignment(&self, vals: &[Option<Value>], rules: &[usize]) -> String {
        let mut fs = BTreeSet::new();
        for r in rules {
            fs.extend(self.rules[*r].reads.iter().copied());
        }
        fs.iter()
            .filter_map(|i| {
                vals.get(*i)
                    .and_then(|v| v.as_ref())
                    .map(|v| format!("{} = {}", self.facts[*i].id, v.describe()))
            })
            .collect::<Vec<_>>()
            .join("，")
    }

    /// The rules that fired and the ones that defeated them, for the report.
    fn story(&self, vals: &[Option<Value>]) -> (Vec<usize>, String) {
        let fired = self.fired_ids(vals);
        let mask = fired.iter().fold(0u128, |m, r| m | (1u128 << r));
        let mut parts = Vec::new();
        for &r in &fired {
            let by: Vec<&str> = fired
                .iter()
                .filter(|d| self.defeaters[r] & (1u128 << **d) != 0 && mask & (1u128 << **d) != 0)
                .map(|d| self.rules[*d].id.as_str())
                .collect();
            if by.is_empty() {
                parts.push(format!(
                    "{}（{}，有效）",
                    self.rules[r].id,
                    self.rules[r].outcome.zh()
                ));
            } else {
                parts.push(format!(
                    "{}（{}，被 {} 排除）",
                    self.rules[r].id,
                    self.rules[r].outcome.zh(),
                    by.join("、")
                ));
            }
        }
        (fired, parts.join("；"))
    }
}

/// The fidelity findings (a), (b) and (d) of one compiled pack; every one is an error.
pub(crate) fn fidelity(pack: &Pack, prog: &Program) -> Vec<Finding> {
    let mut out = Vec::new();
    let err = |kind: &'static str, message: String| Finding {
        level: Level::Error,
        pack: pack.meta.id.clone(),
        kind,
        message,
    };
    let mut enc = Enc::new(prog);
    let n = prog.rules.len();
    let id_of = |r: usize| prog.rules[r].id.as_str();

    // (a) Exclusions and aggravations defeat every excuse.
    let any_excuse = enc.excuse_at_least(0);
    for x in (0..n).filter(|x| prog.rules[*x].outcome.is_bar()) {
        if let Some(vals) = enc.solve(&[enc.fired[x], any_excuse]) {
            let key = prog.point_key(&vals);
            let (fired, story) = prog.story(&vals);
            out.push(err(
                "excused_despite_bar",
                format!(
                    "规则 {}（{}，{}）成立时，结论仍为“{}”：不得免责容错的情形被免责容错。反例：{}。成立的规则：{}。请以 [[precedence]] 使不予容错、从重规则优先于一切免责容错规则，或者在免责容错规则中写明其因果条件。",
                    id_of(x),
                    prog.rules[x].articles.join("、"),
                    prog.rules[x].outcome.zh(),
                    key_zh(&key),
                    prog.assignment(&vals, &fired),
                    story
                ),
            ));
        }
    }

    // (b1) A rule that belongs to a situation fires only within it.
    for r in 0..n {
        let Some(sid) = pack.rule(id_of(r)).and_then(|pr| pr.situation.clone()) else {
            continue;
        };
        let Some(sit) = prog.situations.iter().find(|x| x.id == sid) else {
            continue;
        };
        let sigma = enc.vals[sit.fact][1];
        if let Some(vals) = enc.solve(&[enc.fired[r], !sigma]) {
            out.push(err(
                "outside_situation",
                format!(
                    "规则 {}（{}）属于情形“{}”（{}），却在该情形之外也成立。反例：{}，{} = 否。请在其条件中写明该情形。",
                    id_of(r),
                    prog.rules[r].articles.join("、"),
                    sit.id,
                    sit.label,
                    prog.assignment(&vals, &[r]),
                    prog.facts[sit.fact].id
                ),
            ));
        }
    }

    // (b2) Where a specific rule's situation holds and its conditions fail, no general rule
    // gives the excuse it refuses, or a greater one.
    for sp in 0..n {
        let Some(sfact) = prog.rules[sp].situation else {
            continue;
        };
        let specific = pack.rule(id_of(sp));
        let own = specific.and_then(|x| x.situation.clone());
        let rank = prog.rules[sp].outcome.excuse_rank();
        if rank == 0 {
            continue;
        }
        let sigma = enc.vals[sfact][1];
        for g in 0..n {
            if g == sp {
                continue;
            }
            let pg = pack.rule(id_of(g));
            if pg.is_some_and(|x| x.specific)
                || (own.is_some() && pg.and_then(|x| x.situation.clone()) == own)
            {
                continue;
            }
            let go = prog.rules[g].outcome;
            if go.excuse_rank() < rank {
                continue;
            }
            let decides = enc.outcome_is(go);
            if let Some(vals) = enc.solve(&[sigma, !enc.fired[sp], enc.eff[g], decides]) {
                let key = prog.point_key(&vals);
                let (fired, story) = prog.story(&vals);
                let mut involved = fired.clone();
                involved.push(sp);
                out.push(err(
                    "general_bypasses_specific",
                    format!(
                        "在规则 {}（{}）所规定的情形（{} = 是）中，其条件不具备，一般规定 {}（{}）仍给出“{}”：一般规定绕过了特别规定。反例：{}。成立的规则：{}。请在规则 {} 的 specializes 中列出 {}。",
                        id_of(sp),
                        prog.rules[sp].articles.join("、"),
                        prog.facts[sfact].id,
                        id_of(g),
                        prog.rules[g].articles.join("、"),
                        key_zh(&key),
                        prog.assignment(&vals, &involved),
                        story,
                        id_of(sp),
                        id_of(g)
                    ),
                ));
            }
        }
    }

    // (d) A mandatory excuse set aside only by discretionary ones stays the floor.
    let discretionary = enc.discretionary_excuse();
    for c in 0..n {
        let rc = &prog.rules[c];
        if !rc.outcome.is_excuse() || rc.modality != Modality::Shall {
            continue;
        }
        let mut ds = Vec::new();
        let mut parts = vec![enc.fired[c], discretionary];
        for d in 0..n {
            if prog.defeaters[c] & (1u128 << d) == 0 {
                continue;
            }
            let rd = &prog.rules[d];
            if rd.outcome.is_excuse() && rd.modality == Modality::May {
                ds.push(enc.fired[d]);
            } else {
                parts.push(!enc.fired[d]);
            }
        }
        if ds.is_empty() {
            continue;
        }
        let some = enc.or(ds);
        parts.push(some);
        if let Some(vals) = enc.solve(&parts) {
            let key = prog.point_key(&vals);
            let kept = key.floor.is_some_and(|(o, l)| {
                o.excuse_rank() >= rc.outcome.excuse_rank()
                    && (o != rc.outcome || l & rc.leniency == rc.leniency)
            });
            if !kept {
                let (fired, story) = prog.story(&vals);
                out.push(err(
                    "mandatory_lost",
                    format!(
                        "规则 {}（{}，应当{}）成立，仅被“可以”的规则排除，结论为“{}”，却未保留应当给予的{}：“应当”被变成了“可以”。反例：{}。成立的规则：{}。",
                        rc.id,
                        rc.articles.join("、"),
                        rc.outcome.zh(),
                        key_zh(&key),
                        rc.outcome.zh(),
                        prog.assignment(&vals, &fired),
                        story
                    ),
                ));
            }
        }
    }
    out
}

/// An allocation probe: the shares (person, share), whether determined, the questions asked.
type Probe = (Vec<(String, String)>, bool, Vec<String>);

/// (c) No silent drop in the allocation: for every group of allocations sharing per-person
/// facts, every assignment of that group's facts to one person per role, and every one of
/// those facts left unknown, a change of the person's share must make the allocation
/// undetermined and put that fact among its questions.
pub(crate) fn allocation_fidelity(set: &PackSet, pack: &Pack) -> Vec<Finding> {
    let mut out = Vec::new();
    if pack.roles.is_empty() || pack.allocations.is_empty() {
        return out;
    }
    // (role, fact) pairs each allocation reads or filters by.
    let mut uses: Vec<BTreeSet<(String, String)>> = Vec::new();
    for a in &pack.allocations {
        let mut s = BTreeSet::new();
        let mut names = Vec::new();
        a.when.names(&mut names);
        for n in names {
            if let Some((role, f)) = n.name.split_once('.') {
                s.insert((role.to_string(), f.to_string()));
            }
        }
        for asg in &a.assign {
            if let Some(w) = &asg.who {
                let roles: Vec<String> = if asg.role == "any" {
                    pack.roles.iter().map(|r| r.id.clone()).collect()
                } else {
                    vec![asg.role.clone()]
                };
                for r in roles {
                    s.insert((r, w.clone()));
                }
            }
        }
        uses.push(s);
    }
    // Groups: allocations linked by shared pairs.
    let m = uses.len();
    let mut group: Vec<usize> = (0..m).collect();
    for i in 0..m {
        for j in (i + 1)..m {
            if !uses[i].is_disjoint(&uses[j]) {
                let (gi, gj) = (group[i], group[j]);
                for g in group.iter_mut() {
                    if *g == gj {
                        *g = gi;
                    }
                }
            }
        }
    }
    let gids: BTreeSet<usize> = group.iter().copied().collect();
    let mut reported = BTreeSet::new();
    for g in gids {
        let pairs: Vec<(String, String)> = (0..m)
            .filter(|i| group[*i] == g)
            .flat_map(|i| uses[i].iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if pairs.is_empty() || pairs.len() > 14 {
            continue;
        }
        let people_for = |vals: &[Option<bool>]| -> Vec<Person> {
            pack.roles
                .iter()
                .map(|r| Person {
                    name: r.label.clone(),
                    role: r.id.clone(),
                    facts: pairs
                        .iter()
                        .zip(vals)
                        .filter(|((role, _), v)| *role == r.id && v.is_some())
                        .map(|((_, f), v)| (f.clone(), Input::Bool(v.unwrap_or(false))))
                        .collect(),
                })
                .collect()
        };
        let shares = |vals: &[Option<bool>]| -> Option<Probe> {
            let r = set.allocate(&pack.meta.id, &people_for(vals), &[]).ok()?;
            let mut s: Vec<(String, String)> = r
                .shares
                .iter()
                .map(|x| (x.person.clone(), x.share.clone()))
                .collect();
            s.sort();
            s.dedup();
            let asked = r
                .questions
                .iter()
                .map(|q| format!("{}.{}", q.role, q.fact))
                .collect();
            Some((s, r.determined, asked))
        };
        for code in 0..(1usize << pairs.len()) {
            let full: Vec<Option<bool>> = (0..pairs.len())
                .map(|k| Some(code & (1 << k) != 0))
                .collect();
            for k in 0..pairs.len() {
                if full[k] != Some(false) || reported.contains(&pairs[k]) {
                    continue;
                }
                let mut flipped = full.clone();
                flipped[k] = Some(true);
                let (Some(a), Some(b)) = (shares(&full), shares(&flipped)) else {
                    continue;
                };
                if a.0 == b.0 {
                    continue;
                }
                let mut unknown = full.clone();
                unknown[k] = None;
                let Some(u) = shares(&unknown) else { continue };
                let pair = format!("{}.{}", pairs[k].0, pairs[k].1);
                if u.1 || !u.2.contains(&pair) {
                    let why = match (u.1, u.2.contains(&pair)) {
                        (true, false) => "结论未标为待定，也未询问该事实",
                        (true, true) => "结论未标为待定",
                        _ => "结论虽标为待定，却未询问该事实",
                    };
                    reported.insert(pairs[k].clone());
                    let known: Vec<String> = pairs
                        .iter()
                        .zip(&full)
                        .enumerate()
                        .filter(|(j, _)| *j != k)
                        .map(|(_, ((r, f), v))| {
                            format!("{r}.{f} = {}", if *v == Some(true) { "是" } else { "否" })
                        })
                        .collect();
                    let show = |s: &[(String, String)]| {
                        s.iter()
                            .map(|(p, x)| format!("{p}:{x}"))
                            .collect::<Vec<_>>()
                            .join("，")
                    };
                    out.push(Finding {
                        level: Level::Error,
                        pack: pack.meta.id.clone(),
                        kind: "silent_drop",
                        message: format!(
                            "责任划分中，{pair} 未查明时{why}：该事实为否时为 [{}]，为是时为 [{}]，未查明时给出 [{}]。反例：{}。",
                            show(&a.0),
                            show(&b.0),
                            show(&u.0),
                            known.join("，")
                        ),
                    });
                }
            }
        }
    }
    out
}
