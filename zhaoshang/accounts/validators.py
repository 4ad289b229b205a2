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


# The platform's own names, in pinyin, English and Chinese: the first words a guesser tries.
PLATFORM_WORDS = (
    "zhaoshang",
    "yunnan",
    "zhihui",
    "touzi",
    "cujin",
    "kunming",
    "invest",
    "招商",
    "云南",
    "智慧",
    "投资",
    "投促",
    "滇",
)
# Letters typed as look-alike digits and symbols: Yunn@n, Zha0shang, YUNN4N.
LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t", "!": "i"})


class PlatformWordValidator:
    """No password built from the platform's name (``Yunnan#2026``, ``Zhaoshang@123``, ``云南招商2026!``),
    in any case and with digits or symbols standing for letters."""

    def __init__(self, words=PLATFORM_WORDS):
        self.words = tuple(word.lower() for word in words)

    def validate(self, password, user=None):
        plain = password.lower()
        folded = plain.translate(LOOKALIKES)
        found = [word for word in self.words if word in plain or word in folded]
        if found:
            raise ValidationError(
                f"密码不能含有平台或地区名称（{'、'.join(found)}），请换用无关的词组。", code="password_platform_word"
            )

    def get_help_text(self):
        return "密码不能含有平台或地区名称（如 zhaoshang、yunnan、招商、云南）。"


class PasswordHistoryValidator:
    """Not the current password nor any of the ``count - 1`` before it (the hashes kept in PasswordHistory)."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        if user is None or user.pk is None:
            return
        recent = [user.password, *user.password_history.values_list("password", flat=True)[: self.count - 1]]
        if any(encoded and check_password(password, encoded) for encoded in recent):
            raise ValidationError(f"不能使用最近 {self.count} 次用过的密码。", code="password_reused")

    def get_help_text(self):
        return f"不能使用最近 {self.count} 次用过的密码。"
