"""Writes of learning materials (học liệu): files, links and videos of a module."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from bdtx.catalog.models import Material, Module
from bdtx.catalog.selectors import material_unit_for
from bdtx.core import uploads
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.core.text import nfc


@transaction.atomic
def material_add(
    *,
    scope: Scope,
    module: Module,
    kind: str,
    title: str,
    url: str = "",
    upload: UploadedFile | None = None,
) -> Material:
    """A file, link or video for a module. The ministry's are for everyone, a province's for its people.

    A file is accepted by its content, not its name (`bdtx.core.uploads`): a PDF, an Office file, a
    PNG or JPEG picture or an MP4 video, and only an MP4 for a video; never a web page, an SVG, a
    program or a script, which would run in the site's origin for whoever opens them.
    """
    unit = material_unit_for(scope)
    if unit is None:
        raise PermissionDenied
    title = nfc(title)
    if not title:
        raise ValidationError({"title": _("Give the material a title.")})
    if kind not in Material.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of material.")})
    if kind == Material.Kind.FILE and upload is None:
        raise ValidationError({"file": _("Choose the file to upload.")})
    if kind == Material.Kind.LINK and not url:
        raise ValidationError({"url": _("Give the address of the link.")})
    if kind == Material.Kind.VIDEO and not url and upload is None:
        raise ValidationError({"url": _("Give the address of the video or upload it.")})
    if url and upload is not None:
        raise ValidationError({"url": _("Give either an address or a file, not both.")})
    if upload is not None:
        allowed = uploads.MATERIAL_VIDEO_TYPES if kind == Material.Kind.VIDEO else uploads.MATERIAL_TYPES
        try:
            uploads.upload_accept(upload, allowed=allowed, max_bytes=settings.MATERIAL_MAX_BYTES)
        except ValidationError as e:
            raise ValidationError({"file": e.messages}) from None
    last = Material.objects.filter(module=module).aggregate(m=Max("position"))["m"]
    material = Material(module=module, unit=unit, kind=kind, title=title, url=url, position=(last or 0) + 1)
    if upload is not None:
        name = (upload.name or "tai-lieu").rsplit("/", 1)[-1][:255]
        material.original_filename = name
        material.file.save(name, upload, save=False)
    material.save()
    audit_record(
        actor_id=scope.user_id,
        action="material.add",
        obj=material,
        object_repr=f"{module.code}: {title}",
        unit_path=unit.path,
        changes={"kind": [None, kind], "title": [None, title], "url": [None, url or material.original_filename]},
    )
    return material


@transaction.atomic
def material_remove(*, scope: Scope, material: Material) -> None:
    """Remove a material; its file leaves the storage once the removal is committed."""
    if not scope.has(Perm.CATALOG_MANAGE, material.unit.path):
        raise PermissionDenied
    audit_record(
        actor_id=scope.user_id,
        action="material.remove",
        obj=material,
        object_repr=f"{material.module.code}: {material.title}",
        unit_path=material.unit.path,
        changes={"title": [material.title, None]},
    )
    file = material.file
    material.delete()
    if file and file.name:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))
