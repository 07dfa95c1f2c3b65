"""A fuzz pass over the whole OpenAPI document with schemathesis: no server error, and every
answer as the document describes it (a documented status, its content type, its schema).

Each operation gets ``MAX_EXAMPLES`` generated requests, derandomized (the same requests at
every run, so CI is deterministic), sent with an administrator's token so that writes are
exercised, and for operations on ``{id}`` half of them aim at a record that exists.

Requests go through Django's test client, not through schemathesis' WSGI transport: the
client runs the whole middleware stack like a server would, but keeps the database
connection of the test's transaction open (it disconnects ``close_old_connections`` around
each request, which a bare WSGI call does not; on PostgreSQL that closed the connection in
the middle of the test and every later request failed).
"""

from __future__ import annotations

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25
BASE_URL = "http://testserver"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _explicit_cases(operation, existing: dict[str, int]) -> list:
    """Requests sent to every operation besides the generated ones: without parameters
    (the plain list, the existing record), and lists with their facets, so that the answers
    carrying the most data are always checked."""
    params = {p.name for p in operation.iter_parameters() if p.location == "path"}
    if params - {"id"}:
        return []  # a form id, a ref, a UUID: the generated requests only
    resource = (operation.path.strip("/").split("/") + ["", "", ""])[2]
    path = {"id": existing[resource]} if params == {"id"} and resource in existing else {}
    if params and not path:
        return []
    queries = [{}]
    if any(p.name == "facets" for p in operation.iter_parameters()):
        queries.append({"facets": "true"})
    body = {} if operation.method.upper() in {"POST", "PATCH", "PUT"} else None
    return [
        operation.Case(
            path_parameters=path, query=query, **({"body": body} if body is not None else {})
        )
        for query in queries
    ]


def _send(client: Client, case, token: str):
    """The case as schemathesis would send it, through the Django test client."""
    kwargs = case.as_transport_kwargs(
        base_url=BASE_URL, headers={"Authorization": f"Bearer {token}"}
    )
    kwargs.pop("timeout", None)
    kwargs.pop("allow_redirects", None)
    kwargs.pop("verify", None)
    prepared = requests.Request(
        method=kwargs["method"],
        url=kwargs["url"],
        headers=kwargs.get("headers"),
        params=kwargs.get("params"),
        json=kwargs.get("json"),
        data=kwargs.get("data"),
        cookies=kwargs.get("cookies"),
    ).prepare()
    headers = dict(prepared.headers)
    content_type = headers.pop("Content-Type", "application/octet-stream")
    headers.pop("Content-Length", None)
    body = prepared.body or b""
    response = client.generic(
        prepared.method,
        prepared.path_url,
        data=body.encode() if isinstance(body, str) else body,
        content_type=content_type,
        headers=headers,
    )
    return Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=b"".join(response.streaming_content) if response.streaming else response.content,
        request=prepared,
        elapsed=0.0,
        verify=True,
    )


def test_the_api_answers_every_generated_request_as_documented(client, world, tokens):
    client = Client(raise_request_exception=False)  # a crash is a 500 the check reports
    document = client.get("/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    existing = {
        "territories": world.herouville.pk,
        "partnerships": world.herouville_tikhvine.pk,
        "projects": world.employment_office.pk,
    }
    failures: list[str] = []
    operations = 0

    def check(case):
        response = _send(client, case, tokens.admin)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 — collect them all
            failures.append(
                f"{case.method} {case.formatted_path} → {response.status_code}: "
                f"{str(exc)[:1500]}\n{case.as_curl_command()[:800]}"
            )

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        strategy = operation.as_strategy()
        resource = (operation.path.strip("/").split("/") + ["", "", ""])[2]
        if "{id}" in operation.path and resource in existing:
            strategy = st.one_of(
                strategy, operation.as_strategy(path_parameters={"id": existing[resource]})
            )

        for case in _explicit_cases(operation, existing):
            check(case)

        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case):
            check(case)

        run()
    assert operations == len([p for ops in document["paths"].values() for p in ops])
    assert not failures, "\n\n".join(failures[:15]) + f"\n\n({len(failures)} failures)"
