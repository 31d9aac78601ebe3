#!/usr/bin/env python3
"""Extract, merge and check silkmap's translations (standard library only).

    python3 tools/i18n.py extract   # src/silkmap → src/silkmap/i18n/silkmap.pot
    python3 tools/i18n.py update    # merge the template into every language's .po
    python3 tools/i18n.py check     # exit 1 if a message lacks a translation anywhere

``make i18n`` runs extract and update. Messages are the literal first argument of ``_()``,
``N_()`` and ``pgettext(context, …)`` calls; a call with a computed argument, such as
``_(table.get(code))``, is skipped — mark the table's literals with ``N_()`` instead. A
comment starting ``# Translators:`` on the lines just above a call is copied into the
template for the translator.

``update`` keeps every existing translation. A message new to the template gets an empty
translation, or the translation of a close obsolete message flagged ``fuzzy`` (with the old
text as a ``#|`` comment) for the translator to review; messages gone from the source are
kept at the end as obsolete (``#~``) entries. It prints what is new, fuzzy and obsolete.
The app ignores fuzzy and empty translations; ``check`` fails on them.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "silkmap"
sys.path.insert(0, str(ROOT / "src"))

from silkmap.i18n import po  # noqa: E402  (stdlib-only module)

POT = SRC / "i18n" / "silkmap.pot"
LOCALE = SRC / "i18n" / "locale"
# gettext folder name → (header language tag, team)
CATALOGS = {"zh_Hans": "zh_Hans", "zh_Hant": "zh_Hant"}
KEYWORDS = {"_": 0, "N_": 0}  # function name → index of the message argument
CONTEXT_KEYWORDS = {"pgettext": (0, 1)}  # function name → (context index, message index)
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
ACCELERATOR = re.compile(r"&(?!&)\S")


def version() -> str:
    text = (SRC / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r"__version__\s*=\s*[\"']([^\"']+)", text)
    return m.group(1) if m else "0"


# ---------------------------------------------------------------------- extract
class Message:
    def __init__(self, msgid: str, msgctxt: str | None) -> None:
        self.msgid = msgid
        self.msgctxt = msgctxt
        self.references: list[str] = []
        self.comments: list[str] = []


def _translator_comment(lines: list[str], lineno: int) -> list[str]:
    """``# Translators: …`` comment lines directly above ``lineno`` (1-based)."""
    block: list[str] = []
    i = lineno - 2
    while i >= 0 and lines[i].strip().startswith("#"):
        block.insert(0, lines[i].strip()[1:].strip())
        i -= 1
    for j, text in enumerate(block):
        if text.startswith("Translators:"):
            return block[j:]
    return []


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def extract(src: Path = SRC, verbose: bool = False) -> list[Message]:
    """Every translatable message in ``src``, in order of first use."""
    messages: dict[tuple[str | None, str], Message] = {}
    skipped = []
    for path in sorted(src.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        rel = path.relative_to(ROOT).as_posix()
        calls = [n for n in ast.walk(ast.parse(text, str(path))) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Name) and (n.func.id in KEYWORDS or n.func.id in CONTEXT_KEYWORDS)]
        for call in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
            name = call.func.id
            if name in KEYWORDS:
                idx, ctxt = KEYWORDS[name], None
            else:
                cidx, idx = CONTEXT_KEYWORDS[name]
                ctxt = _literal(call.args[cidx]) if len(call.args) > cidx else None
                if ctxt is None:
                    skipped.append(f"{rel}:{call.lineno}")
                    continue
            arg = call.args[idx] if len(call.args) > idx else None
            if isinstance(arg, ast.JoinedStr):
                raise SystemExit(f"{rel}:{call.lineno}: an f-string inside {name}() cannot be translated; "
                                 "use a {placeholder} and .format()")
            msgid = _literal(arg) if arg is not None else None
            if msgid is None:
                skipped.append(f"{rel}:{call.lineno}")
                continue
            if not msgid:
                raise SystemExit(f"{rel}:{call.lineno}: empty message in {name}()")
            msg = messages.setdefault((ctxt, msgid), Message(msgid, ctxt))
            msg.references.append(f"{rel}:{call.lineno}")
            for c in _translator_comment(lines, call.lineno):
                if c not in msg.comments:
                    msg.comments.append(c)
    if verbose and skipped:
        print(f"skipped {len(skipped)} call(s) with a computed message: {', '.join(skipped)}")
    return list(messages.values())


def _flags(msgid: str) -> list[str]:
    return ["python-brace-format"] if PLACEHOLDER.search(msgid) else []


