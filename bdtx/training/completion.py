"""The three-way completion of a module (seed 003, Cao Bằng 1395/SGDĐT-ĐTBD, 3.3): a learner has
completed it only when the LMS marked it passed, their core teacher marked it passed and the training
institution marked it passed — and, for a cohort with in-person sessions, when they attended the
share of sessions the attendance rule asks. The managing office approves each cohort's list of the
schools it manages; an approved list is locked and a correction after that needs a reason.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bdtx.training.models import CompletionListStatus, Enrolment


def is_locked(enrolment: Enrolment) -> bool:
    """True once the completion list the learner is on has been approved by the managing office."""
    lst = enrolment.completion_list
    return lst is not None and lst.status == CompletionListStatus.APPROVED


def correction_reason(*, enrolment: Enrolment, reason: str = "") -> str:
    """The reason to write in the audit entry of a change to `enrolment`'s scores or marks. After the
    managing office approved its list, a change is a correction and needs a reason (refused without
    one); before that, no reason is asked."""
    reason = reason.strip()
    if is_locked(enrolment) and not reason:
        raise ValidationError(
            _("The completion list of %(name)s is approved and locked: give the reason for this correction.")
            % {"name": enrolment.person}
        )
    return reason
