"""HTML pieces of the printable monthly report and the zone QR posters.

Everything that comes from the database is escaped here: table cells and captions are escaped
unless the caller wraps them in ``Html`` (markup our own code built). Nothing points outside the
file: no CDN scripts, no web fonts, no remote images, so a report opens offline and prints as sent.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif'
)

# A4 is 210 mm wide; 14 mm margins leave 182 mm, about 688 CSS px: charts are drawn 660 px wide.
CHART_WIDTH_PX = 660

REPORT_CSS = """
@page { size: A4 portrait; margin: 14mm 14mm 16mm; }
:root { --green: #1E8449; --ink: #1b2a1f; --muted: #5d6d63; --line: #d5dfd8; --soft: #eef6f0; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0; background: #e9eeea;
       font-size: 10.5pt; line-height: 1.5; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
main { width: 210mm; margin: 8mm auto; background: #fff; padding: 14mm; box-shadow: 0 1px 6px rgba(0,0,0,.15); }
header.cover { border-bottom: 4px solid var(--green); padding-bottom: 6px; margin-bottom: 12px; }
.kicker { color: var(--green); font-weight: 700; letter-spacing: .08em; font-size: 10pt; margin: 0; }
h1 { font-size: 22pt; margin: 2px 0 2px; line-height: 1.25; }
.meta { color: var(--muted); font-size: 9pt; margin: 2px 0; }
h2 { font-size: 14pt; color: var(--green); border-left: 5px solid var(--green); padding-left: 8px;
     margin: 18px 0 8px; break-after: avoid; }
h3 { font-size: 11pt; margin: 12px 0 4px; break-after: avoid; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 7px 10px; background: var(--soft);
       break-inside: avoid; }
.kpi b { display: block; font-size: 20pt; line-height: 1.2; color: var(--green); font-variant-numeric: tabular-nums; }
.kpi span { font-size: 9pt; color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 700; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, .nowrap { white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
tr.new td { background: #fcf3cf; }
tr.late td.num.late { color: #C0392B; font-weight: 700; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
.badge { display: inline-block; font-size: 7.5pt; line-height: 1.5; padding: 0 5px; border-radius: 7px;
         margin-left: 4px; color: #fff; background: var(--green); white-space: nowrap; }
.badge.new { background: #B7950B; }
.badge.sensitive { background: #7D3C98; }
.badge.invasive { background: #C0392B; }
.sci { font-style: italic; color: var(--muted); }
.note { color: var(--muted); font-size: 8.5pt; margin: 2px 0 6px; }
.chart { break-inside: avoid; margin: 6px 0 12px; }
.photos { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
figure.photo { margin: 0; break-inside: avoid; border: 1px solid var(--line); border-radius: 4px; overflow: hidden; }
figure.photo img { width: 100%; height: 42mm; object-fit: cover; display: block; }
figure.photo figcaption { font-size: 8.5pt; padding: 3px 6px; line-height: 1.4; }
section.break { break-before: page; }
section.summary { break-inside: avoid; }  /* the residents' page: one A4 sheet */
section.summary h2 { font-size: 15pt; margin-top: 10px; }
section.summary .lead { font-size: 10.5pt; margin: 0 0 6px; }
section.summary .kpi { padding: 4px 8px; }
section.summary .kpi b { font-size: 17pt; }
.blocks { column-count: 2; column-gap: 16px; margin-top: 2px; }  /* blocks flow into balanced columns */
.block { break-inside: avoid; display: inline-block; width: 100%; }
.block h3 { color: var(--green); margin: 7px 0 1px; }
.block ul { margin: 0; padding-left: 1.1em; line-height: 1.4; }
.block li { margin: 1px 0; }
.badge.kind { background: var(--muted); }
.followup { margin: 0 0 2px; }
.followup.overdue { color: #C0392B; font-weight: 700; }
.followup.done { color: var(--green); }
footer { margin-top: 16px; color: var(--muted); font-size: 8pt; border-top: 1px solid var(--line); padding-top: 4px; }
@media print {
  body { background: #fff; }
  main { width: auto; margin: 0; padding: 0; box-shadow: none; }
}
@media screen and (max-width: 640px) {  /* a phone: the page reflows instead of being an A4 sheet */
  main { width: auto; margin: 0; padding: 14px 12px; box-shadow: none; }
  .kpis { grid-template-columns: repeat(2, 1fr); }
  .blocks { column-count: 1; }
  table { display: block; overflow-x: auto; }
  td.num, th.num { white-space: nowrap; }
  th:not(.num), td:not(.num) { min-width: 6.5em; }  /* text columns stay readable; the table scrolls */
}
""".replace("FONTS", FONT_STACK)

POSTER_CSS = """
@page { size: A4 portrait; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; font-family: FONTS; color: #1b2a1f; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.poster { width: 210mm; height: 296mm; padding: 16mm 16mm 12mm; display: flex; flex-direction: column;
          align-items: center; text-align: center; overflow: hidden; background: #fff;
          border-top: 10mm solid #1E8449; break-after: page; page-break-after: always; }
.poster:last-child { break-after: auto; page-break-after: auto; }
.garden { font-size: 30pt; font-weight: 800; color: #1E8449; margin: 2mm 0 0; }
.zone { font-size: 46pt; font-weight: 800; margin: 2mm 0 0; line-height: 1.15; }
.zone-en { font-size: 16pt; color: #5d6d63; margin: 1mm 0 0; }
.invite { font-size: 26pt; font-weight: 700; margin: 6mm 0 4mm; }
.qr { width: 130mm; height: 130mm; image-rendering: pixelated; }
.hint { font-size: 14pt; margin: 3mm 0 1mm; }
.url { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 11pt; word-break: break-all; color: #333; }
.app { margin-top: auto; font-size: 12pt; color: #5d6d63; }
.local-warning { font-size: 14pt; font-weight: 700; color: #922B21; border: 1mm solid #922B21;
                 padding: 2mm 4mm; margin: 0 0 2mm; }
@media screen {
  body { background: #e9eeea; }
  .poster { margin: 8mm auto; box-shadow: 0 1px 6px rgba(0,0,0,.15); }
}
""".replace("FONTS", FONT_STACK)


class Html(str):
    """Markup built by our own code; everything else is escaped on the way into the page."""

    def __add__(self, other: object) -> Html:
        return Html(str.__add__(self, esc(other)))


def esc(value: object) -> Html:
    if isinstance(value, Html):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Html("—")
    return Html(html.escape(str(value)))


def join(parts: Iterable[object]) -> Html:
    return Html("".join(esc(p) for p in parts))


def tag(name: str, content: object = "", cls: str = "") -> Html:
    """<name class="cls">content</name>, the content escaped unless it is ``Html``."""
    cls_attr = f' class="{html.escape(cls)}"' if cls else ""
    return Html(f"<{name}{cls_attr}>{esc(content)}</{name}>")


def table(
    headers: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[object]],
    row_classes: Sequence[str] | None = None,
    total: Sequence[object] | None = None,
) -> Html:
    """headers: (label, css class of the column); cells are escaped unless they are ``Html``."""
    classes = [c for _, c in headers]
    head = "".join(tag("th", label, cls) for label, cls in headers)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(tag("td", cell, cls) for cell, cls in zip(row, classes))
        row_cls = row_classes[i] if row_classes else ""
        body.append(f'<tr class="{html.escape(row_cls)}">{cells}</tr>' if row_cls else f"<tr>{cells}</tr>")
    if total is not None:
        cells = "".join(tag("td", cell, cls) for cell, cls in zip(total, classes))
        body.append(f'<tr class="total">{cells}</tr>')
    return Html(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def kpi(name: str, value: str, label: str) -> Html:
    return Html(
        f'<div class="kpi" data-kpi="{html.escape(name)}"><b>{esc(value)}</b><span>{esc(label)}</span></div>'
    )


def document(*, lang: str, title: str, css: str, body: str, head_script: str = "") -> str:
    """A whole page; ``head_script`` is a library inlined once (plotly.js), never a URL."""
    html_lang = "zh-CN" if lang == "zh" else "en"
    script = (
        f'<script type="text/javascript" data-library="plotly">{head_script}</script>' if head_script else ""
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n{script}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
