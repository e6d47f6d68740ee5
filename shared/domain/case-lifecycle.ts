/**
 * The closed loop (六闭环) as one table: every action a case can take, the stages it is allowed
 * from, who may take it, and what it records. Handlers and services never decide these things
 * themselves; they ask `planTransition`, which is pure, and write what it returns in one
 * conditional update.
 */
import * as z from '../schema.ts';
import { type CaseState, isOpen, Stage, type TimelineEvent } from './case.ts';
import { CategoryCode } from './categories.ts';
import { EntityId } from './organisation.ts';
import { type Staff, timelineActor } from './staff.ts';
import { formatTrackingCode, TrackingCode } from './tracking-code.ts';

const Note = z
  .string()
  .check(z.trim(), z.minLength(1, 'write a note'), z.maxLength(1000, 'at most 1000 characters'));

/** What staff can ask for through `POST /api/cases/{id}/transitions`. */
export const StaffAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), note: z.optional(Note) }),
  z.object({ action: z.literal('return'), note: Note }),
  z.object({ action: z.literal('reassign'), unitId: EntityId, note: z.optional(Note) }),
  z.object({ action: z.literal('resolve'), note: Note }),
  z.object({ action: z.literal('verify'), note: z.optional(Note) }),
  z.object({ action: z.literal('reject_resolution'), note: Note }),
  z.object({ action: z.literal('close'), note: z.optional(Note) }),
  z.object({ action: z.literal('reopen'), note: Note }),
  z.object({ action: z.literal('merge'), into: TrackingCode, note: z.optional(Note) }),
  z.object({
    action: z.literal('record_return_visit'),
    outcome: z.enum(['satisfied', 'unresolved']),
    note: Note,
  }),
]);
export type StaffAction = z.infer<typeof StaffAction>;

/**
 * A dispatcher corrects the case's category; the case follows the routing rules to the new
 * category's owner. Kept apart from `StaffAction` (the moves through the loop the console offers
 * today) until the console has a form for it; the transitions route accepts both.
 */
export const CategoryCorrection = z.object({
  action: z.literal('recategorise'),
  category: CategoryCode,
  note: z.optional(Note),
});
export type CategoryCorrection = z.infer<typeof CategoryCorrection>;

/** Everything `POST /api/cases/{id}/transitions` accepts. */
export const StaffRequestAction = z.discriminatedUnion('action', [
  ...StaffAction.def.options,
  CategoryCorrection,
]);
export type StaffRequestAction = z.infer<typeof StaffRequestAction>;

/** Actions only the system or the reporter take. */
export type SystemAction =
  | { action: 'dispatch' }
  | { action: 'escalate'; reason: 'accept_overdue' | 'resolve_overdue' }
  | { action: 'flag_unrated' }
  | { action: 'rate'; score: number; comment?: string };

export type CaseAction = StaffAction | CategoryCorrection | SystemAction;
export type ActionName = CaseAction['action'];

export type Actor = { kind: 'staff'; staff: Staff } | { kind: 'system'; name: string } | { kind: 'reporter' };

