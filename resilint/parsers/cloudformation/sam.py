"""SAM (`Transform: AWS::Serverless-2016-10-31`) resources as the CloudFormation resources they
expand to, so every rule judges them as what gets deployed.

This is not the SAM translator (which needs the whole template resolved and rejects what it
cannot place): each serverless resource becomes the resource SAM makes under the same logical
ID (`AWS::Serverless::Function` is an `AWS::Lambda::Function`, `SimpleTable` a DynamoDB table,
`Api` a REST API, `HttpApi` an HTTP API, `Application` a nested stack...), and the resources
SAM adds that the rules need are added with SAM's logical IDs: the implicit `ServerlessRestApi`
and `ServerlessHttpApi` of `Api` and `HttpApi` events, event source mappings, a function URL.
What is added is located at the SAM resource (or event) it comes from; `meta["SamType"]`
keeps the type the template names. `Globals` apply to the resources they configure.
"""

from __future__ import annotations

from typing import Any

from resilint.parsers.cloudformation.language_extensions import _like

SAM = "AWS::Serverless::"

# The resource SAM makes under the same logical ID.
_SAME_ID = {
    "AWS::Serverless::Function": "AWS::Lambda::Function",
    "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
    "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
    "AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::LayerVersion": "AWS::Lambda::LayerVersion",
    "AWS::Serverless::Application": "AWS::CloudFormation::Stack",
    "AWS::Serverless::GraphQLApi": "AWS::AppSync::GraphQLApi",
    "AWS::Serverless::Connector": "AWS::IAM::ManagedPolicy",
}
_GLOBALS = {
    "AWS::Serverless::Function": "Function",
    "AWS::Serverless::Api": "Api",
    "AWS::Serverless::HttpApi": "HttpApi",
    "AWS::Serverless::SimpleTable": "SimpleTable",
    "AWS::Serverless::StateMachine": "StateMachine",
    "AWS::Serverless::LayerVersion": "LayerVersion",
}
_STREAM_EVENTS = ("SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "SelfManagedKafka", "DocumentDB")
_RULE_EVENTS = ("Schedule", "ScheduleV2", "CloudWatchEvent", "EventBridgeRule")


def is_sam(resources: dict[Any, Any]) -> bool:
    return any(isinstance(b, dict) and isinstance(b.get("Type"), str) and b["Type"].startswith(SAM) for b in resources.values())


def expand(resources: dict[Any, Any], globals_section: Any) -> dict[Any, Any]:
    """`resources` with SAM's resources replaced by what they deploy (module documentation)."""
    globals_ = globals_section if isinstance(globals_section, dict) else {}
    out: dict[Any, Any] = _like(resources, {})
    added: dict[Any, Any] = {}
    for key, body in resources.items():
        kind = body.get("Type") if isinstance(body, dict) else None
        if not isinstance(kind, str) or kind not in _SAME_ID:
            out[key] = body
            continue
        properties = _with_globals(body.get("Properties"), globals_.get(_GLOBALS.get(kind, "")))
        if kind == "AWS::Serverless::SimpleTable":
            properties = _simple_table(properties)
        elif kind == "AWS::Serverless::Application":
            properties = _application(properties)
        elif kind == "AWS::Serverless::Function":
            properties = _function_code(properties)
        new_body = {k: v for k, v in body.items() if k not in ("Type", "Properties")}
        new_body["Type"] = _like(body.get("Type"), _SAME_ID[kind])
        new_body["Properties"] = properties
        new_body["Metadata"] = {**(body.get("Metadata") if isinstance(body.get("Metadata"), dict) else {}), "SamType": kind}
        out[key] = _like(body, new_body)
        if kind == "AWS::Serverless::Function":
            for made_key, made in _function_extras(str(key), body, properties):
                added.setdefault(made_key, made)
    for key, made in added.items():
        if str(key) not in {str(k) for k in out}:
            out[key] = made
    return out


def _with_globals(properties: Any, defaults: Any) -> Any:
    """The resource's properties over the Globals section's (a mapping property merges)."""
    own = properties if isinstance(properties, dict) else {}
    if not isinstance(defaults, dict):
        return properties if isinstance(properties, dict) else _like(properties, {})
    merged: dict[Any, Any] = dict(defaults)
    for name, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict) and not _is_intrinsic(value):
            merged[name] = _like(value, {**merged[name], **value})
        else:
            merged[name] = value
    return _like(properties if isinstance(properties, dict) else defaults, merged)


def _is_intrinsic(value: dict[Any, Any]) -> bool:
    return len(value) == 1 and isinstance(next(iter(value)), str) and (next(iter(value)) == "Ref" or str(next(iter(value))).startswith("Fn::"))


