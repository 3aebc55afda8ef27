"""Schemathesis against the service's own OpenAPI document: whatever it sends, as admin (every
route open), the service answers without a server error (5xx).

Driven through hypothesis directly: schemathesis's pytest plugin does not load on pytest 9."""
import uuid

import schemathesis
from hypothesis import HealthCheck, given, settings

from digitize.api import create_app
from digitize.services import Services
from digitize.settings import Settings
from workers.queue import RqJobQueue

KEY = "fuzz-admin-key"
EXAMPLES = 25  # per operation; enough to reach every error path, short enough for CI


def test_no_server_errors_on_any_operation(live, tmp_path):
    s = Settings(home=tmp_path, redis_url=live["DIGITIZE_REDIS_URL"], queue_name=f"fuzz-{uuid.uuid4().hex[:8]}",
                 api_keys=f"fuzzer:admin:{KEY}")
    app = create_app(Services(s), RqJobQueue(s))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/events"):
            continue  # a stream that lasts until its job ends: covered by test_api.py

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            case.call_and_validate(headers={"X-API-Key": KEY}, checks=[schemathesis.checks.not_a_server_error])

        fuzz()
        tried.append(f"{operation.method.upper()} {operation.path}")
    assert len(tried) >= 13, tried
