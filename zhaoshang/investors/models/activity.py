"""Investment-promotion activities: 外出招商 trips, 会见客商 meetings, 推介会 and 网络招商 events.

An activity belongs to its organiser's jurisdiction (``path`` = the organiser org unit's node), so the one scope
applies: 禄丰's trips are seen by 禄丰, 楚雄州 and the province, never by 昆明.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from zhaoshang.core.models import JurisdictionModel
from zhaoshang.core.scope import ScopedQuerySet, path_q
from zhaoshang.investors.choices import (
    EVENT_KINDS,
    FOLLOW_UP_DUE_DAYS,
    YUNNAN,
    ActivityKind,
    LeaderLevel,
    Place,
    ProjectLink,
)
from zhaoshang.projects.choices import PROVINCE_CHOICES

MONEY = {"max_digits": 14, "decimal_places": 2}


class ActivityQuerySet(ScopedQuerySet):
    def in_region(self, region):
        return self.filter(path_q("path", region.path))

    def between(self, start, end):
        return self.filter(start_on__gte=start, start_on__lte=end)

    def trips(self):
        return self.filter(kind=ActivityKind.TRIP)

    def meetings(self):
        return self.filter(kind=ActivityKind.MEETING)

    def events(self):
        return self.filter(kind__in=EVENT_KINDS)

    def follow_up_open(self, today):
        """Activities whose 跟进期限 has passed or falls within ``FOLLOW_UP_DUE_DAYS``. A follow-up done is
        recorded by clearing or moving the date on the activity's edit page."""
        return self.filter(follow_up_on__lte=today + timedelta(days=FOLLOW_UP_DUE_DAYS))

    def follow_up_due(self, today):
        """跟进期限 today or within ``FOLLOW_UP_DUE_DAYS`` (not yet overdue)."""
        return self.follow_up_open(today).filter(follow_up_on__gte=today)

    def follow_up_overdue(self, today):
        return self.filter(follow_up_on__lt=today)


class Activity(JurisdictionModel):
    kind = models.CharField("活动类型", max_length=12, choices=ActivityKind.choices, db_index=True)
    title = models.CharField("活动名称", max_length=200)
    start_on = models.DateField("开始日期", db_index=True)
    end_on = models.DateField("结束日期", null=True, blank=True)
    organiser = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="activities"
    )
    destination_province = models.CharField("地点（省份）", max_length=20, choices=PROVINCE_CHOICES, default=YUNNAN)
    destination_city = models.CharField("地点（城市）", max_length=50, blank=True)
    destination_region = models.ForeignKey(
        "regions.Region",
        verbose_name="省内地点（州市/县市区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="地点在云南省内时必填",
    )
    place = models.CharField("地点类别", max_length=20, choices=Place.choices, editable=False, db_index=True)
    leader_name = models.CharField("带队/会见领导", max_length=50, blank=True)
    leader_level = models.CharField("领导级别", max_length=20, choices=LeaderLevel.choices, blank=True, db_index=True)
    participants = models.TextField("参加人员", blank=True)
    online = models.BooleanField("线上举办", default=False)
    organisers = models.CharField("主办/承办单位", max_length=300, blank=True)
    enterprise_count = models.PositiveIntegerField("参会企业数", null=True, blank=True)
    viewer_count = models.PositiveIntegerField("观看人次", null=True, blank=True)
    signing_count = models.PositiveIntegerField("现场签约项目数", null=True, blank=True)
    signed_amount_wan = models.DecimalField("现场签约金额（万元）", null=True, blank=True, **MONEY)
    outcome = models.TextField("成效", blank=True)
    follow_up = models.TextField("后续跟进事项", blank=True)
    follow_up_on = models.DateField("跟进期限", null=True, blank=True)
    enterprises = models.ManyToManyField(
        "investors.Enterprise", verbose_name="拜访/会见企业", through="ActivityEnterprise", related_name="activities"
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name="关联项目", through="ActivityProject", related_name="activities"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "招商活动"
        ordering = ["-start_on", "-id"]
        permissions = [("export_activity", "导出招商活动")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    def get_absolute_url(self):
        return reverse("investors:activity_detail", args=[self.pk])

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def destination(self) -> str:
        if self.destination_province == YUNNAN and self.destination_region_id:
            return f"云南 {self.destination_region.name}"
        return " ".join(p for p in (self.destination_province, self.destination_city) if p)

    def clean(self):
        errors = {}
        if self.end_on and self.start_on and self.end_on < self.start_on:
            errors["end_on"] = "结束日期不能早于开始日期"
        if self.destination_province == YUNNAN and not self.destination_region_id:
            errors["destination_region"] = "地点在云南省内时，请选择州市或县市区"
        if self.destination_province != YUNNAN and self.destination_region_id:
            errors["destination_region"] = "地点在省外时不选省内地点"
        if self.kind in (ActivityKind.TRIP, ActivityKind.MEETING) and not self.leader_level:
            errors["leader_level"] = "外出招商和会见客商须填写领导级别"
        if errors:
            raise ValidationError(errors)

    def place_for(self) -> str:
        """省外 / 州外省内 / 州内 relative to the organiser's prefecture. A provincial organiser has no
        prefecture: anything in Yunnan is 州外省内 for it."""
        if self.destination_province != YUNNAN:
            return Place.OUTSIDE_PROVINCE
        organiser_parts = self.organiser.path.split("/")
        if len(organiser_parts) < 2 or self.destination_region is None:
            return Place.OUTSIDE_PREFECTURE
        destination_parts = self.destination_region.path.split("/")
        if len(destination_parts) >= 2 and destination_parts[1] == organiser_parts[1]:
            return Place.IN_PREFECTURE
        return Place.OUTSIDE_PREFECTURE


class ActivityEnterprise(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="enterprise_links")
    enterprise = models.ForeignKey("investors.Enterprise", on_delete=models.PROTECT, related_name="activity_links")

    scope_field = "activity__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "活动企业"
        constraints = [models.UniqueConstraint(fields=["activity", "enterprise"], name="activity_enterprise_unique")]

    def __str__(self):
        return f"{self.activity} — {self.enterprise}"


class ActivityProject(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="project_links")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="activity_links")
    relation = models.CharField("关系", max_length=10, choices=ProjectLink.choices, default=ProjectLink.LINKED)

    scope_field = "activity__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "活动项目"
        constraints = [models.UniqueConstraint(fields=["activity", "project"], name="activity_project_unique")]

    def __str__(self):
        return f"{self.activity} — {self.project}"
