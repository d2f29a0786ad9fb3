/**
 * A Svelte action for a box that may scroll (a wide table, a long sample): marks it `more-left` /
 * `more-right` while content lies out of view on that side (the CSS fades the edge and shadows the
 * sticky column there), and makes it keyboard-focusable only while it scrolls either way, so arrow
 * keys reach what the mouse can.
 */
export function scrollCue(node: HTMLElement): { destroy(): void } {
  const update = (): void => {
    const max = node.scrollWidth - node.clientWidth
    node.classList.toggle('more-left', max > 1 && node.scrollLeft > 1)
    node.classList.toggle('more-right', max > 1 && node.scrollLeft < max - 1)
    if (max > 1 || node.scrollHeight - node.clientHeight > 1) node.setAttribute('tabindex', '0')
    else node.removeAttribute('tabindex')
  }
  const observer = new ResizeObserver(update)
  observer.observe(node)
  if (node.firstElementChild) observer.observe(node.firstElementChild)
  node.addEventListener('scroll', update, { passive: true })
  update()
  return {
    destroy() {
      observer.disconnect()
      node.removeEventListener('scroll', update)
    }
  }
}
