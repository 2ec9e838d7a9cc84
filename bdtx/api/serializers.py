from rest_framework import serializers

from bdtx.organisations.models import Unit
from bdtx.people.models import Employment


class UnitSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    # `parent` shadows DRF Field.parent (the enclosing serializer) for mypy only; DRF handles it.
    parent = serializers.UUIDField(source="parent.uuid", read_only=True, allow_null=True, default=None)  # type: ignore[assignment]
    levels = serializers.ListField(source="level_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "levels",
            "ownership",
            "school_type",
            "difficult_area",
            "parent",
            "dissolved_on",
        ]


class StaffSerializer(serializers.ModelSerializer):
    """One person's employment in a school year. Ethnicity and ID number only for allowed roles."""

    id = serializers.UUIDField(source="person.uuid", read_only=True)
    family_name = serializers.CharField(source="person.family_name")
    middle_name = serializers.CharField(source="person.middle_name")
    given_name = serializers.CharField(source="person.given_name")
    gender = serializers.CharField(source="person.gender")
    date_of_birth = serializers.DateField(source="person.date_of_birth")
    unit = serializers.UUIDField(source="unit.uuid")
    school_year = serializers.IntegerField(source="school_year_id")
    ethnicity = serializers.CharField(source="person.ethnicity_id", allow_null=True)
    personal_id = serializers.CharField(source="person.personal_id", allow_null=True)
    # the person's post: their own value, else their unit's (Employment.in_difficult_area)
    difficult_area = serializers.BooleanField(source="in_difficult_area", read_only=True)

    class Meta:
        model = Employment
        fields = [
            "id",
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "date_of_birth",
            "unit",
            "school_year",
            "staff_type",
            "position",
            "school_level",
            "subjects",
            "is_mentor",
            "status",
            "difficult_area",
            "ethnicity",
            "personal_id",
        ]

    def __init__(self, *args, sensitive: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            self.fields.pop("ethnicity")
            self.fields.pop("personal_id")
