import re

from django.core.exceptions import ValidationError

CHARACTER_CLASSES = {
    "大写字母": re.compile(r"[A-Z]"),
    "小写字母": re.compile(r"[a-z]"),
    "数字": re.compile(r"[0-9]"),
    "特殊字符": re.compile(r"[^A-Za-z0-9]"),
}


class CharacterClassValidator:
    """At least three of: upper-case letters, lower-case letters, digits, other characters."""

    def __init__(self, required: int = 3):
        self.required = required

    def validate(self, password, user=None):
        present = [name for name, pattern in CHARACTER_CLASSES.items() if pattern.search(password)]
        if len(present) < self.required:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.required} 类"
                f"（当前只有 {len(present)} 类）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.required} 类。"
