//! What the processes' integration tests share: the shipped packs they count by and cite.

use std::sync::LazyLock;

/// The shipped packs the processes here count by and cite.
static SET: LazyLock<lvzhi_rules::PackSet> = LazyLock::new(|| {
    lvzhi_rules::PackSet::load([
        ("000.toml", include_str!("../../../../packs/000.toml")),
        ("001.toml", include_str!("../../../../packs/001.toml")),
        ("004.toml", include_str!("../../../../packs/004.toml")),
        (
            "004-2016.toml",
            include_str!("../../../../packs/004-2016.toml"),
        ),
    ])
    .unwrap_or_else(|e| panic!("the shipped packs do not load: {e}"))
});

/// Their periods together (their ids do not collide).
pub(crate) static PERIODS: LazyLock<lvzhi_processes::Periods> = LazyLock::new(|| {
    let mut map = std::collections::BTreeMap::new();
    for p in SET.packs() {
        map.extend(p.period_map());
    }
    lvzhi_processes::Periods::new(map)
});

/// The procedure of the shipped pack `pack`, as the service gives it to a case.
pub(crate) fn regulation(pack: &str) -> lvzhi_processes::Regulation {
    let p = SET
        .pack(pack)
        .unwrap_or_else(|e| panic!("pack {pack} is not shipped: {e}"));
    lvzhi_processes::regulation_of(p)
}
