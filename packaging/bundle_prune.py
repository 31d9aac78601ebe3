"""Helpers for packaging/silkmap.spec on Linux (ELF): leave out the shared libraries nothing in
the bundle loads, and strip the symbols and debug info the dynamic loader never reads.

PyInstaller collects the dependencies of every plugin and extension it sees. Once the spec
prunes Qt plugins and Python modules, the libraries only those linked to (QtNetwork's
Kerberos, the Wayland client, ...) stay behind: ``prune_unreferenced`` keeps what is reachable
through DT_NEEDED from the roots (extension modules, Qt plugins, libpython) and drops the rest.

``strip_binaries`` is not PyInstaller's ``strip=True``: GNU strip re-lays out the libraries
that auditwheel's patchelf rewrote (numpy's OpenBLAS then fails with "ELF load command
address/offset not page-aligned"). ``compact_elf`` drops the symbol table and debug sections
and moves each segment only by a multiple of its alignment, then checks that every segment
and every kept section holds the same bytes as before.
Stdlib only.
"""

from __future__ import annotations

import mmap
import os
import shutil
import struct
from collections import defaultdict
from pathlib import Path

SHT_SYMTAB = 2
SHT_DYNAMIC = 6
DT_NEEDED = 1


class Elf:
    """What the spec needs from an ELF file: DT_NEEDED, program headers, strippable sections."""

    def __init__(self, needed: list[str], phdrs: list[tuple], strippable: bool, size: int, is64: bool) -> None:
        self.needed, self.phdrs, self.strippable, self.size = needed, phdrs, strippable, size
        self.is64 = is64

    def segments_in_file(self) -> bool:
        """Every segment's bytes lie inside the file (offset + filesz <= size)."""
        # 64-bit: type, flags, offset, vaddr, paddr, filesz, ...; 32-bit: type, offset, vaddr, paddr, filesz, ...
        off, filesz = (2, 5) if self.is64 else (1, 4)
        return all(p[off] + p[filesz] <= self.size for p in self.phdrs)