/** Side effects a transition triggers. Each is safe to run twice (see shared/services/case-effects.ts). */
export const Effect = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('dispatch'),
    unitId: EntityId,
    reason: z.enum(['routed', 'returned', 'reassigned', 'reopened']),
  }),
  z.object({ kind: z.literal('escalation_notice'), reason: z.enum(['accept_overdue', 'resolve_overdue']) }),
  /**
   * No longer written: a merge links the original before the duplicate moves (see
   * `planDuplicateLink`). Kept so that outboxes stored before that still parse and run.
   */
  z.object({ kind: z.literal('link_duplicate'), into: TrackingCode }),
  /** A text to the reporter (when they left a phone): the case reached a unit, was resolved, was closed. */
  z.object({ kind: z.literal('notify_reporter'), stage: z.enum(['dispatched', 'resolved', 'closed']) }),
  /**
   * A person confirmed the case's category (see `confirmsCategory`): its text and this label are
   * kept as a training example for the report classifier, until the case is anonymised.
   */
  z.object({ kind: z.literal('training_example'), category: CategoryCode }),
  /**
   * The case's search postings (shared/domain/case-search.ts): written when it is created and
   * again whenever it moves to another unit, after the delivery, so off the report path.
   */
  z.object({ kind: z.literal('search_index') }),
  /**
   * An app message to the grid worker who forwarded the appeal in WeChat Work (`forwardedBy`),
   * to relay in the grid's group: the case moved to `stage` (or to another unit) by `action`.
   */
  z.object({ kind: z.literal('relay_to_worker'), stage: Stage, action: z.string().check(z.minLength(1)) }),
  /**
   * Staff told in WeChat Work (issue 16 item 4): the case went on the return-visit list, so its
   * community's grid workers get an app message with a link (shared/services/notify-staff.ts).
   * An escalation's own notice tells the unit's handlers likewise (see `escalation_notice`).
   */
  z.object({ kind: z.literal('notify_staff'), about: z.literal('return_visit') }),
  z.object({
    kind: z.literal('stats'),
    at: z.iso.datetime(),
    from: z.object({
      stage: Stage,
      unitId: EntityId,
      since: z.iso.datetime(),
      /** When the case entered this stage at this unit (a reassignment starts a new stay). */
      heldSince: z.optional(z.iso.datetime()),
    }),
    to: z.object({ stage: Stage, unitId: EntityId }),
    /** The category before a recategorisation (the counters per category move with it). */
    fromCategory: z.optional(CategoryCode),
    rating: z.optional(z.int()),
    escalated: z.optional(z.boolean()),
    /**
     * For the unit assessment (shared/domain/unit-assessment.ts); absent on entries stored before
     * it, which then count in the stage figures only: the action, the SLA deadline an acceptance
     * or resolution answered, and the working time of the stay the change ended.
     */
    action: z.optional(z.string()),
    due: z.optional(z.iso.datetime()),
    workingMs: z.optional(z.number().check(z.nonnegative())),
    /** The case's township, for the assessment's township rows. */
    townshipId: z.optional(EntityId),
  }),
]);
export type Effect = z.infer<typeof Effect>;

/** What the organisation tells a transition: where returned cases go. */
export interface LifecycleContext {
  countyCentreUnitId: string;
  /** The township centre a case in this township falls back to. */
  townshipCentreOf(townshipId: string | undefined): string | undefined;
  unitExists(unitId: string): boolean;
  /** SLA deadlines for this case's category, from `from`. */
  deadline(kind: 'accept' | 'resolve', from: Date): Date;
  /** Working time between two instants on the county's calendar, in milliseconds. */
  workingMs(from: Date, to: Date): number;
  ratingWindowDays: number;
  /**
   * The unit the routing rules give a case of `category` in this case's area, with that category's
   * accept deadline; undefined when no rule places it. Absent: a recategorised case stays put.
   */
  ownerFor?(category: CategoryCode): { unitId: string; acceptDeadline(from: Date): Date } | undefined;
}

export interface TransitionPlan {
  action: ActionName;
  from: { stage: Stage; version: number };
  to: Stage;
  event: TimelineEvent;
  /** Attributes to set on the case (besides stage, version, updatedAt, timeline). */
  set: Partial<
    Pick<
      CaseState,
      'unitId' | 'category' | 'resolvedBy' | 'timer' | 'escalation' | 'rating' | 'returnVisit' | 'mergedInto'
    >
  >;
  /**
   * Attributes to remove. What undoes a resolution removes `resolvedBy` and the result photos
   * made public with it (`publicPhotos`): the next resolution shows only its own.
   */
  remove: ReadonlyArray<'resolvedBy' | 'publicPhotos' | 'timer' | 'returnVisit'>;
  /** Increment the transfer count (returns and reassignments). */
  transfer: boolean;
  effects: Effect[];
}

export type PlanResult =
  | { ok: true; plan: TransitionPlan }
  | { ok: false; reason: 'stage'; allowed: ActionName[] }
  | { ok: false; reason: 'forbidden'; allowed: ActionName[] }
  | { ok: false; reason: 'invalid'; message: string; path: string };

// ─── who ───────────────────────────────────────────────────────────────────────────────────────

/** The unit that owns the case acts on it: its handlers, or the centre's dispatchers when the centre owns it. */
export const ownsCase = (staff: Staff, c: CaseState): boolean =>
  (staff.role === 'unit_handler' || staff.role === 'centre_dispatcher') && staff.unitId === c.unitId;

