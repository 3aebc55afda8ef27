class SigningError(RuntimeError):
    """Signing or verification could not be done, with a stable code and messages."""

    def __init__(self, code: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
