"""Metadata in exported files as other programs read it (exiftool, pngcheck, pdfinfo). No Qt.

PNG: Qt writes every non-Latin-1 text as an iTXt chunk whose language tag is the literal
"UTF-8", which no reader takes for a language; exiftool then files Title and Source under
"Title-utf-8". ``png_with_text`` replaces the text chunks of a PNG with ``tEXt`` (Latin-1
values) or untagged ``iTXt`` chunks (the rest), before the image data where every reader
looks. The language of the texts is in their "Language" chunk: exiftool reads a chunk with a
real tag (zh-Hans) only under the name "Title-zh-hans", never as plain "Title".

PDF: QPdfWriter writes Title, Creator and Producer but has no Subject or Keywords.
``pdf_info_update`` gives an incremental update to append (a new Info dictionary and catalog,
an xref section, a trailer pointing back at Qt's), leaving every byte Qt wrote untouched.
"""

from __future__ import annotations

import datetime as _dt
import re
import struct
import zlib
from xml.sax.saxutils import escape

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")


# ------------------------------------------------------------------------------------- PNG
def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_text_chunks(texts: dict[str, str]) -> bytes:
    """tEXt for a Latin-1 value, else iTXt with no language tag (uncompressed: every reader
    reads it). Keywords are Latin-1, 1–79 characters; NUL cannot appear in either."""
    out = []
    for key, value in texts.items():
        keyword = key.encode("latin-1")[:79]
        value = value.replace("\0", "")
        try:
            out.append(_chunk(b"tEXt", keyword + b"\0" + value.encode("latin-1")))
        except UnicodeEncodeError:
            # keyword, compression flag and method, language tag, translated keyword, text
            out.append(_chunk(b"iTXt", keyword + b"\0\0\0" + b"\0" + b"\0" + value.encode("utf-8")))
    return b"".join(out)


def _png_header_end(f, size: int) -> tuple[int, list[bytes]]:
    """Offset of the first IDAT chunk and the chunks before it that are not text."""
    if f.read(8) != PNG_SIGNATURE:
        raise ValueError("not a PNG file")
    pos, keep = 8, []
    while True:
        head = f.read(8)
        if len(head) < 8:
            raise ValueError("PNG file has no image data")
        length, kind = struct.unpack(">I4s", head)
        if pos == 8 and kind != b"IHDR":
            raise ValueError("PNG file does not start with IHDR")
        if kind == b"IDAT":
            return pos, keep
        if length > size - pos - 12:
            raise ValueError("PNG file is truncated")
        body = f.read(length + 4)
        if kind not in _TEXT_CHUNKS:
            keep.append(head + body)
        pos += 12 + length






def png_with_text(data: bytes, texts: dict[str, str]) -> bytes:
    """The PNG ``data`` with its text chunks before the image data replaced by ``texts``."""
    import io

    idat, keep = _png_header_end(io.BytesIO(data), len(data))
    return PNG_SIGNATURE + b"".join(keep) + png_text_chunks(texts) + data[idat:]


def read_png_text(data: bytes) -> list[tuple[str, str, str]]:
    """(keyword, language tag, text) of every text chunk, in file order."""
    if data[:8] != PNG_SIGNATURE:
        raise ValueError("not a PNG file")
    pos, out = 8, []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            out.append((key.decode("latin-1"), "", value.decode("latin-1")))
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            out.append((key.decode("latin-1"), "", zlib.decompress(rest[1:]).decode("latin-1")))
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            lang, _, rest = rest.partition(b"\0")
            _translated, _, value = rest.partition(b"\0")
            out.append((key.decode("latin-1"), lang.decode("ascii"),
                        (zlib.decompress(value) if compressed else value).decode("utf-8")))
        elif kind == b"IEND":
            break
    return out


# ------------------------------------------------------------------------------------- PDF
_DELIMS = b"()<>[]{}/%"
_WS = b"\0\t\n\f\r "


def _skip_ws(data: bytes, pos: int) -> int:
    while pos < len(data):
        c = data[pos]
        if c in _WS:
            pos += 1
        elif c == 0x25:  # % comment to the end of the line
            while pos < len(data) and data[pos] not in b"\r\n":
                pos += 1
        else:
            break
    return pos


