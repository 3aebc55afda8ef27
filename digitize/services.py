"""Builds the warehouse, catalog and signer from the settings: embedded defaults or real servers."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ocr import OcrEngine, make_engine
from signing import (
    ensure_dev_pkcs12,
    load_certificates,
    load_pkcs11_signer,
    load_pkcs12_signer,
)
from storage import Catalog, LocalObjectStore, MinioObjectStore, ObjectStore
from storage.people import People

from .codes import DocumentCodeFormat, check_agency_id
from .settings import Settings


@dataclass
class Services:
    settings: Settings = field(default_factory=Settings)

    @cached_property
    def store(self) -> ObjectStore:
        s = self.settings
        if s.minio_endpoint:
            return MinioObjectStore(s.minio_endpoint, s.minio_access_key, s.minio_secret_key, s.minio_bucket,
                                    secure=s.minio_secure, default_retention_years=s.retention_years)
        return LocalObjectStore(s.warehouse_dir)

    @cached_property
    def engine(self) -> OcrEngine:
        return make_engine(self.settings.ocr_engine, self.settings.ocr_lang, second=self.settings.ocr_second_engine)

    @cached_property
    def catalog(self) -> Catalog:
        self.settings.home.mkdir(parents=True, exist_ok=True)
        return Catalog(self.settings.catalog)

    @cached_property
    def people(self) -> People:
        return People(self.catalog.engine)

    @cached_property
    def code_format(self) -> DocumentCodeFormat:
        return DocumentCodeFormat(self.settings.code_template)

    @cached_property
    def agency_id(self) -> str:
        return check_agency_id(self.settings.agency_id)

    @cached_property
    def signer(self):
        s = self.settings
        if s.pkcs11_module:
            chain = load_certificates([s.signer_chain]) if s.signer_chain else None
            return load_pkcs11_signer(s.pkcs11_module, s.pkcs11_token, s.pkcs11_key_label, s.pkcs11_pin,
                                      chain=chain)
        if s.signer_pkcs12:
            return load_pkcs12_signer(s.signer_pkcs12, s.signer_password.encode() or None)
        dev = ensure_dev_pkcs12(Path(s.home) / "signing" / "dev-signer.p12", s.agency_name)
        return load_pkcs12_signer(str(dev), None)

    @cached_property
    def trust_roots(self) -> list:
        return load_certificates(self.settings.trust_root_paths)