def _simple_table(properties: Any) -> Any:
    """`PrimaryKey` (default `id` of type String) as DynamoDB's key schema; on-demand billing
    unless `ProvisionedThroughput` is given."""
    props = _mapping(properties)
    key = _mapping(props.get("PrimaryKey")) or {"Name": "id", "Type": "String"}
    name = key.get("Name", "id")
    kind = {"String": "S", "Number": "N", "Binary": "B"}.get(str(key.get("Type", "String")), "S")
    table: dict[Any, Any] = {k: v for k, v in props.items() if k != "PrimaryKey"}
    table["AttributeDefinitions"] = [{"AttributeName": name, "AttributeType": kind}]
    table["KeySchema"] = [{"AttributeName": name, "KeyType": "HASH"}]
    if "ProvisionedThroughput" not in props:
        table["BillingMode"] = "PAY_PER_REQUEST"
    return _like(properties, table)


def _function_code(properties: Any) -> Any:
    """`CodeUri` (`s3://bucket/key` or `{Bucket, Key, Version}`) and `InlineCode` as Lambda's
    `Code`; a local path is uploaded by `sam deploy` to a bucket this template does not name."""
    props = _mapping(properties)
    code_uri = props.get("CodeUri")
    code: dict[Any, Any] | None = None
    if isinstance(code_uri, dict) and not _is_intrinsic(code_uri):
        code = {"S3Bucket": code_uri.get("Bucket"), "S3Key": code_uri.get("Key")}
        if "Version" in code_uri:
            code["S3ObjectVersion"] = code_uri["Version"]
    elif isinstance(code_uri, str) and code_uri.startswith("s3://"):
        bucket, _, key = code_uri[len("s3://") :].partition("/")
        code = {"S3Bucket": bucket, "S3Key": key}
    elif "InlineCode" in props:
        code = {"ZipFile": props["InlineCode"]}
    if code is None:
        return properties
    function = {k: v for k, v in props.items() if k not in ("CodeUri", "InlineCode")}
    function["Code"] = code
    return _like(properties, function)


def _application(properties: Any) -> Any:
    """`Location` as the nested stack's `TemplateURL` when it is a path or URL (an application
    from the Serverless Application Repository has no template here)."""
    props = _mapping(properties)
    stack: dict[Any, Any] = {k: v for k, v in props.items() if k != "Location"}
    location = props.get("Location")
    if isinstance(location, str):
        stack["TemplateURL"] = location
    return _like(properties, stack)


def _function_extras(function: str, body: dict[Any, Any], properties: Any) -> list[tuple[Any, Any]]:
    """The resources SAM adds for a function's events and function URL."""
    made: list[tuple[Any, Any]] = []
    props = _mapping(properties)
    events = props.get("Events")
    ref = {"Ref": function}
    for event_name, event in (events.items() if isinstance(events, dict) else ()):
        if not isinstance(event, dict):
            continue
        kind = event.get("Type")
        event_props = _mapping(event.get("Properties"))
        if kind == "Api" and "RestApiId" not in event_props:
            made.append((_like(event_name, "ServerlessRestApi"), _like(event, {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": {"Ref": "AWS::StackName"}}, "Metadata": {"SamType": "AWS::Serverless::Api (implicit)"}})))
        elif kind == "HttpApi" and "ApiId" not in event_props:
            made.append((_like(event_name, "ServerlessHttpApi"), _like(event, {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}, "Metadata": {"SamType": "AWS::Serverless::HttpApi (implicit)"}})))
        elif kind in _STREAM_EVENTS:
            mapping = {k: v for k, v in event_props.items() if k in ("Stream", "Queue", "Broker", "Cluster", "StartingPosition", "BatchSize", "Enabled")}
            source = event_props.get("Queue", event_props.get("Stream", event_props.get("Broker", event_props.get("Cluster"))))
            if source is not None:
                mapping["EventSourceArn"] = source
            mapping["FunctionName"] = ref
            made.append((_like(event_name, f"{function}{event_name}"), _like(event, {"Type": "AWS::Lambda::EventSourceMapping", "Properties": mapping})))
        elif kind in _RULE_EVENTS:
            rule = {k: v for k, v in event_props.items() if k in ("Schedule", "Pattern", "EventBusName", "State", "Enabled")}
            if "Schedule" in rule:
                rule["ScheduleExpression"] = rule.pop("Schedule")
            if "Pattern" in rule:
                rule["EventPattern"] = rule.pop("Pattern")
            rule["Targets"] = [{"Arn": {"Fn::GetAtt": [function, "Arn"]}, "Id": f"{function}{event_name}LambdaTarget"}]
            made.append((_like(event_name, f"{function}{event_name}"), _like(event, {"Type": "AWS::Events::Rule", "Properties": rule})))
    url = props.get("FunctionUrlConfig")
    if isinstance(url, dict):
        url_props = {k: v for k, v in url.items() if k in ("AuthType", "Cors", "InvokeMode")}
        url_props["TargetFunctionArn"] = ref
        made.append((f"{function}Url", _like(url, {"Type": "AWS::Lambda::Url", "Properties": url_props})))
    return made


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}
