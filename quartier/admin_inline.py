from django.contrib import admin


class TabularInline(admin.TabularInline):
    """The admin's tabular inline with a name for every field of every row.

    Django puts the label only in the column heading, which is not tied to the inputs of the rows, so screen
    readers announce unnamed fields (axe: label, select-name). Each visible field's widget, the "delete"
    checkbox included, gets its label as aria-label; the rows added with "Add another" are copies of the
    empty form and carry it too.
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for name, field in form.fields.items():
                    if not field.widget.is_hidden:
                        field.widget.attrs.setdefault("aria-label", str(field.label or name))

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet
