//! What a pack's decision costs once compiled (issue 21): the decision of every set of fired
//! rule classes tabled at compile time, and the point decision as a walk over the classes,
//! strongest first, that stops as soon as the classes not yet looked at can no longer change
//! it — the way a hand-written `if` chain returns at 000 §38 or §9 without reading §7.
//!
//! Nothing here decides differently from the interpreter it replaces: the table holds exactly
//! what `Program::class_key` computes, and the walk stops only where every completion of the
//! remaining classes gives one decision (the reference test in `program.rs` compares both on
//! every shipped pack).

use crate::cond::{CmpOp, Lit};
use crate::pack::Value;
use crate::program::{cmp_value, Expr, Key, Program, Tri};

/// Up to this many rule classes, every class mask's decision is tabled (2^12 keys, a few
/// kilobytes) and the point decision walks a table of 2^13 nodes; beyond it the engine
/// evaluates every rule and computes the decision, as before.
pub(crate) const TABLE_CLASSES: usize = 12;

#[derive(Debug, Clone, Default)]
pub(crate) struct Compiled {
    /// The decision of each mask of fired classes, indexed by the mask itself (classes are
    /// numbered densely from 0), when the pack has at most [`TABLE_CLASSES`] classes.
    pub(crate) keys: Option<Vec<Key>>,
    /// The point decision as a walk over classes.
    walk: Option<Walk>,
    /// The decision rules of each class.
    class_rules: Vec<Vec<usize>>,
    /// Each decision rule's condition as a disjunction of conjunctions of atoms, when it has
    /// one of reasonable size (`None`: the tree is evaluated).
    when: Vec<Option<Flat>>,
    /// Each class's rules as one flattened disjunction (the class fired iff one of its rules
    /// did), when every one of them flattened.
    class_when: Vec<Option<Flat>>,
}

/// A condition flattened: terms of atoms, read left to right with no pointer chasing. Kleene
/// logic is a distributive lattice with De Morgan's laws, so the flattened form gives the same
/// value as the tree on every input, unknowns included.
#[derive(Debug, Clone)]
struct Flat {
    atoms: Vec<Atom>,
    /// Term j is `atoms[ends[j - 1]..ends[j]]` (from 0 for the first).
    ends: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Atom {
    fact: usize,
    test: Test,
    /// False for a negated atom.
    pos: bool,
}

#[derive(Debug, Clone)]
enum Test {
    Bool,
    /// `fact == "choice"`: equality alone, which is what `Ordering::Equal` of two strings is.
    IsChoice(String),
    Cmp(CmpOp, Lit),
    In(Vec<Lit>),
    Const(Tri),
}

/// Past these sizes a condition stays a tree: flattening multiplies out alternatives.
const MAX_TERMS: usize = 64;
const MAX_ATOMS: usize = 512;

fn dnf(e: &Expr, neg: bool) -> Option<Vec<Vec<Atom>>> {
    let atom = |fact: usize, test: Test| {
        Some(vec![vec![Atom {
            fact,
            test,
            pos: !neg,
        }]])
    };
    let out = match e {
        Expr::Fact(i) => atom(*i, Test::Bool)?,
        Expr::Cmp(i, CmpOp::Eq, Lit::Str(s)) => atom(*i, Test::IsChoice(s.clone()))?,
        Expr::Cmp(i, op, l) => atom(*i, Test::Cmp(*op, l.clone()))?,
        Expr::In(i, ls) => atom(*i, Test::In(ls.clone()))?,
        Expr::Const(t) => match if neg { t.not() } else { *t } {
            Tri::True => vec![vec![]],
            Tri::False => vec![],
            Tri::Unknown => vec![vec![Atom {
                fact: 0,
                test: Test::Const(Tri::Unknown),
                pos: true,
            }]],
        },
        Expr::Not(x) => dnf(x, !neg)?,
        // A conjunction (or a negated disjunction): every combination of the parts' terms.
        Expr::And(v) | Expr::Or(v) if matches!(e, Expr::And(_)) != neg => {
            let mut acc: Vec<Vec<Atom>> = vec![vec![]];
            for x in v {
                let d = dnf(x, neg)?;
                let mut next = Vec::new();
                for a in &acc {
                    for b in &d {
                        next.push(a.iter().chain(b).cloned().collect());
                    }
                }
                if next.len() > MAX_TERMS {
                    return None;
                }
                acc = next;
            }
            acc
        }
        // A disjunction (or a negated conjunction): the parts' terms side by side.
        Expr::And(v) | Expr::Or(v) => {
            let mut acc = Vec::new();
            for x in v {
                acc.extend(dnf(x, neg)?);
                if acc.len() > MAX_TERMS {
                    return None;
                }
            }
            acc
        }
        Expr::Count(..) | Expr::OutcomeIn(..) => return None,
    };
    if out.iter().map(Vec::len).sum::<usize>() > MAX_ATOMS {
        return None;
    }
    Some(out)
}

impl Flat {
    fn of(e: &Expr) -> Option<Flat> {
        let terms = dnf(e, false)?;
        let mut atoms = Vec::new();
        let mut ends = Vec::new();
        for t in terms {
            atoms.extend(t);
            ends.push(atoms.len());
        }
        Some(Flat { atoms, ends })
    }

