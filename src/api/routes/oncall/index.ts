import ical from 'ical-generator';
import type { FastifyInstance } from 'fastify';

import { segments } from '../../../catalog/oncall/schedule';
import { ErrorEnvelope } from '../../../contract/common';
import type { OncallFile } from '../../../contract/oncall';
import { endpoints } from '../../../contract/endpoints';
import { notFound } from '../../errors';
import { teamOnCall, teamSchedule } from '../../oncall/who';
import { route } from '../register';

const errors = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope };
/** The iCalendar export covers the next 8 weeks (what Grafana OnCall's export offered). */
export const ICS_WEEKS = 8;

/**
 * Who is on call (catalog/oncall.yaml): now per team, each team's schedule and chain for the On-call
 * page, and an iCalendar feed per team. Schedules are not project data: every viewer may read them.
 */
export async function oncallRoutes(app: FastifyInstance) {
  const teamsOf = (team?: string) => {
    const file = app.catalog.current().oncall;
    const names = file ? Object.keys(file.teams).sort() : [];
    if (team === undefined) {
      return names;
    }
    if (!names.includes(team)) {
      throw notFound('not_found', `no on-call team ${team} in catalog/oncall.yaml`, { team });
    }
    return [team];
  };

  route(
    app,
    endpoints.onCallNow,
    {
      tags: ['oncall'],
      summary: 'Who is on call now per team: primary and secondary, since and until when',
      errors,
    },
    async (request) => {
      const at = app.now();
      const file = app.catalog.current().oncall;
      return { at: at.toISOString(), teams: teamsOf(request.query.team).map((team) => teamOnCall(file!, team, at)) };
    }
  );

  route(
    app,
    endpoints.onCallSchedules,
    {
      tags: ['oncall'],
      summary:
        "Every team's schedule for the next days (both roles), its chain resolved to people, and its handoff time",
      errors,
    },
    async (request) => {
      const at = app.now();
      const { days, team } = request.query;
      return {
        at: at.toISOString(),
        days,
        teams: teamsOf(team).map((name) => teamSchedule(app.catalog.current(), name, at, days, process.env)),
      };
    }
  );

  route(
    app,
    endpoints.onCallIcs,
    {
      tags: ['oncall'],
      summary: `A team's schedule for the next ${ICS_WEEKS} weeks as iCalendar (GET /oncall/schedules/{team}.ics)`,
      errors: { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 404: ErrorEnvelope },
    },
    async (request, reply) => {
      const [team] = teamsOf(request.params.file.slice(0, -'.ics'.length));
      const calendar = icsCalendar(app.catalog.current().oncall!, team, app.now());
      return (
        reply
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', `inline; filename="${team}.ics"`)
          // No 200 schema on purpose: the body is text/calendar, not JSON for the zod serializer.
          .send(calendar.toString() as never)
      );
    }
  );
}

/** A team's shifts of the next ICS_WEEKS weeks, both roles, as an iCalendar document. */
function icsCalendar(file: OncallFile, team: string, at: Date) {
  const until = new Date(at.getTime() + ICS_WEEKS * 7 * 86_400_000);
  const calendar = ical({
    name: `On call: ${team}`,
    prodId: { company: 'opsdeck', product: 'oncall' },
    timezone: 'UTC',
  });
  for (const role of ['primary', 'secondary'] as const) {
    for (const segment of segments(file.teams[team].schedule, role, at, until)) {
      if (!segment.user) {
        continue;
      }
      const name = file.users.find((user) => user.id === segment.user)?.name ?? segment.user;
      calendar.createEvent({
        // Stable per shift, so calendar clients update an event instead of duplicating it.
        id: `${team}-${role}-${segment.from.toISOString()}@opsdeck`,
        start: segment.from,
        end: segment.until,
        stamp: at,
        summary: `${name} on call (${role}, ${team})`,
        description: `Source: ${segment.source ?? 'rotation'}`,
      });
    }
  }
  return calendar;
}
