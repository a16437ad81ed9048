"""resilint's built-in rules. Installed as `resilint_rules`; loaded through the `resilint.rules`
entry point like any third-party plugin."""

from . import database_without_multi_az, single_region_deployment

RULES = (
    single_region_deployment.check,
    database_without_multi_az.check,
)
