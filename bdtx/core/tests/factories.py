"""factory_boy factories with realistic Vietnamese names (Faker vi_VN: last, middle, first)."""

from datetime import date

import factory
from django.contrib.auth.models import User
from faker import Faker

from bdtx.core.scope import Scope
from bdtx.core.selectors import school_year_current
from bdtx.people.models import Employment, Gender, Person, Position, StaffType
from bdtx.people.validators import personal_id_for

fake = Faker("vi_VN")
Faker.seed(2025)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.edu.vn")
    password = factory.django.Password("matkhau-demo-2025")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    gender = factory.Iterator([Gender.FEMALE, Gender.MALE, Gender.FEMALE])
    family_name = factory.LazyFunction(fake.last_name)
    middle_name = factory.LazyAttribute(lambda o: "Thị" if o.gender == Gender.FEMALE else "Văn")
    given_name = factory.LazyAttribute(
        lambda o: fake.first_name_female() if o.gender == Gender.FEMALE else fake.first_name_male()
    )
    date_of_birth = factory.Sequence(lambda n: date(1970 + n % 30, 1 + n % 12, 1 + n % 28))
    ethnicity_id = factory.Iterator(["01", "02", "07", "08"])
    personal_id = factory.LazyAttributeSequence(
        lambda o, n: personal_id_for(province="004", gender=o.gender, birth=o.date_of_birth, serial=n)
    )


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    school_year = factory.LazyFunction(school_year_current)
    position = Position.TEACHER
    staff_type = StaffType.TEACHER
    school_level = "TH"


def as_person(person: Person) -> Scope:
    """The scope a person acts in for their own records (their plan, their self-assessment)."""
    return Scope(user_id=person.user_id, person_id=person.pk)
