// Live updates of the on-call services over WebSocket (`graphql-transport-ws` at `/graphql`,
// same origin, authenticated by the session cookie). One socket per page, shared by the
// screens that listen; it reconnects on its own after a drop.
import { useEffect, useRef, useState } from 'react';
import { createClient, type Client } from 'graphql-ws';
import type { OnCallUpdatesSubscription as Update } from '../../gql/graphql';
import { OnCallUpdatesSubscription } from './operations';
import { useSession } from '../../session';

export type OnCallUpdate = Update['onCallUpdates'];

let client: Client | null = null;
let clientKey = '';

/** The socket of the signed-in viewer in their active tenant: another sign-in opens another. */
function socket(key: string): Client {
  if (client && clientKey !== key) {
    void client.dispose();
    client = null;
  }
  clientKey = key;
  if (!client) {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    client = createClient({
      url: `${scheme}://${window.location.host}/graphql`,
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      keepAlive: 30_000,
    });
  }
  return client;
}

/** Whether the live connection is up: `connecting`, `live`, or `offline` after a failure. */
export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Calls `onUpdate` for every on-call update the viewer may see, while the component is mounted.
 * Returns the connection's state, for a screen that says whether it is live.
 */
export function useOnCallUpdates(onUpdate: (u: OnCallUpdate) => void): LiveState {
  const handler = useRef(onUpdate);
  handler.current = onUpdate;
  const [state, setState] = useState<LiveState>('connecting');
  const { viewer } = useSession();
  const key = `${viewer?.user.id ?? ''} ${viewer?.activeTenant?.id ?? ''}`;
  useEffect(() => {
    const c = socket(key);
    const offConnected = c.on('connected', () => setState('live'));
    const offClosed = c.on('closed', () => setState('offline'));
    const stop = c.subscribe<Update>(
      { query: OnCallUpdatesSubscription.toString() },
      {
        next: (message) => {
          setState('live');
          const update = message.data?.onCallUpdates;
          if (update) handler.current(update);
        },
        error: () => setState('offline'),
        complete: () => undefined,
      },
    );
    return () => {
      stop();
      offConnected();
      offClosed();
    };
  }, [key]);
  return state;
}
