import { describe, it, expect, vi, afterEach } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import Countdown from '../src/components/Countdown.vue';

afterEach(() => vi.useRealTimers());

describe('Countdown component', () => {
  it('shows the working time left and ticks', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2024-10-09T10:00:00+08:00'));
    globalThis.fetch = vi.fn(async () => ({ ok: false, status: 404, text: async () => '' }));
    const pinia = createPinia();
    setActivePinia(pinia);
    const deadline = Date.parse('2024-10-09T11:00:00+08:00') / 1000;
    const w = mount(Countdown, { props: { deadline }, global: { plugins: [pinia] } });
    expect(w.text()).toBe('剩 1小时');
    expect(w.classes()).toContain('cd-warn');
    vi.setSystemTime(new Date('2024-10-09T11:30:00+08:00'));
    vi.advanceTimersByTime(10000);
    await w.vm.$nextTick();
    expect(w.text()).toBe('超期 30分');
    expect(w.classes()).toContain('cd-over');
    w.unmount();
  });
});
