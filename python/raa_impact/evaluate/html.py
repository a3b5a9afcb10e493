"""The report as one self-contained HTML file: figures embedded as PNG, no script, no fetches.

Every string that may come from the data (LA and RAA names, codes, file names, messages) goes
through :func:`html.escape` or pandas' escaping table writer, so a crafted return cannot put
markup or script into the report.
"""
from __future__ import annotations

import base64
import io
from html import escape
from typing import Any, List

import pandas as pd

#: Rows shown per table in the HTML; the CSV beside the report has them all.
MAX_ROWS = 60

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.7em}h2{border-bottom:2px solid #446;padding-bottom:.2em;margin-top:2em}
nav ol{columns:2}table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}th{background:#eef}caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.9em;color:#444}
.failed{background:#fee;border-left:4px solid #c33;padding:.5em 1em}.note{background:#ffd;border-left:4px solid #cb3;padding:.3em 1em;margin:.3em 0}
.meta{color:#555;font-size:.9em}pre{background:#f6f6f6;padding:.5em;overflow-x:auto}
"""


def figure_png(figure: Any, dpi: int) -> bytes:
    """A matplotlib figure as PNG bytes (closed afterwards, so figures do not pile up)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    figure.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return buf.getvalue()


def table_html(frame: pd.DataFrame, caption: str, csv_name: str) -> str:
    shown = frame.head(MAX_ROWS)
    more = "" if len(frame) <= MAX_ROWS else (
        f'<p class="meta">First {MAX_ROWS} of {len(frame)} rows; all in {escape(csv_name)}.</p>')
    body = shown.to_html(index=False, escape=True, na_rep="", float_format=_fmt, border=0)
    cap = f"<caption>{escape(caption)} <span class=\"meta\">({escape(csv_name)})</span></caption>"
    return body.replace('<table class="dataframe">', f'<table class="dataframe">{cap}', 1) + more


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def section_html(section: Any, pngs: List[bytes], csv_names: List[str]) -> str:
    parts = [f'<section id="{escape(section.key)}" data-status="{"ok" if section.ok else "failed"}">',
             f"<h2>{escape(section.title)}</h2>"]
    if not section.ok:
        parts.append(f'<p class="failed">This section could not be computed: {escape(section.error or "")}</p>')
    parts += [f'<p class="note">{escape(n)}</p>' for n in section.notes]
    parts += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
    for fig, png in zip(section.figures, pngs):
        data = base64.b64encode(png).decode("ascii")
        parts.append(f'<figure><img class="report-figure" alt="{escape(fig.caption)}" '
                     f'src="data:image/png;base64,{data}"><figcaption>{escape(fig.caption)}</figcaption></figure>')
    for table, name in zip(section.tables, csv_names):
        parts.append(table_html(table.frame, table.caption, name))
    parts.append(f'<p class="meta">Computed in {section.seconds:.1f} s.</p></section>')
    return "\n".join(parts)


def page(title: str, subtitle: str, sections_html: List[str], toc: List[Any]) -> str:
    items = "".join(
        f'<li><a href="#{escape(s.key)}">{escape(s.title)}</a>{"" if s.ok else " (not computed)"}</li>' for s in toc)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1><p class=\"meta\">{escape(subtitle)}</p><nav><ol>{items}</ol></nav>"
        + "\n".join(sections_html) + "</body></html>\n"
    )


__all__ = ["page", "section_html", "table_html", "figure_png", "MAX_ROWS"]
