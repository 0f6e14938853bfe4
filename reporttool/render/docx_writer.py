"""Blocks + house style → .docx. The one module that knows OOXML; it knows no report vocabulary.

python-docx's default template is set up for Japanese and leaves East-Asian fonts to the theme
(bad-input.md §1.8): every style gets explicit w:rFonts (eastAsia included), theme attributes
are removed, and the document language is zh-CN. The template's other leftovers (a Mac Word
app.xml, a thumbnail, a bibliography customXml part, stylesWithEffects, 170 unused styles, rsids)
are replaced or dropped, so the package holds only what this document uses and says only what is
true. The same blocks and house style give the same bytes (SOURCE_DATE_EPOCH, else the 成文日期).
"""

from __future__ import annotations

import datetime
import io
import os
import re
import zipfile
from typing import TYPE_CHECKING

from reporttool import usercache
from reporttool.render.house_style import RECORD_STYLES, HouseStyle, points

if TYPE_CHECKING:  # only the type: the writer runs without the composing side (render/prewarm.py)
    from reporttool.render.compose import Block

TWIPS_PER_MM = 1440 / 25.4
ALIGN = {"left": "left", "right": "right", "center": "center", "justify": "both"}

# House-style headings: style id Heading1… (mammoth's default map matches p.Heading1), based on
# Word's own "heading 1"… (pandoc and LibreOffice go by that name, through basedOn), with outline
# levels (Word's navigation pane and TOC, LibreOffice's navigator, PDF bookmarks). Their names stay
# the house style's (一级标题 …): the Word style pane shows the 公文 names.
HEADINGS = {"heading1": 0, "heading2": 1, "heading3": 2, "heading4": 3}
# Kept from python-docx's template: the defaults every WordprocessingML consumer expects, the
# footer style and the grid table style. Everything else (Heading1–9, List…, 150 table styles) goes.
KEPT_STYLES = ("Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Footer", "TableGrid")
# The folio dash's top lies this far (in em) below the top of its exactly one-em line: 0.49 measured
# in LibreOffice (which sets 宋体's Latin slot, dash included, in DejaVu Sans here); 宋体 (SimSun,
# ascent 0.86 em, its em dash centred on the ideographic em box ≈ 0.38 em up) gives ≈ 0.48 in Word.
DASH_TOP_EM = 0.48
FALLBACK_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # no date anywhere: still fixed
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# a cell holding a number with at most a short unit: 1487人, 3.7亿元, 97.46%, -12
_NUMBER = re.compile(r"[+\-−]?\d[\d,，.]*\s*(%|‰|[^\d\s]{0,3})")
REL_DROPPED = ("/customXml", "/stylesWithEffects", "/numbering", "/metadata/thumbnail")

APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           '<Application>reporttool</Application></Properties>')


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _el(tag: str, **attrs):
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(_qn(key), str(value))
    return element


def _strip_theme(fonts) -> None:
    for attribute in list(fonts.attrib):
        if attribute.lower().endswith("theme"):  # asciiTheme … cstheme: theme fonts win over names
            del fonts.attrib[attribute]


def _style_id(name: str) -> str:
    """The .docx style id of a house-style paragraph style (headings: Heading1…)."""
    level = HEADINGS.get(name)
    return style_id_of(name) if level is None else f"Heading{level + 1}"


def _base_key(style: HouseStyle) -> str:
    """The cache entry of the empty document: this module's code, python-docx's and lxml's
    versions (the template and the serialiser) and the house style."""
    import hashlib
    import json

    import docx
    from lxml import etree

    digest = hashlib.sha256(f"{docx.__version__}\0{etree.LXML_VERSION}\0".encode())
    with open(__file__, "rb") as handle:
        digest.update(handle.read())
    digest.update(json.dumps(style.data, sort_keys=True, default=str, ensure_ascii=False).encode())
    return os.path.join("docx", f"base-{digest.hexdigest()[:32]}.docx")


def style_id_of(name: str) -> str:
    """The .docx style id of a house-style paragraph style that is no heading: RTbody, RTrecordcc…"""
    return "RT" + name.replace("_", "")




def _borders(top: dict | None = None, bottom: dict | None = None):
    """A paragraph's rules: width in mm, colour (default black), distance from the text in mm."""
    if not top and not bottom:
        return None
    pbdr = _el("w:pBdr")
    for side, spec in (("top", top), ("bottom", bottom)):  # OOXML order: top left bottom right
        if spec:
            eighths = max(2, round(float(spec["width_mm"]) * 72 / 25.4 * 8))
            space = round(float(spec.get("space_mm", 0)) * 72 / 25.4)
            pbdr.append(_el(f"w:{side}", **{"w:val": "single", "w:sz": str(eighths), "w:space": str(min(space, 31)),
                                            "w:color": str(spec.get("color", "000000"))}))
    return pbdr


