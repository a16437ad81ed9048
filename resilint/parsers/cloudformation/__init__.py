"""CloudFormation (and SAM) templates to deployment units; see `template` for one template and
`deployments` for where templates are deployed and with which parameter values."""

from __future__ import annotations

from resilint.parsers.cloudformation.messages import decode_message
from resilint.parsers.cloudformation.parameters import Given
from resilint.parsers.cloudformation.template import MAX_DEPTH, _Template, decode, parse_template

__all__ = ["MAX_DEPTH", "Given", "_Template", "decode", "decode_message", "parse_template"]