/** Oversight: the dispatchers of the case's township centre, and the county centre's supervisors. */
export const supervisesCase = (staff: Staff, c: CaseState): boolean =>
  staff.role === 'county_supervisor' ||
  (staff.role === 'centre_dispatcher' && staff.townshipId === c.townshipId);

/** Which cases a member of staff can see at all; everything else is a 404 to them. */
export function canSee(staff: Staff, c: CaseState): boolean {
  switch (staff.role) {
    case 'unit_handler':
      return staff.unitId === c.unitId;
    case 'centre_dispatcher':
      return staff.unitId === c.unitId || staff.townshipId === c.townshipId;
    case 'grid_worker':
      return staff.communityId === c.communityId;
    case 'county_supervisor':
    case 'admin':
      return true;
    case 'outreach_staff':
      return false;
  }
}

/** Roles that work with cases at all; outreach staff plan campaigns and are refused every case route. */
export type CaseStaff = Exclude<Staff, { role: 'outreach_staff' }>;
export const worksWithCases = (staff: Staff): staff is CaseStaff => staff.role !== 'outreach_staff';

/**
 * On its community's return-visit list: a closed case whose visit is still to be made. (A case
 * reopened before its visit keeps the visit pending but leaves the list until it is closed again,
 * which is also when `record_return_visit` is allowed again.)
 */
export const awaitsReturnVisit = (c: CaseState): boolean =>
  c.returnVisit?.status === 'pending' && !isOpen(c.stage);

/**
 * Who may read the reporter's phone number: those who may have to call them. The owner and the
 * supervising centre (to clarify, to report back), the county centre (escalations), and the
 * community's grid worker only for a return visit they are to make. Admins configure rules and
 * policies and never need it; anyone else is not shown it.
 */
export function mayContactReporter(staff: Staff, c: CaseState): boolean {
  switch (staff.role) {
    case 'unit_handler':
    case 'centre_dispatcher':
      return ownsCase(staff, c) || supervisesCase(staff, c);
    case 'county_supervisor':
      return true;
    case 'grid_worker':
      return staff.communityId === c.communityId && awaitsReturnVisit(c);
    case 'admin':
    case 'outreach_staff':
      return false;
  }
}

const staffOf = (actor: Actor): Staff | undefined => (actor.kind === 'staff' ? actor.staff : undefined);

/**
 * Who may correct a case's category: the dispatchers of its township centre and the county
 * centre's supervisors (oversight), and the dispatchers of a centre holding it for triage.
 */
export const mayRecategorise = (staff: Staff, c: CaseState): boolean =>
  supervisesCase(staff, c) || (staff.role === 'centre_dispatcher' && ownsCase(staff, c));

/**
 * Who reads why the classifier chose a case's category (its keywords and the n-grams of the
 * resident's text that counted): those who may correct it, and the unit holding the case, which
 * can ask them to. Nobody else, and never the public.
 */
export const mayReadClassification = (staff: Staff, c: CaseState): boolean =>
  mayRecategorise(staff, c) || ownsCase(staff, c);

/**
 * When a person has confirmed a case's category, which makes the case a labelled example for the
 * classifier: a dispatcher recategorised it (the new category), or the unit the routing rules give
 * that category resolved it without changing it (its own people handled it as theirs to the end).
 * A resolution by a unit the case was only reassigned or returned to confirms nothing, nor does an
 * acceptance alone (a unit may still return it).
 */
export function confirmsCategory(c: CaseState, action: ActionName, ctx: LifecycleContext): boolean {
  if (action === 'recategorise') return true;
  return action === 'resolve' && ctx.ownerFor?.(c.category)?.unitId === c.unitId;
}

// ─── the table ─────────────────────────────────────────────────────────────────────────────────

interface Rule<A extends CaseAction> {
  from: readonly Stage[];
  who: (actor: Actor, c: CaseState) => boolean;
  /** The stage after it, and what it records; may refuse with a field error. */
  apply: (
    c: CaseState,
    action: A,
    ctx: LifecycleContext,
    now: Date,
    actor: Actor,
  ) =>
    | {
        to: Stage;
        set?: TransitionPlan['set'];
        remove?: TransitionPlan['remove'];
        transfer?: boolean;
        effects?: Effect[];
      }
    | { invalid: string; path: string };
}

