"""User text on the screen: one place that makes what a person typed show as literal text.

Streamlit reads Markdown in st.markdown, st.caption, st.title/subheader, st.write(str), the alerts
(st.info/success/warning/error), st.toast, and in the labels of widgets, buttons, metrics,
expanders, tabs, radio and segmented-control options. A title such as ``![x](http://host/x.png)``
would make every viewer's browser fetch that address, ``[notice](http://host)`` would be a
disguised link, ``:red[...]`` or ``$...$`` would change how the text looks. So every piece of
user text that reaches one of those goes through :func:`md_escape` (translations stay Markdown,
only their user parameters are escaped).

Plain-text places need no escaping (it would show backslashes): st.text, st.code, st.dataframe
cells and column headers, and the options of st.selectbox / st.multiselect (format_func).

What md_escape does, and why:
- every ASCII punctuation character gets a backslash: CommonMark makes any escaped punctuation
  literal, and every Markdown construct (emphasis, links, images, code, HTML, entities, headings,
  lists, tables, Streamlit's ``:colour[...]`` directives and ``$`` math) starts with one;
- line breaks become Markdown hard breaks (a backslash before the newline), so a multi-line text
  keeps its lines without ever starting a new block (a heading, list or code block);
- control characters (NUL ...) and the bidirectional embedding/override/isolate controls
  (U+202A-U+202E, U+2066-U+2069) are removed: they cannot be shown, and an override would
  reverse the rest of the line, app text included. Direction marks (U+200E/U+200F) stay;
- leading and trailing blank space is dropped (four leading spaces would start a code block).

Known limits (harmless, documented in docs/decisions.md): Streamlit turns emoji short codes
(``:smile:``) into emoji after parsing, and GitHub-flavoured Markdown turns a bare
``http://...`` or ``www....`` into a link whose text is the address itself (not disguised, and
nothing is fetched without a click).
"""

from __future__ import annotations

import html
import re

import pandas as pd

from habitat.errors import HabitatError

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # all of ASCII !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: object) -> str:
    """The text without what cannot be shown: None / NaN -> "", line breaks -> "\\n", control and
    bidirectional override characters removed. For plain-text places, and the basis of md_escape."""
    if text is None or (pd.api.types.is_scalar(text) and pd.isna(text)):
        return ""
    return _UNSHOWABLE.sub("", _LINE_BREAK.sub("\n", str(text)))


def cell_text(value) -> str:
    """A text cell of a DataFrame as a string ('' for None / NaN), e.g. a widget's default value."""
    return value if isinstance(value, str) else ""


def md_escape(text: object) -> str:
    """User text as Markdown that renders exactly as the text (see the module docstring).

    Safe anywhere Streamlit reads Markdown, also inside ``**bold**`` or next to other Markdown:
    ``st.markdown(f"**{md_escape(title)}** · {md_escape(place)}")``.
    """
    lines = [_no_autolink(line.strip()) for line in plain(text).strip().split("\n")]
    return "\\\n".join(_PUNCTUATION.sub(r"\\\1", line) for line in lines)


# GitHub-flavoured Markdown (Streamlit's renderer) turns bare addresses into live links even when every
# punctuation character is escaped: "http://…", "www.…" and "name@host". An invisible WORD JOINER
# (U+2060) inside the pattern keeps the text as typed on screen and leaves nothing to click.
_JOINER = "\u2060"
_AUTOLINKS = (
    (re.compile(r"(?i)([a-z][a-z0-9+.-]*)(?=:/)"), r"\1" + _JOINER),  # http://, ftp:/, javascript:/
    (re.compile(r"(?i)\b(w)(ww\.)"), r"\1" + _JOINER + r"\2"),  # www.
    (re.compile(r"@(?=[0-9a-z])", re.I), "@" + _JOINER),  # an e-mail address
)


def _no_autolink(line: str) -> str:
    for pattern, replacement in _AUTOLINKS:
        line = pattern.sub(replacement, line)
    return line


def md_join(parts, sep: str) -> str:
    """Several pieces of user text joined by an app separator (e.g. "、"), each escaped."""
    return sep.join(md_escape(p) for p in parts)


def error_message(err: HabitatError, lang: str) -> str:
    """An error's message in ``lang`` with its parameters (file names, names, typed values ...)
    escaped, for st.error / st.warning: the message text itself is the app's translation."""
    return err.message(lang, quote=md_escape)


def chart_text(text: object) -> str:
    """User text for a Plotly label or hover text: Plotly reads a subset of HTML there (links,
    bold ...), so <, > and & are written as entities, which Plotly shows as the characters."""
    return html.escape(plain(text).replace("\n", " "), quote=False)
