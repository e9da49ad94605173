//! Which fonts typeset a notice. The official faces (仿宋_GB2312, 方正小标宋 …) are licensed and
//! used when the office points lvzhi at them; otherwise the free CJK fonts of the system
//! (Debian `fonts-noto-cjk`, AR PL, LXGW) stand in, and typst's glyph fallback searches every
//! loaded font so no character prints as a blank box.
//!
//! Last comes the face lvzhi carries in its binary (issue 22 item 13): Noto Serif CJK SC under
//! the SIL Open Font License, cut to GB 2312 and the characters of lvzhi's own texts
//! (`scripts/fallback-font`, licence in `fonts/OFL.txt`). With it a machine without any CJK
//! font — a fresh Debian — still typesets and seals every notice; it is added only when the
//! system does not already have the full family, which then serves instead.

use std::path::Path;

use serde::Serialize;
use strum::VariantArray;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};

/// The typefaces GB/T 9704 names for a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, VariantArray)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 仿宋: the body (3号).
    FangSong,
    /// 小标宋: the title (2号) and the organ's header.
    XiaoBiaoSong,
    /// 宋体: page numbers (4号).
    Song,
    /// 黑体: first-level headings.
    Hei,
    /// 楷体: second-level headings (GB/T 9704 §7.3.3 practice); office edits in the DOCX.
    Kai,
}

impl Role {
    /// Every role, in the order they are listed (`lvzhi fonts`).
    pub const ALL: &'static [Role] = <Role as VariantArray>::VARIANTS;

    /// The role's Chinese name (仿宋, 小标宋, …).
    pub fn zh(self) -> &'static str {
        match self {
            Role::FangSong => "仿宋",
            Role::XiaoBiaoSong => "小标宋",
            Role::Song => "宋体",
            Role::Hei => "黑体",
            Role::Kai => "楷体",
        }
    }

    /// The official faces first, then free ones, in order of preference.
    fn candidates(self) -> &'static [&'static str] {
        match self {
            Role::FangSong => &[
                "FangSong_GB2312",
                "FZFangSong-Z02S",
                "FZFangSong-Z02",
                "FangSong",
                "STFangsong",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
                "AR PL UMing",
                "AR PL UMing CN",
                "AR PL UKai",
                "AR PL UKai CN",
                "LXGW WenKai",
                "Noto Sans CJK SC",
            ],
            Role::XiaoBiaoSong => &[
                "FZXiaoBiaoSong-B05S",
                "FZXiaoBiaoSong-B05",
                "STZhongsong",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
                "AR PL UMing",
                "AR PL UMing CN",
                "Noto Sans CJK SC",
            ],
            Role::Song => &[
                "SimSun",
                "FZShuSong-Z01S",
                "STSong",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
                "AR PL UMing",
                "AR PL UMing CN",
                "Noto Sans CJK SC",
            ],
            Role::Hei => &[
                "SimHei",
                "FZHei-B01S",
                "STHeiti",
                "Noto Sans CJK SC",
                "Source Han Sans SC",
                "WenQuanYi Zen Hei",
                "Noto Serif CJK SC",
            ],
            Role::Kai => &[
                "KaiTi_GB2312",
                "KaiTi",
                "FZKai-Z03S",
                "STKaiti",
                "AR PL UKai",
                "AR PL UKai CN",
                "LXGW WenKai",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
                "Noto Sans CJK SC",
            ],
        }
    }

    /// Faces that are the official one for the role (so no stand-in weight is applied).
    fn is_official(self, family: &str) -> bool {
        self.candidates()
            .iter()
            .position(|c| c.eq_ignore_ascii_case(family))
            .is_some_and(|i| {
                let first_free = self
                    .candidates()
                    .iter()
                    .position(|c| FREE.contains(c))
                    .unwrap_or(usize::MAX);
                i < first_free
            })
    }
}

/// Freely licensed families lvzhi knows (Debian packages or registry fonts).
const FREE: &[&str] = &[
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Source Han Serif SC",
    "Source Han Sans SC",
    "AR PL UMing",
    "AR PL UMing CN",
    "AR PL UKai",
    "AR PL UKai CN",
    "LXGW WenKai",
    "WenQuanYi Zen Hei",
];

/// The face lvzhi carries (see the module docs): a subset of Noto Serif CJK SC Regular.
const CARRIED: &[u8] = include_bytes!("../fonts/NotoSerifCJKsc-Regular-lvzhi.otf");
/// The family name of the face lvzhi carries, one of the free families, so the roles find it
/// like the system's.
pub const CARRIED_FAMILY: &str = "Noto Serif CJK SC";

/// The family chosen for a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleFont {
    /// The role the family sets.
    pub role: Role,
    /// The role's Chinese name ([`Role::zh`]).
    pub role_zh: &'static str,
    /// `None` when no candidate is installed: typst's fallback then picks any font with the glyph.
    pub family: Option<String>,
    /// Whether it is the official (licensed) face rather than a free stand-in.
    pub official: bool,
}

/// The loaded fonts and the family each role uses.
pub struct Fonts {
    store: FontStore,
    roles: Vec<RoleFont>,
    carried: bool,
}

