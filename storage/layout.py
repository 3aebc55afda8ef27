"""Object keys, identical in the local directory store and in MinIO.

originals/ab/abcdef…            the file as received, stored once per content (sha256)
documents/<code>/signed.pdf     the signed searchable PDF/A
documents/<code>/ocr.json       words, boxes, confidences per page
documents/<code>/fields.json    the extracted e-form fields
documents/<code>/manifest.json  written last: the document exists once this does
documents/<code>/v<N>/…         version N (N ≥ 2) of the signed PDF and OCR, made by the page tools
documents/<code>/manifest.v<N>.json   its manifest, written last; earlier versions stay as they were
documents/<code>/dossiers/<dossier>.json   one per further dossier the document was submitted with
dossiers/<dossier>.json        a dossier opened at the counter: owner, procedure, who and when
intake/<receipt>.json           what was received (original, owner, kind, dossier): written before queuing
intake/<receipt>.done.json      the document it became: written when the job finishes
intake/<receipt>.failed.json    why it cannot become one (the file's fault): needs a person, not a retry
intake/<receipt>.confirmed.json a clerk confirmed how the file was split into papers: who and when
intake/by-dossier/<dossier>/<receipt>   empty: the receipts of a dossier, for its intake page
reserved/<receipt>/pages-<first>-<last>.json   the code a paper of a receipt gets, recorded before
                                its document is stored, so that a run killed midway is finished under it
"""


def original_key(sha256: str) -> str:
    return f"originals/{sha256[:2]}/{sha256}"


def document_key(code: str, name: str) -> str:
    return f"documents/{code}/{name}"


def dossier_link_key(code: str, dossier_code: str) -> str:
    return document_key(code, f"dossiers/{dossier_code}.json")


def manifest_key(code: str, version: int = 1) -> str:
    return document_key(code, "manifest.json" if version == 1 else f"manifest.v{version}.json")


def version_object_key(code: str, version: int, name: str) -> str:
    """An object of a document's version: version 1's sit at the document's top level."""
    return document_key(code, name if version == 1 else f"v{version}/{name}")


MANIFEST_PREFIX = "documents/"
DOSSIER_PREFIX = "dossiers/"


def dossier_key(dossier_code: str) -> str:
    return f"{DOSSIER_PREFIX}{dossier_code}.json"


INTAKE_PREFIX = "intake/"


def receipt_key(receipt_id: str) -> str:
    return f"{INTAKE_PREFIX}{receipt_id}.json"


def receipt_done_key(receipt_id: str) -> str:
    return f"{INTAKE_PREFIX}{receipt_id}.done.json"


def dossier_receipt_key(dossier_code: str, receipt_id: str) -> str:
    return f"{INTAKE_PREFIX}by-dossier/{dossier_code}/{receipt_id}"


def receipt_confirmed_key(receipt_id: str) -> str:
    return f"{INTAKE_PREFIX}{receipt_id}.confirmed.json"


def receipt_failed_key(receipt_id: str) -> str:
    return f"{INTAKE_PREFIX}{receipt_id}.failed.json"


def reserved_prefix(receipt_id: str) -> str:
    return f"reserved/{receipt_id}/"


def reserved_code_key(receipt_id: str, first_page: int, last_page: int) -> str:
    return f"{reserved_prefix(receipt_id)}pages-{first_page}-{last_page}.json"
