// A list that reloads itself when the server's stream reports a change it may care about
// (debounced), or every 30 s when the stream is not available.
import { onMounted, onUnmounted } from 'vue';
import { subscribe, liveStatus } from './events.js';

export function useLiveList(reload, { relevant = () => true, pollMs = 30000, debounceMs = 400 } = {}) {
  let timer = null;
  let poll = null;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  };
  let unsub = null;
  onMounted(() => {
    unsub = subscribe((ev) => {
      if (relevant(ev)) schedule();
    });
    poll = setInterval(() => {
      if (liveStatus.state !== 'open') reload();
    }, pollMs);
  });
  onUnmounted(() => {
    clearTimeout(timer);
    clearInterval(poll);
    if (unsub) unsub();
  });
}
