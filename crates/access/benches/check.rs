//! Cost of access decisions: the pages ask one for every listed case, so it must be small.
//! Run: `cargo bench -p lvzhi-access --bench check`.
//!
//! - a single decision (`Access::check`), allowed and denied;
//! - a listed page: 200 cases of the office's subtree (different units and applicants), asked
//!   through one `Decider` built for the request, as the inbox and the case list ask (the time
//!   is per page; divide by 200 for a row).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap stops it.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lvzhi_access::{Access, CaseParties, Grant, Resource, Subject};

fn bench(c: &mut Criterion) {
    let a = Access::new().expect("policies");
    let mut orgs: Vec<(String, Option<String>)> = vec![("root".into(), None)];
    for i in 0..40 {
        orgs.push((format!("o{i}"), Some("root".into())));
        for j in 0..5 {
            orgs.push((format!("o{i}-{j}"), Some(format!("o{i}"))));
        }
    }
    let tree = a.org_tree(&orgs).expect("tree");
    let case = CaseParties {
        case_id: "A1".into(),
        org_id: "o3".into(),
        applying_unit: "o3-1".into(),
        applicants: vec!["p1".into()],
        panel: vec!["p2".into(), "p3".into()],
        department: Some("o3-2".into()),
        ..Default::default()
    };
    let office = Subject {
        person_id: "p9".into(),
        grants: vec![Grant {
            role: "office".into(),
            org_id: "o3".into(),
        }],
    };
    let officer = Subject {
        person_id: "p7".into(),
        grants: vec![Grant {
            role: "officer".into(),
            org_id: "o4-1".into(),
        }],
    };
    c.bench_function("view allowed (office, one grant)", |b| {
        b.iter(|| a.allows(&tree, black_box(&office), "view", Resource::Case(&case)))
    });
    c.bench_function("view denied (officer of another unit)", |b| {
        b.iter(|| a.allows(&tree, black_box(&officer), "view", Resource::Case(&case)))
    });

    // An inbox page of the office at the top: 200 cases over the tree, each with its own
    // applicant, some escalated, some with a department.
    let top = Subject {
        person_id: "p0".into(),
        grants: vec![
            Grant {
                role: "office".into(),
                org_id: "root".into(),
            },
            Grant {
                role: "committee_member".into(),
                org_id: "o1".into(),
            },
        ],
    };
    let page: Vec<CaseParties> = (0..200)
        .map(|i| CaseParties {
            case_id: format!("A{i}"),
            kind: if i % 7 == 0 {
                "incident"
            } else {
                "application"
            }
            .into(),
            org_id: format!("o{}", i % 40),
            applying_unit: format!("o{}-{}", i % 40, i % 5),
            applicants: vec![format!("p{}", 100 + i)],
            escalated_to: (i % 10 == 0).then(|| "root".into()),
            department: (i % 3 == 0).then(|| format!("o{}-{}", i % 40, (i + 1) % 5)),
            ..Default::default()
        })
        .collect();
    let mut g = c.benchmark_group("listed page");
    g.throughput(Throughput::Elements(page.len() as u64));
    g.bench_function("200 rows, one decider per request", |b| {
        b.iter(|| {
            let d = a.decider(&tree, black_box(&top));
            page.iter()
                .filter(|c| d.allows("view", Resource::Case(c)))
                .count()
        })
    });
    g.bench_function("200 rows, a decision per row (before issue 21)", |b| {
        b.iter(|| {
            page.iter()
                .filter(|c| a.allows(&tree, black_box(&top), "view", Resource::Case(c)))
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
