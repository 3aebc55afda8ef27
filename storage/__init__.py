"""The electronic data warehouse: objects (local directory or MinIO) and the catalog."""
from . import layout
from .catalog import Catalog
from .errors import ObjectNotFound, StorageError, StorageUnavailable
from .objects import (
           LocalObjectStore,
           MinioObjectStore,
           ObjectStore,
           StoredObject,
           sha256_hex,
)

__all__ = ["Catalog", "LocalObjectStore", "MinioObjectStore", "ObjectStore", "ObjectNotFound", "StorageError", "StorageUnavailable", "StoredObject",
           "layout", "sha256_hex"]
