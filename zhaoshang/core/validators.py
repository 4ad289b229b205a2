"""Checks shared by several apps."""

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_error(code: str) -> str | None:
    """GB 32100-2015 统一社会信用代码: 18 characters of the code alphabet, the last one a check character.
    The reason in Chinese, or None when the code is valid."""
    if len(code) != 18:
        return "必须为18位"
    if any(ch not in CREDIT_CODE_CHARS for ch in code):
        return "含有无效字符"
    total = sum(CREDIT_CODE_CHARS.index(ch) * w for ch, w in zip(code[:17], CREDIT_CODE_WEIGHTS, strict=True))
    expected = CREDIT_CODE_CHARS[(31 - total % 31) % 31]
    return None if code[17] == expected else "校验位错误"