    fn eval(&self, f: &[Option<Value>]) -> Tri {
        let mut r = Tri::False;
        let mut start = 0;
        for &end in &self.ends {
            let mut t = Tri::True;
            for a in &self.atoms[start..end] {
                match a.eval(f) {
                    Tri::False => {
                        t = Tri::False;
                        break;
                    }
                    Tri::Unknown => t = Tri::Unknown,
                    Tri::True => {}
                }
            }
            start = end;
            match t {
                Tri::True => return Tri::True,
                Tri::Unknown => r = Tri::Unknown,
                Tri::False => {}
            }
        }
        r
    }

    /// Whether the condition is true (not false, not unknown): a term whose atoms all hold.
    fn holds(&self, f: &[Option<Value>]) -> bool {
        let mut start = 0;
        for &end in &self.ends {
            if self.atoms[start..end].iter().all(|a| a.holds(f)) {
                return true;
            }
            start = end;
        }
        false
    }
}

impl Atom {
    /// Whether the atom is true: the common boolean fact inline, the rest through `eval`.
    #[inline(always)]
    fn holds(&self, f: &[Option<Value>]) -> bool {
        match self.test {
            Test::Bool => matches!(f.get(self.fact), Some(Some(Value::Bool(b))) if *b == self.pos),
            _ => self.eval(f) == Tri::True,
        }
    }

