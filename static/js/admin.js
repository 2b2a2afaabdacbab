'use strict';
// Accessibility repairs of the Django admin's widgets, applied after the admin's own scripts set them up
// (this file is deferred; jQuery ready callbacks and load listeners run in the order they were added).
{
    // select2 (autocomplete_fields): the combobox gets the field's label as its accessible name, and the
    // hidden <select> an empty choice with text ("---------" as Django's plain selects have), since an
    // empty <option> without text and a required <select> without any option are invalid HTML.
    const labelAutocompletes = (root) => {
        root.querySelectorAll('select.admin-autocomplete:not([name*="__prefix__"])').forEach((select) => {
            if (!select.multiple) {
                const blank = Array.from(select.options).find((option) => option.value === '');
                if (blank && !blank.text) {
                    blank.text = '---------';
                } else if (!blank) {
                    select.prepend(new Option('---------', '', false, select.selectedIndex < 0));
                }
            }
            const container = select.nextElementSibling;
            const selection = container && container.querySelector('.select2-selection');
            if (!selection) {
                return;
            }
            // the combobox and, inside it, the text showing the choice (select2 gives it role="textbox")
            const rendered = selection.querySelector('.select2-selection__rendered');
            const label = select.id && document.querySelector(`label[for="${select.id}"]`);
            if (label) {
                label.id = label.id || `${select.id}_label`;
                selection.setAttribute('aria-labelledby', [label.id, rendered && rendered.id].filter(Boolean).join(' '));
                if (rendered) {
                    rendered.setAttribute('aria-labelledby', label.id);
                }
            } else if (select.hasAttribute('aria-label')) {
                for (const element of [selection, rendered].filter(Boolean)) {
                    element.removeAttribute('aria-labelledby');
                    element.setAttribute('aria-label', select.getAttribute('aria-label'));
                }
            }
        });
    };

    // filter_horizontal / filter_vertical (SelectFilter2.js): the field's label pointed at the original
    // <select>, which the widget renamed to "…_from"; the search icons carry aria-label without a role;
    // the "chosen" box copies size="0" from the original.
    const repairSelectFilters = () => {
        document.querySelectorAll('.selector select[id$="_from"]').forEach((from) => {
            const fieldId = from.id.slice(0, -'_from'.length);
            const label = document.querySelector(`label[for="${fieldId}"]`);
            if (label && !document.getElementById(fieldId)) {
                label.htmlFor = from.id;
            }
        });
        document.querySelectorAll('.selector .search-label-icon[aria-label]').forEach((icon) => {
            icon.setAttribute('role', 'img');
        });
        document.querySelectorAll('.selector select[size="0"]').forEach((select) => {
            select.removeAttribute('size');
        });
    };

    // Tabular inlines: Django points a field with help text at "…_helptext", but the table shows the help as the
    // column heading's icon and has no such element; the dangling reference goes (rows added later are
    // copies of the template row, repaired with it).
    const dropDanglingDescriptions = () => {
        document.querySelectorAll('.tabular [aria-describedby]').forEach((element) => {
            const ids = element.getAttribute('aria-describedby').split(/\s+/).filter((id) => document.getElementById(id));
            if (ids.length) {
                element.setAttribute('aria-describedby', ids.join(' '));
            } else {
                element.removeAttribute('aria-describedby');
            }
        });
    };

    if (window.django && window.django.jQuery) {
        window.django.jQuery(() => labelAutocompletes(document));
    }
    document.addEventListener('formset:added', (event) => labelAutocompletes(event.target));
    window.addEventListener('load', repairSelectFilters);
    document.addEventListener('DOMContentLoaded', dropDanglingDescriptions);
}