def read_elf(path: str) -> Elf | None:
    """Parse ``path``; None if it is not an ELF file (or not one this parser understands)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"\x7fELF":
                return None
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return _parse(data)
    except (OSError, ValueError, IndexError, struct.error):
        return None


def _cstr(data, pos: int) -> str:
    return data[pos:data.find(b"\0", pos)].decode("utf-8", "replace")


def _parse(data) -> Elf:
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        (phoff, shoff) = struct.unpack_from(end + "QQ", data, 0x20)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from(end + "HHHHH", data, 0x36)
        phdr, shdr, dyn = end + "IIQQQQQQ", end + "IIQQQQIIQQ", end + "qQ"
    else:
        (phoff, shoff) = struct.unpack_from(end + "II", data, 0x1C)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from(end + "HHHHH", data, 0x2A)
        phdr, shdr, dyn = end + "IIIIIIII", end + "IIIIIIIIII", end + "iI"
    phdrs = [struct.unpack_from(phdr, data, phoff + i * phentsize) for i in range(phnum)]
    sections = [struct.unpack_from(shdr, data, shoff + i * shentsize) for i in range(shnum)]
    # section header: name, type, flags, addr, offset, size, link, info, addralign, entsize
    names_off = sections[shstrndx][4] if shstrndx < len(sections) else None
    strippable = False
    needed: list[str] = []
    for sec in sections:
        name = _cstr(data, names_off + sec[0]) if names_off is not None else ""
        if sec[1] == SHT_SYMTAB or name.startswith((".debug", ".zdebug")):
            strippable = True
        if sec[1] == SHT_DYNAMIC:
            str_off = sections[sec[6]][4]
            step = struct.calcsize(dyn)
            for pos in range(sec[4], sec[4] + sec[5], step):
                tag, val = struct.unpack_from(dyn, data, pos)
                if tag == 0:
                    break
                if tag == DT_NEEDED:
                    needed.append(_cstr(data, str_off + val))
    return Elf(needed, phdrs, strippable, len(data), is64)


def prune_unreferenced(binaries, is_root, is_opaque=lambda dest: False, log=print):
    """Keep the roots (``is_root(dest, typecode)``) and what they need, transitively; drop
    the other shared libraries.

    ``binaries`` is PyInstaller's TOC of (dest, src, typecode). ``is_opaque(dest)``: keep the
    file but do not follow what it links to (its libraries come from the system). Files that
    are not ELF are always kept.
    """
    real = {dest: src for dest, src, kind in binaries if kind != "SYMLINK"}
    providers: dict[str, set[str]] = defaultdict(set)
    for dest, src, kind in binaries:
        providers[os.path.basename(dest)].add(src if kind == "SYMLINK" else dest)
    elves = {dest: read_elf(src) for dest, src in real.items()}
    kinds = {dest: kind for dest, _src, kind in binaries}
    stack = [d for d in real if is_root(d, kinds[d]) or elves[d] is None]
    keep: set[str] = set()
    while stack:
        dest = stack.pop()
        if dest in keep or dest not in real:
            continue
        keep.add(dest)
        if is_opaque(dest) or elves[dest] is None:
            continue
        for name in elves[dest].needed:
            stack.extend(providers.get(name, ()))
    dropped = sorted(d for d in real if d not in keep)
    if dropped:
        size = sum(os.path.getsize(real[d]) for d in dropped)
        log(f"silkmap.spec: left out {len(dropped)} libraries nothing loads ({size / 1e6:.1f} MB): "
            + " ".join(os.path.basename(d) for d in dropped))
    return [(dest, src, kind) for dest, src, kind in binaries
            if (src if kind == "SYMLINK" else dest) in keep]


def drop_dangling_symlinks(datas, binaries):
    """PyInstaller lists its top-level symlinks to libraries in subfolders among the datas."""
    targets = {dest for dest, _src, kind in list(binaries) + list(datas) if kind != "SYMLINK"}
    return [entry for entry in datas if entry[2] != "SYMLINK" or entry[1] in targets]


SHF_ALLOC = 2
SHT_NOBITS = 8
PT_LOAD = 1
EHDR64 = "<16sHHIQQQIHHHHHH"
PHDR64 = "<IIQQQQQQ"
SHDR64 = "<IIQQQQIIQQ"


def compact_elf(data: bytes) -> bytes | None:
    """``data`` (a little-endian ELF64 file) without its symbol table and debug sections, or
    None if there is nothing to drop or the layout is one this does not handle.

    Like ``strip --strip-unneeded``, except that it never changes how the file loads: each
    PT_LOAD segment keeps its bytes and its address and moves down by a multiple of its
    alignment over the dropped sections (GNU strip re-lays out files that patchelf rewrote
    and can break them). The result is checked: every segment and every kept section holds
    the same bytes as before.
    """
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    eh = list(struct.unpack_from(EHDR64, data, 0))
    phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx = eh[5], eh[6], eh[9], eh[10], eh[11], eh[12], eh[13]
    if not shoff or not shnum or shstrndx >= shnum or phentsize != 56 or shentsize != 64:
        return None
    ph = [list(struct.unpack_from(PHDR64, data, phoff + i * 56)) for i in range(phnum)]
    sh = [list(struct.unpack_from(SHDR64, data, shoff + i * 64)) for i in range(shnum)]
    names = sh[shstrndx][4]
    name = [_cstr(data, names + h[0]) for h in sh]
    loads = sorted((p for p in ph if p[0] == PT_LOAD), key=lambda p: p[2])
    if not loads or loads[0][2] != 0:
        return None

    def in_load(off: int, size: int):
        for p in loads:
            if p[2] <= off and off + size <= p[2] + p[5] and (size or off < p[2] + p[5]):
                return p
        return None

    symtabs = {i for i, h in enumerate(sh) if h[1] == SHT_SYMTAB}
    drop = {i for i, h in enumerate(sh) if i and i != shstrndx and not h[2] & SHF_ALLOC and h[1] != SHT_NOBITS and (
        i in symtabs or name[i].startswith((".debug", ".zdebug")) or (
            name[i] == ".strtab" and any(sh[t][6] == i for t in symtabs)))}
    if not drop:
        return None
    # Blocks to lay out in file order: the segments and the kept sections outside them.
    blocks = [("load", p[2], p[5], p[7] or 1, p) for p in loads]  # (kind, off, size, align, ref)
    for i, h in enumerate(sh):
        if i == 0 or i in drop or h[1] == SHT_NOBITS or h[2] & SHF_ALLOC:
            continue
        if in_load(h[4], h[5]) is None:
            blocks.append(("section", h[4], h[5], max(h[8], 1), i))
        elif h[5]:
            return None  # a non-alloc section inside a segment: unusual, leave the file alone
    blocks.sort(key=lambda b: (b[1], b[0] != "load"))
    new_off: dict = {}
    cursor = 0
    for kind, off, size, align, ref in blocks:
        if kind == "load":
            new = off - ((off - cursor) // align) * align if off >= cursor else None
            if new is None or new % align != ref[3] % align:
                return None
            new_off[id(ref)] = new
        else:
            new = -(-cursor // align) * align
            new_off[ref] = new
        cursor = max(cursor, new + size)
    delta_of = {id(p): p[2] - new_off[id(p)] for p in loads}

    def moved(off: int, size: int, vaddr: int | None = None) -> int | None:
        if vaddr is not None:
            for p in loads:
                if p[3] <= vaddr < p[3] + max(p[6], 1) or (vaddr == p[3] + p[6] and p[6]):
                    return off - delta_of[id(p)]
        p = in_load(off, size)
        return None if p is None else off - delta_of[id(p)]

    # program headers: every segment's bytes lie inside a PT_LOAD (or it has none)
    new_ph = []
    for p in ph:
        q = list(p)
        if p[0] == PT_LOAD:
            q[2] = new_off[id(p)]
        elif p[5]:
            m = moved(p[2], p[5])
            if m is None:
                return None
            q[2] = m
        new_ph.append(q)
    m = moved(phoff, phnum * 56)
    if m is None:
        return None
    new_phoff = m
    # section headers: dropped ones become inactive (SHT_NULL), so no index changes
    new_sh = []
    for i, h in enumerate(sh):
        q = list(h)
        if i == 0:
            pass
        elif i in drop:
            q = [0] * 10
        elif h[2] & SHF_ALLOC:
            m = moved(h[4], h[5], h[3])
            if m is None:
                return None
            q[4] = m
        elif h[1] == SHT_NOBITS:
            q[4] = min(h[4], cursor)
        else:
            q[4] = new_off[i]
        new_sh.append(q)
    new_shoff = -(-cursor // 8) * 8
    out = bytearray(new_shoff + shnum * 64)
    for kind, off, size, _align, ref in blocks:
        dst = new_off[id(ref)] if kind == "load" else new_off[ref]
        out[dst:dst + size] = data[off:off + size]
    eh[5], eh[6] = new_phoff, new_shoff
    struct.pack_into(EHDR64, out, 0, *eh)
    for i, q in enumerate(new_ph):
        struct.pack_into(PHDR64, out, new_phoff + i * 56, *q)
    for i, q in enumerate(new_sh):
        struct.pack_into(SHDR64, out, new_shoff + i * 64, *q)
    # check: same bytes in every segment (but the headers) and in every kept section
    headers = [(0, 64), (phoff, phoff + phnum * 56)]
    for p in loads:
        a, b = p[2], new_off[id(p)]
        for lo, hi in _minus((a, a + p[5]), headers):
            if data[lo:hi] != out[lo - a + b:hi - a + b]:
                return None
    for h, q in zip(sh, new_sh):
        if q[1] not in (0, SHT_NOBITS) and data[h[4]:h[4] + h[5]] != out[q[4]:q[4] + q[5]]:
            return None
    return bytes(out) if len(out) < len(data) else None


def _minus(span, holes):
    """The parts of ``span`` (lo, hi) outside the ``holes``."""
    parts = [span]
    for hlo, hhi in holes:
        nxt = []
        for lo, hi in parts:
            if hhi <= lo or hlo >= hi:
                nxt.append((lo, hi))
                continue
            if lo < hlo:
                nxt.append((lo, hlo))
            if hhi < hi:
                nxt.append((hhi, hi))
        parts = nxt
    return parts


def strip_binaries(binaries, workdir: Path, log=print):
    """Replace each ELF's src by a copy without symbol table and debug info (compact_elf)."""
    out, saved, count = [], 0, 0
    for dest, src, kind in binaries:
        if kind != "SYMLINK":
            with open(src, "rb") as fh:
                data = fh.read()
            small = compact_elf(data)
            if small is not None:
                target = workdir / "stripped" / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(small)
                shutil.copymode(src, target)
                saved += len(data) - len(small)
                count += 1
                src = str(target)
        out.append((dest, src, kind))
    log(f"silkmap.spec: stripped symbol tables and debug info from {count} binaries ({saved / 1e6:.1f} MB)")
    return out


PROJ_DB_KEPT = {"metadata", "ellipsoid", "prime_meridian", "unit_of_measure", "celestial_body",
                "authority_list"}


def trim_proj_db(datas, workpath: Path):
    """Replace pyproj's proj.db with a copy holding the schema and the reference tables only."""
    import shutil
    import sqlite3

    out = []
    for dest, src, kind in datas:
        if dest.replace("\\", "/").endswith("pyproj/proj_dir/share/proj/proj.db"):
            trimmed = Path(workpath) / "proj-trimmed" / "proj.db"
            trimmed.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, trimmed)
            con = sqlite3.connect(trimmed)
            # The database's triggers guard inserts and deletes; without them the rows can go.
            for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                con.execute(f'DROP TRIGGER "{name}"')
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                if table not in PROJ_DB_KEPT and not table.startswith("sqlite_"):
                    con.execute(f'DELETE FROM "{table}"')
            con.commit()
            con.execute("VACUUM")
            con.close()
            src = str(trimmed)
        out.append((dest, src, kind))
    return out
