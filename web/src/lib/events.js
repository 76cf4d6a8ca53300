// Live updates: one shared EventSource on /api/v1/events (cookie auth). Each `event: ticket`
// carries {number, state, action, lead_unit, version}. When the stream is not available the
// status says so and pages fall back to polling.
import { reactive } from 'vue';

export const liveStatus = reactive({ state: 'idle' }); // idle | connecting | open | unavailable

const listeners = new Set();
let source = null;
let everOpened = false;
let retryTimer = null;

function connect() {
  if (typeof EventSource === 'undefined') {
    liveStatus.state = 'unavailable';
    return;
  }
  liveStatus.state = 'connecting';
  source = new EventSource('/api/v1/events', { withCredentials: true });
  source.onopen = () => {
    everOpened = true;
    liveStatus.state = 'open';
  };
  source.addEventListener('ticket', (ev) => {
    let data;
    try {
      data = JSON.parse(ev.data);
    } catch {
      return;
    }
    for (const fn of listeners) fn(data);
  });
  source.onerror = () => {
    if (source && source.readyState === EventSource.CLOSED) {
      source.close();
      source = null;
      liveStatus.state = 'unavailable';
      // A stream that worked before is retried; one that never opened (404) later.
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => listeners.size && connect(), everOpened ? 3000 : 60000);
    } else {
      liveStatus.state = 'connecting';
    }
  };
}

// subscribe(fn) → unsubscribe
export function subscribe(fn) {
  listeners.add(fn);
  if (!source && !retryTimer) connect();
  return () => {
    listeners.delete(fn);
    if (!listeners.size) stop();
  };
}

export function stop() {
  clearTimeout(retryTimer);
  retryTimer = null;
  if (source) source.close();
  source = null;
  liveStatus.state = 'idle';
}
