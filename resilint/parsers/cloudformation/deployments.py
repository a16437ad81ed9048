"""Where templates are deployed, and with which parameter values, from deployment configuration
that sits beside them: SAM's `samconfig.toml` / `samconfig.yaml` (each environment's `region`
and `parameter_overrides`), a CDK cloud assembly's `manifest.json` (each stack's
`aws://account/region` environment), and Makefiles or shell scripts that deploy one stack in
several regions (`deploy_scripts`).

SAM environments (`default`, `prod`...) are different deployments. The template is judged with
the parameter values every environment agrees on (a value that differs between environments is
unknown, never one of them), and in the regions its environments deploy to when all of them
name the same region; environments in different regions are not assumed to be one system.
"""

from __future__ import annotations

import json
import os
import posixpath
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from resilint.model import Unknown
from resilint.parsers.cloudformation import deploy_scripts
from resilint.parsers.cloudformation.parameters import Given, parse_overrides
from resilint.sources import SourceFile

SAMCONFIG_NAMES = ("samconfig.toml", "samconfig.yaml", "samconfig.yml")
_DEFAULT_SAM_TEMPLATES = ("template.yaml", "template.yml", "template.json")


@dataclass
class Deployment:
    """How a template is deployed, by deployment configuration."""

    regions: tuple[str, ...] = ()
    parameters: dict[str, Given] = field(default_factory=dict)
    origin: str = ""  # what says so: "samconfig.toml [default, prod]", "StackSet Fleet (org.yaml)"
    sources: tuple[Path, ...] = ()  # the configuration files read
    app: str | None = None  # the CDK cloud assembly's manifest (display path) listing the template


def find(templates: Iterable[SourceFile]) -> dict[str, Deployment]:
    """Deployments by template display path, for the templates that configuration beside them
    names, else a Makefile or shell script (`deploy_scripts`) deploys (regions only when it
    deploys it as one stack in several regions)."""
    templates = list(templates)
    found = _configured(templates)
    for display, scripted in deploy_scripts.find(templates).items():
        if display not in found:
            found[display] = _scripted(display, scripted, next(f for f in templates if f.display == display))
    return found


def scope(path: str) -> str | None:
    """Whether a file of this path may be deployment configuration of templates, and of which:
    "folder" (samconfig, a CDK manifest: the templates beside it), "below" (a Makefile or shell
    script: the templates in its folder and under it); None for any other file. What the file
    index watches: an edit may give a template regions, or take them away."""
    name = os.path.basename(path)
    if name in SAMCONFIG_NAMES or name == "manifest.json":
        return "folder"
    if deploy_scripts.is_script_name(name):
        return "below"
    return None


def _scripted(display: str, scripted: deploy_scripts.ScriptDeployment, template: SourceFile) -> Deployment:
    if not scripted.regions:  # deployed, but not as copies: nothing changes, the scripts are read
        return Deployment(sources=scripted.scripts)
    relative = os.path.relpath(scripted.script, template.path.parent)
    shown = posixpath.normpath(posixpath.join(posixpath.dirname(display), Path(relative).as_posix()))
    return Deployment(
        regions=scripted.regions,
        origin=f"{shown} (stack {scripted.stack} in {', '.join(scripted.regions)})",
        sources=scripted.scripts,
    )


def _configured(templates: list[SourceFile]) -> dict[str, Deployment]:
    found: dict[str, Deployment] = {}
    by_folder: dict[Path, list[SourceFile]] = {}
    for file in templates:
        by_folder.setdefault(file.path.parent, []).append(file)
    for folder, files in sorted(by_folder.items()):
        by_name = {f.path.name: f for f in files}
        for name in SAMCONFIG_NAMES:
            config = folder / name
            if config.is_file():
                for template_name, deployment in _samconfig(config).items():
                    target = by_name.get(template_name)
                    if target is not None and target.display not in found:
                        found[target.display] = deployment
        manifest = folder / "manifest.json"
        if manifest.is_file():
            for template_name, deployment in _cdk_manifest(manifest).items():
                target = by_name.get(template_name)
                if target is not None:
                    app = posixpath.join(posixpath.dirname(target.display), manifest.name)
                    found.setdefault(target.display, replace(deployment, app=app))
    return found


def _samconfig(path: Path) -> dict[str, Deployment]:
    """Template file name -> deployment, from one samconfig file."""
    data = _read_config(path)
    if not isinstance(data, dict):
        return {}
    origin = path.name
    per_template: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for env, commands in sorted(data.items()):
        if env == "version" or not isinstance(commands, dict):
            continue
        merged: dict[str, Any] = {}
        for command in ("global", "deploy", "sync"):
            section = commands.get(command)
            params = section.get("parameters") if isinstance(section, dict) else None
            if isinstance(params, dict):
                merged.update(params)
        if "region" not in merged and "parameter_overrides" not in merged:
            continue
        template = merged.get("template_file", merged.get("template"))
        names = [posixpath.basename(str(template))] if isinstance(template, str) else list(_DEFAULT_SAM_TEMPLATES)
        for name in names:
            per_template.setdefault(name, []).append((str(env), merged))
    return {name: replace(_agreed(envs, origin), sources=(path,)) for name, envs in per_template.items()}


def _agreed(envs: list[tuple[str, dict[str, Any]]], origin: str) -> Deployment:
    regions = {str(m["region"]) for _, m in envs if isinstance(m.get("region"), str)}
    every_env_has_region = all(isinstance(m.get("region"), str) for _, m in envs)
    overrides = [parse_overrides(m.get("parameter_overrides")) for _, m in envs]
    names = sorted({n for o in overrides for n in o})
    parameters: dict[str, Given] = {}
    label = f"{origin} [{', '.join(env for env, _ in envs)}]"
    for name in names:
        values = {o.get(name) for o in overrides}
        if len(values) == 1 and None not in values:
            (value,) = values
            parameters[name] = Given(value, label)
        else:
            parameters[name] = Given(Unknown(f"parameter {name} differs between the environments of {origin}"), label)
    return Deployment(
        regions=tuple(sorted(regions)) if every_env_has_region and len(regions) == 1 else (), parameters=parameters, origin=label
    )


def _read_config(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix == ".toml":
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _cdk_manifest(path: Path) -> dict[str, Deployment]:
    """Template file name -> deployment, from a CDK cloud assembly's manifest."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    artifacts = data.get("artifacts") if isinstance(data, dict) else None
    found: dict[str, Deployment] = {}
    for artifact in (artifacts.values() if isinstance(artifacts, dict) else ()):
        if not isinstance(artifact, dict) or artifact.get("type") != "aws:cloudformation:stack":
            continue
        properties = _mapping(artifact.get("properties"))
        template = properties.get("templateFile")
        environment = artifact.get("environment")
        if not isinstance(template, str) or not isinstance(environment, str):
            continue
        region = environment.rsplit("/", 1)[-1] if environment.startswith("aws://") else ""
        if not region or region.startswith("unknown-"):
            # An environment-agnostic stack: deployed with the app, to a region chosen then.
            found[posixpath.basename(template)] = Deployment(origin=f"{path.name} ({artifact.get('displayName', template)})", sources=(path,))
            continue
        parameters = _mapping(properties.get("parameters"))
        found[posixpath.basename(template)] = Deployment(
            regions=(region,),
            parameters={str(k): Given(str(v), path.name) for k, v in parameters.items()},
            origin=f"{path.name} ({artifact.get('displayName', template)})",
            sources=(path,),
        )
    return found


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}
