/** History routing under /console: every console path serves the same page, the browser picks the view. */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';

export interface Route {
  /** First segment after /console: '' for the home page, 'templates', 'signin', … */
  section: string;
  /** Second segment: an id, or 'new'. */
  id: string | null;
}

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const [section = '', id = null] = rest.split('/').filter(Boolean).map(decodeURIComponent);
  return { section, id };
}

const CHANGE = 'couponhub:navigate';

export function href(path: string): string {
  return `${BASE}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Moves to a console path (relative to /console) without reloading. */
export function navigate(path: string, replace = false): void {
  const url = href(path);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return route;
}

/** Click handler for in-app links: plain clicks route in place, modified clicks open as usual. */
export function follow(event: MouseEvent, path: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(path);
}
