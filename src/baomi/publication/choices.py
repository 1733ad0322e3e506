"""Choices of the publication review (SUP-3, R-PUB-1..4), with Chinese labels through translations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where the information goes out (SUP-3: published or provided outside)."""

    WEBSITE = "website", _("Government website")
    DISCLOSURE = "disclosure", _("Government information disclosure")
    PRESS = "press", _("Press and media")
    INFO_REQUEST = "info_request", _("Reply to an information request")
    EXTERNAL = "external", _("Material for another organisation")
    OTHER = "other", _("Other")


class DeadlineKind(models.TextChoices):
    """The deadlines of R-PUB-3 (政府信息公开条例 Art 26, 30, 32, 33), counted in working days."""

    PROACTIVE = "proactive", _("Proactive disclosure (20 working days after forming)")
    REPLY = "reply", _("Reply to an information request (20 working days)")
    THIRD_PARTY = "third_party", _("Third-party comments (15 working days)")
    CORRECTION = "correction", _("Notice to correct a request (7 working days)")
    NONE = "none", _("No statutory deadline")


class RequestStatus(models.TextChoices):
    """Where a publication review request stands (先审后发, R-PUB-1)."""

    DEPT_REVIEW = "dept_review", _("Awaiting department review")
    OFFICE_REVIEW = "office_review", _("Awaiting security office review")
    REFERRED = "referred", _("Referred for a ruling")
    APPROVED = "approved", _("Approved, not yet published")
    PUBLISHED = "published", _("Published")
    WITHHELD = "withheld", _("Withheld")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = (RequestStatus.DEPT_REVIEW, RequestStatus.OFFICE_REVIEW, RequestStatus.REFERRED)


class Stage(models.TextChoices):
    DEPARTMENT = "department", _("Department review")
    OFFICE = "office", _("Security office review")
    REASSESSMENT = "reassessment", _("Re-assessment")


class Outcome(models.TextChoices):
    """What a reviewer decided (R-PUB-1, R-PUB-2)."""

    FORWARD = "forward", _("Agreed, forwarded to the security office")
    APPROVE = "approve", _("Approved for publication")
    APPROVE_REDACTED = "approve_redacted", _("Approved with redactions")
    REFUSE = "refuse", _("Not approved for publication")
    REFER = "refer", _("Referred")
    KEEP_WITHHELD = "keep_withheld", _("Still withheld")
    RELEASE = "release", _("Released for a new review")


class Ground(models.TextChoices):
    """Why information is withheld (R-PUB-2 Art 14, R-PUB-4 Art 15/16, R-WS-1)."""

    STATE_SECRET = "state_secret", _("State secret")
    WORK_SECRET = "work_secret", _("Work secret")
    PRIVACY = "privacy", _("Personal privacy or commercial secret")
    INTERNAL = "internal", _("Internal affairs or process information")
    OTHER = "other", _("Other")


class ReferralTo(models.TextChoices):
    """Whom an unsure case is referred to (R-PUB-2, 政府信息公开条例 Art 17 ¶3)."""

    COMPETENT_DEPARTMENT = "competent_department", _("Competent department")
    SECRECY_BUREAU = "secrecy_bureau", _("Secrecy bureau")


class HitKind(models.TextChoices):
    """What the screening found (SUP-3): marks, numbers, registry titles and 密点, personal
    information, keywords — and attachments whose text could not be read."""

    MARK = "mark", _("Classification mark")
    REGISTRY_NUMBER = "registry_number", _("Carrier registry number")
    COPY_NUMBER = "copy_number", _("Copy number")
    DOCUMENT_NUMBER = "document_number", _("Document number of a classified item")
    TITLE = "title", _("Title of a classified item")
    SECRET_POINT = "secret_point", _("Secret point of a classified item")
    ID_NUMBER = "id_number", _("Resident identity card number")
    PHONE = "phone", _("Mobile phone number")
    KEYWORD = "keyword", _("Keyword")
    UNREADABLE = "unreadable", _("Attachment text could not be read")


# Kinds that name a registry object: shown only to a reviewer who may see that object.
REGISTRY_KINDS = (HitKind.REGISTRY_NUMBER, HitKind.DOCUMENT_NUMBER, HitKind.TITLE, HitKind.SECRET_POINT)


class HitSource(models.TextChoices):
    TITLE = "title", _("Subject")
    TEXT = "text", _("Text")
    ATTACHMENT = "attachment", _("Attachment")