type RuleTable = { [N in ActionName]: Rule<Extract<CaseAction, { action: N }>> };

const byStaff =
  (allowed: (staff: Staff, c: CaseState) => boolean) =>
  (actor: Actor, c: CaseState): boolean => {
    const staff = staffOf(actor);
    return staff !== undefined && allowed(staff, c);
  };

const bySystem = (actor: Actor) => actor.kind === 'system';

const iso = (d: Date) => d.toISOString();

export const caseTransitions: RuleTable = {
  dispatch: {
    from: ['registered'],
    who: bySystem,
    apply: (c, _a, ctx, now) => ({
      to: 'dispatched',
      set: { timer: { kind: 'accept_due', at: iso(ctx.deadline('accept', now)) } },
      effects: [
        { kind: 'dispatch', unitId: c.unitId, reason: 'routed' },
        { kind: 'notify_reporter', stage: 'dispatched' },
      ],
    }),
  },
  accept: {
    from: ['dispatched'],
    who: byStaff(ownsCase),
    apply: (c, _a, ctx) => ({
      to: 'in_progress',
      // The resolve clock runs from when the case reached the unit, not from when it was accepted.
      set: { timer: { kind: 'resolve_due', at: iso(ctx.deadline('resolve', new Date(dispatchedAt(c)))) } },
    }),
  },
  return: {
    from: ['dispatched', 'in_progress'],
    // A department sends back what is not its own; a centre returns to the county centre.
    who: byStaff(ownsCase),
    apply: (c, _a, ctx, now) => {
      const centre = ctx.townshipCentreOf(c.townshipId);
      const target = centre && centre !== c.unitId ? centre : ctx.countyCentreUnitId;
      if (target === c.unitId)
        return { invalid: 'the county centre has nobody to return a case to', path: 'action' };
      return {
        to: 'dispatched',
        set: { unitId: target, timer: { kind: 'accept_due', at: iso(ctx.deadline('accept', now)) } },
        remove: ['resolvedBy', 'publicPhotos'],
        transfer: true,
        effects: [{ kind: 'dispatch', unitId: target, reason: 'returned' }],
      };
    },
  },
  reassign: {
    from: ['registered', 'dispatched', 'in_progress'],
    who: byStaff(supervisesCase),
    apply: (c, a, ctx, now) => {
      if (!ctx.unitExists(a.unitId)) return { invalid: `no unit ${a.unitId}`, path: 'unitId' };
      if (a.unitId === c.unitId) return { invalid: 'the case is already with this unit', path: 'unitId' };
      return {
        to: 'dispatched',
        set: { unitId: a.unitId, timer: { kind: 'accept_due', at: iso(ctx.deadline('accept', now)) } },
        remove: ['resolvedBy', 'publicPhotos'],
        transfer: true,
        effects: [{ kind: 'dispatch', unitId: a.unitId, reason: 'reassigned' }],
      };
    },
  },
  recategorise: {
    from: ['registered', 'dispatched', 'in_progress'],
    who: byStaff(mayRecategorise),
    apply: (c, a, ctx, now) => {
      if (a.category === c.category)
        return { invalid: `the case is already ${a.category}`, path: 'category' };
      const label: Effect = { kind: 'training_example', category: a.category };
      const owner = ctx.ownerFor?.(a.category);
      if (owner === undefined || owner.unitId === c.unitId)
        return { to: c.stage, set: { category: a.category }, effects: [label] };
      // Another owner: the case moves to its queue as a reassignment would.
      return {
        to: 'dispatched',
        set: {
          category: a.category,
          unitId: owner.unitId,
          timer: { kind: 'accept_due', at: iso(owner.acceptDeadline(now)) },
        },
        remove: ['resolvedBy', 'publicPhotos'],
        transfer: true,
        effects: [{ kind: 'dispatch', unitId: owner.unitId, reason: 'reassigned' }, label],
      };
    },
  },
  resolve: {
    from: ['in_progress'],
    who: byStaff(ownsCase),
    apply: (c, _a, ctx, _now, actor) => ({
      to: 'resolved',
      ...(actor.kind === 'staff' ? { set: { resolvedBy: actor.staff.userId } } : {}),
      remove: ['timer'],
      effects: [
        { kind: 'notify_reporter', stage: 'resolved' },
        ...(confirmsCategory(c, 'resolve', ctx)
          ? [{ kind: 'training_example' as const, category: c.category }]
          : []),
      ],
    }),
  },
  verify: {
    from: ['resolved'],
    // 核查: someone other than the person who resolved it.
    who: byStaff((s, c) => supervisesCase(s, c) && s.userId !== c.resolvedBy),
    apply: () => ({ to: 'verified' }),
  },
  reject_resolution: {
    from: ['resolved'],
    who: byStaff((s, c) => supervisesCase(s, c) && s.userId !== c.resolvedBy),
    apply: (c, _a, ctx) => ({
      to: 'in_progress',
      set: { timer: { kind: 'resolve_due', at: iso(ctx.deadline('resolve', new Date(dispatchedAt(c)))) } },
      remove: ['resolvedBy', 'publicPhotos'],
    }),
  },
  close: {
    from: ['verified'],
    who: byStaff(supervisesCase),
    apply: (_c, _a, ctx, now) => ({
      to: 'closed',
      set: {
        timer: {
          kind: 'rating_window',
          at: iso(new Date(now.getTime() + ctx.ratingWindowDays * 86_400_000)),
        },
      },
      effects: [{ kind: 'notify_reporter', stage: 'closed' }],
    }),
  },
  rate: {
    from: ['closed'],
    who: (actor) => actor.kind === 'reporter',
    apply: (_c, a, _ctx, now) => {
      if (!Number.isInteger(a.score) || a.score < 1 || a.score > 5)
        return { invalid: 'rate from 1 to 5', path: 'score' };
      const unhappy = a.score <= 2;
      return {
        to: 'evaluated',
        set: {
          rating: { score: a.score, comment: a.comment, at: iso(now) },
          ...(unhappy ? { returnVisit: { status: 'pending', reason: 'low_rating' } } : {}),
        },
        remove: ['timer'],
      };
    },
  },
  flag_unrated: {
    from: ['closed'],
    who: bySystem,
    apply: (c, _a, _ctx, now) => {
      if (c.timer?.kind !== 'rating_window' || Date.parse(c.timer.at) > now.getTime())
        return { invalid: 'no rating window has ended', path: 'action' };
      // A visit done in an earlier round (before a reopening) does not cover this closing.
      if (c.returnVisit?.status === 'pending')
        return { invalid: 'already on the return-visit list', path: 'action' };
      return {
        to: 'closed',
        set: { returnVisit: { status: 'pending', reason: 'no_rating' } },
        remove: ['timer'],
      };
    },
  },
  record_return_visit: {
    from: ['closed', 'evaluated'],
    who: byStaff(
      (s, c) => (s.role === 'grid_worker' && s.communityId === c.communityId) || supervisesCase(s, c),
    ),
    apply: (c, a, ctx, now) => {
      if (c.returnVisit?.status !== 'pending') {
        return { invalid: 'the case is not on the return-visit list', path: 'action' };
      }
      const returnVisit = { ...c.returnVisit, status: 'done' as const, outcome: a.outcome };
      // 回访: a resident still unhappy at the visit reopens the case with the same unit.
      return a.outcome === 'unresolved'
        ? {
            to: 'dispatched',
            set: { returnVisit, timer: { kind: 'accept_due', at: iso(ctx.deadline('accept', now)) } },
            remove: ['resolvedBy', 'publicPhotos'],
            effects: [{ kind: 'dispatch', unitId: c.unitId, reason: 'reopened' }],
          }
        : { to: c.stage, set: { returnVisit } };
    },
  },
  reopen: {
    from: ['closed', 'evaluated'],
    who: byStaff(supervisesCase),
    apply: (c, _a, ctx, now) => ({
      to: 'dispatched',
      set: { timer: { kind: 'accept_due', at: iso(ctx.deadline('accept', now)) } },
      remove: ['resolvedBy', 'publicPhotos'],
      effects: [{ kind: 'dispatch', unitId: c.unitId, reason: 'reopened' }],
    }),
  },
  /**
   * The duplicate's half of a merge. The original's half (`planDuplicateLink`) is written first,
   * conditioned on the original's version, so two merges into each other cannot both succeed.
   */
  merge: {
    from: ['registered', 'dispatched', 'in_progress'],
    who: byStaff((s, c) => supervisesCase(s, c) || ownsCase(s, c)),
    apply: (c, a) =>
      a.into === c.trackingCode
        ? { invalid: 'a case cannot be merged into itself', path: 'into' }
        : { to: 'merged', set: { mergedInto: a.into }, remove: ['timer'] },
  },
  escalate: {
    from: ['dispatched', 'in_progress'],
    who: bySystem,
    // Once per deadline: the escalation clears the timer and remembers which deadline it was, so
    // a new deadline (a new acceptance, a return) that passes is escalated again, and the same
    // one (a rejected resolution restores the resolve deadline) is not.
    apply: (c, a, _ctx, now) => {
      const timer = c.timer;
      if (!timer || timer.kind === 'rating_window' || reasonOf(timer.kind) !== a.reason)
        return {
          invalid: `no ${a.reason === 'accept_overdue' ? 'accept' : 'resolve'} deadline is running`,
          path: 'action',
        };
      if (Date.parse(timer.at) > now.getTime())
        return { invalid: 'the deadline has not passed yet', path: 'action' };
      if (c.escalation?.deadline === timer.at)
        return { invalid: 'already escalated for this deadline', path: 'action' };
      return {
        to: c.stage,
        set: { escalation: { at: iso(now), reason: a.reason, deadline: timer.at } },
        remove: ['timer'],
        effects: [{ kind: 'escalation_notice', reason: a.reason }],
      };
    },
  },
};

