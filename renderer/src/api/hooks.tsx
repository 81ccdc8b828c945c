// The screens' only way to the app: queries, live subscriptions and commands on `window.topsmile`,
// as React hooks with loading and error states. Inputs are compared by value, so a caller can
// pass a fresh object literal on every render.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { TopSmileApi } from '../../../shared/api/client';
import type {
  CallableMethod,
  InputOf,
  OutputOf,
  SubscriptionMethod,
} from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/protocol';

const ApiContext = createContext<TopSmileApi | null>(null);

export function ApiProvider({ api, children }: { api: TopSmileApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): TopSmileApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi needs an <ApiProvider> above it.');
  return api;
}

/** Any failure as an ApiError, whose message is always safe to show. */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError({ code: 'internal', message: 'Something went wrong; please try again.' });
}

export interface QueryState<T> {
  readonly data: T | undefined;
  /** The input `data` answers (as JSON): while a new input loads, `data` is the previous one's. */
  readonly dataKey: string | undefined;
  readonly error: ApiError | null;
  readonly loading: boolean;
  readonly refresh: () => void;
}

/** Runs a query now and whenever its input changes; `skip` waits (e.g. for an empty search). */
export function useQuery<M extends CallableMethod>(
  method: M,
  input: InputOf<M>,
  options: { skip?: boolean } = {},
): QueryState<OutputOf<M>> {
  const api = useApi();
  const key = JSON.stringify(input);
  const [state, setState] = useState<{
    data?: OutputOf<M>;
    dataKey?: string;
    error: ApiError | null;
    loading: boolean;
  }>({ error: null, loading: !options.skip });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (options.skip) {
      setState((previous) => ({ ...previous, loading: false }));
      return;
    }
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    api.call(method, JSON.parse(key) as InputOf<M>).then(
      (data) => current && setState({ data, dataKey: key, error: null, loading: false }),
      (error: unknown) =>
        current &&
        setState((previous) => ({ ...previous, error: asApiError(error), loading: false })),
    );
    return () => {
      current = false;
    };
  }, [api, method, key, options.skip, generation]);
  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return {
    data: state.data,
    dataKey: state.dataKey,
    error: state.error,
    loading: state.loading,
    refresh,
  };
}

export interface SubscriptionState<T> {
  readonly data: T | undefined;
  readonly error: ApiError | null;
}

/** The latest value of a live subscription; re-subscribes when the input changes. */
export function useSubscription<M extends SubscriptionMethod>(
  method: M,
  input: InputOf<M>,
  options: { skip?: boolean } = {},
): SubscriptionState<OutputOf<M>> {
  const api = useApi();
  const key = JSON.stringify(input);
  const [state, setState] = useState<SubscriptionState<OutputOf<M>>>({
    data: undefined,
    error: null,
  });
  useEffect(() => {
    if (options.skip) return;
    setState((previous) => ({ data: previous.data, error: null }));
    return api.subscribe(
      method,
      JSON.parse(key) as InputOf<M>,
      (data) => setState({ data, error: null }),
      (error) => setState((previous) => ({ data: previous.data, error })),
    );
  }, [api, method, key, options.skip]);
  return state;
}

export interface CommandState<M extends CallableMethod> {
  /** Resolves to the output, or to undefined when the call failed (the error is in `error`). */
  readonly run: (input: InputOf<M>) => Promise<OutputOf<M> | undefined>;
  readonly pending: boolean;
  readonly error: ApiError | null;
  readonly reset: () => void;
}

/** A command with its pending and error states; a failed call never throws into React. */
export function useCommand<M extends CallableMethod>(method: M): CommandState<M> {
  const api = useApi();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (input: InputOf<M>) => {
      setPending(true);
      setError(null);
      try {
        return await api.call(method, input);
      } catch (caught) {
        if (mounted.current) setError(asApiError(caught));
        return undefined;
      } finally {
        if (mounted.current) setPending(false);
      }
    },
    [api, method],
  );
  const reset = useCallback(() => setError(null), []);
  return { run, pending, error, reset };
}

/** The message for one field from a failed command's issues, for inline form errors. */
export function fieldError(error: ApiError | null, field: string): string | undefined {
  return error?.issues.find((issue) => issue.field === field || issue.field.endsWith(`.${field}`))
    ?.message;
}
