import type { Attachment } from 'svelte/attachments';

/**
 * Reports an element's client width and height whenever they change, from a
 * ResizeObserver. `bind:clientWidth` reads the size in the effect that mounts
 * the element, which forces a layout of the whole page in the middle of the
 * render: about 50 ms when the results first appeared. A ResizeObserver is
 * called after the browser's own layout, where reading the size costs nothing.
 */
export function observeSize(set: (width: number, height: number) => void): Attachment<HTMLElement> {
  return (element) => {
    const observer = new ResizeObserver(() => set(element.clientWidth, element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  };
}