const reasonOf = (kind: 'accept_due' | 'resolve_due') =>
  kind === 'accept_due' ? 'accept_overdue' : 'resolve_overdue';

/**
 * The system action a case's timer calls for once it is due: an SLA deadline is escalated, an
 * ended rating window puts the case on the return-visit list. The sweeper asks this; if the table
 * then refuses the action, the timer is spent and comes off the case.
 */
export function dueTimerAction(c: CaseState): SystemAction | undefined {
  const kind = c.timer?.kind;
  if (kind === undefined) return undefined;
  return kind === 'rating_window'
    ? { action: 'flag_unrated' }
    : { action: 'escalate', reason: reasonOf(kind) };
}

/** When the case entered its current stage (for time-per-stage statistics). */
export function enteredStageAt(c: CaseState): string {
  let at = c.submittedAt;
  for (let i = c.timeline.length - 1; i >= 0; i--) {
    const event = c.timeline[i];
    if (!event || event.stage !== c.stage) break;
    at = event.at;
  }
  return at;
}

/**
 * When the case entered its current stage at its current unit: the start of the stay the unit is
 * assessed on. Unlike `enteredStageAt`, a reassignment (dispatched → dispatched elsewhere) starts
 * a new stay; an escalation or a merged duplicate noted meanwhile does not.
 */
