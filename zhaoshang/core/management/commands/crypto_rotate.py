"""Rotate the data-encryption key: re-encrypt every personal value under CRYPTO_ACTIVE_KEY_ID.

1. ``manage.py crypto_rotate --generate-key`` prints a new key; add it to CRYPTO_KEYS and make it
   CRYPTO_ACTIVE_KEY_ID (keep the old key in the ring), restart.
2. ``manage.py crypto_rotate`` re-encrypts the values and recomputes the blind indexes (new writes use the new key
   already; searches look under every key meanwhile).
3. ``manage.py crypto_rotate --check`` shows no value under the old key: remove it from CRYPTO_KEYS.
"""

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core import crypto
from zhaoshang.core.audit import audit_record
from zhaoshang.core.pii import key_usage, reencrypt_all


class Command(BaseCommand):
    help = "用当前密钥（CRYPTO_ACTIVE_KEY_ID）重新加密全部个人信息并重算检索摘要"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只统计各密钥加密的数值，不修改")
        parser.add_argument("--generate-key", action="store_true", help="生成一个新密钥（base64），不修改数据")

    def handle(self, *args, check=False, generate_key=False, **options):
        if generate_key:
            self.stdout.write(crypto.generate_key())
            return
        active = crypto.active_key_id()
        if not check:
            done = reencrypt_all()
            values = sum(d["values"] for d in done.values())
            indexes = sum(d["indexes"] for d in done.values())
            audit_record(
                actor=None,
                actor_name="system",
                action="crypto_rotate",
                object_repr=f"数据加密密钥轮换至 {active}",
                after={
                    "active_key": active,
                    "reencrypted": {k: d["values"] for k, d in done.items()},
                    "reindexed": indexes,
                },
            )
            self.stdout.write(f"已用密钥 {active} 重新加密 {values} 个数值，重算 {indexes} 个检索摘要")
        usage = key_usage()
        for key_id, count in sorted(usage.items()):
            mark = "（当前）" if key_id == active else ""
            self.stdout.write(f"密钥 {key_id}{mark}: {count} 个数值")
        stale = {k: n for k, n in usage.items() if k != active}
        if check and stale:
            raise CommandError(f"仍有 {sum(stale.values())} 个数值不在当前密钥 {active} 下，请运行 crypto_rotate")
