"""`preview.css`, as a string: light and dark themes (the system's choice, or the page's
toggle), a layout that stacks on a phone, and the card faces after quizgen's note type.

No CDN, no web fonts: the site opens from disk without a network.
"""

from __future__ import annotations

from pygments.formatters import HtmlFormatter

_DARK = """
  --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23;
  --card-bg: #1c1c1e; --accent: #4493f8; --cloze: #6cb6ff; --flag: #ff7b72; --flag-bg: #3c1618;
  --pressed: #1f6feb; --pressed-fg: #ffffff; --current: #d29922; --code-bg: rgba(110, 118, 129, 0.4);
  color-scheme: dark;
"""

_CSS = """
:root {
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa;
  --card-bg: #ffffff; --accent: #0969da; --cloze: #0969da; --flag: #cf222e; --flag-bg: #ffebe9;
  --pressed: #0969da; --pressed-fg: #ffffff; --current: #bf8700; --code-bg: rgba(175, 184, 193, 0.2);
  color-scheme: light;
}
@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { @DARK@ } }
:root[data-theme="dark"] { @DARK@ }

*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5; font-size: 16px;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: anywhere;
}
a { color: var(--accent); }
.muted { color: var(--muted); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 0.5rem; top: 0.5rem; z-index: 10; background: var(--bg); padding: 0.3rem; }

.site {
  display: flex; align-items: center; gap: 0.75rem; flex-wrap: wrap;
  padding: 0.5rem 1rem; border-bottom: 1px solid var(--border); background: var(--panel);
}
.site .brand { font-weight: 600; color: var(--fg); text-decoration: none; }
.site nav { display: flex; gap: 0.75rem; flex-wrap: wrap; flex: 1; }
button, .button {
  font: inherit; font-size: 0.875rem; color: var(--fg); background: var(--bg);
  border: 1px solid var(--border); border-radius: 999px; padding: 0.2rem 0.7rem; cursor: pointer;
  min-height: 2rem;
}
button:hover { border-color: var(--accent); }
button[aria-pressed="true"] { background: var(--pressed); color: var(--pressed-fg); border-color: var(--pressed); }
button:focus-visible, input:focus-visible, a:focus-visible, .note:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }

main { max-width: 1400px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 0 0 0.5rem; }
.meta { color: var(--muted); font-size: 0.875rem; margin: 0.25rem 0 0.75rem; }
.question { font-size: 1.05rem; font-style: italic; margin: 0.5rem 0 1rem; }

/* index */
.totals { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0.5rem 0 1.25rem; padding: 0; list-style: none; }
.totals li b { font-size: 1.3rem; display: block; }
.table-wrap { overflow-x: auto; }
table.summary { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; font-size: 0.925rem; }
table.summary th, table.summary td { border-bottom: 1px solid var(--border); padding: 0.35rem 0.6rem; text-align: left; overflow-wrap: normal; }
table.summary th { white-space: nowrap; }
table.summary td.num, table.summary th.num { text-align: right; font-variant-numeric: tabular-nums; }
.subject { margin: 1.5rem 0; }
.subject h2 { display: flex; gap: 0.6rem; align-items: baseline; flex-wrap: wrap; }
.subject h2 .muted { font-size: 0.875rem; font-weight: normal; }
ul.docs { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); }
ul.docs li { border: 1px solid var(--border); border-radius: 8px; padding: 0.5rem 0.75rem; background: var(--card-bg); }
ul.docs li a { font-weight: 600; text-decoration: none; }
ul.docs li .muted { font-size: 0.825rem; display: block; }
.problems li { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }

/* document page: filters */
.filters {
  position: sticky; top: 0; z-index: 5; background: var(--bg); border-bottom: 1px solid var(--border);
  padding: 0.5rem 0; margin: 0; display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1.5rem;
}
.filter-row { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; }
.filter-row .label { font-size: 0.8rem; color: var(--muted); margin-right: 0.15rem; }
.filter-row input[type="search"] {
  font: inherit; font-size: 0.9rem; color: var(--fg); background: var(--bg); border: 1px solid var(--border);
  border-radius: 6px; padding: 0.25rem 0.5rem; min-width: 0; flex: 1 1 12rem; max-width: 24rem; min-height: 2rem;
}
.filter-row label { font-size: 0.875rem; display: inline-flex; gap: 0.3rem; align-items: center; }
.count { font-size: 0.75rem; opacity: 0.8; }
#filter-status { font-size: 0.8rem; color: var(--muted); }
.keys { font-size: 0.8rem; color: var(--muted); margin: 0.4rem 0 0.5rem; }
kbd { font-family: ui-monospace, monospace; border: 1px solid var(--border); border-radius: 4px; padding: 0 0.3em; font-size: 0.85em; }

/* document page: a section's source beside its cards */
#groups > .group:first-child { border-top: none; }
.group { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; padding: 1rem 0; border-top: 1px solid var(--border); }
@media (min-width: 900px) {
  .group { grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); }
  /* the source stays beside its cards while they scroll past (--filters-h: set by preview.js) */
  .source { position: sticky; top: calc(var(--filters-h, 0px) + 0.5rem); align-self: start;
            max-height: calc(100vh - var(--filters-h, 0px) - 1rem); overflow-y: auto; }
}
.source { font-size: 0.95rem; }
.source h2 { color: var(--muted); }
.source .summary-text { border-left: 3px solid var(--border); padding-left: 0.75rem; }
.cards { display: flex; flex-direction: column; gap: 0.75rem; min-width: 0; }
.cards .none { color: var(--muted); font-size: 0.875rem; }

.note, .candidate {
  border: 1px solid var(--border); border-radius: 10px; background: var(--panel); padding: 0.6rem; min-width: 0;
  scroll-margin-top: calc(var(--filters-h, 0px) + 0.75rem);
}
.candidate { display: none; border-style: dashed; opacity: 0.85; }
body.show-rejected .candidate { display: block; }
.note.flagged, .candidate { border-color: var(--flag); }
.note.current, .candidate.current { box-shadow: 0 0 0 3px var(--current); }
.note-head { display: flex; flex-wrap: wrap; gap: 0.25rem 0.6rem; align-items: baseline; font-size: 0.8rem; margin-bottom: 0.4rem; }
.note-num { font-weight: 600; text-decoration: none; }
.badge { font-size: 0.75rem; font-weight: 600; border-radius: 999px; padding: 0.05rem 0.55rem; background: var(--pressed); color: var(--pressed-fg); }
ul.tags, ul.flags { list-style: none; margin: 0.4rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem; }
ul.tags li { font-size: 0.7rem; font-family: ui-monospace, monospace; border: 1px solid var(--border); border-radius: 4px; padding: 0 0.35rem; color: var(--muted); }
ul.flags { margin: 0 0 0.4rem; flex-direction: column; }
ul.flags li { font-size: 0.8rem; color: var(--flag); background: var(--flag-bg); border-radius: 6px; padding: 0.15rem 0.5rem; }

.faces { display: flex; flex-direction: column; gap: 0.6rem; }
.preview { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.4rem; }
@media (min-width: 1200px) { .preview { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } .preview-label { grid-column: 1 / -1; } }
.preview-label { font-size: 0.75rem; font-weight: 600; color: var(--muted); }
.face-label { font-size: 0.65rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin-bottom: 0.2rem; }

/* a face: what Anki shows, after quizgen's note-type CSS (export/templates.py) */
.face { background: var(--card-bg); border: 1px solid var(--border); border-radius: 8px; padding: 0.6rem 0.8rem; font-size: 1.05rem; min-width: 0; }
.qg-context { font-size: 0.75em; color: var(--muted); margin-bottom: 0.4em; }
.qg-answer { margin-top: 0.3em; }
.qg-source { font-size: 0.7em; color: var(--muted); margin-top: 0.9em; }
.qg-source a { color: inherit; }
hr.answer { border: none; border-top: 1px solid var(--border); margin: 0.7em 0; }
.cloze { font-weight: bold; color: var(--cloze); }
.qg-prompt p:first-child, .qg-answer p:first-child, .source p:first-child { margin-top: 0; }
.qg-prompt p:last-child, .qg-answer p:last-child { margin-bottom: 0; }

/* rendered document content, on cards and in the source column */
ul, ol { padding-left: 1.4em; margin: 0.3em 0; }
li { margin: 0.15em 0; }
blockquote { margin: 0.5em 0; padding-left: 0.8em; border-left: 3px solid var(--border); color: var(--muted); }
.face table, .source table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em; display: block; overflow-x: auto; max-width: 100%; }
.face th, .face td, .source th, .source td { border: 1px solid var(--border); padding: 0.3em 0.6em; vertical-align: top; }
.face th, .source th { background: var(--panel); }
.qg-align-left { text-align: left; }
.qg-align-center { text-align: center; }
.qg-align-right { text-align: right; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em;
       background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
pre { font-size: 0.8rem; line-height: 1.4; overflow-x: auto; padding: 0.6em 0.8em; border-radius: 6px;
      background: var(--panel); white-space: pre; max-width: 100%; }
pre code { background: none; padding: 0; font-size: 1em; }
.math, math[display="block"] { overflow-x: auto; overflow-y: hidden; max-width: 100%; }
math { font-size: 1.05em; }
code.tex { white-space: pre-wrap; }

footer { max-width: 1400px; margin: 1rem auto 2rem; padding: 0 1rem; color: var(--muted); font-size: 0.8rem; }

@media (max-width: 600px) {
  main { padding: 0.6rem; }
  .site { padding: 0.4rem 0.6rem; gap: 0.25rem 0.75rem; }
  .site .brand { flex: 1; }
  .site nav { order: 3; flex-basis: 100%; font-size: 0.875rem; }
  h1 { font-size: 1.3rem; }
  .face { font-size: 1rem; padding: 0.5rem 0.6rem; }
  .filters { position: static; }
  .filters { gap: 0.5rem; }
  .filter-row .label { min-width: 100%; }
  table.summary { font-size: 0.85rem; }
  table.summary th, table.summary td { padding: 0.3rem 0.35rem; }
  .keys { display: none; }
}
@media print {
  .filters, .site button { display: none; }
  .candidate { display: none !important; }
}
"""


def _code_css() -> str:
    """pygments classes: a light style, and a dark one for both ways of being dark."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark_toggle = HtmlFormatter(style="monokai").get_style_defs(':root[data-theme="dark"] .highlight')
    dark_auto = HtmlFormatter(style="monokai").get_style_defs(':root:not([data-theme="light"]) .highlight')
    return (
        f"{light}\n{dark_toggle}\n@media (prefers-color-scheme: dark) {{\n{dark_auto}\n}}\n"
        ".highlight { background: var(--panel); border-radius: 6px; }\n.highlight pre { background: none; margin: 0; }\n"
    )


CSS = _CSS.replace("@DARK@", _DARK.strip()).strip() + "\n\n/* code highlighting (pygments) */\n" + _code_css()