    #[inline]
    fn eval(&self, f: &[Option<Value>]) -> Tri {
        let t = match (&self.test, f.get(self.fact)) {
            (Test::Const(t), _) => *t,
            (Test::Bool, Some(Some(Value::Bool(b)))) => Tri::from(*b),
            (Test::Bool, _) | (_, None | Some(None)) => Tri::Unknown,
            (Test::IsChoice(c), Some(Some(Value::Choice(v)))) => Tri::from(v == c),
            (Test::IsChoice(_), Some(Some(_))) => Tri::False,
            (Test::Cmp(op, l), Some(Some(v))) => {
                cmp_value(v, l).map_or(Tri::False, |o| Tri::from(op.holds(o)))
            }
            (Test::In(ls), Some(Some(v))) => Tri::from(
                ls.iter()
                    .any(|l| cmp_value(v, l) == Some(std::cmp::Ordering::Equal)),
            ),
        };
        if self.pos {
            t
        } else {
            t.not()
        }
    }
}

#[derive(Debug, Clone)]
struct Walk {
    /// Classes in the order the walk asks whether they fired.
    order: Vec<usize>,
    /// Node `(1 << i) | p` is the walk after `i` classes of `order` with `p` the ones that
    /// fired (bit j for `order[j]`): `Some(key)` when every answer for the classes still to
    /// come gives `key`, so the walk can stop there.
    settled: Vec<Option<Key>>,
}

impl Compiled {
    pub(crate) fn build(p: &Program) -> Compiled {
        let k = p.class_rep.len();
        let mut class_rules = vec![Vec::new(); k];
        for (r, c) in p.class_of.iter().enumerate() {
            class_rules[*c].push(r);
        }
        let when: Vec<Option<Flat>> = p.rules.iter().map(|r| Flat::of(&r.when)).collect();
        let class_when = class_rules
            .iter()
            .map(|rs| {
                let mut all = Flat {
                    atoms: Vec::new(),
                    ends: Vec::new(),
                };
                for r in rs {
                    let f = when.get(*r)?.as_ref()?;
                    let base = all.atoms.len();
                    all.atoms.extend(f.atoms.iter().cloned());
                    all.ends.extend(f.ends.iter().map(|e| e + base));
                }
                Some(all)
            })
            .collect();
        if k > TABLE_CLASSES {
            return Compiled {
                keys: None,
                walk: None,
                class_rules,
                when,
                class_when,
            };
        }
        let keys: Vec<Key> = (0..(1u128 << k)).map(|m| p.class_key_computed(m)).collect();
        // Strongest first: a class that defeats many others settles the decision more often
        // (000 §38's scope, §31¶2's aggravation, §9's exclusions before the excuses they
        // defeat); among equals, the heavier outcome first.
        let defeats = |c: usize| {
            (0..k)
                .filter(|w| p.class_defeaters[*w] & (1u128 << c) != 0)
                .count()
        };
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by_key(|c| {
            (
                std::cmp::Reverse(defeats(*c)),
                std::cmp::Reverse(crate::program::severity(p.rules[p.class_rep[*c]].outcome)),
                *c,
            )
        });
        let mask_of = |i: usize, bits: usize| -> u128 {
            (0..i)
                .filter(|j| bits & (1 << j) != 0)
                .fold(0u128, |m, j| m | (1u128 << order[j]))
        };
        let mut settled: Vec<Option<Key>> = vec![None; 1 << (k + 1)];
        for bits in 0..(1usize << k) {
            settled[(1 << k) | bits] = Some(keys[mask_of(k, bits) as usize]);
        }
        for i in (0..k).rev() {
            for bits in 0..(1usize << i) {
                let without = settled[(1 << (i + 1)) | bits];
                let with = settled[(1 << (i + 1)) | bits | (1 << i)];
                settled[(1 << i) | bits] = match (without, with) {
                    (Some(a), Some(b)) if a == b => Some(a),
                    _ => None,
                };
            }
        }
        Compiled {
            keys: Some(keys),
            walk: Some(Walk { order, settled }),
            class_rules,
            when,
            class_when,
        }
    }
}

impl Program {
    /// The decision of a set of fired classes: tabled when the pack has few classes.
    pub(crate) fn class_key(&self, fired: u128) -> Key {
        match &self.compiled.keys {
            Some(t) => match usize::try_from(fired).ok().and_then(|i| t.get(i)) {
                Some(k) => *k,
                None => self.class_key_computed(fired),
            },
            None => self.class_key_computed(fired),
        }
    }

    /// Decision rule `r`'s condition on `facts`.
    pub(crate) fn when(&self, r: usize, facts: &[Option<Value>]) -> Tri {
        match self.compiled.when.get(r) {
            Some(Some(f)) => f.eval(facts),
            _ => self.rules[r].when.eval(facts, None),
        }
    }

    /// Whether decision rule `r` fires on `facts` (its condition is true, not unknown).
    pub(crate) fn fires(&self, r: usize, facts: &[Option<Value>]) -> bool {
        match self.compiled.when.get(r) {
            Some(Some(f)) => f.holds(facts),
            _ => self.rules[r].when.eval(facts, None) == Tri::True,
        }
    }

    fn class_fired(&self, c: usize, facts: &[Option<Value>]) -> bool {
        if let Some(Some(f)) = self.compiled.class_when.get(c) {
            return f.holds(facts);
        }
        self.compiled.class_rules[c]
            .iter()
            .any(|r| self.fires(*r, facts))
    }

    /// The decision when every relevant fact is known (unknown rules count as not firing).
    pub fn point_key(&self, facts: &[Option<Value>]) -> Key {
        let Some(w) = &self.compiled.walk else {
            return self.point_key_interpreted(facts);
        };
        let mut bits = 0usize;
        for (i, c) in w.order.iter().enumerate() {
            if let Some(Some(k)) = w.settled.get((1 << i) | bits) {
                return *k;
            }
            if self.class_fired(*c, facts) {
                bits |= 1 << i;
            }
        }
        match w.settled.get((1 << w.order.len()) | bits) {
            Some(Some(k)) => *k,
            _ => self.point_key_interpreted(facts),
        }
    }

