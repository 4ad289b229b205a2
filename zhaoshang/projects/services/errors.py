from django.core.exceptions import ValidationError


class IllegalTransition(ValidationError):
    """A lifecycle step the rules do not allow. The API answers 409 Conflict (``http_status``)."""

    http_status = 409
