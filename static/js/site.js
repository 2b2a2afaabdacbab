'use strict';
// Focus after a page load. The HTML already asks for it (the error summary has autofocus, the room results
// are the target of the search form's #ergebnisse), but browsers skip autofocus when the address has a
// fragment (a skip link's #main stays on the address of a form sent after it), move focus to that
// fragment's target once the page is loaded, and some ignore autofocus outside form fields. So the error
// summary of a refused form gets focus here, once the DOM is there and again on load unless the person
// has already moved on; without a summary, the fragment's target if it can take focus.
{
    const wanted = () => {
        const summary = document.querySelector('.form-errors[tabindex]');
        const hash = window.location.hash.slice(1);
        const target = !summary && hash && document.getElementById(decodeURIComponent(hash));
        return summary || (target && target.hasAttribute('tabindex') ? target : null);
    };
    const focusWanted = (onlyFromStart) => {
        const element = wanted();
        const active = document.activeElement;
        const atStart = !active || active === document.body || active.id === window.location.hash.slice(1);
        if (element && active !== element && (!onlyFromStart || atStart)) {
            element.focus();
        }
    };
    document.addEventListener('DOMContentLoaded', () => focusWanted(false));
    window.addEventListener('load', () => focusWanted(true));
}