impl Fonts {
    /// Loads the fonts of `dir` (searched recursively, preferred) and of the system.
    pub fn discover(dir: Option<&Path>) -> Fonts {
        let mut store = FontStore::new();
        if let Some(dir) = dir {
            store.extend(typst_kit::fonts::scan(dir));
        }
        store.extend(typst_kit::fonts::system());
        Fonts::from_store(store)
    }

    /// Only the fonts of `dir` (and the carried face), not the system's (tests, reproducible
    /// output).
    pub fn from_dir(dir: &Path) -> Fonts {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::scan(dir));
        Fonts::from_store(store)
    }

    fn from_store(mut store: FontStore) -> Fonts {
        // The carried face comes last, and only where the full family is not installed: two
        // faces of one family and weight would make the choice between them arbitrary.
        // A face that does not parse is a defect of the build, caught by the unit test below.
        let mut carried = false;
        if !store.book().contains_family(&CARRIED_FAMILY.to_lowercase()) {
            if let Some(font) = Font::new(Bytes::new(CARRIED), 0) {
                let info = font.info().clone();
                store.push((font, info));
                carried = true;
            }
        }
        let book = store.book();
        let roles = Role::ALL
            .iter()
            .map(|&role| {
                let family = role
                    .candidates()
                    .iter()
                    .find(|c| book.contains_family(&c.to_lowercase()))
                    .map(|c| c.to_string());
                RoleFont {
                    role,
                    role_zh: role.zh(),
                    official: family.as_deref().is_some_and(|f| role.is_official(f)),
                    family,
                }
            })
            .collect();
        Fonts {
            store,
            roles,
            carried,
        }
    }

    /// Whether the face lvzhi carries is in use (no full Noto Serif CJK SC on the system).
    pub fn uses_carried_face(&self) -> bool {
        self.carried
    }

    /// Every family found, sorted.
    pub fn families(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .store
            .book()
            .families()
            .map(|(name, _)| name.to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Whether any loaded font has CJK glyphs (a notice cannot be set without one).
    pub fn has_cjk(&self) -> bool {
        let book = self.store.book();
        (0..)
            .map_while(|i| book.info(i))
            .any(|info| info.coverage.contains('中' as u32))
    }

    /// The family used for each role.
    pub fn roles(&self) -> &[RoleFont] {
        &self.roles
    }

    /// The family chosen for one role.
    pub fn role(&self, role: Role) -> Option<&RoleFont> {
        self.roles.iter().find(|r| r.role == role)
    }

    /// The font list handed to typst for a role: its family, then every free CJK family.
    pub(crate) fn stack(&self, role: Role) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        if let Some(f) = self.role(role).and_then(|r| r.family.clone()) {
            v.push(f);
        }
        for f in FREE {
            if !v.iter().any(|x| x == f) && self.store.book().contains_family(&f.to_lowercase()) {
                v.push(f.to_string());
            }
        }
        v
    }

    /// A free stand-in for 小标宋 is set bold, as the official face is heavy.
    pub(crate) fn title_weight(&self) -> i64 {
        match self.role(Role::XiaoBiaoSong) {
            Some(RoleFont { official: true, .. }) => 400,
            _ => 700,
        }
    }

    pub(crate) fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub(crate) fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// Where a family is loaded from (for `lvzhi fonts`): its regular face's file, as body text
    /// uses it, not the first face found (which may be the bold one).
    pub fn path_of(&self, family: &str) -> Option<String> {
        let book = self.store.book();
        let index = book.select(
            &family.to_lowercase(),
            typst::text::FontVariant::new(
                typst::text::FontStyle::Normal,
                typst::text::FontWeight::REGULAR,
                typst::text::FontStretch::NORMAL,
            ),
        )?;
        let source = self.store.source(index)?;
        let any: &dyn std::any::Any = source;
        any.downcast_ref::<FontPath>()
            .map(|p| p.path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 22 item 13: with no font of its own and none of the system's, lvzhi still has a
    /// Chinese face for every role — the one it carries — and it covers GB 2312 and every
    /// character of the shipped packs (their texts go into the notices).
    #[test]
    #[allow(clippy::unwrap_used, clippy::expect_used)]
    fn issue22_the_carried_face_alone_sets_every_role_and_every_pack_character() {
        let empty = tempfile::tempdir().unwrap();
        let fonts = Fonts::from_dir(empty.path());
        assert!(fonts.uses_carried_face());
        assert!(fonts.has_cjk());
        for r in fonts.roles() {
            assert_eq!(r.family.as_deref(), Some(CARRIED_FAMILY), "{:?}", r.role);
            assert!(!r.official);
        }
        let font = Font::new(Bytes::new(CARRIED), 0).expect("the carried face parses");
        let covers = |c: char| font.info().coverage.contains(c as u32);
        let mut missing = std::collections::BTreeSet::new();
        let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs");
        for entry in std::fs::read_dir(&packs).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            missing.extend(text.chars().filter(|&c| c as u32 >= 0x80 && !covers(c)));
        }
        assert!(
            missing.is_empty(),
            "characters of the packs the carried face lacks (run scripts/fallback-font): {missing:?}"
        );
        for c in "中华人民共和国公安机关维护民警执法权威工作委员会〔〕（）、；：“”《》—①Ⅰ".chars()
        {
            assert!(covers(c), "{c}");
        }
        // The first and last hanzi of GB 2312 (啊, 齄) and a level-2 one (亍).
        assert!("啊齄亍".chars().all(covers));
    }
}