export function enteredUnitStageAt(c: CaseState): string {
  let at = c.submittedAt;
  for (let i = c.timeline.length - 1; i >= 0; i--) {
    const event = c.timeline[i];
    if (!event || event.stage !== c.stage || (event.unitId ?? c.unitId) !== c.unitId) break;
    at = event.at;
  }
  return at;
}

/**
 * The SLA deadline an acceptance or a resolution answers: the one running on the case, or, once
 * the sweeper escalated it (which takes the timer off), the deadline that escalation was for. A
 * case waits in `dispatched` only with an accept deadline and in `in_progress` only with a
 * resolve deadline (every way in sets one), so what is found is this stay's.
 */
function answeredDeadline(c: CaseState, action: ActionName): string | undefined {
  const kind = action === 'accept' ? 'accept_due' : action === 'resolve' ? 'resolve_due' : undefined;
  if (!kind) return undefined;
  if (c.timer?.kind === kind) return c.timer.at;
  if (c.escalation?.reason === reasonOf(kind)) return c.escalation.deadline;
  return undefined;
}

/** Events that note something on a case without moving it (they keep its stage and unit). */
const annotations: ReadonlySet<string | undefined> = new Set([
  'escalate',
  'link_duplicate',
  'unlink_duplicate',
]);

/**
 * When the case last reached its current unit (for the resolve deadline). An escalation or a
 * merged duplicate noted while it waited is not an arrival: counting from one would move the
 * deadline past the time the escalation was for.
 */
