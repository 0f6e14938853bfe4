"""The PDF of a rendered document: LibreOffice converts the .docx.

A machine without the official faces (仿宋_GB2312, 方正小标宋简体…: every Linux box, most CI) would
print every Chinese style in one fallback face. So the conversion runs with a fontconfig file of
its own that sends each official face that is not installed to the first installed free face of
the same class listed in the house style (pdf.substitutes), and says which substitutions it made.
The .docx keeps the official names: Word with the official faces still uses them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reporttool.problems import Problem
from reporttool.render.house_style import HouseStyle

TIMEOUT_S = 180  # a first start builds a profile (a few seconds); a long report converts in seconds
INSTALL_HINT = ("请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui；"
                "Windows、macOS：从 libreoffice.org 下载安装）")


class PdfError(Exception):
    """The conversion could not be done; the message is for the user."""


@dataclass(frozen=True)
class Substitution:
    """An official face this machine lacks, and the free face the PDF uses for it (None: no listed
    face is installed, LibreOffice picks one)."""

    official: str
    face: str | None
    faces: tuple[str, ...] = ()  # the house style's list for it, in order
    fill: tuple[str, ...] = ()  # the installed faces after `face`: they supply the glyphs it lacks
    bold: bool = False


def soffice() -> str | None:
    """The LibreOffice program, where it is installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                 r"C:\Program Files\LibreOffice\program\soffice.exe"):
        if os.path.exists(path):
            return path
    return None


def official_faces(style: HouseStyle) -> list[str]:
    """The faces the document names: each style's, the Latin face, the folio's (in order, once)."""
    names = [s.get("font") for s in style["styles"].values()]
    names += [style["fonts"].get("latin"), style["page_number"].get("font")]
    return list(dict.fromkeys(n for n in names if n))


def plan(style: HouseStyle, installed: set[str]) -> list[Substitution]:
    """What replaces each official face that is not installed."""
    table = style.data.get("pdf", {}).get("substitutes", {})
    out = []
    for official in official_faces(style):
        if official in installed:
            continue
        entry = table.get(official, {})
        faces = tuple(entry.get("faces", ()))
        present = [f for f in faces if f in installed]
        out.append(Substitution(official, present[0] if present else None, faces, tuple(present[1:]),
                                bool(entry.get("bold", False))))
    return out


def _config(directory: Path, style: HouseStyle, substitutions: list[Substitution]) -> Path:
    """A fontconfig file: the system's, the house style's extra font folders, and one rule per
    substitution (the free faces in order, so the later ones fill glyphs the first lacks).

    The extra folders are scanned under a path of this run's own, into a cache of its own (a few
    milliseconds): a cache made without the scan rule below would hide its correction."""
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">', "<fontconfig>",
             f"  <cachedir>{escape(str(directory / 'cache'))}</cachedir>",
             '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>']
    for index, folder in enumerate(style.data.get("pdf", {}).get("font_dirs", [])):
        if not os.path.isdir(folder):
            continue
        link = directory / "fonts" / str(index)
        try:
            link.parent.mkdir(exist_ok=True)
            if not link.exists():
                link.symlink_to(folder, target_is_directory=True)
            lines.append(f"  <dir>{escape(str(link))}</dir>")
        except OSError:
            lines.append(f"  <dir>{escape(folder)}</dir>")
    # a bold face whose file says regular weight (FandolSong-Bold, FandolHei-Bold) is known by its style
    lines.append('  <match target="scan"><test name="style" compare="eq"><string>Bold</string></test>'
                 '<test name="weight" compare="less"><const>bold</const></test>'
                 '<edit name="weight" mode="assign"><const>bold</const></edit></match>')
    for sub in substitutions:
        if sub.face is None:
            continue
        families = "".join(f"<string>{escape(f)}</string>" for f in (sub.face, *sub.fill))
        edit = f'<edit name="family" mode="assign" binding="strong">{families}</edit>'
        if sub.bold:
            edit += '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
        lines.append(f'  <match target="pattern"><test name="family" compare="eq" qual="any">'
                     f"<string>{escape(sub.official)}</string></test>{edit}</match>")
    lines.append("</fontconfig>")
    path = directory / "fonts.conf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def installed_families(env: dict[str, str]) -> set[str] | None:
    """Every font family fontconfig knows under `env` (each alias of a family); None without fc-list."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run([fc_list, ":", "family"], env=env, capture_output=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in listed.stdout.decode("utf-8", "replace").splitlines()
            for name in line.split(",") if name.strip()}


def convert(docx: bytes, style: HouseStyle) -> tuple[bytes, list[Substitution] | None]:
    """The PDF of `docx`, and the substitutions made (None: fontconfig could not be asked, so the
    faces are LibreOffice's own choice). Raises PdfError."""
    program = soffice()
    if program is None:
        raise PdfError("没有找到 LibreOffice，无法生成 PDF：" + INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="reporttool-pdf-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(_config(folder, style, []))  # the system's faces and the extra folders
        installed = installed_families(env)
        substitutions = plan(style, installed) if installed is not None else None
        env["FONTCONFIG_FILE"] = str(_config(folder, style, substitutions or []))
        source = folder / "report.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
                   "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        target = folder / "report.pdf"
        detail = ""
        for _ in range(2):  # a first start in a new profile fails now and then; the second start works
            detail = _run(command, env)
            if target.exists() and target.stat().st_size > 0:
                return target.read_bytes(), substitutions
        raise PdfError(f"LibreOffice 未能把文档转换为 PDF{('：' + detail) if detail else ''}")


def _run(command: list[str], env: dict[str, str]) -> str:
    """Run LibreOffice in its own process group (a timeout kills all it started); its complaint, if any."""
    kwargs: dict = {"start_new_session": True} if sys.platform != "win32" else {}
    try:
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    except OSError as exc:
        from reporttool.messages import os_reason

        raise PdfError(f"无法启动 LibreOffice：{os_reason(exc)}") from exc
    try:
        _, err = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        if sys.platform != "win32":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.communicate()
        raise PdfError(f"LibreOffice 转换超时（{TIMEOUT_S} 秒），未生成 PDF") from None
    lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip() and "javaldx" not in line]
    return lines[-1].strip() if lines else ""


# Debian packages that carry the house style's free faces (a hint when none of them is installed)
PACKAGES = {"Fandol": "texlive-lang-chinese", "AR PL UKai": "fonts-arphic-ukai", "AR PL UMing": "fonts-arphic-uming",
            "Liberation": "fonts-liberation2", "DejaVu": "fonts-dejavu-core", "Noto": "fonts-noto-cjk"}


def notes(substitutions: list[Substitution] | None, name: str) -> list[Problem]:
    """The warnings a conversion leaves: the substitutions made (one list), faces with none."""
    from reporttool import messages

    if substitutions is None:
        return [messages.make("pdf/fonts-unknown", name)]
    out = []
    made = [s for s in substitutions if s.face is not None]
    if made:
        pairs = "、".join(f"{s.official}→{s.face}{'（粗体）' if s.bold else ''}" for s in made)
        out.append(messages.make("pdf/font-substituted", name, pairs=pairs))
    for sub in substitutions:
        if sub.face is None:
            packages = sorted({package for prefix, package in PACKAGES.items() for face in sub.faces
                               if face.startswith(prefix)})
            hint = (f"安装替代字体（Debian/Ubuntu：apt-get install {' '.join(packages)}），"
                    if packages else "") + "或在版式文件的 pdf.substitutes 中为它列出本机已有的同类字体"
            out.append(messages.make("pdf/font-missing", name, official=sub.official,
                                     faces="、".join(sub.faces) or "无", hint=hint))
    return out
