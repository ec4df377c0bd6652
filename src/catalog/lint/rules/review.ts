/** Runbooks are reviewed at least every 90 days; CI warns 15 days ahead (see src/catalog/review.ts). */
import { REVIEW_DUE_SOON_DAYS, REVIEW_MAX_AGE_DAYS, type RunbookEntry } from '../../../contract/catalog';
import { reviewOf, type Review } from '../../review';
import type { Finding, LintContext, LintRule, LintRuleGroup } from '../types';

type Reviewed = { runbook: RunbookEntry; review: Review; where: () => { path: string; line: number | null } };
const reviewed = new WeakMap<LintContext, Reviewed[]>();

/** Every runbook with its review, computed once per lint run for the three rules below. */
function reviews(context: LintContext): Reviewed[] {
  let list = reviewed.get(context);
  if (!list) {
    list = [];
    for (const runbook of context.catalog.runbooks.values()) {
      const review = reviewOf(runbook.last_reviewed_at, context.today);
      if (review) {
        const where = () => {
          const location = context.catalog.locate('runbooks', runbook.id);
          return { path: location?.path ?? '', line: location?.line ?? null };
        };
        list.push({ runbook, review, where });
      }
    }
    reviewed.set(context, list);
  }
  return list;
}

const overdue: LintRule = {
  id: 'runbook-review-overdue',
  severity: 'error',
  description: `last_reviewed_at is at most ${REVIEW_MAX_AGE_DAYS} days before today (--today)`,
  *check(context): Iterable<Finding> {
    for (const { runbook, review, where } of reviews(context)) {
      if (review.status === 'overdue') {
        yield {
          ...where(),
          message: `runbook ${runbook.id} was last reviewed ${review.ageDays} days ago (${runbook.last_reviewed_at}); the limit is ${REVIEW_MAX_AGE_DAYS} days (due ${review.dueAt}). Review it with ${runbook.owner_team} and update last_reviewed_at`,
        };
      }
    }
  },
};

const dueSoon: LintRule = {
  id: 'runbook-review-due-soon',
  severity: 'warning',
  description: `warns when a review falls due within ${REVIEW_DUE_SOON_DAYS} days`,
  *check(context): Iterable<Finding> {
    for (const { runbook, review, where } of reviews(context)) {
      if (review.status === 'due_soon') {
        yield {
          ...where(),
          message: `runbook ${runbook.id} review is due by ${review.dueAt} (${review.daysLeft} days left; owner ${runbook.owner_team})`,
        };
      }
    }
  },
};

const future: LintRule = {
  id: 'runbook-review-date-future',
  severity: 'error',
  description: 'last_reviewed_at is not after today (a future date would hide an overdue review)',
  *check(context): Iterable<Finding> {
    for (const { runbook, review, where } of reviews(context)) {
      if (review.ageDays < 0) {
        yield {
          ...where(),
          message: `runbook ${runbook.id}: last_reviewed_at ${runbook.last_reviewed_at} is after today (${context.today})`,
        };
      }
    }
  },
};

export const reviewRules: LintRuleGroup = { name: 'review', rules: [overdue, dueSoon, future] };