def _skip_value(data: bytes, pos: int) -> int:
    """The end of the PDF object (string, name, dictionary, array, number, reference) at ``pos``."""
    pos = _skip_ws(data, pos)
    c = data[pos:pos + 1]
    if c == b"(":
        depth, pos = 0, pos
        while pos < len(data):
            ch = data[pos]
            if ch == 0x5C:  # backslash escapes the next byte
                pos += 2
                continue
            if ch == 0x28:
                depth += 1
            elif ch == 0x29:
                depth -= 1
                if depth == 0:
                    return pos + 1
            pos += 1
        raise ValueError("unterminated PDF string")
    if data.startswith(b"<<", pos):
        pos += 2
        while True:
            pos = _skip_ws(data, pos)
            if data.startswith(b">>", pos):
                return pos + 2
            pos = _skip_value(data, pos)
    if c == b"<":
        end = data.index(b">", pos)
        return end + 1
    if c == b"[":
        pos += 1
        while True:
            pos = _skip_ws(data, pos)
            if data.startswith(b"]", pos):
                return pos + 1
            pos = _skip_value(data, pos)
    if c == b"/":
        pos += 1
    if not c:
        raise ValueError("truncated PDF object")
    start = pos
    while pos < len(data) and data[pos] not in _WS and data[pos] not in _DELIMS:
        pos += 1
    if pos == start and c != b"/":
        raise ValueError(f"unexpected PDF token at byte {start}")
    # "12 0 R": an indirect reference is three tokens
    m = re.compile(rb"\s+\d+\s+R(?![^\0\t\n\f\r ()<>\[\]{}/%])").match(data, pos)
    if c != b"/" and m and data[start:pos].isdigit():
        return m.end()
    return pos


def _read_dict(data: bytes, pos: int) -> dict[str, bytes]:
    """The entries of the dictionary at ``pos`` as key → the value's raw bytes."""
    pos = _skip_ws(data, pos)
    if not data.startswith(b"<<", pos):
        raise ValueError(f"no PDF dictionary at byte {pos}")
    pos += 2
    entries: dict[str, bytes] = {}
    while True:
        pos = _skip_ws(data, pos)
        if data.startswith(b">>", pos):
            return entries
        if data[pos:pos + 1] != b"/":
            raise ValueError(f"PDF dictionary key expected at byte {pos}")
        end = _skip_value(data, pos)
        key = data[pos + 1:end].decode("latin-1")
        vstart = _skip_ws(data, end)
        pos = _skip_value(data, vstart)
        entries[key] = data[vstart:pos]


def pdf_text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, as a hex string."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def pdf_date(when: _dt.datetime) -> bytes:
    when = when.astimezone(_dt.timezone.utc)
    return b"(D:" + when.strftime("%Y%m%d%H%M%S").encode("ascii") + b"Z)"


def _ref(raw: bytes) -> tuple[int, int]:
    m = re.fullmatch(rb"(\d+)\s+(\d+)\s+R", raw.strip())
    if not m:
        raise ValueError(f"not a PDF reference: {raw[:40]!r}")
    return int(m.group(1)), int(m.group(2))


def _last_xref(data: bytes) -> tuple[int, dict[str, bytes], dict[int, int]]:
    """Offset of the last cross-reference table, its trailer, and object → offset of its
    entries (a classic table as QPdfWriter writes it; a cross-reference stream is refused)."""
    tail = data[-1024:]
    m = list(re.finditer(rb"startxref\s+(\d+)\s+%%EOF", tail))
    if not m:
        raise ValueError("no startxref at the end of the PDF")
    xref = int(m[-1].group(1))
    if not data.startswith(b"xref", xref):
        raise ValueError("the PDF's cross-reference table is not a classic table")
    pos = xref + 4
    offsets: dict[int, int] = {}
    line = re.compile(rb"\s*(\d+)\s+(\d+)\s*?\r?\n")
    while True:
        sub = line.match(data, pos)
        if not sub:
            break
        first, count = int(sub.group(1)), int(sub.group(2))
        pos = sub.end()
        for i in range(count):
            entry = data[pos:pos + 20]
            if len(entry) < 18 or entry[17:18] not in b"nf":
                raise ValueError("bad PDF cross-reference entry")
            if entry[17:18] == b"n":
                offsets[first + i] = int(entry[:10])
            pos += 20
    pos = _skip_ws(data, pos)
    if not data.startswith(b"trailer", pos):
        raise ValueError("no PDF trailer after the cross-reference table")
    return xref, _read_dict(data, pos + 7), offsets


def _object_dict(data: bytes, offsets: dict[int, int], ref: tuple[int, int]) -> dict[str, bytes]:
    num, gen = ref
    if num not in offsets:
        raise ValueError(f"PDF object {num} is not in the cross-reference table")
    m = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj").match(data, offsets[num])
    if not m or (int(m.group(1)), int(m.group(2))) != (num, gen):
        raise ValueError(f"PDF object {num} is not where the table says")
    return _read_dict(data, m.end())


def _dict_bytes(entries: dict[str, bytes]) -> bytes:
    return b"<<\n" + b"".join(b"/" + k.encode("latin-1") + b" " + v + b"\n" for k, v in entries.items()) + b">>"




