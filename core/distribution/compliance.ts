/**
 * A compliance report over the relationship graph (DESIGN §9, anchors (e)4): depth distribution, and every
 * distributor whose stored ancestor chain is not exactly its inviter chain (stale, cyclic or self-referencing).
 * Commission never goes deeper than 2 tiers whatever the depth; the report lets the merchant (and a checker)
 * see the graph is cycle-free and consistent.
 */

export interface RelationshipNode {
  openid: string;
  inviterId: string | null;
  ancestors: readonly string[];
}

export interface RelationshipReport {
  total: number;
  /** depth = 1 + number of ancestors (a distributor without inviter has depth 1) */
  maxDepth: number;
  byDepth: Record<number, number>;
  /** openids whose `ancestors` differ from the chain obtained by following `inviterId` (or that contain a cycle) */
  inconsistent: string[];
}

export function relationshipReport(nodes: readonly RelationshipNode[]): RelationshipReport {
  const byId = new Map<string, RelationshipNode>();
  for (const n of nodes) byId.set(n.openid, n);
  const byDepth: Record<number, number> = {};
  const inconsistent: string[] = [];
  let maxDepth = 0;
  for (const n of nodes) {
    const depth = n.ancestors.length + 1;
    byDepth[depth] = (byDepth[depth] ?? 0) + 1;
    if (depth > maxDepth) maxDepth = depth;
    // follow inviter pointers, stopping on a cycle or a missing doc
    const chain: string[] = [];
    let cur = n.inviterId;
    let ok = true;
    while (cur !== null && cur !== undefined) {
      if (cur === n.openid || chain.includes(cur)) {
        ok = false;
        break;
      }
      chain.push(cur);
      const next = byId.get(cur);
      if (!next) break;
      cur = next.inviterId;
    }
    if (!ok || chain.length !== n.ancestors.length || chain.some((c, i) => c !== n.ancestors[i])) inconsistent.push(n.openid);
  }
  return { total: nodes.length, maxDepth, byDepth, inconsistent };
}
