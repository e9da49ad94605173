//! The same notice as an editable Word document (issue 6): offices often edit a notice before
//! printing it. The DOCX carries the content and structure of the PDF — 版头 and 发文字号,
//! title, paragraphs, signer and date, 抄送, page numbers — in the GB/T 9704-2012 page setup, so
//! what Word prints matches the PDF's layout.
//!
//! Fonts are named, not embedded: a DOCX is edited on office PCs, where the official faces are.
//! Each role names the official family `Fonts` found here, or otherwise the standard Chinese name
//! of the official face (仿宋_GB2312, 方正小标宋简体, 宋体, 黑体, 楷体_GB2312) as the east-Asian font
//! of every run; a machine without it substitutes its own CJK font, as Word and LibreOffice do.
//!
//! All text goes through docx-rs's text nodes, which escape it, so a value containing `<w:t>`,
//! `&` or `]]>` prints as typed.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, BreakType, CharacterSpacingValues, DocGrid, DocGridType, Docx,
    FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin,
    Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts,
    SpecialIndentType,
};
use lvzhi_workflow::Document;

use crate::{layout_parts, DocumentError, Fonts, Header, Role};

/// Twips (1/20 pt) per millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

const fn mm(v: f64) -> i32 {
    // Rounded to the nearest twip (a const fn cannot call `round`).
    (v * TWIPS_PER_MM + 0.5) as i32
}

/// A4 in twips.
pub(crate) const PAGE_WIDTH: u32 = 11906;
pub(crate) const PAGE_HEIGHT: u32 = 16838;
/// GB/T 9704 §5.2.1: the type area is 156 × 225 mm, 37 mm from the top and 28 mm from the left
/// (so about 35 mm bottom and 26 mm right on A4). The top and right margins are rounded to the
/// twip; left and bottom take the remainder so the type area is exact (left 1588, as Word's
/// 2.8 cm).
const AREA_WIDTH: i32 = mm(156.0);
const AREA_HEIGHT: i32 = mm(225.0);
pub(crate) const MARGIN_TOP: i32 = mm(37.0);
pub(crate) const MARGIN_RIGHT: i32 = mm(26.0);
pub(crate) const MARGIN_LEFT: i32 = PAGE_WIDTH as i32 - MARGIN_RIGHT - AREA_WIDTH;
pub(crate) const MARGIN_BOTTOM: i32 = PAGE_HEIGHT as i32 - MARGIN_TOP - AREA_HEIGHT;
/// 22 lines a page: the line pitch (exact line spacing) in twips, rounded down so 22 fit.
pub(crate) const LINE_PITCH: i32 = AREA_HEIGHT / 22;
/// 28 characters a line: the character pitch in twips, rounded down so 28 fit.
const CHAR_PITCH: i32 = AREA_WIDTH / 28;
/// Body: 3号 = 16 pt, in half-points.
const BODY_SIZE: usize = 32;
/// Word's grid adds `charSpace / 4096` pt to the body size for each character cell: the exact
/// 156 mm / 28 less 16 pt, rounded down (-849, the value of the usual 公文 templates).
pub(crate) const CHAR_SPACE: isize =
    (AREA_WIDTH as isize * 4096) / (28 * 20) - (BODY_SIZE as isize / 2) * 4096;
/// Tracking of body runs in twentieths of a point (-0.25 pt: 28 × 15.75 pt ≤ 156 mm).
const BODY_TRACKING: i32 = -5;
/// Title: 2号 = 22 pt; page numbers and 抄送: 4号 = 14 pt (half-points).
const TITLE_SIZE: usize = 44;
const SMALL_SIZE: usize = 28;
const RED: &str = "E60012";

