//! How long one deadline computation takes. Run: `cargo bench -p lvzhi-calendar`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap stops it.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use lvzhi_calendar::{Calendar, NaiveDate, Period};

fn bench(c: &mut Criterion) {
    let cal = Calendar::embedded();
    let starts: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2019, 1, 1)
        .into_iter()
        .flat_map(|d| d.iter_days())
        .step_by(7)
        .take(400)
        .collect();
    let mut i = 0usize;
    c.bench_function("add 30wd", |b| {
        b.iter(|| {
            i = (i + 1) % starts.len();
            black_box(cal.add(black_box(starts[i]), Period::WorkingDays(30)))
        })
    });
    c.bench_function("add 5d", |b| {
        b.iter(|| {
            i = (i + 1) % starts.len();
            black_box(cal.add(black_box(starts[i]), Period::Days(5)))
        })
    });
    c.bench_function("working_days_between", |b| {
        b.iter(|| {
            i = (i + 1) % starts.len();
            black_box(cal.working_days_between(
                black_box(starts[i]),
                black_box(starts[(i * 7) % starts.len()]),
            ))
        })
    });
    c.bench_function("build embedded calendar", |b| b.iter(Calendar::embedded));
}

criterion_group!(benches, bench);
criterion_main!(benches);
