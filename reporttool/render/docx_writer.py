"""Blocks + house style → .docx. The one module that knows OOXML; it knows no report vocabulary.

python-docx's default template is set up for Japanese and leaves East-Asian fonts to the theme
(bad-input.md §1.8): every style gets explicit w:rFonts (eastAsia included), theme attributes
are removed, and the document language is zh-CN.
"""

from __future__ import annotations

import datetime
import os

from reporttool.render.compose import Block
from reporttool.render.house_style import HouseStyle, points

TWIPS_PER_MM = 1440 / 25.4
ALIGN = {"left": "left", "right": "right", "center": "center", "justify": "both"}


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _el(tag: str, **attrs):
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(_qn(key), str(value))
    return element


def _set_fonts(rpr, east_asian: str, latin: str) -> None:
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):  # theme fonts win over explicit names: remove them
            del fonts.attrib[attribute]
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


class Writer:
    def __init__(self, style: HouseStyle) -> None:
        from docx import Document

        self.style = style
        self.doc = Document()
        self.body_pt = style.body_pt
        self.char_twips = round(self.body_pt * 20)  # one 字 = one body character
        self.pitch = int(style["grid"]["line_pitch_twips"])
        self._prepare_document()
        self._define_styles()
        self._page_setup()
        self._footers()

    def style_name(self, key: str) -> str:
        """The Word style name of a house-style entry (shown in Word's style pane)."""
        return self.style.style(key).get("name", key)

    # --- document-wide settings -------------------------------------------------------------
    def _prepare_document(self) -> None:
        doc = self.doc
        body = doc.element.body
        for child in list(body):
            if child.tag != _qn("w:sectPr"):
                body.remove(child)
        styles = doc.styles.element
        for fonts in styles.iter(_qn("w:rFonts")):
            for attribute in list(fonts.attrib):
                if attribute.endswith("Theme"):
                    del fonts.attrib[attribute]
        defaults = styles.find(_qn("w:docDefaults"))
        rpr = defaults.find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
        _set_fonts(rpr, self.style.style("body")["font"], self.style["fonts"]["latin"])
        lang = _child(rpr, "w:lang")
        lang.set(_qn("w:val"), "en-US")
        lang.set(_qn("w:eastAsia"), "zh-CN")
        sz = _child(rpr, "w:sz")
        sz.set(_qn("w:val"), str(round(self.body_pt * 2)))
        settings = doc.settings.element
        theme_lang = settings.find(_qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(_qn("w:eastAsia"), "zh-CN")
        # Word's "don't use HTML paragraph auto spacing" compatibility flag. No paragraph here uses
        # auto spacing (before/after are explicit multiples of the pitch), so it changes no layout.
        # OOXML defines it inside w:compat; here it is a direct child of w:settings.
        for tag in ("w:doNotUseHTMLParagraphAutoSpacing",):
            _child(settings, tag)

    def _define_styles(self) -> None:
        latin = self.style["fonts"]["latin"]
        spacing = round(float(self.style["grid"].get("char_spacing_pt", 0)) * 20)
        styles = self.doc.styles.element
        self.style_ids = {}
        for name, spec in self.style["styles"].items():
            # Built as elements: python-docx's add_style scans every style for each one added.
            style_id = "RT" + name.replace("_", "")
            self.style_ids[name] = style_id
            style = _el("w:style", **{"w:type": "paragraph", "w:customStyle": "1", "w:styleId": style_id})
            style.append(_el("w:name", **{"w:val": self.style_name(name)}))
            style.append(_el("w:qFormat"))
            ppr = _el("w:pPr")
            rpr = _el("w:rPr")
            style.append(ppr)
            style.append(rpr)
            styles.append(style)
            # OOXML fixes the order of these children (rFonts, b, spacing, sz, szCs): Word
            # rejects a file that breaks it.
            _set_fonts(rpr, spec["font"], latin)
            if spec.get("bold"):
                rpr.append(_el("w:b"))
            if spacing:
                rpr.append(_el("w:spacing", **{"w:val": str(spacing)}))
            size = str(round(points(spec["size"]) * 2))
            rpr.append(_el("w:sz", **{"w:val": size}))
            rpr.append(_el("w:szCs", **{"w:val": size}))
            # Widow/orphan control off: Word moves no lines to keep a paragraph's first or last line
            # from standing alone, so every full page holds all its grid lines (22 by default).
            _child(ppr, "w:widowControl").set(_qn("w:val"), "0")
            if spec.get("autospace") is False:  # no extra space between Chinese and digits
                _child(ppr, "w:autoSpaceDE").set(_qn("w:val"), "0")
                _child(ppr, "w:autoSpaceDN").set(_qn("w:val"), "0")
            line = _child(ppr, "w:spacing")
            line.set(_qn("w:line"), str(self.pitch))
            line.set(_qn("w:lineRule"), "exact")
            line.set(_qn("w:before"), str(round(float(spec.get("space_before_lines", 0)) * self.pitch)))
            line.set(_qn("w:after"), str(round(float(spec.get("space_after_lines", 0)) * self.pitch)))
            ind = _child(ppr, "w:ind")
            first = float(spec.get("first_line_chars", 0))
            if first:
                ind.set(_qn("w:firstLineChars"), str(round(first * 100)))
                ind.set(_qn("w:firstLine"), str(round(first * self.char_twips)))
            right = float(spec.get("right_chars", 0))
            if right:
                ind.set(_qn("w:rightChars"), str(round(right * 100)))
                ind.set(_qn("w:right"), str(round(right * self.char_twips)))
            _child(ppr, "w:jc").set(_qn("w:val"), ALIGN[spec.get("align", "justify")])

    def _page_setup(self) -> None:
        page, number = self.style["page"], self.style["page_number"]
        sect = self.doc.sections[0]._sectPr
        for tag in ("w:pgSz", "w:pgMar", "w:docGrid", "w:cols"):
            old = sect.find(_qn(tag))
            if old is not None:
                sect.remove(old)
        mm = lambda value: str(round(float(value) * TWIPS_PER_MM))  # noqa: E731
        number_height = points(number["size"]) * 20
        footer = float(page["bottom_mm"]) * TWIPS_PER_MM - float(number["below_text_mm"]) * TWIPS_PER_MM \
            - number_height
        sect.append(_el("w:pgSz", **{"w:w": mm(page["width_mm"]), "w:h": mm(page["height_mm"])}))
        sect.append(_el("w:pgMar", **{"w:top": mm(page["top_mm"]), "w:right": mm(page["right_mm"]),
                                      "w:bottom": mm(page["bottom_mm"]), "w:left": mm(page["left_mm"]),
                                      "w:header": mm(page["header_mm"]), "w:footer": str(max(0, round(footer))),
                                      "w:gutter": mm(page["gutter_mm"])}))
        sect.append(_el("w:cols", **{"w:space": mm(page["column_space_mm"])}))
        # A line grid of 22 lines; the 28 characters come from the styles' character spacing.
        # (A linesAndChars grid makes LibreOffice spread characters over two cells each.)
        sect.append(_el("w:docGrid", **{"w:type": "lines", "w:linePitch": str(self.pitch)}))

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
        for tag in ("w:spacing", "w:ind", "w:jc"):  # in schema order
            old = ppr.find(_qn(tag))
            if old is not None:
                ppr.remove(old)
        ppr.append(_el("w:spacing", **{"w:line": str(round(points(number["size"]) * 20)), "w:lineRule": "exact"}))
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
        ids = self.style_ids
        end = self.doc.element.body.find(_qn("w:sectPr"))
        for block in blocks:
            if block.style == "table":
                self._table(block, ids)
                continue
            p = _el("w:p")
            ppr = _el("w:pPr")
            ppr.append(_el("w:pStyle", **{"w:val": ids[block.style]}))
            if block.page_break_before:
                ppr.append(_el("w:pageBreakBefore"))
            if block.right_chars is not None:  # after pageBreakBefore: OOXML orders pPr children
                ppr.append(_el("w:ind", **{"w:rightChars": str(round(block.right_chars * 100)),
                                           "w:right": str(round(block.right_chars * self.char_twips))}))
            p.append(ppr)
            for text, run_style in block.runs:
                p.append(self._run(text, run_style))
            end.addprevious(p)

    def _run(self, text: str, run_style: str | None):
        r = _el("w:r")
        if run_style:
            spec = self.style.style(run_style)
            rpr = _el("w:rPr")
            _set_fonts(rpr, spec["font"], self.style["fonts"]["latin"])
            if spec.get("bold"):
                rpr.append(_el("w:b"))
            r.append(rpr)
        for index, piece in enumerate(text.split("\t")):
            if index:
                r.append(_el("w:tab"))
            if piece:
                t = _el("w:t", **{"xml:space": "preserve"})
                t.text = piece
                r.append(t)
        return r

    def _table(self, block: Block, ids: dict) -> None:
        rows = block.rows or []
        if not rows:
            return
        table = self.doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table.style = self.doc.styles["Table Grid"]
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                p = table.cell(r, c).paragraphs[0]._p
                ppr = p.get_or_add_pPr()
                ppr.insert(0, _el("w:pStyle", **{"w:val": ids["table"]}))
                run = self._run(text, None)
                if r == 0:  # the header row
                    rpr = _el("w:rPr")
                    rpr.append(_el("w:b"))
                    run.insert(0, rpr)
                p.append(run)

    def metadata(self, title: str, author: str) -> None:
        props = self.doc.core_properties
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
        props.title = title
        props.author = author
        props.last_modified_by = author
        props.created = now
        props.modified = now
        props.revision = 1
        props.comments = ""
        props.language = "zh-CN"

    def save(self, target: str | os.PathLike) -> None:
        save_atomically(self.doc, target)


def save_atomically(doc, target) -> None:
    """Save next to the target, then rename over it: a crash never leaves half a report."""
    from reporttool.atomic import replace_atomically

    replace_atomically(target, doc.save)