/// The family a DOCX names for a role: the official face found here, or its standard name.
pub fn docx_family(fonts: &Fonts, role: Role) -> String {
    match fonts.role(role) {
        Some(rf) if rf.official => rf.family.clone().unwrap_or_default(),
        _ => match role {
            Role::FangSong => "仿宋_GB2312",
            Role::XiaoBiaoSong => "方正小标宋简体",
            Role::Song => "宋体",
            Role::Hei => "黑体",
            Role::Kai => "楷体_GB2312",
        }
        .to_string(),
    }
}

fn run_fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(name)
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
}

/// A run of user text. XML 1.0 cannot carry most control characters at all (Word refuses the
/// file), so they are dropped; a tab becomes Word's tab and anything else prints as typed.
fn text_run(text: &str, font: &str, size: usize) -> Run {
    let mut run = Run::new().fonts(run_fonts(font)).size(size);
    if size == BODY_SIZE {
        // 28 characters of 16 pt are 448 pt, the type area 442 pt wide (§5.2.1).
        run = run.character_spacing(BODY_TRACKING);
    }
    let mut buf = String::new();
    for c in text.chars() {
        match c {
            '\t' => {
                if !buf.is_empty() {
                    run = run.add_text(std::mem::take(&mut buf));
                }
                run = run.add_tab();
            }
            '\n' | '\r' => {
                if !buf.is_empty() {
                    run = run.add_text(std::mem::take(&mut buf));
                }
                run = run.add_break(BreakType::TextWrapping);
            }
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => buf.push(c),
        }
    }
    if !buf.is_empty() {
        run = run.add_text(buf);
    }
    run
}

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line)
        .before(0)
        .after(0)
}

/// A body paragraph: exact spacing of one line pitch. It does not snap to the character grid:
/// LibreOffice gives a character two cells when it is wider than one, and the grid's cell is
/// narrower than a 16 pt character; the body's tracking sets 28 a line in Word and LibreOffice
/// alike, and the grid stays in the page setup for offices that edit in Word.
fn body_para() -> Paragraph {
    Paragraph::new()
        .line_spacing(exact(LINE_PITCH))
        .snap_to_grid(false)
        .widow_control(false)
}

fn empty_line() -> Paragraph {
    body_para()
}

/// The footer of odd (right, one character in) or even (left, one character in) pages:
/// "— n —" in 4号 宋体 (GB/T 9704 §7.5).
fn page_number_footer(song: &str, odd: bool) -> Footer {
    let run = |r: Run| r.fonts(run_fonts(song)).size(SMALL_SIZE);
    let mut p = Paragraph::new()
        .snap_to_grid(false)
        .line_spacing(exact(SMALL_SIZE as i32 * 10))
        .add_run(run(Run::new().add_text("— ")))
        .add_run(run(Run::new().add_field_char(FieldCharType::Begin, false)))
        .add_run(run(
            Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        ))
        .add_run(run(
            Run::new().add_field_char(FieldCharType::Separate, false)
        ))
        .add_run(run(Run::new().add_text("1")))
        .add_run(run(Run::new().add_field_char(FieldCharType::End, false)))
        .add_run(run(Run::new().add_text(" —")));
    p = if odd {
        p.align(AlignmentType::Right)
            .indent(None, None, Some(CHAR_PITCH), None)
    } else {
        p.align(AlignmentType::Left)
            .indent(Some(CHAR_PITCH), None, None, None)
    };
    Footer::new().add_paragraph(p)
}

