// A small typed GraphQL client over fetch. Documents are generated as typed strings from the
// committed SDL, so a query's variables and result are checked at build time.
import type { TypedDocumentString } from '../gql/graphql';

/** One GraphQL error as the gateway reports it. */
export interface ApiErrorItem {
  /** The server's English words: the fallback when the reason is unknown to the console. */
  message: string;
  code: string;
  /** The stable machine reason (`extensions.reason`, one of `REASONS` of ./reasons). */
  reason?: string;
  /** The reason's parameters (`extensions.params`): numbers and codes only. */
  params?: Record<string, unknown>;
  /** The input field (camelCase) an INVALID_INPUT error refers to. */
  field?: string;
  /** On CONFLICT with field `expectedVersion`: the record's version now (someone else saved it). */
  currentVersion?: number;
  /** On CONFLICT: the existing object the change collides with, when the user may see it. */
  existingId?: string;
  /** A refusal the console words itself (in the user's language), before asking the server. */
  local?: boolean;
}

/** A failed request: the GraphQL errors, or a network failure (code NETWORK). */
export class ApiError extends Error {
  readonly items: ApiErrorItem[];

  constructor(items: ApiErrorItem[]) {
    super(items.map((i) => i.message).join('; '));
    this.items = items;
  }

  get code(): string {
    return this.items[0]?.code ?? 'INTERNAL';
  }

  has(code: string): boolean {
    return this.items.some((i) => i.code === code);
  }
}

function paramsOf(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

let csrfToken: string | null = null;

/** Remembers the CSRF token returned by sign-in or by `viewer`. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function csrfFromCookie(): string | null {
  const match = document.cookie.match(/(?:^|;\s*)sportello_csrf=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

const listeners = new Set<() => void>();

/** Called when the server says the session is over (UNAUTHENTICATED on a signed-in request). */
export function onSessionLost(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function request<R, V>(
  document: TypedDocumentString<R, V>,
  ...[variables]: V extends Record<string, never> ? [] | [V] : [V]
): Promise<R> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json',
  };
  const token = csrfToken ?? csrfFromCookie();
  if (token) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError([{ message: 'network error', code: 'NETWORK' }]);
  }
  let body: { data?: R | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError([{ message: `HTTP ${response.status}`, code: response.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL' }]);
  }
  if (body.errors && body.errors.length > 0) {
    const items = body.errors.flatMap((e) => {
      const item = {
        message: e.message,
        code: typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL',
        field: typeof e.extensions?.field === 'string' ? e.extensions.field : undefined,
        currentVersion: typeof e.extensions?.currentVersion === 'number' ? e.extensions.currentVersion : undefined,
        existingId: typeof e.extensions?.existingId === 'string' ? e.extensions.existingId : undefined,
        reason: typeof e.extensions?.reason === 'string' ? e.extensions.reason : undefined,
        params: paramsOf(e.extensions?.params),
      };
      // An input refused on several fields lists each (`extensions.fields`): one item per
      // field, so each message shows next to its own field.
      const fields = Array.isArray(e.extensions?.fields)
        ? (e.extensions.fields as { field?: unknown; message?: unknown; reason?: unknown; params?: unknown }[])
        : [];
      const others = fields
        .filter((f) => typeof f.field === 'string' && typeof f.message === 'string' && f.field !== item.field)
        .map((f) => ({
          ...item,
          field: f.field as string,
          message: f.message as string,
          reason: typeof f.reason === 'string' ? f.reason : undefined,
          params: paramsOf(f.params),
          existingId: undefined,
        }));
      return [item, ...others];
    });
    if (items.some((i) => i.code === 'UNAUTHENTICATED')) listeners.forEach((l) => l());
    throw new ApiError(items);
  }
  return body.data as R;
}
