"""The municipality report as a PDF: the results in sentences on page 1, one indicator per page, the appendix.

Pagination rules, so that no page is left mostly empty and nothing is cut from
what explains it:

* an indicator starts on a new page unless the current one is still less than a
  third full (then it continues there);
* an indicator's heading, sentences and first chart stay together, and a table
  stays with its heading (it moves to the next page whole when it fits there;
  a longer one repeats its header row on every page);
* an indicator's charts shrink (down to ``MIN_CHART_SCALE``) when that makes the
  whole indicator fit on one page.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from .content import GoalLine, IndicatorSection, Report
from .pdf import BLUE, document, footer, grid, image, para, styles
from .sentences import DEMO_NOTICE, READING_GUIDE

__all__ = ["MIN_CHART_SCALE", "report_pdf"]

MIN_CHART_SCALE = 0.7
_SLACK = 0.8 * cm  # what measuring the pieces one by one misses (paddings, rounding)
_STATUS_COLOUR = {"met": "#00603F", "not_met": "#9A3A00", "uncertain": "#333333", "hidden": "#333333", "none": "#333333"}


def report_pdf(report: Report, pngs: Mapping[str, bytes]) -> bytes:
    """The municipality report; ``pngs`` maps chart names to their PNG bytes."""
    s = styles()
    buffer = io.BytesIO()
    doc = document(buffer, f"{report.title} – {report.municipality}")
    story: list[object] = _front(report, s, doc.width)
    story.append(PageBreak())
    for index, section in enumerate(report.sections, start=1):
        story.append(CondPageBreak(doc.height * 2 / 3))
        story.extend(_section(index, section, report, pngs, s, doc.width, doc.height))
    story.append(PageBreak())
    story.extend(_appendix(report, s, doc.width))
    doc.build(story, onFirstPage=footer(report.title), onLaterPages=footer(report.title))
    return buffer.getvalue()


def _front(report: Report, s, width: float) -> list[object]:
    story: list[object] = [
        para(report.title, s["title"]),
        para(
            f"{report.municipality} · År: {report.years_text}"
            + (f" · Basisår: {report.baseline}" if report.baseline else "")
            + f" · {report.n_responses_text} svar · Dannet {report.generated_text}",
            s["meta"],
        ),
        Spacer(1, 0.3 * cm),
    ]
    if report.demo:
        notice = Table([[para(DEMO_NOTICE, s["body"])]], colWidths=[width])
        notice.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#9A3A00")),
                                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FFF4E5"))]))
        story += [notice, Spacer(1, 0.3 * cm)]
    if report.held:
        story += [para(report.held_text, s["body"]), Spacer(1, 0.2 * cm)]
    story.append(para(f"Hovedresultater {report.latest}", s["h1"]))
    story.append(para(READING_GUIDE, s["body"]))
    if not report.goals:
        story.append(para("Der er ikke sat mål for nogen indikator endnu (Konsol → Mål og landstal).", s["body"]))
    for goal in report.goals:
        story.append(KeepTogether(_goal(goal, s, width)))
    story.append(Spacer(1, 0.2 * cm))
    lines = [f"{i}. {section.label}" for i, section in enumerate(report.sections, start=1)]
    lines.append(f"{len(report.sections) + 1}. Sådan er tallene lavet")
    rows = -(-len(lines) // 3)
    columns = [lines[i * rows:(i + 1) * rows] for i in range(3)]
    contents = [[para(c[r] if r < len(c) else "", s["cell"]) for c in columns] for r in range(rows)]
    story.append(KeepTogether([para("Indhold", s["h2"]), grid(contents, [width / 3] * 3, header=False)]))
    return story


def _goal(goal: GoalLine, s, width: float) -> list[object]:
    colour = _STATUS_COLOUR.get(goal.status_key, "#333333")
    left = [para(goal.label, s["cellb"]), Paragraph(f"<b>{escape(goal.headline)}</b>", s["figure"])]
    if goal.interval:
        left.append(para(goal.interval, s["cell"]))
    if goal.status:
        left.append(Paragraph(f'<font color="{colour}"><b>{escape(goal.status)}</b></font>', s["cell"]))
    right = [para(text, s["goal"]) for text in (goal.change, " ".join(goal.target), *goal.references) if text]
    row = Table([[left, right]], colWidths=[0.27 * width, 0.73 * width])
    row.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, BLUE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return [row]


def _section(index: int, section: IndicatorSection, report: Report, pngs, s, width: float, height: float) -> list[object]:
    heading = [para(f"{index}. {section.label}", s["h1"])] + [para(t, s["body"]) for t in section.summary]
    tables = _tables(section, report, s, width)
    charts = [pngs[c.name] for c in section.charts]
    natural = [image(png, width, height * 0.6) for png in charts]
    parts = heading + [f for group in tables for f in group]
    used = sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in parts)
    used += 0.25 * cm * (len(natural) + 2)
    need = sum(f.drawHeight for f in natural)
    room = height - _SLACK
    scale = 1.0
    if natural and used + need > room and used + need * MIN_CHART_SCALE <= room:
        scale = (room - used) / need
    images = [image(png, width * scale, height * 0.6 * scale) for png in charts]
    first, rest = images[:1], images[1:]
    story: list[object] = [KeepTogether(heading + first)]
    for picture in rest:
        story += [Spacer(1, 0.2 * cm), picture]
    story += [Spacer(1, 0.25 * cm), *(KeepTogether(group) for group in tables)]
    return story


def _tables(section: IndicatorSection, report: Report, s, width: float) -> list[list[object]]:
    """The schools' table and the municipality's comparisons, each with its heading."""
    label = "Andel" if section.share else "Gns."
    rows: list[list[object]] = [[
        para("Skole", s["cellb"]), para("Svar", s["numb"]), para(label, s["numb"]), para("95 % CI", s["numb"]),
        para("Forskel (95 % CI)", s["numb"]), para("Mod resten af kommunen", s["cellb"]),
    ]]
    bold, spans = [], []
    for line in section.table:
        r = len(rows)
        name = para(line.group, s["cellb"] if line.municipality else s["cell"])
        if line.municipality:
            bold.append(r)
        if line.hidden:
            rows.append([name, Paragraph(f"<i>{escape(line.estimate)}</i>", s["cell"]), "", "", "", ""])
            spans.append(r)
            continue
        rows.append([name, para(line.n, s["num"]), para(line.estimate, s["num"]), para(line.ci, s["num"]),
                     para(line.difference, s["num"]), para(line.versus, s["cell"])])
    widths = [0.2, 0.08, 0.09, 0.13, 0.16, 0.34]
    table = grid(rows, [w * width for w in widths], bold_rows=bold)
    table.setStyle(TableStyle([("SPAN", (1, r), (-1, r)) for r in spans]))
    out = [[para(f"Skolerne i {report.latest}", s["h2"]), table]]
    if section.municipality:
        lines = [[Paragraph(f"<b>{escape(c.title)}:</b> {escape(c.conclusion)}", s["cell"])] for c in section.municipality]
        block = grid(lines, [width], header=False)
        out.append([para("Kommunen over tid og mod andre tal", s["h2"]), block])
    return out


def _appendix(report: Report, s, width: float) -> list[object]:
    story: list[object] = [para(f"{len(report.sections) + 1}. Sådan er tallene lavet", s["h1"])]
    for heading, paragraphs in report.method:
        story.append(KeepTogether([para(heading, s["h2"])] + [para(p, s["body"]) for p in paragraphs]))
    if report.details:
        heads = ("Indikator", "Sammenligning", "Test", "p", "Justeret p", "Designeffekt")
        rows: list[list[object]] = [[para(h, s["cellb"]) for h in heads]]
        for d in report.details:
            rows.append([para(d.indicator, s["cell"]), para(d.comparison, s["cell"]), para(d.test, s["cell"]),
                         para(d.p, s["cell"]), para(d.p_adjusted, s["cell"]), para(d.deff, s["num"])])
        intro = para(
            "Testene bag kommunens sammenligninger i rapporten. Skolernes test står i resultatfilerne "
            "(results.json og results.csv) sammen med alle tal.", s["body"],
        )
        table = grid(rows, [w * width for w in (0.24, 0.2, 0.18, 0.09, 0.21, 0.08)])
        # a long table starts where there is room for its heading and first rows, and runs on
        # (its header repeated), rather than leaving most of a page empty by moving whole
        story += [CondPageBreak(5 * cm), para("Test og p-værdier for kommunen", s["h2"]), intro, table]
    return story
