"""The HTTP service: FastAPI over the same pipeline, warehouse and queue (`python -m digitize.api`)."""
from .app import create_app

__all__ = ["create_app"]
