/**
 * The Atom feed of external status updates. Built with `feed` (4.x, CommonJS; 5+ is ESM-only, which
 * the API's CommonJS build cannot require): it escapes every text node, which a hand-written template
 * would have to get right for each field stakeholders' messages can contain.
 */
import { Feed } from 'feed';

import type { StatusUpdate } from '../../contract/communication';

export function atomFeed(updates: StatusUpdate[], options: { selfUrl: string; incidentUrl: (id: string) => string }) {
  const feed = new Feed({
    id: options.selfUrl,
    title: 'Opsdeck status updates',
    link: options.selfUrl,
    updated: updates[0] ? new Date(updates[0].posted_at) : new Date(0),
    generator: 'Opsdeck',
    copyright: 'Opsdeck',
  });
  for (const update of updates) {
    feed.addItem({
      id: `urn:opsdeck:status-update:${update.id}`,
      title: `[${update.stage}] ${update.incident_title}`,
      link: options.incidentUrl(update.incident_id),
      date: new Date(update.posted_at),
      content: update.message,
      author: [{ name: update.posted_by }],
      category: [{ term: update.stage }, { term: `${update.tenant}/${update.project}` }],
    });
  }
  return feed.atom1();
}