function dispatchedAt(c: CaseState): string {
  for (let i = c.timeline.length - 1; i >= 0; i--) {
    const event = c.timeline[i];
    if (event?.stage === 'dispatched' && !annotations.has(event.action)) return event.at;
  }
  return c.submittedAt;
}

const actionNames: readonly ActionName[] = [
  'dispatch',
  'accept',
  'return',
  'reassign',
  'recategorise',
  'resolve',
  'verify',
  'reject_resolution',
  'close',
  'rate',
  'flag_unrated',
  'record_return_visit',
  'reopen',
  'merge',
  'escalate',
];

/** The actions this actor may take on this case now (what the console offers). */
export function allowedActions(c: CaseState, actor: Actor): ActionName[] {
  return actionNames.filter((name) => {
    const rule: Rule<CaseAction> = ruleFor(name);
    return rule.from.includes(c.stage) && rule.who(actor, c);
  });
}

function ruleFor(name: ActionName): Rule<CaseAction> {
  // Each entry handles its own action type and is only ever called with it (planTransition looks
  // the rule up by the action's own name); TypeScript cannot correlate the two, hence the widening.
  return caseTransitions[name] as Rule<CaseAction>;
}

const byOf = (actor: Actor): string =>
  actor.kind === 'staff' ? actor.staff.userId : actor.kind === 'system' ? `system:${actor.name}` : 'reporter';

/**
 * Plans `action` on case `c` by `actor` at `now`: refused when the stage does not allow it
 * (naming the actions that are allowed), when the actor may not take it, or when its fields
 * do not make sense; otherwise the exact change to write and the effects to run after.
 */
export function planTransition(
  c: CaseState,
  action: CaseAction,
  actor: Actor,
  ctx: LifecycleContext,
  now: Date,
): PlanResult {
  const rule = ruleFor(action.action);
  const allowed = allowedActions(c, actor);
  if (!rule.from.includes(c.stage)) return { ok: false, reason: 'stage', allowed };
  if (!rule.who(actor, c)) return { ok: false, reason: 'forbidden', allowed };
  const outcome = rule.apply(c, action, ctx, now, actor);
  if ('invalid' in outcome)
    return { ok: false, reason: 'invalid', message: outcome.invalid, path: outcome.path };

  const set = outcome.set ?? {};
  const unitId = set.unitId ?? c.unitId;
  const note = 'note' in action ? action.note : undefined;
  const due = answeredDeadline(c, action.action);
  const event: TimelineEvent = {
    stage: outcome.to,
    at: iso(now),
    by: byOf(actor),
    ...(actor.kind === 'staff' ? { actor: timelineActor(actor.staff, ctx.countyCentreUnitId) } : {}),
    action: action.action,
    unitId,
    note,
    // Each rating stays in the history, so a case rated again after a reopening recounts exactly.
    ...(set.rating ? { score: set.rating.score } : {}),
    ...(set.category ? { category: set.category } : {}),
    ...(due ? { due } : {}),
  };
  const heldSince = enteredUnitStageAt(c);
  const stats: Effect = {
    kind: 'stats',
    at: iso(now),
    from: { stage: c.stage, unitId: c.unitId, since: enteredStageAt(c), heldSince },
    to: { stage: outcome.to, unitId },
    ...(set.category && set.category !== c.category ? { fromCategory: c.category } : {}),
    ...(set.rating ? { rating: set.rating.score } : {}),
    ...(set.escalation ? { escalated: true } : {}),
    action: action.action,
    ...(due ? { due } : {}),
    workingMs: ctx.workingMs(new Date(heldSince), now),
    ...(c.townshipId ? { townshipId: c.townshipId } : {}),
  };
  return {
    ok: true,
    plan: {
      action: action.action,
      from: { stage: c.stage, version: c.version },
      to: outcome.to,
      event,
      set,
      remove: outcome.remove ?? [],
      transfer: outcome.transfer ?? false,
      effects: [
        ...(outcome.effects ?? []),
        stats,
        // Postings are keyed by the unit among others: a new case, or one that moved, is (re)indexed.
        ...(action.action === 'dispatch' || unitId !== c.unitId ? [{ kind: 'search_index' as const }] : []),
        // A forwarded appeal's worker hears of every move the public status shows (stage or unit).
        ...(c.forwardedBy !== undefined && (outcome.to !== c.stage || unitId !== c.unitId)
          ? [{ kind: 'relay_to_worker' as const, stage: outcome.to, action: action.action }]
          : []),
        // Put on the return-visit list (a low rating, no rating in time): the grid workers hear of it.
        ...(set.returnVisit?.status === 'pending'
          ? [{ kind: 'notify_staff' as const, about: 'return_visit' as const }]
          : []),
      ],
    },
  };
}

