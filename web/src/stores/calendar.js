// The working calendar used by countdowns: from the server when it shares it, else the
// built-in rules (office hours, weekends off).
import { defineStore } from 'pinia';
import { api } from '../api/client.js';
import { calendarFromJson, defaultCalendar } from '../lib/worktime.js';

export const useCalendar = defineStore('calendar', {
  state: () => ({ cal: defaultCalendar, fromServer: false, tried: false }),
  actions: {
    async load() {
      if (this.tried) return;
      this.tried = true;
      const year = new Date().getFullYear();
      for (const path of ['/calendar', '/admin/calendar']) {
        try {
          const j = await api.get(path, { year }, { silent: true });
          this.cal = calendarFromJson(j);
          this.fromServer = true;
          return;
        } catch {
          /* try the next one */
        }
      }
    },
  },
});
