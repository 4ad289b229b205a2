"""The API schema states every answer the API gives, errors included (issue 13 item 7).

drf-spectacular documents the success of each operation; the errors that every operation can answer come from
shared code — authentication (401), permissions (403), scope and unknown ids (404), serializer and filter
validation and the input guards of core/inputs.py (400), services' conflicts (409), a body in a format the
operation does not read (415) — so they are added here, once,
to every operation that can meet them, with the shapes DRF writes. core/tests/test_api_contract.py runs schemathesis
against the served schema and fails on any answer outside it.
"""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "原因（中文）"}},
    "required": ["detail"],
}
# DRF writes field errors as {"字段": ["原因", …]} (nested for nested fields), a refusal as {"detail": "原因"}, and a
# bare ValidationError raised in a view as ["原因", …].
VALIDATION = {
    "anyOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {"type": "string"}},
    ],
    "description": "字段错误：{字段: [原因, …]}；或 {detail: 原因}",
}
ERRORS = {
    "400": ("请求有误：字段或查询条件不合要求，或含有控制字符", "ValidationErrorResponse"),
    "401": ("未登录，或令牌无效、已过期", "ErrorResponse"),
    "403": ("没有此功能的权限", "ErrorResponse"),
    "404": ("对象不存在或不在您的辖区内；列表的页码超出范围", "ErrorResponse"),
    "409": ("与现有数据冲突（业务规则不允许），detail 说明原因", "ValidationErrorResponse"),
    "415": ("不支持的请求格式（Content-Type）", "ErrorResponse"),
}
WRITES = {"post", "put", "patch"}


def _codes(method: str, path: str, operation: dict) -> list[str]:
    query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    # 400 everywhere: core/inputs.py refuses a control character in any address (a path parameter too).
    codes = ["400", "401", "403"]
    if "{" in path or any(p.get("name") == "page" for p in query):
        codes.append("404")
    if method in WRITES:
        codes.append("409")
    if "requestBody" in operation:
        codes.append("415")
    return codes


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorResponse", DETAIL)
    schemas.setdefault("ValidationErrorResponse", VALIDATION)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            # An operation may name an error of its own (a 404 for an object named in the query): it gets its body.
            for code in dict.fromkeys([*_codes(method, path, operation), *(c for c in responses if c in ERRORS)]):
                description, component = ERRORS[code]
                documented = responses.setdefault(code, {"description": description})
                documented.setdefault(
                    "content", {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}
                )
    return result
