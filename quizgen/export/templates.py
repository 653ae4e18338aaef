"""Card templates and CSS for the two quizgen note types.

These may change between releases (Anki updates a note type's templates on import when
the package's copy is newer); the note type ids and field names in ids.py may not.
Layout: the Context line small above the prompt; the back repeats the front, then
`<hr id=answer>` (Anki scrolls to it), then the answer and the source.
"""

from __future__ import annotations

from .render import code_css

_CONTEXT = '{{#Context}}<div class="qg-context">{{Context}}</div>{{/Context}}'
_SOURCE = '{{#Source}}<div class="qg-source">{{Source}}</div>{{/Source}}'

QA_TEMPLATES = [
    {
        "name": "Card",
        "qfmt": f'{_CONTEXT}\n<div class="qg-prompt">{{{{Front}}}}</div>',
        "afmt": (
            "{{FrontSide}}\n\n<hr id=answer>\n\n"
            f'<div class="qg-answer">{{{{Back}}}}</div>\n{_SOURCE}'
        ),
    }
]

CLOZE_TEMPLATES = [
    {
        "name": "Cloze",
        "qfmt": f'{_CONTEXT}\n<div class="qg-prompt qg-cloze">{{{{cloze:Text}}}}</div>',
        "afmt": (
            f'{_CONTEXT}\n<div class="qg-prompt qg-cloze">{{{{cloze:Text}}}}</div>\n\n<hr id=answer>\n\n'
            '{{#Extra}}<div class="qg-answer">{{Extra}}</div>{{/Extra}}\n'
            f"{_SOURCE}"
        ),
    }
]

_BASE_CSS = r"""
.card {
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.5;
  color: #1f2328;
  background-color: #ffffff;
  text-align: left;
  max-width: 42em;
  margin: 0 auto;
  padding: 0.5em 1em;
  overflow-wrap: anywhere;
}
.qg-context { font-size: 0.7em; color: #59636e; margin-bottom: 0.6em; letter-spacing: 0.01em; }
.qg-prompt { font-size: 1.05em; }
.qg-answer { margin-top: 0.4em; }
.qg-source { font-size: 0.65em; color: #59636e; margin-top: 1.4em; }
.qg-source a { color: inherit; }
hr#answer { border: none; border-top: 1px solid #d1d9e0; margin: 1em 0; }
.cloze { font-weight: bold; color: #0969da; }
.qg-prompt p:first-child, .qg-answer p:first-child { margin-top: 0; }
ul, ol { padding-left: 1.4em; margin: 0.3em 0; }
li { margin: 0.15em 0; }
a { color: #0969da; }
blockquote { margin: 0.5em 0; padding-left: 0.8em; border-left: 3px solid #d1d9e0; color: #59636e; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em; display: block; overflow-x: auto; }
th, td { border: 1px solid #d1d9e0; padding: 0.3em 0.6em; vertical-align: top; }
th { background-color: #f6f8fa; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em;
       background-color: rgba(175, 184, 193, 0.2); padding: 0.1em 0.3em; border-radius: 4px; }
pre { font-size: 0.8em; line-height: 1.4; overflow-x: auto; padding: 0.6em 0.8em; border-radius: 6px;
      background-color: #f6f8fa; white-space: pre; }
pre code { background: none; padding: 0; font-size: 1em; }
.highlight { background: none; }
.math { overflow-x: auto; margin: 0.5em 0; }

.nightMode.card, .nightMode .card { color: #e6edf3; background-color: #1c1c1e; }
.nightMode .qg-context, .nightMode .qg-source, .nightMode blockquote { color: #9198a1; }
.nightMode hr#answer { border-top-color: #3d444d; }
.nightMode .cloze { color: #6cb6ff; }
.nightMode a { color: #6cb6ff; }
.nightMode th, .nightMode td, .nightMode blockquote { border-color: #3d444d; }
.nightMode th { background-color: #262a30; }
.nightMode pre { background-color: #262a30; }
.nightMode code { background-color: rgba(110, 118, 129, 0.4); }

@media (max-width: 600px) {
  .card { font-size: 18px; padding: 0.3em 0.5em; }
  pre { font-size: 0.75em; }
  table { font-size: 0.8em; }
}
"""

CSS = _BASE_CSS.strip() + "\n\n/* code highlighting (pygments) */\n" + code_css()
