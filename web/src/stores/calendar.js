// The working calendar used by countdowns: from the server when it shares it, else the
// built-in rules (office hours, weekends off).
import { defineStore } from 'pinia';
import { api } from '../api/client.js';
import { calendarFromJson, defaultCalendar, mergeCalendars } from '../lib/worktime.js';

export const useCalendar = defineStore('calendar', {
  state: () => ({ cal: defaultCalendar, fromServer: false, tried: false }),
  actions: {
    async load() {
      if (this.tried) return;
      this.tried = true;
      // This year and the next (deadlines run over New Year).
      const year = new Date().getFullYear();
      for (const path of ['/calendar', '/admin/calendar']) {
        try {
          const years = await Promise.all([year, year + 1].map((y) => api.get(path, { year: y }, { silent: true })));
          this.cal = mergeCalendars(years.map(calendarFromJson));
          this.fromServer = true;
          return;
        } catch {
          /* try the next one */
        }
      }
    },
  },
});
