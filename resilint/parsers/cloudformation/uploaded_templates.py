"""A nested stack's `TemplateURL` that names an S3 object, matched to the template in the scanned
tree that was uploaded there.

Teams keep the child templates beside the parent and upload them (`aws s3 cp`, `aws s3 sync`)
before deploying: `https://${Bucket}.s3.${AWS::Region}.${AWS::URLSuffix}/templates/vpc.yaml`
deploys the repository's `templates/vpc.yaml`. Nothing in the code says which local file was
uploaded, so the match is strict, and a template is linked only when the object's key says so:

- the key's path (`templates/vpc.yaml`, two segments or more) is a file under exactly one folder
  that holds the parent template (its own folder, or one above it within the repository: the
  folder that was synced to the bucket's root or prefix); a key found under two of them links
  neither;
- else the key's file name (`vpc.yaml`) is a file beside the parent;
- else a key's `vpc.template` is the one `vpc.yaml` (`.yml`, `.json`) beside the parent: the AWS
  Solutions build script uploads every `X.yaml` under the name `X.template`.

A key whose start is not known (`${KeyPrefix}templates/vpc.yaml`) is matched by the segments
after the unknown part only (the prefix may end inside `templates`): `vpc.yaml` beside the
parent. The bucket and region may be unknown: they do not name a file. Only names ending like a
template (`.yaml`, `.yml`, `.json`, `.template`) are matched, and the match must still be read
as a template by the caller.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from resilint.model import UnknownText

_UNKNOWN = "\0"  # stands for an unknown part of the URL
_URL = re.compile(r"^(https?|s3)://([^/]*)/(.*)$", re.IGNORECASE)
_PATH_STYLE_HOST = re.compile(r"^s3(?:[.-][^/]*)?\.amazonaws\.com(?:\.cn)?$", re.IGNORECASE)
_VIRTUAL_HOST = re.compile(r"^.+\.s3(?:[.-][^/]*)?\.amazonaws\.com(?:\.cn)?$", re.IGNORECASE)
_TEMPLATE_NAME = re.compile(r"\.(?:ya?ml|json|template)$", re.IGNORECASE)
_BUILT_SUFFIX = ".template"
_BUILT_FROM = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Uploaded:
    """What an S3 `TemplateURL` names locally: the file (absolute path, display path) and how
    it was matched, for the link's reason; or the several files that fit (`ambiguous`)."""

    path: Path | None
    display: str | None
    how: str
    ambiguous: tuple[str, ...] = ()


def object_key(url: Any) -> tuple[tuple[str, ...], bool] | None:
    """The segments of the S3 object key a `TemplateURL` names, and whether the whole key is
    known; for a key whose start is not known, the segments after it that are whole. None for a
    URL that names no S3 object (or whose key ends in something not known)."""
    if isinstance(url, str):
        text = url.strip()
    elif isinstance(url, UnknownText):
        text = "".join(part if isinstance(part, str) else _UNKNOWN for part in url.parts)
    else:
        return None
    match = _URL.match(text)
    if match is None:
        return None
    scheme, host, path = match.groups()
    path = path.split("?", 1)[0]
    if scheme.lower() == "s3":
        key = path
    elif _PATH_STYLE_HOST.match(host):
        _, _, key = path.partition("/")  # the first segment is the bucket
    elif _VIRTUAL_HOST.match(host):
        key = path
    else:
        return None
    whole = _UNKNOWN not in key
    if not whole:
        tail = key.rsplit(_UNKNOWN, 1)[1]
        # `${Prefix}templates/x.yaml`: the prefix may end inside `templates`
        key = tail if tail.startswith("/") else tail.partition("/")[2]
    segments = tuple(s for s in key.split("/") if s)
    if not segments or not _TEMPLATE_NAME.search(segments[-1]) or any(s in (".", "..") for s in segments):
        return None
    return segments, whole


def uploaded_template(url: Any, parent: Path, parent_display: str) -> Uploaded | None:
    """The local template an S3 `TemplateURL` names (module documentation), for the template at
    `parent` (shown as `parent_display`); None when no file fits."""
    found = object_key(url)
    if found is None:
        return None
    segments, whole = found
    folder = parent.parent
    key = "/".join(segments)
    if len(segments) > 1:
        matches = [top / key for top in _folders_up(folder, parent_display) if (top / key).is_file()]
        if len(matches) == 1:
            return _uploaded(matches[0], folder, parent_display, f"its S3 key {'' if whole else 'ends in '}{key}")
        if matches:
            shown = tuple(_display(m, folder, parent_display) for m in matches)
            return Uploaded(None, None, f"its S3 key {key}", shown)
    beside = folder / segments[-1]
    if beside.is_file() and beside.resolve() != parent.resolve():
        return _uploaded(beside, folder, parent_display, f"its S3 key's file name {segments[-1]}, beside it")
    return _built_template(segments[-1], folder, parent, parent_display)


def _built_template(name: str, folder: Path, parent: Path, parent_display: str) -> Uploaded | None:
    """A key's `X.template` built from the one `X.yaml` (`.yml`, `.json`) beside the parent: the
    AWS Solutions build script (`build-s3-dist.sh`) uploads every `X.yaml` as `X.template`, so
    the parent names the object by the name the build gives it. Two sources of one stem (YAML
    beside its JSON conversion) are not told apart: neither is taken."""
    if not name.lower().endswith(_BUILT_SUFFIX):
        return None
    stem = name[: -len(_BUILT_SUFFIX)]
    sources = [folder / (stem + suffix) for suffix in _BUILT_FROM if (folder / (stem + suffix)).is_file()]
    if len(sources) != 1 or sources[0].resolve() == parent.resolve():
        return None
    (source,) = sources
    return _uploaded(source, folder, parent_display, f"its S3 key's file name {name}, built from {source.name} beside it")


def _uploaded(path: Path, folder: Path, parent_display: str, how: str) -> Uploaded:
    return Uploaded(path.resolve(), _display(path, folder, parent_display), how)


def _display(path: Path, folder: Path, parent_display: str) -> str:
    relative = Path(posixpath.relpath(path.as_posix(), folder.as_posix())).as_posix()
    return posixpath.normpath(posixpath.join(posixpath.dirname(parent_display), relative))


def _folders_up(folder: Path, parent_display: str) -> list[Path]:
    """The parent template's folder and those above it within its repository (the nearest
    folder holding `.git`), or, outside a repository, within the scanned folder."""
    above = len([p for p in PurePosixPath(parent_display).parent.parts if p not in (".", "..")])
    folders = [folder]
    current = folder
    for _ in range(64):
        if (current / ".git").exists() or current.parent == current:
            break
        current = current.parent
        folders.append(current)
    if not (folders[-1] / ".git").exists():
        folders = folders[: above + 1]
    return folders
