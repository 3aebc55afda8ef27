"""The FastAPI application: routes by role, JSON errors, health and metrics."""
from __future__ import annotations

import time

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from ..http import errors
from ..http.auth import parse_keys
from ..http.clients import parse_proxies
from ..http.gate import BodyGate
from ..http.throttle import Throttle
from ..jobqueue import JobQueue
from ..services import Services
from ..web import install as install_pages
from . import (
    archive_routes,
    dossier_routes,
    eform_routes,
    intake_routes,
    page_routes,
    portal_routes,
)
from .metrics import Metrics

DESCRIPTION = """Số hóa hồ sơ tại Bộ phận Một cửa: tiếp nhận bản quét, theo dõi tiến độ, tra cứu giấy tờ
đã số hóa, điền sẵn biểu mẫu, kiểm tra chữ ký số.

Authentication: an API key in `X-API-Key` (or as a bearer token). Roles: `counter` (upload, jobs),
`portal` (a citizen's documents through `/v1/owners/{owner_id}/…`), `archivist` (search, retrieval,
verification, audit trail), `admin` (everything). Errors are JSON:
`{"error": {"code": "<stable English code>", "message": "<tiếng Việt>", "message_en": "..."}}`."""


def create_app(services: Services, queue: JobQueue) -> FastAPI:
    app = FastAPI(title="digitize", version="1", description=DESCRIPTION)
    app.state.services = services
    app.state.queue = queue
    settings = services.settings
    app.state.api_keys = parse_keys(settings.api_keys)
    app.state.proxies = parse_proxies(settings.trusted_proxies)
    app.state.throttle = Throttle(settings.throttle_url or settings.redis_url,
                                  per_account=settings.login_failures_per_account,
                                  per_client=settings.failures_per_client)
    app.state.metrics = Metrics(queue)
    errors.install(app)
    for module in (intake_routes, dossier_routes, portal_routes, archive_routes, eform_routes, page_routes):
        app.include_router(module.router)
    # Added first, so that it runs inside the pages' session middleware and sees the session.
    app.add_middleware(BodyGate, app_state=app.state, max_bytes=settings.max_request_bytes)
    install_pages(app)

    @app.middleware("http")
    async def timing(request: Request, call_next):
        t = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        app.state.metrics.requests.labels(getattr(route, "path", "other"), str(response.status_code)).observe(
            time.perf_counter() - t)
        return response

    @app.get("/healthz", tags=["vận hành (operations)"], summary="Sống và thấy được Redis, kho, catalog")
    def health() -> dict:
        checks = {}
        for name, probe in (("redis", queue.ping), ("catalog", services.catalog.count),
                            ("warehouse", lambda: next(iter(services.store.list("originals/")), None))):
            try:
                probe()
                checks[name] = "ok"
            except Exception as exc:  # a health check reports, it does not fail
                checks[name] = f"error: {type(exc).__name__}"
        ok = all(v == "ok" for v in checks.values())
        return {"status": "ok" if ok else "degraded", "checks": checks}

    @app.get("/metrics", tags=["vận hành (operations)"], response_class=Response,
             summary="Prometheus: queue depth, pages, stage latency, failures")
    def metrics() -> Response:
        return Response(app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return app

