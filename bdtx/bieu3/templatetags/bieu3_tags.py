from django import forms, template

register = template.Library()


@register.filter
def field(form: forms.Form, name: str) -> forms.BoundField:
    """A form's bound field by a name held in a variable: `form|field:key`."""
    return form[name]
