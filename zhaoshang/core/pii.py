"""Personal information (个人信息保护法; 等保 8.1.4.10 / 8.1.4.11): stored encrypted with SM4, shown masked, revealed
with a reason and an audit row, searched through a keyed SM3 blind index.

- ``EncryptedCharField(pii=PiiKind.PHONE, …)`` keeps an SM4-GCM token (``core.crypto``) in a text column; the model
  attribute is the plain text. Equality lookups on it cannot work (every encryption differs): a column that is
  searched gets a ``BlindIndexField(source=…)`` beside it.
- ``mask(kind, value)`` is the one masking rule; ``snapshot()`` (the audit trail's before/after) copies personal
  fields masked, so no log holds them in clear.
- ``personal_fields()`` lists every personal field of the project: ``pii_purge``, ``crypto_rotate`` and the tests
  walk it.
"""

import re
from collections.abc import Iterator

from django.apps import apps
from django.core.validators import EmailValidator
from django.db import models

from zhaoshang.core import crypto


class PiiKind:
    NAME = "name"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    EMAIL = "email"
    LABELS = {NAME: "姓名", PHONE: "电话", ID_NUMBER: "身份证号", EMAIL: "邮箱"}


def mask_name(value: str) -> str:
    """``张三`` → ``张*``, ``欧阳娜娜`` → ``欧***``: the surname stays."""
    value = value or ""
    return value[:1] + "*" * (len(value) - 1) if len(value) > 1 else "*" * len(value)


def mask_middle(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """``13812345678`` → ``138****5678``; short values are masked entirely."""
    value = value or ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * 4 + value[-keep_end:]


def mask_email(value: str) -> str:
    """``zhangsan@example.com`` → ``z***@example.com``."""
    local, at, domain = (value or "").partition("@")
    if not at:
        return mask_middle(value, 1, 0)
    return f"{local[:1]}***@{domain}"


MASKERS = {
    PiiKind.NAME: mask_name,
    PiiKind.PHONE: mask_middle,
    PiiKind.ID_NUMBER: lambda value: mask_middle(value, 4, 4),
    PiiKind.EMAIL: mask_email,
}


def mask(kind: str, value) -> str:
    if value in (None, ""):
        return value or ""
    return MASKERS[kind](str(value))


def normalise(kind: str, value: str) -> str:
    """The form a blind index is taken of: a phone without spaces, dashes or the +86 prefix, an ID number in
    capitals, an e-mail address in lower case, a name without spaces."""
    value = (value or "").strip()
    if kind == PiiKind.PHONE:
        value = re.sub(r"[\s\-()（）]", "", value)
        value = re.sub(r"^(\+|00)86", "", value)
        if re.fullmatch(r"861\d{10}", value):  # a mobile number written with the country code, no plus
            value = value[2:]
    elif kind == PiiKind.ID_NUMBER:
        value = value.upper()
    elif kind == PiiKind.EMAIL:
        value = value.lower()
    elif kind == PiiKind.NAME:
        value = re.sub(r"\s", "", value)
    return value


class EncryptedCharField(models.CharField):
    """A personal text value, stored as an SM4-GCM token in a text column (``max_length`` limits the plain text).
    Empty values stay empty (a blank phone is not a secret). A token that does not decrypt raises
    ``crypto.CryptoError``: a page fails rather than show or overwrite a damaged value."""

    description = "SM4 加密的个人信息"

    def __init__(self, *args, pii: str, **kwargs):
        if pii not in PiiKind.LABELS:
            raise ValueError(f"unknown personal information kind {pii!r}")
        self.pii = pii
        if pii == PiiKind.EMAIL:
            kwargs.setdefault("validators", [EmailValidator()])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["pii"] = self.pii
        if self.pii == PiiKind.EMAIL:
            kwargs.pop("validators", None)
        return name, path, args, kwargs

    def get_internal_type(self):
        return "TextField"  # a token is longer than its text; the column has no length of its own

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.sm4_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.sm4_encrypt(value)

    def mask(self, value) -> str:
        return mask(self.pii, value)


class BlindIndexField(models.CharField):
    """A keyed SM3 digest (HMAC-SM3 under the active key) of the normalised value of ``source``, kept by ``save()``
    (``pre_save``), so that the encrypted column can be searched by equality: ``filter(phone_index__in=
    crypto.blind_indexes(normalise(kind, term), purpose=kind))`` — every key of the ring, so that rows a rotation
    has not reached yet are found too."""

    description = "个人信息检索摘要（HMAC-SM3）"

    def __init__(self, *args, source: str, **kwargs):
        self.source = self.blind_index_of = source  # ``blind_index_of``: the mark audit snapshots leave out
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("blank", True), ("default", ""), ("editable", False)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def source_field(self) -> EncryptedCharField:
        return self.model._meta.get_field(self.source)

    def index_of(self, value: str) -> str:
        kind = self.source_field().pii
        return crypto.blind_index(normalise(kind, value), purpose=kind)

    def pre_save(self, model_instance, add):
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def search_by_index(queryset, source: str, term: str):
    """Rows whose personal field ``source`` equals ``term`` once normalised (through its blind index)."""
    model = queryset.model
    index = next(f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField) and f.source == source)
    kind = model._meta.get_field(source).pii
    digests = crypto.blind_indexes(normalise(kind, term), purpose=kind)
    return queryset.filter(**{f"{index.name}__in": digests}) if digests else queryset.none()


