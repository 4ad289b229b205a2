"""Form pieces shared by every app."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker. ``<input type="date">`` takes and sends ISO dates (YYYY-MM-DD) whatever the
    page's language; Django would render the zh-hans format (2024/05/01), which the browser discards, so the field
    would show blank and an unchanged form would clear the date. Every date field of the platform uses this widget
    (``core/tests/test_date_inputs.py`` checks each form and filter)."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or ISO_DATE)


class DateField(forms.DateField):
    widget = DateInput