/// Writes a notice as a DOCX in the GB/T 9704-2012 page setup; `org_header` adds the red 版头
/// and 发文字号, as in the PDF.
pub fn render_docx(
    doc: &Document,
    org_header: Option<&Header>,
    fonts: &Fonts,
) -> Result<Vec<u8>, DocumentError> {
    let fangsong = docx_family(fonts, Role::FangSong);
    let xbsong = docx_family(fonts, Role::XiaoBiaoSong);
    let song = docx_family(fonts, Role::Song);
    let (paras, signature) = layout_parts(&doc.text);

    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(mm(15.0))
                // The page number's line sits about 7 mm below the type area (§7.5).
                .footer(mm(25.5)),
        )
        .default_fonts(run_fonts(&fangsong))
        .default_size(BODY_SIZE)
        .default_line_spacing(exact(LINE_PITCH))
        .created_at(&format!("{}T00:00:00Z", doc.issued_on))
        .updated_at(&format!("{}T00:00:00Z", doc.issued_on))
        .footer(page_number_footer(&song, true))
        .even_footer(page_number_footer(&song, false));
    // Punctuation keeps its full width (a 公文 is set on a square grid).
    docx.settings = docx
        .settings
        .character_spacing_control(CharacterSpacingValues::DoNotCompress);
    // The document grid: 22 lines of 28 characters (§5.2.1).
    docx.document = docx.document.doc_grid(
        DocGrid::new()
            .grid_type(DocGridType::LinesAndChars)
            .line_pitch(LINE_PITCH as usize)
            .char_space(CHAR_SPACE),
    );

    if let Some(h) = org_header {
        // §7.2.3: the organ's name in red 小标宋, at most the type area's width (as in the PDF).
        let chars = h.organ.chars().count().max(1) as f64;
        let size = ((420.0 / chars).clamp(16.0, 36.0) * 2.0).round() as usize;
        docx = docx.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .snap_to_grid(false)
                .line_spacing(exact((size as i32 * 10).max(LINE_PITCH)))
                .add_run(text_run(&h.organ, &xbsong, size).color(RED)),
        );
        docx = docx.add_paragraph(empty_line()).add_paragraph(empty_line());
        // §7.2.4: the 发文字号 centred two lines below; the red rule 4 mm under it (§7.2.5).
        let mut number = body_para().align(AlignmentType::Center);
        if let Some(n) = &h.number {
            number = number.add_run(text_run(n, &fangsong, BODY_SIZE));
        }
        number.property = number.property.set_borders(
            ParagraphBorders::with_empty().set(
                ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                    .val(BorderType::Single)
                    .size(12)
                    .space(11)
                    .color(RED),
            ),
        );
        docx = docx
            .add_paragraph(number)
            .add_paragraph(empty_line())
            .add_paragraph(empty_line());
    }

    // §7.3.1: the title in 2号 小标宋, centred, one line above the addressee.
    docx = docx
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .snap_to_grid(false)
                .line_spacing(exact(LINE_PITCH))
                .add_run(text_run(&doc.title, &xbsong, TITLE_SIZE)),
        )
        .add_paragraph(empty_line());

    for (indent, text) in &paras {
        let mut p = body_para()
            .align(AlignmentType::Both)
            .add_run(text_run(text, &fangsong, BODY_SIZE));
        if *indent {
            p = p.indent(
                None,
                Some(SpecialIndentType::FirstLine(2 * CHAR_PITCH)),
                None,
                None,
            );
        }
        docx = docx.add_paragraph(p);
    }

    if !signature.is_empty() {
        // §7.3.5.1: the date four characters in from the right, the signer centred over it; the
        // seal goes over both (a bookmark `stamp` marks where).
        let longest = signature
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        let pad = 27usize.saturating_sub(longest).min(4) as i32;
        docx = docx.add_paragraph(empty_line()).add_paragraph(empty_line());
        for (i, line) in signature.iter().enumerate() {
            let centring = (longest - line.chars().count()) as i32 * CHAR_PITCH / 2;
            let mut p = body_para()
                .align(AlignmentType::Right)
                .indent(None, None, Some(pad * CHAR_PITCH + centring), None)
                .keep_next(i + 1 < signature.len())
                .keep_lines(true);
            if i == 0 {
                p = p.add_bookmark_start(0, "stamp");
            }
            p = p.add_run(text_run(line, &fangsong, BODY_SIZE));
            if i == 0 {
                p = p.add_bookmark_end(0);
            }
            docx = docx.add_paragraph(p);
        }
    }

    if !doc.copy_to.is_empty() {
        // §7.4.2: 抄送 in 4号, one character in from both sides, between two rules, at the foot
        // of the last page (a frame anchored to the bottom of the type area).
        let text = format!("抄送：{}。", doc.copy_to.join("，"));
        let rule = |pos| {
            ParagraphBorder::new(pos)
                .val(BorderType::Single)
                .size(6)
                .space(1)
                .color("000000")
        };
        let mut p = Paragraph::new()
            .snap_to_grid(false)
            .line_spacing(exact(LINE_PITCH))
            .indent(Some(CHAR_PITCH), None, Some(CHAR_PITCH), None)
            .add_run(text_run(&text, &fangsong, SMALL_SIZE))
            .wrap("around")
            .h_anchor("margin")
            .v_anchor("margin")
            .x_align("center")
            .y_align("bottom")
            .frame_width(AREA_WIDTH as u32);
        p.property = p.property.set_borders(
            ParagraphBorders::with_empty()
                .set(rule(ParagraphBorderPosition::Top))
                .set(rule(ParagraphBorderPosition::Bottom)),
        );
        docx = docx.add_paragraph(p);
    }

    let mut xml = docx.build();
    xml.styles = normal_style(xml.styles, &fangsong);
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)
        .map_err(|e| DocumentError::Export(format!("无法生成 DOCX 文件（{e}）")))?;
    Ok(out.into_inner())
}

