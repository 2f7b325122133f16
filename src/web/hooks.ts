/** Small hooks the screens share: loading API data (optionally polled) and the app's path-based routes. */
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): Promise<void>;
}

/**
 * Moves the keyboard focus to `ref`'s element after the render a merchant's action causes: the control they
 * pressed may be gone from the page (a step done, an item retried), and a focus left on nothing sends a keyboard
 * or screen reader user back to the top.
 */
export function useFocusAfter<T extends { focus(): void }>(): [RefObject<T>, () => void] {
  const ref = useRef<T>(null);
  const [wanted, setWanted] = useState(0);
  useEffect(() => {
    if (wanted > 0) ref.current?.focus();
  }, [wanted]);
  return [ref, useCallback(() => setWanted((n) => n + 1), [])];
}

/** Loads `load()` now and whenever `deps` change; with `pollMs`, again every so often while `poll` holds. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
  options: { pollMs?: number; poll?: (data: T | null) => boolean } = {},
): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(load);
  latest.current = load;
  const alive = useRef(true);
  const dataRef = useRef<T | null>(null);

  const reload = useCallback(async () => {
    try {
      const value = await latest.current();
      if (!alive.current) return;
      dataRef.current = value;
      setData(value);
      setError(null);
    } catch (caught) {
      if (alive.current) setError(caught as Error);
    } finally {
      if (alive.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    setLoading(true);
    void reload();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const { pollMs, poll } = options;
    if (pollMs) {
      const tick = () => {
        timer = setTimeout(async () => {
          if (!poll || poll(dataRef.current)) await reload();
          if (alive.current) tick();
        }, pollMs);
      };
      tick();
    }
    return () => {
      alive.current = false;
      if (timer) clearTimeout(timer);
    };
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on.
  }, deps);

  return { data, error, loading, reload };
}

export type Route = 'home' | 'documents' | 'reconciliation' | 'settings';
const ROUTES: Route[] = ['home', 'documents', 'reconciliation', 'settings'];

function routeOf(pathname: string): Route {
  const name = pathname.replace(/^\/app\/?/, '').split('/')[0] ?? '';
  return (ROUTES as string[]).includes(name) ? (name as Route) : 'home';
}

/** The app's screen from the path under /app, kept in the browser's history (the query string stays). */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => routeOf(window.location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(routeOf(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = useCallback((next: Route) => {
    const path = next === 'home' ? '/app/' : `/app/${next}`;
    window.history.pushState(null, '', `${path}${window.location.search}`);
    setRoute(next);
  }, []);
  return [route, go];
}