def personal_fields(model=None) -> Iterator[EncryptedCharField]:
    """Every encrypted personal field (of ``model``, or of the project)."""
    for candidate in [model] if model is not None else apps.get_models():
        for field in candidate._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                yield field


def blind_index_fields(model) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def personal_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if any(True for _ in personal_fields(m))]


def masked_values(obj: models.Model) -> dict[str, str]:
    """{field name: masked value} of an object's personal fields."""
    return {f.name: f.mask(getattr(obj, f.attname)) for f in personal_fields(type(obj))}


def subject_label(obj: models.Model) -> str:
    """Whose data a row is, masked: ``张*（某某有限公司的联系人）``. Models say it with ``pii_subject_label``."""
    label = getattr(obj, "pii_subject_label", None)
    return label() if callable(label) else str(obj)


def encrypt_existing(app_label: str, model_name: str, fields: list[str], *, indexes: dict[str, str] | None = None):
    """Forward and backward functions for a data migration that encrypts the plain values a column held before it
    became an ``EncryptedCharField`` (and fills blind indexes: {index column: source field}). Raw SQL, so that the
    field's own conversion does not run on plain text; values that are tokens already are left alone."""
    indexes = indexes or {}

    def rows(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        meta, quote = model._meta, schema_editor.quote_name
        columns = {name: meta.get_field(name).column for name in fields}
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(meta.pk.column)}, {', '.join(quote(c) for c in columns.values())}"
                f" FROM {quote(meta.db_table)}"
            )
            found = cursor.fetchall()
        return meta, quote, columns, found

    def update(schema_editor, meta, quote, changes: dict[str, list]):
        if not changes:
            return
        with schema_editor.connection.cursor() as cursor:
            for pk, values in changes.items():
                assignments = ", ".join(f"{quote(column)} = %s" for column in values)
                cursor.execute(
                    f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s",
                    [*values.values(), pk],
                )

    def forward(apps, schema_editor):
        meta, quote, columns, found = rows(apps, schema_editor)
        changes = {}
        for pk, *values in found:
            plain = dict(zip(fields, values, strict=True))
            new = {}
            for name, value in plain.items():
                if value and not crypto.is_token(value):
                    new[columns[name]] = crypto.sm4_encrypt(value)
                elif value and crypto.is_token(value):
                    plain[name] = crypto.sm4_decrypt(value)
            for index_name, source in indexes.items():
                kind = meta.get_field(source).pii
                new[meta.get_field(index_name).column] = crypto.blind_index(
                    normalise(kind, plain[source] or ""), purpose=kind
                )
            if new:
                changes[pk] = new
        update(schema_editor, meta, quote, changes)

    def backward(apps, schema_editor):
        meta, quote, columns, found = rows(apps, schema_editor)
        changes = {}
        for pk, *values in found:
            new = {columns[n]: crypto.sm4_decrypt(v) for n, v in zip(fields, values, strict=True) if crypto.is_token(v)}
            if new:
                changes[pk] = new
        update(schema_editor, meta, quote, changes)

    return forward, backward


