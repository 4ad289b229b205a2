"""Shared JSON Lines handling of the classify and admission_check commands: read every line first, stop with
the line number on the first malformed one (nothing is printed then), otherwise print one answer per line."""

import json
import sys
from contextlib import nullcontext
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.catalog.services import PayloadError


class JsonLinesCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--jsonl", required=True, metavar="IN", help="输入文件（JSON Lines，一行一个对象；- 为标准输入）"
        )

    def answer(self, obj) -> dict:
        raise NotImplementedError

    def batch(self, objects):
        """A context in which the objects are answered (lookups shared between them)."""
        return nullcontext()

    def read(self, path: str) -> list[tuple[int, object]]:
        try:
            handle = sys.stdin if path == "-" else open(path, encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"无法读取输入文件 {path}：{error.strerror}") from None
        objects = []
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    objects.append((number, json.loads(line, parse_float=Decimal)))
                except json.JSONDecodeError as error:
                    raise CommandError(f"第{number}行: 不是合法的 JSON（{error.msg}，第{error.colno}列）") from None
        return objects

    def handle(self, *args, **options):
        answers = []
        objects = self.read(options["jsonl"])
        with self.batch([obj for _, obj in objects]):
            for number, obj in objects:
                try:
                    answers.append(self.answer(obj))
                except PayloadError as error:
                    raise CommandError(f"第{number}行 {error.field}: {error.message}") from None
        for answer in answers:
            self.stdout.write(json.dumps(answer, ensure_ascii=False, default=str))