def template(messages: list[Message]) -> po.Catalog:
    header = po.Entry(msgid="", msgstr=(
        f"Project-Id-Version: silkmap {version()}\n"
        "Report-Msgid-Bugs-To: \n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"),
        comments=["Translation template for silkmap.", "Regenerate with `make i18n`; do not edit by hand."])
    entries = [header]
    for m in messages:
        entries.append(po.Entry(msgid=m.msgid, msgctxt=m.msgctxt, references=list(m.references),
                                extracted=list(m.comments), flags=_flags(m.msgid)))
    return po.Catalog(entries)


def cmd_extract(args) -> int:
    messages = extract(verbose=args.verbose)
    po.write(POT, template(messages))
    print(f"wrote {POT.relative_to(ROOT)}: {len(messages)} messages")
    return 0


# ---------------------------------------------------------------------- update
def catalog_path(folder: str) -> Path:
    return LOCALE / folder / "LC_MESSAGES" / "silkmap.po"


def new_catalog(folder: str) -> po.Catalog:
    names = {"zh_Hans": "Simplified Chinese", "zh_Hant": "Traditional Chinese"}
    header = po.Entry(msgid="", msgstr=(
        f"Project-Id-Version: silkmap {version()}\n"
        f"Language: {CATALOGS.get(folder, folder)}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "Plural-Forms: nplurals=1; plural=0;\n"),
        comments=[f"{names.get(folder, folder)} translation of silkmap."])
    return po.Catalog([header])


def merge(pot: po.Catalog, old: po.Catalog) -> tuple[po.Catalog, dict[str, list[str]]]:
    """The template's messages with ``old``'s translations; report of new/fuzzy/obsolete ids."""
    report: dict[str, list[str]] = {"new": [], "fuzzy": [], "obsolete": []}
    by_key = {e.key: e for e in old.entries if e.msgid != "" and not e.obsolete}
    obsolete_by_key = {e.key: e for e in old.entries if e.obsolete}
    pot_keys = {e.key for e in pot.messages()}
    # Translations that no longer match a message: candidates for fuzzy matching.
    spare = {k: e for k, e in {**obsolete_by_key, **by_key}.items() if k not in pot_keys and e.translated}
    header = old.header or po.Entry(msgid="", msgstr="")
    entries = [header]
    for t in pot.messages():
        prev = by_key.get(t.key) or obsolete_by_key.get(t.key)
        e = po.Entry(msgid=t.msgid, msgctxt=t.msgctxt, references=list(t.references),
                     extracted=list(t.extracted), flags=list(t.flags))
        if prev is not None:
            e.msgstr, e.comments = prev.msgstr, list(prev.comments)
            e.msgid_plural, e.msgstr_plural = prev.msgid_plural, dict(prev.msgstr_plural)
            if prev.fuzzy:
                e.flags.insert(0, "fuzzy")
                e.previous = list(prev.previous)
                report["fuzzy"].append(t.msgid)
        else:
            close = difflib.get_close_matches(t.msgid, [s.msgid for s in spare.values()], n=1, cutoff=0.8)
            if close:
                src = next(s for s in spare.values() if s.msgid == close[0])
                e.msgstr = src.msgstr
                e.flags.insert(0, "fuzzy")
                e.previous = [f"msgid {po.quote(src.msgid)}"]
                report["fuzzy"].append(t.msgid)
            else:
                report["new"].append(t.msgid)
        entries.append(e)
    for key, e in {**by_key, **obsolete_by_key}.items():
        if key not in pot_keys and e.translated:
            entries.append(po.Entry(msgid=e.msgid, msgctxt=e.msgctxt, msgstr=e.msgstr,
                                    msgid_plural=e.msgid_plural, msgstr_plural=dict(e.msgstr_plural),
                                    comments=list(e.comments), obsolete=True))
            if key in by_key:
                report["obsolete"].append(e.msgid)
    return po.Catalog(entries), report


def cmd_update(args) -> int:
    if not POT.is_file():
        raise SystemExit(f"{POT.relative_to(ROOT)} is missing: run `python3 tools/i18n.py extract` first")
    pot = po.read(POT)
    for folder in CATALOGS:
        path = catalog_path(folder)
        old = po.read(path) if path.is_file() else new_catalog(folder)
        merged, report = merge(pot, old)
        path.parent.mkdir(parents=True, exist_ok=True)
        po.write(path, merged)
        untranslated = sum(1 for e in merged.messages() if not e.translated)
        print(f"{path.relative_to(ROOT)}: {len(merged.messages())} messages, {len(report['new'])} new, "
              f"{len(report['fuzzy'])} fuzzy, {len(report['obsolete'])} newly obsolete, "
              f"{untranslated} to translate")
        for kind in ("new", "fuzzy", "obsolete"):
            for msgid in report[kind]:
                print(f"  {kind}: {msgid!r}")
    return 0


# ---------------------------------------------------------------------- check
def placeholders(s: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(s))


def problems() -> list[str]:
    """Every way in which the catalogs fall short of the source; empty when all is well."""
    out: list[str] = []
    messages = extract()
    # The template is stale when its messages differ; moved line numbers alone do not count.
    fresh = {(m.msgctxt, m.msgid) for m in messages}
    on_disk = {(e.msgctxt, e.msgid) for e in po.read(POT).messages()} if POT.is_file() else set()
    if fresh != on_disk:
        out.append(f"{POT.relative_to(ROOT)} is out of date: run `make i18n`")
    for folder in CATALOGS:
        path = catalog_path(folder)
        rel = path.relative_to(ROOT)
        if not path.is_file():
            out.append(f"{rel}: missing")
            continue
        try:
            cat = po.read(path)
        except po.PoError as exc:
            out.append(str(exc))
            continue
        entries = {e.key: e for e in cat.messages()}
        for m in messages:
            key = m.msgid if m.msgctxt is None else f"{m.msgctxt}{po.CONTEXT_SEP}{m.msgid}"
            e = entries.get(key)
            where = f"{rel}: {m.msgid!r}"
            if e is None:
                out.append(f"{where}: not in the catalog (run `make i18n`)")
            elif e.fuzzy:
                out.append(f"{where}: fuzzy, needs review")
            elif not e.msgstr.strip():
                out.append(f"{where}: not translated")
            else:
                if placeholders(e.msgstr) != placeholders(m.msgid):
                    out.append(f"{where}: placeholders {placeholders(e.msgstr)} differ from "
                               f"{placeholders(m.msgid)}")
                if bool(ACCELERATOR.search(m.msgid)) != bool(ACCELERATOR.search(e.msgstr)):
                    out.append(f"{where}: the & keyboard accelerator is missing or extra")
    return out


# ---------------------------------------------------------------------- characters
ASSETS = ROOT / "assets" / "geo"
DATA_KEYS = {"zh-Hans": "zh-Hans", "name_zh_hans": "zh-Hans", "zh-Hant": "zh-Hant", "name_zh_hant": "zh-Hant"}
CJK_FROM = 0x2E80  # CJK radicals and everything above: ideographs, CJK and fullwidth punctuation


def _data_texts(node, out: dict[str, set[str]], lang: str | None = None) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _data_texts(v, out, DATA_KEYS.get(k) if isinstance(v, str) else None)
    elif isinstance(node, list):
        for v in node:
            _data_texts(v, out)
    elif isinstance(node, str):
        out[lang or "other"].update(node)


def characters() -> dict[str, set[str]]:
    """The characters silkmap shows, as {"zh-Hans": …, "zh-Hant": …, "other": …}.

    zh-Hans / zh-Hant: every translation in that catalog, every text of that language in
    assets/geo/*.json and *.geojson, and the CJK characters written straight into the source
    (the 亿/萬/公里 of numbers.py, the language menu's 简体中文 · 繁體中文), which both get.
    "other": everything else the app can show (English messages, English data texts,
    publishers and titles of the sources). ``tools/build_fonts.py`` subsets the fonts to these
    sets and ``tests/test_i18n.py`` checks the fonts against them.
    """
    import json

    out: dict[str, set[str]] = {"zh-Hans": set(), "zh-Hant": set(), "other": set()}
    for folder, lang in (("zh_Hans", "zh-Hans"), ("zh_Hant", "zh-Hant")):
        for e in po.read(catalog_path(folder)).messages():
            out[lang].update(e.msgstr)
            out["other"].update(e.msgid)
    for path in sorted(ASSETS.glob("*.json")) + sorted(ASSETS.glob("*.geojson")):
        _data_texts(json.loads(path.read_text(encoding="utf-8")), out)
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                cjk = {ch for ch in node.value if ord(ch) >= CJK_FROM}
                out["zh-Hans"] |= cjk
                out["zh-Hant"] |= cjk
    for key in out:
        out[key] = {ch for ch in out[key] if ch.isprintable() or ch == " "}
    return out


def cmd_check(args) -> int:
    found = problems()
    for p in found:
        print(p)
    if found:
        print(f"{len(found)} problem(s)", file=sys.stderr)
        return 1
    print("translations complete")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="write the template silkmap.pot from the source")
    ex.add_argument("-v", "--verbose", action="store_true", help="list calls that cannot be extracted")
    sub.add_parser("update", help="merge the template into the .po files")
    sub.add_parser("check", help="exit 1 if any message lacks a translation")
    args = parser.parse_args(argv)
    return {"extract": cmd_extract, "update": cmd_update, "check": cmd_check}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
