"""Classification and admission check over the API: the same objects and answers as the commands."""

from contextlib import nullcontext

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.catalog.services import PayloadError, admission_payload, admission_payload_batch, classify_payload
from zhaoshang.core.views import unscoped

MAX_BATCH = 500
# One object, or a list of up to MAX_BATCH: the answer has the same shape (the schema said "object" only).
ONE_OR_MANY = {
    "anyOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {"type": "object", "additionalProperties": True}, "maxItems": MAX_BATCH},
    ]
}


class CanUseCatalog(permissions.BasePermission):
    message = "您没有此功能的权限"

    def has_permission(self, request, view):
        return request.user.has_perm("catalog.view_keyindustry")


class CatalogComputeView(APIView):
    """POST one object (answer: one object) or a list of up to 500 (answer: a list, in the same order)."""

    permission_classes = [permissions.IsAuthenticated, CanUseCatalog]

    def answer(self, item) -> dict:
        raise NotImplementedError

    def batch(self, items):
        """A context in which the items are answered (lookups shared between them)."""
        return nullcontext()

    @extend_schema(request={"application/json": ONE_OR_MANY}, responses={200: ONE_OR_MANY})
    def post(self, request):
        data = request.data
        many = isinstance(data, list)
        items = data if many else [data]
        if many and len(items) > MAX_BATCH:
            return Response({"detail": f"一次最多提交 {MAX_BATCH} 个对象"}, status=status.HTTP_400_BAD_REQUEST)
        answers = []
        with self.batch(items):
            for number, item in enumerate(items, start=1):
                try:
                    answers.append(self.answer(item))
                except PayloadError as error:
                    where = f"第{number}个对象 " if many else ""
                    return Response(
                        {"detail": f"{where}{error.field}: {error.message}", "field": error.field},
                        status=status.HTTP_400_BAD_REQUEST,
                    )
        return Response(answers if many else answers[0])


@unscoped("按提交的文字计算产业分类，不含任何辖区数据")
class ClassifyView(CatalogComputeView):
    def answer(self, item) -> dict:
        return classify_payload(item)


@unscoped("按提交的项目事实计算准入结论；园区和区划只在用户辖区内查找，辖区外的按不存在回答")
class AdmissionCheckView(CatalogComputeView):
    def answer(self, item) -> dict:
        return admission_payload(item, user=self.request.user)

    def batch(self, items):
        return admission_payload_batch(items)