/// The empty Normal style docx-rs always writes.
const EMPTY_NORMAL: &str = r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style>"#;

/// Gives the Normal style the body's font and 3号 size. Word takes them from the document
/// defaults, but LibreOffice sizes the character grid from the Normal style alone (12 pt when
/// it has none, which sets each 16 pt character on two cells: 18 characters a line, not 28).
fn normal_style(styles: Vec<u8>, font: &str) -> Vec<u8> {
    let Ok(text) = String::from_utf8(styles.clone()) else {
        return styles;
    };
    let font = escape_attr(font);
    let normal = format!(
        r#"<w:style w:type="paragraph" w:styleId="Normal" w:default="1"><w:name w:val="Normal" /><w:qFormat /><w:pPr><w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact" /></w:pPr><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" /><w:sz w:val="{BODY_SIZE}" /><w:szCs w:val="{BODY_SIZE}" /></w:rPr></w:style>"#
    );
    text.replacen(EMPTY_NORMAL, &normal, 1).into_bytes()
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_setup_is_gb_t_9704() {
        assert_eq!((MARGIN_TOP, MARGIN_LEFT), (2098, 1588));
        assert_eq!((MARGIN_BOTTOM, MARGIN_RIGHT), (1984, 1474));
        // 156 × 225 mm type area; 22 lines of 28 characters fit it.
        assert_eq!(AREA_WIDTH, 8844);
        assert_eq!(AREA_HEIGHT, 12756);
        assert_eq!(AREA_HEIGHT / LINE_PITCH, 22);
        assert_eq!((LINE_PITCH, CHAR_SPACE), (579, -849));
        // The grid's cell (4096ths of a point) and the tracked body character (twips) both
        // give 28 a line.
        let cell = (BODY_SIZE as isize / 2) * 4096 + CHAR_SPACE;
        assert_eq!(AREA_WIDTH as isize * 4096 / (cell * 20), 28);
        let advance = BODY_SIZE as i32 * 10 + BODY_TRACKING;
        assert_eq!(AREA_WIDTH / advance, 28);
    }

    #[test]
    fn control_characters_are_dropped_and_text_kept() {
        let run = text_run("甲\u{1}乙\t丙", "仿宋_GB2312", BODY_SIZE);
        let xml = String::from_utf8(docx_rs::BuildXML::build(&run)).unwrap();
        assert!(xml.contains("甲乙") && xml.contains("丙") && xml.contains("<w:tab"));
        assert!(!xml.contains('\u{1}'));
    }
}