    /// Every rule evaluated, then the decision of the classes that fired: the engine before
    /// issue 21, and still the path of a pack with too many classes to table.
    pub(crate) fn point_key_interpreted(&self, facts: &[Option<Value>]) -> Key {
        let mut fired = 0u128;
        for (i, r) in self.rules.iter().enumerate() {
            if r.when.eval(facts, None) == Tri::True {
                fired |= 1u128 << i;
            }
        }
        self.class_key_computed(self.classes(fired))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::set::PackSet;
    use proptest::prelude::*;

    /// Every pack shipped in `packs/`, loaded together as the CLI and the server load them.
    fn shipped() -> PackSet {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs");
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| {
                (
                    format!("packs/{}", p.file_name().unwrap().to_string_lossy()),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        assert!(files.len() >= 6, "shipped packs not found in {dir:?}");
        PackSet::load(files.iter().map(|(a, b)| (a.as_str(), b.as_str()))).unwrap()
    }

    fn set() -> &'static PackSet {
        static SET: OnceLock<PackSet> = OnceLock::new();
        SET.get_or_init(shipped)
    }

    use std::sync::OnceLock;

    fn ids() -> Vec<String> {
        set().packs().map(|p| p.meta.id.clone()).collect()
    }

    /// A value for fact `f` from `pick`: mostly from the fact's domain (the values the
    /// conditions tell apart), sometimes one the domain does not hold or of another type.
    fn value(p: &Program, f: usize, pick: u16) -> Value {
        let d = &p.facts[f].domain;
        match pick % 16 {
            0 => Value::Number(f64::from(pick / 16) - 8.0),
            1 => Value::Choice(format!("x{}", pick / 16 % 3)),
            2 => Value::Bool(pick & 32 != 0),
            _ => d[usize::from(pick / 16) % d.len().max(1)].clone(),
        }
    }

    fn assign(p: &Program, known: u8, picks: &[(u8, u16)]) -> Vec<Option<Value>> {
        (0..p.facts.len())
            .map(|f| {
                let (k, pick) = picks.get(f).copied().unwrap_or((255, 0));
                (k % 10 < known).then(|| value(p, f, pick))
            })
            .collect()
    }

    #[test]
    fn nothing_known_equals_the_reference_for_every_shipped_pack() {
        for id in ids() {
            let p = set().program(&id).unwrap();
            let blank = vec![None; p.facts.len()];
            let reference = p.evaluate_reference(&blank);
            // Twice: the first fills the kept analysis, the second reads it.
            assert_eq!(p.evaluate(&blank), reference, "pack {id}");
            assert_eq!(p.evaluate(&blank), reference, "pack {id}");
            assert_eq!(p.evaluate(&[]), reference, "pack {id}, no facts at all");
        }
    }

    #[test]
    fn tables_equal_the_computed_decision_on_every_class_mask() {
        for id in ids() {
            let p = set().program(&id).unwrap();
            if let Some(t) = &p.compiled.keys {
                for (m, k) in t.iter().enumerate() {
                    assert_eq!(*k, p.class_key_computed(m as u128), "pack {id}, mask {m}");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// The compiled decision equals the interpreted one on random cases of every pack,
        /// complete and partial.
        #[test]
        fn point_decision_equals_the_interpreter(
            known in 0u8..=10,
            picks in proptest::collection::vec((any::<u8>(), any::<u16>()), 64),
        ) {
            for id in ids() {
                let p = set().program(&id).unwrap();
                let facts = assign(p, known, &picks);
                prop_assert_eq!(p.point_key(&facts), p.point_key_interpreted(&facts), "pack {}", id);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// The whole evaluation — outcome, explanation, questions in their order, notes —
        /// equals the reference on random partial cases of every pack. At least four facts in
        /// ten are known: with fewer, 001's large group is solved by SAT in seconds per case
        /// in a debug build (nothing known is checked above).
        #[test]
        fn evaluation_equals_the_reference(
            known in 4u8..=10,
            picks in proptest::collection::vec((any::<u8>(), any::<u16>()), 64),
        ) {
            for id in ids() {
                let p = set().program(&id).unwrap();
                let facts = assign(p, known, &picks);
                prop_assert_eq!(p.evaluate(&facts), p.evaluate_reference(&facts), "pack {}", id);
            }
        }
    }
}
