"""PDF building blocks (fonts, styles, tables, footer), the school one-pagers and the theme-day reports.

The municipality report itself is laid out in :mod:`.report_pdf` with these blocks (reportlab platypus).

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

from .content import SchoolPage
from .events import EventReport

__all__ = ["BLUE", "FONT", "LIGHT", "LINE", "document", "event_pdf", "footer", "grid", "image", "para", "school_pdf", "styles"]

rl_config.useA85 = 0  # binary streams: smaller files, and no slow pure-Python ASCII85 of the chart images
BLUE = colors.HexColor("#0072B2")
LIGHT = colors.HexColor("#EEF3F8")
LINE = colors.HexColor("#999999")


def styles() -> dict[str, ParagraphStyle]:
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
        "figure": ParagraphStyle("figure", base, fontName=f"{FONT}-Bold", fontSize=15, leading=19, spaceAfter=1),
        "goal": ParagraphStyle("goal", base, fontSize=9.5, leading=12.5, spaceAfter=3),
        "quote": ParagraphStyle("quote", base, fontSize=8.5, leading=11, leftIndent=10, borderPadding=(0, 0, 0, 4)),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def grid(data: list[list[object]], widths: Sequence[float], *, header: bool = True, bold_rows: Sequence[int] = ()) -> Table:
    """A table with a light header row repeated on every page it spans, and thin rules."""
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


def image(png: bytes, max_width: float, max_height: float) -> Image:
    width, height = ImageReader(io.BytesIO(png)).getSize()
    scale = min(max_width / width, max_height / height)
    return Image(io.BytesIO(png), width=width * scale, height=height * scale)


def footer(text: str):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillGray(0.3)
        width, _ = doc.pagesize
        canvas.drawString(doc.leftMargin, 1.0 * cm, text)
        canvas.drawRightString(width - doc.rightMargin, 1.0 * cm, f"Side {doc.page}")
        canvas.restoreState()

    return draw


class _Document(SimpleDocTemplate):
    """A document whose first-level headings are also PDF bookmarks (the reader's outline pane)."""

    def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab's hook
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "title"):
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0)


def document(buffer: io.BytesIO, title: str, pagesize=A4) -> SimpleDocTemplate:
    """An A4 document with the report's margins and metadata; first-level headings become bookmarks."""
    return _Document(
        buffer, pagesize=pagesize, title=title, author="trivsel", subject=title, creator="trivsel", lang="da-DK",
        leftMargin=1.8 * cm, rightMargin=1.8 * cm, topMargin=1.6 * cm, bottomMargin=1.7 * cm,
    )


# ---------------------------------------------------------------- one page per school
def school_pdf(page: SchoolPage, *, title: str, threshold: int, municipality: str) -> bytes:
    """One landscape page: the school against the rest of the municipality and its own earlier years."""
    s = styles()
    buffer = io.BytesIO()
    doc = document(buffer, f"{page.school} – {title}", landscape(A4))
    width = doc.width
    header = [
        para(f"{page.school}: {title}", s["title"]),
        para(
            f"Til skolens ledelse. {municipality}, {page.year}. Skolen sammenlignes med resten af kommunen og med sine "
            f"egne tidligere år. Tal med færre end {threshold} svar vises ikke. Et sikkerhedsinterval (CI) er det "
            "område, det sande tal med stor sandsynlighed ligger i.",
            s["meta"],
        ),
        Spacer(1, 0.3 * cm),
    ]
    heads = ("Indikator", f"Skolen {page.year} (95 % CI)", "Resten af kommunen", "Skolen tidligere år",
             "Mod resten af kommunen", "Mod året før")
    rows: list[list[object]] = [[para(h, s["cellb"]) for h in heads]]
    spans = []
    for line in page.lines:
        if line.hidden:
            spans.append(len(rows))
            rows.append([para(line.label, s["cellb"]), Paragraph(f"<i>{escape(line.school)}</i>", s["cell"]), "", "", "", ""])
            continue
        rows.append([
            para(line.label, s["cellb"]), para(line.school, s["cell"]), para(line.rest, s["cell"]), para(line.earlier, s["cell"]),
            para(line.vs_rest, s["cell"]), para(line.vs_previous, s["cell"]),
        ])
    table = grid(rows, [0.2 * width, 0.13 * width, 0.09 * width, 0.14 * width, 0.22 * width, 0.22 * width])
    table.setStyle(TableStyle([("SPAN", (1, r), (-1, r)) for r in spans]))
    story = [KeepInFrame(width, doc.height, [*header, table], mode="shrink")]
    doc.build(story, onFirstPage=footer(f"{page.school} · {title}"))
    return buffer.getvalue()


# ---------------------------------------------------------------- theme days
def event_pdf(event: EventReport, pngs: Mapping[str, bytes]) -> bytes:
    s = styles()
    buffer = io.BytesIO()
    title = f"Evaluering: {event.name}"
    doc = document(buffer, title)
    width = doc.width
    story: list[object] = [
        para(title, s["title"]),
        para((f"Afholdt {event.held_on_text} · " if event.held_on else "") + event.n_text, s["meta"]),
        Spacer(1, 0.3 * cm),
    ]
    if event.hidden:
        story.append(para(f"{event.hidden}. Af hensyn til anonymiteten vises ingen resultater.", s["body"]))
    else:
        story.append(para("Hovedtal", s["h1"]))
        story.append(grid([[para(label, s["cell"]), para(value, s["num"])] for label, value in event.indicators],
                            [0.7 * width, 0.3 * width], header=False))
        story.append(para("Fordelinger og prioriteter", s["h1"]))
        for chart in event.charts:
            story.append(CondPageBreak(5 * cm))
            story.append(image(pngs[chart.name], width, doc.height * 0.8))
        story.append(para("Antal svar pr. spørgsmål", s["h1"]))
        for question, rows in event.counts:
            data = [[para(question, s["cellb"]), para("Antal", s["numb"]), para("Andel", s["numb"])]]
            data += [[para(label, s["cell"]), para(str(count), s["num"]), para(pct, s["num"])] for label, count, pct in rows]
            story.append(KeepTogether(grid(data, [0.7 * width, 0.15 * width, 0.15 * width])))
            story.append(Spacer(1, 0.2 * cm))
        story.append(para("Kommentarer", s["h1"]))
        for question, texts in event.free_text:
            story.append(para(question, s["h2"]))
            story.extend(para(f"»{t}«", s["quote"]) for t in texts)
            if not texts:
                story.append(para("Ingen kommentarer.", s["body"]))
    doc.build(story, onFirstPage=footer(title), onLaterPages=footer(title))
    return buffer.getvalue()
