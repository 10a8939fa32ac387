/** What Tab can reach inside a drawer or dialog. */
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** Whether keys pressed here are typed text (arrows move the caret, Escape leaves the field). */
export function typing(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

/** Input types that take typed text (a checkbox or a button does not: Escape there is for the drawer). */
const TEXT_INPUTS = ['text', 'search', 'number', 'email', 'url', 'tel', 'password', 'date', 'time', 'datetime-local'];

/** Whether Escape pressed here should first leave the field: text is being typed into it. */
export function textField(t: EventTarget | null): t is HTMLElement {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement) return true;
  return t instanceof HTMLInputElement && TEXT_INPUTS.includes(t.type);
}

/** Tab and Shift+Tab go round inside `box` (a modal drawer): call from its keydown. */
export function trapTab(e: KeyboardEvent, box: HTMLElement): void {
  if (e.key !== 'Tab') return;
  const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.offsetParent !== null || el === document.activeElement,
  );
  if (items.length === 0) {
    e.preventDefault();
    box.focus();
    return;
  }
  const first = items[0];
  const last = items[items.length - 1];
  const at = document.activeElement;
  if (e.shiftKey && (at === first || at === box)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && at === last) {
    e.preventDefault();
    first.focus();
  }
}
