// Hot topics and clusters of similar reports (GET /hot-topics, GET /tickets/clusters):
// query building and the merge plan of a cluster, kept apart from the views for testing.
import { t } from '../i18n/index.js';

// The query of GET /hot-topics or /tickets/clusters: empty filters left out.
export function hotQuery({ from, to, region, category, limit, minSize } = {}) {
  const q = { from, to, region, category, limit, min_size: minSize };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== '' && v != null));
}

// Element Plus tag type and Chinese name of a topic kind.
export function kindTag(kind) {
  const types = { cluster: 'danger', place: 'warning', growth: 'primary' };
  return { type: types[kind] || 'info', label: t(`hot.kinds.${kind}`) };
}

// "本期 6 件 / 上期 0 件（新）" for the count column.
export function countText(topic) {
  const base = t('hot.counts', { count: topic.count, before: topic.before });
  return topic.new ? `${base}${t('hot.newMark')}` : base;
}

// The merges that fold a cluster into its suggested master: one merge action per ticket
// the server marked mergeable, each into the master. Empty without a master.
export function mergePlan(cluster) {
  if (!cluster || !cluster.master) return [];
  return (cluster.mergeable || [])
    .filter((n) => n !== cluster.master)
    .map((number) => ({ number, into: cluster.master }));
}

// Runs the merges one after the other (each is its own ticket change); returns how many
// succeeded and failed, so that one refused merge does not stop the others.
export async function runMerges(plan, act) {
  let ok = 0;
  let fail = 0;
  for (const step of plan) {
    try {
      await act(step.number, 'merge', { into: step.into });
      ok += 1;
    } catch {
      fail += 1;
    }
  }
  return { ok, fail };
}
