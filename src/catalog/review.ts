/**
 * Runbook review status, shared by the API (`review_status`) and the linter: a runbook must be
 * reviewed within REVIEW_MAX_AGE_DAYS; it is `due_soon` from REVIEW_DUE_SOON_DAYS before that limit
 * and `overdue` once it is older than the limit. Dates are calendar days in UTC.
 */
import { REVIEW_DUE_SOON_DAYS, REVIEW_MAX_AGE_DAYS, type ReviewStatus } from '../contract/catalog';

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Milliseconds of a valid `YYYY-MM-DD` at UTC midnight, or null (also for 2026-02-30). */
export function parseIsoDate(value: string): number | null {
  const match = DATE_PATTERN.exec(value);
  if (!match) {
    return null;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (month < 1 || month > 12 || day < 1 || day > days) {
    return null;
  }
  return Date.UTC(year, month - 1, day);
}

export const isoDateOf = (date: Date) => date.toISOString().slice(0, 10);

export interface Review {
  status: ReviewStatus;
  /** Last day the review is within the limit. */
  dueAt: string;
  ageDays: number;
  daysLeft: number;
}

/** Review status of a runbook last reviewed on `lastReviewedAt`, as of the calendar day `today`. */
export function reviewOf(lastReviewedAt: string, today: string): Review | null {
  const reviewed = parseIsoDate(lastReviewedAt);
  const now = parseIsoDate(today);
  if (reviewed === null || now === null) {
    return null;
  }
  const ageDays = Math.round((now - reviewed) / DAY_MS);
  const daysLeft = REVIEW_MAX_AGE_DAYS - ageDays;
  const status: ReviewStatus = daysLeft < 0 ? 'overdue' : daysLeft <= REVIEW_DUE_SOON_DAYS ? 'due_soon' : 'ok';
  return { status, dueAt: isoDateOf(new Date(reviewed + REVIEW_MAX_AGE_DAYS * DAY_MS)), ageDays, daysLeft };
}