// ─── the original's half of a merge ───────────────────────────────────────────────────────────

/**
 * A change to the original of a merge: the duplicate joins (or, when its merge could not be
 * completed, leaves) the original's set of merged reports, as one new version with one timeline
 * event. Its write is conditioned on `from`, like any transition, which is what puts the
 * original's state into the merge: the duplicate's own move is conditioned on its version, which
 * an incoming link changes, so A→B and B→A (or any cycle) cannot all succeed at once.
 *
 * Each merge attempt holds the link once (`duplicateLinks`); one that fails takes back only its
 * own hold, and the duplicate leaves the set when no hold is left. So two attempts at the same
 * merge at once, of which one completes, never leave the completed one unlisted.
 */
export interface DuplicateLinkPlan {
  change: 'link' | 'unlink';
  duplicate: TrackingCode;
  /** Attempts holding the duplicate's link after this change; it is listed while any is. */
  holds: number;
  from: { stage: Stage; version: number };
  event: TimelineEvent;
}

export type DuplicateLinkResult =
  | { ok: true; plan: DuplicateLinkPlan; original: CaseState }
  | { ok: false; message: string; path: 'into' };

/**
 * Links `duplicate` into `original` for `staff`, or says why `original` cannot take it.
 * `countyCentreUnitId` names a supervisor's own unit in the event.
 */
export function planDuplicateLink(
  original: CaseState | undefined,
  duplicate: CaseState,
  staff: Staff,
  now: Date,
  countyCentreUnitId?: string,
): DuplicateLinkResult {
  const refuse = (message: string): DuplicateLinkResult => ({ ok: false, message, path: 'into' });
  if (!original || !canSee(staff, original)) return refuse('no case with this code is visible to you');
  if (original.trackingCode === duplicate.trackingCode) return refuse('a case cannot be merged into itself');
  if (!isOpen(original.stage)) return refuse('a case can only be merged into an open case');
  if (original.category !== duplicate.category)
    return refuse('a case can only be merged into one of the same category');
  const holds = holdsOf(original, duplicate.trackingCode) + 1;
  return {
    ok: true,
    plan: linkPlan(
      'link',
      original,
      duplicate.trackingCode,
      holds,
      { kind: 'staff', staff },
      now,
      countyCentreUnitId,
    ),
    original,
  };
}

/** Takes back one attempt's hold on a link whose merge did not complete; undefined when there is none. */
export function planDuplicateUnlink(
  original: CaseState,
  duplicate: TrackingCode,
  actor: Actor,
  now: Date,
  countyCentreUnitId?: string,
): DuplicateLinkPlan | undefined {
  const holds = holdsOf(original, duplicate);
  if (holds === 0) return undefined;
  return linkPlan('unlink', original, duplicate, holds - 1, actor, now, countyCentreUnitId);
}

/** A duplicate listed before links were held (linked by the outbox after its merge) counts as held once. */
const holdsOf = (original: CaseState, duplicate: TrackingCode): number =>
  original.duplicateLinks?.[duplicate] ?? (original.duplicates?.includes(duplicate) ? 1 : 0);

function linkPlan(
  change: DuplicateLinkPlan['change'],
  original: CaseState,
  duplicate: TrackingCode,
  holds: number,
  actor: Actor,
  now: Date,
  countyCentreUnitId: string | undefined,
): DuplicateLinkPlan {
  const code = formatTrackingCode(duplicate);
  return {
    change,
    duplicate,
    holds,
    from: { stage: original.stage, version: original.version },
    event: {
      stage: original.stage,
      at: iso(now),
      by: byOf(actor),
      ...(actor.kind === 'staff' ? { actor: timelineActor(actor.staff, countyCentreUnitId) } : {}),
      action: change === 'link' ? 'link_duplicate' : 'unlink_duplicate',
      unitId: original.unitId,
      note: change === 'link' ? `重复案件 ${code} 并入本案` : `${code} 未能合并，已撤销关联`,
    },
  };
}
