// What a dashboard sees, read from the features' own stores (no state of its own):
// rooms of every kind with their members, agents per skill and the dispatch queue,
// pairing asks in flight, metered calls with their running charge, and the BullMQ
// queues. Everything is per app except the queues, which the apps share; an app sees
// the shared counts but only its own failed jobs.
import type { Core } from '../../infra/core.js';
import type { BillingService } from '../billing/service.js';
import type { DispatchService } from '../dispatch/service.js';
import type { PairingService } from '../pairing/service.js';
import type { PresenceService } from '../presence/service.js';
import type { RoomsService } from '../rooms/service.js';
import type { AppLiveT, AppSectionT, QueueViewT } from './schemas.js';

/** Who is watching: an app (its own appid) or the admin (every app, or one it picked). */
export interface Viewer {
  admin: boolean;
  appids: string[];
}

export type DashboardService = ReturnType<typeof createDashboardService>;

export function createDashboardService(
  core: Core,
  services: { rooms: RoomsService; presence: PresenceService; dispatch: DispatchService; pairing: PairingService; billing: BillingService },
) {
  const { config } = core;
  const limit = config.DASHBOARD_LIST_LIMIT;

  /** Agents per skill and the waiting requests: one read of each store. */
  async function agentsAndDispatch(appid: string): Promise<Pick<AppSectionT, 'agents' | 'dispatch'>> {
    const [agents, queues] = await Promise.all([services.presence.online(appid, limit), services.dispatch.waiting(appid, limit)]);
    const bySkill = new Map<string, { skill: string; online: number; offered: number; busy: number; waiting: number }>();
    const row = (skill: string) => {
      let r = bySkill.get(skill);
      if (!r) bySkill.set(skill, (r = { skill, online: 0, offered: 0, busy: 0, waiting: 0 }));
      return r;
    };
    for (const a of agents.agents) {
      for (const skill of a.skills) {
        const r = row(skill);
        if (a.state === 'busy') r.busy++;
        else if (a.state === 'offered') r.offered++;
        else if (a.state === 'online') r.online++;
      }
    }
    for (const q of queues) row(q.skill).waiting = q.total;
    return {
      agents: { total: agents.total, skills: [...bySkill.values()].sort((a, b) => a.skill.localeCompare(b.skill)), items: agents.agents },
      dispatch: { total: queues.reduce((n, q) => n + q.total, 0), queues },
    };
  }

  /** The sections that no business event covers completely (refreshed by dashboard.queues). */
  async function live(appid: string): Promise<AppLiveT> {
    const [ad, asks, calls] = await Promise.all([
      agentsAndDispatch(appid),
      services.pairing.openAsks(appid, limit),
      services.billing.activeCalls(appid, limit),
    ]);
    return { appid, ...ad, pairing: { total: asks.total, items: asks.asks }, calls: { total: calls.total, items: calls.calls } };
  }

  async function app(appid: string): Promise<AppSectionT> {
    const [rooms, rest] = await Promise.all([services.rooms.listAlive(appid, { limit, members: config.DASHBOARD_ROOM_MEMBERS }), live(appid)]);
    return { ...rest, appid, rooms: { total: rooms.total, items: rooms.rooms } };
  }

  /** Counts and the latest failed jobs of every queue in the catalogue, unfiltered (filter per viewer with queuesFor). */
  async function queues(): Promise<QueueViewT[]> {
    return Promise.all(
      core.queues.names.map(async (name) => {
        const q = core.queues.get(name);
        const [counts, failed] = await Promise.all([
          q.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed', 'completed'),
          q.getFailed(0, limit - 1),
        ]);
        return {
          name,
          counts,
          failed: failed.flatMap((j) => {
            if (!j) return [];
            const appid = (j.data as { appid?: unknown } | undefined)?.appid;
            return [
              {
                id: String(j.id ?? ''),
                name: j.name,
                ...(typeof appid === 'string' ? { appid } : {}),
                failedReason: j.failedReason ?? '',
                attemptsMade: j.attemptsMade,
                ...(j.finishedOn ? { finishedOn: j.finishedOn } : {}),
              },
            ];
          }),
        };
      }),
    );
  }

  /** An app sees the shared counts but only the failed jobs whose payload names it. */
  function queuesFor(viewer: Viewer, all: QueueViewT[]): QueueViewT[] {
    if (viewer.admin) return all;
    const mine = new Set(viewer.appids);
    return all.map((q) => ({ ...q, failed: q.failed.filter((j) => j.appid !== undefined && mine.has(j.appid)) }));
  }

  return {
    app,
    live,
    queues,
    queuesFor,
    async snapshot(viewer: Viewer) {
      const [apps, all] = await Promise.all([Promise.all(viewer.appids.map(app)), queues()]);
      return { serverTime: Date.now(), admin: viewer.admin, apps, queues: queuesFor(viewer, all) };
    },
  };
}
