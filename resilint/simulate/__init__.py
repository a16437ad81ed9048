"""Outage simulation: what of a system goes down when a region, a zone, a global service or a
whole provider fails (`resilint simulate`).

The flow is one way, one module per step:

    targets (what fails) ─▶ systems ─▶ graph (entry points → serving → data) ─▶ semantics
    (the status of each node under the failures) ─▶ verdicts (per system, with explanation
    paths) ─▶ reporters (text, json, markdown, html)

Nothing here reads HCL or YAML: the graph is built from the model and from the relations the
rules share. A value that cannot be resolved makes a node *unknown*, never up or down.
"""
