"""GNU gettext PO files, read and written with the standard library only.

The app reads its catalogs straight from the ``.po`` files (no compiled ``.mo`` in the
repository); ``tools/i18n.py`` uses the same reader and writer to extract and merge.

The reader is strict: anything it does not understand is a :class:`PoError` naming the
file and line, so a broken catalog fails loudly in the tests instead of silently showing
English. Supported: translator (``#``), extracted (``#.``), reference (``#:``), flag
(``#,``) and previous (``#|``) comments, ``msgctxt``, ``msgid``, ``msgid_plural``,
``msgstr``/``msgstr[N]``, strings continued over several lines, the C escapes gettext
writes, and obsolete entries (``#~``), which are kept for the merge but never used.
Fuzzy entries and empty translations are not used at run time.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

CONTEXT_SEP = "\x04"  # how gettext keys a message with a context


class PoError(ValueError):
    """A PO file that cannot be read; the message names the file and line."""


@dataclass
class Entry:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # "# " translator comments
    extracted: list[str] = field(default_factory=list)  # "#." comments from the source
    previous: list[str] = field(default_factory=list)  # "#|" lines, verbatim after "#| "
    obsolete: bool = False
    lineno: int = 0

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}{CONTEXT_SEP}{self.msgid}"

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        if self.fuzzy:
            return False
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)


@dataclass
class Catalog:
    entries: list[Entry] = field(default_factory=list)

    @property
    def header(self) -> Entry | None:
        for e in self.entries:
            if e.msgid == "" and e.msgctxt is None and not e.obsolete:
                return e
        return None

    def metadata(self) -> dict[str, str]:
        h = self.header
        out: dict[str, str] = {}
        if h is None:
            return out
        for line in h.msgstr.splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                out[k.strip()] = v.strip()
        return out

    def messages(self) -> list[Entry]:
        """Active entries other than the header."""
        return [e for e in self.entries if not e.obsolete and e.msgid != ""]


# ---------------------------------------------------------------------- reading
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"', "'": "'", "?": "?"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$")


def _unquote(s: str, where: str) -> str:
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise PoError(f"{where}: expected a string in double quotes, got {s!r}")
    body = s[1:-1]
    out = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == '"':
            raise PoError(f"{where}: unescaped double quote inside a string")
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        i += 1
        if i >= len(body):
            raise PoError(f"{where}: string ends with a lone backslash")
        esc = body[i]
        if esc in _ESCAPES:
            out.append(_ESCAPES[esc])
            i += 1
        elif esc in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i:])
            out.append(chr(int(m.group(0), 8)))
            i += len(m.group(0))
        elif esc == "x":
            m = re.match(r"[0-9A-Fa-f]+", body[i + 1:])
            if not m:
                raise PoError(f"{where}: \\x needs hexadecimal digits")
            out.append(chr(int(m.group(0), 16)))
            i += 1 + len(m.group(0))
        else:
            raise PoError(f"{where}: unknown escape \\{esc}")
    return "".join(out)


def parse(text: str, name: str = "<po>") -> Catalog:
    """Parse PO text; raise PoError on anything malformed or duplicated."""
    cat = Catalog()
    entry: Entry | None = None
    fields: dict[str, str] = {}  # keyword -> value, for the entry being read
    last: str | None = None  # the keyword that a continuation line extends
    pending = Entry(msgid="")  # comments collected for the next entry
    active_keys: dict[str, int] = {}
    obsolete_keys: set[str] = set()

    def finish() -> None:
        nonlocal entry, fields, last
        if entry is None:
            return
        where = f"{name}:{entry.lineno}"
        if "msgid" not in fields:
            raise PoError(f"{where}: entry without msgid")
        entry.msgid = fields["msgid"]
        entry.msgctxt = fields.get("msgctxt")
        plural_keys = sorted(int(k[7:-1]) for k in fields if k.startswith("msgstr["))
        if "msgid_plural" in fields:
            entry.msgid_plural = fields["msgid_plural"]
            if "msgstr" in fields or not plural_keys:
                raise PoError(f"{where}: a plural entry needs msgstr[0], msgstr[1], … and no plain msgstr")
            if plural_keys != list(range(len(plural_keys))):
                raise PoError(f"{where}: plural forms must be numbered 0, 1, … without gaps")
            entry.msgstr_plural = {k: fields[f"msgstr[{k}]"] for k in plural_keys}
        else:
            if plural_keys:
                raise PoError(f"{where}: msgstr[N] without msgid_plural")
            if "msgstr" not in fields:
                raise PoError(f"{where}: entry without msgstr")
            entry.msgstr = fields["msgstr"]
        if entry.obsolete:
            if entry.key in obsolete_keys:
                raise PoError(f"{where}: duplicate obsolete message {entry.msgid!r}")
            obsolete_keys.add(entry.key)
        else:
            if entry.key in active_keys:
                raise PoError(f"{where}: duplicate message {entry.msgid!r} "
                              f"(first at line {active_keys[entry.key]})")
            active_keys[entry.key] = entry.lineno
        cat.entries.append(entry)
        entry, fields, last = None, {}, None

    order = {"msgctxt": 0, "msgid": 1, "msgid_plural": 2, "msgstr": 3}
    for lineno, raw in enumerate(text.splitlines(), 1):
        where = f"{name}:{lineno}"
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith("#"):
                continue  # only the message of an obsolete entry is kept
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if entry is not None:
                finish()  # a comment after a message starts the next entry
            kind, rest = line[:2], line[2:].strip()
            if kind == "#,":
                pending.flags += [f.strip() for f in rest.split(",") if f.strip()]
            elif kind == "#:":
                pending.references += rest.split()
            elif kind == "#.":
                pending.extracted.append(rest)
            elif kind == "#|":
                pending.previous.append(rest)
            else:
                pending.comments.append(line[1:].strip())
            continue
        if line.startswith('"'):
            if entry is None or last is None:
                raise PoError(f"{where}: string continuation outside an entry")
            if entry.obsolete != obsolete:
                raise PoError(f"{where}: an entry mixes obsolete and active lines")
            fields[last] += _unquote(line, where)
            continue
        m = _KEYWORD.match(line)
        if not m:
            raise PoError(f"{where}: cannot read {line[:60]!r}")
        keyword, value = m.group(1), m.group(3)
        if entry is not None and (keyword == "msgctxt" or (keyword == "msgid" and "msgid" in fields)):
            finish()  # the next entry follows without a blank line
        if entry is None:
            if keyword not in ("msgctxt", "msgid"):
                raise PoError(f"{where}: {keyword} before msgid")
            entry = Entry(msgid="", flags=pending.flags, references=pending.references,
                          comments=pending.comments, extracted=pending.extracted,
                          previous=pending.previous, obsolete=obsolete, lineno=lineno)
            pending = Entry(msgid="")
        elif entry.obsolete != obsolete:
            raise PoError(f"{where}: an entry mixes obsolete and active lines")
        if keyword in fields:
            raise PoError(f"{where}: {keyword} given twice in one entry")
        rank = order["msgstr" if keyword.startswith("msgstr") else keyword]
        if any(order["msgstr" if k.startswith("msgstr") else k] > rank for k in fields):
            raise PoError(f"{where}: {keyword} out of order")
        fields[keyword] = _unquote(value, where)
        last = keyword
    finish()
    if pending.flags or pending.references or pending.extracted or pending.previous:
        raise PoError(f"{name}: comments at the end of the file belong to no entry")
    return cat


def read(path: str | Path) -> Catalog:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PoError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    cat = parse(text, str(path))
    charset = re.search(r"charset=([\w-]+)", cat.metadata().get("Content-Type", "charset=UTF-8"))
    if charset and charset.group(1).upper().replace("_", "-") != "UTF-8":
        raise PoError(f"{path}: only UTF-8 catalogs are supported (found {charset.group(1)})")
    return cat


# ---------------------------------------------------------------------- writing
def quote(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20:
            out.append(f"\\{ord(ch):03o}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _field(keyword: str, value: str, prefix: str = "") -> list[str]:
    """A keyword and its string; strings with inner newlines are split after each one."""
    if "\n" in value[:-1]:
        parts = re.findall(r"[^\n]*\n|[^\n]+$", value)
        return [f'{prefix}{keyword} ""'] + [prefix + quote(p) for p in parts]
    return [f"{prefix}{keyword} {quote(value)}"]


def format_entry(e: Entry) -> str:
    lines: list[str] = []
    p = "#~ " if e.obsolete else ""
    lines += [f"# {c}".rstrip() for c in e.comments]
    if not e.obsolete:
        lines += [f"#. {c}" for c in e.extracted]
        if e.references:
            lines.append("#: " + " ".join(e.references))
        if e.flags:
            lines.append("#, " + ", ".join(dict.fromkeys(e.flags)))
        lines += [f"#| {c}" for c in e.previous]
    if e.msgctxt is not None:
        lines += _field("msgctxt", e.msgctxt, p)
    lines += _field("msgid", e.msgid, p)
    if e.msgid_plural is not None:
        lines += _field("msgid_plural", e.msgid_plural, p)
        for k in sorted(e.msgstr_plural):
            lines += _field(f"msgstr[{k}]", e.msgstr_plural[k], p)
    else:
        lines += _field("msgstr", e.msgstr, p)
    return "\n".join(lines) + "\n"


def format_catalog(cat: Catalog) -> str:
    active = [e for e in cat.entries if not e.obsolete]
    obsolete = [e for e in cat.entries if e.obsolete]
    return "\n".join(format_entry(e) for e in active + obsolete)


def write(path: str | Path, cat: Catalog) -> None:
    Path(path).write_text(format_catalog(cat), encoding="utf-8")


# ---------------------------------------------------------------------- run time
class PoTranslations(gettext.NullTranslations):
    """``gettext.GNUTranslations`` for a ``.po`` file: translated, non-fuzzy entries only."""

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__()
        self._messages: dict[str, str | dict[int, str]] = {}
        self._plural = lambda n: int(n != 1)
        if path is not None:
            self._load(read(path))

    def _load(self, cat: Catalog) -> None:
        meta = cat.metadata()
        self._info = meta
        self._charset = "UTF-8"
        forms = meta.get("Plural-Forms", "")
        m = re.search(r"plural\s*=\s*([^;]+)", forms)
        if m:
            self._plural = gettext.c2py(m.group(1).strip())
        for e in cat.messages():
            if not e.translated:
                continue
            self._messages[e.key] = dict(e.msgstr_plural) if e.msgid_plural is not None else e.msgstr

    def __len__(self) -> int:
        return len(self._messages)

    def __contains__(self, msgid: str) -> bool:
        return msgid in self._messages

    def gettext(self, message: str) -> str:
        found = self._messages.get(message)
        if isinstance(found, str):
            return found
        if self._fallback:
            return self._fallback.gettext(message)
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._messages.get(msgid1)
        if isinstance(found, dict):
            return found.get(self._plural(n), msgid1 if n == 1 else msgid2)
        if self._fallback:
            return self._fallback.ngettext(msgid1, msgid2, n)
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        found = self._messages.get(f"{context}{CONTEXT_SEP}{message}")
        if isinstance(found, str):
            return found
        if self._fallback:
            return self._fallback.pgettext(context, message)
        return message

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        found = self._messages.get(f"{context}{CONTEXT_SEP}{msgid1}")
        if isinstance(found, dict):
            return found.get(self._plural(n), msgid1 if n == 1 else msgid2)
        if self._fallback:
            return self._fallback.npgettext(context, msgid1, msgid2, n)
        return msgid1 if n == 1 else msgid2
