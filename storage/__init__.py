"""The electronic data warehouse: objects (local directory or MinIO) and the catalog."""
from . import layout
from .catalog import Catalog
from .errors import ObjectExists, ObjectNotFound, StorageError, StorageUnavailable
from .objects import (
           LocalObjectStore,
           MinioObjectStore,
           ObjectStore,
           StoredObject,
           sha256_hex,
)

__all__ = ["Catalog", "LocalObjectStore", "MinioObjectStore", "ObjectExists", "ObjectNotFound", "ObjectStore", "StorageError", "StorageUnavailable", "StoredObject",
           "layout", "sha256_hex"]
