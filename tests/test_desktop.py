"""Desktop integration: the .desktop entry, the icons, `make install-desktop`, the window icon."""

import configparser
import importlib.util
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
PKG_ICONS = ROOT / "src" / "silkmap" / "ui" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)
METAINFO = PACKAGING / "org.silkmap.silkmap.metainfo.xml"
SCREENSHOT_URL = "https://github.com/silkmap/silkmap/raw/main/"  # no homepage yet; AppStream wants web URLs


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_desktop_entry_has_names_in_chinese_and_the_categories():
    entry = desktop_entry(PACKAGING / "silkmap.desktop")
    assert entry["Type"] == "Application" and entry["Icon"] == "silkmap" and entry["Terminal"] == "false"
    assert entry["Categories"] == "Education;Geography;Science;"
    for key in ("Name", "GenericName", "Comment"):
        for locale in ("zh_CN", "zh_TW"):
            assert entry[f"{key}[{locale}]"].strip(), f"{key}[{locale}] is empty"
    assert "丝" in entry["Name[zh_CN]"] and "絲" in entry["Name[zh_TW]"]


@pytest.mark.parametrize("size", SIZES)
def test_icons_are_rendered_at_each_size_and_copied_into_the_package(size):
    png = PACKAGING / "icons" / f"silkmap-{size}.png"
    assert png_size(png) == (size, size)
    assert (PKG_ICONS / png.name).read_bytes() == png.read_bytes()


def test_package_svg_is_the_packaging_svg():
    assert (PKG_ICONS / "silkmap.svg").read_bytes() == (PACKAGING / "icons" / "silkmap.svg").read_bytes()


def test_install_desktop_writes_entry_and_icons_then_removes_them(tmp_path):
    mod = load("install_desktop")
    program = Path(sys.executable).resolve()
    assert mod.main(["--exec", str(program), "--data-home", str(tmp_path)]) == 0
    entry = desktop_entry(tmp_path / "applications" / "silkmap.desktop")
    assert entry["TryExec"] == str(program)
    assert entry["Exec"] in (str(program), mod.exec_value(str(program)))
    for size in SIZES:
        assert png_size(tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "silkmap.png") == (size, size)
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "silkmap.svg").is_file()
    assert (tmp_path / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert mod.main(["--uninstall", "--data-home", str(tmp_path)]) == 0
    assert not (tmp_path / "applications" / "silkmap.desktop").exists()
    assert not (tmp_path / "metainfo" / METAINFO.name).exists()
    assert not list((tmp_path / "icons").rglob("silkmap.*"))


def test_install_desktop_refuses_a_relative_or_missing_program(tmp_path, capsys):
    mod = load("install_desktop")
    assert mod.main(["--exec", "silkmap", "--data-home", str(tmp_path)]) == 2
    assert mod.main(["--exec", str(tmp_path / "nope"), "--data-home", str(tmp_path)]) == 2
    assert not (tmp_path / "applications").exists()


def test_exec_value_quotes_paths_with_spaces_and_specials():
    mod = load("install_desktop")
    assert mod.exec_value("/opt/silkmap/silkmap") == "/opt/silkmap/silkmap"
    assert mod.exec_value("/home/a b/silk$map") == '"/home/a b/silk\\\\$map"'
    assert mod.exec_value("/x/100%/silkmap") == '"/x/100%%/silkmap"'


def test_window_icon_has_every_size(qapp):
    from silkmap.ui.application import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= set(SIZES)


# ------------------------------------------------------------------------------------- AppStream
def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return path


def test_desktop_file_validate_passes():
    validate = tool("desktop-file-validate", "desktop-file-utils")
    out = subprocess.run([validate, str(PACKAGING / "silkmap.desktop")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "error:" not in out.stdout and "warning:" not in out.stdout, out.stdout


def test_appstreamcli_validates_the_metainfo():
    appstreamcli = tool("appstreamcli", "appstream")
    out = subprocess.run([appstreamcli, "validate", "--no-net", "--pedantic", str(METAINFO)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    # Errors and warnings fail; AppStream 0.16 reports <developer> (AppStream 1.0's) as unknown.
    problems = [line for line in out.stdout.splitlines() if re.match(r"[EW]: ", line)]
    assert not problems, out.stdout


def test_metainfo_names_the_desktop_entry_the_version_and_the_committed_screenshots():
    from silkmap import __version__

    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert METAINFO.name == root.findtext("id") + ".metainfo.xml"
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id" and (PACKAGING / launchable.text).is_file()
    assert root.findtext("project_license") == "MIT"
    assert [r.get("version") for r in root.iter("release")][0] == __version__
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for tag in ("name", "summary"):
        assert {e.get(lang) for e in root.findall(tag)} == {None, "zh_CN", "zh_TW"}, tag
    shots = root.findall("screenshots/screenshot")
    assert [s.get("type") for s in shots].count("default") == 1
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    in_readme = set(re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", readme))
    files = set()
    for shot in shots:
        image = shot.find("image")
        assert image.text.startswith(SCREENSHOT_URL), image.text
        rel = image.text[len(SCREENSHOT_URL):]
        path = ROOT / rel
        assert png_size(path) == (int(image.get("width")), int(image.get("height")))
        assert path.stat().st_size < 200_000, f"{rel}: optimise it (tools/screenshots.py does)"
        assert {c.get(lang) for c in shot.findall("caption")} == {None, "zh_CN", "zh_TW"}
        files.add(rel)
    assert files == in_readme == {f"docs/screenshots/{p.name}" for p in (ROOT / "docs" / "screenshots").glob("*.png")}


def test_appstreamcli_validates_the_installed_tree(tmp_path):
    """What `make install-desktop` writes holds together: the metainfo's launchable is the
    installed desktop entry, and its icon is installed."""
    appstreamcli = tool("appstreamcli", "appstream")
    mod = load("install_desktop")
    assert mod.main(["--exec", str(Path(sys.executable).resolve()), "--data-home", str(tmp_path / "usr" / "share")]) == 0
    out = subprocess.run([appstreamcli, "validate-tree", "--no-net", str(tmp_path)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "org.silkmap.silkmap.metainfo.xml" in out.stdout
    assert not [line for line in out.stdout.splitlines() if re.match(r"\s*[EW]: ", line)], out.stdout
