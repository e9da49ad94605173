//! Cost of one access decision: the pages ask it for every listed case, so it must be small.
//! Run: `cargo bench -p lvzhi-access --bench check`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