def pdf_info_update(data: bytes, info: dict[str, str | _dt.datetime], lang: str | None = None) -> bytes:
    """An incremental update to append to the PDF ``data``: it sets the Info dictionary's entries
    (Title, Subject, Keywords, …, CreationDate as a datetime; an empty value removes the entry)
    and the catalog's /Lang, leaving every byte of ``data`` as it is."""
    xref, trailer, offsets = _last_xref(data)
    size = int(trailer["Size"])
    root = _ref(trailer["Root"])
    updates: list[tuple[tuple[int, int], bytes]] = []
    if "Info" in trailer:
        info_ref = _ref(trailer["Info"])
        entries = _object_dict(data, offsets, info_ref)
    else:
        info_ref, entries, size = (size, 0), {}, size + 1
    for key, value in info.items():
        if isinstance(value, _dt.datetime):
            entries[key] = pdf_date(value)
        elif value:
            entries[key] = pdf_text(value)
        else:
            entries.pop(key, None)
    entries = {k: v for k, v in entries.items() if v.strip() not in (b"()", b"<>", b"<FEFF>")}
    updates.append((info_ref, _dict_bytes(entries)))
    if lang:
        catalog = _object_dict(data, offsets, root)
        catalog["Lang"] = b"(" + lang.encode("ascii") + b")"
        updates.append((root, _dict_bytes(catalog)))

    out = bytearray(b"" if data.endswith(b"\n") else b"\n")
    at = len(data) + len(out)
    table = []
    for (num, gen), body in sorted(updates):
        table.append(b"%d 1\n%010d %05d n \n" % (num, at, gen))
        obj = b"%d %d obj\n" % (num, gen) + body + b"\nendobj\n"
        out += obj
        at += len(obj)
    new_trailer = {k: v for k, v in trailer.items() if k not in ("Prev", "XRefStm")}
    new_trailer.update(Size=str(size).encode(), Info=b"%d %d R" % info_ref, Prev=str(xref).encode())
    out += b"xref\n" + b"".join(table) + b"trailer\n" + _dict_bytes(new_trailer) + b"\nstartxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def read_pdf_info(data: bytes) -> dict[str, str]:
    """The text entries of the PDF's current Info dictionary (for tests and checks)."""
    _xref, trailer, offsets = _last_xref(data)
    out = {}
    for key, raw in _object_dict(data, offsets, _ref(trailer["Info"])).items():
        if raw.startswith(b"<") and not raw.startswith(b"<<"):
            b = bytes.fromhex(raw[1:-1].decode("ascii"))
        elif raw.startswith(b"("):
            b = re.sub(rb"\\(.)", rb"\1", raw[1:-1], flags=re.S)
        else:
            continue
        out[key] = b[2:].decode("utf-16-be") if b.startswith(b"\xfe\xff") else b.decode("latin-1")
    return out


def pdf_catalog(data: bytes) -> dict[str, bytes]:
    _xref, trailer, offsets = _last_xref(data)
    return _object_dict(data, offsets, _ref(trailer["Root"]))


def pdf_info(meta: dict[str, str]) -> dict[str, str | _dt.datetime]:
    """An export's metadata (``MapExporter.metadata``) as PDF Info entries. A PDF's Title names
    the document (the drawn title, else what the map shows); Subject holds the sources."""
    created = _dt.datetime.fromisoformat(meta["Creation Time"])
    return {
        "Title": meta.get("Title") or meta["Description"],
        "Subject": meta["Source"],
        "Keywords": f"{meta['Projection']}; {meta['Extent']}",
        "Creator": meta["Software"],
        "Author": "",
        "CreationDate": created,
        "ModDate": created,
    }


def xmp_packet(title: str, description: str, keywords: str, creator_tool: str, producer: str,
               lang: str, created: _dt.datetime, document_id: str) -> str:
    """An XMP packet with the same title, subject and keywords as the Info dictionary (PDF 2.0
    readers prefer XMP), in the layout QPdfWriter writes its own."""
    e = escape
    when = created.astimezone(_dt.timezone.utc).replace(microsecond=0).isoformat()

    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{e(value)}</rdf:li></rdf:Alt>'

    return (
        "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        '<rdf:RDF>\n<rdf:Description rdf:about="">\n'
        + (f"<dc:title>{alt(title)}</dc:title>\n" if title else "")
        + f"<dc:description>{alt(description)}</dc:description>\n"
        f"<dc:language><rdf:Bag><rdf:li>{e(lang)}</rdf:li></rdf:Bag></dc:language>\n"
        "<dc:format>application/pdf</dc:format>\n"
        f"<pdf:Keywords>{e(keywords)}</pdf:Keywords>\n<pdf:Producer>{e(producer)}</pdf:Producer>\n"
        f"<xmp:CreatorTool>{e(creator_tool)}</xmp:CreatorTool>\n<xmp:CreateDate>{when}</xmp:CreateDate>\n"
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>\n<xmp:MetadataDate>{when}</xmp:MetadataDate>\n"
        f"<xmpMM:DocumentID>uuid:{e(document_id)}</xmpMM:DocumentID>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end='w'?>"
    )