def _set_fonts(rpr, east_asian: str, latin: str) -> None:
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    _strip_theme(fonts)
    fonts.set(_qn("w:ascii"), latin)
    fonts.set(_qn("w:hAnsi"), latin)
    fonts.set(_qn("w:cs"), latin)
    fonts.set(_qn("w:eastAsia"), east_asian)
    fonts.set(_qn("w:hint"), "eastAsia")


def _child(parent, tag: str):
    element = parent.find(_qn(tag))
    if element is None:
        element = _el(tag)
        parent.append(element)
    return element


def text_width(text: str) -> float:
    """Width in em: ASCII (digits, Latin) is half-width in the house fonts, everything else full."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.strip()))


def document_time(date_text: str | None = None) -> datetime.datetime:
    """The time stamped into the file: SOURCE_DATE_EPOCH, else the 成文日期 at 00:00 UTC.

    Never the clock: rendering the same draft twice must give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    if date_text:
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", date_text.strip())
        match = iso or _DATE.search(date_text)
        if match:
            year, month, day = (int(group) for group in match.groups())
            try:
                return datetime.datetime(year, month, day, tzinfo=datetime.UTC)
            except ValueError:
                pass
    return FALLBACK_TIME


class Writer:
    def __init__(self, style: HouseStyle) -> None:
        from docx import Document

        self.style = style
        self.body_pt = style.body_pt
        self.char_twips = round(self.body_pt * 20)  # one 字 = one body character
        self.pitch = int(style["grid"]["line_pitch_twips"])
        page = style["page"]
        self.text_width = round((float(page["width_mm"]) - float(page["left_mm"]) - float(page["right_mm"])
                                 - float(page["gutter_mm"])) * TWIPS_PER_MM)
        self._date_text: str | None = None  # the 成文日期: the metadata date, else the first date block
        self.style_ids = {name: _style_id(name) for name in style["styles"]}
        # The empty document in the house style is the same for every draft: built once (about half of
        # a writer's set-up, with python-docx's template), kept in the user cache and reopened.
        key = _base_key(style)
        kept = usercache.read(key)
        reopened = None
        if kept is not None:
            try:
                reopened = Document(io.BytesIO(kept))
            except Exception:  # noqa: BLE001 - a damaged entry: built again below
                reopened = None
        self.doc = reopened if reopened is not None else Document()
        if reopened is None:
            self._prepare_package()
            self._prepare_document()
            self._define_styles()
            self._page_setup()
            self._footers()
            raw = io.BytesIO()
            self.doc.save(raw)
            usercache.write(key, raw.getvalue())
        # document.render_bytes (and any caller) saves through doc.save: route it through the
        # reproducible writer, so every save gets fixed zip timestamps and order.
        self.doc.save = self.save  # type: ignore[method-assign,assignment]

    def style_name(self, key: str) -> str:
        """The Word style name of a house-style entry (shown in Word's style pane)."""
        return self.style.style(key).get("name", key)

    # --- the package: only the parts this document uses ---------------------------------------
    def _prepare_package(self) -> None:
        package = self.doc.part.package
        for owner in (package, self.doc.part):
            for rId, rel in list(owner.rels.items()):
                if not rel.is_external and rel.reltype.endswith(REL_DROPPED):
                    del owner.rels[rId]
        for part in package.iter_parts():
            if part.partname == "/docProps/app.xml":
                # true and minimal: no fake page or word counts, no "Microsoft Macintosh Word"
                part._blob = APP_XML.encode("utf-8")
            elif part.partname == "/word/fontTable.xml":
                self._font_table(part)

    def _font_table(self, part) -> None:
        """The fonts the house style names, instead of the template's Cambria/ＭＳ 明朝 list."""
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.parser import parse_xml

        root = parse_xml(part.blob)
        for font in list(root):
            root.remove(font)
        latin = {self.style["fonts"]["latin"]}
        names = {spec["font"] for spec in self.style["styles"].values()} | {self.style["page_number"]["font"]}
        for name in sorted(latin) + sorted(names - latin):
            font = _el("w:font", **{"w:name": name})
            # 86 = GB2312 for a Chinese-named font, 00 = ANSI for the Latin one: tells Word which script
            # a missing font was for when it substitutes (an ASCII-named CJK font gets no claim)
            charset = "86" if not name.isascii() else "00" if name in latin else None
            if charset:
                font.append(_el("w:charset", **{"w:val": charset}))
            font.append(_el("w:family", **{"w:val": "auto"}))  # no claim about the design
            font.append(_el("w:pitch", **{"w:val": "variable"}))
            root.append(font)
        part._blob = serialize_part_xml(root)

    # --- document-wide settings -------------------------------------------------------------
    def _prepare_document(self) -> None:
        doc = self.doc
        body = doc.element.body
        for child in list(body):
            if child.tag != _qn("w:sectPr"):
                body.remove(child)
        for element in doc.element.iter():  # the template's revision ids mean nothing here
            for attribute in [a for a in element.attrib if "}rsid" in a]:
                del element.attrib[attribute]
        styles = doc.styles.element
        for style in list(styles.findall(_qn("w:style"))):
            if style.get(_qn("w:styleId")) not in KEPT_STYLES:
                styles.remove(style)
        for style in styles.findall(_qn("w:style")):
            for tag in ("w:rsid", "w:link"):  # Footer's link pointed at the dropped FooterChar
                for old in style.findall(_qn(tag)):
                    style.remove(old)
        for fonts in styles.iter(_qn("w:rFonts")):
            _strip_theme(fonts)
        defaults = styles.find(_qn("w:docDefaults"))
        rpr = defaults.find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
        _set_fonts(rpr, self.style.style("body")["font"], self.style["fonts"]["latin"])
        size = str(round(self.body_pt * 2))
        _child(rpr, "w:sz").set(_qn("w:val"), size)
        _child(rpr, "w:szCs").set(_qn("w:val"), size)
        lang = _child(rpr, "w:lang")
        lang.set(_qn("w:val"), "en-US")
        lang.set(_qn("w:eastAsia"), "zh-CN")
        # No paragraph gets the template's 10 pt space after: the footer and the closing paragraph
        # after a table would otherwise grow by it.
        ppr_default = defaults.find(_qn("w:pPrDefault")).find(_qn("w:pPr"))
        spacing = _child(ppr_default, "w:spacing")
        spacing.attrib.clear()
        spacing.set(_qn("w:after"), "0")
        spacing.set(_qn("w:line"), "240")
        spacing.set(_qn("w:lineRule"), "auto")
        self._settings()

    def _settings(self) -> None:
        settings = self.doc.settings.element
        theme_lang = settings.find(_qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(_qn("w:eastAsia"), "zh-CN")
        # Claims that are not true of this file: a spell check done, a preview picture to keep,
        # the template's document id and revision list, Word's auto spacing flag (no paragraph
        # uses auto spacing; OOXML allows it only inside w:compat).
        for tag in ("w:proofState", "w:savePreviewPicture", "w:rsids", "w14:docId",
                    "w:doNotUseHTMLParagraphAutoSpacing"):
            for old in settings.findall(_qn(tag)):
                settings.remove(old)
        compat = settings.find(_qn("w:compat"))
        for setting in compat.findall(_qn("w:compatSetting")):
            if setting.get(_qn("w:name")) == "compatibilityMode":
                setting.set(_qn("w:val"), "15")  # Word 2013+: opened without 兼容模式

    def _define_styles(self) -> None:
        styles = self.doc.styles.element
        for name, spec in self.style["styles"].items():
            # Built as elements: python-docx's add_style scans every style for each one added.
            level = HEADINGS.get(name)
            if level is None:
                style_id = style_id_of(name)
                styles.append(self._style(style_id, self.style_name(name), spec, custom=True,
                                          next_id="RTbody" if name == "title" else None))
            else:
                # 一级标题 (id Heading1, what mammoth and pandoc's id check look for) based on Word's
                # own "heading 1" (the name pandoc, LibreOffice and Word's Heading 1 button use),
                # which looks the same: whichever a reader or a writer picks, it is a 公文 heading.
                style_id = f"Heading{level + 1}"
                builtin = f"BuiltInHeading{level + 1}"
                styles.append(self._style(builtin, f"heading {level + 1}", spec, level=level, next_id="RTbody"))
                styles.append(self._style(style_id, self.style_name(name), spec, level=level, custom=True,
                                          based_on=builtin, next_id="RTbody"))
            assert style_id == self.style_ids[name]

    def _style(self, style_id: str, name: str, spec: dict, level: int | None = None, custom: bool = False,
               based_on: str | None = None, next_id: str | None = None):
        latin = self.style["fonts"]["latin"]
        spacing = round(float(self.style["grid"].get("char_spacing_pt", 0)) * 20)
        style = _el("w:style", **{"w:type": "paragraph", "w:styleId": style_id})
        if custom:
            style.set(_qn("w:customStyle"), "1")
        # style children in schema order: name basedOn next uiPriority qFormat pPr rPr
        style.append(_el("w:name", **{"w:val": name}))
        if based_on:
            style.append(_el("w:basedOn", **{"w:val": based_on}))
        if next_id:
            style.append(_el("w:next", **{"w:val": next_id}))  # Enter after a heading: 正文
        if level is not None:
            style.append(_el("w:uiPriority", **{"w:val": "9"}))
        style.append(_el("w:qFormat"))
        ppr = _el("w:pPr")
        rpr = _el("w:rPr")
        style.append(ppr)
        style.append(rpr)
        # OOXML fixes the order of these children (rFonts, b, spacing, sz, szCs): Word
        # rejects a file that breaks it.
        _set_fonts(rpr, spec["font"], latin)
        if spec.get("bold"):
            rpr.append(_el("w:b"))
        if spec.get("color"):  # the red 发文机关标志
            rpr.append(_el("w:color", **{"w:val": str(spec["color"])}))
        if spacing:
            rpr.append(_el("w:spacing", **{"w:val": str(spacing)}))
        size = str(round(points(spec["size"]) * 2))
        rpr.append(_el("w:sz", **{"w:val": size}))
        rpr.append(_el("w:szCs", **{"w:val": size}))
        # pPr children in schema order: keepNext keepLines widowControl autoSpaceDE autoSpaceDN
        # snapToGrid spacing ind jc outlineLvl.
        if spec.get("keep_with_next"):  # never the last line of a page: 标题 stays with its text
            ppr.append(_el("w:keepNext"))
        if spec.get("keep_together"):
            ppr.append(_el("w:keepLines"))
        # widow_control (house-style.yaml says why it is off for 正文): on, Word and LibreOffice
        # move a paragraph's first or last line to avoid a line alone, leaving 21-line pages.
        ppr.append(_el("w:widowControl", **{"w:val": "1" if spec.get("widow_control") else "0"}))
        borders = _borders(top=spec.get("border_top"), bottom=spec.get("border_bottom"))
        if borders is not None:  # the red rule under the 发文字号
            ppr.append(borders)
        if spec.get("autospace") is False:  # no extra space between Chinese and digits
            ppr.append(_el("w:autoSpaceDE", **{"w:val": "0"}))
            ppr.append(_el("w:autoSpaceDN", **{"w:val": "0"}))
        # Word puts exact-height lines off the document grid; LibreOffice snaps them to it and
        # gives a 22 pt title line two grid cells. Off, both lay out the same exact lines.
        ppr.append(_el("w:snapToGrid", **{"w:val": "0"}))
        line = _el("w:spacing")
        line.set(_qn("w:before"), str(round(float(spec.get("space_before_lines", 0)) * self.pitch)))
        line.set(_qn("w:after"), str(round(float(spec.get("space_after_lines", 0)) * self.pitch)))
        pitch = round(float(spec["line_pt"]) * 20) if spec.get("line_pt") else self.pitch
        line.set(_qn("w:line"), str(pitch))
        line.set(_qn("w:lineRule"), "exact")
        ppr.append(line)
        ind = _el("w:ind")
        first = float(spec.get("first_line_chars", 0))
        if first:
            ind.set(_qn("w:firstLineChars"), str(round(first * 100)))
            ind.set(_qn("w:firstLine"), str(round(first * self.char_twips)))
        right = float(spec.get("right_chars", 0))
        if right:
            ind.set(_qn("w:rightChars"), str(round(right * 100)))
            ind.set(_qn("w:right"), str(round(right * self.char_twips)))
        left = float(spec.get("left_chars", 0))
        if left:
            ind.set(_qn("w:leftChars"), str(round(left * 100)))
            ind.set(_qn("w:left"), str(round(left * self.char_twips)))
        ppr.append(ind)
        ppr.append(_el("w:jc", **{"w:val": ALIGN[spec.get("align", "justify")]}))
        if level is not None:
            ppr.append(_el("w:outlineLvl", **{"w:val": str(level)}))
        return style

    def _page_setup(self) -> None:
        page = self.style["page"]
        sect = self.doc.sections[0]._sectPr
        for tag in ("w:pgSz", "w:pgMar", "w:docGrid", "w:cols"):
            old = sect.find(_qn(tag))
            if old is not None:
                sect.remove(old)
        mm = lambda value: str(round(float(value) * TWIPS_PER_MM))  # noqa: E731
        sect.append(_el("w:pgSz", **{"w:w": mm(page["width_mm"]), "w:h": mm(page["height_mm"])}))
        sect.append(_el("w:pgMar", **{"w:top": mm(page["top_mm"]), "w:right": mm(page["right_mm"]),
                                      "w:bottom": mm(page["bottom_mm"]), "w:left": mm(page["left_mm"]),
                                      "w:header": mm(page["header_mm"]), "w:footer": str(self.footer_twips()),
                                      "w:gutter": mm(page["gutter_mm"])}))
        sect.append(_el("w:cols", **{"w:space": mm(page["column_space_mm"])}))
        # A line grid of 22 lines; the 28 characters come from the styles' character spacing.
        # (A linesAndChars grid makes LibreOffice spread characters over two cells each.)
        sect.append(_el("w:docGrid", **{"w:type": "lines", "w:linePitch": str(self.pitch)}))

    def footer_twips(self) -> int:
        """w:footer: from the paper's bottom edge to the bottom of the folio line.

        GB/T 9704 7.5 measures the dash itself ("一字线上距版心下边缘 7 mm"), not the line box: the
        folio line is exactly one em high, and the dash's top lies DASH_TOP_EM below its top.
        """
        number = self.style["page_number"]
        em = points(number["size"]) * 20
        below = float(number["below_text_mm"]) * TWIPS_PER_MM
        line_top = float(self.style["page"]["bottom_mm"]) * TWIPS_PER_MM - below + DASH_TOP_EM * em
        return max(0, round(line_top - em))

    def _footers(self) -> None:
        number = self.style["page_number"]
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, side in ((section.footer, number["odd"]), (section.even_page_footer, number["even"])):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            self._page_number(paragraph, side)

    def _page_number(self, paragraph, side: str) -> None:
        number = self.style["page_number"]
        ppr = paragraph._p.get_or_add_pPr()
        for tag in ("w:snapToGrid", "w:spacing", "w:ind", "w:jc"):  # in schema order
            old = ppr.find(_qn(tag))
            if old is not None:
                ppr.remove(old)
        ppr.append(_el("w:snapToGrid", **{"w:val": "0"}))
        ppr.append(_el("w:spacing", **{"w:before": "0", "w:after": "0",
                                       "w:line": str(round(points(number["size"]) * 20)), "w:lineRule": "exact"}))
        indent = round(float(number["indent_chars"]) * self.char_twips)
        if side in ("left", "right"):
            ppr.append(_el("w:ind", **{f"w:{side}": str(indent)}))
        ppr.append(_el("w:jc", **{"w:val": ALIGN[side]}))
        dash = number.get("dash", "")
        size = str(round(points(number["size"]) * 2))

        def run(text: str | None = None, field: str | None = None, char: str | None = None):
            r = _el("w:r")
            rpr = _el("w:rPr")
            _set_fonts(rpr, number["font"], number["font"])  # half-width digits in 宋体
            rpr.append(_el("w:sz", **{"w:val": size}))
            rpr.append(_el("w:szCs", **{"w:val": size}))
            r.append(rpr)
            if char:
                r.append(_el("w:fldChar", **{"w:fldCharType": char}))
            elif field:
                instr = _el("w:instrText", **{"xml:space": "preserve"})
                instr.text = field
                r.append(instr)
            else:
                t = _el("w:t", **{"xml:space": "preserve"})
                t.text = text
                r.append(t)
            paragraph._p.append(r)

        if dash:
            run(dash + " ")
        run(char="begin")
        run(field=" PAGE ")
        run(char="separate")
        run("1")
        run(char="end")
        if dash:
            run(" " + dash)

    # --- content ----------------------------------------------------------------------------
    def write(self, blocks: list[Block]) -> None:
        """Append the blocks as paragraphs built directly in lxml.

        python-docx's add_paragraph/add_run look styles up by name and scan the body on every
        call (quadratic, python-docx #408); building the elements here is ~5x faster.
        """
        end = self.doc.element.body.find(_qn("w:sectPr"))
        last = None
        self._record_frames = self._record_layout([b for b in blocks if b.style in RECORD_STYLES])
        self._lines_above = 0  # single lines before the 发文机关标志 (份号, 密级, 紧急程度)
        for block in blocks:
            if block.style == "table":
                table = self._table(block)
                if table is not None:
                    end.addprevious(table)
                    last = table
                continue
            if block.style == "date" and self._date_text is None:
                self._date_text = block.text.replace("\n", "")
            p = _el("w:p")
            p.append(self._paragraph_properties(block))
            for text, run_style in block.runs:
                p.append(self._run(text, run_style))
            end.addprevious(p)
            last = p
        if last is not None and (last.tag == _qn("w:tbl") or self._record_frames):
            # Word and LibreOffice both need a paragraph after a closing table (and a frame, the
            # 版记, an anchor after it) and add a full-size one themselves, which can spill onto a
            # blank page: add one 1 pt high instead.
            end.addprevious(self._closing_paragraph())

    def _paragraph_properties(self, block: Block):
        """The block's style and what the template set on top of it (keep, page break, indents, spacing)."""
        ppr = _el("w:pPr")
        # OOXML order: pStyle keepNext keepLines pageBreakBefore framePr … pBdr tabs … spacing ind … jc
        ppr.append(_el("w:pStyle", **{"w:val": self.style_ids[block.style]}))
        if block.keep_with_next:
            ppr.append(_el("w:keepNext"))
        if block.page_break_before:
            ppr.append(_el("w:pageBreakBefore"))
        spec = self.style.style(block.style) if block.style in self.style["styles"] else {}
        if block.style in ("copy_number", "secrecy", "urgency"):
            self._lines_above += 1
        if spec.get("frame") == "page-bottom" and id(block) in self._record_frames:
            # 版记 at the foot of the text block, its last rule on the block's lower edge: each
            # paragraph a frame of its own (LibreOffice keeps one frame per paragraph only when
            # their rules differ), the last aligned to the bottom, each earlier one stacked on it
            y_twips, top, bottom = self._record_frames[id(block)]
            frame = {"w:w": str(self._text_width_twips()), "w:wrap": "around", "w:vAnchor": "margin",
                     "w:hAnchor": "margin", "w:xAlign": "center"}
            frame.update({"w:yAlign": "bottom"} if y_twips is None else {"w:y": str(y_twips)})
            ppr.append(_el("w:framePr", **frame))
            ppr.append(_borders(top=top, bottom=bottom))
        first = block.first_line_chars
        if first is not None and first < 0 and block.left_chars:
            # a hanging indent: an explicit tab stop where the wrapped lines start, so that "附件：1.\t名称"
            # puts the name there in LibreOffice too (Word makes the hanging indent a tab stop itself)
            tabs = _el("w:tabs")
            tabs.append(_el("w:tab", **{"w:val": "left", "w:pos": str(self._twips(block.left_chars))}))
            ppr.append(tabs)
        elif block.right_tab is not None:  # 签发人 or 印发日期, so many 字 in from the right edge
            size_twips = round(points(spec["size"]) * 20) if spec else self.char_twips
            tabs = _el("w:tabs")
            tabs.append(_el("w:tab", **{"w:val": "right",
                                        "w:pos": str(self._text_width_twips() - round(block.right_tab * size_twips))}))
            ppr.append(tabs)
        if spec.get("top_mm") is not None and block.space_before_lines is None:
            # the 发文机关标志's top edge top_mm below the text block's (GB/T 9704 7.2.4): the
            # lines above it (份号…) take their grid lines of that space
            before = round(float(spec["top_mm"]) * 1440 / 25.4) - self._lines_above * self.pitch
            ppr.append(_el("w:spacing", **{"w:before": str(max(0, before))}))
        elif block.space_before_lines is not None or block.space_after_lines is not None:
            spacing = _el("w:spacing")
            if block.space_before_lines is not None:
                spacing.set(_qn("w:before"), str(round(block.space_before_lines * self.pitch)))
            if block.space_after_lines is not None:
                spacing.set(_qn("w:after"), str(round(block.space_after_lines * self.pitch)))
            ppr.append(spacing)
        ind = _el("w:ind")
        if block.left_chars is not None:
            ind.set(_qn("w:leftChars"), str(round(block.left_chars * 100)))
            ind.set(_qn("w:left"), str(self._twips(block.left_chars)))
        if block.right_chars is not None:
            ind.set(_qn("w:rightChars"), str(round(block.right_chars * 100)))
            ind.set(_qn("w:right"), str(self._twips(block.right_chars)))
        if first is not None:
            # the style's firstLineChars would win over a plain firstLine: set the chars form too
            if first < 0:
                ind.set(_qn("w:firstLineChars"), "0")  # hanging wins over firstLine, chars or not
                ind.set(_qn("w:hangingChars"), str(round(-first * 100)))
                ind.set(_qn("w:hanging"), str(self._twips(-first)))
            else:
                ind.set(_qn("w:firstLineChars"), str(round(first * 100)))
                ind.set(_qn("w:firstLine"), str(self._twips(first)))
        if ind.attrib:
            ppr.append(ind)
        if block.paragraph_align is not None:
            ppr.append(_el("w:jc", **{"w:val": ALIGN[block.paragraph_align]}))
        return ppr

    def _twips(self, chars: float) -> int:
        return round(chars * self.char_twips)

    def _record_layout(self, record: list[Block]) -> dict:
        """Each 版记 paragraph's frame offset from the text block's top (None: bottom-aligned) and
        its rules: the outer rule above the first and below the last, the inner one between."""
        if not record:
            return {}
        rules = self.style["record"]
        page = self.style["page"]
        height = round((float(page["height_mm"]) - float(page["top_mm"]) - float(page["bottom_mm"])) * 1440 / 25.4)
        out: dict = {}
        below = 0  # twips taken by the paragraphs under this one
        for index in range(len(record) - 1, -1, -1):
            block = record[index]
            spec = self.style.style(block.style)
            pitch = round(float(spec["line_pt"]) * 20) if spec.get("line_pt") else self.pitch
            per_line = self._text_width_twips() / (points(spec["size"]) * 20) - float(spec.get("left_chars", 0)) \
                - float(spec.get("right_chars", 0))
            from reporttool.render.compose import line_count

            below += line_count(block, per_line) * pitch
            top = {"width_mm": rules["outer_rule_mm" if index == 0 else "inner_rule_mm"]}
            bottom = {"width_mm": rules["outer_rule_mm"]} if index == len(record) - 1 else None
            out[id(block)] = (None if index == len(record) - 1 else height - below, top, bottom)
        return out

    def _text_width_twips(self) -> int:
        page = self.style["page"]
        return round((float(page["width_mm"]) - float(page["left_mm"]) - float(page["right_mm"])) * 1440 / 25.4)

    def _run(self, text: str, run_style: str | None):
        r = _el("w:r")
        if run_style:
            spec = self.style.style(run_style)
            rpr = _el("w:rPr")
            _set_fonts(rpr, spec["font"], self.style["fonts"]["latin"])
            if spec.get("bold"):
                rpr.append(_el("w:b"))
            r.append(rpr)
        for number, line in enumerate(text.split("\n")):
            if number:
                r.append(_el("w:br"))  # a line break the template set (a title broken into lines)
            for index, piece in enumerate(line.split("\t")):
                if index:
                    r.append(_el("w:tab"))
                if piece:
                    t = _el("w:t", **{"xml:space": "preserve"})
                    t.text = piece
                    r.append(t)
        return r

    def _closing_paragraph(self):
        p = _el("w:p")
        ppr = _el("w:pPr")
        ppr.append(_el("w:snapToGrid", **{"w:val": "0"}))  # off the grid: else one 28.95 pt grid line
        ppr.append(_el("w:spacing", **{"w:before": "0", "w:after": "0", "w:line": "20", "w:lineRule": "exact"}))
        rpr = _el("w:rPr")
        rpr.append(_el("w:sz", **{"w:val": "2"}))
        rpr.append(_el("w:szCs", **{"w:val": "2"}))
        ppr.append(rpr)
        p.append(ppr)
        return p

    # --- tables -------------------------------------------------------------------------------
    def column_widths(self, rows: list[list[str]]) -> list[int]:
        """Column widths (twips) filling the text block, shared out by content, not equally.

        Each column wants its longest cell on one line; when that does not fit, every column keeps
        its longest unbreakable piece (a number with its unit) and the rest goes to the columns
        with most text — the auto layout of HTML tables, computed here so Word and LibreOffice
        both get fixed, identical widths.
        """
        table = self.style["table"]
        em = points(self.style.style("table")["size"]) * 20 + float(self.style["grid"].get("char_spacing_pt", 0)) * 20
        pad = 2 * float(table["cell_padding_mm"]) * TWIPS_PER_MM
        columns = max(len(row) for row in rows)
        most, least = [pad + em] * columns, [pad + em] * columns
        for row in rows:
            for c, cell in enumerate(row):
                most[c] = max(most[c], pad + text_width(cell) * em)
                # Chinese may break between any two characters; a number with its unit (1.2万人次)
                # or an ASCII run may not
                pieces = [cell] if is_number(cell) else re.findall(r"[\x21-\x7e]+\S?|\S", cell) or [""]
                least[c] = max(least[c], pad + max(text_width(p) for p in pieces) * em)
        total = self.text_width
        if sum(most) <= total:
            widths = [w + (total - sum(most)) * w / sum(most) for w in most]
        elif sum(least) <= total:
            slack = [m - s for m, s in zip(most, least)]
            widths = [s + (total - sum(least)) * d / sum(slack) for s, d in zip(least, slack)]
        else:
            widths = [w * total / sum(least) for w in least]
        out = [int(w) for w in widths]
        out[-1] += total - sum(out)
        return out

    def column_alignment(self, block: Block, columns: int) -> list[str]:
        """Block.align if the template set it; else a column of mostly numbers is right-aligned."""
        if block.align:
            return [block.align[c] if c < len(block.align) else "left" for c in range(columns)]
        body = (block.rows or [])[block.header_rows:]
        out = []
        for c in range(columns):
            cells = [row[c] for row in body if c < len(row) and row[c].strip()]
            numbers = sum(1 for cell in cells if is_number(cell))
            out.append(self.style["table"]["number_align"] if cells and numbers * 2 > len(cells) else "left")
        return out

    def _table(self, block: Block):
        rows = block.rows or []
        if not rows:
            return None
        columns = max(len(r) for r in rows)
        widths = self.column_widths(rows)
        aligns = self.column_alignment(block, columns)
        header_rows = max(0, min(block.header_rows, len(rows)))
        spec = self.style["table"]
        pad = str(round(float(spec["cell_padding_mm"]) * TWIPS_PER_MM))
        border = str(round(float(spec["border_pt"]) * 8))  # w:sz is in eighths of a point
        tbl = _el("w:tbl")
        tblpr = _el("w:tblPr")
        tblpr.append(_el("w:tblStyle", **{"w:val": "TableGrid"}))
        tblpr.append(_el("w:tblW", **{"w:w": str(self.text_width), "w:type": "dxa"}))
        tblpr.append(_el("w:jc", **{"w:val": "center"}))
        borders = _el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_el(f"w:{side}", **{"w:val": "single", "w:sz": border, "w:space": "0", "w:color": "auto"}))
        tblpr.append(borders)
        tblpr.append(_el("w:tblLayout", **{"w:type": "fixed"}))  # the computed widths, not Word's autofit
        margins = _el("w:tblCellMar")
        for side in ("left", "right"):
            margins.append(_el(f"w:{side}", **{"w:w": pad, "w:type": "dxa"}))
        tblpr.append(margins)
        tblpr.append(_el("w:tblLook", **{"w:val": "04A0", "w:firstRow": "1", "w:lastRow": "0", "w:firstColumn": "0",
                                         "w:lastColumn": "0", "w:noHBand": "1", "w:noVBand": "1"}))
        tbl.append(tblpr)
        grid = _el("w:tblGrid")
        for width in widths:
            grid.append(_el("w:gridCol", **{"w:w": str(width)}))
        tbl.append(grid)
        for r, row in enumerate(rows):
            header = r < header_rows
            tr = _el("w:tr")
            trpr = _el("w:trPr")
            trpr.append(_el("w:cantSplit"))  # a row never breaks across pages
            if header:
                trpr.append(_el("w:tblHeader"))  # repeated at the top of every page
            tr.append(trpr)
            for c in range(columns):
                text = row[c] if c < len(row) else ""
                tc = _el("w:tc")
                tcpr = _el("w:tcPr")
                tcpr.append(_el("w:tcW", **{"w:w": str(widths[c]), "w:type": "dxa"}))
                tcpr.append(_el("w:vAlign", **{"w:val": "center"}))
                tc.append(tcpr)
                p = _el("w:p")
                ppr = _el("w:pPr")
                ppr.append(_el("w:pStyle", **{"w:val": self.style_ids["table_header" if header else "table"]}))
                if block.page_break_before and r == 0 and c == 0:  # a table has no pageBreakBefore itself
                    ppr.append(_el("w:pageBreakBefore"))
                ppr.append(_el("w:jc", **{"w:val": "center" if header else ALIGN[aligns[c]]}))
                p.append(ppr)
                if text:
                    p.append(self._run(text, None))
                tc.append(p)
                tr.append(tc)
            tbl.append(tr)
        return tbl

    # --- metadata and saving ------------------------------------------------------------------
    def metadata(self, title: str, author: str, date: str | None = None) -> None:
        """Core properties; the time is document_time(), never now() (reproducible output)."""
        if date is not None:
            self._date_text = date
        props = self.doc.core_properties
        props.title = title
        props.author = author
        props.last_modified_by = author
        props.revision = 1
        props.comments = ""
        props.language = "zh-CN"

    @property
    def time(self) -> datetime.datetime:
        return document_time(self._date_text)

    def to_bytes(self) -> bytes:
        """The package as python-docx writes it, re-zipped with fixed timestamps and order."""
        from docx.document import Document

        props = self.doc.core_properties  # stamped here, so the file and its zip entries agree
        props.created = props.modified = self.time.replace(tzinfo=None)
        raw = io.BytesIO()
        Document.save(self.doc, raw)  # the class's own save: self.doc.save is this writer's
        return normalised_zip(raw.getvalue(), self.time)

    def save(self, target) -> None:
        """Write to a path (atomically) or to a binary stream."""
        data = self.to_bytes()
        if hasattr(target, "write"):
            target.write(data)
            return
        from reporttool.atomic import write_bytes_atomically

        write_bytes_atomically(target, data)


def normalised_zip(data: bytes, when: datetime.datetime) -> bytes:
    """The same entries, in the same order, every one stamped `when` (zip dates start in 1980)."""
    stamp = max(when, datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # not the building machine's OS
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def save_atomically(doc, target) -> None:
    """Save next to the target, then rename over it: a crash never leaves half a report."""
    from reporttool.atomic import replace_atomically

    replace_atomically(target, doc.save)
