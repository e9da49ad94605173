//! Errors, each displayed as one formal Chinese sentence that starts with `file:line:column`.

use std::fmt;

/// One mistake in a pack: where it is and what is wrong. `section` names the entry it is in
/// (e.g. `规则 r7_1`), and the message already mentions it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}：{message}")]
pub struct PackError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub section: String,
    pub message: String,
}

/// Every mistake found in a set of packs; when there is any, nothing is loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PackErrors(pub Vec<PackError>);

impl fmt::Display for PackErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Errors of evaluation input (facts given by a user), not of packs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("未找到政策包“{id}”{hint}")]
    UnknownPack { id: String, hint: String },
    #[error("政策包 {pack} 中没有事实“{fact}”{hint}")]
    UnknownFact {
        pack: String,
        fact: String,
        hint: String,
    },
    #[error("事实“{fact}”的取值类型不正确：应为{expected}，实际为 {got}")]
    WrongType {
        fact: String,
        expected: String,
        got: String,
    },
    #[error("事实“{fact}”的取值“{got}”不在可选值之内（可选值：{choices}）")]
    NotAChoice {
        fact: String,
        got: String,
        choices: String,
    },
    #[error("人员“{person}”的角色“{role}”未在政策包 {pack} 中定义（已定义：{known}）")]
    UnknownRole {
        pack: String,
        person: String,
        role: String,
        known: String,
    },
    #[error("政策包 {pack} 未定义责任划分（[[role]] 与 [[allocation]]）")]
    NoAllocation { pack: String },
    #[error("政策包 {pack} 中没有情形“{situation}”（可选情形：{known}）")]
    UnknownSituation {
        pack: String,
        situation: String,
        known: String,
    },
}

/// Levenshtein distance over characters, for "did you mean" hints.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Up to three known ids nearest to `wanted`, closest first (only reasonably close ones).
pub fn nearest<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<(usize, &str)> = known
        .map(|k| (distance(wanted, k), k))
        .filter(|(d, k)| *d <= (wanted.chars().count().max(k.chars().count()) / 2).max(2))
        .collect();
    v.sort();
    v.into_iter().take(3).map(|(_, k)| k.to_string()).collect()
}

/// `（最接近的是：a、b）`, or nothing when no known id is close.
pub fn hint<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> String {
    let near = nearest(wanted, known);
    if near.is_empty() {
        String::new()
    } else {
        format!("（最接近的是：{}）", near.join("、"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos() {
        assert_eq!(distance("timly_rescue", "timely_rescue"), 1);
        let known = [
            "timely_rescue",
            "intentional_violation",
            "coercive_measure_lawful",
        ];
        assert_eq!(
            nearest("timly_rescue", known.iter().copied()),
            vec!["timely_rescue".to_string()]
        );
        assert_eq!(hint("zzzzzzzzzzzzzzzzzz", known.iter().copied()), "");
    }
}
