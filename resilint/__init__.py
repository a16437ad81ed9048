"""resilint: an infrastructure-as-code resilience linter."""

__version__ = "0.1.0"
