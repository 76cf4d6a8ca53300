// Reference data shared by every page: units, categories, regions (cached per session).
import { defineStore } from 'pinia';
import { api } from '../api/client.js';

// Until GET /org/regions exists, regions are derived from the units that serve them.
export function regionsFromUnits(units) {
  const byId = new Map();
  for (const u of units) {
    if (!u.region || byId.has(u.region)) continue;
    let name = u.name;
    if (u.kind === 'centre') name = name.replace(/12345.*$/, '');
    else if (u.kind === 'platform') name = name.replace(/12345.*$/, '');
    else if (u.level === 'township') name = name.replace(/(办事处|人民政府)$/, '');
    else if (u.level === 'city') continue; // a city department names no region of its own
    byId.set(u.region, { id: u.region, code: '', name, level: u.level, parent: 0 });
  }
  const units2 = units.filter((u) => u.region);
  // parent region: the region of the unit's parent unit
  const unitById = new Map(units.map((u) => [u.id, u]));
  for (const u of units2) {
    const r = byId.get(u.region);
    const p = unitById.get(u.parent);
    if (r && p && p.region && p.region !== u.region && !r.parent) r.parent = p.region;
  }
  return [...byId.values()];
}

export function buildTree(items, { idKey = 'id', parentKey = 'parent' } = {}) {
  const nodes = new Map(items.map((i) => [i[idKey], { ...i, children: [] }]));
  const roots = [];
  for (const n of nodes.values()) {
    const p = nodes.get(n[parentKey]);
    if (p) p.children.push(n);
    else roots.push(n);
  }
  for (const n of nodes.values()) if (!n.children.length) delete n.children;
  return roots;
}

export const useReference = defineStore('reference', {
  state: () => ({ units: [], categories: [], regions: [], regionsDerived: false, loaded: false }),
  getters: {
    unitById: (s) => new Map(s.units.map((u) => [u.id, u])),
    categoryById: (s) => new Map(s.categories.map((c) => [c.id, c])),
    regionById: (s) => new Map(s.regions.map((r) => [r.id, r])),
    unitTree: (s) => buildTree(s.units),
    categoryTree: (s) => buildTree(s.categories),
    regionTree: (s) => buildTree(s.regions),
    handlingUnits: (s) => s.units.filter((u) => u.kind !== 'centre'),
  },
  actions: {
    async load(force = false) {
      if (this.loaded && !force) return;
      const [u, c] = await Promise.all([
        api.get('/org/units', undefined, { silent: true }).catch(() => ({ units: [] })),
        api.get('/categories', undefined, { silent: true }).catch(() => ({ categories: [] })),
      ]);
      this.units = u.units || [];
      this.categories = c.categories || [];
      try {
        const r = await api.get('/org/regions', undefined, { silent: true });
        this.regions = r.regions || [];
        this.regionsDerived = false;
      } catch {
        this.regions = regionsFromUnits(this.units);
        this.regionsDerived = true;
      }
      this.loaded = true;
    },
    unitName(id) {
      const u = this.unitById.get(id);
      return u ? u.name : '';
    },
    // The units below `id` (for a county platform's sub-dispatch).
    childrenOf(id) {
      return this.units.filter((u) => u.parent === id && u.active !== false);
    },
  },
});
