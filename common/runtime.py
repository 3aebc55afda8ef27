"""Process start-up, called once by every entry point (CLI, workers, HTTP service, tests)."""
from __future__ import annotations

import os


def limit_threads() -> None:
    """One thread per page for Tesseract and OpenCV.

    Pages and worker processes run in parallel instead: Tesseract's OpenMP threads and OpenCV's
    pool would only fight them for the two cores (measured by `digitize bench ocr --throughput`).
    Tesseract runs as a child process, so the variable must be set before the first page.
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import cv2

    cv2.setNumThreads(1)
