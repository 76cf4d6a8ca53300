// One shared “now” for every countdown on the page, ticking every 10 seconds.
import { ref } from 'vue';

export const now = ref(Date.now());
let timer = null;
let users = 0;

export function useNow() {
  users++;
  if (!timer) {
    now.value = Date.now();
    timer = setInterval(() => (now.value = Date.now()), 10000);
  }
  return now;
}
export function releaseNow() {
  users = Math.max(0, users - 1);
  if (!users && timer) {
    clearInterval(timer);
    timer = null;
  }
}
