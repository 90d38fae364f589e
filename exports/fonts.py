"""The PDF font: DejaVu Sans (matplotlib ships it), registered once for every PDF trivsel makes.

reportlab's built-in Helvetica only knows Latin-1, so ``Łódź`` or ``Україна`` printed as black
boxes; DejaVu Sans has Latin, Greek and Cyrillic (Arabic letters too, though reportlab does not
join them or set them right to left).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["FONT", "FONT_BOLD", "FONT_OBLIQUE", "register_fonts"]

FONT = "TrivselSans"
FONT_BOLD = f"{FONT}-Bold"
FONT_OBLIQUE = f"{FONT}-Oblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_OBLIQUE: "DejaVuSans-Oblique.ttf",
    f"{FONT}-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}


def register_fonts() -> None:
    """Register the family with reportlab (once per process)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_OBLIQUE, boldItalic=f"{FONT}-BoldOblique")
