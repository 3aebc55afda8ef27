"""The HTTP service's composition root: settings, services and the RQ job queue wired into the app.

This module and the worker command are the only ones outside workers/ that know the queue is RQ."""
from __future__ import annotations

from fastapi import FastAPI

from common.runtime import limit_threads
from workers.queue import RqJobQueue

from ..services import Services
from ..settings import Settings
from .app import create_app


def settings_app() -> FastAPI:
    """For `uvicorn digitize.api.serve:settings_app --factory`."""
    limit_threads()
    settings = Settings()
    return create_app(Services(settings), RqJobQueue(settings))
