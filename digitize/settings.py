"""Configuration from DIGITIZE_* environment variables, with embedded defaults that need no servers."""
from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from .codes import DEFAULT_TEMPLATE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIGITIZE_", env_file=None)

    home: Path = Path.home() / ".local" / "share" / "digitize"

    # Warehouse: a local directory unless a MinIO endpoint is given.
    minio_endpoint: str = ""
    minio_access_key: str = ""
    minio_secret_key: str = ""
    minio_bucket: str = "digitize"
    minio_secure: bool = False
    retention_years: int = 10
    procedures_file: str = ""  # the agency's procedures and their papers (JSON or CSV); empty: a sample
    retention_by_kind: str = ""  # e.g. "birth=75,cccd=15": years per document kind, others retention_years

    # Catalog: SQLite in `home` unless a SQLAlchemy URL (e.g. postgresql+psycopg://…) is given.
    catalog_url: str = ""

    # The agency that digitizes, and its codes.
    agency_id: str = "DEMO"
    agency_name: str = "Cơ quan thử nghiệm (demo)"
    code_template: str = DEFAULT_TEMPLATE

    # Signing key: a PKCS#11 token if a module is given, else a PKCS#12 file, else a development
    # certificate made on first use (marked "KHÔNG TIN CẬY").
    pkcs11_module: str = ""  # e.g. /usr/lib/softhsm/libsofthsm2.so or the token vendor's library
    pkcs11_token: str = ""
    pkcs11_key_label: str = ""
    pkcs11_pin: str = ""
    signer_chain: str = ""  # PEM file of intermediate CA certificates, when the token lacks them
    signer_pkcs12: str = ""
    signer_password: str = ""
    copy_type: str = "BẢN SAO ĐIỆN TỬ TỪ BẢN GIẤY"
    stamp_font: str = ""  # TrueType font of the visible stamp; empty: Liberation Sans or DejaVu Sans
    # PAdES level: B-B, B-T, B-LT or B-LTA; empty means B-T with a timestamp authority, else B-B.
    signature_level: str = ""
    timestamp_url: str = ""
    trust_roots: str = ""  # comma-separated PEM/DER files

    # HTTP service: API keys as "name:role:key" separated by commas; roles counter, portal, archivist, admin.
    api_keys: str = ""
    max_upload_files: int = 50
    max_request_bytes: int = 500 * 1024 * 1024  # one request's body, checked before it is read
    session_secret: str = ""  # signs the web pages' session cookie; made on first use in `home` if empty
    secure_cookies: bool = False  # behind TLS: the session cookie is sent over HTTPS only
    session_hours: float = 10  # a counter shift; a session ends sooner at logout or when its key or account goes
    # Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client.
    trusted_proxies: str = ""
    # Failed logins and unknown API keys, counted in Redis (throttle_url, else redis_url) by every process.
    login_failures_per_account: str = "5 per 15 minutes"  # then the account is locked for that window
    failures_per_client: str = "20 per minute"  # then the address is refused for that window
    throttle_url: str = ""  # "memory://" for a single process without Redis
    # Sign-in through the province's OpenID Connect single sign-on; empty issuer: off.
    oidc_issuer: str = ""  # e.g. https://sso.tinh.gov.vn/realms/motcua
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_roles: str = ""  # "group:role,…": the first of the person's groups found here gives the role
    oidc_label: str = "Đăng nhập một lần (SSO) của tỉnh"

    # Work.
    ocr_lang: str = "vie"  # Tesseract model(s), e.g. "vie" or "vie+eng"
    # "tesserocr": Tesseract in-process (models loaded once per thread, images in memory), pages above
    # A4 at 300 dpi in a tesseract process; "tesseract-cli": a tesseract process per call.
    ocr_engine: str = "tesserocr"
    # trueocr (ocr/trueocr_engine.py) reads again the pages Tesseract was unsure of (worn copies,
    # photos); each line is taken from the better reading (ocr/combine.py).
    ocr_second_engine: bool = True
    jpeg_quality: int = 60  # colour and photographic pages in the archival PDF
    redis_url: str = "redis://127.0.0.1:6379/0"
    queue_name: str = "digitize"
    ocr_jobs: int = 2
    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 500
    max_pixels: int = 1_000_000_000  # all pages decoded: about 115 A4 pages at 300 dpi
    # Untrusted files are parsed in a child process (common.sandbox) under these limits.
    parse_seconds: float = 6  # the intake check, and decoding at least (else parse_seconds_per_page a page)
    parse_seconds_per_page: float = 2
    parse_memory_mb: int = 2048  # decoding a document; the intake check and verifying a PDF get a quarter

    @property
    def warehouse_dir(self) -> Path:
        return self.home / "warehouse"

    @property
    def catalog(self) -> str:
        return self.catalog_url or f"sqlite:///{self.home / 'catalog.sqlite3'}"

    def retention_for(self, kind: str) -> int:
        for item in self.retention_by_kind.split(","):
            name, _, years = item.partition("=")
            if name.strip() == kind and years.strip().isdigit():
                return int(years)
        return self.retention_years

    @property
    def trust_root_paths(self) -> list[str]:
        return [p.strip() for p in self.trust_roots.split(",") if p.strip()]
