"""Private keys this service writes into the PDFs it makes, known to whoever reads them back."""

# On page 1 of a signed PDF: the points added above the page to give the visible stamp free space
# (signing/placement.py); a new version of the document leaves the band behind (ocr.assemble_pdf).
STAMP_BAND = "/DigitizeStampBand"
