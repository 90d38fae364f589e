"""PDF layout of the report, the school one-pagers and the theme-day reports (reportlab platypus).

Pure-Python wheels only (no system libraries). Text is set in DejaVu Sans,
embedded from matplotlib's own font files so the Danish letters, "−" and "χ²"
always print and can be searched and copied. Charts are the PNGs drawn by
:mod:`exports.charts`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from exports.fonts import FONT, register_fonts

from .content import Report, SchoolPage
from .events import EventReport

__all__ = ["event_pdf", "report_pdf", "school_pdf"]

rl_config.useA85 = 0  # binary streams: smaller files, and no slow pure-Python ASCII85 of the chart images
BLUE = colors.HexColor("#0072B2")
LIGHT = colors.HexColor("#EEF3F8")
LINE = colors.HexColor("#999999")


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=f"{FONT}-Bold", fontSize=20, leading=25, spaceAfter=6),
        "h1": ParagraphStyle("h1", base, fontName=f"{FONT}-Bold", fontSize=14, leading=18, spaceBefore=6, spaceAfter=6, textColor=BLUE),
        "h2": ParagraphStyle("h2", base, fontName=f"{FONT}-Bold", fontSize=11, leading=14, spaceBefore=8, spaceAfter=3),
        "meta": ParagraphStyle("meta", base, fontSize=8.5, leading=11, textColor=colors.HexColor("#333333")),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9.5, spaceAfter=0),
        "cellb": ParagraphStyle("cellb", base, fontName=f"{FONT}-Bold", fontSize=7.5, leading=9.5, spaceAfter=0),
        "num": ParagraphStyle("num", base, fontSize=7.5, leading=9.5, spaceAfter=0, alignment=TA_RIGHT),
        "numb": ParagraphStyle("numb", base, fontName=f"{FONT}-Bold", fontSize=7.5, leading=9.5, spaceAfter=0, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", base, fontSize=6.5, leading=8, spaceAfter=1, textColor=colors.HexColor("#333333")),
        "quote": ParagraphStyle("quote", base, fontSize=8.5, leading=11, leftIndent=10, borderPadding=(0, 0, 0, 4)),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(data: list[list[object]], widths: Sequence[float], *, header: bool = True, bold_rows: Sequence[int] = ()) -> Table:
    table = Table(data, colWidths=list(widths), repeatRows=1 if header else 0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), LIGHT), ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black)]
    for r in bold_rows:
        style.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F4F4F4")))
    table.setStyle(TableStyle(style))
    return table


def _image(png: bytes, max_width: float, max_height: float) -> Image:
    width, height = ImageReader(io.BytesIO(png)).getSize()
    scale = min(max_width / width, max_height / height)
    return Image(io.BytesIO(png), width=width * scale, height=height * scale)


def _footer(text: str):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillGray(0.3)
        width, _ = doc.pagesize
        canvas.drawString(doc.leftMargin, 1.0 * cm, text)
        canvas.drawRightString(width - doc.rightMargin, 1.0 * cm, f"Side {doc.page}")
        canvas.restoreState()

    return draw


def _document(buffer: io.BytesIO, title: str, pagesize=A4) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer, pagesize=pagesize, title=title, author="trivsel", subject=title, creator="trivsel", lang="da-DK",
        leftMargin=1.8 * cm, rightMargin=1.8 * cm, topMargin=1.6 * cm, bottomMargin=1.7 * cm,
    )


# ---------------------------------------------------------------- the municipality report
def report_pdf(report: Report, pngs: Mapping[str, bytes]) -> bytes:
    """The municipality report; ``pngs`` maps chart names to their PNG bytes."""
    s = _styles()
    buffer = io.BytesIO()
    doc = _document(buffer, f"{report.title} – {report.municipality}")
    width = doc.width
    story: list[object] = [
        _p(report.title, s["title"]),
        _p(
            f"{report.municipality} · År: {report.years_text}"
            + (f" · Basisår: {report.baseline}" if report.baseline else "")
            + f" · {report.n_responses_text} svar · Dannet {report.generated_text}",
            s["meta"],
        ),
        Spacer(1, 0.4 * cm),
        _p(f"Strategiens mål {report.latest}", s["h1"]),
        _p(
            "Tabellen viser strategiens målindikatorer: årets tal for hele kommunen med 95 % sikkerhedsinterval, "
            "udviklingen, målet og om målet er nået. Metoden er forklaret bagerst i rapporten.",
            s["body"],
        ),
    ]
    rows: list[list[object]] = [[_p(h, s["cellb"]) for h in ("Indikator", "I år", "Udvikling", "Mål", "Vurdering")]]
    for g in report.goals:
        verdict = f"<b>{escape(g.verdict)}</b>" + (f"<br/>{escape(g.verdict_text)}" if g.verdict_text else "")
        rows.append([
            _p(g.label, s["cellb"]),
            Paragraph(f"<b>{escape(g.this_year)}</b>" + (f"<br/>{escape(g.ci)}" if g.ci else ""), s["cell"]),
            _p(g.development, s["cell"]),
            _p(g.target, s["cell"]),
            Paragraph(verdict, s["cell"]),
        ])
    story.append(_table(rows, [0.24 * width, 0.14 * width, 0.22 * width, 0.13 * width, 0.27 * width]))
    story.append(Spacer(1, 0.3 * cm))
    story.append(_p("Indhold", s["h2"]))
    for index, section in enumerate(report.sections, start=1):
        story.append(_p(f"{index}. {section.label}", s["meta"]))
    story.append(_p(f"{len(report.sections) + 1}. Sådan er tallene lavet", s["meta"]))
    for index, section in enumerate(report.sections, start=1):
        story.append(PageBreak())
        story.append(_p(f"{index}. {section.label}", s["h1"]))
        story.append(_p(section.summary + (f" Mål: {section.target}." if section.target else ""), s["body"]))
        for chart in section.charts:
            story.append(CondPageBreak(6 * cm))
            story.append(_image(pngs[chart.name], width, doc.height * 0.9))
            story.append(Spacer(1, 0.2 * cm))
        story.append(_section_table(section, report, s, width))
    story.append(PageBreak())
    story.append(_p(f"{len(report.sections) + 1}. Sådan er tallene lavet", s["h1"]))
    for heading, paragraphs in report.method:
        block = [_p(heading, s["h2"])] + [_p(p, s["body"]) for p in paragraphs]
        story.append(KeepTogether(block))
    doc.build(story, onFirstPage=_footer(report.title), onLaterPages=_footer(report.title))
    return buffer.getvalue()


def _section_table(section, report: Report, s, width: float) -> Table:
    label = "Andel" if section.share else "Gennemsnit"
    rows: list[list[object]] = [[
        _p("Gruppe", s["cellb"]), _p("n", s["numb"]), _p(label, s["numb"]), _p("95 % CI", s["numb"]),
        _p("Sammenligninger og konklusioner", s["cellb"]),
    ]]
    bold = []
    spans = []
    for t in section.table:
        r = len(rows)
        name = _p(t.group, s["cellb"] if t.municipality else s["cell"])
        if t.municipality:
            bold.append(r)
        if t.hidden:
            rows.append([name, Paragraph(f"<i>{escape(t.estimate)}</i>", s["cell"]), "", "", ""])
            spans.append(r)
            continue
        flat: list[object] = []
        for c in t.comparisons:
            flat.append(Paragraph(f"<b>{escape(c.title)}:</b> {escape(c.conclusion)}", s["cell"]))
            if c.detail:
                flat.append(_p(c.detail, s["small"]))
        rows.append([name, _p(t.n, s["num"]), _p(t.estimate, s["num"]), _p(t.ci, s["num"]), flat])
    table = _table(rows, [0.14 * width, 0.07 * width, 0.12 * width, 0.12 * width, 0.55 * width], bold_rows=bold)
    table.setStyle(TableStyle([("SPAN", (1, r), (-1, r)) for r in spans]))
    return table


# ---------------------------------------------------------------- one page per school
def school_pdf(page: SchoolPage, *, title: str, threshold: int, municipality: str) -> bytes:
    """One landscape page: the school against the rest of the municipality and its own earlier years."""
    s = _styles()
    buffer = io.BytesIO()
    doc = _document(buffer, f"{page.school} – {title}", landscape(A4))
    width = doc.width
    header = [
        _p(f"{page.school}: {title}", s["title"]),
        _p(
            f"Til skolens ledelse. {municipality}, {page.year}. Skolen sammenlignes med resten af kommunen og med sine "
            f"egne tidligere år. Tal med færre end {threshold} svar vises ikke. Et sikkerhedsinterval (CI) er det "
            "område, det sande tal med stor sandsynlighed ligger i.",
            s["meta"],
        ),
        Spacer(1, 0.3 * cm),
    ]
    heads = ("Indikator", f"Skolen {page.year} (95 % CI)", "Resten af kommunen", "Skolen tidligere år",
             "Mod resten af kommunen", "Mod året før")
    rows: list[list[object]] = [[_p(h, s["cellb"]) for h in heads]]
    spans = []
    for line in page.lines:
        if line.hidden:
            spans.append(len(rows))
            rows.append([_p(line.label, s["cellb"]), Paragraph(f"<i>{escape(line.school)}</i>", s["cell"]), "", "", "", ""])
            continue
        rows.append([
            _p(line.label, s["cellb"]), _p(line.school, s["cell"]), _p(line.rest, s["cell"]), _p(line.earlier, s["cell"]),
            _p(line.vs_rest, s["cell"]), _p(line.vs_previous, s["cell"]),
        ])
    table = _table(rows, [0.2 * width, 0.13 * width, 0.09 * width, 0.14 * width, 0.22 * width, 0.22 * width])
    table.setStyle(TableStyle([("SPAN", (1, r), (-1, r)) for r in spans]))
    story = [KeepInFrame(width, doc.height, [*header, table], mode="shrink")]
    doc.build(story, onFirstPage=_footer(f"{page.school} · {title}"))
    return buffer.getvalue()


# ---------------------------------------------------------------- theme days
def event_pdf(event: EventReport, pngs: Mapping[str, bytes]) -> bytes:
    s = _styles()
    buffer = io.BytesIO()
    title = f"Evaluering: {event.name}"
    doc = _document(buffer, title)
    width = doc.width
    story: list[object] = [
        _p(title, s["title"]),
        _p((f"Afholdt {event.held_on_text} · " if event.held_on else "") + event.n_text, s["meta"]),
        Spacer(1, 0.3 * cm),
    ]
    if event.hidden:
        story.append(_p(f"{event.hidden}. Af hensyn til anonymiteten vises ingen resultater.", s["body"]))
    else:
        story.append(_p("Hovedtal", s["h1"]))
        story.append(_table([[_p(label, s["cell"]), _p(value, s["num"])] for label, value in event.indicators],
                            [0.7 * width, 0.3 * width], header=False))
        story.append(_p("Fordelinger og prioriteter", s["h1"]))
        for chart in event.charts:
            story.append(CondPageBreak(5 * cm))
            story.append(_image(pngs[chart.name], width, doc.height * 0.8))
        story.append(_p("Antal svar pr. spørgsmål", s["h1"]))
        for question, rows in event.counts:
            data = [[_p(question, s["cellb"]), _p("Antal", s["numb"]), _p("Andel", s["numb"])]]
            data += [[_p(label, s["cell"]), _p(str(count), s["num"]), _p(pct, s["num"])] for label, count, pct in rows]
            story.append(KeepTogether(_table(data, [0.7 * width, 0.15 * width, 0.15 * width])))
            story.append(Spacer(1, 0.2 * cm))
        story.append(_p("Kommentarer", s["h1"]))
        for question, texts in event.free_text:
            story.append(_p(question, s["h2"]))
            story.extend(_p(f"»{t}«", s["quote"]) for t in texts)
            if not texts:
                story.append(_p("Ingen kommentarer.", s["body"]))
    doc.build(story, onFirstPage=_footer(title), onLaterPages=_footer(title))
    return buffer.getvalue()
