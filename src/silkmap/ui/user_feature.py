"""A user layer's feature as the details panel and the tooltip show it.

Attribute names and values come from the user's file: they are escaped and shown as text,
never as markup (a description holding <img src=…> or a link is printed, not rendered).
"""

from __future__ import annotations

from html import escape

from silkmap.i18n import _


def _label(ul, fid: int) -> str:
    attrs = ul.data.attrs[fid]
    for key in (ul.spec.style.get("label_field"), "name", "Name", "NAME", "title", "label"):
        if key and attrs.get(key):
            return attrs[key]
    return _("feature {n}").format(n=fid + 1)


def feature_title(user_layers, selection_id: str) -> str:
    found = user_layers.feature(selection_id)
    if found is None:
        return ""
    ul, fid = found
    return _("{name} — {status}").format(name=_label(ul, fid)[:120], status=ul.spec.title)


def feature_html(user_layers, selection_id: str) -> str | None:
    found = user_layers.feature(selection_id)
    if found is None:
        return None
    ul, fid = found
    rows = "".join(f"<tr><th align='left' valign='top'>{escape(k)}</th><td>{escape(v)}</td></tr>"
                   for k, v in ul.data.attrs[fid].items())
    if not rows:
        rows = f"<tr><td>{escape(_('This feature has no attributes.'))}</td></tr>"
    return (f"<h2>{escape(_label(ul, fid))}</h2>"
            f"<p>{escape(_('Layer: {name} ({path})').format(name=ul.spec.title, path=ul.spec.path))}</p>"
            f"<table cellspacing='0' cellpadding='3'>{rows}</table>")
