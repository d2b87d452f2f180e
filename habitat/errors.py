"""The app's own exception types.

Every error carries an i18n message key and parameters, so the page (or the CLI) can show it in
the user's language. ``str(err)`` gives the English text for logs and tracebacks.
"""

from __future__ import annotations

from habitat.i18n import t


class HabitatError(Exception):
    """Base class: a problem the user can understand and act on."""

    title_key = "error.title"

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str = "en", quote=None) -> str:
        """The message in ``lang``; ``quote`` (if given) is applied to every text parameter first
        (the Streamlit layer escapes user values for Markdown this way)."""
        return t(self.key, lang, **_quoted(self.params, quote))

    def __str__(self) -> str:  # English for logs
        try:
            return self.message("en")
        except Exception:  # pragma: no cover - never hide the key
            return f"{self.key} {self.params}"


def _quoted(params: dict, quote) -> dict:
    if quote is None:
        return params
    return {k: quote(v) if isinstance(v, str) else v for k, v in params.items()}


class ValidationError(HabitatError):
    """Bad input: the form keeps what was typed and shows this message."""

    title_key = "error.validation_title"


class PermissionDenied(HabitatError):
    """The acting person's role may not do this."""

    title_key = "error.permission_title"


class NotFound(HabitatError):
    title_key = "error.not_found_title"


class ConflictError(HabitatError):
    """Someone else changed the record first; nothing was overwritten."""

    title_key = "error.conflict_title"


class PhotoError(ValidationError):
    """An uploaded file is not a usable photo."""

    title_key = "error.photo_title"


class DatabaseError(HabitatError):
    """The database could not be opened or written."""

    title_key = "error.database_title"


class AuthError(HabitatError):
    title_key = "error.auth_title"
