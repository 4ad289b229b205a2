from django import forms

from zhaoshang.core.forms import DateInput
from zhaoshang.regions.choices import ZONE_TYPES, ParkLevel
from zhaoshang.regions.models import Park, Region
from zhaoshang.regions.services import PARK_FIELDS


class ParkForm(forms.ModelForm):
    region = forms.ModelChoiceField(label="所属辖区", queryset=Region.objects.none())
    zone_type = forms.ChoiceField(label="类型", choices=[(t, t) for t in ZONE_TYPES])
    code = forms.CharField(label="园区编码", required=False, help_text="留空则自动编号")

    class Meta:
        model = Park
        fields = ["code", "region", *PARK_FIELDS]
        widgets = {"approved_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.for_user(user).filter(level__gte=2)
        self.fields["level"].choices = ParkLevel.choices
        if self.instance.pk:
            self.fields["code"].disabled = True
            if self.instance.location_approximate:
                self.initial["lon"] = self.initial["lat"] = None
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if (data.get("lon") is None) != (data.get("lat") is None):
            raise forms.ValidationError("经度和纬度须同时填写或同时留空（留空时在地图上取辖区中心）")
        lon, lat = data.get("lon"), data.get("lat")
        if lon is not None and not (97 <= lon <= 107 and 21 <= lat <= 30):
            raise forms.ValidationError("坐标不在云南省范围内（东经 97–107°，北纬 21–30°）")
        return data


class ParkRetireForm(forms.Form):
    retired_on = forms.DateField(label="撤销/整合日期", widget=DateInput(attrs={"class": "form-control"}))
    reason = forms.CharField(
        label="原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
