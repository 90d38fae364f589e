"""QR slips: print-ready A4 PDF pages of single-use links, 3 × 7 per page with cut marks.

Knows nothing about HTTP: takes the issued links and their labels, returns PDF
bytes. QR codes come from segno and are drawn as vector squares, so they stay
sharp at any printer resolution; each module is about 0.7 mm, which phone
cameras read easily at arm's length.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from exports.fonts import FONT, FONT_BOLD, FONT_OBLIQUE, register_fonts
from surveys.answering.links import IssuedLink, format_code

__all__ = ["ANONYMITY_LINE", "Slip", "SlipLayout", "qr_svg", "slips_pdf", "typing_address"]

ANONYMITY_LINE = "Anonymt: ingen kan se, hvem der har svaret hvad. Skriv ikke dit navn."


@dataclass(frozen=True)
class Slip:
    """One slip: the link and the label printed on it (school and class)."""

    link: IssuedLink
    label: str


@dataclass(frozen=True)
class SlipLayout:
    columns: int = 3
    rows: int = 7
    margin_x: float = 10 * mm
    margin_y: float = 12 * mm
    padding: float = 3 * mm
    qr_size: float = 25 * mm

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


def qr_svg(url: str, *, scale: int = 6) -> str:
    """An inline ``<svg>`` of the QR code for ``url`` (for print views and the class session screen)."""
    # omitsize: a viewBox instead of a fixed size, so CSS can make it as large as the screen allows
    return segno.make(url, error="m").svg_inline(scale=scale, border=2, title="QR-kode", omitsize=True)


def slips_pdf(
    slips: Sequence[Slip],
    *,
    heading: str,
    typing_address: str,
    anonymity_line: str = ANONYMITY_LINE,
    layout: SlipLayout = SlipLayout(),
) -> bytes:
    """A4 pages of slips with cut marks; ``typing_address`` is where the short code can be typed."""
    if not slips:
        raise ValueError("no slips to print")
    buffer = io.BytesIO()
    register_fonts()  # names in any script print as themselves, not as black boxes
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(heading)
    canvas.setAuthor("trivsel")
    page_w, page_h = A4
    cell_w = (page_w - 2 * layout.margin_x) / layout.columns
    cell_h = (page_h - 2 * layout.margin_y) / layout.rows
    for start in range(0, len(slips), layout.per_page):
        _cut_marks(canvas, layout, cell_w, cell_h)
        for index, slip in enumerate(slips[start : start + layout.per_page]):
            row, column = divmod(index, layout.columns)
            x = layout.margin_x + column * cell_w
            y = page_h - layout.margin_y - (row + 1) * cell_h
            _slip(canvas, slip, x, y, cell_w, cell_h, layout, heading, typing_address, anonymity_line)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cut_marks(canvas: Canvas, layout: SlipLayout, cell_w: float, cell_h: float) -> None:
    page_w, page_h = A4
    left, right = layout.margin_x, page_w - layout.margin_x
    bottom, top = layout.margin_y, page_h - layout.margin_y
    mark = 6 * mm
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0)
    for column in range(layout.columns + 1):  # marks in the top and bottom margins
        x = left + column * cell_w
        canvas.line(x, top + 2 * mm, x, top + 2 * mm + mark)
        canvas.line(x, bottom - 2 * mm, x, bottom - 2 * mm - mark)
    for row in range(layout.rows + 1):  # marks in the left and right margins
        y = bottom + row * cell_h
        canvas.line(left - 2 * mm, y, left - 2 * mm - mark, y)
        canvas.line(right + 2 * mm, y, right + 2 * mm + mark, y)
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.3)
    arm = 1.5 * mm
    for column in range(1, layout.columns):  # small crosses where inner cut lines meet
        for row in range(layout.rows + 1):
            x, y = left + column * cell_w, bottom + row * cell_h
            canvas.line(x - arm, y, x + arm, y)
            canvas.line(x, y - arm, x, y + arm)
    for row in range(1, layout.rows):
        for x in (left, right):
            y = bottom + row * cell_h
            canvas.line(x - arm, y, x + arm, y)
            canvas.line(x, y - arm, x, y + arm)


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as filled squares, quiet zone included, with (x, y) the lower left corner."""
    qr = segno.make(url, error="m")
    matrix = [list(row) for row in qr.matrix_iter(border=2)]
    module = size / len(matrix)
    canvas.setFillGray(0)
    for r, line in enumerate(matrix):
        c = 0
        while c < len(line):
            if line[c]:
                run = c
                while run < len(line) and line[run]:
                    run += 1
                # a tiny overlap avoids hairline gaps between squares in some viewers
                canvas.rect(x + c * module, y + size - (r + 1) * module, (run - c) * module + 0.05, module + 0.05, stroke=0, fill=1)
                c = run
            else:
                c += 1


def _text(canvas: Canvas, text: str, x: float, y: float, width: float, font: str, size: float, max_lines: int) -> float:
    """Write wrapped text from the top at ``y``; return the y below it."""
    lines = simpleSplit(text, font, size, width)[:max_lines]
    canvas.setFont(font, size)
    for line in lines:
        y -= size * 1.15
        canvas.drawString(x, y, line)
    return y


def _slip(
    canvas: Canvas,
    slip: Slip,
    x: float,
    y: float,
    w: float,
    h: float,
    layout: SlipLayout,
    heading: str,
    typing_address: str,
    anonymity_line: str,
) -> None:
    pad, qr = layout.padding, layout.qr_size
    top = y + h - pad
    _qr(canvas, slip.link.url, x + pad - 1 * mm, top - qr, qr)
    canvas.setFillGray(0)
    tx = x + pad + qr + 1 * mm
    tw = x + w - pad - tx
    ty = _text(canvas, heading, tx, top, tw, FONT_BOLD, 7.5, 2)
    ty = _text(canvas, slip.label, tx, ty - 0.5 * mm, tw, FONT, 8, 2)
    ty = _text(canvas, "Kode:", tx, ty - 1 * mm, tw, FONT, 6.5, 1)
    ty = _text(canvas, format_code(slip.link.code), tx, ty, tw, "Courier-Bold", 11, 1)
    ty = _text(canvas, "Skriv koden på", tx, ty - 1 * mm, tw, FONT, 6.5, 1)
    _text(canvas, typing_address, tx, ty, tw, FONT_BOLD, 6.5, 2)
    _text(canvas, anonymity_line, x + pad, top - qr - 0.5 * mm, w - 2 * pad, FONT_OBLIQUE, 6.5, 2)


def typing_address(base_url: str) -> str:
    """Where a pupil types the code: the host (and any path) without the scheme."""
    parts = urlsplit(base_url)
    return (parts.netloc + parts.path).rstrip("/")