# Other columns that hold tokens of ``crypto.sm4_encrypt`` (re-encrypted by ``crypto_rotate``), and columns that
# name the key a keyed digest was made with (counted, so that a key still in use is not retired). Apps register
# theirs: core knows no domain app.
TOKEN_COLUMNS: set[tuple[str, str]] = set()
KEY_ID_COLUMNS: set[tuple[str, str]] = set()


def register_token_column(model_label: str, field_name: str) -> None:
    TOKEN_COLUMNS.add((model_label, field_name))


def register_key_id_column(model_label: str, field_name: str) -> None:
    KEY_ID_COLUMNS.add((model_label, field_name))


def token_fields(model) -> list[models.Field]:
    """The model's columns holding SM4 tokens: its personal fields and its registered token columns."""
    extra = sorted(name for label, name in TOKEN_COLUMNS if label == model._meta.label)
    return [*personal_fields(model), *(model._meta.get_field(name) for name in extra)]


def token_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if token_fields(m)]


def key_usage() -> dict[str, int]:
    """{key id: how many stored values use it}: SM4 tokens of every token column, and key ids of keyed digests
    (``crypto_rotate --check``)."""
    from django.db import connection

    usage: dict[str, int] = {}
    quote = connection.ops.quote_name

    def count(key_id):
        usage[key_id] = usage.get(key_id, 0) + 1

    for model in token_models():
        columns = [f.column for f in token_fields(model)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)}")
            for values in cursor.fetchall():
                for value in values:
                    if value:
                        count(crypto.token_key_id(value) if crypto.is_token(value) else "（明文）")
    for label, name in sorted(KEY_ID_COLUMNS):
        model = apps.get_model(label)
        for key_id in model._default_manager.exclude(**{name: ""}).values_list(name, flat=True):
            count(key_id)
    return usage


def reencrypt_all(*, batch: int = 500) -> dict[str, dict[str, int]]:
    """Re-encrypt every token not under the active key and recompute every blind index that differs from the
    active key's (after a new key became active). {model label: {"values": n, "indexes": m}}. Keyed digests of
    one-time codes cannot be recomputed: their key stays in the ring until they are used up or replaced."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    active = crypto.active_key_id()
    done: dict[str, dict[str, int]] = {}
    for model in token_models():
        meta = model._meta
        fields = token_fields(model)
        indexes = blind_index_fields(model)
        columns = [f.column for f in fields] + [i.column for i in indexes]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(meta.pk.column)}, {', '.join(quote(c) for c in columns)} FROM {quote(meta.db_table)}"
            )
            found = cursor.fetchall()
        values = reindexed = 0
        changes: list[tuple[object, dict[str, str]]] = []
        for pk, *stored in found:
            tokens = dict(zip((f.name for f in fields), stored[: len(fields)], strict=True))
            plain = {name: crypto.sm4_decrypt(token) if token else token for name, token in tokens.items()}
            new: dict[str, str] = {}
            for f in fields:
                token = tokens[f.name]
                if token and crypto.token_key_id(token) != active:
                    new[f.column] = crypto.sm4_encrypt(plain[f.name], key_id=active)
                    values += 1
            for index, current in zip(indexes, stored[len(fields) :], strict=True):
                kind = index.source_field().pii
                wanted = crypto.blind_index(normalise(kind, plain[index.source] or ""), purpose=kind)
                if wanted != current:
                    new[index.column] = wanted
                    reindexed += 1
            if new:
                changes.append((pk, new))
        for start in range(0, len(changes), batch):
            with transaction.atomic(), connection.cursor() as cursor:
                for pk, new in changes[start : start + batch]:
                    assignments = ", ".join(f"{quote(column)} = %s" for column in new)
                    cursor.execute(
                        f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s",
                        [*new.values(), pk],
                    )
        done[meta.label] = {"values": values, "indexes": reindexed}
    return done
