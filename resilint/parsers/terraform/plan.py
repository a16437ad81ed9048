"""`terraform show -json` plan output to a deployment unit.

A plan is the exact answer to where everything runs: every value Terraform knew at plan time is
in `planned_values`, with `after_unknown` marking what is computed at apply.
"""

from __future__ import annotations

import json
from typing import Any

from resilint.model import Location, Problem, ProviderConfig, Resource, Unit, Unknown
from resilint.parsers.terraform.placement import cloud_of, resource_region, resource_zones
from resilint.sources import SourceFile, problem

SUPPORTED_MAJOR = "1"


def parse_plan(file: SourceFile) -> Unit | Problem | None:
    text = file.text or ""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return problem(file.display, f"invalid plan JSON: {exc.msg}", exc.lineno, exc.colno)
    except RecursionError:
        return problem(file.display, "plan JSON nested too deeply to analyse")
    if not isinstance(data, dict):
        return None
    version = str(data.get("format_version", ""))
    if version.split(".")[0] != SUPPORTED_MAJOR:
        return problem(
            file.display,
            f"plan format_version {version!r} is not supported (resilint reads format 1.x from terraform show -json)",
        )
    configuration = data.get("configuration") if isinstance(data.get("configuration"), dict) else {}
    providers = _providers(configuration, data.get("variables") or {}, file.display)
    anchor = Location(path=file.display, line=1, end_line=1)
    resources = []
    root = (data.get("planned_values") or {}).get("root_module") or {}
    for item in _walk_modules(root):
        if item.get("mode") != "managed" or not isinstance(item.get("type"), str):
            continue
        resources.append(_resource(item, providers, file.display, anchor))
    return Unit(
        id=file.display,
        source="terraform-plan",
        location=anchor,
        files=(file.display,),
        resources=tuple(resources),
        providers=tuple(providers.values()),
    )


def _walk_modules(module: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(module.get("resources") or [])
    for child in module.get("child_modules") or []:
        if isinstance(child, dict):
            found.extend(_walk_modules(child))
    return [r for r in found if isinstance(r, dict)]


def _providers(configuration: dict[str, Any], variables: dict[str, Any], display: str) -> dict[str, ProviderConfig]:
    found: dict[str, ProviderConfig] = {}
    for key, config in (configuration.get("provider_config") or {}).items():
        if not isinstance(config, dict):
            continue
        expressions = config.get("expressions") or {}
        region_expr = expressions.get("region") or {}
        region: Any = Unknown(f"provider {key} in the plan has no region")
        if "constant_value" in region_expr:
            region = region_expr["constant_value"]
        else:
            for ref in region_expr.get("references") or []:
                if isinstance(ref, str) and ref.startswith("var."):
                    value = (variables.get(ref[4:]) or {}).get("value")
                    if isinstance(value, str):
                        region = value
                        break
        found[key] = ProviderConfig(
            name=str(config.get("name", key)),
            alias=config.get("alias"),
            region=region,
            location=Location(path=display, line=1, end_line=1),
        )
    return found


def _resource(item: dict[str, Any], providers: dict[str, ProviderConfig], display: str, anchor: Location) -> Resource:
    provider_name = str(item.get("provider_name", "")).rsplit("/", 1)[-1] or item["type"].split("_")[0]
    cloud = cloud_of(provider_name)
    values = item.get("values") if isinstance(item.get("values"), dict) else {}
    config = providers.get(provider_name)
    provider_region = config.region if config is not None else Unknown("provider region not in the plan")
    return Resource(
        source="terraform-plan",
        type=item["type"],
        address=str(item.get("address", item["type"])),
        unit=display,
        provider=provider_name,
        cloud=cloud,
        region=resource_region(cloud, item["type"], values, provider_region),
        zones=resource_zones(cloud, values),
        attributes=values,
        location=anchor,
    )
